import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../platform/clock.js';
import { EraseTextController } from './erase-text/erase-text.http.js';
import { SignalTextEraser } from './erase-text/signal-text-eraser.js';
import { RetentionPolicy } from './retention/retention-policy.js';
import { TenantRetentionPolicy } from './retention/tenant-retention-policy.js';
import { RetentionScheduler } from './retention/retention-scheduler.js';
import { RetentionSweep } from './retention/retention-sweep.js';

/**
 * Privacy by design: erasure of a signal's free text and the retention sweep. The key store and
 * the encrypting event store are provided by EventStoreModule (every reader needs them).
 */
@Module({
  controllers: [EraseTextController],
  providers: [
    SignalTextEraser,
    RetentionSweep,
    RetentionScheduler,
    { provide: RetentionPolicy, useClass: TenantRetentionPolicy },
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [SignalTextEraser, RetentionSweep, RetentionPolicy],
})
export class PrivacyModule {}
