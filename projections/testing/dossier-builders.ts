import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import { dossierStream } from '../../src/dossiers/dossier.events.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { LEAD, nextPosition, T0, type ActorRef } from './builders.js';

export interface DossierEventOptions {
  tenantId?: string;
  at?: string;
  by?: ActorRef;
  /** metadata.dossier: the title and the phase after the event. */
  title?: string;
  to?: string;
}

/**
 * Events of one dossier as the dossier decider records them (data per the dossier contract,
 * metadata.dossier with the title and phases), each at the next revision of its stream.
 */
export class DossierHistory {
  readonly events: RecordedEvent[] = [];
  private revision = -1;
  private phase: string | null = null;

  constructor(
    readonly tenantId: string,
    readonly dossierId: string,
    private title: string,
  ) {}

  record(type: string, data: JsonObject, options: DossierEventOptions & { to?: string } = {}): this {
    const to = options.to ?? this.phase ?? 'open';
    this.revision += 1;
    const position = nextPosition();
    this.events.push({
      id: `event-${position}`,
      type,
      data: { dossierId: this.dossierId, ...data },
      metadata: {
        tenantId: this.tenantId,
        actor: { id: (options.by ?? LEAD).id, role: (options.by ?? LEAD).role },
        correlationId: `correlation-${position}`,
        causationId: `correlation-${position}`,
        occurredAt: options.at ?? T0,
        dossier: { title: options.title ?? this.title, command: type, from: this.phase, to },
      },
      stream: dossierStream(this.tenantId, this.dossierId),
      revision: BigInt(this.revision),
      position,
      recordedAt: new Date(options.at ?? T0),
    });
    this.phase = to;
    return this;
  }

  created(signalIds: string[], options: DossierEventOptions = {}): this {
    return this.record(
      'DossierCreated',
      {
        title: this.title,
        summary: 'Signalen over betaalbare huurwoningen voor grote gezinnen.',
        themes: ['wonen'],
        signalIds,
      },
      { ...options, to: 'open' },
    );
  }
}

export function aDossierHistory(
  dossierId = 'd1',
  tenantId = 'gent',
  title = 'Betaalbaar wonen voor grote gezinnen',
): DossierHistory {
  return new DossierHistory(tenantId, dossierId, title);
}

/**
 * An event of the dossier fan-out on a member signal's stream, at the revision given, as the
 * signal decider records the system command (in `state`, triaged by default, which it keeps).
 */
export function aFanOutEvent(
  type: 'SignalDossierEscalated' | 'SignalDossierDecisionRecorded',
  data: JsonObject & { signalId: string; dossierId: string },
  options: { tenantId?: string; revision: number; at?: string; state?: string },
): RecordedEvent {
  const tenantId = options.tenantId ?? 'gent';
  const position = nextPosition();
  const state = options.state ?? 'triaged';
  const at = options.at ?? T0;
  return {
    id: `event-${position}`,
    type,
    data,
    metadata: {
      tenantId,
      actor: { id: 'system', role: 'system' },
      correlationId: `correlation-${position}`,
      causationId: `correlation-${position}`,
      occurredAt: at,
      workflow: {
        name: 'signal-lifecycle',
        version: 1,
        command: type === 'SignalDossierEscalated' ? 'record-dossier-escalation' : 'record-dossier-decision',
        from: state,
        to: state,
        submittedAt: at,
        fromEnteredAt: at,
        assignmentBefore: { assigneeId: null, policyDomain: null },
      },
    },
    stream: signalStream(tenantId, data.signalId),
    revision: BigInt(options.revision),
    position,
    recordedAt: new Date(options.at ?? T0),
  };
}

/** Events of several histories in global order. */
export function inOrder(...events: RecordedEvent[]): RecordedEvent[] {
  return [...events].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}
