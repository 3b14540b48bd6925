import type { EventStore } from '../../platform/event-store/event-store.port.js';
import { decimalInteger } from '../../config/decimal-integer.js';
import { isUuid, uuidv7 } from '../../platform/ids.js';
import { SignalRepository } from '../../signals/signal.repository.js';
import { SignalWorkflowMigrator, type MigrationReport } from './migrate-signal-workflow.js';
import { MigrateUsageError } from './migrate-usage.js';

export interface MigrateArgs {
  tenantId: string;
  fromVersion: number;
  toVersion: number;
  stateMapping: Record<string, string>;
  signalIds: string[];
  actorId: string;
}

const TENANT = /^[a-z][a-z0-9-]{1,62}$/;
const STATE = /^[a-z][a-z-]{0,49}$/;

export function parseMigrateArgs(args: readonly string[]): MigrateArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (!flag?.startsWith('--') || value === undefined)
      throw new MigrateUsageError(`unexpected argument "${flag ?? ''}"`);
    if (!['--tenant', '--from', '--to', '--map', '--signals', '--actor'].includes(flag))
      throw new MigrateUsageError(`unknown option ${flag}`);
    if (values.has(flag.slice(2))) throw new MigrateUsageError(`${flag} is given twice`);
    values.set(flag.slice(2), value);
  }
  const tenantId = values.get('tenant') ?? '';
  if (!TENANT.test(tenantId)) throw new MigrateUsageError('--tenant needs a tenant slug');
  const fromVersion = decimalInteger(values.get('from') ?? '');
  const toVersion = decimalInteger(values.get('to') ?? '');
  if (!Number.isInteger(fromVersion) || !Number.isInteger(toVersion))
    throw new MigrateUsageError('--from and --to need version numbers');
  const stateMapping: Record<string, string> = {};
  for (const pair of (values.get('map') ?? '').split(',').filter(Boolean)) {
    const [from, to, extra] = pair.split('=');
    if (!from || !to || extra !== undefined || !STATE.test(from) || !STATE.test(to))
      throw new MigrateUsageError(`--map entry "${pair}" is not <old state>=<new state>`);
    stateMapping[from] = to;
  }
  if (Object.keys(stateMapping).length === 0)
    throw new MigrateUsageError('--map needs at least one <old>=<new>');
  const signalIds = (values.get('signals') ?? '').split(',').filter(Boolean);
  if (signalIds.length === 0 || !signalIds.every((id) => isUuid(id)))
    throw new MigrateUsageError('--signals needs one or more signal ids (UUIDs), comma-separated');
  const actorId = values.get('actor') ?? 'cli';
  return { tenantId, fromVersion, toVersion, stateMapping, signalIds, actorId };
}

/** Runs a migration as a lead processor (the operator) straight on the store; no HTTP. */
export async function migrateFromCli(args: readonly string[], store: EventStore): Promise<MigrationReport> {
  const parsed = parseMigrateArgs(args);
  const migrator = new SignalWorkflowMigrator(store, new SignalRepository(store));
  return migrator.migrate({ ...parsed, workflow: 'signal-lifecycle', correlationId: uuidv7() });
}

export function migrationSummary(report: MigrationReport): string {
  const lines = [`migrated ${report.migrated.length}, refused ${report.refused.length}`];
  for (const m of report.migrated) lines.push(`  migrated ${m.signalId}: ${m.from} -> ${m.to}`);
  for (const r of report.refused) lines.push(`  refused  ${r.signalId}: ${r.code} ${r.message}`);
  return lines.join('\n');
}
