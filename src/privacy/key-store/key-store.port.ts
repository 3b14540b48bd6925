/** A signal whose free text a data key protects. */
export interface KeyOwner {
  tenantId: string;
  signalId: string;
}

/** A 256-bit AES data key and its opaque id (what ciphertext names). */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

export interface KeyInfo extends KeyOwner {
  keyId: string;
  createdAt: string;
  /** When the key material was destroyed; null while it lives. */
  destroyedAt: string | null;
}

export class KeyStoreError extends Error {
  constructor(
    readonly code: 'KEY_STORE_READ_ONLY' | 'KEY_STORE_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'KeyStoreError';
  }
}

/**
 * Data keys of signals, kept outside the event store, so that destroying a key makes the text
 * it encrypted unreadable while the events (and their hash chain) stay as they are. A signal has
 * at most one live key at a time; text written after an erasure gets a new one.
 */
export abstract class KeyStore {
  /** The signal's live key, made (durably) when it has none. */
  abstract activeKey(owner: KeyOwner): Promise<DataKey>;

  /** A key by id; null when it was destroyed or never existed. */
  abstract key(keyId: string): Promise<DataKey | null>;

  /** The signal's keys, live and destroyed, oldest first. */
  abstract keysOf(owner: KeyOwner): Promise<KeyInfo[]>;

  /**
   * Destroys the key material of these keys (idempotent: destroyed or unknown ids are skipped).
   * Returns how many were live.
   */
  abstract destroy(keyIds: readonly string[]): Promise<number>;

  abstract close(): Promise<void>;
}

export const DATA_KEY_BYTES = 32;
