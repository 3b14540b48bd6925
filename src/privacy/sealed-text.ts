import { ERASABLE_TEXT_FIELDS } from '../../workflows/signal-lifecycle/fields.js';
import { signalStream } from '../signals/signal.events.js';

/**
 * Opens the free text the read models keep sealed. The projections read the events as stored, so
 * a read model holds a signal's erasable text (its title, its description) as the event store
 * does: encrypted under the signal's data key. A query opens what it serves, so a read store (or a
 * copy of it) holds no personal text that outlives its key; text whose key this process destroyed
 * reads "[gewist]" at once, before the projections have applied the erasure.
 */
export abstract class SealedText {
  /**
   * The plaintext of `value` as a read model keeps it, sealed in `stream`'s `field` (plain text
   * passes unchanged); "[gewist]" when its key was destroyed. Throws FieldCipherError when the
   * ciphertext does not belong to that stream and field or was changed.
   */
  abstract openText(stream: string, field: string, value: string): Promise<string>;
}

/** For stores that keep text as it was written: nothing is sealed. */
export const PLAIN_TEXT: SealedText = { openText: (_stream, _field, value) => Promise.resolve(value) };

/** A copy of a signal's read-model document with its erasable text (or only `fields`) opened. */
export async function openSignalText<D extends { tenantId: string; signalId: string }>(
  sealed: SealedText,
  document: D,
  fields: Iterable<string> = ERASABLE_TEXT_FIELDS,
): Promise<D> {
  let opened: Record<string, unknown> | null = null;
  for (const field of fields) {
    const value = (document as Record<string, unknown>)[field];
    if (typeof value !== 'string') continue;
    opened ??= { ...document };
    opened[field] = await sealed.openText(signalStream(document.tenantId, document.signalId), field, value);
  }
  return (opened as D | null) ?? document;
}

/** Every document of a page opened (see openSignalText), in order. */
export function openSignalTexts<D extends { tenantId: string; signalId: string }>(
  sealed: SealedText,
  documents: readonly D[],
): Promise<D[]> {
  return Promise.all(documents.map((document) => openSignalText(sealed, document)));
}
