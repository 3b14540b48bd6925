import { Inject, Injectable } from '@nestjs/common';
import { EventStore, type RecordedEvent } from '../platform/event-store/event-store.port.js';
import { evolveDossier, initialDossierState, type DossierState } from './dossier.decider.js';
import { dossierStream } from './dossier.events.js';

export interface LoadedDossier {
  stream: string;
  state: DossierState;
  revision: bigint | 'no-stream';
  events: RecordedEvent[];
}

/** Reads a dossier's stream and folds it; dossier streams are short (one event per step). */
@Injectable()
export class DossierRepository {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async load(tenantId: string, dossierId: string): Promise<LoadedDossier> {
    const stream = dossierStream(tenantId, dossierId);
    const events: RecordedEvent[] = [];
    let state: DossierState = initialDossierState;
    let revision: bigint | 'no-stream' = 'no-stream';
    for await (const event of this.store.readStream(stream)) {
      events.push(event);
      state = evolveDossier(state, event);
      revision = event.revision;
    }
    return { stream, state, revision, events };
  }
}
