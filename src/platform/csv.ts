/**
 * CSV as spreadsheets read it safely (RFC 4180: comma separated, CRLF line ends, a field quoted when
 * it holds a comma, quote or line break, quotes doubled). A cell a spreadsheet would run as a
 * formula (starting with = + - @, tab or carriage return) gets a leading apostrophe. The document
 * starts with a byte order mark so that spreadsheets read it as UTF-8.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvDocument(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return `\ufeff${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
