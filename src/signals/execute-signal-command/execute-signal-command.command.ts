import { Command } from '@nestjs/cqrs';
import type { JsonObject } from '../../platform/json.js';
import type { SignalActor } from '../signal.decider.js';
import type { SignalCommandResult } from '../signal-answers.js';

export type { SignalCommandResult };

export interface ExecuteSignalCommandInput {
  actor: SignalActor;
  /** The command's name in the workflow definition (`submit`, `triage`, …). */
  name: string;
  /** Absent for `submit`: the id is made here (deterministic under an idempotency key). */
  signalId?: string;
  /** The command's fields, already checked against the definition the signal runs under. */
  fields: JsonObject;
  /**
   * Set when `fields` is the request body as received: the handler checks it against the
   * definition of the signal it loads (the one the signal runs under, the default for a signal that
   * does not exist), so that the stream is read once per command, not once to find the definition
   * and once more to decide.
   */
  unchecked?: true;
  /** From `If-Match`: the revision the caller last saw. */
  expectedRevision?: bigint;
  /** From `Idempotency-Key`: retries with the same key and body record one set of events. */
  idempotencyKey?: string;
  correlationId: string;
}

/** Any command of a signal's workflow definition: one handler, driven by the definition. */
export class ExecuteSignalCommand extends Command<{ result: SignalCommandResult; replayed: boolean }> {
  constructor(readonly input: ExecuteSignalCommandInput) {
    super();
  }
}
