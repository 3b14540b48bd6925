import type { SignalActor } from '../signals/signal.decider.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';

/**
 * The pilot municipalities of DOMAIN.md with what demo data needs of them: wijken and
 * deelgemeenten, the partner organisations active there (engagement modes of the brochure) and
 * a fixed roster of pseudonymous users per role. Nothing here names a person.
 */

export interface DemoArea {
  /** As the `area` field holds it. */
  name: string;
  /** "in de Brugse Poort": how a sentence says where. */
  locative: string;
  /** Its code in the shared area-type list. */
  type: 'deelgemeente' | 'wijk';
}

export interface DemoMunicipality {
  slug: string;
  name: string;
  /** Stad or gemeente: "de stad" / "de gemeente" in texts. */
  kind: 'stad' | 'gemeente';
  /** Approximate inhabitants (thousands); signals are spread by its square root. */
  populationK: number;
  areas: readonly DemoArea[];
  /** The regional Centrum Algemeen Welzijnswerk. */
  caw: string;
  size: 'large' | 'medium' | 'small';
}

/** A deelgemeente (a former municipality merged into this one). */
const area = (name: string, article?: string): DemoArea => ({
  name,
  locative: article ? `in ${article} ${name}` : `in ${name}`,
  type: 'deelgemeente',
});

/** A wijk: a neighbourhood within a deelgemeente or the centre. */
const wijk = (name: string, article?: string): DemoArea => ({ ...area(name, article), type: 'wijk' });

/** In the order of DOMAIN.md; `--tenants n` takes the first n. */
export const PILOT_MUNICIPALITIES: readonly DemoMunicipality[] = [
  {
    slug: 'bornem',
    name: 'Bornem',
    kind: 'gemeente',
    populationK: 21.5,
    areas: [area('Bornem-centrum'), area('Hingene'), area('Mariekerke'), area('Weert'), area('Eikevliet')],
    caw: 'CAW Boom Mechelen Lier',
    size: 'small',
  },
  {
    slug: 'dendermonde',
    name: 'Dendermonde',
    kind: 'stad',
    populationK: 46.5,
    areas: [
      area('Dendermonde-centrum'),
      area('Appels'),
      area('Baasrode'),
      area('Grembergen'),
      area('Mespelare'),
      area('Oudegem'),
      area('Schoonaarde'),
      area('Sint-Gillis'),
    ],
    caw: 'CAW Oost-Vlaanderen',
    size: 'medium',
  },
  {
    slug: 'eeklo',
    name: 'Eeklo',
    kind: 'stad',
    populationK: 21.5,
    areas: [area('Eeklo-centrum'), wijk('Balgerhoeke'), wijk('Raverschoot'), wijk('stationsbuurt', 'de')],
    caw: 'CAW Oost-Vlaanderen',
    size: 'small',
  },
  {
    slug: 'gent',
    name: 'Gent',
    kind: 'stad',
    populationK: 265,
    areas: [
      wijk('binnenstad', 'de'),
      wijk('Brugse Poort', 'de'),
      wijk('Rabot'),
      area('Ledeberg'),
      wijk('Nieuw Gent'),
      wijk('Dampoort'),
      area('Sint-Amandsberg'),
      wijk('Muide-Meulestede', 'de'),
      wijk('Sluizeken-Tolhuis-Ham'),
      area('Wondelgem'),
      area('Gentbrugge'),
      area('Oostakker'),
      area('Drongen'),
      area('Zwijnaarde'),
    ],
    caw: 'CAW Oost-Vlaanderen',
    size: 'large',
  },
  {
    slug: 'kortrijk',
    name: 'Kortrijk',
    kind: 'stad',
    populationK: 79,
    areas: [
      area('Kortrijk-centrum'),
      wijk('Overleie'),
      area('Heule'),
      area('Bissegem'),
      area('Marke'),
      area('Aalbeke'),
      area('Bellegem'),
      area('Rollegem'),
      wijk('Lange Munte', 'de'),
      wijk('Sint-Jan'),
    ],
    caw: 'CAW Zuid-West-Vlaanderen',
    size: 'medium',
  },
  {
    slug: 'mortsel',
    name: 'Mortsel',
    kind: 'stad',
    populationK: 26.5,
    areas: [
      wijk('Mortsel-centrum'),
      wijk('Oude-God'),
      wijk('Drie Eiken'),
      wijk('Luithagen'),
      wijk('Mortsel-dorp'),
    ],
    caw: 'CAW Antwerpen',
    size: 'small',
  },
  {
    slug: 'oud-turnhout',
    name: 'Oud-Turnhout',
    kind: 'gemeente',
    populationK: 14.5,
    areas: [area('Oud-Turnhout-centrum'), wijk('Oosthoven'), wijk('Zwaneven')],
    caw: 'CAW De Kempen',
    size: 'small',
  },
  {
    slug: 'roeselare',
    name: 'Roeselare',
    kind: 'stad',
    populationK: 64,
    areas: [
      area('Roeselare-centrum'),
      area('Beveren'),
      area('Oekene'),
      area('Rumbeke'),
      wijk('Krottegem'),
      wijk('stationsomgeving', 'de'),
    ],
    caw: 'CAW Centraal-West-Vlaanderen',
    size: 'medium',
  },
  {
    slug: 'sint-niklaas',
    name: 'Sint-Niklaas',
    kind: 'stad',
    populationK: 80,
    areas: [
      area('Sint-Niklaas-centrum'),
      area('Belsele'),
      area('Nieuwkerken-Waas'),
      area('Sinaai'),
      area('Tereken'),
      wijk('Clementwijk', 'de'),
      wijk('Puitvoet'),
    ],
    caw: 'CAW Oost-Vlaanderen',
    size: 'medium',
  },
  {
    slug: 'berlaar',
    name: 'Berlaar',
    kind: 'gemeente',
    populationK: 12,
    areas: [area('Berlaar-centrum'), wijk('Berlaar-Heikant'), area('Gestel')],
    caw: 'CAW Boom Mechelen Lier',
    size: 'small',
  },
];

/** An organisation whose staff signal; mode 1 organisations also process their own signals. */
export interface DemoOrganisation {
  id: string;
  /** Short key for user ids. */
  key: string;
  name: string;
  /** "bij het CAW": how a sentence says where someone works. */
  at: string;
  mode: 1 | 3;
  /** Municipal staff (mode "own organisation"): the lead assigns to domain processors. */
  municipal: boolean;
  /** Frontline job titles of its signal givers. */
  workers: readonly string[];
  /** Themes its staff signal about, with weights. */
  themes: ReadonlyArray<readonly [string, number]>;
  /** Share of the tenant's signals coming from it. */
  weight: number;
}

export function organisationsOf(m: DemoMunicipality): DemoOrganisation[] {
  const municipal = m.kind === 'stad' ? `Stad ${m.name}` : `Gemeente ${m.name}`;
  return [
    {
      id: `${m.kind}-${m.slug}`,
      key: 'lokaalbestuur',
      name: `${municipal} (sociaal huis)`,
      at: 'bij het sociaal huis',
      mode: 1,
      municipal: true,
      workers: [
        'maatschappelijk werker',
        'onthaalmedewerker',
        'buurtwerker',
        'medewerker van de woonwinkel',
        'brugfiguur',
        'medewerker van het dienstencentrum',
        'medewerker van de dienst kinderopvang',
        'medewerker van het Digipunt',
      ],
      themes: [
        ['armoede-en-inkomen', 5],
        ['wonen', 5],
        ['energie', 4],
        ['digitale-inclusie', 3],
        ['kinderopvang', 2],
        ['mobiliteit', 2],
        ['participatie', 2],
        ['vrije-tijd', 2],
        ['zorg-en-ondersteuning', 2],
        ['veiligheid', 1],
        ['werk', 2],
        ['migratie-en-integratie', 2],
        ['jeugd', 1],
      ],
      weight: 30,
    },
    {
      id: `caw-${slugify(m.caw.replace(/^CAW /, ''))}`,
      key: 'caw',
      name: m.caw,
      at: 'bij het CAW',
      mode: 1,
      municipal: false,
      workers: [
        'hulpverlener',
        'medewerker van het JAC',
        'woonbegeleider',
        'straathoekwerker',
        'onthaalwerker',
      ],
      themes: [
        ['wonen', 5],
        ['armoede-en-inkomen', 4],
        ['mentaal-welzijn', 4],
        ['jeugd', 3],
        ['veiligheid', 2],
        ['migratie-en-integratie', 2],
        ['gezondheid', 1],
      ],
      weight: 18,
    },
    {
      id: `eerstelijnszone-${m.slug}`,
      key: 'elz',
      name: `Eerstelijnszone regio ${m.name}`,
      at: 'in de eerstelijnszone',
      mode: 1,
      municipal: false,
      workers: ['thuisverpleegkundige', 'eerstelijnspsycholoog', 'zorgcoördinator', 'apotheker', 'huisarts'],
      themes: [
        ['gezondheid', 5],
        ['zorg-en-ondersteuning', 5],
        ['mentaal-welzijn', 4],
        ['mobiliteit', 1],
        ['digitale-inclusie', 1],
      ],
      weight: 12,
    },
    {
      id: `huis-van-het-kind-${m.slug}`,
      key: 'hvhk',
      name: `Huis van het Kind ${m.name}`,
      at: 'bij het Huis van het Kind',
      mode: 3,
      municipal: false,
      workers: [
        'gezinsondersteuner',
        'verpleegkundige van het consultatiebureau',
        'medewerker van de opvoedingswinkel',
      ],
      themes: [
        ['kinderopvang', 5],
        ['jeugd', 3],
        ['armoede-en-inkomen', 3],
        ['gezondheid', 1],
        ['vrije-tijd', 1],
      ],
      weight: 10,
    },
    {
      id: `clb-${m.slug}`,
      key: 'clb',
      name: `CLB regio ${m.name}`,
      at: 'bij het CLB',
      mode: 3,
      municipal: false,
      workers: ['CLB-medewerker', 'leerlingenbegeleider', 'brugfiguur op school'],
      themes: [
        ['onderwijs', 5],
        ['jeugd', 3],
        ['mentaal-welzijn', 3],
        ['digitale-inclusie', 2],
        ['armoede-en-inkomen', 2],
        ['vrije-tijd', 1],
      ],
      weight: 9,
    },
    {
      id: `woonmaatschappij-${m.slug}`,
      key: 'woon',
      name: `Woonmaatschappij regio ${m.name}`,
      at: 'bij de woonmaatschappij',
      mode: 3,
      municipal: false,
      workers: ['huurdersbegeleider', 'sociaal consulent', 'wijkopbouwwerker'],
      themes: [
        ['wonen', 6],
        ['energie', 3],
        ['participatie', 2],
        ['veiligheid', 1],
      ],
      weight: 7,
    },
    {
      id: `ziekenfonds-${m.slug}`,
      key: 'zf',
      name: 'dienst maatschappelijk werk van het ziekenfonds',
      at: 'bij de dienst maatschappelijk werk van het ziekenfonds',
      mode: 3,
      municipal: false,
      workers: ['maatschappelijk werker', 'medewerker thuiszorgadvies'],
      themes: [
        ['zorg-en-ondersteuning', 5],
        ['gezondheid', 4],
        ['armoede-en-inkomen', 2],
        ['mobiliteit', 2],
        ['werk', 1],
      ],
      weight: 7,
    },
    {
      id: `vereniging-armen-${m.slug}`,
      key: 'vwawn',
      name: 'de vereniging waar armen het woord nemen',
      at: 'bij de vereniging waar armen het woord nemen',
      mode: 3,
      municipal: false,
      workers: ['opbouwwerker', 'ervaringsdeskundige in armoede', 'vrijwilligerscoördinator'],
      themes: [
        ['armoede-en-inkomen', 5],
        ['energie', 3],
        ['wonen', 3],
        ['digitale-inclusie', 2],
        ['vrije-tijd', 2],
        ['participatie', 2],
        ['werk', 1],
      ],
      weight: 7,
    },
  ];
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The demo users of one tenant: who may fire which command (DOMAIN.md roles). */
export interface DemoRoster {
  tenantId: string;
  leads: readonly SignalActor[];
  /** Per policy domain, the processors of that domain (municipal staff). */
  processors: Readonly<Record<string, readonly SignalActor[]>>;
  /** Per mode-1 partner organisation, its partner processor. */
  partnerProcessors: Readonly<Record<string, SignalActor>>;
  /** Per organisation, its signal givers. */
  givers: Readonly<Record<string, readonly SignalActor[]>>;
}

const SIZES = {
  large: { leads: 3, processorsPerDomain: 2, giversPerOrg: 24 },
  medium: { leads: 2, processorsPerDomain: 1, giversPerOrg: 12 },
  small: { leads: 1, processorsPerDomain: 1, giversPerOrg: 6 },
} as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** A fixed roster per municipality, independent of seed and size: tokens can be minted for it. */
export function rosterOf(m: DemoMunicipality): DemoRoster {
  const size = SIZES[m.size];
  const tenantId = m.slug;
  const leads: SignalActor[] = [];
  for (let i = 1; i <= size.leads; i++) {
    leads.push({ id: `${m.slug}-lead-${i}`, tenantId, roles: ['lead-processor'], policyDomains: [] });
  }
  const processors: Record<string, SignalActor[]> = {};
  for (const domain of codesOf('policyDomains')) {
    processors[domain] = [];
    for (let i = 1; i <= size.processorsPerDomain; i++) {
      processors[domain].push({
        id: `${m.slug}-processor-${domain}-${i}`,
        tenantId,
        roles: ['processor'],
        policyDomains: [domain],
      });
    }
  }
  const partnerProcessors: Record<string, SignalActor> = {};
  const givers: Record<string, SignalActor[]> = {};
  for (const org of organisationsOf(m)) {
    if (org.mode === 1 && !org.municipal) {
      partnerProcessors[org.id] = {
        id: `${m.slug}-${org.key}-processor`,
        tenantId,
        roles: ['partner-processor'],
        organisationId: org.id,
        policyDomains: [],
      };
    }
    const count = org.municipal ? size.giversPerOrg * 2 : size.giversPerOrg;
    givers[org.id] = [];
    for (let i = 1; i <= count; i++) {
      givers[org.id]!.push({
        id: `${m.slug}-${org.key}-giver-${pad(i)}`,
        tenantId,
        roles: ['signal-giver'],
        organisationId: org.id,
        policyDomains: [],
      });
    }
  }
  return { tenantId, leads, processors, partnerProcessors, givers };
}
