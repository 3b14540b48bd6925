import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import type { TimelineEntry } from '../../src/signals/signal-answers.js';
import {
  ERASABLE_TEXT_FIELDS,
  ERASED_TEXT,
  readSignalEvent,
  type SignalEventView,
} from '../shared/signal-event.js';

export type { TimelineEntry };

/**
 * A signal's history from its own stream, oldest first: who did what, when, from which state to
 * which, with the fields recorded. An erasure blanks the free text recorded before it (text
 * recorded after it is new and shown). Events the read models refuse (and park) are left out, so
 * the timeline agrees with the signal's document.
 */
export function signalTimeline(events: Iterable<RecordedEvent>): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  let state: string | null = null;
  for (const event of events) {
    let view: SignalEventView;
    try {
      view = readSignalEvent(event);
    } catch {
      continue;
    }
    if (view.kind === 'erased') {
      if (state === null) continue;
      for (const entry of timeline) {
        for (const field in entry.fields) {
          if (ERASABLE_TEXT_FIELDS.has(field) && entry.fields[field] !== null)
            entry.fields[field] = ERASED_TEXT;
        }
      }
      timeline.push(entryOf(view, null, state, state, {}));
      continue;
    }
    const { command, from, to } = view.transition;
    if (from !== state) continue;
    state = to;
    timeline.push(entryOf(view, command, from, to, Object.assign({}, view.fields)));
  }
  return timeline;
}

function entryOf(
  view: SignalEventView,
  command: string | null,
  from: string | null,
  to: string,
  fields: JsonObject,
): TimelineEntry {
  return {
    position: view.event.position.toString(),
    revision: Number(view.event.revision),
    type: view.event.type,
    at: view.at,
    actor: view.actor,
    command,
    from,
    to,
    fields,
  };
}
