import { createHash } from 'node:crypto';
import type { BriefFormat } from './brief.events.js';
import { computeBrief, type BriefContent } from './brief-content.js';
import type { BriefLedger, BriefRecord } from './brief-ledger.js';
import { BriefSignalSource } from './brief-sources.js';
import { BriefStorage } from './brief-storage.js';
import { DossierSummarySource } from './dossier-summary-source.js';
import { parsePeriod, previousPeriod } from './period.js';
import { buildBriefDocument, tenantDisplayName } from './render/brief-document.js';
import { renderCharts } from './render/charts.js';
import { renderHtml } from './render/html.js';
import { renderMarkdown } from './render/markdown.js';
import { renderPdf } from './render/pdf.js';

export type Progress = (percent: number, stage: string) => Promise<void> | void;

export interface RenderedBrief {
  content: BriefContent;
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

/** Reads the figures, renders the four formats, stores them and records `BriefGenerated`. */
export class BriefGenerator {
  constructor(
    private readonly ledger: BriefLedger,
    private readonly signals: BriefSignalSource,
    private readonly dossiers: DossierSummarySource,
    private readonly storage: BriefStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async render(
    tenantId: string,
    periodLabel: string,
    progress: Progress = () => undefined,
  ): Promise<RenderedBrief> {
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
      timings: { readMs: read - started, computeMs: computed - read, renderMs: rendered - computed },
    };
  }

  async generate(record: BriefRecord, progress: Progress = () => undefined): Promise<GenerationOutcome> {
    if (record.status !== 'requested') return { recorded: false, skipped: true };
    const started = performance.now();
    const brief = await this.render(record.tenantId, record.period, progress);
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
