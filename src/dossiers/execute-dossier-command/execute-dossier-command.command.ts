import { Command } from '@nestjs/cqrs';
import type { DossierActor, DossierCommand } from '../dossier.decider.js';

/** A dossier command as the HTTP layer validated it; `dossierId` is empty for `create` (made here). */
export interface ExecuteDossierCommandInput {
  actor: DossierActor;
  command: DossierCommand;
  /** From `If-Match`: the revision the caller last saw. */
  expectedRevision?: bigint;
  /** From `Idempotency-Key`: retries with the same key and body record one event. */
  idempotencyKey?: string;
  correlationId: string;
}

export interface DossierCommandResult {
  dossierId: string;
  /** The dossier stream's revision after the command: the next `If-Match`. */
  revision: string;
  /** Global position of the event: pass it as `minPosition` to read your write. */
  position: string;
  state: string;
  events: Array<{ id: string; type: string }>;
}

export class ExecuteDossierCommand extends Command<{ result: DossierCommandResult; replayed: boolean }> {
  constructor(readonly input: ExecuteDossierCommandInput) {
    super();
  }
}
