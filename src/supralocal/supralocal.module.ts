import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../platform/clock.js';
import { SupralocalController } from './supralocal.http.js';
import { SupralocalParticipants } from './supralocal-participants.js';
import { SupralocalQueries } from './supralocal-queries.js';
import { TenantParticipants } from './tenant-participants.js';

/** Supra-local pattern views over the opted-in tenants, with small-cell suppression. */
@Module({
  controllers: [SupralocalController],
  providers: [
    SupralocalQueries,
    { provide: SupralocalParticipants, useClass: TenantParticipants },
    { provide: CLOCK, useValue: systemClock },
  ],
  // The reporting module builds the quarterly supra-local brief from these queries only.
  exports: [SupralocalQueries],
})
export class SupralocalModule {}
