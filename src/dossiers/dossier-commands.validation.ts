import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import { CONTROL_CHARACTER_FAULT, hasControlCharacter, isBlank } from '../platform/text.js';
import { ApiError, notPlainJsonBody } from '../platform/http/api-error.js';
import { isUuid } from '../platform/ids.js';
import { plainJsonFault } from '../platform/json.js';
import { MAX_MEMBERS, type DossierCommand, type DossierCommandName } from './dossier.decider.js';
import { ESCALATION_LEVELS, type EscalationLevel } from './dossier.events.js';

type FieldRule =
  | { kind: 'text'; min: number; max: number }
  | { kind: 'texts'; min: number; max: number; maxLength: number }
  | { kind: 'themes'; min: number; max: number }
  | { kind: 'uuid' }
  | { kind: 'uuids'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'level' };

const TITLE: FieldRule = { kind: 'text', min: 3, max: 200 };
const LONG: FieldRule = { kind: 'text', min: 1, max: 4000 };
const SHORT: FieldRule = { kind: 'text', min: 1, max: 1000 };
const THEMES: FieldRule = { kind: 'themes', min: 1, max: 10 };

/** The fields of each dossier command: all required (a decision without actions sends `[]`). */
export const DOSSIER_FIELDS: Record<DossierCommandName, Record<string, FieldRule>> = {
  create: {
    title: TITLE,
    summary: LONG,
    themes: THEMES,
    signalIds: { kind: 'uuids', min: 1, max: MAX_MEMBERS },
  },
  'add-signal': { signalId: { kind: 'uuid' } },
  'remove-signal': { signalId: { kind: 'uuid' }, reason: SHORT },
  'record-analysis': { conclusion: LONG, structural: { kind: 'boolean' }, themes: THEMES },
  escalate: { level: { kind: 'level' }, body: { kind: 'text', min: 2, max: 200 }, motivation: LONG },
  'record-policy-decision': {
    decision: LONG,
    actions: { kind: 'texts', min: 0, max: 20, maxLength: 500 },
    feedback: LONG,
  },
  close: { outcome: LONG },
};

/** Free-text fields, checked for personal data of citizens before anything is recorded. */
export const DOSSIER_FREE_TEXT = [
  'title',
  'summary',
  'reason',
  'conclusion',
  'body',
  'motivation',
  'decision',
  'actions',
  'feedback',
  'outcome',
] as const;

export function isDossierCommandName(name: string): name is DossierCommandName {
  return Object.hasOwn(DOSSIER_FIELDS, name);
}

/**
 * Checks a request body against the command's fields: a plain JSON object with exactly these
 * fields (unknown and server-owned ones refused), each valid. Returns the typed command.
 */
export function validateDossierCommand(
  name: DossierCommandName,
  dossierId: string,
  body: unknown,
): DossierCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'INVALID_BODY', 'De inhoud van het verzoek moet een JSON-object zijn.');
  }
  const fault = plainJsonFault(body, 'body');
  if (fault) throw notPlainJsonBody(fault);
  const rules = DOSSIER_FIELDS[name];
  const record = body as Record<string, unknown>;
  const problems: Array<{ field: string; messages: string[] }> = [];
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(rules, key))
      problems.push({ field: key, messages: [`Het veld '${key}' hoort niet bij deze opdracht.`] });
  }
  for (const [field, rule] of Object.entries(rules)) {
    const message = problem(field, rule, record[field]);
    if (message) problems.push({ field, messages: [message] });
  }
  if (problems.length > 0) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      problems.map((p) => p.messages.join(' ')).join(' '),
      problems.slice(0, 20),
    );
  }
  return { name, dossierId, ...record } as DossierCommand;
}

function problem(field: string, rule: FieldRule, value: unknown): string | null {
  const say = (text: string) => `Het veld '${field}' ${text}.`;
  if (value === undefined || value === null) return say('is verplicht');
  switch (rule.kind) {
    case 'text':
      if (typeof value !== 'string') return say('moet tekst zijn');
      if (hasControlCharacter(value)) return say(CONTROL_CHARACTER_FAULT);
      if (value.trim().length < rule.min || value.length > rule.max || (rule.min > 0 && isBlank(value)))
        return say(`moet ${rule.min} tot ${rule.max} tekens lang zijn`);
      return null;
    case 'texts':
      if (!Array.isArray(value)) return say('moet een lijst van teksten zijn');
      if (value.length < rule.min || value.length > rule.max)
        return say(`bevat ${rule.min} tot ${rule.max} teksten`);
      if (
        !value.every(
          (item) =>
            typeof item === 'string' &&
            !isBlank(item) &&
            !hasControlCharacter(item) &&
            item.length <= rule.maxLength,
        )
      )
        return say(`bevat alleen teksten van 1 tot ${rule.maxLength} tekens`);
      return null;
    case 'themes':
      if (!Array.isArray(value)) return say('moet een lijst zijn');
      if (value.length < rule.min || value.length > rule.max)
        return say(`moet ${rule.min} tot ${rule.max} thema's bevatten`);
      if (!value.every((code) => isCode('themes', code))) return say('bevat een onbekende themacode');
      if (new Set(value).size !== value.length) return say('bevat een code twee keer');
      return null;
    case 'uuid':
      return isUuid(value) ? null : say('moet een geldige signaal-id (UUID) zijn');
    case 'uuids':
      if (!Array.isArray(value)) return say('moet een lijst van signaal-id’s zijn');
      if (value.length < rule.min || value.length > rule.max)
        return say(`moet ${rule.min} tot ${rule.max} signalen bevatten`);
      if (!value.every((id) => isUuid(id))) return say('bevat een ongeldige signaal-id');
      if (new Set(value).size !== value.length) return say('bevat een signaal twee keer');
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : say('moet true of false zijn');
    case 'level':
      return ESCALATION_LEVELS.includes(value as EscalationLevel)
        ? null
        : say("moet 'local' (lokaal orgaan) of 'supralocal' (VVSG, Vlaanderen, Federaal) zijn");
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}
