import type { NotificationIntent, Recipient } from '../../../workflows/process.js';
import type { NotificationSender } from '../../platform/processes/process-runner.js';
import type { SignalRepository } from '../../signals/signal.repository.js';
import type { NotificationChannel } from './notification-channel.js';

/**
 * Turns a workflow's recipient into people: the signal's giver, its assignee (or, when it has
 * none, its policy domain; else the lead processors), or the tenant's lead processors.
 */
export class ResolvingNotifier implements NotificationSender {
  constructor(
    private readonly signals: Pick<SignalRepository, 'load'>,
    private readonly channel: NotificationChannel,
  ) {}

  async send(notification: NotificationIntent): Promise<{ channel: string; recipients: string[] }> {
    const recipients = await this.resolve(notification.tenantId, notification.recipient);
    await this.channel.deliver({
      tenantId: notification.tenantId,
      topic: notification.topic,
      recipients,
      subject: notification.subject,
      body: notification.body,
    });
    return { channel: this.channel.name, recipients };
  }

  private async resolve(tenantId: string, recipient: Recipient): Promise<string[]> {
    if (recipient.kind === 'lead-processors') return ['role:lead-processor'];
    const { state } = await this.signals.load(tenantId, recipient.signalId);
    if (state.status !== 'exists') return ['role:lead-processor'];
    if (recipient.kind === 'signal-giver') return [state.givenBy];
    if (state.attributes.assigneeId) return [state.attributes.assigneeId];
    if (state.attributes.policyDomain) return [`domain:${state.attributes.policyDomain}`];
    return ['role:lead-processor'];
  }
}
