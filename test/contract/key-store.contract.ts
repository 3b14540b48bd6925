import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { KeyStore } from '../../src/privacy/key-store/key-store.port.js';

/** The behaviour every KeyStore adapter must show; `open` gives a fresh store (and a read-only handle on it). */
export function describeKeyStoreContract(
  name: string,
  open: () => Promise<{ store: KeyStore; readOnly: () => Promise<KeyStore> }>,
): void {
  describe(`KeyStore contract: ${name}`, () => {
    const opened: KeyStore[] = [];
    const fresh = async () => {
      const made = await open();
      opened.push(made.store);
      return made;
    };
    const owner = () => ({ tenantId: 'gent', signalId: randomUUID() });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    it('makes one 256-bit key per signal and hands the same one out again', async () => {
      const { store } = await fresh();
      const signal = owner();
      const first = await store.activeKey(signal);
      expect(first.key).toHaveLength(32);
      expect(await store.activeKey(signal)).toEqual(first);
      expect(await store.key(first.keyId)).toEqual(first);
      const other = await store.activeKey(owner());
      expect(other.keyId).not.toBe(first.keyId);
      expect(other.key.equals(first.key)).toBe(false);
    });

    it('keeps one live key when many ask for it at once', async () => {
      const { store } = await fresh();
      const signal = owner();
      const keys = await Promise.all(Array.from({ length: 20 }, () => store.activeKey(signal)));
      expect(new Set(keys.map((key) => key.keyId)).size).toBe(1);
      expect(await store.keysOf(signal)).toHaveLength(1);
    });

    it('destroys keys: gone for reading, idempotent, and the next text gets a new key', async () => {
      const { store } = await fresh();
      const signal = owner();
      const kept = await store.activeKey(owner());
      const first = await store.activeKey(signal);
      expect(await store.destroy([first.keyId])).toBe(1);
      expect(await store.key(first.keyId)).toBeNull();
      expect(await store.destroy([first.keyId, 'no-such-key'])).toBe(0);
      const second = await store.activeKey(signal);
      expect(second.keyId).not.toBe(first.keyId);
      const infos = await store.keysOf(signal);
      expect(infos.map((info) => [info.keyId, info.destroyedAt === null])).toEqual([
        [first.keyId, false],
        [second.keyId, true],
      ]);
      expect(infos[0]).toMatchObject({ tenantId: 'gent', signalId: signal.signalId });
      expect(await store.key(kept.keyId)).toEqual(kept);
    });

    it('an unknown key id reads as null', async () => {
      const { store } = await fresh();
      expect(await store.key(randomUUID())).toBeNull();
      expect(await store.keysOf(owner())).toEqual([]);
    });

    it('a read-only handle reads keys but never makes or destroys one', async () => {
      const { store, readOnly } = await fresh();
      const key = await store.activeKey(owner());
      const reader = await readOnly();
      opened.push(reader);
      expect(await reader.key(key.keyId)).toEqual(key);
      await expect(reader.activeKey(owner())).rejects.toMatchObject({ code: 'KEY_STORE_READ_ONLY' });
      await expect(reader.destroy([key.keyId])).rejects.toMatchObject({ code: 'KEY_STORE_READ_ONLY' });
      await store.destroy([key.keyId]);
      expect(await reader.key(key.keyId)).toBeNull();
    });
  });
}
