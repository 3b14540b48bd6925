import type { CodeList } from '../taxonomy/taxonomy.js';

/**
 * The fields commands may carry, as data. `freeText` fields are checked for personal data at
 * intake; `erasable` ones are also stored encrypted under the signal's data key and are what an
 * erasure blanks; `signalAttribute` fields update the signal when recorded.
 */
export type FieldSpec = { label: string; signalAttribute?: boolean } & (
  | { kind: 'text'; minLength: number; maxLength: number; freeText: boolean; erasable: boolean }
  | { kind: 'codes'; of: CodeList; minItems: number; maxItems: number }
  | { kind: 'code'; of: CodeList }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'uuid' }
  | { kind: 'subject' }
);

const text = (
  label: string,
  minLength: number,
  maxLength: number,
  signalAttribute = false,
  erasable = true,
): FieldSpec => ({
  label,
  kind: 'text',
  minLength,
  maxLength,
  freeText: true,
  erasable,
  signalAttribute,
});

export const FIELDS = {
  title: text('Titel', 5, 200, true),
  description: text('Beschrijving', 10, 5000, true),
  themes: { label: "Thema's", kind: 'codes', of: 'themes', minItems: 1, maxItems: 5, signalAttribute: true },
  targetGroups: {
    label: 'Doelgroepen',
    kind: 'codes',
    of: 'targetGroups',
    minItems: 0,
    maxItems: 10,
    signalAttribute: true,
  },
  // A place (deelgemeente or wijk) and a policy body name no person: structured, kept readable.
  area: text('Gebied (deelgemeente of wijk)', 2, 100, true, false),
  // What kind of place the area is: a shared code, so that supra-local views can compare.
  areaType: { label: 'Soort gebied', kind: 'code', of: 'areaTypes', signalAttribute: true },
  estimatedPeopleAffected: {
    label: 'Geschat aantal betrokkenen',
    kind: 'integer',
    min: 1,
    max: 10_000_000,
    signalAttribute: true,
  },
  urgency: { label: 'Urgentie', kind: 'enum', values: ['low', 'normal', 'high'], signalAttribute: true },
  reason: text('Reden', 5, 2000),
  feedback: text('Feedback aan de signaalgever', 5, 4000),
  targetSignalId: { label: 'Signaal waarmee samengevoegd wordt', kind: 'uuid' },
  assigneeId: { label: 'Signaalverwerker', kind: 'subject', signalAttribute: true },
  policyDomain: { label: 'Beleidsdomein', kind: 'code', of: 'policyDomains', signalAttribute: true },
  question: text('Vraag', 5, 2000),
  answer: text('Antwoord', 2, 4000),
  conclusion: text('Conclusie', 5, 8000),
  structural: { label: 'Structureel signaal', kind: 'boolean', signalAttribute: true },
  level: { label: 'Niveau', kind: 'enum', values: ['local', 'supralocal'] },
  body: text('Orgaan (bv. college, OCMW-raad, overlegtafel, VVSG)', 2, 200, false, false),
  motivation: text('Motivering', 5, 4000),
  decision: text('Beslissing', 5, 8000),
  outcome: text('Resultaat', 5, 4000),
  note: text('Notitie', 1, 4000),
  // Set by the engine's process workflows (system commands), never typed by a person.
  dossierId: { label: 'Dossier', kind: 'uuid' },
  deadlineState: {
    label: 'Toestand met de termijn',
    kind: 'text',
    minLength: 1,
    maxLength: 50,
    freeText: false,
    erasable: false,
  },
  dueAt: {
    label: 'Termijn verstreken op',
    kind: 'text',
    minLength: 20,
    maxLength: 30,
    freeText: false,
    erasable: false,
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

export function isFieldName(value: string): value is FieldName {
  return Object.prototype.hasOwnProperty.call(FIELDS, value);
}

/** Free-text fields: what intake checks for personal data and what erasure blanks. */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set<string>(
  (Object.keys(FIELDS) as FieldName[]).filter((name) => {
    const spec: FieldSpec = FIELDS[name];
    return spec.kind === 'text' && spec.freeText;
  }),
);

/**
 * Free text that may describe a situation in a person's words: stored encrypted under the
 * signal's data key, blanked to ERASED_TEXT by an erasure (README, Privacy by design).
 */
export const ERASABLE_TEXT_FIELDS: ReadonlySet<string> = new Set<string>(
  (Object.keys(FIELDS) as FieldName[]).filter((name) => {
    const spec: FieldSpec = FIELDS[name];
    return spec.kind === 'text' && spec.erasable;
  }),
);

/** What erased text reads as, in every read model and answer. */
export const ERASED_TEXT = '[gewist]';

/** A signal's attributes as commands record them (the catalogue's `signalAttribute` fields). */
export interface SignalAttributes {
  title: string | null;
  description: string | null;
  themes: string[];
  targetGroups: string[];
  area: string | null;
  areaType: string | null;
  estimatedPeopleAffected: number | null;
  urgency: string | null;
  structural: boolean | null;
  assigneeId: string | null;
  policyDomain: string | null;
}
