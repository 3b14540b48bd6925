import { SIGNAL_TEXT_ERASED } from '../../../projections/index.js';
import { ERASABLE_TEXT_FIELDS, ERASED_TEXT } from '../../../workflows/signal-lifecycle/fields.js';
import { HASH_KEY } from '../../platform/event-store/hash-chain.js';
import type { JsonObject, JsonValue } from '../../platform/json.js';
import type { WorkflowLookup } from './signal-lifecycle-rules.js';
import { csvDocument } from '../../platform/csv.js';
import type { DecisionHistory, HistoryStep } from '../audit-answers.js';

export type { DecisionHistory, HistoryStep };

/** What the history reads of a stored event: a RecordedEvent fits. */
export interface HistoryEvent {
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  revision: bigint;
  position: bigint;
  recordedAt: Date;
}

export interface HistoryOptions {
  lookup: WorkflowLookup;
  /** Internal notes are for processors (and auditors), never for the signal giver. */
  internalNotes: boolean;
}

const NOT_FIELDS = new Set(['signalId', 'workflow', 'organisationId']);
const INTERNAL_NOTE = 'NoteAdded';

/**
 * A signal's decision history, folded from its stream in revision order. Pure: the same events
 * give the same history (a golden-fixture test holds it to that). An erasure anywhere in the
 * stream blanks the free text of every step, also of steps before it.
 */
export function decisionHistory(
  signalId: string,
  tenantId: string,
  events: readonly HistoryEvent[],
  options: HistoryOptions,
): DecisionHistory {
  const erased = events.some((event) => event.type === SIGNAL_TEXT_ERASED);
  // Text recorded after the last erasure is under a new data key, readable again.
  let lastErasure = -1;
  events.forEach((event, index) => {
    if (event.type === SIGNAL_TEXT_ERASED) lastErasure = index;
  });
  const steps: HistoryStep[] = [];
  let index = -1;
  let workflow: DecisionHistory['workflow'] = null;
  let state: string | null = null;
  for (const event of events) {
    index += 1;
    const claim = object(event.metadata['workflow']);
    const name = typeof claim?.['name'] === 'string' ? claim['name'] : null;
    const version = typeof claim?.['version'] === 'number' ? claim['version'] : null;
    const stepWorkflow = name !== null && version !== null ? { name, version } : null;
    workflow ??= stepWorkflow;
    const definition = stepWorkflow ? options.lookup(stepWorkflow.name, stepWorkflow.version) : undefined;
    const label = (s: string | null) =>
      s !== null && definition ? (definition.states[s]?.label ?? null) : null;

    const isCommand = claim !== null && typeof claim['command'] === 'string';
    const from: string | null = isCommand ? text(claim['from']) : state;
    const to: string | null = isCommand ? text(claim['to']) : state;
    state = to ?? state;
    if (event.type === INTERNAL_NOTE && !options.internalNotes) continue;

    const fields: JsonObject = {};
    if (event.type !== SIGNAL_TEXT_ERASED) {
      for (const [key, value] of Object.entries(event.data)) {
        if (NOT_FIELDS.has(key)) continue;
        fields[key] =
          index < lastErasure && ERASABLE_TEXT_FIELDS.has(key) && value !== null ? ERASED_TEXT : value;
      }
    } else if (typeof event.data['reason'] === 'string') {
      fields['reason'] = event.data['reason'];
    }
    const actor = object(event.metadata['actor']);
    steps.push({
      revision: Number(event.revision),
      position: event.position.toString(),
      at: text(event.metadata['occurredAt']) ?? '',
      recordedAt: event.recordedAt.toISOString(),
      event: event.type,
      command: isCommand ? (claim['command'] as string) : null,
      from,
      fromLabel: label(from),
      to,
      toLabel: label(to),
      actor: {
        id: text(actor?.['id']),
        role: text(actor?.['role']),
        organisationId: text(actor?.['organisationId']),
      },
      workflow: stepWorkflow,
      motivation: text(fields['motivation']) ?? text(fields['reason']),
      fields,
      hash: text(event.metadata[HASH_KEY]),
    });
  }
  const last = events[events.length - 1];
  return {
    signalId,
    tenantId,
    workflow,
    revision: last ? Number(last.revision) : -1,
    erased,
    steps,
  };
}

export const HISTORY_CSV_COLUMNS = [
  'revision',
  'at',
  'recordedAt',
  'event',
  'command',
  'from',
  'to',
  'actorId',
  'actorRole',
  'actorOrganisation',
  'workflowName',
  'workflowVersion',
  'motivation',
  'fields',
  'hash',
] as const;

/**
 * The history as CSV (RFC 4180: comma separated, CRLF line ends, a field quoted when it holds a
 * comma, quote or line break, quotes doubled), one row per step, the fields as JSON. A cell that
 * a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) gets a
 * leading apostrophe. Starts with a byte order mark so that spreadsheets read it as UTF-8.
 */
export function historyCsv(history: DecisionHistory): string {
  const rows = history.steps.map((step) => [
    String(step.revision),
    step.at,
    step.recordedAt,
    step.event,
    step.command ?? '',
    step.from ?? '',
    step.to ?? '',
    step.actor.id ?? '',
    step.actor.role ?? '',
    step.actor.organisationId ?? '',
    step.workflow?.name ?? '',
    step.workflow ? String(step.workflow.version) : '',
    step.motivation ?? '',
    JSON.stringify(step.fields),
    step.hash ?? '',
  ]);
  return csvDocument(HISTORY_CSV_COLUMNS, rows);
}

function object(value: JsonValue | undefined): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}
