import { createHash } from 'node:crypto';
import { SUPRALOCAL_SCOPE, type BriefFormat } from './brief.events.js';
import { computeBrief, type BriefContent } from './brief-content.js';
import type { BriefLedger, BriefRecord } from './brief-ledger.js';
import { BriefSignalSource } from './brief-sources.js';
import { BriefStorage } from './brief-storage.js';
import { DossierSummarySource } from './dossier-summary-source.js';
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
  timings: { readMs: number; computeMs: number; renderMs: number };
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
    const content = computeBrief({
      tenantId,
      period,
      previous: previousPeriod(period),
      now,
      signals,
      dossiers,
    });
    const computed = performance.now();
    await progress(55, 'grafieken en documenten maken');
    const document = buildBriefDocument(content, tenantDisplayName(tenantId));
    const charts = await renderCharts(content);
    return this.finish(content, document, charts, now, { started, read, computed });
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
    return this.finish(content, document, charts, now, { started, read, computed });
  }

  /** The four files of one brief, and the hash of its figures (without the moment of generation). */
  private async finish<C extends { generatedAt: string }>(
    content: C,
    document: BriefDocument,
    charts: ChartSet,
    now: Date,
    marks: { started: number; read: number; computed: number },
  ): Promise<RenderedBrief<C>> {
    const json = `${JSON.stringify(content, null, 2)}\n`;
    const files = new Map<BriefFormat, Buffer>([
      ['json', Buffer.from(json)],
      ['md', Buffer.from(renderMarkdown(document))],
      ['html', Buffer.from(renderHtml(document, charts))],
      ['pdf', await renderPdf(document, charts, now)],
    ]);
    const rendered = performance.now();
    const { generatedAt: _generatedAt, ...figures } = content;
    return {
      content,
      files,
      contentHash: sha256(JSON.stringify(figures)),
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
    const formats: Record<string, { bytes: number; sha256: string }> = {};
    for (const [format, content] of brief.files)
      formats[format] = { bytes: content.byteLength, sha256: sha256(content) };
    const recorded = await this.ledger.recordGenerated(record.briefId, {
      contentHash: brief.contentHash,
      location,
      formats,
      durationMs: Math.round(performance.now() - started),
    });
    await progress(100, 'klaar');
    return { recorded, skipped: false, timings: brief.timings };
  }
}
