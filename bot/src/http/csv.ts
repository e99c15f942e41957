/** Excel and LibreOffice read UTF-8 (umlauts) correctly only with a byte-order mark. */
export const CSV_BOM = '\uFEFF';

// A cell starting with one of these is a formula to spreadsheet programs (CSV injection); tab and
// carriage return are included as OWASP advises.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 cell: neutralised against formula injection (a leading `'`), then quoted when it holds
 * a comma, a quote or a line break (quotes doubled). `undefined` is an empty cell.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record with its CRLF line end. */
export const csvLine = (cells: readonly (string | number | undefined)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;
