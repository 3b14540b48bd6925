import { WORKFLOWS } from '../../workflows/registry.js';
import { hasControlCharacter, isBlank } from '../platform/text.js';
import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import { canonicalJson, type JsonObject, type JsonValue } from '../platform/json.js';
import { invalidSetting, TenantDomainError } from './tenant.errors.js';
import {
  type Agreement,
  type ContactPoint,
  DEFAULT_SETTINGS,
  type LocalSubTheme,
  POPULATION_BANDS,
  type PopulationBand,
  SETTING_NAMES,
  type TenantEvent,
  type TenantSettingsPatch,
  type TenantSettingsValue,
} from './tenant.events.js';

export type TenantState =
  | { status: 'none' }
  | {
      status: 'exists';
      tenantId: string;
      name: string;
      nisCode: string;
      populationBand: PopulationBand;
      settings: TenantSettingsValue;
    };

export type TenantCommand =
  | { type: 'CreateTenant'; tenantId: string; name: string; nisCode: string; populationBand: string }
  | { type: 'ChangeTenantSettings'; tenantId: string; patch: unknown };

export const initialTenantState: TenantState = { status: 'none' };

const SLUG = /^[a-z][a-z0-9-]{1,62}$/;
const NIS = /^\d{5}$/;
const CODE = /^[a-z][a-z0-9-]{0,62}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[a-z]{2,}$/i;
const PHONE = /^\+?[0-9 ./-]{6,20}$/;

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated':
      return {
        status: 'exists',
        tenantId: event.data.tenantId,
        name: event.data.name,
        nisCode: event.data.nisCode,
        populationBand: event.data.populationBand,
        settings: DEFAULT_SETTINGS,
      };
    case 'TenantSettingsChanged':
      if (state.status !== 'exists') return state;
      return {
        ...state,
        settings: { ...state.settings, ...(event.data.changes as unknown as TenantSettingsPatch) },
      };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** Pure: validates the command against the tenant as it stands and returns the events to record. */
export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'CreateTenant': {
      if (state.status === 'exists') {
        throw new TenantDomainError(
          'TENANT_ALREADY_EXISTS',
          409,
          `Het bestuur '${command.tenantId}' bestaat al.`,
        );
      }
      if (!SLUG.test(command.tenantId)) {
        throw invalidSetting(
          'slug',
          'De korte naam (slug) bestaat uit kleine letters, cijfers en koppeltekens (2 tot 63 tekens).',
        );
      }
      const name = text(command.name, 'name', 2, 120);
      if (!NIS.test(command.nisCode))
        throw invalidSetting('nisCode', 'De NIS-code bestaat uit vijf cijfers.');
      if (!(POPULATION_BANDS as readonly string[]).includes(command.populationBand)) {
        throw invalidSetting(
          'populationBand',
          `De bevolkingsklasse is een van: ${POPULATION_BANDS.join(', ')}.`,
        );
      }
      return [
        {
          type: 'TenantCreated',
          data: {
            tenantId: command.tenantId,
            name,
            nisCode: command.nisCode,
            populationBand: command.populationBand as PopulationBand,
          },
        },
      ];
    }
    case 'ChangeTenantSettings': {
      if (state.status !== 'exists') {
        throw new TenantDomainError('TENANT_NOT_FOUND', 404, 'Dit bestuur is nog niet aangemaakt.');
      }
      const patch = validateSettingsPatch(command.patch, state.settings);
      const changes: JsonObject = {};
      for (const [name, value] of Object.entries(patch)) {
        // Canonical JSON: a stored event's objects come back with their keys sorted.
        const before = state.settings[name as keyof TenantSettingsValue] as unknown as JsonValue;
        if (canonicalJson(value as JsonValue) !== canonicalJson(before)) {
          changes[name] = value as JsonObject[string];
        }
      }
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'TenantSettingsChanged', data: { tenantId: state.tenantId, changes } }];
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

export function foldTenant(events: readonly TenantEvent[]): TenantState {
  return events.reduce(evolveTenant, initialTenantState);
}

/** Checks a settings patch field by field; the message names the field in Dutch terms. */
export function validateSettingsPatch(raw: unknown, current: TenantSettingsValue): TenantSettingsPatch {
  if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
    throw new TenantDomainError(
      'INVALID_BODY',
      400,
      `Geef minstens één instelling om te wijzigen: ${SETTING_NAMES.join(', ')}.`,
    );
  }
  const patch: TenantSettingsPatch = {};
  for (const [name, value] of Object.entries(raw)) {
    switch (name) {
      case 'workflowVersion': {
        const versions = WORKFLOWS.filter((d) => d.name === 'signal-lifecycle').map((d) => d.version);
        if (typeof value !== 'number' || !versions.includes(value)) {
          throw invalidSetting(
            name,
            `De werkstroomversie voor nieuwe signalen is een van: ${versions.join(', ')}.`,
          );
        }
        patch.workflowVersion = value;
        break;
      }
      case 'deadlineOverrides':
        patch.deadlineOverrides = deadlineOverrides(value, patch.workflowVersion ?? current.workflowVersion);
        break;
      case 'supralocalOptIn':
        if (typeof value !== 'boolean') throw invalidSetting(name, 'Bovenlokale deelname is true of false.');
        patch.supralocalOptIn = value;
        break;
      case 'localSubThemes':
        patch.localSubThemes = localSubThemes(value);
        break;
      case 'contactPoint':
        patch.contactPoint = contactPoint(value);
        break;
      case 'privacyStatement':
        patch.privacyStatement = value === null ? null : text(value, name, 20, 20_000);
        break;
      case 'inviteInstructions':
        patch.inviteInstructions = value === null ? null : text(value, name, 10, 2_000);
        break;
      case 'agreements':
        patch.agreements = agreements(value);
        break;
      case 'retentionYears':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 30) {
          throw invalidSetting(name, 'De bewaartermijn is een geheel aantal jaren van 1 tot 30.');
        }
        patch.retentionYears = value;
        break;
      default:
        throw new TenantDomainError(
          'SETTING_UNKNOWN',
          400,
          `Onbekende instelling '${name.slice(0, 40)}'. Mogelijk: ${SETTING_NAMES.join(', ')}.`,
          { field: name.slice(0, 40) },
        );
    }
  }
  return patch;
}

function deadlineOverrides(value: unknown, workflowVersion: number): Record<string, number> {
  const field = 'deadlineOverrides';
  if (!isPlainObject(value))
    throw invalidSetting(field, 'De termijnen zijn een object: toestand → aantal dagen.');
  const definition = WORKFLOWS.find((d) => d.name === 'signal-lifecycle' && d.version === workflowVersion);
  const states = definition ? Object.entries(definition.states).filter(([, s]) => !s.terminal) : [];
  const names = states.map(([name]) => name);
  const result: Record<string, number> = {};
  for (const [state, days] of Object.entries(value)) {
    if (!names.includes(state)) {
      throw invalidSetting(
        field,
        `'${state.slice(0, 40)}' is geen toestand met een termijn. Mogelijk: ${names.join(', ')}.`,
      );
    }
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) {
      throw invalidSetting(field, `De termijn van '${state}' is een geheel aantal dagen van 1 tot 365.`);
    }
    result[state] = days;
  }
  return result;
}

function localSubThemes(value: unknown): LocalSubTheme[] {
  const field = 'localSubThemes';
  if (!Array.isArray(value) || value.length > 200) {
    throw invalidSetting(field, 'Lokale subthema’s zijn een lijst (hoogstens 200).');
  }
  const seen = new Set<string>();
  return value.map((item: unknown) => {
    if (!isPlainObject(item) || Object.keys(item).some((k) => !['code', 'label', 'theme'].includes(k))) {
      throw invalidSetting(field, 'Een lokaal subthema heeft enkel code, label en theme.');
    }
    const { code, label, theme } = item;
    if (typeof code !== 'string' || !CODE.test(code)) {
      throw invalidSetting(
        field,
        'De code van een subthema bestaat uit kleine letters, cijfers en koppeltekens.',
      );
    }
    if (isCode('themes', code) || seen.has(code)) {
      throw invalidSetting(field, `De subthemacode '${code}' is al in gebruik.`);
    }
    seen.add(code);
    if (!isCode('themes', theme)) {
      throw invalidSetting(
        field,
        `Het subthema '${code}' hoort bij een gedeeld thema; '${String(theme).slice(0, 40)}' is er geen.`,
      );
    }
    return { code, label: text(label, field, 2, 100), theme };
  });
}

function contactPoint(value: unknown): ContactPoint | null {
  const field = 'contactPoint';
  if (value === null) return null;
  if (!isPlainObject(value) || Object.keys(value).some((k) => !['name', 'email', 'phone'].includes(k))) {
    throw invalidSetting(field, 'Het meldpunt heeft name, email en eventueel phone.');
  }
  const email = value['email'];
  if (typeof email !== 'string' || !EMAIL.test(email)) {
    throw invalidSetting(field, 'Het e-mailadres van het meldpunt is ongeldig.');
  }
  const phone = value['phone'] ?? null;
  if (phone !== null && (typeof phone !== 'string' || !PHONE.test(phone))) {
    throw invalidSetting(field, 'Het telefoonnummer van het meldpunt is ongeldig.');
  }
  return { name: text(value['name'], field, 2, 120), email, phone };
}

function agreements(value: unknown): Agreement[] {
  const field = 'agreements';
  if (!Array.isArray(value) || value.length > 100) {
    throw invalidSetting(field, 'De afspraken zijn een lijst (hoogstens 100).');
  }
  return value.map((item: unknown) => {
    if (
      !isPlainObject(item) ||
      Object.keys(item).some((k) => !['title', 'summary', 'organisationIds'].includes(k))
    ) {
      throw invalidSetting(field, 'Een afspraak heeft title, summary en organisationIds.');
    }
    const ids = item['organisationIds'] ?? [];
    if (
      !Array.isArray(ids) ||
      ids.length > 50 ||
      !ids.every((id) => typeof id === 'string' && CODE.test(id))
    ) {
      throw invalidSetting(field, 'organisationIds is een lijst van organisatiecodes.');
    }
    return {
      title: text(item['title'], field, 2, 200),
      summary: text(item['summary'], field, 2, 5_000),
      organisationIds: ids as string[],
    };
  });
}

/**
 * A text field, trimmed: `min` to `max` characters, no control characters. Refused as a setting
 * (SETTING_INVALID) unless `refuse` says otherwise (invalidField for other request bodies).
 */
export function text(
  value: unknown,
  field: string,
  min: number,
  max: number,
  refuse: (field: string, message: string) => TenantDomainError = invalidSetting,
): string {
  if (
    typeof value !== 'string' ||
    value.trim().length < min ||
    value.length > max ||
    hasControlCharacter(value) ||
    (min > 0 && isBlank(value))
  ) {
    throw refuse(field, `'${field}' is een tekst van ${min} tot ${max} tekens.`);
  }
  return value.trim();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}
