import { decimalInteger } from '../config/decimal-integer.js';

/** Settings of the process workflows, from the environment. */
export interface ProcessConfig {
  /** `off` runs no process workflow in this instance (another instance runs them). */
  enabled: boolean;
  pollMs: number;
  /** `smtp://user:pass@host:port` (or `smtps://`); absent: notifications go to the log. */
  smtpUrl: string | null;
  smtpFrom: string;
  /** Address of a recipient: `{recipient}` (a user id or a role) and `{tenant}` are filled in. */
  addressTemplate: string;
}

export class ProcessConfigError extends Error {
  readonly code = 'INVALID_PROCESS_CONFIG';
}

export function loadProcessConfig(env: NodeJS.ProcessEnv = process.env): ProcessConfig {
  const enabled = (env['PROCESS_WORKFLOWS'] ?? 'on').toLowerCase();
  if (enabled !== 'on' && enabled !== 'off') {
    throw new ProcessConfigError(`PROCESS_WORKFLOWS must be on or off, not "${enabled}"`);
  }
  const rawPollMs = env['PROCESS_TIMER_POLL_MS'];
  const pollMs = rawPollMs === undefined ? 5000 : decimalInteger(rawPollMs);
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 3_600_000) {
    throw new ProcessConfigError(
      `PROCESS_TIMER_POLL_MS must be a whole number of ms from 50 to 3600000, got "${rawPollMs}"`,
    );
  }
  const smtpUrl = env['SMTP_URL']?.trim() || null;
  if (smtpUrl !== null) {
    let protocol: string;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      throw new ProcessConfigError('SMTP_URL is not a URL (smtp://user:password@host:587)');
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      throw new ProcessConfigError('SMTP_URL must start with smtp:// or smtps://');
    }
  }
  const addressTemplate = env['NOTIFY_ADDRESS_TEMPLATE'] ?? '{recipient}@{tenant}.lokaalsignaal.invalid';
  if (!addressTemplate.includes('{recipient}')) {
    throw new ProcessConfigError('NOTIFY_ADDRESS_TEMPLATE must hold {recipient}');
  }
  return {
    enabled: enabled === 'on',
    pollMs,
    smtpUrl,
    smtpFrom: env['SMTP_FROM'] ?? 'Lokaal Signaal <no-reply@lokaalsignaal.invalid>',
    addressTemplate,
  };
}
