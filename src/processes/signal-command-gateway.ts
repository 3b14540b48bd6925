import type { CommandBus } from '@nestjs/cqrs';
import type { SignalCommandIntent } from '../../workflows/process.js';
import type { CommandGateway } from '../platform/processes/process-runner.js';
import { SYSTEM_ROLE } from '../../workflows/roles.js';
import { isUuid } from '../platform/ids.js';
import { ExecuteSignalCommand } from '../signals/execute-signal-command/execute-signal-command.command.js';
import { SignalDomainError } from '../signals/signal.errors.js';
import { IdempotencyKeyReusedError } from '../signals/signal-command.errors.js';
import { PersonalDataError } from '../signals/privacy/personal-data.js';

/**
 * Process commands go through the same handler as a person's, as the `system` actor, with the
 * command id as idempotency key: a second delivery finds the first one's events and records
 * nothing. A refusal by the signal (unknown signal, personal data in a text) is an outcome the
 * workflow records; anything else is thrown and retried.
 */
export class SignalCommandGateway implements CommandGateway {
  constructor(private readonly commandBus: CommandBus) {}

  async send(
    commandId: string,
    command: SignalCommandIntent,
    correlationId: string,
  ): Promise<{ ok: true } | { ok: false; code: string }> {
    // Member ids come from another stream's data: never let one name a stream it should not.
    if (!isUuid(command.signalId)) return { ok: false, code: 'INVALID_ID' };
    try {
      await this.commandBus.execute(
        new ExecuteSignalCommand({
          actor: { id: 'system', tenantId: command.tenantId, roles: [SYSTEM_ROLE], policyDomains: [] },
          name: command.name,
          signalId: command.signalId,
          fields: command.fields,
          idempotencyKey: commandId,
          correlationId,
        }),
      );
      return { ok: true };
    } catch (error) {
      if (
        error instanceof SignalDomainError ||
        error instanceof PersonalDataError ||
        error instanceof IdempotencyKeyReusedError
      ) {
        return { ok: false, code: error.code };
      }
      throw error;
    }
  }
}
