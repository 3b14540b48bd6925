import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../platform/clock.js';
import { SignalRepository } from '../signals/signal.repository.js';
import { DossierRepository } from './dossier.repository.js';
import { DossiersController } from './dossiers.http.js';
import { ExecuteDossierCommandHandler } from './execute-dossier-command/execute-dossier-command.handler.js';
import { DossierMembershipGate } from './membership-gate.js';
import { OpenDossierLookup } from './open-dossier-lookup.js';
import { SimilarSignalsController } from './similar/similar-signals.http.js';
import { SimilarSignals } from './similar/similar-signals.service.js';

@Module({
  controllers: [DossiersController, SimilarSignalsController],
  providers: [
    DossierRepository,
    SignalRepository,
    OpenDossierLookup,
    DossierMembershipGate,
    SimilarSignals,
    ExecuteDossierCommandHandler,
    { provide: CLOCK, useValue: systemClock },
  ],
})
export class DossiersModule {}
