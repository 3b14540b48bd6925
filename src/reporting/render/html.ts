import { chartSvg, numericColumns, type BriefDocument, type ChartSet } from './brief-document.js';
import { escapeHtml } from './escape.js';

const STYLE = `
@page { size: A4; margin: 18mm 16mm; }
body { font-family: Helvetica, Arial, sans-serif; color: #1d1d1b; max-width: 190mm; margin: 0 auto; font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 19pt; margin: 0 0 4pt; color: #1f5aa6; }
h2 { font-size: 13pt; margin: 18pt 0 6pt; border-bottom: 1px solid #c8d3e3; padding-bottom: 2pt; break-after: avoid; }
.subtitle { color: #555; margin: 0 0 12pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 10pt; font-size: 9.5pt; break-inside: auto; }
th, td { border-bottom: 1px solid #e1e6ee; padding: 3pt 5pt; text-align: left; vertical-align: top; }
.num { text-align: right; }
th { background: #f1f4f9; }
figure { margin: 6pt 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #555; }
ul { margin: 4pt 0 8pt; }
footer { margin-top: 20pt; font-size: 8.5pt; color: #666; border-top: 1px solid #c8d3e3; padding-top: 4pt; }
@media print { a { color: inherit; text-decoration: none; } }
`;

/** One self-contained, printable HTML file: inline style and SVG, no script, no external resource. */
export function renderHtml(document: BriefDocument, charts: ChartSet): string {
  const body: string[] = [
    `<header><h1>${escapeHtml(document.title)}</h1><p class="subtitle">${escapeHtml(document.subtitle)}</p></header>`,
  ];
  for (const section of document.sections) {
    body.push(`<section><h2>${escapeHtml(section.heading)}</h2>`);
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'paragraph':
          body.push(`<p>${escapeHtml(block.text)}</p>`);
          break;
        case 'bullets': {
          const items = block.items.map((item) => `<li>${escapeHtml(item)}</li>`);
          body.push(
            block.nested && items.length > 1
              ? `<ul><li>${escapeHtml(block.items[0]!)}<ul>${items.slice(1).join('')}</ul></li></ul>`
              : `<ul>${items.join('')}</ul>`,
          );
          break;
        }
        case 'table': {
          const numeric = numericColumns(block);
          const cls = (column: number) => (numeric[column] ? ' class="num"' : '');
          body.push(
            `<table><thead><tr>${block.head.map((cell, column) => `<th${cls(column)}>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${block.rows
              .map(
                (row) =>
                  `<tr>${row.map((cell, column) => `<td${cls(column)}>${escapeHtml(cell)}</td>`).join('')}</tr>`,
              )
              .join('')}</tbody></table>`,
          );
          break;
        }
        case 'chart':
          // Vega renders the SVG from figures and taxonomy codes only, and escapes its text.
          body.push(
            `<figure>${chartSvg(charts, block.chart)}<figcaption>${escapeHtml(block.caption)}</figcaption></figure>`,
          );
          break;
        default: {
          const never: never = block;
          throw new Error(`unknown block ${JSON.stringify(never)}`);
        }
      }
    }
    body.push('</section>');
  }
  body.push(`<footer>${escapeHtml(document.footer)}</footer>`);
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(document.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
