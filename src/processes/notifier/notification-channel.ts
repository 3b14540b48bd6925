import { Logger } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { logsAsJson } from '../../platform/json-log.js';

export interface OutgoingMessage {
  tenantId: string;
  topic: string;
  /** User ids or `role:<role>` / `domain:<code>`; the channel makes addresses of them. */
  recipients: string[];
  subject: string;
  body: string;
}

/** Where notifications go: the log (default) or SMTP. */
export interface NotificationChannel {
  readonly name: string;
  deliver(message: OutgoingMessage): Promise<void>;
}

/**
 * Writes one log line per notification: who and what about, never the text (it may quote a
 * signal). With LOG_FORMAT=json as fields of the line, else as one line of JSON.
 */
export class LogNotificationChannel implements NotificationChannel {
  readonly name = 'log';
  private readonly logger = new Logger('Notifications');

  deliver(message: OutgoingMessage): Promise<void> {
    const entry = {
      notification: message.topic,
      tenantId: message.tenantId,
      recipients: message.recipients,
      subjectLength: message.subject.length,
      bodyLength: message.body.length,
    };
    this.logger.log(logsAsJson() ? { msg: 'notification', ...entry } : JSON.stringify(entry));
    return Promise.resolve();
  }
}

/** Sends mail through the SMTP server of `SMTP_URL` (nodemailer). */
export class SmtpNotificationChannel implements NotificationChannel {
  readonly name = 'smtp';
  private readonly transport: nodemailer.Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly addressTemplate: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async deliver(message: OutgoingMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.recipients.map((recipient) => this.address(recipient, message.tenantId)),
      subject: message.subject,
      text: message.body,
    });
  }

  address(recipient: string, tenantId: string): string {
    const local = recipient.replace(/[^A-Za-z0-9._-]/g, '.');
    return this.addressTemplate.replaceAll('{recipient}', local).replaceAll('{tenant}', tenantId);
  }

  close(): void {
    this.transport.close();
  }
}
