import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonValue } from '../../src/platform/json.js';
import type { Submitted, Transitioned } from './signal-event.js';
import { ProjectionEventError } from './projection-error.js';
import { LastRead } from './last-read.js';
import { isUnsafeKey } from './records.js';

/** What a signal is about and who gave it: all a cross-tenant count needs of it. */
export interface Classification {
  themes: readonly string[];
  targetGroups: readonly string[];
  /** The area type code (deelgemeente, wijk, hele-gemeente), or null when none was given. */
  areaType: string | null;
  givenBy: string;
  organisationId: string | null;
}

/** A lifecycle event's classification of the signal, before (null on submission) and after it. */
export interface ClassificationChange {
  before: Classification | null;
  after: Classification;
}

/** The last event's classification (LastRead): every read model that counts it reads it once. */
const memo = new LastRead<RecordedEvent, ClassificationChange | null>();

/**
 * Reads the classification before an event from `metadata.workflow.classificationBefore` (filled
 * by the decider) and applies the event's own themes / target groups to it. Returns null for a
 * lifecycle event recorded before the decider filled it: such an event cannot be placed.
 */
export function readClassification(view: Submitted | Transitioned): ClassificationChange | null {
  return memo.of(view.event, () => readUncached(view));
}

function readUncached(view: Submitted | Transitioned): ClassificationChange | null {
  const { event, attributes } = view;
  const fail = (reason: string): never => {
    throw new ProjectionEventError(event, reason);
  };
  if (view.kind === 'submitted') {
    return {
      before: null,
      after: {
        themes: distinct(attributes.themes ?? []),
        targetGroups: distinct(attributes.targetGroups ?? []),
        areaType: attributes.areaType ?? null,
        givenBy: view.actor.id,
        organisationId: view.organisationId,
      },
    };
  }
  const workflow = event.metadata['workflow'] as Record<string, JsonValue> | undefined;
  const raw = workflow?.['classificationBefore'];
  if (raw === undefined) return null;
  if (!isRecord(raw)) return fail('metadata.workflow.classificationBefore must be an object on this event');
  const { themes, targetGroups, givenBy, organisationId } = raw;
  // Absent on events recorded before area types existed: their signals had none.
  const areaType = raw['areaType'] ?? null;
  if (areaType !== null && !isAreaCode(areaType))
    fail('metadata.workflow.classificationBefore.areaType must be a code or null');
  if (!isCodeList(themes) || !isCodeList(targetGroups))
    fail('metadata.workflow.classificationBefore needs themes and targetGroups as lists of codes');
  if (typeof givenBy !== 'string' || givenBy === '')
    fail('metadata.workflow.classificationBefore.givenBy is missing');
  if (organisationId !== null && typeof organisationId !== 'string')
    fail('metadata.workflow.classificationBefore.organisationId must be text or null');
  const before: Classification = {
    themes: distinct(themes as string[]),
    targetGroups: distinct(targetGroups as string[]),
    areaType: areaType as string | null,
    givenBy: givenBy as string,
    organisationId: organisationId as string | null,
  };
  return {
    before,
    after: {
      themes: attributes.themes === undefined ? before.themes : distinct(attributes.themes),
      targetGroups:
        attributes.targetGroups === undefined ? before.targetGroups : distinct(attributes.targetGroups),
      areaType: attributes.areaType === undefined ? before.areaType : attributes.areaType,
      givenBy: before.givenBy,
      organisationId: before.organisationId,
    },
  };
}

/**
 * The codes sorted (as Array.prototype.sort orders text), each once. Lists of a few codes, read for
 * nearly every event: inserted one by one into a sorted copy rather than through a Set and sort()
 * (whose work arrays cost more than the list).
 */
function distinct(codes: readonly string[]): readonly string[] {
  if (codes.length < 2) return codes;
  if (codes.length > 16) return [...new Set(codes)].sort();
  const sorted: string[] = [];
  for (const code of codes) {
    let at = sorted.length;
    while (at > 0 && sorted[at - 1]! > code) at--;
    if (at > 0 && sorted[at - 1] === code) continue;
    sorted.splice(at, 0, code);
  }
  return sorted;
}

function isRecord(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCodeList(value: JsonValue | undefined): boolean {
  return (
    Array.isArray(value) &&
    value.every((code) => typeof code === 'string' && code !== '' && !isUnsafeKey(code))
  );
}

function isAreaCode(value: JsonValue): boolean {
  return typeof value === 'string' && value !== '' && !isUnsafeKey(value);
}
