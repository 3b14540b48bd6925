import { createRequire } from 'node:module';
import snowball from 'snowball-stemmers';

// stopwords-iso is a JSON file with a CommonJS entry: required, not imported (no import attributes needed).
const stopwordsIso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

/**
 * Words of signal texts that say nothing about the problem: the Dutch list of stopwords-iso plus
 * words every signal uses ("signaal", "situatie", …), which would otherwise make every signal
 * look alike.
 */
const DOMAIN_STOPWORDS = [
  'signaal',
  'signalen',
  'situatie',
  'situaties',
  'probleem',
  'problemen',
  'mensen',
  'persoon',
  'personen',
  'vaak',
  'steeds',
  'meer',
  'veel',
  'hun',
  'euro',
];

const STOPWORDS: ReadonlySet<string> = new Set([...(stopwordsIso['nl'] ?? []), ...DOMAIN_STOPWORDS]);
const stemmer = snowball.newStemmer('dutch');
const WORD = /[\p{L}\p{N}]+/gu;
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 200_000;

/** The stem of a lower-case word (cached: a tenant's vocabulary is small, stemming is not free). */
export function stem(word: string): string {
  let found = stems.get(word);
  if (found === undefined) {
    found = stemmer.stem(word);
    if (stems.size < MAX_CACHED_STEMS) stems.set(word, found);
  }
  return found;
}

/**
 * The terms of a Dutch text: lower-cased words of letters and digits, without stopwords, numbers
 * and one-letter words, stemmed with the Snowball Dutch stemmer ("huurwoningen" → "huurwon",
 * "woningen" → "woning"). Diacritics stay: the stemmer handles "geïsoleerde" itself.
 */
export function terms(text: string): string[] {
  const found: string[] = [];
  for (const match of text.normalize('NFC').toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length < 2 || STOPWORDS.has(word) || /^\p{N}+$/u.test(word)) continue;
    const root = stem(word);
    if (root.length >= 2 && !STOPWORDS.has(root)) found.push(root);
  }
  return found;
}

/** Term counts of a signal's text; the title counts twice (it names the problem). */
export function termCounts(title: string | null, description: string | null): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string | null, weight: number) => {
    if (!text) return;
    for (const term of terms(text)) counts.set(term, (counts.get(term) ?? 0) + weight);
  };
  add(title, 2);
  add(description, 1);
  return counts;
}
