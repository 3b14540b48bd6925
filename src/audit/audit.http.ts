import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { queryParams } from '../platform/http/query-params.js';
import type { Response } from 'express';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ApiError } from '../platform/http/api-error.js';
import { AuditLog, type AuditReadPage } from './audit-log.js';
import { correlationIdOf } from '../platform/http/correlation.js';
import { verifyStore, type StoreVerifyReport } from './verify-store.js';

/** Violations listed in an HTTP answer; all are counted. The CLI lists up to 10,000. */
const MAX_VIOLATIONS_IN_ANSWER = 1000;

/** `GET /audit/verify` (auditor) and `GET /audit/reads` (lead processor, auditor), for the caller's tenant. */
@Controller('audit')
export class AuditController {
  private verifying = false;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AuditLog) private readonly auditLog: AuditLog,
  ) {}

  /**
   * Verifies the caller's tenant: the hash chain of every stream, every transition against its
   * definition version. One at a time per process: it reads the whole store.
   */
  @Get('verify')
  @Roles('auditor')
  async verify(
    @CurrentActor() actor: AuthenticatedActor,
    @Headers('x-correlation-id') correlation: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StoreVerifyReport> {
    if (this.verifying) {
      throw new ApiError(
        429,
        'VERIFY_IN_PROGRESS',
        'Er loopt al een verificatie. Probeer het straks opnieuw.',
      );
    }
    this.verifying = true;
    try {
      const report = await verifyStore(this.store, {
        tenant: actor.tenantId,
        maxViolations: MAX_VIOLATIONS_IN_ANSWER,
      });
      const violations = Object.values(report.counts).reduce((sum, n) => sum + n, 0);
      await this.auditLog.record(
        actor,
        'auditor',
        {
          read: 'verify',
          signalId: null,
          asOf: null,
          format: 'json',
          eventsChecked: report.events,
          violations,
        },
        correlationIdOf(correlation),
      );
      response.setHeader('Cache-Control', 'no-store');
      return report;
    } finally {
      this.verifying = false;
    }
  }

  /** Who read which audit answer when, newest first; `before` pages back. */
  @Get('reads')
  @Roles('lead-processor', 'auditor')
  async reads(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuditReadPage> {
    queryParams(query, ['limit', 'before']);
    const limit = integer(query['limit'], 'limit', 1, 200) ?? 50;
    const before = integer(query['before'], 'before', 0, Number.MAX_SAFE_INTEGER);
    response.setHeader('Cache-Control', 'no-store');
    return this.auditLog.list(actor.tenantId, {
      limit,
      ...(before !== undefined ? { before: BigInt(before) } : {}),
    });
  }
}

function invalidQuery(message: string): never {
  throw new ApiError(400, 'INVALID_QUERY', message);
}

function integer(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    invalidQuery(`De parameter '${name}' is een geheel getal van ${min} tot ${max}.`);
  }
  return Number(value);
}
