/**
 * A small labelled fixture for similar-signal ranking: signals of one tenant on many themes, with
 * planted near-duplicates (the same problem told in other words by another giver) that must rank
 * first for each other, and distractors that share a theme or a few words but not the problem.
 */
export interface FixtureSignal {
  key: string;
  title: string;
  description: string;
  themes: string[];
}

export const FIXTURE_SIGNALS: readonly FixtureSignal[] = [
  {
    key: 'huur-a',
    title: 'Gezinnen met kinderen vinden geen betaalbare huurwoning',
    description:
      'Sinds de zomer zoeken gezinnen met drie of meer kinderen in Ledeberg maandenlang vergeefs naar een huurwoning onder de achthonderd euro. Verhuurders kiezen voor kleinere huishoudens.',
    themes: ['wonen'],
  },
  {
    key: 'huur-b',
    title: 'Grote gezinnen zoeken vergeefs een betaalbare huurwoning',
    description:
      'Wij begeleiden grote gezinnen die na een opzeg geen betaalbare huurwoning meer vinden; de huurprijzen liggen ver boven wat een gezin met kinderen kan betalen.',
    themes: ['wonen', 'armoede-en-inkomen'],
  },
  {
    key: 'jeugd-a',
    title: 'Lange wachtlijst jeugdhulp voor jongeren met angstklachten',
    description:
      'Jongeren met angst- en depressieklachten wachten zes maanden op een eerste gesprek bij de jeugdhulp. Ondertussen haken ze af op school.',
    themes: ['mentaal-welzijn', 'jeugd'],
  },
  {
    key: 'jeugd-b',
    title: 'Jongeren met angstklachten maanden op de wachtlijst voor jeugdhulp',
    description:
      'Op de wachtlijst van de jeugdhulp staan jongeren met zware angstklachten; het wachten duurt maanden en de klachten worden erger.',
    themes: ['mentaal-welzijn'],
  },
  {
    key: 'digi-a',
    title: 'Oudere inwoners kunnen bankzaken niet meer digitaal regelen',
    description:
      'Sinds het bankkantoor in de deelgemeente sloot, kunnen oudere inwoners zonder smartphone hun bankzaken niet meer regelen. Ze vragen hulp aan buren.',
    themes: ['digitale-inclusie'],
  },
  {
    key: 'digi-b',
    title: 'Bankkantoor dicht: ouderen zonder smartphone kunnen bankzaken niet regelen',
    description:
      'Ouderen zonder smartphone of computer kunnen hun bankzaken niet digitaal regelen nu het kantoor gesloten is.',
    themes: ['digitale-inclusie', 'zorg-en-ondersteuning'],
  },
  {
    key: 'energie-a',
    title: 'Energiefactuur onbetaalbaar voor huurders van slecht geïsoleerde woningen',
    description:
      'Huurders van oude, slecht geïsoleerde woningen krijgen een energiefactuur die ze niet kunnen betalen; sommigen verwarmen maar één kamer.',
    themes: ['energie', 'wonen'],
  },
  {
    key: 'energie-b',
    title: 'Huurders in slecht geïsoleerde woningen kunnen energiefactuur niet betalen',
    description:
      'De energiefactuur van huurders in slecht geïsoleerde huurwoningen is onbetaalbaar geworden; ze verwarmen één kamer.',
    themes: ['energie'],
  },
  // Distractors: same themes or a few shared words, another problem.
  {
    key: 'woning-renovatie',
    title: 'Sociale woningen wachten jaren op renovatie',
    description: 'De sociale huisvestingsmaatschappij stelt de renovatie van daken en ramen telkens uit.',
    themes: ['wonen'],
  },
  {
    key: 'kinderopvang',
    title: 'Wachtlijst kinderopvang voor werkende ouders',
    description:
      'Ouders die opnieuw willen werken vinden geen plaats in de kinderopvang; de wachtlijst is een jaar.',
    themes: ['kinderopvang', 'werk'],
  },
  {
    key: 'school',
    title: 'Schoolkosten te hoog voor gezinnen met een laag inkomen',
    description:
      'Uitstappen en materiaal kosten gezinnen met een laag inkomen te veel; kinderen blijven thuis.',
    themes: ['onderwijs', 'armoede-en-inkomen'],
  },
  {
    key: 'bus',
    title: 'Busverbinding naar het ziekenhuis geschrapt',
    description:
      'Sinds de nieuwe dienstregeling rijdt er geen bus meer naar het ziekenhuis; ouderen missen afspraken.',
    themes: ['mobiliteit', 'gezondheid'],
  },
  {
    key: 'eenzaamheid',
    title: 'Eenzaamheid bij alleenstaande ouderen in de wijk',
    description: 'Alleenstaande ouderen komen weken niemand tegen; het buurtcentrum is gesloten.',
    themes: ['participatie', 'zorg-en-ondersteuning'],
  },
  {
    key: 'nieuwkomers',
    title: 'Nieuwkomers vinden geen plaats in de Nederlandse les',
    description: 'Nieuwkomers wachten maanden op een plaats in de les Nederlands als tweede taal.',
    themes: ['migratie-en-integratie', 'onderwijs'],
  },
  {
    key: 'jeugd-vrijetijd',
    title: 'Jongeren hebben geen plek om af te spreken',
    description: 'Het jeugdhuis is dicht; jongeren hangen rond op het plein en voelen zich niet welkom.',
    themes: ['jeugd', 'vrije-tijd'],
  },
  {
    key: 'leefloon',
    title: 'Leefloon volstaat niet voor huur en energie',
    description: 'Met een leefloon blijft na de huur en de energiefactuur te weinig over voor voeding.',
    themes: ['armoede-en-inkomen'],
  },
  {
    key: 'psychiatrie',
    title: 'Volwassenen met psychische problemen vinden geen begeleiding',
    description: 'Volwassenen met een psychische kwetsbaarheid wachten lang op begeleid wonen.',
    themes: ['mentaal-welzijn', 'zorg-en-ondersteuning'],
  },
  {
    key: 'digitale-loketten',
    title: 'Digitale loketten van de gemeente te moeilijk',
    description: 'Wie geen computer heeft, raakt niet aan een afspraak bij de dienst burgerzaken.',
    themes: ['digitale-inclusie'],
  },
];

/** For each planted signal, the one that must rank first among its suggestions. */
export const PLANTED_PAIRS: ReadonlyArray<[string, string]> = [
  ['huur-a', 'huur-b'],
  ['jeugd-a', 'jeugd-b'],
  ['digi-a', 'digi-b'],
  ['energie-a', 'energie-b'],
];
