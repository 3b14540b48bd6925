import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock.js';
import { ConcurrencyError } from '../../platform/event-store/errors.js';
import { EventStore } from '../../platform/event-store/event-store.port.js';
import { uuidv7 } from '../../platform/ids.js';
import { signalDecider } from '../../signals/signal.repository.js';
import { signalStream } from '../../signals/signal.events.js';
import { CommandConflictError } from '../../signals/signal-command.errors.js';
import { EncryptingEventStore, storedEventsOf } from '../encrypting-event-store.js';
import { KeyStore } from '../key-store/key-store.port.js';
import {
  decideTextErasure,
  evolveErasure,
  initialErasureState,
  type ErasingActor,
  type ErasureState,
} from './erase-text.decider.js';
import { ErasureError } from './erase-text.errors.js';
import type { ErasureResult } from '../../signals/signal-answers.js';

export type { ErasureResult };

const MAX_ATTEMPTS = 5;

/**
 * Erases a signal's free text: records SignalTextErased (naming the live data keys) at the exact
 * revision read, then destroys those keys. The event comes first: a crash between the two leaves
 * an erasure whose keys still live, which the next erasure attempt or retention sweep finishes
 * (`repair`); the other order could leave unreadable text with read models still showing it.
 */
@Injectable()
export class SignalTextEraser {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(KeyStore) private readonly keys: KeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async erase(
    signalId: string,
    reason: string,
    by: ErasingActor,
    correlationId: string = uuidv7(),
  ): Promise<ErasureResult> {
    const tenantId = by.kind === 'person' ? by.actor.tenantId : by.tenantId;
    const stream = signalStream(tenantId, signalId);
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(stream);
      if (state.lastErasure !== null && !state.textSinceErasure) await this.repair(state.lastErasure.keyIds);
      const live = state.signal.status === 'exists' ? await this.liveKeyIds(tenantId, signalId) : [];
      const decided = decideTextErasure({ signalId, reason }, state, {
        by,
        now: this.clock.now(),
        liveKeyIds: live,
      });
      try {
        const appended = await this.store.append(
          stream,
          [{ ...decided, metadata: { ...decided.metadata, correlationId, causationId: correlationId } }],
          { expectedRevision: revision },
        );
        await this.repair(decided.data.keyIds);
        return {
          signalId,
          revision: String(appended.nextRevision),
          position: String(appended.position),
          // Every key the erasure named is destroyed now, by this repair or by whoever came first:
          // a concurrent delivery that found the erasure recorded, or a writer (EncryptingEventStore).
          keysDestroyed: decided.data.keyIds.length,
        };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw new CommandConflictError();
      }
    }
  }

  /** Destroys keys an erasure named (idempotent), and makes this process forget them. */
  async repair(keyIds: readonly string[]): Promise<number> {
    if (keyIds.length === 0) return 0;
    const destroyed = await this.keys.destroy(keyIds);
    if (this.store instanceof EncryptingEventStore) this.store.forget(keyIds);
    return destroyed;
  }

  /** The erasure state of a signal from its stored events (no text is decrypted for it). */
  async load(stream: string): Promise<{ state: ErasureState; revision: bigint | 'no-stream' }> {
    let state = initialErasureState(signalDecider.initialState);
    let revision: bigint | 'no-stream' = 'no-stream';
    for await (const event of storedEventsOf(this.store).readStream(stream)) {
      state = evolveErasure(signalDecider, state, event);
      revision = event.revision;
    }
    return { state, revision };
  }

  private async liveKeyIds(tenantId: string, signalId: string): Promise<string[]> {
    return (await this.keys.keysOf({ tenantId, signalId }))
      .filter((key) => key.destroyedAt === null)
      .map((key) => key.keyId);
  }
}

export { ErasureError };
