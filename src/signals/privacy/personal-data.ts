/**
 * The privacy guard at intake: a signal describes a situation, not a person (DOMAIN.md), so free
 * text that holds a citizen's identifiers is refused. Pure functions, no I/O.
 *
 * Every detector prefers a checksum or a strict shape over a loose pattern: a guard that refuses
 * "35 gezinnen" or "1.250 euro" would teach people to work around it.
 */

export type PersonalDataKind = 'national-register-number' | 'email' | 'phone' | 'iban';

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  match: string;
}

const KIND_LABELS: Record<PersonalDataKind, string> = {
  'national-register-number': 'een rijksregisternummer',
  email: 'een e-mailadres',
  phone: 'een telefoonnummer',
  iban: 'een rekeningnummer (IBAN)',
};

export class PersonalDataError extends Error {
  readonly code = 'PERSONAL_DATA_DETECTED';

  constructor(
    readonly field: string,
    readonly kind: PersonalDataKind,
  ) {
    // Names the field and the kind, never the value: the message may be logged or shown elsewhere.
    super(
      `Het veld '${field}' bevat wat lijkt op ${KIND_LABELS[kind]}. ` +
        'Een signaal beschrijft een situatie, geen persoon: laat persoonsgegevens weg.',
    );
    this.name = 'PersonalDataError';
  }
}

interface Span {
  start: number;
  end: number;
}

interface Located extends Span, PersonalDataFinding {}

const UUID_IN_TEXT = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** The personal data found in `text`, in order of appearance; overlapping candidates count once. */
export function findPersonalData(text: string): PersonalDataFinding[] {
  // One flag per character: overlap checks stay linear however many findings a text holds.
  const taken = new Uint8Array(text.length);
  const take = ({ start, end }: Span): void => {
    taken.fill(1, start, end);
  };
  const found: Located[] = [];
  const accept = (candidate: Located): void => {
    if (taken.subarray(candidate.start, candidate.end).includes(1)) return;
    take(candidate);
    found.push(candidate);
  };

  // Ids quoted in a text (another signal, a dossier) are no personal data and shield their digits.
  for (const m of text.matchAll(UUID_IN_TEXT)) take({ start: m.index, end: m.index + m[0].length });
  // IBAN first: its digit groups must not be read again as a phone or register number. An
  // IBAN-shaped string with a wrong checksum is no finding, but it still shields its digits.
  for (const candidate of ibanCandidates(text)) {
    if (candidate.valid) accept({ ...candidate, kind: 'iban' });
    else take(candidate);
  }
  for (const candidate of emails(text)) accept({ ...candidate, kind: 'email' });
  for (const candidate of nationalRegisterNumbers(text)) {
    accept({ ...candidate, kind: 'national-register-number' });
  }
  for (const candidate of phoneNumbers(text)) accept({ ...candidate, kind: 'phone' });

  return found.sort((a, b) => a.start - b.start).map(({ kind, match }) => ({ kind, match }));
}

/**
 * Throws PersonalDataError for the first free-text field holding personal data. Strings are
 * checked, and strings nested in arrays or objects (e.g. a list of answers) under the field's name.
 */
export function assertNoPersonalData(
  fields: Record<string, unknown>,
  freeTextFieldNames: readonly string[],
): void {
  for (const name of freeTextFieldNames) {
    if (!Object.hasOwn(fields, name)) continue;
    for (const text of stringsIn(fields[name])) {
      const [first] = findPersonalData(text);
      if (first) throw new PersonalDataError(name, first.kind);
    }
  }
}

function* stringsIn(value: unknown, depth = 0): Generator<string> {
  // Bodies are validated and shallow before they get here; the bound only keeps this total.
  if (depth > 16) return;
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) yield* stringsIn(item, depth + 1);
  }
}

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    yield m;
    // Retry one character further, not after the match: a rejected candidate must not hide an
    // overlapping real one.
    re.lastIndex = m.index + 1;
  }
}

function located(m: RegExpExecArray): Span & { match: string } {
  return { start: m.index, end: m.index + m[0].length, match: m[0] };
}

// ---- national register number (rijksregisternummer) and BIS number ----

// YYMMDD SSS CC; any one of space, dot, dash (or a no-break space) between the groups.
const RRN_SEP = '[ .\\-\\u00A0]?';
const RRN = new RegExp(
  `(?<!\\d|\\d[.,/-])(\\d{2})${RRN_SEP}(\\d{2})${RRN_SEP}(\\d{2})${RRN_SEP}(\\d{3})${RRN_SEP}(\\d{2})(?!\\d|[.,/-]\\d)`,
  'g',
);

function* nationalRegisterNumbers(text: string): Generator<Span & { match: string }> {
  for (const m of matchesOf(RRN, text)) {
    const [, yy, mm, dd, serial, check] = m;
    if (yy && mm && dd && serial && check && isNationalRegisterNumber(yy + mm + dd + serial, Number(check))) {
      yield located(m);
    }
  }
}

/** `first9` = YYMMDDSSS. Checksum 97 − (n mod 97); for births from 2000 on, n is prefixed with 2. */
export function isNationalRegisterNumber(first9: string, check: number): boolean {
  const month = Number(first9.slice(2, 4));
  const day = Number(first9.slice(4, 6));
  // Month 0 / day 0 for an unknown birth date; BIS numbers add 20 or 40 to the month.
  const monthOk = month <= 12 || (month >= 20 && month <= 32) || (month >= 40 && month <= 52);
  if (!monthOk || day > 31) return false;
  const n = Number(first9);
  return 97 - (n % 97) === check || 97 - ((2_000_000_000 + n) % 97) === check;
}

// ---- e-mail ----

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;
// "jan.peeters (at) telenet.be", "jan [at] telenet [punt] be": people disguise addresses from spam bots.
const OBFUSCATED_EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+ ?[[(] ?(?:at|@) ?[\])] ?(?:[\p{L}\p{N}-]+(?:\.| ?[[(] ?(?:dot|punt) ?[\])] ?))+\p{L}{2,24}(?![\p{L}\p{N}-])/giu;

function* emails(text: string): Generator<Span & { match: string }> {
  for (const m of matchesOf(EMAIL, text)) yield located(m);
  for (const m of matchesOf(OBFUSCATED_EMAIL, text)) yield located(m);
}

// ---- phone numbers ----

// Between digits: one space, or one of . / - with optional spaces around ("0470 / 12.34.56").
const PHONE_SEP = '(?:[ \\u00A0]?[./-][ \\u00A0]?|[ \\u00A0])';
// National trunk prefix 0 (Belgium, the Netherlands, France, …): 9 or 10 digits in all.
const NATIONAL_PHONE = new RegExp(
  `(?<![\\p{L}\\p{N}_+]|\\p{N}[.,/-])0[1-9](?:${PHONE_SEP}?\\d){7,8}(?!${PHONE_SEP}?\\d)`,
  'gu',
);
// International: +CC or 00CC, "(0)" allowed after the country code, brackets around an area code.
const INTL_SEP = '(?:[ \\u00A0]?\\(0\\)[ \\u00A0]?|[ \\u00A0]?[./(-][ \\u00A0]?|\\)[ \\u00A0]?|[ \\u00A0])';
const INTERNATIONAL_PHONE = new RegExp(
  `(?:(?<![\\p{L}\\p{N}_+])\\+|(?<![\\p{L}\\p{N}_+.,/-])00)[1-9](?:${INTL_SEP}?\\d){6,14}(?!${INTL_SEP}?\\d)`,
  'gu',
);
// dd.mm.yyyy (or / -) with a real day and month: a date followed by a time is not a phone number.
const DATE_PREFIX = /^(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?![./-]?\d)/;
// "+12.500.000": a signed amount with thousands separators.
const SIGNED_AMOUNT = /^\+\d{1,3}(?:\.\d{3})+$/;

// An organisation's enterprise number (ondernemingsnummer, "0203.201.340") is 10 digits from 0
// too, but it names an organisation: its label or its own mod-97 check gives it away.
const ENTERPRISE_LABEL = /(?:\bbtw|\bkbo|\bondernemings)(?:-?nummer|-?nr\.?)?[\s:.-]*$/i;
const VAT_PREFIX = /\bBE[\s:.-]*$/;
const ENTERPRISE_NOTATION = /^[01]\d{3}\.\d{3}\.\d{3}$/;

function* phoneNumbers(text: string): Generator<Span & { match: string }> {
  for (const m of matchesOf(NATIONAL_PHONE, text)) {
    if (looksLikeDate(m[0]) || isEnterpriseNumber(m[0], text.slice(Math.max(0, m.index - 30), m.index))) {
      continue;
    }
    yield located(m);
  }
  for (const m of matchesOf(INTERNATIONAL_PHONE, text)) {
    const digits = m[0].replace(/\(0\)/g, '').replace(/\D/g, '').replace(/^00/, '');
    if (digits.length >= 8 && digits.length <= 15 && !SIGNED_AMOUNT.test(m[0])) yield located(m);
  }
}

function isEnterpriseNumber(candidate: string, before: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length !== 10) return false;
  if (ENTERPRISE_LABEL.test(before) || VAT_PREFIX.test(before)) return true;
  return (
    ENTERPRISE_NOTATION.test(candidate) && 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8))
  );
}

function looksLikeDate(candidate: string): boolean {
  const m = DATE_PREFIX.exec(candidate);
  if (!m) return false;
  const day = Number(m[1]);
  const month = Number(m[2]);
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

// ---- IBAN ----

/** IBAN length per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 ' +
    'DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 ' +
    'IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 ' +
    'MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 ' +
    'SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry): [string, number] => [entry.slice(0, 2), Number(entry.slice(2))]),
);

const IBAN_START = /(?<![\p{L}\p{N}])([A-Za-z]{2})\d{2}/gu;
const ALNUM = /^[A-Za-z0-9]$/;
const SPACE = /^[ \u00A0]$/;

/**
 * Every string shaped like an IBAN of a known country: exactly its length, written solid or in
 * groups of four. The country length rules out most words and numbers before the checksum does.
 */
function* ibanCandidates(text: string): Generator<Span & { match: string; valid: boolean }> {
  for (const m of matchesOf(IBAN_START, text)) {
    const length = IBAN_LENGTHS.get((m[1] ?? '').toUpperCase());
    if (length === undefined) continue;
    let compact = '';
    let i = m.index;
    while (i < text.length && compact.length < length) {
      const char = text.charAt(i);
      if (ALNUM.test(char)) {
        compact += char;
        i++;
      } else if (SPACE.test(char) && compact.length % 4 === 0 && ALNUM.test(text.charAt(i + 1))) {
        i++;
      } else break;
    }
    if (compact.length !== length || ALNUM.test(text.charAt(i))) continue;
    yield { start: m.index, end: i, match: text.slice(m.index, i), valid: isValidIban(compact) };
  }
}

/** ISO 13616 check: move the first four characters to the end, letters to 10..35, mod 97 = 1. */
export function isValidIban(compact: string): boolean {
  const rearranged = (compact.slice(4) + compact.slice(0, 4)).toUpperCase();
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    if (Number.isNaN(value)) return false;
    // Two-digit values (letters) shift by 100, digits by 10; the remainder stays small.
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}
