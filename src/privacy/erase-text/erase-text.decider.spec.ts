import { describe, expect, it } from '@jest/globals';
import { aSignalHistory } from '../../../projections/testing/builders.js';
import type { RecordedEvent } from '../../platform/event-store/event-store.port.js';
import type { SignalActor } from '../../signals/signal.decider.js';
import { signalDecider } from '../../signals/signal.repository.js';
import {
  decideTextErasure,
  evolveErasure,
  initialErasureState,
  type ErasingActor,
  type ErasureState,
} from './erase-text.decider.js';

const NOW = new Date('2031-06-01T02:00:00.000Z');
const lead: SignalActor = { id: 'lead-1', tenantId: 'gent', roles: ['lead-processor'], policyDomains: [] };
const byLead: ErasingActor = { kind: 'person', actor: lead };
const reason = 'Op vraag van de signaalgever.';

function given(events: readonly RecordedEvent[]): ErasureState {
  return events.reduce(
    (state, event) => evolveErasure(signalDecider, state, event),
    initialErasureState(signalDecider.initialState),
  );
}

describe('text erasure decider', () => {
  it('given a signal with text, when a lead processor erases it, then SignalTextErased names the live keys', () => {
    const history = aSignalHistory('gent').submit('s1').fire('s1', 'triage');
    const state = given(history.events);
    expect(state.textSinceErasure).toBe(true);
    const decided = decideTextErasure({ signalId: 's1', reason: `  ${reason} ` }, state, {
      by: byLead,
      now: NOW,
      liveKeyIds: ['k1'],
    });
    expect(decided).toEqual({
      type: 'SignalTextErased',
      data: { signalId: 's1', reason, keyIds: ['k1'] },
      metadata: {
        tenantId: 'gent',
        actor: { id: 'lead-1', role: 'lead-processor' },
        occurredAt: NOW.toISOString(),
      },
    });
  });

  it('given an erasure and no text since, then a second erasure is refused; new text makes it possible again', () => {
    const history = aSignalHistory('gent').submit('s1').erase('s1');
    const erased = given(history.events);
    expect(() =>
      decideTextErasure({ signalId: 's1', reason }, erased, { by: byLead, now: NOW, liveKeyIds: [] }),
    ).toThrow(expect.objectContaining({ code: 'TEXT_ALREADY_ERASED' }));
    history.fire('s1', 'add-note', { fields: { note: 'Nieuwe notitie.' } });
    const withText = given(history.events);
    expect(withText.textSinceErasure).toBe(true);
    expect(
      decideTextErasure({ signalId: 's1', reason }, withText, { by: byLead, now: NOW, liveKeyIds: ['k2'] })
        .data.keyIds,
    ).toEqual(['k2']);
  });

  it('refuses other roles (403), unknown signals and other tenants (404), and a bad or personal reason', () => {
    const state = given(aSignalHistory('gent').submit('s1').events);
    const context = (actor: SignalActor) => ({
      by: { kind: 'person', actor } as ErasingActor,
      now: NOW,
      liveKeyIds: [],
    });
    for (const roles of [['processor'], ['signal-giver'], ['auditor'], ['tenant-admin']] as const) {
      expect(() =>
        decideTextErasure({ signalId: 's1', reason }, state, context({ ...lead, roles: [...roles] })),
      ).toThrow(expect.objectContaining({ code: 'ROLE_NOT_ALLOWED' }));
    }
    expect(() =>
      decideTextErasure({ signalId: 's1', reason }, state, context({ ...lead, tenantId: 'eeklo' })),
    ).toThrow(expect.objectContaining({ code: 'SIGNAL_NOT_FOUND' }));
    expect(() => decideTextErasure({ signalId: 's9', reason }, given([]), context(lead))).toThrow(
      expect.objectContaining({ code: 'SIGNAL_NOT_FOUND' }),
    );
    expect(() => decideTextErasure({ signalId: 's1', reason: ' kort ' }, state, context(lead))).toThrow(
      expect.objectContaining({ code: 'ERASURE_REASON_INVALID' }),
    );
    expect(() =>
      decideTextErasure({ signalId: 's1', reason: 'Gevraagd via 0470 12 34 56' }, state, context(lead)),
    ).toThrow(expect.objectContaining({ code: 'PERSONAL_DATA_DETECTED' }));
  });

  it('the retention sweep erases for the tenant as the system actor', () => {
    const state = given(aSignalHistory('gent').submit('s1').events);
    const decided = decideTextErasure({ signalId: 's1', reason }, state, {
      by: { kind: 'retention', tenantId: 'gent' },
      now: NOW,
      liveKeyIds: [],
    });
    expect(decided.metadata.actor).toEqual({ id: 'system:retention', role: 'system' });
    expect(() =>
      decideTextErasure({ signalId: 's1', reason }, state, {
        by: { kind: 'retention', tenantId: 'eeklo' },
        now: NOW,
        liveKeyIds: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'SIGNAL_NOT_FOUND' }));
  });
});
