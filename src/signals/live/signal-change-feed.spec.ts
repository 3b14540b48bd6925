import { describe, expect, it } from '@jest/globals';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { inScope } from './signal-change-feed.js';

const actor = (
  roles: AuthenticatedActor['roles'],
  extra: Partial<AuthenticatedActor> = {},
): AuthenticatedActor => ({
  id: 'p-1',
  tenantId: 'gent',
  roles,
  policyDomains: [],
  ...extra,
});

describe('inScope (who hears of a change to a signal)', () => {
  const doc = { tenantId: 'gent', scopeKeys: ['giver:g-1', 'org:caw', 'domain:wonen'] };

  it('never lets another tenant hear of it, whatever the role', () => {
    expect(inScope(actor(['lead-processor'], { tenantId: 'eeklo' }), doc)).toBe(false);
    expect(inScope(actor(['signal-giver'], { tenantId: 'eeklo', id: 'g-1' }), doc)).toBe(false);
  });

  it('lets a lead processor hear of every signal of the tenant', () => {
    expect(inScope(actor(['lead-processor']), { tenantId: 'gent', scopeKeys: [] })).toBe(true);
  });

  it('lets a giver hear only of their own signals', () => {
    expect(inScope(actor(['signal-giver'], { id: 'g-1' }), doc)).toBe(true);
    expect(inScope(actor(['signal-giver'], { id: 'g-2' }), doc)).toBe(false);
  });

  it('lets a processor hear of signals of their domains or assigned to them', () => {
    expect(inScope(actor(['processor'], { policyDomains: ['wonen'] }), doc)).toBe(true);
    expect(inScope(actor(['processor'], { policyDomains: ['jeugd'] }), doc)).toBe(false);
    expect(
      inScope(actor(['processor'], { id: 'p-7' }), { tenantId: 'gent', scopeKeys: ['assignee:p-7'] }),
    ).toBe(true);
  });

  it("lets a partner processor hear of its organisation's signals, or none when its mode gives none", () => {
    const partner = (partnerScope: AuthenticatedActor['partnerScope']) =>
      actor(['partner-processor'], { organisationId: 'caw', partnerScope });
    expect(inScope(partner('organisation'), doc)).toBe(true);
    expect(inScope(partner('none'), doc)).toBe(false);
    expect(
      inScope(actor(['partner-processor'], { organisationId: 'ocmw', partnerScope: 'organisation' }), doc),
    ).toBe(false);
  });
});
