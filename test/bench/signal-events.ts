import type { EventMetadata, NewEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import { Random } from './prng.js';

/**
 * Deterministic, realistic `SignalSubmitted` events for benchmarks: a ~60-character title, a
 * ~400-character Dutch description, themes, target groups, an area and an urgency, with the
 * metadata every stored event carries. The same seed gives the same events (ids of the events
 * themselves are left to the store, as in production).
 */

const MUNICIPALITIES: ReadonlyArray<{ tenant: string; areas: readonly string[] }> = [
  { tenant: 'bornem', areas: ['Bornem', 'Hingene', 'Mariekerke', 'Weert'] },
  { tenant: 'dendermonde', areas: ['Appels', 'Baasrode', 'Grembergen', 'Oudegem', 'Sint-Gillis'] },
  { tenant: 'eeklo', areas: ['Centrum', 'Balgerhoeke', 'Raverschoot'] },
  {
    tenant: 'gent',
    areas: ['Ledeberg', 'Brugse Poort', 'Nieuw Gent', 'Rabot', 'Sint-Amandsberg', 'Dampoort'],
  },
  { tenant: 'kortrijk', areas: ['Heule', 'Bissegem', 'Marke', 'Overleie', 'Rollegem'] },
  { tenant: 'mortsel', areas: ['Oude-God', 'Mortsel-Centrum', 'Drie Eiken'] },
  { tenant: 'oud-turnhout', areas: ['Oud-Turnhout', 'Oosthoven', 'Zwaneven'] },
  { tenant: 'roeselare', areas: ['Beveren', 'Oekene', 'Rumbeke', 'Krottegem'] },
  { tenant: 'sint-niklaas', areas: ['Belsele', 'Nieuwkerken', 'Sinaai', 'Tereken'] },
];

const THEMES = [
  'wonen',
  'energie',
  'armoede-en-inkomen',
  'werk',
  'gezondheid',
  'mentaal-welzijn',
  'jeugd',
  'onderwijs',
  'kinderopvang',
  'mobiliteit',
  'digitale-inclusie',
  'zorg-en-ondersteuning',
  'vrije-tijd',
  'participatie',
  'veiligheid',
  'migratie-en-integratie',
] as const;

const TARGET_GROUPS = [
  'kinderen',
  'jongeren',
  'gezinnen',
  'ouderen',
  'personen-met-een-handicap',
  'nieuwkomers',
  'alleenstaande-ouders',
] as const;

const URGENCIES = ['laag', 'normaal', 'hoog', 'dringend'] as const;

const SUBJECTS = [
  'Gezinnen',
  'Jongeren',
  'Ouderen',
  'Huurders',
  'Nieuwkomers',
  'Alleenstaande ouders',
  'Studenten',
  'Bewoners',
  'Cliënten van het OCMW',
  'Mantelzorgers',
];
const PROBLEMS = [
  'vinden geen betaalbare huurwoning',
  'wachten maanden op jeugdhulp',
  'kunnen hun energiefactuur niet betalen',
  'raken de weg kwijt in digitale loketten',
  'nemen hun rechten niet op',
  'vinden geen plaats in de kinderopvang',
  'haken af bij de buitenschoolse opvang',
  'hebben geen vervoer naar het ziekenhuis',
  'leven in een slecht geïsoleerde woning',
  'missen aansluiting bij het verenigingsleven',
];
const WORDS = [
  'de',
  'het',
  'een',
  'wachtlijst',
  'huurprijs',
  'energiearmoede',
  'buurt',
  'wijk',
  'gezin',
  'school',
  'ouders',
  'eerstelijnswerker',
  'signaal',
  'opvolging',
  'maatschappelijk',
  'werker',
  'sociale',
  'huisvesting',
  'premie',
  'aanvraag',
  'loket',
  'afspraak',
  'week',
  'maanden',
  'telkens',
  'opnieuw',
  'moeilijk',
  'betaalbaar',
  'kwetsbare',
  'bewoners',
  'zien',
  'merken',
  'dat',
  'steeds',
  'meer',
  'mensen',
  'geen',
  'oplossing',
  'vinden',
  'voor',
  'hun',
  'situatie',
  'in',
  'met',
  'bij',
  'naar',
  'omdat',
  'ook',
  'partnerorganisatie',
  'overleg',
  'structureel',
  'probleem',
  'beleid',
  'gemeente',
  'ondersteuning',
  'verwarming',
  'vochtproblemen',
  'schimmel',
  'schulden',
  'budgetbegeleiding',
  'huisarts',
  'tolk',
  'formulier',
  'digitaal',
  'wachttijd',
];
const ROLES = ['signal-giver', 'signal-giver', 'signal-giver', 'processor', 'partner-processor'] as const;

function sentence(random: Random, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(random.pick(WORDS));
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function title(random: Random, area: string): string {
  let text = `${random.pick(SUBJECTS)} in ${area} ${random.pick(PROBLEMS)}`;
  while (text.length < 55) text += ` ${random.pick(WORDS)}`;
  if (text.length <= 64) return text;
  const cut = text.lastIndexOf(' ', 64);
  return cut > 40 ? text.slice(0, cut) : text.slice(0, 64);
}

function description(random: Random): string {
  let text = '';
  while (text.length < 380) text += `${text ? ' ' : ''}${sentence(random, random.int(6, 14))}`;
  return text.length > 420 ? `${text.slice(0, 419).trimEnd()}.` : text;
}

export interface SignalEventGenerator {
  /** The next event; `index` sets occurredAt (one minute apart, starting 2026-01-05). */
  next(index: number): NewEvent;
}

const START = Date.UTC(2026, 0, 5, 8, 0, 0);

export function signalEvents(seed: number): SignalEventGenerator {
  const random = new Random(seed);
  return {
    next(index: number): NewEvent {
      const municipality = random.pick(MUNICIPALITIES);
      const area = random.pick(municipality.areas);
      const correlationId = random.uuid();
      const data: JsonObject = {
        signalId: random.uuid(),
        title: title(random, area),
        description: description(random),
        themes: random.some(THEMES, random.int(1, 3)),
        targetGroups: random.some(TARGET_GROUPS, random.int(1, 2)),
        area,
        urgency: random.pick(URGENCIES),
        organisationId: `org-${municipality.tenant}-${random.int(1, 40)}`,
      };
      const metadata: EventMetadata = {
        tenantId: municipality.tenant,
        actor: { id: `user-${municipality.tenant}-${random.int(1, 500)}`, role: random.pick(ROLES) },
        correlationId,
        causationId: correlationId,
        occurredAt: new Date(START + index * 60_000).toISOString(),
      };
      return { type: 'SignalSubmitted', data, metadata };
    },
  };
}

/** `count` events of a seeded generator. */
export function signalEventList(seed: number, count: number): NewEvent[] {
  const generator = signalEvents(seed);
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i++) events.push(generator.next(i));
  return events;
}

/** Stream names `signal-<tenant>-<uuid>` for `count` distinct signals. */
export function signalStreams(seed: number, count: number): string[] {
  const random = new Random(seed);
  const streams: string[] = [];
  for (let i = 0; i < count; i++)
    streams.push(`signal-${random.pick(MUNICIPALITIES).tenant}-${random.uuid()}`);
  return streams;
}
