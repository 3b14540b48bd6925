import { EventStore, type RecordedEvent } from '../platform/event-store/event-store.port.js';
import type { Period } from './period.js';
import { DOSSIER_EVENT_TYPES } from '../dossiers/dossier.events.js';

/** Event types of the dossiers capability, owned by `src/dossiers/dossier.events.ts`. */
export { DOSSIER_EVENT_TYPES };

/**
 * What a brief shows of a dossier: its title, themes and analyses, its escalations and the
 * decisions taken. Never the summary, an escalation's motivation or the feedback to givers
 * (free text written for other readers), never a signal id or a giver.
 */
export interface DossierSummary {
  dossierId: string;
  title: string;
  themes: string[];
  createdAt: string;
  /** Member signals at the end of the period. */
  signalCount: number;
  analyses: Array<{ at: string; conclusion: string; structural: boolean; themes: string[] }>;
  escalations: Array<{ at: string; level: 'local' | 'supralocal'; body: string; memberCount: number }>;
  decisions: Array<{ at: string; decision: string; actions: string[]; memberCount: number }>;
  closed: { at: string; outcome: string } | null;
}

/** The dossiers of a tenant that were created before the end of the period and active or open in it. */
export abstract class DossierSummarySource {
  abstract summarize(tenantId: string, period: Period): Promise<DossierSummary[]>;
}

type Data = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Folds the dossier events of a tenant up to the end of the period (events at or after `to`
 * are left out, so a brief of a past period shows that period). Pure: events in, summaries out.
 */
export function foldDossiers(events: Iterable<RecordedEvent>, period: Period): DossierSummary[] {
  const dossiers = new Map<string, DossierSummary & { members: Set<string>; lastAt: string }>();
  for (const event of events) {
    const at = event.metadata.occurredAt;
    if (at >= period.to) continue;
    const data = event.data as Data;
    const dossierId = text(data['dossierId']);
    if (event.type === 'DossierCreated') {
      dossiers.set(dossierId, {
        dossierId,
        title: text(data['title']),
        themes: strings(data['themes']),
        createdAt: at,
        signalCount: 0,
        analyses: [],
        escalations: [],
        decisions: [],
        closed: null,
        members: new Set(strings(data['signalIds'])),
        lastAt: at,
      });
      continue;
    }
    const dossier = dossiers.get(dossierId);
    if (!dossier) continue;
    dossier.lastAt = at;
    switch (event.type) {
      case 'DossierSignalAdded':
        dossier.members.add(text(data['signalId']));
        break;
      case 'DossierSignalRemoved':
        dossier.members.delete(text(data['signalId']));
        break;
      case 'DossierAnalysisRecorded':
        dossier.analyses.push({
          at,
          conclusion: text(data['conclusion']),
          structural: data['structural'] === true,
          themes: strings(data['themes']),
        });
        break;
      case 'DossierEscalated':
        dossier.escalations.push({
          at,
          level: data['level'] === 'supralocal' ? 'supralocal' : 'local',
          body: text(data['body']),
          memberCount: strings(data['memberSignalIds']).length,
        });
        break;
      case 'DossierPolicyDecisionRecorded':
        dossier.decisions.push({
          at,
          decision: text(data['decision']),
          actions: strings(data['actions']),
          memberCount: strings(data['memberSignalIds']).length,
        });
        break;
      case 'DossierClosed':
        dossier.closed = { at, outcome: text(data['outcome']) };
        break;
      default:
        break;
    }
  }
  const summaries: DossierSummary[] = [];
  for (const { members, lastAt, ...dossier } of dossiers.values()) {
    // A dossier closed before the period began and untouched in it is history, not news.
    if (dossier.closed && dossier.closed.at < period.from && lastAt < period.from) continue;
    summaries.push({ ...dossier, signalCount: members.size });
  }
  return summaries;
}

/** Over the event store: the dossier events of `$all`, filtered by type, kept for the tenant. */
export class EventStoreDossierSummarySource extends DossierSummarySource {
  constructor(private readonly store: EventStore) {
    super();
  }

  async summarize(tenantId: string, period: Period): Promise<DossierSummary[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ filter: { eventTypes: DOSSIER_EVENT_TYPES } })) {
      if (event.metadata.tenantId === tenantId) events.push(event);
    }
    return foldDossiers(events, period);
  }
}
