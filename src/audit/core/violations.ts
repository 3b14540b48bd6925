/**
 * What the verifier can find, per stream and revision:
 * - `hash-missing`: the event carries no chain link (written around the store);
 * - `hash-mismatch`: its content (type, data, metadata) no longer gives its recorded hash: edited;
 * - `chain-broken`: its recorded previous hash is not the hash of the event before it: an event
 *   before it was replaced with one sealed anew;
 * - `missing-event`: revisions are missing before this one: deleted;
 * - `out-of-order`: the event is stored before an earlier revision of its stream, or holds the
 *   sealed content of another revision: events were swapped or moved;
 * - `illegal-transition`: the definition version it claims did not allow it (state, role, target,
 *   version pinned at submission, tenant);
 * - `unknown-workflow`: it claims a workflow definition this build does not know.
 * Rules that span streams, checked in global order (cross-stream-rules.ts), at the event that breaks them:
 * - `merge-into-self`: a signal merged into itself;
 * - `merge-target-missing`: merged into an id that was no signal of the tenant at that moment;
 * - `merge-target-ineligible`: merged into a signal that was itself merged or rejected then;
 * - `merge-cycle`: the merge closes a cycle of merges (a → b → … → a);
 * - `dossier-member-missing`: a dossier member that was no signal of the dossier's tenant then;
 * - `dossier-member-ineligible`: a member that joined while not accepted, rejected or merged;
 * - `dossier-member-in-other-dossier`: a member that joined while in another open dossier;
 * - `dossier-reference-missing`: a fan-out event on a signal naming a dossier of its tenant
 *   that does not exist or does not hold the signal.
 */
export const VIOLATION_KINDS = [
  'hash-missing',
  'hash-mismatch',
  'chain-broken',
  'missing-event',
  'out-of-order',
  'illegal-transition',
  'unknown-workflow',
  'merge-into-self',
  'merge-target-missing',
  'merge-target-ineligible',
  'merge-cycle',
  'dossier-member-missing',
  'dossier-member-ineligible',
  'dossier-member-in-other-dossier',
  'dossier-reference-missing',
] as const;

export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface Violation {
  stream: string;
  /** The revision concerned; for `missing-event` the first missing one. */
  revision: number;
  /** Global position of the event concerned, as a string; null for a missing event. */
  position: string | null;
  kind: ViolationKind;
  /** English, for the operator: what exactly does not hold. */
  detail: string;
}
