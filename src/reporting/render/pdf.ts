import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { chartSvg, numericColumns, type BriefDocument, type ChartSet } from './brief-document.js';

const MARGIN = 50;
const BLUE = '#1f5aa6';
const CHART_WIDTH = 440;

/**
 * A4 PDF through PDFKit; the Vega SVG charts are drawn as vectors by svg-to-pdfkit. Text is
 * drawn as text (never HTML), so a planted tag shows as the characters it is. Standard fonts
 * only: no font file ships with the app.
 */
export function renderPdf(document: BriefDocument, charts: ChartSet, createdAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: document.title, Author: 'Lokaal Signaal', CreationDate: createdAt, ModDate: createdAt },
    lang: 'nl-BE',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const room = (height: number) => {
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  };

  doc.font('Helvetica-Bold').fontSize(18).fillColor(BLUE).text(document.title, { width });
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#555555').text(document.subtitle, { width });
  for (const section of document.sections) {
    room(60);
    doc
      .moveDown(1)
      .font('Helvetica-Bold')
      .fontSize(13)
      .fillColor('#1d1d1b')
      .text(section.heading, MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    for (const block of section.blocks) {
      doc.font('Helvetica').fontSize(10).fillColor('#1d1d1b');
      switch (block.kind) {
        case 'paragraph':
          room(30);
          doc.text(block.text, MARGIN, doc.y, { width, align: 'left' }).moveDown(0.4);
          break;
        case 'bullets':
          room(30);
          block.items.forEach((item, index) => {
            const head = index === 0 || !block.nested;
            const indent = head ? 0 : 14;
            doc.text(`${head ? '•' : '–'} ${item}`, MARGIN + indent, doc.y, { width: width - indent });
          });
          doc.moveDown(0.4);
          break;
        case 'table': {
          const numeric = numericColumns(block);
          room(40);
          doc.fontSize(8.5);
          doc.table({
            position: { x: MARGIN, y: doc.y },
            maxWidth: width,
            columnStyles: (column) => ({ width: '*', align: { x: numeric[column] ? 'right' : 'left' } }),
            defaultStyle: { border: [0, 0, 0.5, 0], borderColor: '#c8d3e3', padding: 3 },
            data: [
              block.head.map((text) => ({ text, type: 'TH' as const, backgroundColor: '#f1f4f9' })),
              ...block.rows,
            ],
          });
          doc.moveDown(0.6);
          break;
        }
        case 'chart': {
          const svg = chartSvg(charts, block.chart);
          const size = svgSize(svg);
          const scale = Math.min(1, CHART_WIDTH / size.width);
          room(size.height * scale + 30);
          const top = doc.y;
          SVGtoPDF(doc, svg, MARGIN, top, {
            width: size.width * scale,
            height: size.height * scale,
            assumePt: true,
          });
          doc.y = top + size.height * scale + 4;
          doc.fontSize(8.5).fillColor('#555555').text(block.caption, MARGIN, doc.y, { width });
          doc.moveDown(0.6);
          break;
        }
        default: {
          const never: never = block;
          throw new Error(`unknown block ${JSON.stringify(never)}`);
        }
      }
    }
  }
  room(40);
  doc.moveDown(1).fontSize(8).fillColor('#666666').text(document.footer, MARGIN, doc.y, { width });
  const pages = doc.bufferedPageRange();
  for (let page = pages.start; page < pages.start + pages.count; page += 1) {
    doc.switchToPage(page);
    doc
      .fontSize(8)
      .fillColor('#888888')
      .text(`${page + 1} / ${pages.count}`, MARGIN, doc.page.height - MARGIN + 15, {
        width,
        align: 'right',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

function svgSize(svg: string): { width: number; height: number } {
  const width = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  const height = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Number(width?.[1] ?? 500), height: Number(height?.[1] ?? 260) };
}
