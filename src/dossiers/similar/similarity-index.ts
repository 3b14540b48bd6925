import type { RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { SIGNAL_CATEGORY } from '../../signals/signal.events.js';
import { DOSSIER_CATEGORY } from '../dossier.events.js';
import { termCounts } from './dutch-text.js';

/** What the index keeps of a signal: its terms, themes, state and the facts scope is decided on. */
export interface IndexedSignal {
  signalId: string;
  title: string | null;
  description: string | null;
  themes: string[];
  state: string;
  givenBy: string;
  organisationId: string | null;
  assigneeId: string | null;
  policyDomain: string | null;
  /** The open dossier that holds the signal, if any. */
  dossierId: string | null;
  /** Term → weighted count (title words twice). */
  terms: Map<string, number>;
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

const SIGNAL_PREFIX = `${SIGNAL_CATEGORY}-`;
const DOSSIER_PREFIX = `${DOSSIER_CATEGORY}-`;

export const TEXT_WEIGHT = 0.8;
export const THEME_WEIGHT = 0.2;
/** States whose signals are no bundling candidates: not a signal, or part of another one. */
const NOT_CANDIDATES: ReadonlySet<string> = new Set(['rejected', 'merged']);

class TenantIndex {
  readonly signals = new Map<string, IndexedSignal>();
  /** Term → the signals whose text holds it: candidates come only from a query's own terms. */
  readonly postings = new Map<string, Set<IndexedSignal>>();
  readonly dossiers = new Map<string, Set<string>>();

  idf(term: string): number {
    const df = this.postings.get(term)?.size ?? 0;
    return Math.log((this.signals.size + 1) / (df + 1)) + 1;
  }

  index(signal: IndexedSignal, terms: Map<string, number>): void {
    for (const term of signal.terms.keys()) {
      const posting = this.postings.get(term);
      posting?.delete(signal);
      if (posting?.size === 0) this.postings.delete(term);
    }
    signal.terms = terms;
    for (const term of terms.keys()) {
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = new Set()));
      posting.add(signal);
    }
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

  get(tenantId: string, signalId: string): IndexedSignal | undefined {
    return this.tenants.get(tenantId)?.signals.get(signalId);
  }

  similar(tenantId: string, signalId: string, query: SimilarQuery): SimilarSignal[] {
    const tenant = this.tenants.get(tenantId);
    const subject = tenant?.signals.get(signalId);
    if (!tenant || !subject) return [];
    // The subject's weights once; a candidate's dot product is accumulated term by term.
    const weights = new Map<string, number>();
    let subjectNorm = 0;
    for (const [term, count] of subject.terms) {
      const weight = (1 + Math.log(count)) * tenant.idf(term);
      weights.set(term, weight);
      subjectNorm += weight * weight;
    }
    subjectNorm = Math.sqrt(subjectNorm);
    const dots = new Map<IndexedSignal, number>();
    for (const [term, weight] of weights) {
      const idf = tenant.idf(term);
      for (const candidate of tenant.postings.get(term) ?? []) {
        if (candidate === subject) continue;
        const tf = candidate.terms.get(term)!;
        dots.set(candidate, (dots.get(candidate) ?? 0) + weight * (1 + Math.log(tf)) * idf);
      }
    }
    const minScore = query.minScore ?? 0.05;
    const ranked: SimilarSignal[] = [];
    for (const [candidate, dot] of dots) {
      if (NOT_CANDIDATES.has(candidate.state)) continue;
      if (query.visible && !query.visible(candidate)) continue;
      const text = subjectNorm === 0 ? 0 : dot / (subjectNorm * norm(tenant, candidate));
      const themes = jaccard(subject.themes, candidate.themes);
      const score = TEXT_WEIGHT * text + THEME_WEIGHT * themes;
      if (score < minScore) continue;
      ranked.push({ signal: candidate, score, text, themes, sharedTerms: [] });
    }
    ranked.sort((a, b) => b.score - a.score || a.signal.signalId.localeCompare(b.signal.signalId));
    const top = ranked.slice(0, query.limit);
    for (const entry of top) {
      entry.sharedTerms = [...weights.keys()]
        .filter((term) => entry.signal.terms.has(term))
        .sort((a, b) => weights.get(b)! - weights.get(a)!)
        .slice(0, 8);
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
        description: null,
        themes: [],
        state: 'submitted',
        givenBy: typeof event.metadata.actor?.id === 'string' ? event.metadata.actor.id : '',
        organisationId: typeof data['organisationId'] === 'string' ? data['organisationId'] : null,
        assigneeId: null,
        policyDomain: null,
        dossierId: null,
        terms: new Map(),
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
    let textChanged = false;
    if (event.type === 'SignalTextErased') {
      signal.title = null;
      signal.description = null;
      textChanged = true;
    }
    for (const field of ['title', 'description'] as const) {
      if (field in data) {
        signal[field] = typeof data[field] === 'string' ? data[field] : null;
        textChanged = true;
      }
    }
    if (textChanged) tenant.index(signal, termCounts(signal.title, signal.description));
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

function norm(tenant: TenantIndex, signal: IndexedSignal): number {
  let sum = 0;
  for (const [term, count] of signal.terms) {
    const weight = (1 + Math.log(count)) * tenant.idf(term);
    sum += weight * weight;
  }
  return Math.sqrt(sum) || 1;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  let shared = 0;
  for (const code of a) if (b.includes(code)) shared += 1;
  return shared / (a.length + b.length - shared);
}
