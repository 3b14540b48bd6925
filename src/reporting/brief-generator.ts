import { createHash } from 'node:crypto';
import { ERASED_TEXT } from '../../workflows/signal-lifecycle/fields.js';
import { SUPRALOCAL_SCOPE, type BriefFormat } from './brief.events.js';
import { computeBrief, type BriefContent } from './brief-content.js';
import type { BriefLedger, BriefRecord } from './brief-ledger.js';
import { BriefSignalSource } from './brief-sources.js';
import { BriefStorage } from './brief-storage.js';
import { DossierSummarySource } from './dossier-summary-source.js';
import { formatsOf } from './brief-redactor.js';
import { BriefJobUnrecoverableError } from './jobs/brief-jobs.js';
import { parsePeriod, previousPeriod } from './period.js';
import {
  buildBriefDocument,
  tenantDisplayName,
  type BriefDocument,
  type ChartSet,
} from './render/brief-document.js';
import { renderCharts, renderSupralocalCharts } from './render/charts.js';
import { renderHtml } from './render/html.js';
import { renderMarkdown } from './render/markdown.js';
import { renderPdf } from './render/pdf.js';
import { buildSupralocalBriefDocument } from './render/supralocal-brief-document.js';
import { computeSupralocalBrief, type SupralocalBriefContent } from './supralocal-brief-content.js';
import type { SupralocalBriefSource } from './supralocal-brief-source.js';

export type Progress = (percent: number, stage: string) => Promise<void> | void;

export interface RenderedBrief<C extends { generatedAt: string } = BriefContent> {
  content: C;
  files: Map<BriefFormat, Buffer>;
  contentHash: string;
  /** The signals whose titles it quotes, in the order of its titles (BriefGenerated records them). */
  quotedSignals: string[];
  timings: { readMs: number; computeMs: number; renderMs: number };
}

/** A generated brief's files with the titles of erased signals read as "[gewist]". */
export interface RedactedBrief {
  files: Map<BriefFormat, Buffer>;
  contentHash: string;
  /** Every quoted signal that is erased (those already redacted in the stored files too). */
  signalIds: string[];
  /** Whether the stored files still show a title that is now erased (else only the record lags). */
  changed: boolean;
}

export interface GenerationOutcome {
  /** False when another run recorded the outcome first (the brief stays generated once). */
  recorded: boolean;
  skipped: boolean;
  timings?: RenderedBrief['timings'];
}

function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Reads the figures, renders the four formats, stores them and records `BriefGenerated`: a
 * municipality's brief, or (scope SUPRALOCAL_SCOPE) the quarterly supra-local brief for VVSG.
 */
export class BriefGenerator {
  constructor(
    private readonly ledger: BriefLedger,
    private readonly signals: BriefSignalSource,
    private readonly dossiers: DossierSummarySource,
    private readonly storage: BriefStorage,
    private readonly now: () => Date = () => new Date(),
    private readonly supralocal: SupralocalBriefSource | null = null,
  ) {}

  async render(
    tenantId: string,
    periodLabel: string,
    progress: Progress = () => undefined,
  ): Promise<RenderedBrief<BriefContent>> {
    const period = parsePeriod(periodLabel.includes('_') ? periodLabel.replace('_', '..') : periodLabel);
    const started = performance.now();
    await progress(10, 'signalen lezen');
    const previous = previousPeriod(period);
    const [signals, dossiers] = await Promise.all([
      this.signals.signals(tenantId, previous.from),
      this.dossiers.summarize(tenantId, period),
    ]);
    const read = performance.now();
    await progress(40, 'cijfers berekenen');
    const now = this.now();
    const computedContent = computeBrief({
      tenantId,
      period,
      previous: previousPeriod(period),
      now,
      signals,
      dossiers,
    });
    // Which signal a title is stays out of the brief; BriefGenerated records it.
    const quotedSignals = computedContent.structuralSignals.titles.map((title) => title.signalId ?? '');
    const content: BriefContent = {
      ...computedContent,
      structuralSignals: {
        ...computedContent.structuralSignals,
        titles: computedContent.structuralSignals.titles.map(({ title, themes }) => ({ title, themes })),
      },
    };
    const computed = performance.now();
    await progress(55, 'grafieken en documenten maken');
    const files = await renderBriefFiles(content, now);
    return this.finish(content, files, quotedSignals, { started, read, computed });
  }

  /**
   * The files of a generated municipal brief again, from its stored JSON, with the titles of the
   * `erased` signals it quotes read as "[gewist]" (and those erased before, as the JSON has them);
   * null when there is nothing to redact or record: the brief quotes none of them, its stored
   * files and its record already say so, or its JSON is gone.
   */
  async redacted(record: BriefRecord, erased: ReadonlySet<string>): Promise<RedactedBrief | null> {
    const quoted = record.generated?.quotedSignals ?? [];
    if (!record.generated || quoted.length === 0 || record.tenantId === SUPRALOCAL_SCOPE) return null;
    const json = await this.storage.read(record.generated.location, 'json');
    if (!json) return null;
    const content = JSON.parse(json.toString('utf8')) as BriefContent;
    const titles = content.structuralSignals.titles;
    let changed = false;
    quoted.forEach((signalId, index) => {
      const entry = titles[index];
      if (!entry || !erased.has(signalId) || entry.title === ERASED_TEXT) return;
      entry.title = ERASED_TEXT;
      changed = true;
    });
    const signalIds = quoted.filter((signalId) => erased.has(signalId));
    const recorded = new Set(record.generated.redacted?.signalIds ?? []);
    // Files already redacted and recorded: nothing to do (a process killed between writing the
    // files and recording them leaves the recording to do, and renders them once more for it).
    if (!changed && signalIds.every((signalId) => recorded.has(signalId))) return null;
    const files = await renderBriefFiles(content, new Date(content.generatedAt));
    return { files, contentHash: contentHashOf(content), signalIds, changed };
  }

  /** The quarterly supra-local brief: figures from the supra-local queries only (their suppression). */
  async renderSupralocal(
    quarter: string,
    progress: Progress = () => undefined,
  ): Promise<RenderedBrief<SupralocalBriefContent>> {
    if (!this.supralocal)
      throw new BriefJobUnrecoverableError('this process was built without the supra-local figures');
    const started = performance.now();
    await progress(10, 'bovenlokale patronen lezen');
    const input = await this.supralocal.read(quarter);
    const read = performance.now();
    await progress(40, 'cijfers samenstellen');
    const now = this.now();
    const content = computeSupralocalBrief(input, now);
    const computed = performance.now();
    await progress(55, 'grafieken en documenten maken');
    const document = buildSupralocalBriefDocument(content);
    const charts = await renderSupralocalCharts(content);
    const files = await renderFiles(content, document, charts, now);
    return this.finish(content, files, [], { started, read, computed });
  }

  private finish<C extends { generatedAt: string }>(
    content: C,
    files: Map<BriefFormat, Buffer>,
    quotedSignals: string[],
    marks: { started: number; read: number; computed: number },
  ): RenderedBrief<C> {
    const rendered = performance.now();
    return {
      content,
      files,
      contentHash: contentHashOf(content),
      quotedSignals,
      timings: {
        readMs: marks.read - marks.started,
        computeMs: marks.computed - marks.read,
        renderMs: rendered - marks.computed,
      },
    };
  }

  async generate(record: BriefRecord, progress: Progress = () => undefined): Promise<GenerationOutcome> {
    if (record.status !== 'requested') return { recorded: false, skipped: true };
    const started = performance.now();
    const brief =
      record.tenantId === SUPRALOCAL_SCOPE
        ? await this.renderSupralocal(record.period, progress)
        : await this.render(record.tenantId, record.period, progress);
    await progress(85, 'opslaan');
    const location = await this.storage.write(record.briefId, brief.files);
    const formats = formatsOf(brief.files);
    const recorded = await this.ledger.recordGenerated(record.briefId, {
      contentHash: brief.contentHash,
      location,
      formats,
      durationMs: Math.round(performance.now() - started),
      ...(brief.quotedSignals.length > 0 ? { quotedSignals: brief.quotedSignals } : {}),
    });
    await progress(100, 'klaar');
    return { recorded, skipped: false, timings: brief.timings };
  }
}

/** The hash of a brief's figures (without the moment of generation). */
function contentHashOf(content: { generatedAt: string }): string {
  const { generatedAt: _generatedAt, ...figures } = content;
  return sha256(JSON.stringify(figures));
}

/** A municipal brief's four files. */
async function renderBriefFiles(content: BriefContent, now: Date): Promise<Map<BriefFormat, Buffer>> {
  const document = buildBriefDocument(content, tenantDisplayName(content.tenantId));
  return renderFiles(content, document, await renderCharts(content), now);
}

/**
 * The four files of one brief; the JSON last, so that a redaction killed midway leaves the JSON
 * that shows the titles still to be erased (the next sweep finds them in it).
 */
async function renderFiles(
  content: { generatedAt: string },
  document: BriefDocument,
  charts: ChartSet,
  now: Date,
): Promise<Map<BriefFormat, Buffer>> {
  return new Map<BriefFormat, Buffer>([
    ['md', Buffer.from(renderMarkdown(document))],
    ['html', Buffer.from(renderHtml(document, charts))],
    ['pdf', await renderPdf(document, charts, now)],
    ['json', Buffer.from(`${JSON.stringify(content, null, 2)}\n`)],
  ]);
}
