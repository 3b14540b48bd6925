import { describe, expect, it } from '@jest/globals';
import { decideTenant, foldTenant, type TenantCommand } from './tenant.decider.js';
import { TenantDomainError } from './tenant.errors.js';
import { DEFAULT_SETTINGS, type TenantEvent } from './tenant.events.js';

const created: TenantEvent = {
  type: 'TenantCreated',
  data: { tenantId: 'mortsel', name: 'Mortsel', nisCode: '11029', populationBand: '25000-50000' },
};

/** given(events).when(command).then(events | error) */
function given(events: TenantEvent[]) {
  return {
    when(command: TenantCommand) {
      const run = () => decideTenant(command, foldTenant(events));
      return {
        then(expected: TenantEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenRefused(code: string, field?: string) {
          let error: unknown;
          try {
            run();
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(TenantDomainError);
          expect((error as TenantDomainError).code).toBe(code);
          if (field) expect((error as TenantDomainError).details).toEqual({ field });
          expect((error as Error).message).toMatch(/[a-z]/);
        },
      };
    },
  };
}

const change = (patch: unknown): TenantCommand => ({
  type: 'ChangeTenantSettings',
  tenantId: 'mortsel',
  patch,
});

describe('tenant decider', () => {
  it('creates a tenant with slug, name, NIS code and population band', () => {
    given([])
      .when({
        type: 'CreateTenant',
        tenantId: 'mortsel',
        name: 'Mortsel',
        nisCode: '11029',
        populationBand: '25000-50000',
      })
      .then([created]);
  });

  it.each([
    [{ nisCode: '1102' }, 'nisCode'],
    [{ populationBand: 'huge' }, 'populationBand'],
    [{ name: 'M' }, 'name'],
    [{ tenantId: 'Mortsel' }, 'slug'],
  ])('refuses a tenant with a bad field %j', (override, field) => {
    given([])
      .when({
        type: 'CreateTenant',
        tenantId: 'mortsel',
        name: 'Mortsel',
        nisCode: '11029',
        populationBand: '25000-50000',
        ...override,
      })
      .thenRefused('SETTING_INVALID', field);
  });

  it('refuses to create a tenant twice', () => {
    given([created])
      .when({
        type: 'CreateTenant',
        tenantId: 'mortsel',
        name: 'Mortsel',
        nisCode: '11029',
        populationBand: '25000-50000',
      })
      .thenRefused('TENANT_ALREADY_EXISTS');
  });

  it('has the defaults until settings change: workflow v1, 5 years retention, no opt-in', () => {
    const state = foldTenant([created]);
    expect(state.status === 'exists' && state.settings).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.retentionYears).toBe(5);
  });

  it('records only the settings that change', () => {
    given([created])
      .when(change({ retentionYears: 5, supralocalOptIn: true, deadlineOverrides: { submitted: 4 } }))
      .then([
        {
          type: 'TenantSettingsChanged',
          data: {
            tenantId: 'mortsel',
            changes: { supralocalOptIn: true, deadlineOverrides: { submitted: 4 } },
          },
        },
      ]);
    given([created])
      .when(change({ retentionYears: 5 }))
      .then([]);
  });

  it('folds settings changes onto the defaults', () => {
    const state = foldTenant([
      created,
      { type: 'TenantSettingsChanged', data: { tenantId: 'mortsel', changes: { retentionYears: 7 } } },
      { type: 'TenantSettingsChanged', data: { tenantId: 'mortsel', changes: { supralocalOptIn: true } } },
    ]);
    expect(state.status === 'exists' && state.settings).toEqual({
      ...DEFAULT_SETTINGS,
      retentionYears: 7,
      supralocalOptIn: true,
    });
  });

  it('accepts every kind of setting when valid', () => {
    const patch = {
      workflowVersion: 1,
      deadlineOverrides: { submitted: 3, 'in-analysis': 30 },
      supralocalOptIn: true,
      localSubThemes: [{ code: 'leegstand', label: 'Leegstand', theme: 'wonen' }],
      contactPoint: { name: 'Sociaal Huis Mortsel', email: 'signalen@mortsel.be', phone: '03 444 17 17' },
      privacyStatement: 'Een signaal beschrijft een situatie, geen persoon. We bewaren signalen vijf jaar.',
      inviteInstructions: 'Mail het meldpunt met je naam en organisatie.',
      agreements: [
        { title: 'Samenwerking CAW', summary: 'CAW verwerkt eigen signalen.', organisationIds: ['caw'] },
      ],
      retentionYears: 10,
    };
    const [event] = decideTenant(change(patch), foldTenant([created]));
    // workflowVersion 1 is the default already: no change to record.
    const { workflowVersion: _unchanged, ...changed } = patch;
    expect(event?.data.changes).toEqual(changed);
  });

  it.each([
    [{ workflowVersion: 9 }, 'SETTING_INVALID', 'workflowVersion'],
    [{ deadlineOverrides: { closed: 3 } }, 'SETTING_INVALID', 'deadlineOverrides'],
    [{ deadlineOverrides: { submitted: 0 } }, 'SETTING_INVALID', 'deadlineOverrides'],
    [{ deadlineOverrides: { unknown: 3 } }, 'SETTING_INVALID', 'deadlineOverrides'],
    [{ supralocalOptIn: 'yes' }, 'SETTING_INVALID', 'supralocalOptIn'],
    [{ localSubThemes: [{ code: 'x', label: 'Xx', theme: 'nope' }] }, 'SETTING_INVALID', 'localSubThemes'],
    [
      { localSubThemes: [{ code: 'wonen', label: 'Wonen', theme: 'wonen' }] },
      'SETTING_INVALID',
      'localSubThemes',
    ],
    [{ contactPoint: { name: 'Meldpunt', email: 'geen-mail' } }, 'SETTING_INVALID', 'contactPoint'],
    [{ retentionYears: 0 }, 'SETTING_INVALID', 'retentionYears'],
    [{ retentionYears: 2.5 }, 'SETTING_INVALID', 'retentionYears'],
    [{ privacyStatement: 'kort' }, 'SETTING_INVALID', 'privacyStatement'],
    [{ agreements: [{ title: 'A', summary: 'Bb' }] }, 'SETTING_INVALID', 'agreements'],
    [{ tenantId: 'gent' }, 'SETTING_UNKNOWN', 'tenantId'],
  ])('refuses %j with %s naming the field', (patch, code, field) => {
    given([created]).when(change(patch)).thenRefused(code, field);
  });

  it('refuses an empty patch and settings of a tenant that does not exist', () => {
    given([created]).when(change({})).thenRefused('INVALID_BODY');
    given([created]).when(change([])).thenRefused('INVALID_BODY');
    given([])
      .when(change({ retentionYears: 3 }))
      .thenRefused('TENANT_NOT_FOUND');
  });
});
