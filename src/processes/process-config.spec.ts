import { describe, expect, it } from '@jest/globals';
import { loadProcessConfig } from './process-config.js';

describe('process workflow settings', () => {
  it('defaults: on, log notifier', () => {
    expect(loadProcessConfig({})).toMatchObject({
      enabled: true,
      smtpUrl: null,
      pollMs: 5000,
      lease: { redisUrl: null, prefix: 'lokaal-signaal', ttlMs: 15_000 },
    });
  });

  it('takes the lease from Redis under the deployment’s prefix when REDIS_URL is set', () => {
    expect(
      loadProcessConfig({
        REDIS_URL: 'redis://cache:6379',
        BRIEF_QUEUE_PREFIX: 'gent-prod',
        PROCESS_LEASE_TTL_MS: '30000',
      }).lease,
    ).toEqual({ redisUrl: 'redis://cache:6379', prefix: 'gent-prod', ttlMs: 30_000 });
  });

  it('reads SMTP_URL, SMTP_FROM and the address template', () => {
    const config = loadProcessConfig({
      SMTP_URL: 'smtp://user:pw@mail.gent.be:587',
      SMTP_FROM: 'Signalen <signalen@gent.be>',
      NOTIFY_ADDRESS_TEMPLATE: '{recipient}@{tenant}.be',
      PROCESS_WORKFLOWS: 'off',
    });
    expect(config).toMatchObject({
      enabled: false,
      smtpUrl: 'smtp://user:pw@mail.gent.be:587',
      smtpFrom: 'Signalen <signalen@gent.be>',
    });
  });

  it.each([
    [{ SMTP_URL: 'http://mail' }, /smtp:\/\//],
    [{ SMTP_URL: 'not a url' }, /not a URL/],
    [{ PROCESS_WORKFLOWS: 'maybe' }, /on or off/],
    [{ PROCESS_TIMER_POLL_MS: '5' }, /50 to/],
    [{ NOTIFY_ADDRESS_TEMPLATE: 'info@gent.be' }, /\{recipient\}/],
    [{ PROCESS_LEASE_TTL_MS: '100' }, /300 to 600000/],
    [{ PROCESS_LEASE_TTL_MS: 'long' }, /300 to 600000/],
    [{ REDIS_URL: 'cache:6379' }, /redis:\/\//],
  ])('refuses %j', (env, message) => {
    expect(() => loadProcessConfig(env)).toThrow(message);
  });
});
