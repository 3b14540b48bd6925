import type { DossierCommandResult } from '../../../dossiers/dossier-answers';
import type { SignalListItem } from '../../../signals/signal-answers';
import { api, type ApiAnswer } from '../../api/client';

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
): Promise<ApiAnswer<DossierCommandResult>> {
  const headers: Record<string, string> = { 'Idempotency-Key': key };
  if (revision !== null) headers['If-Match'] = revision;
  return api<DossierCommandResult>(path, { method: 'POST', body, headers });
}

/** What the dossier screens read of a signal in the inbox. */
export type InboxSignal = Pick<SignalListItem, 'signalId' | 'title' | 'state' | 'themes'>;

/** A signal not yet accepted as signal (still `submitted`) cannot join a dossier; the server says why for the rest. */
export function bundlable(signal: InboxSignal): boolean {
  return signal.state !== 'submitted';
}
