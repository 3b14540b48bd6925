/**
 * Dutch text templates for demo signals, per theme of the shared taxonomy. A signal describes a
 * situation, never a person: no names, addresses, phone numbers, e-mail addresses or account
 * numbers, and no dates written as digits (the privacy guard must accept every text).
 *
 * Placeholders in `{braces}` are filled by `fill`; a capitalised placeholder (`{Groep}`) gets a
 * capitalised value. Placeholders: inWaar ("in Ledeberg"), gemeente, n (a count), periode,
 * groep (a target group, plural), org (the giver's organisation), org2 (another one), bedrag,
 * weken, maanden, domein, body, maand.
 */

export interface ProblemTexts {
  /** Short, for cluster summaries: "geen betaalbare huurwoning". */
  label: string;
  /** The analysis when the signal proves structural. */
  conclusion: string;
  titles: readonly string[];
  observations: readonly string[];
  details: readonly string[];
  /** Target-group codes the problem concerns. */
  groups: readonly string[];
}

export interface ThemeTexts {
  code: string;
  label: string;
  /** Policy domains a lead assigns it to; the first is the usual one. */
  domains: readonly string[];
  /** Themes a signal on this theme often carries as well. */
  related: readonly string[];
  problems: readonly ProblemTexts[];
  /** What a local body decides: "om …" clauses. */
  localActions: readonly string[];
  /** What is asked of the Flemish or federal level: "om …" clauses. */
  supralocalAsks: readonly string[];
  /** The competent supra-local bodies besides VVSG. */
  supralocalBodies: readonly string[];
  /** What a service changes without a policy decision. */
  serviceFixes: readonly string[];
}

export const THEME_TEXTS: readonly ThemeTexts[] = [
  {
    code: 'wonen',
    label: 'wonen',
    domains: ['wonen', 'welzijn'],
    related: ['armoede-en-inkomen', 'energie', 'gezondheid'],
    problems: [
      {
        label: 'geen betaalbare huurwoning',
        conclusion:
          'Het aanbod betaalbare huurwoningen in {gemeente} is structureel te klein voor huishoudens met een laag inkomen; de signalen komen uit verschillende wijken en van verschillende partners.',
        titles: [
          '{Groep} {inWaar} vinden geen betaalbare huurwoning',
          'Huurprijzen {inWaar} onhaalbaar met een vervangingsinkomen',
          'Verhuurders weigeren kandidaat-huurders met een leefloon',
        ],
        observations: [
          '{Periode} begeleidde ik {n} gezinnen die na een opzeg geen betaalbare huurwoning vinden.',
          'Steeds meer {groep} {inWaar} zoeken maandenlang vergeefs naar een huurwoning die ze kunnen betalen.',
          'Bij {n} van mijn dossiers is de zoektocht naar een huurwoning intussen langer dan een half jaar bezig.',
        ],
        details: [
          'Voor een woning met twee slaapkamers vragen verhuurders intussen {bedrag} per maand, meer dan de helft van het inkomen van deze gezinnen.',
          'Verhuurders vragen loonfiches en haken af zodra ze horen dat het om een uitkering gaat.',
          'De wachtlijst voor een sociale woning in {gemeente} loopt op tot meerdere jaren, dus dat biedt geen oplossing op korte termijn.',
          'Sommige gezinnen wijken uit naar een te kleine woning of trekken tijdelijk in bij familie.',
          'De huurwaarborg bijeenkrijgen lukt niet zonder hulp van het OCMW, en dat schrikt verhuurders af.',
        ],
        groups: ['gezinnen', 'alleenstaande-ouders', 'nieuwkomers'],
      },
      {
        label: 'vocht en schimmel in huurwoningen',
        conclusion:
          'De woonkwaliteit in het goedkopere segment van de private huurmarkt is een terugkerend probleem; huurders kennen hun rechten niet of durven ze niet op te nemen.',
        titles: [
          'Vocht en schimmel in huurwoningen {inWaar}',
          'Slechte woonkwaliteit bij private huurwoningen {inWaar}',
        ],
        observations: [
          'Bij huisbezoeken {inWaar} zie ik steeds vaker huurwoningen met vocht, schimmel en verouderde elektriciteit.',
          '{Periode} kwamen {n} huurders bij ons met klachten over vocht en schimmel die de verhuurder niet oplost.',
        ],
        details: [
          'Huurders durven geen klacht in te dienen uit angst hun woning te verliezen.',
          'Het consultatiebureau ziet bij kinderen uit deze woningen vaker luchtwegproblemen.',
          'Een conformiteitsonderzoek aanvragen is voor veel huurders onbekend of te ingewikkeld.',
          'De verhuurder belooft herstellingen, maar na maanden is er nog niets gebeurd.',
        ],
        groups: ['gezinnen', 'kinderen', 'ouderen'],
      },
      {
        label: 'geen crisisopvang na uithuiszetting',
        conclusion:
          'Het tekort aan crisis- en doorgangswoningen zorgt ervoor dat gezinnen na een uithuiszetting zonder opvang vallen.',
        titles: [
          'Geen crisisopvang voor gezinnen na een uithuiszetting',
          'Gezinnen met kinderen slapen tijdelijk in de auto na uithuiszetting',
        ],
        observations: [
          '{Periode} werden we {n} keer gecontacteerd voor een gezin dat na een uithuiszetting geen onderdak vond.',
          'De crisiswoningen in {gemeente} zijn bijna altijd bezet, ook voor gezinnen met jonge kinderen.',
        ],
        details: [
          'Noodopvang in een hotel kan hoogstens enkele nachten en is duur voor het OCMW.',
          'De vonnissen komen vaak onverwacht, zodat preventief werken bijna onmogelijk is.',
          'Gezinnen worden opgesplitst omdat de opvang enkel plaats heeft voor moeder en kinderen.',
        ],
        groups: ['gezinnen', 'kinderen', 'dak-en-thuislozen'],
      },
      {
        label: 'lange wachttijd voor herstellingen in sociale woningen',
        conclusion:
          'Herstellingen in het sociale huurpatrimonium lopen structureel vertraging op; huurders krijgen geen zicht op de opvolging van hun melding.',
        titles: [
          'Lange wachttijd voor herstellingen in sociale huurwoningen {inWaar}',
          'Defecte verwarming in sociale woningen blijft weken onopgelost',
        ],
        observations: [
          'Huurders van sociale woningen {inWaar} wachten gemiddeld {weken} weken op een herstelling.',
          '{Periode} meldden {n} huurders ons een defecte verwarming of lekkende ramen die niet hersteld worden.',
        ],
        details: [
          'Het telefonisch meldpunt is moeilijk bereikbaar en online melden lukt niet voor iedereen.',
          'Oudere huurders blijven in de kou zitten en stoken bij met elektrische kacheltjes.',
          'Huurders weten niet waar hun melding zit en krijgen geen terugkoppeling.',
        ],
        groups: ['ouderen', 'gezinnen', 'personen-met-een-handicap'],
      },
    ],
    localActions: [
      'het aantal woningen van het sociaal verhuurkantoor met {n} uit te breiden',
      'een huurpremie voor verhuurders in te voeren die via het sociaal verhuurkantoor verhuren',
      'extra conformiteitsonderzoeken te laten uitvoeren {inWaar}',
      'twee bijkomende crisiswoningen in te richten',
      'een wekelijkse zitdag over huurrechten te organiseren in de woonwinkel',
      'een huurwaarborgfonds op te richten samen met het OCMW',
    ],
    supralocalAsks: [
      'de huurpremie uit te breiden naar alle huurders op de wachtlijst voor een sociale woning',
      'de middelen voor sociale huisvesting te verhogen',
      'de regels rond uithuiszetting aan te vullen met verplichte preventieve begeleiding',
    ],
    supralocalBodies: ['Vlaamse overheid (Wonen in Vlaanderen)'],
    serviceFixes: [
      'de woonwinkel begeleidt huurders voortaan actief bij een aanvraag tot conformiteitsonderzoek',
      'het sociaal huis en het CAW maken afspraken over de opvolging na een opzeg',
      'de woonmaatschappij stelt een vast aanspreekpunt voor herstellingen aan',
    ],
  },
  {
    code: 'energie',
    label: 'energie',
    domains: ['wonen', 'welzijn'],
    related: ['armoede-en-inkomen', 'wonen'],
    problems: [
      {
        label: 'onbetaalbare energiefactuur',
        conclusion:
          'Energiearmoede treft een groeiende groep die net boven de grenzen van het sociaal tarief valt; de signalen komen van verschillende partners.',
        titles: [
          '{Groep} {inWaar} kunnen de energiefactuur niet meer betalen',
          'Meer vragen om een afbetalingsplan voor de energiefactuur',
        ],
        observations: [
          '{Periode} vroegen {n} gezinnen ons hulp bij een afbetalingsplan voor hun energiefactuur.',
          'Steeds meer {groep} {inWaar} krijgen een eindafrekening die ze niet kunnen betalen.',
        ],
        details: [
          'Het gaat vaak om huishoudens die net geen recht hebben op het sociaal tarief.',
          'Ze besparen op verwarming en warm water, ook in huizen met jonge kinderen.',
          'De voorschotfacturen werden verhoogd zonder dat mensen begrijpen waarom.',
          'Sommigen stellen andere rekeningen uit om de energiefactuur te betalen, waardoor schulden zich opstapelen.',
        ],
        groups: ['gezinnen', 'ouderen', 'alleenstaande-ouders'],
      },
      {
        label: 'budgetmeter en afsluiting',
        conclusion:
          'De budgetmeter beschermt niet tegen koude: gezinnen sluiten zichzelf af zonder dat iemand het merkt.',
        titles: [
          'Gezinnen met een budgetmeter zitten zonder verwarming',
          'Digitale meter in prepaidmodus: opladen lukt niet',
        ],
        observations: [
          'Bij huisbezoeken {inWaar} troffen we {periode} {n} gezinnen aan met een lege budgetmeter.',
          'Gezinnen met een digitale meter in prepaidmodus weten niet hoe ze die moeten opladen.',
        ],
        details: [
          'Opladen kan enkel online of aan een oplaadpunt dat ver weg ligt.',
          'De minimale levering is onvoldoende om een gezinswoning te verwarmen.',
          'Mensen schamen zich en vragen pas hulp als de meter al dagen leeg is.',
        ],
        groups: ['gezinnen', 'kinderen', 'ouderen'],
      },
      {
        label: 'slecht geïsoleerde woningen',
        conclusion:
          'Renovatiepremies bereiken de eigenaars en huurders met de slechtste woningen niet, omdat ze vooraf geld vragen.',
        titles: [
          'Huurders van slecht geïsoleerde woningen betalen zich blauw aan energie',
          'Eigenaars met een laag inkomen kunnen renovatie niet voorfinancieren',
        ],
        observations: [
          'Veel huurders {inWaar} wonen in oudere woningen zonder dak- of muurisolatie.',
          'Eigenaar-bewoners met een laag inkomen vinden de weg niet naar renovatiepremies.',
        ],
        details: [
          'De premie wordt pas na de werken uitbetaald, terwijl ze het geld vooraf niet hebben.',
          'Verhuurders zien geen reden om te investeren zolang de woning verhuurd raakt.',
          'De energiescan wordt aangeboden, maar daarna gebeurt er weinig.',
        ],
        groups: ['gezinnen', 'ouderen'],
      },
    ],
    localActions: [
      'een energiefonds op te richten voor huishoudens die net geen recht hebben op het sociaal tarief',
      'een energiesnoeier in te zetten voor gratis kleine besparende ingrepen',
      'een renteloze lening voor renovatie aan te bieden aan eigenaars met een laag inkomen',
      'de energiescans te koppelen aan begeleiding bij de premieaanvraag',
    ],
    supralocalAsks: [
      'de renovatiepremie vooraf te betalen aan eigenaars met een laag inkomen',
      'het sociaal tarief uit te breiden naar huishoudens met een inkomen net boven de huidige grens',
      'de minimale levering bij een budgetmeter in de winter te verhogen',
    ],
    supralocalBodies: [
      'Vlaamse overheid (Vlaams Energie- en Klimaatagentschap)',
      'federale overheid (FOD Economie)',
    ],
    serviceFixes: [
      'het sociaal huis plant in de winter een vast moment per week voor vragen over de budgetmeter',
      'de energiescans worden voortaan opgevolgd door een vaste medewerker',
    ],
  },
  {
    code: 'armoede-en-inkomen',
    label: 'armoede en inkomen',
    domains: ['welzijn', 'werk-en-economie'],
    related: ['wonen', 'energie', 'kinderopvang', 'digitale-inclusie'],
    problems: [
      {
        label: 'niet-opname van rechten',
        conclusion:
          'Niet-opname van rechten is structureel: de drempel zit in de complexiteit van de aanvraag, niet bij de gezinnen.',
        titles: [
          '{Groep} nemen hun recht op verhoogde tegemoetkoming niet op',
          'Schooltoeslag en sociale tarieven blijven onbenut {inWaar}',
          'Niet-opname van rechten bij werkende armen',
        ],
        observations: [
          'Bij {n} gezinnen die we {periode} begeleidden, bleek dat ze recht hadden op een tegemoetkoming die ze nooit aanvroegen.',
          'Veel {groep} {inWaar} kennen hun rechten niet of vinden de aanvraag te ingewikkeld.',
        ],
        details: [
          'Ze weten niet dat ze recht hebben op de verhoogde tegemoetkoming, of denken dat het enkel voor mensen met een uitkering is.',
          'De formulieren vragen attesten die ze niet hebben of niet begrijpen.',
          'Wie werkt maar weinig verdient, valt buiten het vizier van de diensten.',
          'Een automatische toekenning zou veel van deze gezinnen helpen.',
        ],
        groups: ['gezinnen', 'alleenstaande-ouders', 'ouderen'],
      },
      {
        label: 'opstapelende schulden en invorderingskosten',
        conclusion:
          'Schulden escaleren door invorderingskosten en door een te lange wachttijd voor budgetbegeleiding.',
        titles: [
          'Invorderingskosten doen schulden snel oplopen',
          'Meer jonge mensen met problematische schulden {inWaar}',
        ],
        observations: [
          '{Periode} meldden zich {n} mensen met schulden die door invorderingskosten verdubbeld waren.',
          'Steeds meer {groep} komen bij de schuldhulpverlening met kleine schulden die uit de hand liepen.',
        ],
        details: [
          'Een onbetaalde factuur van enkele tientallen euro loopt door aanmaningskosten op tot honderden euro.',
          'Kopen op afbetaling via webwinkels speelt een steeds grotere rol.',
          'De wachttijd voor budgetbegeleiding bedraagt intussen {weken} weken.',
        ],
        groups: ['jongeren', 'gezinnen', 'alleenstaande-ouders'],
      },
      {
        label: 'groeiende vraag naar voedselhulp',
        conclusion:
          'Armoede treft ook werkende gezinnen; het aanbod voedselhulp is afgestemd op mensen met een uitkering en raakt overbevraagd.',
        titles: [
          'Wachtrij aan de voedselbedeling {inWaar} groeit',
          'Werkende gezinnen aangewezen op de sociale kruidenier',
        ],
        observations: [
          'De voedselbedeling {inWaar} telt {periode} {n} nieuwe gezinnen, ook gezinnen waarvan een ouder werkt.',
          'Vrijwilligers van de sociale kruidenier zien steeds meer {groep} die voor het eerst komen.',
        ],
        details: [
          'De voorraad raakt op voor het einde van de maand.',
          'Veel gezinnen schamen zich en komen pas als het echt niet meer gaat.',
          'De openingsuren zijn niet haalbaar voor wie overdag werkt.',
        ],
        groups: ['gezinnen', 'kinderen', 'alleenstaande-ouders'],
      },
    ],
    localActions: [
      'rechten automatisch toe te kennen waar de gemeente over de gegevens beschikt',
      'een proactieve rechtenverkenning te starten via het sociaal huis',
      'de capaciteit van de budgetbegeleiding met twee voltijdse medewerkers te verhogen',
      'de sociale kruidenier ook op zaterdag te openen',
      'een afsprakenkader met de eigen diensten te maken om invorderingskosten te beperken',
    ],
    supralocalAsks: [
      'de automatische toekenning van sociale rechten te veralgemenen',
      'de invorderingskosten bij kleine schulden wettelijk te begrenzen',
      'de leefloonbedragen op te trekken tot boven de armoedegrens',
    ],
    supralocalBodies: [
      'federale overheid (POD Maatschappelijke Integratie)',
      'Vlaamse overheid (departement Zorg)',
    ],
    serviceFixes: [
      'het onthaal van het sociaal huis doet voortaan bij elk eerste gesprek een rechtencheck',
      'de schuldhulpverlening werkt met een snelle intake voor kleine schulden',
    ],
  },
  {
    code: 'werk',
    label: 'werk',
    domains: ['werk-en-economie', 'welzijn'],
    related: ['kinderopvang', 'migratie-en-integratie', 'mobiliteit'],
    problems: [
      {
        label: 'geen werk door gebrek aan kinderopvang',
        conclusion:
          'Gebrek aan flexibele kinderopvang is een structurele drempel naar werk, vooral voor alleenstaande ouders.',
        titles: [
          'Alleenstaande ouders kunnen werk en opvang niet combineren',
          'Werkzoekenden haken af door gebrek aan flexibele opvang',
        ],
        observations: [
          '{Periode} moesten {n} werkzoekenden die ik begeleid een jobaanbod weigeren omdat er geen opvang was.',
          '{Groep} {inWaar} vinden geen opvang voor vroege of late shiften.',
        ],
        details: [
          'Jobs in de zorg, de schoonmaak of de logistiek beginnen vaak voor de opvang opengaat.',
          'Occasionele opvang moet weken vooraf aangevraagd worden.',
          'Zonder opvang lukt geen opleiding, en zonder opleiding geen job.',
        ],
        groups: ['alleenstaande-ouders', 'werkzoekenden'],
      },
      {
        label: 'jongeren zonder diploma vinden geen werk',
        conclusion: 'Jongeren zonder diploma vallen tussen onderwijs en begeleiding naar werk uit de boot.',
        titles: [
          'Jongeren zonder diploma haken af bij begeleiding naar werk',
          'Schoolverlaters {inWaar} uit beeld',
        ],
        observations: [
          'Steeds meer jongeren {inWaar} verlaten school zonder diploma en komen nooit bij de begeleiding naar werk aan.',
          '{Periode} zagen we {n} jongeren die na een eerste afspraak niet meer opdaagden.',
        ],
        details: [
          'De trajecten zijn te schools voor jongeren die net afhaakten op school.',
          'Ze hebben geen vervoer naar de werkplekken op de industrieterreinen.',
          'Ze vinden hun weg niet in de online inschrijving.',
        ],
        groups: ['jongeren', 'werkzoekenden'],
      },
      {
        label: 'langdurig zieken vinden geen aangepast werk',
        conclusion:
          'De overstap van ziekte naar aangepast werk loopt vast op een gebrek aan aangepaste jobs en op de angst om een uitkering te verliezen.',
        titles: ['Langdurig zieken vinden geen aangepast werk', 'Re-integratie na ziekte loopt vast'],
        observations: [
          'Mensen die na een lange ziekte opnieuw willen werken, vinden geen aangepaste job.',
          '{Periode} begeleidden we {n} mensen bij wie de re-integratie vastliep.',
        ],
        details: [
          'Werkgevers bieden zelden deeltijds of aangepast werk aan.',
          'Ze vrezen hun uitkering te verliezen als een poging mislukt.',
        ],
        groups: ['werkzoekenden', 'personen-met-een-handicap'],
      },
    ],
    localActions: [
      'flexibele opvang voor werkzoekende ouders te financieren',
      'een jobcoach in te zetten in de wijken met de meeste schoolverlaters',
      'een lokale werkgeverscharter voor aangepast werk op te zetten',
    ],
    supralocalAsks: [
      'trajecten naar werk te koppelen aan gegarandeerde kinderopvang',
      'de regels voor progressieve tewerkstelling na ziekte te versoepelen',
    ],
    supralocalBodies: ['Vlaamse overheid (VDAB)', 'federale overheid (RIZIV)'],
    serviceFixes: [
      'de begeleiding naar werk houdt zitdagen in de jeugdhuizen',
      'de dienst kinderopvang reserveert plaatsen voor ouders in een traject naar werk',
    ],
  },
  {
    code: 'gezondheid',
    label: 'gezondheid',
    domains: ['zorg', 'welzijn'],
    related: ['armoede-en-inkomen', 'zorg-en-ondersteuning', 'mobiliteit'],
    problems: [
      {
        label: 'geen huisarts voor nieuwe patiënten',
        conclusion:
          'Het tekort aan huisartsen {inWaar} treft vooral mensen zonder vaste huisarts: nieuwkomers en wie pas verhuisde.',
        titles: [
          'Geen huisarts {inWaar} die nieuwe patiënten aanvaardt',
          'Nieuwkomers vinden geen huisarts en gaan naar de spoeddienst',
        ],
        observations: [
          '{Periode} hoorden we van {n} gezinnen dat geen enkele huisartsenpraktijk {inWaar} nog nieuwe patiënten aanvaardt.',
          'Steeds meer {groep} gaan met gewone klachten naar de spoeddienst omdat ze geen huisarts vinden.',
        ],
        details: [
          'De praktijken in de buurt hebben een patiëntenstop.',
          'Wie verhuist, verliest de band met de vroegere huisarts.',
          'Zonder huisarts is er geen globaal medisch dossier en betalen mensen meer.',
        ],
        groups: ['nieuwkomers', 'gezinnen', 'ouderen'],
      },
      {
        label: 'zorg uitgesteld om financiële redenen',
        conclusion: 'Financiële drempels leiden tot uitgestelde zorg en later tot duurdere zorg.',
        titles: [
          'Tandzorg en brillen uitgesteld om financiële redenen',
          'Gezinnen stellen doktersbezoek uit',
        ],
        observations: [
          'Veel {groep} {inWaar} stellen tandzorg of een bril uit omdat ze het niet kunnen betalen.',
          '{Periode} gaven {n} gezinnen aan dat ze een doktersbezoek uitstelden tot het einde van de maand.',
        ],
        details: [
          'De derdebetalersregeling wordt niet overal toegepast.',
          'Kinderen met slechte tanden worden op school gepest.',
          'Het remgeld is voor hen een echte drempel.',
        ],
        groups: ['gezinnen', 'kinderen', 'ouderen'],
      },
      {
        label: 'medicatie niet betaalbaar',
        conclusion:
          'Niet-terugbetaalde medicatie weegt zwaar op het budget van chronisch zieken met een laag inkomen; ze nemen hun behandeling niet correct.',
        titles: ['Chronisch zieken kunnen hun medicatie niet betalen'],
        observations: [
          '{Periode} vroegen {n} chronisch zieke cliënten hulp omdat ze hun medicatie niet konden betalen.',
        ],
        details: [
          'Niet-terugbetaalde medicatie loopt op tot {bedrag} per maand.',
          'Ze slaan dosissen over om langer toe te komen.',
        ],
        groups: ['ouderen', 'personen-met-een-handicap'],
      },
    ],
    localActions: [
      'een wijkgezondheidscentrum te ondersteunen met een opstartpremie',
      'de derdebetalersregeling te promoten bij de huisartsen in de gemeente',
      'een gezondheidsfonds voor tandzorg en brillen op te richten',
    ],
    supralocalAsks: [
      'de verplichte derdebetalersregeling uit te breiden',
      'extra huisartsen aan te trekken in regio’s met een tekort',
    ],
    supralocalBodies: ['federale overheid (RIZIV)', 'Vlaamse overheid (departement Zorg)'],
    serviceFixes: [
      'de eerstelijnszone houdt een lijst bij van praktijken die nog patiënten aanvaarden',
      'het sociaal huis begeleidt gezinnen bij de aanvraag van een globaal medisch dossier',
    ],
  },
  {
    code: 'mentaal-welzijn',
    label: 'mentaal welzijn',
    domains: ['zorg', 'welzijn', 'jeugd'],
    related: ['jeugd', 'gezondheid', 'onderwijs'],
    problems: [
      {
        label: 'wachtlijst voor psychologische hulp',
        conclusion:
          'Het aanbod laagdrempelige psychologische hulp volgt de vraag niet; de wachttijd leidt tot zwaardere problemen.',
        titles: [
          'Jongeren wachten maanden op psychologische hulp',
          'Wachtlijst eerstelijnspsychologische zorg {inWaar} loopt op',
        ],
        observations: [
          'De wachttijd voor eerstelijnspsychologische zorg is opgelopen tot {weken} weken.',
          '{Periode} verwezen we {n} {groep} door naar psychologische hulp; slechts enkelen konden meteen terecht.',
        ],
        details: [
          'Intussen verergeren de klachten en volgt soms een crisisopname.',
          'Ouders weten niet waar ze in afwachting terechtkunnen.',
          'Scholen vangen op wat ze kunnen, maar zijn daar niet voor uitgerust.',
        ],
        groups: ['jongeren', 'studenten', 'kinderen'],
      },
      {
        label: 'eenzaamheid bij ouderen',
        conclusion:
          'Eenzaamheid bij ouderen is wijd verspreid en blijft onzichtbaar zonder outreachend werken.',
        titles: ['Eenzaamheid bij alleenwonende ouderen {inWaar}', 'Ouderen komen hun huis niet meer uit'],
        observations: [
          'Bij huisbezoeken {inWaar} merken we dat veel alleenwonende ouderen dagenlang niemand spreken.',
          '{Periode} signaleerden thuisverpleegkundigen {n} ouderen die sterk vereenzaamd zijn.',
        ],
        details: [
          'Het dienstencentrum is te ver of niet toegankelijk zonder vervoer.',
          'Sinds de bankkantoren en winkels in de buurt sloten, valt ook dat contact weg.',
          'Eenzaamheid uit zich in somberheid en minder goed voor zichzelf zorgen.',
        ],
        groups: ['ouderen'],
      },
      {
        label: 'schoolangst en uitval bij jongeren',
        conclusion:
          'Mentale problemen bij jongeren leiden tot schooluitval; scholen en hulpverlening sluiten onvoldoende op elkaar aan.',
        titles: [
          'Meer schoolangst en uitval bij jongeren',
          'Jongeren blijven thuis door angst en somberheid',
        ],
        observations: [
          'Steeds meer jongeren {inWaar} blijven weken thuis door angst of somberheid.',
          '{Periode} volgden we {n} leerlingen op die door mentale problemen school misten.',
        ],
        details: [
          'Sociale media en druk van prestaties komen in de gesprekken vaak terug.',
          'De stap naar hulp is groot en de wachttijd ontmoedigt.',
        ],
        groups: ['jongeren', 'studenten'],
      },
    ],
    localActions: [
      'een laagdrempelig inloopteam voor jongeren te financieren',
      'een buurtnetwerk tegen eenzaamheid op te zetten {inWaar}',
      'wachtlijstbegeleiding te organiseren in het Huis van het Kind',
    ],
    supralocalAsks: [
      'de financiering van eerstelijnspsychologische zorg te verhogen',
      'de capaciteit van de geestelijke gezondheidszorg voor jongeren uit te breiden',
    ],
    supralocalBodies: ['federale overheid (RIZIV)', 'Vlaamse overheid (departement Zorg)'],
    serviceFixes: [
      'het dienstencentrum start een belronde bij alleenwonende ouderen',
      'het CLB en het jeugdwerk organiseren samen een wekelijks aanspreekmoment',
    ],
  },
  {
    code: 'jeugd',
    label: 'jeugd',
    domains: ['jeugd', 'welzijn'],
    related: ['vrije-tijd', 'mentaal-welzijn', 'onderwijs', 'veiligheid'],
    problems: [
      {
        label: 'geen ontmoetingsplek voor jongeren',
        conclusion:
          'Jongeren missen in verschillende wijken een eigen, laagdrempelige plek; overlast is een gevolg, geen oorzaak.',
        titles: [
          'Jongeren {inWaar} hebben geen plek om samen te komen',
          'Geen jeugdhuis of ontmoetingsruimte {inWaar}',
        ],
        observations: [
          'Jongeren {inWaar} hangen rond op pleinen omdat er geen ontmoetingsruimte is.',
          '{Periode} spraken we met {n} jongeren die aangeven dat er voor hen niets te doen is in de buurt.',
        ],
        details: [
          'Buurtbewoners klagen over overlast, terwijl de jongeren zich ongewenst voelen.',
          'Het jeugdhuis ligt aan de andere kant van de gemeente en is slecht bereikbaar.',
          'Sportterreinen zijn enkel toegankelijk voor leden van een club.',
        ],
        groups: ['jongeren'],
      },
      {
        label: 'wachtlijsten in de jeugdhulp',
        conclusion: 'De wachttijd in de jeugdhulp legt een zware last op gezinnen en op de eerste lijn.',
        titles: ['Lange wachtlijsten in de jeugdhulp', 'Gezinnen wachten maanden op jeugdhulp'],
        observations: [
          '{Periode} meldden we {n} gezinnen aan voor jeugdhulp; de wachttijd bedraagt meer dan {maanden} maanden.',
          'Gezinnen {inWaar} die jeugdhulp nodig hebben, blijven maanden zonder ondersteuning.',
        ],
        details: [
          'In afwachting escaleert de situatie thuis of op school.',
          'Hulpverleners van de eerste lijn nemen taken op waarvoor ze niet opgeleid zijn.',
        ],
        groups: ['kinderen', 'jongeren', 'gezinnen'],
      },
      {
        label: 'jongeren die thuis weg moeten',
        conclusion: 'Jongeren die thuis weg moeten vallen tussen de jeugdhulp en de opvang voor volwassenen.',
        titles: ['Jongeren die thuis weg moeten vinden geen opvang', 'Dakloze jongeren slapen bij vrienden'],
        observations: [
          '{Periode} kwamen {n} jongeren bij ons die na een conflict thuis geen slaapplaats hadden.',
          'Steeds meer jongeren {inWaar} zijn verborgen dakloos en slapen van zetel tot zetel.',
        ],
        details: [
          'Ze vallen tussen de jeugdhulp en de opvang voor volwassenen.',
          'Een eigen woning huren lukt niet zonder inkomen of waarborg.',
        ],
        groups: ['jongeren', 'dak-en-thuislozen'],
      },
    ],
    localActions: [
      'een tijdelijke jongerenruimte {inWaar} in te richten',
      'extra jeugdwerkers in te zetten in de wijken zonder aanbod',
      'een noodwoning voor jongeren tussen zestien en vijfentwintig in te richten',
    ],
    supralocalAsks: [
      'de capaciteit van de jeugdhulp uit te breiden',
      'een aanbod voor dakloze jongeren te financieren',
    ],
    supralocalBodies: ['Vlaamse overheid (Opgroeien)'],
    serviceFixes: [
      'de jeugddienst opent de sporthal op woensdagnamiddag voor vrij gebruik',
      'het JAC houdt een wekelijkse zitdag in de wijk',
    ],
  },
  {
    code: 'onderwijs',
    label: 'onderwijs',
    domains: ['onderwijs', 'jeugd'],
    related: ['armoede-en-inkomen', 'digitale-inclusie', 'jeugd'],
    problems: [
      {
        label: 'hoge schoolkosten',
        conclusion:
          'Schoolkosten blijven een drempel, vooral in het secundair onderwijs waar geen maximumfactuur geldt.',
        titles: ['Ouders kunnen schooluitstappen niet betalen', 'Schoolfacturen blijven onbetaald {inWaar}'],
        observations: [
          'Scholen {inWaar} melden dat {n} gezinnen hun schoolfactuur niet kunnen betalen.',
          'Kinderen blijven thuis op dagen van uitstappen omdat de ouders het niet kunnen betalen.',
        ],
        details: [
          'Meerdaagse uitstappen kosten al snel {bedrag} per kind.',
          'De maximumfactuur geldt niet in het secundair onderwijs.',
          'Ouders schamen zich en spreken de school er niet over aan.',
        ],
        groups: ['kinderen', 'gezinnen', 'jongeren'],
      },
      {
        label: 'schoolverzuim',
        conclusion: 'Schoolverzuim is vaak een signaal van problemen thuis; scholen staan er alleen voor.',
        titles: ['Toename van problematische afwezigheden', 'Leerlingen {inWaar} missen veel lesdagen'],
        observations: [
          '{Periode} volgden we {n} leerlingen op met meer dan dertig halve dagen afwezigheid.',
          'Steeds meer leerlingen {inWaar} zijn problematisch afwezig, vaak zonder duidelijke reden.',
        ],
        details: [
          'Achter het verzuim zitten vaak problemen thuis, schulden of mentale klachten.',
          'Ouders zijn moeilijk bereikbaar voor de school.',
        ],
        groups: ['jongeren', 'kinderen'],
      },
      {
        label: 'digitaal aanmelden voor school',
        conclusion:
          'De digitale aanmelding voor school benadeelt ouders die het Nederlands of de computer niet goed beheersen.',
        titles: ['Ouders lopen vast bij de digitale aanmelding voor school'],
        observations: [
          'Ouders die het Nederlands niet goed beheersen, lopen vast bij de digitale aanmelding voor school.',
          '{Periode} hielpen we {n} ouders die hun kind niet konden aanmelden.',
        ],
        details: [
          'De aanmelding kan enkel online en op vaste momenten.',
          'Wie te laat aanmeldt, vindt enkel nog plaats in scholen ver van huis.',
        ],
        groups: ['nieuwkomers', 'gezinnen'],
      },
    ],
    localActions: [
      'een schoolkostenfonds op te richten samen met de scholen',
      'een brugfiguur in te zetten in de scholen met het meeste verzuim',
      'zitdagen voor de aanmelding te organiseren in de bibliotheek',
    ],
    supralocalAsks: [
      'een maximumfactuur in het secundair onderwijs in te voeren',
      'de schooltoeslag te verhogen',
    ],
    supralocalBodies: ['Vlaamse overheid (departement Onderwijs en Vorming)'],
    serviceFixes: [
      'de scholen en het sociaal huis spreken een vaste doorverwijzing af bij onbetaalde facturen',
      'het lokaal overleg onderwijs organiseert aanmeldmomenten met tolken',
    ],
  },
  {
    code: 'kinderopvang',
    label: 'kinderopvang',
    domains: ['jeugd', 'welzijn'],
    related: ['werk', 'armoede-en-inkomen'],
    problems: [
      {
        label: 'geen plaats in de kinderopvang',
        conclusion:
          'Het aanbod opvang met een inkomensgerelateerd tarief is te klein, en de inschrijvingsregels benadelen kwetsbare gezinnen.',
        titles: [
          'Geen plaats in de kinderopvang voor werkzoekende ouders',
          'Wachtlijst kinderopvang met inkomenstarief {inWaar}',
        ],
        observations: [
          '{Periode} vonden {n} ouders die ik begeleid geen plaats in de kinderopvang.',
          'Opvang met een inkomensgerelateerd tarief {inWaar} heeft een wachtlijst van meer dan {maanden} maanden.',
        ],
        details: [
          'Ouders moeten al tijdens de zwangerschap inschrijven, wat nieuwkomers niet weten.',
          'Zonder opvang kunnen ze geen opleiding volgen of een job aannemen.',
          'Plaatsen met een vrij tarief zijn voor deze gezinnen onbetaalbaar.',
        ],
        groups: ['alleenstaande-ouders', 'gezinnen', 'kinderen'],
      },
      {
        label: 'buitenschoolse opvang te duur of volzet',
        conclusion:
          'De buitenschoolse opvang in de vakanties volstaat niet en de online inschrijving sluit gezinnen uit.',
        titles: [
          'Buitenschoolse opvang in de vakanties volzet',
          'Vakantieopvang {inWaar} te duur voor gezinnen',
        ],
        observations: [
          'De buitenschoolse opvang {inWaar} was in de vakantie binnen enkele uren volzet.',
          '{Periode} kregen we {n} vragen van ouders die geen vakantieopvang vonden.',
        ],
        details: [
          'Inschrijven kan enkel online op een vast moment.',
          'Kinderen blijven alleen thuis of gaan mee naar het werk.',
        ],
        groups: ['kinderen', 'gezinnen'],
      },
    ],
    localActions: [
      'voorrangsregels in te voeren voor ouders in een traject naar werk',
      '{n} bijkomende opvangplaatsen met een inkomensgerelateerd tarief te creëren',
      'een deel van de vakantieopvang voor te behouden aan inschrijvingen via het sociaal huis',
    ],
    supralocalAsks: [
      'de subsidies voor opvangplaatsen met een inkomensgerelateerd tarief te verhogen',
      'de werkingsmiddelen voor buitenschoolse opvang te verhogen',
    ],
    supralocalBodies: ['Vlaamse overheid (Opgroeien)'],
    serviceFixes: [
      'het lokaal loket kinderopvang helpt ouders voortaan bij de inschrijving',
      'de inschrijvingen voor de vakantieopvang verlopen ook aan het loket',
    ],
  },
  {
    code: 'mobiliteit',
    label: 'mobiliteit',
    domains: ['mobiliteit', 'welzijn'],
    related: ['zorg-en-ondersteuning', 'werk', 'gezondheid'],
    problems: [
      {
        label: 'geen openbaar vervoer',
        conclusion:
          'Wie geen auto heeft, is {inWaar} afhankelijk van een aanbod dat niet aansluit bij afspraken en werkuren.',
        titles: [
          'Geen busverbinding meer {inWaar} sinds de hervorming',
          'Bewoners {inWaar} geraken niet bij het ziekenhuis zonder auto',
        ],
        observations: [
          'Sinds de hervorming van het openbaar vervoer rijdt er {inWaar} veel minder vaak een bus.',
          '{Periode} gaven {n} cliënten aan dat ze een afspraak misten omdat er geen vervoer was.',
        ],
        details: [
          'Vervoer op maat moet een dag vooraf gereserveerd worden, wat niet lukt voor iedereen.',
          'Een taxi is onbetaalbaar voor wie van een leefloon leeft.',
          'Werkzoekenden kunnen sollicitaties op de industrieterreinen niet halen.',
        ],
        groups: ['ouderen', 'werkzoekenden', 'personen-met-een-handicap'],
      },
      {
        label: 'minder mobiele ouderen',
        conclusion: 'Vervoer voor minder mobiele mensen draait op vrijwilligers en volgt de vraag niet.',
        titles: [
          'Minder mobiele ouderen geraken niet bij het dienstencentrum',
          'Minder Mobielen Centrale overbevraagd',
        ],
        observations: [
          'De Minder Mobielen Centrale {inWaar} kan {periode} niet alle ritten uitvoeren.',
          'Ouderen {inWaar} met een rollator geraken niet tot aan de bushalte.',
        ],
        details: [
          'Er zijn te weinig vrijwillige chauffeurs.',
          'Voetpaden zijn smal of liggen er slecht bij.',
        ],
        groups: ['ouderen', 'personen-met-een-handicap'],
      },
    ],
    localActions: [
      'een gemeentelijke pendeldienst naar het ziekenhuis in te leggen',
      'de vergoeding voor vrijwillige chauffeurs van de Minder Mobielen Centrale te verhogen',
      'de voetpaden rond de bushaltes {inWaar} toegankelijk te maken',
    ],
    supralocalAsks: ['de bediening van kleinere kernen in het vervoersplan te herbekijken'],
    supralocalBodies: ['Vlaamse overheid (De Lijn en vervoerregio)'],
    serviceFixes: [
      'het sociaal huis geeft vervoerscheques voor medische afspraken',
      'het dienstencentrum zoekt extra vrijwillige chauffeurs',
    ],
  },
  {
    code: 'digitale-inclusie',
    label: 'digitale inclusie',
    domains: ['welzijn', 'onderwijs'],
    related: ['armoede-en-inkomen', 'onderwijs', 'zorg-en-ondersteuning'],
    problems: [
      {
        label: 'digitale loketten als drempel',
        conclusion:
          'De digitalisering van diensten sluit een groeiende groep uit; een fysiek loket blijft nodig.',
        titles: [
          'Ouderen raken de weg kwijt in digitale loketten',
          'Afspraken enkel nog online: bewoners {inWaar} haken af',
        ],
        observations: [
          '{Periode} hielpen we {n} mensen die een aanvraag niet konden doen omdat die enkel online kan.',
          'Steeds meer {groep} {inWaar} lopen vast op digitale aanmeldingen en online afspraken.',
        ],
        details: [
          'Aanmelden met een digitale sleutel lukt niet zonder smartphone.',
          'Het loket verwijst door naar de website, die ze niet kunnen gebruiken.',
          'Familie of buren helpen, maar krijgen zo toegang tot alle persoonlijke gegevens.',
        ],
        groups: ['ouderen', 'nieuwkomers', 'personen-met-een-handicap'],
      },
      {
        label: 'geen laptop of internet voor schoolwerk',
        conclusion: 'Digitale uitsluiting bij kinderen vergroot de onderwijskloof.',
        titles: [
          'Leerlingen zonder laptop of internet thuis',
          'Huiswerk online: kinderen {inWaar} zonder toestel',
        ],
        observations: [
          'Scholen {inWaar} melden dat {n} leerlingen thuis geen laptop of stabiel internet hebben.',
          'Kinderen maken hun huiswerk op de smartphone van een ouder.',
        ],
        details: [
          'Schoolplatformen werken slecht op een smartphone.',
          'Een internetabonnement is voor deze gezinnen te duur.',
        ],
        groups: ['kinderen', 'jongeren', 'gezinnen'],
      },
      {
        label: 'bankdiensten enkel digitaal',
        conclusion:
          'Het verdwijnen van bankkantoren en automaten maakt ouderen afhankelijk van anderen voor hun geldzaken.',
        titles: ['Bankkantoor {inWaar} gesloten: ouderen kunnen geen geld afhalen'],
        observations: [
          'Sinds het bankkantoor {inWaar} sloot, kunnen veel ouderen geen contant geld meer afhalen.',
          '{Periode} kregen we {n} vragen van ouderen die hun bankzaken niet meer zelf kunnen doen.',
        ],
        details: [
          'De dichtstbijzijnde automaat ligt kilometers verder.',
          'Overschrijvingen op papier kosten extra.',
        ],
        groups: ['ouderen'],
      },
    ],
    localActions: [
      'een Digipunt met vaste openingsuren {inWaar} te openen',
      'elk gemeentelijk loket een fysieke afspraakmogelijkheid te laten behouden',
      'laptops uit te lenen via de bibliotheek aan leerlingen zonder toestel',
    ],
    supralocalAsks: ['een recht op een niet-digitaal alternatief voor overheidsdiensten te verankeren'],
    supralocalBodies: ['Vlaamse overheid (Digitaal Vlaanderen)', 'federale overheid (FOD Economie)'],
    serviceFixes: [
      'de bibliotheek organiseert wekelijkse digihulp',
      'het onthaal helpt bij het aanmaken van een digitale sleutel',
    ],
  },
  {
    code: 'zorg-en-ondersteuning',
    label: 'zorg en ondersteuning',
    domains: ['zorg', 'welzijn'],
    related: ['gezondheid', 'mobiliteit', 'mentaal-welzijn'],
    problems: [
      {
        label: 'overbelaste mantelzorgers',
        conclusion: 'Respijtzorg en dagopvang zijn onvoldoende beschikbaar; mantelzorgers raken overbelast.',
        titles: [
          'Mantelzorgers overbelast door gebrek aan respijtzorg',
          'Geen dagopvang voor mensen met dementie {inWaar}',
        ],
        observations: [
          '{Periode} spraken we {n} mantelzorgers die aangeven het niet langer vol te houden.',
          'Mantelzorgers {inWaar} vinden geen dagopvang of kortverblijf voor hun partner of ouder.',
        ],
        details: [
          'Het kortverblijf heeft een wachtlijst van {weken} weken.',
          'Mantelzorgers stoppen met werken of worden zelf ziek.',
          'Ze kennen de mantelzorgpremie niet.',
        ],
        groups: ['ouderen', 'personen-met-een-handicap'],
      },
      {
        label: 'wachtlijst gezinszorg',
        conclusion: 'Thuiszorg kan de vraag na ontslag uit het ziekenhuis niet volgen.',
        titles: [
          'Wachtlijst voor gezinszorg en poetshulp',
          'Ouderen {inWaar} wachten op thuiszorg na ziekenhuisopname',
        ],
        observations: [
          'Na een ziekenhuisopname wachten ouderen {inWaar} tot {weken} weken op gezinszorg.',
          '{Periode} konden {n} aanvragen voor gezinszorg niet opgestart worden.',
        ],
        details: ['Ze gaan te vroeg alleen naar huis en vallen opnieuw.', 'Diensten vinden geen personeel.'],
        groups: ['ouderen'],
      },
      {
        label: 'wachten op een persoonsvolgend budget',
        conclusion: 'De wachttijd voor een persoonsvolgend budget legt de zorg volledig bij de gezinnen.',
        titles: ['Personen met een handicap wachten jaren op een persoonsvolgend budget'],
        observations: [
          '{Periode} begeleidden we {n} gezinnen met een kind met een handicap dat wacht op een persoonsvolgend budget.',
        ],
        details: [
          'Ouders combineren zorg en werk tot ze uitvallen.',
          'Dagbesteding na de schoolleeftijd is er niet.',
        ],
        groups: ['personen-met-een-handicap', 'gezinnen'],
      },
    ],
    localActions: [
      'een dagverzorgingscentrum {inWaar} mee te financieren',
      'de gemeentelijke mantelzorgpremie te verhogen en bekend te maken',
      'een oppasdienst voor mantelzorgers op te zetten met vrijwilligers',
    ],
    supralocalAsks: [
      'de wachtlijsten voor persoonsvolgende budgetten weg te werken',
      'extra uren gezinszorg te financieren',
    ],
    supralocalBodies: ['Vlaamse overheid (departement Zorg)', 'Vlaamse overheid (VAPH)'],
    serviceFixes: [
      'het sociaal huis informeert mantelzorgers actief over premies en respijtzorg',
      'de thuiszorgdiensten maken afspraken over voorrang na ziekenhuisontslag',
    ],
  },
  {
    code: 'vrije-tijd',
    label: 'vrije tijd',
    domains: ['vrije-tijd', 'jeugd'],
    related: ['armoede-en-inkomen', 'jeugd', 'participatie'],
    problems: [
      {
        label: 'kinderen nemen niet deel aan sport en cultuur',
        conclusion: 'Financiële drempels sluiten kinderen uit kwetsbare gezinnen uit van sport en cultuur.',
        titles: [
          'Kinderen uit kwetsbare gezinnen nemen niet deel aan sportclubs',
          'Lidgeld en materiaal te duur voor gezinnen {inWaar}',
        ],
        observations: [
          '{Periode} gaven {n} gezinnen aan dat hun kinderen niet naar een club kunnen door het lidgeld.',
          'Kinderen {inWaar} uit gezinnen met een laag inkomen nemen nauwelijks deel aan het vrijetijdsaanbod.',
        ],
        details: [
          'Naast het lidgeld zijn er kosten voor materiaal, kledij en verplaatsingen.',
          'Het kansentarief is onbekend of de aanvraag is te ingewikkeld.',
          'Kinderen voelen zich buitengesloten als klasgenoten over hun club vertellen.',
        ],
        groups: ['kinderen', 'jongeren', 'gezinnen'],
      },
      {
        label: 'vakantieaanbod snel volzet',
        conclusion:
          'De online inschrijving voor het vakantieaanbod sluit gezinnen zonder vlotte internettoegang uit.',
        titles: ['Speelpleinwerking en kampen binnen enkele minuten volzet'],
        observations: ['De online inschrijving voor de kampen {inWaar} was binnen enkele minuten volzet.'],
        details: [
          'Gezinnen zonder computer of vlotte internettoegang vallen uit de boot.',
          'Er zijn geen plaatsen voorbehouden voor kinderen met een kansentarief.',
        ],
        groups: ['kinderen', 'gezinnen'],
      },
    ],
    localActions: [
      'het kansentarief automatisch toe te kennen aan gezinnen met een verhoogde tegemoetkoming',
      'een vast percentage plaatsen in kampen voor te behouden voor inschrijvingen met kansentarief',
      'een materiaalbank voor sport op te richten',
    ],
    supralocalAsks: ['de middelen voor vrijetijdsparticipatie van mensen in armoede te verhogen'],
    supralocalBodies: ['Vlaamse overheid (departement Cultuur, Jeugd en Media)'],
    serviceFixes: [
      'de vrijetijdsdienst schrijft kinderen ook in aan het loket',
      'clubs krijgen een toelage per lid met kansentarief',
    ],
  },
  {
    code: 'participatie',
    label: 'participatie',
    domains: ['welzijn', 'vrije-tijd'],
    related: ['wonen', 'mobiliteit', 'veiligheid'],
    problems: [
      {
        label: 'bewoners niet gehoord bij plannen',
        conclusion:
          'De inspraak bereikt enkel een beperkte groep; huurders en nieuwkomers worden niet gehoord.',
        titles: [
          'Bewoners {inWaar} voelen zich niet gehoord bij de heraanleg',
          'Inspraak bereikt kwetsbare bewoners niet',
        ],
        observations: [
          'Bewoners {inWaar} hoorden pas van de heraanleg toen de werken begonnen.',
          'Op de inspraakavonden {inWaar} waren {periode} vooral eigenaars aanwezig, huurders nauwelijks.',
        ],
        details: [
          'De uitnodigingen zijn enkel in het Nederlands en online.',
          'De momenten vallen op uren dat werkende ouders niet kunnen.',
          'Bewoners hebben het gevoel dat alles al beslist is.',
        ],
        groups: ['gezinnen', 'nieuwkomers', 'ouderen'],
      },
    ],
    localActions: [
      'bij elk wijkproject een participatietraject met buurtwerk op te nemen',
      'inspraakmomenten ook op zaterdag en met tolken te organiseren',
    ],
    supralocalAsks: ['participatie van kwetsbare groepen op te nemen in de regels voor stadsvernieuwing'],
    supralocalBodies: ['Vlaamse overheid (Binnenlands Bestuur)'],
    serviceFixes: [
      'het buurtwerk trekt met een infokar de wijk in voor elk project',
      'uitnodigingen worden voortaan in eenvoudige taal en op papier verspreid',
    ],
  },
  {
    code: 'veiligheid',
    label: 'veiligheid',
    domains: ['veiligheid', 'welzijn'],
    related: ['jeugd', 'participatie', 'mobiliteit'],
    problems: [
      {
        label: 'onveilig gevoel in de buurt',
        conclusion:
          'Het onveiligheidsgevoel {inWaar} hangt samen met de inrichting van de publieke ruimte en met leegstand.',
        titles: ['Onveilig gevoel rond het station {inWaar}', 'Bewoners {inWaar} mijden het park na donker'],
        observations: [
          'Bewoners {inWaar} geven aan dat ze na donker niet meer alleen over straat durven.',
          '{Periode} kregen we {n} meldingen van bewoners die zich onveilig voelen rond het station.',
        ],
        details: [
          'Slechte verlichting en leegstaande panden versterken het gevoel.',
          'Vooral ouderen en vrouwen blijven daardoor thuis.',
        ],
        groups: ['ouderen', 'gezinnen'],
      },
      {
        label: 'geen opvang bij intrafamiliaal geweld',
        conclusion: 'De opvang voor slachtoffers van partnergeweld is ontoereikend.',
        titles: [
          'Slachtoffers van partnergeweld vinden geen opvang',
          'Wachttijd voor vluchthuis bij partnergeweld',
        ],
        observations: [
          '{Periode} zochten we {n} keer opvang voor een slachtoffer van partnergeweld; er was nooit meteen plaats.',
        ],
        details: [
          'Slachtoffers keren terug naar huis omdat er geen alternatief is.',
          'Kinderen zijn getuige en krijgen geen ondersteuning.',
        ],
        groups: ['gezinnen', 'kinderen'],
      },
      {
        label: 'onveilige schoolroute',
        conclusion: 'De schoolomgeving {inWaar} is niet ingericht op fietsende en wandelende kinderen.',
        titles: ['Onveilige schoolroute {inWaar}'],
        observations: [
          'Ouders {inWaar} laten hun kinderen niet alleen naar school fietsen door het drukke verkeer.',
        ],
        details: ['Er is geen afgescheiden fietspad.', 'Vrachtverkeer rijdt door de schoolstraat.'],
        groups: ['kinderen', 'gezinnen'],
      },
    ],
    localActions: [
      'de verlichting {inWaar} te vernieuwen en leegstaande panden aan te pakken',
      'een buurtteam met straathoekwerk in te zetten rond het station',
      'een schoolstraat in te voeren en een veilige fietsroute aan te leggen',
    ],
    supralocalAsks: ['de capaciteit van de opvang voor slachtoffers van partnergeweld uit te breiden'],
    supralocalBodies: ['Vlaamse overheid (departement Zorg)', 'federale overheid (FOD Justitie)'],
    serviceFixes: [
      'de buurtinspecteur houdt een wekelijkse wandeling met bewoners',
      'het CAW en de politie maken afspraken over doorverwijzing',
    ],
  },
  {
    code: 'migratie-en-integratie',
    label: 'migratie en integratie',
    domains: ['integratie', 'welzijn'],
    related: ['werk', 'onderwijs', 'wonen'],
    problems: [
      {
        label: 'wachtlijst voor Nederlandse les',
        conclusion: 'De wachttijd voor Nederlandse les vertraagt de integratie en de stap naar werk.',
        titles: [
          'Nieuwkomers wachten maanden op een cursus Nederlands',
          'Geen Nederlandse les op avond of weekend {inWaar}',
        ],
        observations: [
          '{Periode} begeleidden we {n} nieuwkomers die op een wachtlijst staan voor Nederlandse les.',
          'Nieuwkomers {inWaar} die werken, vinden geen cursus Nederlands buiten de werkuren.',
        ],
        details: [
          'Zonder Nederlands lukt werk zoeken of een opleiding nauwelijks.',
          'De wachttijd bedraagt tot {maanden} maanden.',
        ],
        groups: ['nieuwkomers', 'werkzoekenden'],
      },
      {
        label: 'geen tolk bij afspraken',
        conclusion: 'Diensten doen te weinig beroep op sociaal tolken; kinderen worden ingezet als tolk.',
        titles: [
          'Geen tolk beschikbaar bij afspraken met diensten',
          'Kinderen tolken voor hun ouders bij de dokter',
        ],
        observations: [
          '{Periode} moesten kinderen bij {n} afspraken tolken voor hun ouders.',
          'Diensten {inWaar} werken zelden met een sociaal tolk.',
        ],
        details: [
          'Kinderen tolken ook bij moeilijke gesprekken over gezondheid of schulden.',
          'Diensten weten niet dat ze een tolk kunnen aanvragen of vinden het te duur.',
        ],
        groups: ['nieuwkomers', 'kinderen'],
      },
      {
        label: 'erkenning van diploma’s',
        conclusion:
          'De trage en dure erkenning van diploma’s houdt nieuwkomers onder hun niveau aan het werk.',
        titles: ['Erkenning van buitenlandse diploma’s duurt te lang'],
        observations: [
          'Hoogopgeleide nieuwkomers werken maandenlang onder hun niveau in afwachting van de erkenning.',
        ],
        details: [
          'De procedure is duur en ingewikkeld.',
          'Tekorten in de zorg en het onderwijs blijven zo onopgelost.',
        ],
        groups: ['nieuwkomers'],
      },
    ],
    localActions: [
      'extra lessen Nederlands op avond en zaterdag te organiseren',
      'een budget voor sociaal tolken vrij te maken voor alle gemeentelijke diensten',
      'een taalcafé {inWaar} te ondersteunen',
    ],
    supralocalAsks: [
      'het aanbod Nederlandse les uit te breiden',
      'de erkenning van buitenlandse diploma’s te versnellen',
    ],
    supralocalBodies: ['Vlaamse overheid (Agentschap Integratie en Inburgering)'],
    serviceFixes: [
      'het onthaal gebruikt voortaan standaard een sociaal tolk bij een eerste gesprek',
      'het Huis van het Kind organiseert oefenmomenten Nederlands voor ouders',
    ],
  },
];

export function themeTexts(code: string): ThemeTexts {
  const found = THEME_TEXTS.find((theme) => theme.code === code);
  if (!found) throw new Error(`No demo texts for theme ${code}`);
  return found;
}

/** Target-group codes as a sentence says them. */
export const GROUP_PHRASES: Readonly<Record<string, string>> = {
  kinderen: 'kinderen',
  jongeren: 'jongeren',
  gezinnen: 'gezinnen',
  'alleenstaande-ouders': 'alleenstaande ouders',
  ouderen: 'ouderen',
  'personen-met-een-handicap': 'personen met een handicap',
  nieuwkomers: 'nieuwkomers',
  'dak-en-thuislozen': 'dak- en thuislozen',
  werkzoekenden: 'werkzoekenden',
  studenten: 'studenten',
};

export const DOMAIN_PHRASES: Readonly<Record<string, string>> = {
  jeugd: 'jeugd',
  zorg: 'zorg',
  wonen: 'wonen',
  welzijn: 'welzijn',
  onderwijs: 'onderwijs',
  'werk-en-economie': 'werk en economie',
  mobiliteit: 'mobiliteit',
  'vrije-tijd': 'vrije tijd',
  veiligheid: 'veiligheid',
  integratie: 'integratie',
};

export const PERIODS = [
  'de voorbije drie maanden',
  'de laatste weken',
  'sinds de zomer',
  'sinds het begin van het schooljaar',
  'dit voorjaar',
  'de voorbije maand',
  'sinds de winter',
  'het voorbije half jaar',
] as const;

export const PREFACES = [
  'Als {worker} {at} wil ik het volgende signaleren.',
  'Vanuit onze werking {at} willen we het volgende signaleren.',
  'Dit signaal komt uit het teamoverleg {at}.',
  '',
  '',
] as const;

export const CLOSINGS = [
  'Graag bekijken of hier een structurele oplossing voor mogelijk is.',
  'Dit lijkt geen alleenstaand geval.',
  'We geven graag meer toelichting op het volgende netwerkoverleg.',
  'We vragen om dit mee te nemen in het lokaal sociaal beleid.',
  'Ook {org2} merkt dit op.',
  'Collega’s {at} herkennen dit ook.',
  '',
  '',
] as const;

export const TRIAGE_MOTIVATIONS = [
  'Aanvaard: dit overstijgt de individuele situatie.',
  'Aanvaard als signaal; sluit aan bij eerdere signalen over {thema}.',
  'Aanvaard. Meerdere huishoudens {inWaar} zijn betrokken.',
  'Aanvaard, thema aangevuld na overleg met de signaalgever.',
] as const;

export const REJECTIONS: ReadonlyArray<{ reason: string; feedback: string }> = [
  {
    reason: 'Het gaat om een individuele hulpvraag, niet om een structureel probleem.',
    feedback:
      'Bedankt voor je melding. Omdat het om één persoonlijke situatie gaat, hebben we de vraag doorgegeven aan het onthaal van het sociaal huis. Zie je gelijkaardige situaties, meld ze dan gerust opnieuw als signaal.',
  },
  {
    reason: 'Dit is een klacht over de dienstverlening; die volgt de klachtenprocedure.',
    feedback:
      'Bedankt. Klachten over de dienstverlening van {gemeente} volgen de klachtenprocedure; we hebben je melding daaraan bezorgd.',
  },
  {
    reason: 'Te weinig informatie om dit als signaal te aanvaarden.',
    feedback:
      'Bedankt voor je melding. We konden er nog geen structureel probleem in herkennen. Zie je dit vaker, meld het dan opnieuw met wat meer context: hoeveel mensen, in welke wijk, sinds wanneer.',
  },
  {
    reason: 'Het probleem situeert zich buiten het grondgebied van {gemeente}.',
    feedback:
      'Bedankt. Deze situatie hoort bij een buurgemeente; we hebben je gevraagd het daar te melden via hun contactpunt Lokaal Signaal.',
  },
  {
    reason: 'Al opgelost: de dienst heeft de werkwijze intussen aangepast.',
    feedback:
      'Bedankt voor je signaal. De dienst heeft de werkwijze intussen aangepast. Merk je toch nog problemen, laat het ons weten.',
  },
];

export const MERGE_MOTIVATIONS = [
  'Zelfde probleem als een eerder signaal over {probleem} {inWaar}; we volgen ze samen op.',
  'Dubbel signaal: dezelfde situatie werd al gemeld door een collega.',
  'Samengevoegd met het signaal over {probleem}, dat al in behandeling is.',
] as const;

export const REASSIGN_MOTIVATIONS = [
  'Dit hoort eerder thuis bij het beleidsdomein {domein}.',
  'Op vraag van de dienst: de collega’s van {domein} nemen de analyse over.',
  'Na een eerste lezing ligt de oplossing vooral bij {domein}.',
] as const;

export const QUESTIONS: ReadonlyArray<{ question: string; answers: readonly string[] }> = [
  {
    question: 'Over hoeveel gezinnen of personen gaat het ongeveer?',
    answers: [
      'Het gaat om een {n}-tal gezinnen die ik de voorbije maanden begeleidde.',
      'Bij ons alleen al een {n}-tal, en collega’s zien er ook.',
    ],
  },
  {
    question: 'Zie je dit enkel {inWaar} of ook in andere wijken?',
    answers: [
      'Vooral {inWaar}, maar collega’s uit andere wijken herkennen het ook.',
      'Voornamelijk {inWaar}; elders hebben we minder zicht.',
    ],
  },
  {
    question: 'Werden deze mensen al doorverwezen, en zo ja, naar waar?',
    answers: [
      'De meeste werden doorverwezen naar het sociaal huis; daar botsen ze op dezelfde drempel.',
      'Ja, naar {org2}, maar daar is een wachtlijst.',
    ],
  },
  {
    question: 'Kan je beschrijven waar mensen precies op vastlopen?',
    answers: [
      'Ze vinden de informatie niet, of de aanvraag vraagt documenten die ze niet hebben.',
      'Vooral de wachttijd en de kosten; de regels zelf begrijpen ze wel.',
    ],
  },
  {
    question: 'Sinds wanneer merk je dit?',
    answers: [
      'Het valt ons vooral op sinds het begin van dit jaar; daarvoor kwam het af en toe voor.',
      'Al langer, maar de laatste maanden veel vaker.',
    ],
  },
  {
    question: 'Zijn er andere organisaties die dit ook opmerken?',
    answers: [
      'Ja, ook {org2} herkent dit bij de mensen die zij begeleiden.',
      'Dat weet ik niet; ik vraag het na op het netwerkoverleg.',
    ],
  },
];

export const LEAD_ANSWER_PREFIX = 'Telefonisch bevestigd door de signaalgever: ';

export const NON_STRUCTURAL_CONCLUSIONS = [
  'Na analyse gaat het om een beperkt aantal situaties die met het bestaande aanbod opgevangen kunnen worden; geen structureel probleem.',
  'De situaties werden individueel opgevolgd. We zien geen patroon dat een beleidsbeslissing vraagt, maar blijven alert.',
  'Het probleem was tijdelijk en is intussen opgelost door de dienst zelf.',
] as const;

export const ANALYSIS_ADDITIONS = [
  '{Periode} kwamen {k} gelijkaardige signalen binnen uit {gemeente}.',
  'De cijfers van {org2} bevestigen het beeld.',
  'Besproken met de dienst {domein}; de oorzaak ligt deels buiten de gemeente.',
  '',
] as const;

/** A body a signal is escalated to, with the article a sentence needs. */
export interface Body {
  name: string;
  article: 'de' | 'het' | '';
}

export const LOCAL_BODIES: readonly Body[] = [
  { name: 'college van burgemeester en schepenen', article: 'het' },
  { name: 'college van burgemeester en schepenen', article: 'het' },
  { name: 'vast bureau', article: 'het' },
  { name: 'raad voor maatschappelijk welzijn', article: 'de' },
  { name: 'gemeenteraadscommissie welzijn', article: 'de' },
  { name: 'overlegtafel armoede', article: 'de' },
  { name: 'lokaal overleg kinderopvang', article: 'het' },
  { name: 'welzijnsraad', article: 'de' },
  { name: 'werkgroep woonbeleid', article: 'de' },
];

export const VVSG: Body = { name: 'VVSG', article: '' };

/** "het college van burgemeester en schepenen", "VVSG". */
export function withArticle(body: Body): string {
  return body.article ? `${body.article} ${body.name}` : body.name;
}

export const ESCALATION_MOTIVATIONS_LOCAL = [
  'Het signaal komt vaker terug en vraagt een beslissing over middelen.',
  'Een oplossing vraagt samenwerking tussen diensten en partners; voorgelegd ter beslissing.',
  'Gebundeld met gelijkaardige signalen en geagendeerd om een actie te kunnen plannen.',
] as const;

export const ESCALATION_MOTIVATIONS_SUPRALOCAL = [
  'De oorzaak ligt in Vlaamse of federale regelgeving; lokaal kunnen we enkel de gevolgen opvangen.',
  'Ook andere gemeenten melden dit; bovenlokaal bundelen geeft meer gewicht.',
  'Structureel probleem dat de bevoegdheid van de gemeente overstijgt.',
] as const;

export const LOCAL_DECISIONS = [
  '{DeBody} besliste om {actie}.',
  '{DeBody} keurde het voorstel goed om {actie}.',
] as const;

/** A first, interim decision; a final one follows. */
export const INTERIM_DECISIONS = [
  '{DeBody} nam kennis van het signaal en vraagt de dienst {domein} om tegen {maand} een voorstel uit te werken.',
  '{DeBody} vraagt eerst een overleg met de betrokken partners en agendeert het opnieuw in {maand}.',
] as const;

/** Decisions when the signal went to VVSG. */
export const VVSG_DECISIONS = [
  'VVSG nam het signaal op in haar standpunt en vraagt de bevoegde overheid om {vraag}.',
  'VVSG bundelde het signaal met gelijkaardige signalen van andere gemeenten en bezorgde het aan de {hogereOverheid}, met de vraag om {vraag}.',
] as const;

/** A first answer of the Flemish or federal level; a final one follows. */
export const GOVERNMENT_INTERIM_DECISIONS = [
  'Het signaal werd samen met gelijkaardige signalen van andere gemeenten bezorgd aan de {body}, met de vraag om {vraag}.',
  'De {body} bevestigde de ontvangst en bespreekt het signaal op het overleg met de lokale besturen.',
] as const;

/** The answer of the Flemish or federal level. */
export const GOVERNMENT_DECISIONS = [
  'De {body} antwoordde dat het signaal meegenomen wordt in de evaluatie van de regelgeving.',
  'De {body} kondigde een bijsturing aan: er komen middelen om {vraag}.',
  'De {body} nam het voorstel op in de beleidsplanning voor volgend jaar.',
] as const;

export const CLOSE_AFTER_DECISION = {
  outcomes: ['Beleidsbeslissing genomen: {beslissing}', 'Opgenomen in het beleid. {beslissing}'],
  feedback: [
    'Bedankt voor je signaal. Op basis van dit en gelijkaardige signalen werd een beslissing genomen: {beslissing} We houden je op de hoogte van de uitvoering.',
    'Dankzij jouw signaal en dat van collega’s kwam dit op de agenda. {beslissing} Bedankt om dit te melden.',
  ],
} as const;

export const CLOSE_AFTER_ANALYSIS = {
  outcomes: ['Opgelost binnen de werking: {fix}.', 'Afgesproken met de dienst {domein}: {fix}.'],
  feedback: [
    'Bedankt voor je signaal. Na analyse werd het volgende afgesproken: {fix}. Dat vraagt geen aparte beleidsbeslissing.',
    'Bedankt. We hebben dit met de betrokken dienst bekeken: {fix}. Laat ons weten of het in de praktijk verbetert.',
  ],
} as const;

export const CLOSE_NON_STRUCTURAL = {
  outcomes: [
    'Geen structureel probleem; individuele situaties opgevolgd.',
    'Geen verdere actie nodig na analyse.',
  ],
  feedback: [
    'Bedankt voor je signaal. Uit de analyse blijkt dat het om een beperkt aantal situaties gaat die met het bestaande aanbod opgevangen worden. We blijven alert voor gelijkaardige meldingen.',
  ],
} as const;

export const CLOSE_FROM_TRIAGE = {
  outcomes: [
    'Al gekend en in uitvoering: {fix}.',
    'Doorgegeven aan een lopend project van de dienst {domein}.',
  ],
  feedback: [
    'Bedankt voor je signaal. Dit probleem is al gekend en er loopt een aanpak: {fix}. Je signaal bevestigt dat het nodig is.',
  ],
} as const;

export const REOPEN_REASONS_CLOSED = [
  'Het probleem duikt opnieuw op {inWaar}; de signaalgever meldt nieuwe situaties.',
  'De genomen maatregel blijkt in de praktijk niet te volstaan.',
  'Nieuwe cijfers van {org2} tonen dat het probleem groter is dan ingeschat.',
] as const;

export const REOPEN_REASONS_REJECTED = [
  'Na nieuwe informatie van {org2} blijkt het toch om een structureel probleem te gaan.',
  'Meerdere collega’s meldden dezelfde situatie; we bekijken het opnieuw.',
] as const;

export const NOTES = [
  'Besproken op het teamoverleg; we wachten op cijfers van {org2}.',
  'Gelijkaardige signalen {inWaar} verzameld voor het volgende netwerkoverleg.',
  'Contact gehad met de dienst {domein} over mogelijke acties.',
  'Geagendeerd voor het netwerkoverleg van {maand}.',
  'Termijn voor de analyse loopt af; opvolging gevraagd.',
  'Signaalgever bedankt en op de hoogte gebracht van de stand van zaken.',
  'Te bekijken samen met de andere signalen over {probleem}.',
] as const;

export type TemplateValues = Readonly<Record<string, string>>;

/** Fills `{name}` placeholders; `{Name}` capitalises the value. Unknown names throw. */
export function fill(template: string, values: TemplateValues): string {
  const text = template.replace(/\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    const value = values[key];
    if (value === undefined) throw new Error(`No value for {${name}} in "${template}"`);
    return name === key ? value : value.charAt(0).toUpperCase() + value.slice(1);
  });
  return text.replace(/\s+/g, ' ').trim();
}
