import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { LeaseStoreConfig } from './create-lease-store.js';
import type { LeaseStore } from './lease-store.port.js';

/** What a lease guards: work that one instance at a time should do. */
export interface Role {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeasedRoleLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LeasedRoleOptions {
  /** How long a lease runs unless extended; another instance takes over at most this long after a crash. */
  ttlMs?: number;
  /** How often the holder extends its lease and a standby asks for it; a third of ttlMs by default. */
  renewEveryMs?: number;
  /** This instance's name in the lease; host, process and a random part by default. */
  holder?: string;
  now?: () => number;
  logger?: LeasedRoleLogger;
}

/** `starting`: the lease is held and the role is starting (e.g. catching up on timers that fell due). */
export type LeaseState = 'standby' | 'starting' | 'leading' | 'stopped';

/**
 * Where a role runs, as `GET /health` shows it: this instance holds its lease (`leading`,
 * `starting`) or another does (`standby`); `inline` and `off` for a role that takes no lease here.
 */
export interface RolePlacement {
  state: LeaseState | 'inline' | 'off';
  lease: LeaseStoreConfig['kind'] | null;
  holder: string | null;
}

export const DEFAULT_LEASE_TTL_MS = 15_000;

const SILENT: LeasedRoleLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A random part that tells apart two processes of one pid (a container restarted), drawn once per process. */
const INSTANCE = randomBytes(4).toString('hex');

/** This instance's name in its leases (every role of it the same): host, process id and a random part. */
export function defaultHolder(): string {
  return `${hostname()}:${process.pid}:${INSTANCE}`;
}

/**
 * Runs `role` only while this instance holds the lease `name`: asks for the lease every
 * `renewEveryMs`, starts the role once it has it, extends it while the role runs, and stops the
 * role when another holder has the lease (this process stood still longer than the lease) or when
 * the lease could not be extended for so long that it may run out before the next try. Stopping
 * releases the lease, so another instance takes over at its next try instead of after the lease's
 * time.
 */
export class LeasedRole {
  readonly holder: string;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly now: () => number;
  private readonly logger: LeasedRoleLogger;
  private state: LeaseState = 'standby';
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  /** The try in progress (taking or extending the lease). */
  private step: Promise<void> | null = null;
  /** The role's start in progress: tries go on meanwhile, so a slow start does not let the lease run out. */
  private starting: Promise<void> | null = null;
  /** When the lease was last taken or extended. */
  private renewedAt = 0;

  constructor(
    readonly name: string,
    private readonly leases: LeaseStore,
    private readonly role: Role,
    options: LeasedRoleOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(this.ttlMs / 3));
    if (!(this.renewEveryMs < this.ttlMs))
      throw new RangeError(
        `a lease must be renewed more often than it runs (${this.renewEveryMs} ≥ ${this.ttlMs} ms)`,
      );
    this.holder = options.holder ?? defaultHolder();
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? SILENT;
  }

  get leading(): boolean {
    return this.state === 'leading';
  }

  get status(): { lease: string; holder: string; state: LeaseState } {
    return { lease: this.name, holder: this.holder, state: this.state };
  }

  /**
   * Makes the first try and, when it gets the lease, waits for the role to start; then goes on
   * trying in the background.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.state = 'standby';
    await this.tick();
  }

  /**
   * One try (take or extend the lease, start or stop the role), waiting for a start it began.
   * The timer makes its tries without waiting for a start; tests call this with a clock of their own.
   */
  async tick(): Promise<void> {
    await this.attempt();
    await this.starting;
  }

  private attempt(): Promise<void> {
    if (this.step) return this.step;
    this.step = this.tryOnce().finally(() => {
      this.step = null;
      this.schedule();
    });
    return this.step;
  }

  private schedule(): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, this.renewEveryMs);
    this.timer.unref();
  }

  private async tryOnce(): Promise<void> {
    if (!this.running) return;
    let held: boolean | null;
    try {
      held = await this.leases.acquire(this.name, this.holder, this.ttlMs);
    } catch (error) {
      held = null;
      if (this.state !== 'standby') this.logger.warn(`lease ${this.name}: not extended (${describe(error)})`);
    }
    if (!this.running) {
      // Stopped while asking: a lease just taken is given back rather than left to run out.
      if (held === true && this.state === 'standby')
        await this.leases.release(this.name, this.holder).catch(() => undefined);
      return;
    }
    if (held === true) {
      this.renewedAt = this.now();
      if (this.state === 'standby') this.starting = this.takeOver();
      return;
    }
    if (this.state === 'standby') return;
    if (held === false) {
      this.logger.warn(`lease ${this.name}: another instance holds it now; stopping here`);
      await this.stepDown();
    } else if (this.now() - this.renewedAt >= this.ttlMs - this.renewEveryMs) {
      // The next try may come after the lease ran out: another instance may have the role by then.
      this.logger.warn(
        `lease ${this.name}: not extended in ${this.now() - this.renewedAt} ms; stopping here`,
      );
      await this.stepDown();
    }
  }

  private async takeOver(): Promise<void> {
    this.state = 'starting';
    try {
      await this.role.start();
      // Stepped down or stopped while starting: stepDown waits for this start, then stops the role.
      if (this.state === 'starting') {
        this.state = 'leading';
        this.logger.log(`lease ${this.name}: held by this instance (${this.holder})`);
      }
    } catch (error) {
      this.state = 'standby';
      this.logger.error(`lease ${this.name}: the role did not start (${describe(error)}); trying again`);
      await this.role.stop().catch(() => undefined);
      await this.leases.release(this.name, this.holder).catch(() => undefined);
    } finally {
      this.starting = null;
    }
  }

  /** Stops the role (once a start in progress is done) and stands by. */
  private async stepDown(): Promise<void> {
    const wasStarting = this.starting;
    this.state = 'standby';
    if (wasStarting) await wasStarting;
    await this.role
      .stop()
      .catch((error: unknown) =>
        this.logger.error(`lease ${this.name}: the role did not stop cleanly (${describe(error)})`),
      );
  }

  /** Stops trying; stops the role and releases the lease when this instance holds it. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.step;
    if (this.state !== 'standby' && this.state !== 'stopped') {
      await this.stepDown();
      await this.leases
        .release(this.name, this.holder)
        .catch((error: unknown) => this.logger.warn(`lease ${this.name}: not released (${describe(error)})`));
    }
    this.state = 'stopped';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
