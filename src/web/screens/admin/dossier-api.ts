import { api, type ApiAnswer } from '../../api/client';

export interface DossierResult {
  dossierId: string;
  revision: string;
  position: string;
  state: string;
}

/** A fresh Idempotency-Key per user action: a retried request (network) is not recorded twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * Fires a dossier command: `If-Match` with the revision the screen showed (a change by someone
 * else in between answers 412), an Idempotency-Key for a safe retry.
 */
export function dossierCommand(
  path: string,
  body: unknown,
  revision: string | null,
  key: string = idempotencyKey(),
): Promise<ApiAnswer<DossierResult>> {
  const headers: Record<string, string> = { 'Idempotency-Key': key };
  if (revision !== null) headers['If-Match'] = revision;
  return api<DossierResult>(path, { method: 'POST', body, headers });
}

export interface InboxSignal {
  signalId: string;
  title: string;
  state: string;
  themes: string[];
}

/** A signal not yet accepted as signal (still `submitted`) cannot join a dossier; the server says why for the rest. */
export function bundlable(signal: InboxSignal): boolean {
  return signal.state !== 'submitted';
}
