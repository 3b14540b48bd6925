import { describe, expect, it } from '@jest/globals';
import { loadProcessConfig } from './process-config.js';

describe('process workflow settings', () => {
  it('defaults: on, log notifier', () => {
    expect(loadProcessConfig({})).toMatchObject({ enabled: true, smtpUrl: null, pollMs: 5000 });
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
    // Number() read these as 100, 1000, 100 and 0: only plain decimal digits are taken.
    [{ PROCESS_TIMER_POLL_MS: '0x64' }, /PROCESS_TIMER_POLL_MS/],
    [{ PROCESS_TIMER_POLL_MS: '1e3' }, /PROCESS_TIMER_POLL_MS/],
    [{ PROCESS_TIMER_POLL_MS: ' 100' }, /PROCESS_TIMER_POLL_MS/],
    [{ PROCESS_TIMER_POLL_MS: '' }, /PROCESS_TIMER_POLL_MS/],
    [{ NOTIFY_ADDRESS_TEMPLATE: 'info@gent.be' }, /\{recipient\}/],
  ])('refuses %j', (env, message) => {
    expect(() => loadProcessConfig(env)).toThrow(message);
  });
});
