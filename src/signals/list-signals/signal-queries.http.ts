import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  signalDetailOf,
  signalTimeline,
  type SignalDetail,
  type SignalDetailDocument,
  type SignalDossier,
  type SignalInboxDocument,
} from '../../../projections/index.js';
import { getWorkflow } from '../../../workflows/registry.js';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/decorators.js';
import { correlationIdOf } from '../../platform/http/correlation.js';
import type { SignalAsOfView } from '../../audit/core/signal-as-of.js';
import { SignalAuditReader } from '../../audit/signal-audit-reader.js';
import { CLOCK, type Clock } from '../../platform/clock.js';
import { EventStore, type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { ApiError } from '../../platform/http/api-error.js';
import { refuseUnknownParams } from '../../platform/http/query-params.js';
import { isUuid } from '../../platform/ids.js';
import { ReadModels } from '../../read-models/read-models.js';
import { openSignalText, openSignalTexts, SealedText } from '../../privacy/sealed-text.js';
import { isInScope, type ExistingSignal } from '../signal.decider.js';
import { signalStream } from '../signal.events.js';
import { currentSignalWorkflow, signalDecider } from '../signal.repository.js';
import type { SignalDetailAnswer, SignalPage } from '../signal-answers.js';
import { inboxQuery, position } from './inbox-query.js';

const SIGNAL_ROLES: ReadonlySet<string> = new Set([
  'signal-giver',
  'lead-processor',
  'processor',
  'partner-processor',
]);

/** Reads of signals, served by the read models; `minPosition` (a command's `position`) gives read-your-writes. */
@Controller('signals')
@Roles('signal-giver', 'lead-processor', 'processor', 'partner-processor')
export class SignalQueriesController {
  constructor(
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SignalAuditReader) private readonly auditReader: SignalAuditReader,
    @Inject(SealedText) private readonly sealed: SealedText,
  ) {}

  @Get()
  async inbox(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignalPage> {
    const now = this.clock.now();
    const { query, minPosition } = inboxQuery(params, actor, now);
    await this.freshness(minPosition ?? position(minPositionHeader), response);
    const result = await this.readModels.list<SignalInboxDocument>('signal-inbox', query);
    const items = await openSignalTexts(this.sealed, result.items);
    return {
      items: items.map((item) => ({
        ...withoutScope(item),
        overdue: item.open && item.dueAt !== null && item.dueAt < now.toISOString(),
      })),
      total: result.total,
      hasMore: result.hasMore,
      limit: query.limit,
      offset: query.offset ?? 0,
    };
  }

  /**
   * The signal now, from the read models; with `asOf` (a revision or an instant) the signal as it
   * stood then, replayed from its stream and recorded as an audit read. An auditor reads only so.
   */
  @Get(':id')
  @Roles('signal-giver', 'lead-processor', 'processor', 'partner-processor', 'auditor')
  async detail(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() params: Record<string, unknown>,
    @Query('minPosition') minPositionParam: string | undefined,
    @Query('asOf') asOf: unknown,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Headers('x-correlation-id') correlation: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignalDetailAnswer | SignalAsOfView> {
    // Only the names: a repeated asOf is the audit reader's INVALID_AS_OF.
    refuseUnknownParams(params, ['minPosition', 'asOf']);
    if (asOf !== undefined) {
      response.setHeader('Cache-Control', 'no-store');
      return this.auditReader.asOf(actor, id, asOf, correlationIdOf(correlation));
    }
    if (!actor.roles.some((role) => SIGNAL_ROLES.has(role))) {
      throw new ApiError(
        403,
        'ROLE_NOT_ALLOWED',
        'Als auditor lees je een signaal zoals het toen was (?asOf=) of zijn geschiedenis (/history).',
      );
    }
    if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige signaal-id.');
    await this.freshness(position(minPositionParam ?? minPositionHeader), response);
    const key = `${actor.tenantId}:${id}`;
    const [summary, more] = await Promise.all([
      this.readModels.get<SignalInboxDocument>('signal-inbox', key),
      this.readModels.get<SignalDetailDocument>('signal-detail', key),
    ]);
    const stored = summary ? signalDetailOf(summary, more) : null;
    const signal = stored ? asSignalState(stored) : null;
    if (!stored || !signal || !actor.roles.some((role) => isInScope(role, actor, signal))) {
      throw new ApiError(404, 'SIGNAL_NOT_FOUND', 'Dit signaal bestaat niet of je hebt er geen toegang toe.');
    }
    const doc = await openSignalText(this.sealed, stored);
    doc.dossier = await openDossierFeedback(this.sealed, doc);
    response.setHeader('ETag', `"${doc.revision}"`);
    const definition = getWorkflow(doc.workflow.name, doc.workflow.version);
    const processorView = actor.roles.some((role) => role !== 'signal-giver');
    const timeline = signalTimeline(await this.history(doc));
    return {
      ...withoutScope(doc),
      stateLabel: definition.states[doc.state]?.label ?? doc.state,
      overdue: doc.open && doc.dueAt !== null && doc.dueAt < this.clock.now().toISOString(),
      // Internal notes are for processors, not for the signal giver.
      timeline: processorView ? timeline : timeline.filter((entry) => entry.type !== 'NoteAdded'),
      allowedCommands: signalDecider
        .allowedCommands(signal, actor, currentSignalWorkflow())
        .map(({ name, spec }) => ({ name, label: spec.label, path: `/signals/${id}/${name}` })),
    };
  }

  /** The signal's events up to the revision its document shows, so that both tell the same story. */
  private async history(doc: SignalDetail): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const stream = this.store.readStream(signalStream(doc.tenantId, doc.signalId), {
      limit: doc.revision + 1,
    });
    for await (const event of stream) events.push(event);
    return events;
  }

  private async freshness(minPosition: bigint | undefined, response: Response): Promise<void> {
    const fresh = await this.readModels.reach(minPosition);
    if (!fresh) response.setHeader('X-Read-Model-Stale', 'true');
  }
}

/**
 * The dossier's escalations and decisions as the fan-out recorded them on the signal's stream,
 * sealed under the signal's key like its own text: opened ("[gewist]" once that key is destroyed).
 */
async function openDossierFeedback(sealed: SealedText, doc: SignalDetail): Promise<SignalDossier | null> {
  const dossier = doc.dossier;
  if (dossier === null) return null;
  const stream = signalStream(doc.tenantId, doc.signalId);
  const open = (field: string, value: string) => sealed.openText(stream, field, value);
  const [escalations, decisions] = await Promise.all([
    Promise.all(
      dossier.escalations.map(async (entry) => ({
        ...entry,
        motivation: await open('motivation', entry.motivation),
      })),
    ),
    Promise.all(
      dossier.decisions.map(async (entry) => ({
        ...entry,
        decision: await open('decision', entry.decision),
        feedback: await open('feedback', entry.feedback),
      })),
    ),
  ]);
  return { ...dossier, escalations, decisions };
}

function withoutScope<D extends { scopeKeys?: unknown }>(doc: D): Omit<D, 'scopeKeys'> {
  const { scopeKeys: _scopeKeys, ...rest } = doc;
  return rest;
}

/** The decider's view of a signal, rebuilt from its read model, for scope and allowed commands. */
function asSignalState(doc: SignalDetail): ExistingSignal {
  return {
    status: 'exists',
    signalId: doc.signalId,
    tenantId: doc.tenantId,
    workflow: doc.workflow,
    state: doc.state,
    previousState: null,
    givenBy: doc.givenBy,
    organisationId: doc.organisationId,
    mergedInto: doc.mergedInto,
    submittedAt: doc.submittedAt,
    stateEnteredAt: doc.stateEnteredAt,
    attributes: {
      title: doc.title,
      description: doc.description,
      themes: doc.themes,
      targetGroups: doc.targetGroups,
      area: doc.area,
      areaType: doc.areaType ?? null, // null in documents of before area types
      estimatedPeopleAffected: doc.estimatedPeopleAffected,
      urgency: doc.urgency,
      structural: doc.structural,
      assigneeId: doc.assigneeId,
      policyDomain: doc.policyDomain,
    },
  };
}
