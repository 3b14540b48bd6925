import { afterEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { JsonLogger } from '../../platform/http/json-logger.js';
import { LogNotificationChannel } from './notification-channel.js';

describe('LogNotificationChannel', () => {
  const before = process.env['LOG_FORMAT'];
  afterEach(() => {
    if (before === undefined) delete process.env['LOG_FORMAT'];
    else process.env['LOG_FORMAT'] = before;
    Logger.overrideLogger(new ConsoleLogger());
  });

  it('logs who and what about as fields of a JSON line, never the subject or body', async () => {
    const lines: string[] = [];
    process.env['LOG_FORMAT'] = 'json';
    Logger.overrideLogger(new JsonLogger((line) => void lines.push(line)));
    await new LogNotificationChannel().deliver({
      tenantId: 'gent',
      topic: 'deadline-escalation',
      recipients: ['role:lead-processor'],
      subject: 'Signaal over de termijn: Gezinnen vinden geen huurwoning',
      body: 'Het signaal "Gezinnen vinden geen huurwoning" staat te lang in Toegewezen.',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      context: 'Notifications',
      msg: 'notification',
      notification: 'deadline-escalation',
      tenantId: 'gent',
      recipients: ['role:lead-processor'],
      subjectLength: 56,
      bodyLength: 74,
    });
    expect(lines[0]).not.toContain('huurwoning');
  });
});
