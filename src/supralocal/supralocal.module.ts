import { Injectable, Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../platform/clock.js';
import type { Participant } from './core/patterns.js';
import { SupralocalController } from './supralocal.http.js';
import { SupralocalParticipants } from './supralocal-participants.js';
import { SupralocalQueries } from './supralocal-queries.js';

/** Until tenants can opt in, none has: no municipality contributes. */
@Injectable()
class NoParticipantsYet extends SupralocalParticipants {
  list(): Promise<Participant[]> {
    return Promise.resolve([]);
  }
}

/** Supra-local pattern views over the opted-in tenants, with small-cell suppression. */
@Module({
  controllers: [SupralocalController],
  providers: [
    SupralocalQueries,
    { provide: SupralocalParticipants, useClass: NoParticipantsYet },
    { provide: CLOCK, useValue: systemClock },
  ],
})
export class SupralocalModule {}
