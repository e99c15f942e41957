/** Excel and LibreOffice read UTF-8 (umlauts) correctly only with a byte-order mark. */
export const CSV_BOM = '\uFEFF';

// A cell starting with one of these is a formula to spreadsheet programs (CSV injection); tab and
// carriage return are included as OWASP advises.
const FORMULA_START = /^[=+\-@\t\r]/;
/** A formula start or a character that needs quoting: the cells {@link csvCell} changes. */
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

/**
 * One RFC 4180 cell: neutralised against formula injection (a leading `'`), then quoted when it holds
 * a comma, a quote or a line break (quotes doubled). `undefined` is an empty cell.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  // Most cells (ids, times, plain names) need neither: one scan tells, instead of two.
  if (!NEEDS_CARE.test(value)) return value;
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record with its CRLF line end. */
export function csvLine(cells: readonly (string | number | undefined)[]): string {
  // A plain loop: an export writes 100,000 lines, and map and join allocate an array per line.
  let line = cells.length > 0 ? csvCell(cells[0]) : '';
  for (let i = 1; i < cells.length; i += 1) line += `,${csvCell(cells[i])}`;
  return `${line}\r\n`;
}
