import { numericColumns, type BriefDocument } from './brief-document.js';
import { escapeMarkdown } from './escape.js';

/** Markdown (GitHub flavour, tables); charts are named, their figures are in the tables beside. */
export function renderMarkdown(document: BriefDocument): string {
  const lines: string[] = [
    `# ${escapeMarkdown(document.title)}`,
    '',
    `_${escapeMarkdown(document.subtitle)}_`,
    '',
  ];
  for (const section of document.sections) {
    lines.push(`## ${escapeMarkdown(section.heading)}`, '');
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'paragraph':
          lines.push(escapeMarkdown(block.text), '');
          break;
        case 'bullets':
          block.items.forEach((item, index) =>
            lines.push(`${index === 0 || !block.nested ? '-' : '  -'} ${escapeMarkdown(item)}`),
          );
          lines.push('');
          break;
        case 'table':
          lines.push(
            `| ${block.head.map((cell) => escapeMarkdown(cell, { inTableCell: true })).join(' | ')} |`,
          );
          lines.push(
            `| ${numericColumns(block)
              .map((numeric) => (numeric ? '---:' : '---'))
              .join(' | ')} |`,
          );
          for (const row of block.rows)
            lines.push(`| ${row.map((cell) => escapeMarkdown(cell, { inTableCell: true })).join(' | ')} |`);
          lines.push('');
          break;
        case 'chart':
          lines.push(`_Grafiek: ${escapeMarkdown(block.caption)}_`, '');
          break;
        default: {
          const never: never = block;
          throw new Error(`unknown block ${JSON.stringify(never)}`);
        }
      }
    }
  }
  lines.push('---', '', escapeMarkdown(document.footer), '');
  return lines.join('\n');
}
