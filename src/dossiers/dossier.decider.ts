import type { Role } from '../../workflows/roles.js';
import type { EventMetadata } from '../platform/event-store/event-store.port.js';
import type { JsonObject } from '../platform/json.js';
import { DossierDomainError } from './dossier.errors.js';
import type {
  DossierCreatedData,
  DossierEscalatedData,
  DossierEventType,
  DossierFactsMetadata,
  DossierPolicyDecisionRecordedData,
  EscalationLevel,
} from './dossier.events.js';

/** The phases of a dossier: bundelen → analyseren → rapporteren (escalated) → beslissing → afgesloten. */
export type DossierPhase = 'open' | 'analysed' | 'escalated' | 'decided' | 'closed';

export const DOSSIER_PHASE_LABELS: Record<DossierPhase, string> = {
  open: 'Bundelen',
  analysed: 'Geanalyseerd',
  escalated: 'Geagendeerd bij beleid',
  decided: 'Beleidsbeslissing genomen',
  closed: 'Afgesloten',
};

export const DOSSIER_PHASES = Object.keys(DOSSIER_PHASE_LABELS) as DossierPhase[];

export type DossierState =
  | { status: 'none' }
  | {
      status: 'exists';
      dossierId: string;
      tenantId: string;
      title: string;
      phase: DossierPhase;
      /** Member signal ids, in the order they joined. */
      members: string[];
    };

export type ExistingDossier = Extract<DossierState, { status: 'exists' }>;

export type DossierCommand =
  | {
      name: 'create';
      dossierId: string;
      title: string;
      summary: string;
      themes: string[];
      signalIds: string[];
    }
  | { name: 'add-signal'; dossierId: string; signalId: string }
  | { name: 'remove-signal'; dossierId: string; signalId: string; reason: string }
  | { name: 'record-analysis'; dossierId: string; conclusion: string; structural: boolean; themes: string[] }
  | { name: 'escalate'; dossierId: string; level: EscalationLevel; body: string; motivation: string }
  | {
      name: 'record-policy-decision';
      dossierId: string;
      decision: string;
      actions: string[];
      feedback: string;
    }
  | { name: 'close'; dossierId: string; outcome: string };

export type DossierCommandName = DossierCommand['name'];

export interface DossierActor {
  id: string;
  tenantId: string;
  roles: readonly Role[];
  organisationId?: string | undefined;
}

/**
 * What the handler read of a signal a command would make a member: its lifecycle state (from its
 * own stream, within the actor's tenant) and the open dossier that holds it, if any.
 */
export type CandidateSignal =
  | { exists: false }
  | { exists: true; state: string; previousState: string | null; openDossierId: string | null };

export interface DossierDecideContext {
  actor: DossierActor;
  now: Date;
  /** For create and add-signal: every signal the command names. */
  candidates?: ReadonlyMap<string, CandidateSignal>;
}

export interface DecidedDossierEvent {
  type: DossierEventType;
  data: JsonObject & { dossierId: string };
  metadata: Pick<EventMetadata, 'tenantId' | 'actor' | 'occurredAt'> & { dossier: DossierFactsMetadata };
}

export interface DossierEvolvable {
  type: string;
  data: JsonObject;
  metadata: Pick<EventMetadata, 'tenantId'>;
}

/** Most member signals of one dossier: a bundle is tens of signals, the fan-out writes to each. */
export const MAX_MEMBERS = 500;

/** Which phases a command may be fired in, and where it leads. Only lead processors bundle (DOMAIN.md). */
export const DOSSIER_COMMANDS: Record<
  DossierCommandName,
  { from: readonly DossierPhase[]; to: DossierPhase | 'same'; event: DossierEventType; label: string }
> = {
  create: { from: [], to: 'open', event: 'DossierCreated', label: 'Dossier aanmaken' },
  'add-signal': {
    from: ['open', 'analysed'],
    to: 'same',
    event: 'DossierSignalAdded',
    label: 'Signaal toevoegen',
  },
  'remove-signal': {
    from: ['open', 'analysed'],
    to: 'same',
    event: 'DossierSignalRemoved',
    label: 'Signaal verwijderen',
  },
  'record-analysis': {
    from: ['open', 'analysed'],
    to: 'analysed',
    event: 'DossierAnalysisRecorded',
    label: 'Analyse vastleggen',
  },
  escalate: {
    from: ['analysed', 'escalated', 'decided'],
    to: 'escalated',
    event: 'DossierEscalated',
    label: 'Agenderen bij beleid',
  },
  'record-policy-decision': {
    from: ['escalated', 'decided'],
    to: 'decided',
    event: 'DossierPolicyDecisionRecorded',
    label: 'Beleidsbeslissing vastleggen',
  },
  close: {
    from: ['open', 'analysed', 'escalated', 'decided'],
    to: 'closed',
    event: 'DossierClosed',
    label: 'Dossier afsluiten',
  },
};

const DOSSIER_ROLES: readonly Role[] = ['lead-processor'];

export const initialDossierState: DossierState = { status: 'none' };

const PHASE_AFTER: Partial<Record<DossierEventType, DossierPhase>> = {
  DossierCreated: 'open',
  DossierAnalysisRecorded: 'analysed',
  DossierEscalated: 'escalated',
  DossierPolicyDecisionRecorded: 'decided',
  DossierClosed: 'closed',
};

export function evolveDossier(state: DossierState, event: DossierEvolvable): DossierState {
  if (state.status === 'none') {
    if (event.type !== 'DossierCreated') return state;
    const data = event.data as DossierCreatedData;
    return {
      status: 'exists',
      dossierId: data.dossierId,
      tenantId: event.metadata.tenantId,
      title: data.title,
      phase: 'open',
      members: [...data.signalIds],
    };
  }
  const signalId = typeof event.data['signalId'] === 'string' ? event.data['signalId'] : null;
  switch (event.type) {
    case 'DossierSignalAdded':
      return signalId === null || state.members.includes(signalId)
        ? state
        : { ...state, members: [...state.members, signalId] };
    case 'DossierSignalRemoved':
      return { ...state, members: state.members.filter((id) => id !== signalId) };
    default: {
      const phase = PHASE_AFTER[event.type as DossierEventType];
      return phase ? { ...state, phase } : state;
    }
  }
}

/**
 * The dossier decider: pure. The handler reads the dossier's stream and the candidate member
 * signals; `now` and the actor come in as inputs. Rules (DOMAIN.md, "Bundling and escalation"):
 * - only the lead processor bundles, escalates, decides and closes; every command is theirs;
 * - members are signals of the dossier's own tenant that were accepted as signals: not
 *   `submitted` (nor waiting for information before triage), not `rejected`, not `merged`;
 * - a signal is in at most one open (not closed) dossier at a time;
 * - membership is fixed once the dossier is escalated, so that every member received the
 *   escalation it is decided on; a dossier keeps at least one member;
 * - escalation needs an analysis; a policy decision needs an escalation; closing ends it.
 */
export function decideDossier(
  command: DossierCommand,
  state: DossierState,
  context: DossierDecideContext,
): DecidedDossierEvent[] {
  const { actor } = context;
  const spec = DOSSIER_COMMANDS[command.name];
  const role = DOSSIER_ROLES.find((allowed) => actor.roles.includes(allowed));
  if (role === undefined) {
    throw new DossierDomainError('ROLE_NOT_ALLOWED', 'Alleen de hoofdsignaalverwerker beheert dossiers.', {
      command: command.name,
      rolesAllowed: DOSSIER_ROLES,
    });
  }
  if (state.status === 'none' || state.tenantId !== actor.tenantId) {
    if (command.name !== 'create' || state.status === 'exists') throw notFound(command.dossierId);
  } else if (command.name === 'create') {
    throw new DossierDomainError('DOSSIER_ALREADY_EXISTS', 'Dit dossier bestaat al.', {
      dossierId: command.dossierId,
    });
  } else if (!spec.from.includes(state.phase)) {
    throw new DossierDomainError(
      'TRANSITION_NOT_ALLOWED',
      `'${spec.label}' kan niet in de fase '${DOSSIER_PHASE_LABELS[state.phase]}'.${
        command.name === 'add-signal' || command.name === 'remove-signal'
          ? ' Na het agenderen liggen de signalen van een dossier vast.'
          : ''
      }`,
      { command: command.name, phase: state.phase, allowedFrom: spec.from },
    );
  }
  const existing = state.status === 'exists' ? state : null;
  const from = existing?.phase ?? null;
  const to = spec.to === 'same' ? (existing?.phase ?? 'open') : spec.to;
  const emit = (data: JsonObject, title = existing?.title ?? ''): DecidedDossierEvent[] => [
    {
      type: spec.event,
      data: { dossierId: command.dossierId, ...data },
      metadata: {
        tenantId: actor.tenantId,
        actor: {
          id: actor.id,
          role,
          ...(actor.organisationId ? { organisationId: actor.organisationId } : {}),
        },
        occurredAt: context.now.toISOString(),
        dossier: { title, command: command.name, from, to },
      },
    },
  ];

  switch (command.name) {
    case 'create': {
      const signalIds = distinct(command.signalIds, 'signalIds');
      if (signalIds.length === 0) {
        throw new DossierDomainError('FIELD_INVALID', 'Een dossier bundelt minstens één signaal.', {
          field: 'signalIds',
        });
      }
      if (signalIds.length > MAX_MEMBERS) throw tooLarge();
      for (const signalId of signalIds) checkCandidate(signalId, command.dossierId, context);
      const data: DossierCreatedData = {
        dossierId: command.dossierId,
        title: command.title,
        summary: command.summary,
        themes: distinct(command.themes, 'themes'),
        signalIds,
      };
      return emit(data, command.title);
    }
    case 'add-signal': {
      const members = existing!.members;
      if (members.includes(command.signalId)) {
        throw new DossierDomainError('SIGNAL_ALREADY_IN_DOSSIER', 'Dit signaal zit al in het dossier.', {
          signalId: command.signalId,
        });
      }
      if (members.length >= MAX_MEMBERS) throw tooLarge();
      checkCandidate(command.signalId, command.dossierId, context);
      return emit({ signalId: command.signalId });
    }
    case 'remove-signal': {
      const members = existing!.members;
      if (!members.includes(command.signalId)) {
        throw new DossierDomainError('SIGNAL_NOT_IN_DOSSIER', 'Dit signaal zit niet in het dossier.', {
          signalId: command.signalId,
        });
      }
      if (members.length === 1) {
        throw new DossierDomainError(
          'DOSSIER_WOULD_BE_EMPTY',
          'Dit is het laatste signaal van het dossier. Sluit het dossier af in plaats van het leeg te maken.',
          { signalId: command.signalId },
        );
      }
      return emit({ signalId: command.signalId, reason: command.reason });
    }
    case 'record-analysis':
      return emit({
        conclusion: command.conclusion,
        structural: command.structural,
        themes: distinct(command.themes, 'themes'),
      });
    case 'escalate': {
      const data: Omit<DossierEscalatedData, 'dossierId'> = {
        level: command.level,
        body: command.body,
        motivation: command.motivation,
        memberSignalIds: [...existing!.members],
      };
      return emit(data);
    }
    case 'record-policy-decision': {
      const data: Omit<DossierPolicyDecisionRecordedData, 'dossierId'> = {
        decision: command.decision,
        actions: [...command.actions],
        feedback: command.feedback,
        memberSignalIds: [...existing!.members],
      };
      return emit(data);
    }
    case 'close':
      return emit({ outcome: command.outcome });
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/** The commands the actor may fire on the dossier now: what a UI shows as buttons. */
export function allowedDossierCommands(state: DossierState, actor: DossierActor): DossierCommandName[] {
  if (!DOSSIER_ROLES.some((role) => actor.roles.includes(role))) return [];
  if (state.status === 'none') return ['create'];
  return (Object.keys(DOSSIER_COMMANDS) as DossierCommandName[]).filter((name) => {
    if (!DOSSIER_COMMANDS[name].from.includes(state.phase)) return false;
    if (name === 'remove-signal') return state.members.length > 1;
    return true;
  });
}

/** Why a signal cannot be bundled, or null when it can (the lifecycle states of signal-lifecycle). */
export function unbundlableReason(
  signal: CandidateSignal,
): 'not-found' | 'not-triaged' | 'rejected' | 'merged' | null {
  if (!signal.exists) return 'not-found';
  if (signal.state === 'rejected') return 'rejected';
  if (signal.state === 'merged') return 'merged';
  if (
    signal.state === 'submitted' ||
    (signal.state === 'awaiting-info' && signal.previousState === 'submitted')
  )
    return 'not-triaged';
  return null;
}

const UNBUNDLABLE_MESSAGES = {
  'not-found': 'Dit signaal bestaat niet in je gemeente.',
  'not-triaged': 'Dit signaal is nog niet aanvaard als signaal: beoordeel het eerst.',
  rejected: 'Dit signaal werd niet aanvaard en kan niet gebundeld worden.',
  merged: 'Dit signaal werd samengevoegd met een ander signaal: bundel dat signaal.',
} as const;

function checkCandidate(signalId: string, dossierId: string, context: DossierDecideContext): void {
  const candidate = context.candidates?.get(signalId) ?? { exists: false };
  const reason = unbundlableReason(candidate);
  if (reason !== null) {
    throw new DossierDomainError('SIGNAL_NOT_BUNDLABLE', UNBUNDLABLE_MESSAGES[reason], { signalId, reason });
  }
  if (candidate.exists && candidate.openDossierId !== null && candidate.openDossierId !== dossierId) {
    throw new DossierDomainError(
      'SIGNAL_IN_OTHER_DOSSIER',
      'Dit signaal zit al in een ander open dossier. Haal het daar eerst uit.',
      { signalId, dossierId: candidate.openDossierId },
    );
  }
}

function distinct(values: readonly string[], field: string): string[] {
  const unique = [...new Set(values)];
  if (unique.length !== values.length) {
    throw new DossierDomainError('FIELD_INVALID', `Het veld '${field}' bevat een waarde twee keer.`, {
      field,
    });
  }
  return unique;
}

function tooLarge(): DossierDomainError {
  return new DossierDomainError(
    'DOSSIER_TOO_LARGE',
    `Een dossier bundelt hoogstens ${MAX_MEMBERS} signalen.`,
    { max: MAX_MEMBERS },
  );
}

function notFound(dossierId: string): DossierDomainError {
  return new DossierDomainError(
    'DOSSIER_NOT_FOUND',
    'Dit dossier bestaat niet of je hebt er geen toegang toe.',
    {
      dossierId,
    },
  );
}
