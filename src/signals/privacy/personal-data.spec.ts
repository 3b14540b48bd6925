import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  assertNoPersonalData,
  findPersonalData,
  isNationalRegisterNumber,
  isValidIban,
  PersonalDataError,
  type PersonalDataKind,
} from './personal-data.js';

describe('findPersonalData: true positives', () => {
  const cases: [PersonalDataKind, string, string][] = [
    // national register numbers (checksums computed by hand, see the property below for the rule)
    [
      'national-register-number',
      'De moeder (rijksregisternummer 85.07.30-033.28) vindt geen betaalbare woning.',
      '85.07.30-033.28',
    ],
    ['national-register-number', 'RRN 85073003328 staat op het aanvraagformulier.', '85073003328'],
    ['national-register-number', 'Zijn nummer is 850730 033 28, zegt hij.', '850730 033 28'],
    ['national-register-number', 'Geboren in 2001: 01.01.01-001.26, nu alleen.', '01.01.01-001.26'],
    ['national-register-number', 'Het kind (12022912378) gaat niet naar school.', '12022912378'],
    ['national-register-number', 'BIS-nummer 85.47.30-033.17 van een nieuwkomer.', '85.47.30-033.17'],
    ['national-register-number', 'nr. 850730-033-28 bij het OCMW', '850730-033-28'],
    // e-mail
    ['email', 'Contact via an.devos@ocmw-gent.be voor meer uitleg.', 'an.devos@ocmw-gent.be'],
    ['email', 'Mail naar JAN.PEETERS+signaal@Telenet.BE of bel even.', 'JAN.PEETERS+signaal@Telenet.BE'],
    ['email', 'Haar adres: sofie_v@hotmail.com.', 'sofie_v@hotmail.com'],
    ['email', 'schrijf naar jan.peeters (at) telenet (punt) be', 'jan.peeters (at) telenet (punt) be'],
    ['email', 'of via lien[at]kortrijk.be', 'lien[at]kortrijk.be'],
    // phone numbers
    ['phone', 'Bel de buurvrouw op +32 470 12 34 56 als het dringend is.', '+32 470 12 34 56'],
    ['phone', 'Haar gsm: 0470/12.34.56.', '0470/12.34.56'],
    ['phone', 'Het gezin is bereikbaar op 09 123 45 67 na 17 uur.', '09 123 45 67'],
    ['phone', 'Via 0032 470 12 34 56 bereikbaar.', '0032 470 12 34 56'],
    ['phone', 'Papa belt vanaf +32 (0)9 123 45 67.', '+32 (0)9 123 45 67'],
    ['phone', 'Gsm 0470123456 van de jongere.', '0470123456'],
    ['phone', 'In Brugge: 050 12 34 56.', '050 12 34 56'],
    ['phone', 'Vast nummer 09/123.45.67 (thuis).', '09/123.45.67'],
    ['phone', 'Zijn Nederlandse nummer is 06-12345678.', '06-12345678'],
    ['phone', 'Familie in Frankrijk: +33 6 12 34 56 78.', '+33 6 12 34 56 78'],
    ['phone', 'Amerikaans nummer +1 (555) 123-4567.', '+1 (555) 123-4567'],
    ['phone', 'Dochter: +32470123456', '+32470123456'],
    ['phone', 'Bel 0470 / 12 34 56 voor een afspraak.', '0470 / 12 34 56'],
    ['phone', 'Gsm 0470.12.34.56 staat op het briefje.', '0470.12.34.56'],
    // IBAN (the registry's own examples)
    ['iban', 'De huur wordt gestort op BE68 5390 0754 7034.', 'BE68 5390 0754 7034'],
    ['iban', 'rekening be68539007547034 van de huurder', 'be68539007547034'],
    ['iban', 'Nederlandse rekening NL91 ABNA 0417 1643 00.', 'NL91 ABNA 0417 1643 00'],
    ['iban', 'Duitse rekening DE89 3704 0044 0532 0130 00 van de werkgever', 'DE89 3704 0044 0532 0130 00'],
    ['iban', 'Franse rekening FR14 2004 1010 0505 0001 3M02 606.', 'FR14 2004 1010 0505 0001 3M02 606'],
    ['iban', 'GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ];

  it.each(cases)('finds %s in %j', (kind, text, match) => {
    expect(findPersonalData(text)).toEqual([{ kind, match }]);
  });

  it('finds a mobile number in the enterprise-number notation when its check does not fit', () => {
    expect(findPersonalData('Gsm 0470.123.456')).toEqual([{ kind: 'phone', match: '0470.123.456' }]);
  });

  it('reports several findings in order of appearance', () => {
    const text =
      'Mail an@voorbeeld.be, bel 0470 12 34 56, rekening BE68 5390 0754 7034, RRN 85.07.30-033.28.';
    expect(findPersonalData(text).map((f) => f.kind)).toEqual([
      'email',
      'phone',
      'iban',
      'national-register-number',
    ]);
  });
});

describe('findPersonalData: true negatives', () => {
  const texts = [
    '35 gezinnen in Gent wachten al 18 maanden op een sociale woning.',
    'De energiefactuur steeg van 1.250 euro naar 2.100 euro per jaar.',
    'Een stijging van € 1.250,50 of 12,5% op één jaar.',
    'In 2023 deden 12% minder jongeren een aanvraag dan in 2022.',
    'Tussen 2019 en 2023 steeg de wachttijd met 40 procent.',
    'Sinds 01.02.2024 sluit het loket om 12.00 uur.',
    'Op 15/03/2024 kwamen 40 mensen naar de zitdag in 9000 Gent.',
    'Op 01.02.2023 9u stonden er 20 mensen aan de deur.',
    'Op 05-03-2024 en 06-03-2024 was het onthaal dicht.',
    'Openingsuren: 09.00-12.00 en 13.30-16.30, ook op zaterdag.',
    'Wachtlijst van 3 tot 6 maanden voor kinderen van 0 tot 3 jaar.',
    'Postcodes 8500 Kortrijk, 9200 Dendermonde en 2880 Bornem.',
    'Het budget daalde met +12.500.000 euro naar 0,50 euro per maaltijd.',
    'In wijk 3 (Sint-Amandsberg) wonen 1 200 huurders, zo\u2019n 2 500 inwoners.',
    'Artikel 1.2.3 van het reglement, versie 2.0.1, om 14:30.',
    'Het dossiernummer 85073003329 klopt niet.', // 11 digits, checksum wrong
    'Referentie 12345678901 in het oude systeem.', // 11 digits, checksum wrong
    'De huur ging naar BE68 5390 0754 7035.', // IBAN checksum wrong
    'De huur ging naar NL91 ABNA 0417 1643 01.', // IBAN checksum wrong
    'De verhuurder (ondernemingsnummer 0203.201.340) reageert niet.',
    'BTW BE 0203.201.340 staat op de factuur.',
    'Een verhuurder met KBO-nummer 0203201340.',
    'De verhuurder 0203.201.340 reageert niet op brieven.', // enterprise number by its own check
    'Score +25 % t.o.v. vorig jaar, 3 op 4 gezinnen.',
    'Hoofdstuk 4.2 van het Lokaal Sociaal Beleidsplan 2020-2025.',
    'Contact via het onthaal van het sociaal huis, niet via e-mail.',
    'Twee ouders @ de schoolpoort, geen adres.',
    'De wijk telt 12 345 inwoners en 4 500 gezinnen.',
    'Leeftijd 85 jaar, 07 30 uur opgestaan, 033 keer gebeld.',
    '',
  ];

  it.each(texts)('finds nothing in %j', (text) => {
    expect(findPersonalData(text)).toEqual([]);
  });
});

describe('checksums', () => {
  it('accepts register numbers of both centuries and refuses a wrong check', () => {
    expect(isNationalRegisterNumber('850730033', 28)).toBe(true);
    expect(isNationalRegisterNumber('010101001', 26)).toBe(true);
    expect(isNationalRegisterNumber('850730033', 29)).toBe(false);
    // a valid-looking check but an impossible month
    expect(isNationalRegisterNumber('851330033', 97 - (851330033 % 97))).toBe(false);
  });

  it('validates IBANs with mod 97', () => {
    expect(isValidIban('BE68539007547034')).toBe(true);
    expect(isValidIban('BE68539007547035')).toBe(false);
    expect(isValidIban('BE6853900754703!')).toBe(false);
  });
});

describe('assertNoPersonalData', () => {
  const FREE_TEXT = ['title', 'description', 'answers'] as const;

  it('accepts ordinary signal texts and ignores fields that are not free text', () => {
    expect(() =>
      assertNoPersonalData(
        {
          title: 'Lange wachtlijst jeugdhulp',
          description: '35 gezinnen wachten sinds 01.02.2024 op een plaats.',
          contactPhone: '0470 12 34 56',
        },
        FREE_TEXT,
      ),
    ).not.toThrow();
  });

  it('names the field and the kind without echoing the value', () => {
    let caught: unknown;
    try {
      assertNoPersonalData(
        { title: 'Energiearmoede', description: 'Moeder, RRN 85.07.30-033.28, zit zonder verwarming.' },
        FREE_TEXT,
      );
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PersonalDataError);
    const error = caught as PersonalDataError;
    expect(error.code).toBe('PERSONAL_DATA_DETECTED');
    expect(error.field).toBe('description');
    expect(error.kind).toBe('national-register-number');
    expect(error.message).toBe(
      "Het veld 'description' bevat wat lijkt op een rijksregisternummer. " +
        'Een signaal beschrijft een situatie, geen persoon: laat persoonsgegevens weg.',
    );
    expect(error.message).not.toContain('85');
  });

  it.each([
    ['email', 'een e-mailadres', 'mail an@voorbeeld.be'],
    ['phone', 'een telefoonnummer', 'bel 0470 12 34 56'],
    ['iban', 'een rekeningnummer (IBAN)', 'op BE68 5390 0754 7034'],
  ] as const)('reports %s as %j', (kind, label, text) => {
    expect(() => assertNoPersonalData({ title: text }, FREE_TEXT)).toThrow(
      expect.objectContaining({ field: 'title', kind, message: expect.stringContaining(label) }),
    );
  });

  it('checks strings nested in arrays and objects of a free-text field', () => {
    expect(() =>
      assertNoPersonalData({ answers: [{ text: 'geen' }, { text: 'mail an@voorbeeld.be' }] }, FREE_TEXT),
    ).toThrow(expect.objectContaining({ field: 'answers', kind: 'email' }));
  });

  it('skips missing, null and non-text values', () => {
    expect(() => assertNoPersonalData({ title: null, description: 42 }, FREE_TEXT)).not.toThrow();
  });
});

describe('property: every valid register number in any text is found', () => {
  const SEPARATORS = [
    ['', '', '', ''],
    ['.', '.', '-', '.'],
    [' ', ' ', ' ', ' '],
    ['', '', ' ', ' '],
    ['', '', '-', '-'],
  ] as const;

  const pad = (n: number, width: number): string => String(n).padStart(width, '0');

  const registerNumber = fc
    .record({
      birth: fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      serial: fc.integer({ min: 1, max: 998 }),
      separators: fc.constantFrom(...SEPARATORS),
    })
    .map(({ birth, serial, separators }) => {
      const first9 =
        pad(birth.getUTCFullYear() % 100, 2) +
        pad(birth.getUTCMonth() + 1, 2) +
        pad(birth.getUTCDate(), 2) +
        pad(serial, 3);
      const base = Number(first9) + (birth.getUTCFullYear() >= 2000 ? 2_000_000_000 : 0);
      const check = pad(97 - (base % 97), 2);
      const [a, b, c, d] = separators;
      return (
        `${first9.slice(0, 2)}${a}${first9.slice(2, 4)}${b}${first9.slice(4, 6)}` +
        `${c}${first9.slice(6, 9)}${d}${check}`
      );
    });

  it('finds the number, whatever text surrounds it', () => {
    fc.assert(
      fc.property(fc.string(), registerNumber, fc.string(), (before, rrn, after) => {
        // A space on each side: glued to other digits it would be a different, longer number.
        const findings = findPersonalData(`${before} ${rrn} ${after}`);
        expect(findings).toContainEqual({ kind: 'national-register-number', match: rrn });
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never reports an empty match on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        for (const finding of findPersonalData(text)) expect(finding.match.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ids quoted in free text', () => {
  it('are not read as phone numbers', () => {
    expect(findPersonalData('Zie ook signaal 04511018-8da4-8a4f-80fa-46efebb4f59b in Ledeberg.')).toEqual([]);
  });
  it('do not hide a phone number next to them', () => {
    expect(findPersonalData('Signaal 04511018-8da4-8a4f-80fa-46efebb4f59b, bel 0470 12 34 56.')).toEqual([
      expect.objectContaining({ kind: 'phone' }),
    ]);
  });
});
