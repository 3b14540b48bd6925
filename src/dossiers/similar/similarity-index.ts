import type { RecordedEvent } from '../../platform/event-store/event-store.port.js';
import type { JsonValue } from '../../platform/json.js';
import { SIGNAL_CATEGORY } from '../../signals/signal.events.js';
import { DOSSIER_CATEGORY } from '../dossier.events.js';
import { termCounts } from './dutch-text.js';

/**
 * What the index keeps of a signal: its title (suggestions name it), terms, themes, state and the
 * facts scope is decided on. Not its description: the terms say what the index needs of it.
 */
export interface IndexedSignal {
  signalId: string;
  title: string | null;
  themes: string[];
  state: string;
  givenBy: string;
  organisationId: string | null;
  assigneeId: string | null;
  policyDomain: string | null;
  /** The open dossier that holds the signal, if any. */
  dossierId: string | null;
  /**
   * Per term, in increasing order of id, `TERM_STRIDE` numbers: the term id (the index's own, see
   * `termName`), its weighted count (title words twice) and the signal's slot in that term's
   * posting (so that a signal whose text changes leaves its postings without searching them).
   * Packed so that a signal costs a few bytes per term.
   */
  terms: Uint32Array;
  /** The TF-IDF norm of the terms, valid for the statistics generation beside it (-1: none). */
  norm: number;
  normGeneration: number;
  /** Scratch of a query: the dot product so far, valid while `stamp` is that query's. */
  dot: number;
  stamp: number;
}

export interface SimilarSignal {
  signal: IndexedSignal;
  /** textWeight × text + themeWeight × themes, in [0, 1]. */
  score: number;
  /** Cosine of the TF-IDF vectors of title and description. */
  text: number;
  /** Jaccard overlap of the theme codes. */
  themes: number;
  /** The stems both texts share, strongest first. */
  sharedTerms: string[];
}

export interface SimilarQuery {
  limit: number;
  /** Which candidates the caller may see (scope); all of the tenant when absent. */
  visible?: (signal: IndexedSignal) => boolean;
  minScore?: number;
}

const NO_TERMS = new Uint32Array(0);

/** Numbers per term in `IndexedSignal.terms`: id, count, slot. */
export const TERM_STRIDE = 3;

/** The weighted count of a term in a signal's packed terms (0 when it has none). */
export function termCount(terms: Uint32Array, term: number): number {
  const at = termAt(terms, term);
  return at < 0 ? 0 : terms[at + 1]!;
}

/** Where a term id's entry starts in packed terms, or -1. */
function termAt(terms: Uint32Array, term: number): number {
  let low = 0;
  let high = terms.length / TERM_STRIDE - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const id = terms[middle * TERM_STRIDE]!;
    if (id === term) return middle * TERM_STRIDE;
    if (id < term) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Term counts by id, packed as IndexedSignal.terms keeps them; zero counts are left out. */
function packTerms(counts: ReadonlyMap<number, number>): Uint32Array {
  const ids = [...counts.keys()].filter((id) => counts.get(id)! > 0).sort((a, b) => a - b);
  const packed = new Uint32Array(ids.length * TERM_STRIDE);
  ids.forEach((id, i) => {
    packed[i * TERM_STRIDE] = id;
    packed[i * TERM_STRIDE + 1] = counts.get(id)!;
  });
  return packed;
}

function unpackTerms(terms: Uint32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < terms.length; i += TERM_STRIDE) counts.set(terms[i]!, terms[i + 1]!);
  return counts;
}

const SIGNAL_PREFIX = `${SIGNAL_CATEGORY}-`;
const DOSSIER_PREFIX = `${DOSSIER_CATEGORY}-`;

const SELECTIVE_SHARE = 0.02;
const SELECTIVE_MIN = 200;

export const TEXT_WEIGHT = 0.8;
export const THEME_WEIGHT = 0.2;
/** States whose signals are no bundling candidates: not a signal, or part of another one. */
const NOT_CANDIDATES: ReadonlySet<string> = new Set(['rejected', 'merged']);

/** Corpus statistics (N, df) are refreshed once the tenant's signal count moved by this share. */
const STATS_SLACK = 0.01;

class TenantIndex {
  readonly signals = new Map<string, IndexedSignal>();
  /**
   * Term → the signals whose text holds it (in no particular order): candidates come only from a
   * query's own terms. Arrays rather than sets: a few bytes per entry; a signal leaves them only
   * when its text changes or is erased.
   */
  readonly postings = new Map<number, IndexedSignal[]>();
  readonly dossiers = new Map<string, Set<string>>();
  /**
   * IDF values and document norms hold for one generation of corpus statistics; a new generation
   * starts when the number of signals moved by more than 1%, so that a query does not recompute
   * the norm of every candidate, and all scores of a query use the same statistics. A small corpus
   * starts one at every change: an IDF of 3 signals used for 12 goes negative (ln(4/13) + 1).
   */
  private generation = 0;
  private statsSize = -1;
  private readonly idfs = new Map<number, number>();

  refresh(): void {
    const size = this.signals.size;
    // The first query always starts a generation (a tenant of fewer than ten signals never did:
    // its IDF came from a corpus of -1 and every score was NaN, sent as null).
    if (this.statsSize < 0 || Math.abs(size - this.statsSize) > this.statsSize * STATS_SLACK) {
      this.generation += 1;
      this.statsSize = size;
      this.idfs.clear();
    }
  }

  idf(term: number): number {
    let idf = this.idfs.get(term);
    if (idf === undefined) {
      const df = this.postings.get(term)?.length ?? 0;
      idf = Math.log((this.statsSize + 1) / (df + 1)) + 1;
      this.idfs.set(term, idf);
    }
    return idf;
  }

  norm(signal: IndexedSignal): number {
    if (signal.normGeneration === this.generation) return signal.norm;
    let sum = 0;
    const { terms } = signal;
    for (let i = 0; i < terms.length; i += TERM_STRIDE) {
      const weight = (1 + Math.log(terms[i + 1]!)) * this.idf(terms[i]!);
      sum += weight * weight;
    }
    signal.norm = Math.sqrt(sum) || 1;
    signal.normGeneration = this.generation;
    return signal.norm;
  }

  /**
   * Replaces a signal's terms in the postings. Leaving a posting takes its slot (the posting's
   * last entry moves into it, order does not matter), so a change costs the signal's own terms,
   * whatever the postings' length.
   */
  index(signal: IndexedSignal, terms: Uint32Array): void {
    const old = signal.terms;
    for (let i = 0; i < old.length; i += TERM_STRIDE) this.leave(signal, old[i]!, old[i + 2]!);
    for (let i = 0; i < terms.length; i += TERM_STRIDE) {
      const posting = this.postings.get(terms[i]!);
      if (posting) {
        terms[i + 2] = posting.length;
        posting.push(signal);
      } else {
        terms[i + 2] = 0;
        this.postings.set(terms[i]!, [signal]);
      }
    }
    signal.terms = terms;
    signal.normGeneration = -1;
  }

  private leave(signal: IndexedSignal, term: number, at: number): void {
    const posting = this.postings.get(term);
    if (posting?.[at] !== signal)
      throw new Error(`similarity index: signal ${signal.signalId} lost its place`);
    const last = posting.pop()!;
    if (last !== signal) {
      posting[at] = last;
      last.terms[termAt(last.terms, term) + 2] = at;
    }
    if (posting.length === 0) this.postings.delete(term);
  }
}

/**
 * Similar-signal suggestions for bundling: an in-memory index per tenant, kept up to date event by
 * event (signals and dossier membership), so that a query reads only the postings of its own
 * terms, never every signal. Scores are TF-IDF cosine similarity of title and description
 * (Dutch stopwords removed, Snowball-stemmed, title words counted twice, tf as 1 + ln tf, idf as
 * 1 + ln((N + 1) / (df + 1)) over the tenant's signals) combined with the Jaccard overlap of themes.
 */
export class SimilarityIndex {
  private readonly tenants = new Map<string, TenantIndex>();
  /** Terms as small integers: integer-keyed maps are much faster than string-keyed ones. */
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private queries = 0;
  /** Last global position applied: what a query can wait for. */
  position = -1n;

  apply(event: RecordedEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    const tenantId = event.metadata.tenantId;
    if (typeof tenantId !== 'string') return;
    if (event.stream.startsWith(DOSSIER_PREFIX)) this.applyDossier(tenantId, event);
    else if (event.stream.startsWith(SIGNAL_PREFIX)) this.applySignal(tenantId, event);
  }

  size(tenantId: string): number {
    return this.tenants.get(tenantId)?.signals.size ?? 0;
  }

  /** Every indexed signal of a tenant (for a reference scan in tests and benchmarks). */
  signalsOf(tenantId: string): Iterable<IndexedSignal> {
    return this.tenants.get(tenantId)?.signals.values() ?? [];
  }

  /** The inverse document frequency of a term among the tenant's signals. */
  termName(term: number): string {
    return this.termNames[term] ?? '';
  }

  idf(tenantId: string, term: number): number {
    const tenant = this.tenant(tenantId);
    tenant.refresh();
    return tenant.idf(term);
  }

  get(tenantId: string, signalId: string): IndexedSignal | undefined {
    return this.tenants.get(tenantId)?.signals.get(signalId);
  }

  similar(tenantId: string, signalId: string, query: SimilarQuery): SimilarSignal[] {
    const tenant = this.tenants.get(tenantId);
    const subject = tenant?.signals.get(signalId);
    if (!tenant || !subject) return [];
    tenant.refresh();
    // The subject's weights once, in its terms' order (by id); a candidate's dot product then
    // walks both sorted term lists side by side.
    const subjectTerms = subject.terms;
    const termsOfSubject = subjectTerms.length / TERM_STRIDE;
    const ids = new Uint32Array(termsOfSubject);
    const weights = new Float64Array(termsOfSubject);
    let subjectNorm = 0;
    for (let i = 0; i < termsOfSubject; i++) {
      const term = subjectTerms[i * TERM_STRIDE]!;
      const weight = (1 + Math.log(subjectTerms[i * TERM_STRIDE + 1]!)) * tenant.idf(term);
      ids[i] = term;
      weights[i] = weight;
      subjectNorm += weight * weight;
    }
    subjectNorm = Math.sqrt(subjectNorm);
    // Candidates come from the postings of the subject's selective terms (in at most 2% of the
    // tenant's signals, or 200; else its two rarest): a signal that shares only everyday words ("werk", "vinden") with
    // it scores low anyway, and those postings hold a large part of the tenant. The dot product
    // of each candidate is then exact, over all the subject's terms.
    const cap = Math.max(SELECTIVE_MIN, tenant.signals.size * SELECTIVE_SHARE);
    const postingSize = (term: number) => tenant.postings.get(term)?.length ?? 0;
    const bySelectivity = [...ids].sort((a, b) => postingSize(a) - postingSize(b));
    let generating = bySelectivity.filter((term) => postingSize(term) <= cap);
    // Only everyday words: the two rarest of them still find the signals worth comparing.
    if (generating.length === 0) generating = bySelectivity.slice(0, 2);
    const stamp = ++this.queries;
    const candidates: IndexedSignal[] = [];
    for (const term of generating) {
      for (const candidate of tenant.postings.get(term) ?? []) {
        if (candidate === subject || candidate.stamp === stamp) continue;
        candidate.stamp = stamp;
        candidates.push(candidate);
      }
    }
    for (const candidate of candidates) {
      let dot = 0;
      const terms = candidate.terms;
      let i = 0;
      let j = 0;
      while (i < termsOfSubject && j < terms.length) {
        const term = ids[i]!;
        const other = terms[j]!;
        if (term < other) i++;
        else if (term > other) j += TERM_STRIDE;
        else {
          dot += weights[i]! * (1 + Math.log(terms[j + 1]!)) * tenant.idf(term);
          i++;
          j += TERM_STRIDE;
        }
      }
      candidate.dot = dot;
    }
    const minScore = query.minScore ?? 0.05;
    // The best `limit` so far, best first: a candidate enters only when it beats the last one.
    const top: SimilarSignal[] = [];
    for (const candidate of candidates) {
      const { dot } = candidate;
      if (NOT_CANDIDATES.has(candidate.state)) continue;
      const text = subjectNorm === 0 ? 0 : dot / (subjectNorm * tenant.norm(candidate));
      const themes = jaccard(subject.themes, candidate.themes);
      const score = TEXT_WEIGHT * text + THEME_WEIGHT * themes;
      if (score < minScore) continue;
      if (top.length === query.limit && !ranksBefore(score, candidate, top[top.length - 1]!)) continue;
      if (query.visible && !query.visible(candidate)) continue;
      const entry: SimilarSignal = { signal: candidate, score, text, themes, sharedTerms: [] };
      let at = top.length;
      while (at > 0 && ranksBefore(score, candidate, top[at - 1]!)) at -= 1;
      top.splice(at, 0, entry);
      if (top.length > query.limit) top.pop();
    }
    for (const entry of top) {
      entry.sharedTerms = [...ids.keys()]
        .filter((i) => termCount(entry.signal.terms, ids[i]!) > 0)
        .sort((a, b) => weights[b]! - weights[a]!)
        .slice(0, 8)
        .map((i) => this.termName(ids[i]!));
    }
    return top;
  }

  private tenant(tenantId: string): TenantIndex {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) this.tenants.set(tenantId, (tenant = new TenantIndex()));
    return tenant;
  }

  private applySignal(tenantId: string, event: RecordedEvent): void {
    const { data } = event;
    const signalId = data['signalId'];
    if (typeof signalId !== 'string') return;
    const tenant = this.tenant(tenantId);
    let signal = tenant.signals.get(signalId);
    if (event.type === 'SignalSubmitted') {
      if (signal) return;
      signal = {
        signalId,
        title: null,
        themes: [],
        state: 'submitted',
        givenBy: typeof event.metadata.actor?.id === 'string' ? event.metadata.actor.id : '',
        organisationId: typeof data['organisationId'] === 'string' ? data['organisationId'] : null,
        assigneeId: null,
        policyDomain: null,
        dossierId: null,
        terms: NO_TERMS,
        norm: 1,
        normGeneration: -1,
        dot: 0,
        stamp: 0,
      };
      tenant.signals.set(signalId, signal);
    }
    if (!signal) return;
    const workflow = event.metadata['workflow'];
    const to =
      typeof workflow === 'object' && workflow !== null && !Array.isArray(workflow)
        ? workflow['to']
        : undefined;
    if (typeof to === 'string') signal.state = to;
    if (Array.isArray(data['themes']))
      signal.themes = data['themes'].filter((t): t is string => typeof t === 'string');
    if ('assigneeId' in data)
      signal.assigneeId = typeof data['assigneeId'] === 'string' ? data['assigneeId'] : null;
    if ('policyDomain' in data)
      signal.policyDomain = typeof data['policyDomain'] === 'string' ? data['policyDomain'] : null;
    if (event.type === 'SignalTextErased') {
      signal.title = null;
      tenant.index(signal, NO_TERMS);
    }
    const text = (value: JsonValue | undefined) => (typeof value === 'string' ? value : null);
    const title = 'title' in data ? text(data['title']) : signal.title;
    if ('description' in data) {
      signal.title = title;
      tenant.index(signal, packTerms(this.termIdsOf(termCounts(title, text(data['description'])))));
    } else if ('title' in data) {
      // The description's terms are what the old title does not account for (it counts twice).
      const counts = unpackTerms(signal.terms);
      for (const [term, count] of this.termIdsOf(termCounts(signal.title, null)))
        counts.set(term, (counts.get(term) ?? 0) - count);
      for (const [term, count] of this.termIdsOf(termCounts(title, null)))
        counts.set(term, (counts.get(term) ?? 0) + count);
      signal.title = title;
      tenant.index(signal, packTerms(counts));
    }
  }

  private termIdsOf(counts: Map<string, number>): Map<number, number> {
    const ids = new Map<number, number>();
    for (const [term, count] of counts) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.termNames.length;
        this.termIds.set(term, id);
        this.termNames.push(term);
      }
      ids.set(id, count);
    }
    return ids;
  }

  private applyDossier(tenantId: string, event: RecordedEvent): void {
    const { data } = event;
    const dossierId = data['dossierId'];
    if (typeof dossierId !== 'string') return;
    const tenant = this.tenant(tenantId);
    const members = tenant.dossiers.get(dossierId) ?? new Set<string>();
    const join = (signalId: unknown) => {
      if (typeof signalId !== 'string') return;
      members.add(signalId);
      const signal = tenant.signals.get(signalId);
      if (signal) signal.dossierId = dossierId;
    };
    switch (event.type) {
      case 'DossierCreated':
        tenant.dossiers.set(dossierId, members);
        if (Array.isArray(data['signalIds'])) for (const id of data['signalIds']) join(id);
        break;
      case 'DossierSignalAdded':
        join(data['signalId']);
        break;
      case 'DossierSignalRemoved':
      case 'DossierClosed': {
        const leaving = event.type === 'DossierClosed' ? [...members] : [data['signalId']];
        for (const id of leaving) {
          if (typeof id !== 'string') continue;
          members.delete(id);
          const signal = tenant.signals.get(id);
          if (signal?.dossierId === dossierId) signal.dossierId = null;
        }
        if (event.type === 'DossierClosed') tenant.dossiers.delete(dossierId);
        break;
      }
      default:
        break;
    }
  }
}

/** Higher score first; among equal scores the smaller signal id, so that answers are stable. */
function ranksBefore(score: number, signal: IndexedSignal, other: SimilarSignal): boolean {
  return score > other.score || (score === other.score && signal.signalId < other.signal.signalId);
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  let shared = 0;
  for (const code of a) if (b.includes(code)) shared += 1;
  return shared / (a.length + b.length - shared);
}
