import { Command } from '@nestjs/cqrs';
import type { DossierActor, DossierCommand } from '../dossier.decider.js';
import type { DossierCommandResult } from '../dossier-answers.js';

export type { DossierCommandResult };

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

export class ExecuteDossierCommand extends Command<{ result: DossierCommandResult; replayed: boolean }> {
  constructor(readonly input: ExecuteDossierCommandInput) {
    super();
  }
}
