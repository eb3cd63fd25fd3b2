import type { ErrorGroup } from './syncErrorReport';

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, return) is made text with a leading quote. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Every error of the report as CSV (RFC 4180, CRLF), with a byte order mark so Excel reads UTF-8. */
export function reportCsv(groups: ErrorGroup[], columns: [string, string, string, string, string]): string {
  const rows = [columns.map(cell).join(',')];
  for (const group of groups) {
    for (const e of group.errors) {
      rows.push([e.type, e.attribute ?? '', e.object, e.value ?? '', e.time ?? ''].map(cell).join(','));
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
