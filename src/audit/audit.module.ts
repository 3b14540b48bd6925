import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../platform/clock.js';
import { AuditLog } from './audit-log.js';
import { AuditController } from './audit.http.js';
import { SignalAuditReader } from './signal-audit-reader.js';
import { SignalHistoryController } from './signal-history.http.js';

/** Audit reads: decision histories, signals as of a moment, verification, and the record of who read what. */
@Module({
  controllers: [SignalHistoryController, AuditController],
  providers: [AuditLog, SignalAuditReader, { provide: CLOCK, useValue: systemClock }],
  exports: [SignalAuditReader],
})
export class AuditModule {}
