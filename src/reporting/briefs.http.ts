import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { ApiError } from '../platform/http/api-error.js';
import {
  BRIEF_FORMATS,
  CADENCES,
  parseBriefId,
  SUPRALOCAL_SCOPE,
  TENANT_SLUG,
  type BriefFormat,
  type Cadence,
} from './brief.events.js';
import type { BriefPage, BriefSchedule, BriefView } from './brief-answers.js';
import type { BriefRecord } from './brief-ledger.js';
import type { JobProgress } from './jobs/brief-jobs.js';
import { InvalidPeriodError, parsePeriod, parseQuarter, type Period } from './period.js';
import type { ReportingRuntime } from './reporting-runtime.js';
import { REPORTING_RUNTIME } from './reporting.tokens.js';

const CONTENT_TYPE: Record<BriefFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** A queue that does not answer (Redis down) must not hold the request: the reconciler queues later. */
const ENQUEUE_TIMEOUT_MS = 2000;

function assertBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'BODY_INVALID', `Stuur een JSON-object met het veld ${allowed.join(', ')}.`);
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw new ApiError(
        400,
        'FIELD_NOT_ALLOWED',
        `Het veld "${key.slice(0, 40)}" is hier niet toegestaan.`,
        {
          field: key.slice(0, 40),
        },
      );
    }
  }
  return body as Record<string, unknown>;
}

function assertTenant(actor: AuthenticatedActor): string {
  if (!TENANT_SLUG.test(actor.tenantId)) {
    throw new ApiError(400, 'TENANT_INVALID', 'De gemeente in je token kan geen beleidsbrief krijgen.');
  }
  return actor.tenantId;
}

/**
 * Policy briefs of the caller's municipality: request, follow, download. The event store is the
 * record (BriefRequested, BriefGenerated); the job queue only executes.
 */
const ERROR = { $ref: '#/components/schemas/ApiError' };
const BRIEF_ID = { name: 'id', description: 'brief__<gemeente>__<periode>__<n>', schema: { type: 'string' } };

@ApiTags('beleidsbriefs')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Geen of ongeldig token', schema: ERROR })
@ApiResponse({ status: 403, description: 'Rol niet toegestaan (ROLE_NOT_ALLOWED)', schema: ERROR })
@Controller('briefs')
@Roles('official', 'lead-processor')
export class BriefsController {
  private readonly logger = new Logger('Briefs');
  private readonly routes: BriefRoutes;

  constructor(
    @Inject(REPORTING_RUNTIME) private readonly runtime: ReportingRuntime,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.routes = new BriefRoutes(runtime, this.logger, '/briefs');
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Beleidsbrief aanvragen (registreert BriefRequested)',
    description: 'Rollen: official, lead-processor.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['period'],
      properties: {
        period: {
          type: 'string',
          example: '2026-Q3',
          description: 'Maand (2026-03), kwartaal (2026-Q3), jaar (2026) of bereik (2026-01-01..2026-02-15)',
        },
      },
    },
  })
  @ApiResponse({ status: 202, description: 'Aangevraagd; Location wijst naar de brief' })
  @ApiResponse({
    status: 400,
    description: 'PERIOD_INVALID, FIELD_REQUIRED, FIELD_NOT_ALLOWED, BODY_INVALID',
    schema: ERROR,
  })
  @ApiResponse({ status: 422, description: 'PERIOD_IN_FUTURE', schema: ERROR })
  async request(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BriefView> {
    const period = requestedPeriod(body);
    if (period.from > this.clock.now().toISOString()) {
      throw new ApiError(
        422,
        'PERIOD_IN_FUTURE',
        'Deze periode is nog niet begonnen; vraag een brief over een voorbije of lopende periode.',
      );
    }
    const tenantId = assertTenant(actor);
    const { record } = await this.runtime.ledger.request(tenantId, period, {
      id: actor.id,
      role: actor.roles.includes('lead-processor') ? 'lead-processor' : 'official',
    });
    await this.routes.enqueue(record);
    response.location(`/briefs/${record.briefId}`);
    return this.routes.show(record);
  }

  @Get()
  @ApiOperation({ summary: 'Beleidsbriefs van de gemeente, nieuwste eerst' })
  async list(@CurrentActor() actor: AuthenticatedActor): Promise<BriefPage> {
    const records = await this.runtime.ledger.list(assertTenant(actor));
    return { items: await Promise.all(records.map((record) => this.routes.show(record))) };
  }

  @Get('schedule')
  @ApiOperation({ summary: 'Ritme van de geplande beleidsbriefs (standaard per kwartaal)' })
  @Roles('lead-processor', 'tenant-admin', 'official')
  async schedule(@CurrentActor() actor: AuthenticatedActor): Promise<BriefSchedule> {
    const tenantId = assertTenant(actor);
    return { tenantId, cadence: await this.runtime.ledger.cadence(tenantId) };
  }

  @Put('schedule')
  @Roles('lead-processor', 'tenant-admin')
  @ApiOperation({
    summary: 'Ritme instellen (registreert BriefScheduleSet)',
    description: 'Rollen: lead-processor, tenant-admin.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['cadence'],
      properties: { cadence: { type: 'string', enum: [...CADENCES] } },
    },
  })
  @ApiResponse({ status: 400, description: 'CADENCE_INVALID, FIELD_NOT_ALLOWED', schema: ERROR })
  async setSchedule(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
  ): Promise<BriefSchedule> {
    const fields = assertBody(body, ['cadence']);
    const cadence = fields['cadence'];
    if (typeof cadence !== 'string' || !(CADENCES as readonly string[]).includes(cadence)) {
      throw new ApiError(
        400,
        'CADENCE_INVALID',
        `Kies als ritme (cadence) een van: ${CADENCES.join(', ')}.`,
        {
          field: 'cadence',
        },
      );
    }
    const tenantId = assertTenant(actor);
    const role = actor.roles.includes('lead-processor') ? 'lead-processor' : 'tenant-admin';
    const chosen = cadence as Cadence;
    await this.runtime.ledger.setCadence(tenantId, chosen, { id: actor.id, role });
    // The queue follows now; the reconciler would also bring it in line at its next round.
    await withTimeout(this.runtime.queue.schedule(tenantId, chosen)).catch((error: unknown) =>
      this.logger.warn(`schedule of ${tenantId} not applied yet: ${String(error)}`),
    );
    return { tenantId, cadence: chosen };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status en voortgang van een beleidsbrief' })
  @ApiParam(BRIEF_ID)
  @ApiResponse({ status: 400, description: 'BRIEF_ID_INVALID', schema: ERROR })
  @ApiResponse({
    status: 404,
    description: 'BRIEF_NOT_FOUND (ook een brief van een andere gemeente)',
    schema: ERROR,
  })
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<BriefView> {
    return this.routes.show(await this.find(actor, id));
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'Beleidsbrief downloaden als PDF, HTML, Markdown of JSON' })
  @ApiParam(BRIEF_ID)
  @ApiQuery({ name: 'format', required: true, enum: [...BRIEF_FORMATS] })
  @ApiResponse({
    status: 200,
    description: 'Het bestand',
    content: {
      'application/pdf': {},
      'text/html': {},
      'text/markdown': {},
      'application/json': {},
    },
  })
  @ApiResponse({ status: 400, description: 'FORMAT_INVALID, BRIEF_ID_INVALID', schema: ERROR })
  @ApiResponse({ status: 404, description: 'BRIEF_NOT_FOUND', schema: ERROR })
  @ApiResponse({ status: 409, description: 'BRIEF_NOT_READY, BRIEF_FAILED', schema: ERROR })
  @ApiResponse({ status: 410, description: 'BRIEF_FILE_MISSING', schema: ERROR })
  async download(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query('format') format: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const chosen = briefFormat(format);
    await this.routes.send(await this.find(actor, id), chosen, response);
  }

  private async find(actor: AuthenticatedActor, id: string): Promise<BriefRecord> {
    const key = parseBriefId(id);
    if (!key) {
      throw new ApiError(
        400,
        'BRIEF_ID_INVALID',
        'Dit is geen geldige id van een beleidsbrief (brief__<gemeente>__<periode>__<n>).',
      );
    }
    // Another municipality's brief answers as if it did not exist.
    const record = key.tenantId === actor.tenantId ? await this.runtime.ledger.get(id) : null;
    if (!record) throw new ApiError(404, 'BRIEF_NOT_FOUND', 'Deze beleidsbrief bestaat niet.');
    return record;
  }
}

/**
 * What both brief controllers do alike: queue without holding the request, read the job's
 * progress, show a brief, send one of its files.
 */
class BriefRoutes {
  constructor(
    private readonly runtime: ReportingRuntime,
    private readonly logger: Logger,
    /** `/briefs` or `/supralocal/briefs`: where the downloads are. */
    private readonly base: string,
  ) {}

  async enqueue(record: BriefRecord): Promise<void> {
    try {
      await withTimeout(this.runtime.queue.enqueue(record));
    } catch (error) {
      this.logger.warn(
        `brief ${record.briefId} recorded, queueing deferred to the reconciler: ${String(error)}`,
      );
    }
  }

  async progress(record: BriefRecord): Promise<JobProgress | null> {
    if (record.status !== 'requested') return null;
    return withTimeout(this.runtime.queue.progress(record.briefId)).catch(() => null);
  }

  async show(record: BriefRecord): Promise<BriefView> {
    return this.view(record, await this.progress(record));
  }

  view(record: BriefRecord, progress: JobProgress | null): BriefView {
    const status =
      record.status !== 'requested' ? record.status : progress?.state === 'active' ? 'running' : 'queued';
    return {
      briefId: record.briefId,
      // The supra-local brief belongs to no municipality (and never names the requester's).
      ...(record.tenantId === SUPRALOCAL_SCOPE ? { scope: 'supralocal' } : { tenantId: record.tenantId }),
      period: record.period,
      periodKind: record.periodKind,
      from: record.from,
      to: record.to,
      n: record.n,
      scheduled: record.scheduled,
      status,
      requestedAt: record.requestedAt,
      requestedBy: { role: record.requestedBy.role },
      progress: {
        percent: record.status === 'generated' ? 100 : (progress?.percent ?? 0),
        stage: record.status === 'generated' ? 'klaar' : (progress?.stage ?? null),
        attemptsMade: progress?.attemptsMade ?? null,
      },
      ...(record.generated
        ? {
            generated: {
              at: record.generated.generatedAt,
              contentHash: record.generated.contentHash,
              location: record.generated.location,
              durationMs: record.generated.durationMs,
              formats: record.generated.formats,
            },
            downloads: Object.fromEntries(
              BRIEF_FORMATS.map((format) => [
                format,
                `${this.base}/${record.briefId}/download?format=${format}`,
              ]),
            ),
          }
        : {}),
      // What went wrong stays with the operators (BriefFailed in the event store, the worker's log):
      // a generator's error is English and may name files, hosts or queries.
      ...(record.failed
        ? { failed: { at: record.failed.failedAt, reason: failedReason(record.failed.attempts) } }
        : {}),
    };
  }

  /** Sends one file of a generated brief, or says why it cannot. */
  async send(record: BriefRecord, format: BriefFormat, response: Response): Promise<void> {
    if (record.status === 'failed') {
      throw new ApiError(
        409,
        'BRIEF_FAILED',
        'Deze beleidsbrief kon niet worden gemaakt; vraag ze opnieuw aan.',
      );
    }
    if (!record.generated) {
      throw new ApiError(
        409,
        'BRIEF_NOT_READY',
        'Deze beleidsbrief is nog niet klaar; probeer het zo dadelijk opnieuw.',
      );
    }
    const content = await this.runtime.redactor.file(record, format);
    if (!content) {
      throw new ApiError(
        410,
        'BRIEF_FILE_MISSING',
        'Het bestand van deze beleidsbrief is niet meer beschikbaar; vraag ze opnieuw aan.',
      );
    }
    response.setHeader('Content-Type', CONTENT_TYPE[format]);
    response.setHeader('Content-Disposition', `attachment; filename="${record.briefId}.${format}"`);
    response.setHeader('ETag', `"${createHash('sha256').update(content).digest('hex')}"`);
    response.status(200).send(content);
  }
}

function briefFormat(format: unknown): BriefFormat {
  if (typeof format !== 'string' || !(BRIEF_FORMATS as readonly string[]).includes(format)) {
    throw new ApiError(400, 'FORMAT_INVALID', `Kies een formaat: ${BRIEF_FORMATS.join(', ')}.`, {
      field: 'format',
    });
  }
  return format as BriefFormat;
}

/**
 * The `period` of a request body, parsed by `parse`; 400 with the field named otherwise, the
 * message ending in `hint` when one is given.
 */
function requestedPeriod(body: unknown, parse: (text: string) => Period = parsePeriod, hint = ''): Period {
  const fields = assertBody(body, ['period']);
  if (typeof fields['period'] !== 'string') {
    const given = fields['period'] !== undefined && fields['period'] !== null;
    throw new ApiError(
      400,
      'FIELD_REQUIRED',
      given
        ? 'De periode (period) is tekst, zoals "2026-Q3".'
        : 'Geef de periode op (period), bv. "2026-Q3".',
      { field: 'period' },
    );
  }
  try {
    return parse(fields['period']);
  } catch (error) {
    if (error instanceof InvalidPeriodError)
      throw new ApiError(
        400,
        error.code,
        `Ongeldige periode: ${error.message}.${hint === '' ? '' : ` ${hint}`}`,
        {
          field: 'period',
        },
      );
    throw error;
  }
}

function withTimeout<T>(promise: Promise<T>, ms = ENQUEUE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const SUPRALOCAL_BRIEF_ID = {
  name: 'id',
  description: 'supralocal-brief__<kwartaal>__<n>',
  schema: { type: 'string' },
};

/**
 * The quarterly supra-local pattern brief for VVSG: one brief per quarter for the supra-local
 * analyst, through the same ledger, queue and worker as the municipalities' briefs. Its scope is
 * SUPRALOCAL_SCOPE, never the analyst's own tenant.
 */
@ApiTags('bovenlokale briefs')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Geen of ongeldig token', schema: ERROR })
@ApiResponse({
  status: 403,
  description: 'Alleen voor de VVSG-analist (supralocal-analyst): ROLE_NOT_ALLOWED',
  schema: ERROR,
})
@Controller('supralocal/briefs')
@Roles('supralocal-analyst')
export class SupralocalBriefsController {
  private readonly logger = new Logger('Briefs');
  private readonly routes: BriefRoutes;

  constructor(
    @Inject(REPORTING_RUNTIME) private readonly runtime: ReportingRuntime,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.routes = new BriefRoutes(runtime, this.logger, '/supralocal/briefs');
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Bovenlokale kwartaalbrief aanvragen (één brief per kwartaal)',
    description:
      'Rol: supralocal-analyst. Een kwartaal dat al een brief heeft (aangevraagd of klaar) geeft die brief terug; alleen na een mislukte brief komt er een nieuwe.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['period'],
      properties: { period: { type: 'string', example: '2026-Q3', description: 'Een afgelopen kwartaal' } },
    },
  })
  @ApiResponse({ status: 202, description: 'Aangevraagd (of al aangevraagd); Location wijst naar de brief' })
  @ApiResponse({
    status: 400,
    description: 'PERIOD_INVALID (ook: geen kwartaal), FIELD_REQUIRED, FIELD_NOT_ALLOWED, BODY_INVALID',
    schema: ERROR,
  })
  @ApiResponse({ status: 422, description: 'PERIOD_IN_FUTURE, QUARTER_NOT_ENDED', schema: ERROR })
  async request(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BriefView> {
    const period = requestedPeriod(body, parseQuarter, 'Een bovenlokale brief gaat over één kwartaal.');
    const now = this.clock.now().toISOString();
    if (period.from > now) {
      throw new ApiError(422, 'PERIOD_IN_FUTURE', 'Dit kwartaal is nog niet begonnen.');
    }
    // One brief per quarter: a running quarter would freeze half a quarter's figures.
    if (period.to > now) {
      throw new ApiError(
        422,
        'QUARTER_NOT_ENDED',
        'Dit kwartaal loopt nog; vraag de bovenlokale brief aan zodra het kwartaal afgelopen is.',
      );
    }
    const { record } = await this.runtime.ledger.request(
      SUPRALOCAL_SCOPE,
      period,
      { id: actor.id, role: 'supralocal-analyst' },
      { once: true },
    );
    if (record.status === 'requested') await this.routes.enqueue(record);
    response.location(`/supralocal/briefs/${record.briefId}`);
    return this.routes.show(record);
  }

  @Get()
  @ApiOperation({ summary: 'Bovenlokale kwartaalbriefs, nieuwste aanvraag eerst' })
  async list(): Promise<BriefPage> {
    const records = await this.runtime.ledger.list(SUPRALOCAL_SCOPE);
    return { items: await Promise.all(records.map((record) => this.routes.show(record))) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status en voortgang van een bovenlokale kwartaalbrief' })
  @ApiParam(SUPRALOCAL_BRIEF_ID)
  @ApiResponse({ status: 400, description: 'BRIEF_ID_INVALID', schema: ERROR })
  @ApiResponse({ status: 404, description: 'BRIEF_NOT_FOUND', schema: ERROR })
  async get(@Param('id') id: string): Promise<BriefView> {
    return this.routes.show(await this.find(id));
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'Bovenlokale kwartaalbrief downloaden als PDF, HTML, Markdown of JSON' })
  @ApiParam(SUPRALOCAL_BRIEF_ID)
  @ApiQuery({ name: 'format', required: true, enum: [...BRIEF_FORMATS] })
  @ApiResponse({
    status: 200,
    description: 'Het bestand',
    content: { 'application/pdf': {}, 'text/html': {}, 'text/markdown': {}, 'application/json': {} },
  })
  @ApiResponse({ status: 400, description: 'FORMAT_INVALID, BRIEF_ID_INVALID', schema: ERROR })
  @ApiResponse({ status: 404, description: 'BRIEF_NOT_FOUND', schema: ERROR })
  @ApiResponse({ status: 409, description: 'BRIEF_NOT_READY, BRIEF_FAILED', schema: ERROR })
  @ApiResponse({ status: 410, description: 'BRIEF_FILE_MISSING', schema: ERROR })
  async download(
    @Param('id') id: string,
    @Query('format') format: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const chosen = briefFormat(format);
    await this.routes.send(await this.find(id), chosen, response);
  }

  private async find(id: string): Promise<BriefRecord> {
    const key = parseBriefId(id);
    if (!key) {
      throw new ApiError(
        400,
        'BRIEF_ID_INVALID',
        'Dit is geen geldige id van een bovenlokale brief (supralocal-brief__<kwartaal>__<n>).',
      );
    }
    // A municipality's brief id answers as if it did not exist.
    const record = key.tenantId === SUPRALOCAL_SCOPE ? await this.runtime.ledger.get(id) : null;
    if (!record) throw new ApiError(404, 'BRIEF_NOT_FOUND', 'Deze bovenlokale brief bestaat niet.');
    return record;
  }
}

/** What a failed brief says to the people who asked for it. */
export function failedReason(attempts: number): string {
  const tries = attempts === 1 ? 'na 1 poging' : `na ${attempts} pogingen`;
  return `Het maken van de beleidsbrief is ${tries} mislukt. Vraag ze opnieuw aan; lukt het dan nog niet, meld het aan de beheerder (de oorzaak staat in het logboek van de server).`;
}
