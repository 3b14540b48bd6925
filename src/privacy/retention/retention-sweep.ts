import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectionOf } from '../../../projections/index.js';
import { signalInboxProjection } from '../../../projections/signal-inbox/signal-inbox.projection.js';
import { CLOCK, type Clock } from '../../platform/clock.js';
import { EventStore } from '../../platform/event-store/event-store.port.js';
import { ReadStore } from '../../platform/read-store/read-store.port.js';
import { SIGNAL_TEXT_ERASED } from '../../signals/signal.events.js';
import { storedEventsOf } from '../encrypting-event-store.js';
import { ErasureError } from '../erase-text/erase-text.errors.js';
import { SignalTextEraser } from '../erase-text/signal-text-eraser.js';
import { RetentionPolicy, retentionCutoff } from './retention-policy.js';

export const RETENTION_REASON = 'Bewaartermijn verstreken: de vrije tekst wordt automatisch gewist.';

export interface SweepReport {
  startedAt: string;
  /** Closed signals with text, past the shortest period, found in the read model. */
  candidates: number;
  erased: number;
  /** Erased meanwhile (another sweep or a person), or the read model was behind. */
  alreadyErased: number;
  /** Past the shortest period but not their own tenant's. */
  notYetDue: number;
  failed: number;
  /** Erasures whose keys were still live (a crash between event and destruction), finished now. */
  keysRepaired: number;
}

const PAGE = 500;

/**
 * Erases the free text of signals closed longer ago than their tenant's retention period. Holds
 * nothing in memory between runs: which signals are due comes from the inbox read model (closed,
 * not erased, closed before the cutoff), and each erasure is checked again against the signal's
 * stream, so a run may stop anywhere and run again (an erased signal is skipped, never erased
 * twice). It also finishes erasures whose key destruction a crash interrupted (event store scan).
 */
@Injectable()
export class RetentionSweep {
  private readonly logger = new Logger('RetentionSweep');
  private running: Promise<SweepReport> | null = null;

  constructor(
    @Inject(ReadStore) private readonly readStore: ReadStore,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SignalTextEraser) private readonly eraser: SignalTextEraser,
    @Inject(RetentionPolicy) private readonly policy: RetentionPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One run; a call while one runs in this process joins it. */
  run(): Promise<SweepReport> {
    this.running ??= this.sweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweep(): Promise<SweepReport> {
    const now = this.clock.now();
    const report: SweepReport = {
      startedAt: now.toISOString(),
      candidates: 0,
      erased: 0,
      alreadyErased: 0,
      notYetDue: 0,
      failed: 0,
      keysRepaired: 0,
    };
    report.keysRepaired = await this.repairInterruptedErasures();
    const cutoff = retentionCutoff(now, await this.policy.shortestPeriod()).toISOString();
    const spec = collectionOf(signalInboxProjection);
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.readStore.list<{ tenantId: string; signalId: string; stateEnteredAt: string }>(
        spec,
        {
          filters: [
            { field: 'open', op: 'eq', value: false },
            { field: 'erased', op: 'eq', value: false },
            { field: 'stateEnteredAt', op: 'range', lt: cutoff },
          ],
          sort: { field: 'stateEnteredAt', direction: 'asc' },
          limit: PAGE,
          offset,
          count: false,
        },
      );
      for (const signal of page.items) {
        report.candidates += 1;
        const own = retentionCutoff(now, await this.policy.periodFor(signal.tenantId)).toISOString();
        if (signal.stateEnteredAt >= own) {
          report.notYetDue += 1;
          continue;
        }
        try {
          await this.eraser.erase(signal.signalId, RETENTION_REASON, {
            kind: 'retention',
            tenantId: signal.tenantId,
          });
          report.erased += 1;
        } catch (error) {
          if (error instanceof ErasureError && error.code === 'TEXT_ALREADY_ERASED')
            report.alreadyErased += 1;
          else {
            report.failed += 1;
            this.logger.warn(
              `retention erasure of signal ${signal.signalId} (${signal.tenantId}) failed: ${(error as Error).name}`,
            );
          }
        }
      }
      if (!page.hasMore) break;
    }
    this.logger.log(`retention sweep: ${JSON.stringify(report)}`);
    return report;
  }

  private async repairInterruptedErasures(): Promise<number> {
    let repaired = 0;
    const erasures = storedEventsOf(this.store).readAll({ filter: { eventTypes: [SIGNAL_TEXT_ERASED] } });
    for await (const event of erasures) {
      const keyIds = event.data['keyIds'];
      if (!Array.isArray(keyIds)) continue;
      repaired += await this.eraser.repair(keyIds.filter((id): id is string => typeof id === 'string'));
    }
    return repaired;
  }
}
