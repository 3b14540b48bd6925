/** Text for HTML element content and attribute values: a planted `<script>` stays text. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text for Markdown: every character Markdown could read as inline syntax (and a block marker at
 * the start) is backslash-escaped, and `<`/`>` become entities, so a renderer shows the text as written.
 */
export function escapeMarkdown(text: string, options: { inTableCell?: boolean } = {}): string {
  const inline = text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`);
  // A table cell cannot start a block; elsewhere a leading #, >, +, - or "1." would.
  return (
    options.inTableCell
      ? inline
      : inline.replace(/^(\s*)([#>+-]|\d+\.)/, (_match, space: string, mark: string) => `${space}\\${mark}`)
  )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
