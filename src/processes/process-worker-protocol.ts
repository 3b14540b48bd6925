import type { NotificationIntent, SignalCommandIntent } from '../../workflows/process.js';
import type { MessagePort } from 'node:worker_threads';
import type { AppConfig } from '../config/app-config.js';

/** Per tenant, the deadline overrides in working days per state (the tenant settings). */
export type DeadlineOverrides = Array<[tenantId: string, days: Record<string, number>]>;

/** What the process thread starts with. */
export interface ProcessWorkerData {
  eventStore: AppConfig['eventStore'];
  pollMs: number;
  overrides: DeadlineOverrides;
}

/** Host → thread. */
export type ToProcessWorker =
  | { kind: 'overrides'; overrides: DeadlineOverrides }
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; message: string }
  | { kind: 'stop' };

/** Thread → host: the effects the host carries out (a command, a notification), and its state. */
export type FromProcessWorker =
  | { kind: 'started' }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string }
  | { kind: 'command'; id: number; commandId: string; command: SignalCommandIntent; correlationId: string }
  | { kind: 'notify'; id: number; notification: NotificationIntent };

/** The end of a message channel each side talks through (a worker thread's port, or a test's). */
export type ProcessPort = Pick<MessagePort, 'postMessage' | 'on'>;
