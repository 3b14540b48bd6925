import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SmtpNotificationChannel } from '../../src/processes/notifier/notification-channel.js';

/** A minimal SMTP sink (RFC 5321 happy path, no TLS): enough to see what the channel sends. */
interface Received {
  from: string;
  to: string[];
  data: string;
}

function smtpSink(received: Received[]): Server {
  return createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current: Received = { from: '', to: [], data: '' };
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], data: '' };
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 sink\r\n');
        else if (verb === 'MAIL') {
          current.from = line.slice(10);
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          current.to.push(line.slice(8));
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 ok\r\n');
      }
    });
  });
}

describe('SMTP notification channel against an SMTP server', () => {
  const received: Received[] = [];
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = smtpSink(received);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers one mail to the addresses the template makes, with the Dutch subject and text', async () => {
    const channel = new SmtpNotificationChannel(
      `smtp://127.0.0.1:${port}?ignoreTLS=true`,
      'Lokaal Signaal <signalen@gent.be>',
      '{recipient}@{tenant}.be',
    );
    await channel.deliver({
      tenantId: 'gent',
      topic: 'reminder',
      recipients: ['proc-1', 'role:lead-processor'],
      subject: 'Herinnering: termijn verstreken',
      body: 'Het signaal staat te lang in dezelfde toestand.',
    });
    channel.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toContain('signalen@gent.be');
    expect(received[0]!.to).toEqual(['<proc-1@gent.be>', '<role.lead-processor@gent.be>']);
    expect(received[0]!.data).toContain('Subject: Herinnering: termijn verstreken');
    expect(received[0]!.data).toContain('Het signaal staat te lang in dezelfde toestand.');
  });

  it('a server that is down makes delivery fail (the runner retries; nothing is recorded as sent)', async () => {
    const channel = new SmtpNotificationChannel('smtp://127.0.0.1:1', 'x@gent.be', '{recipient}@gent.be');
    await expect(
      channel.deliver({ tenantId: 'gent', topic: 't', recipients: ['a'], subject: 's', body: 'b' }),
    ).rejects.toThrow();
    channel.close();
  });
});
