/**
 * CSV export of the tables behind the charts. RFC 4180 text (CRLF, quoted
 * fields) that Excel on a Chinese-locale Windows opens as UTF-8 thanks to a
 * BOM, with a guard against formula injection: a district or park name from
 * an imported file must never run as a spreadsheet formula.
 */

export type CsvValue = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
/** What Excel, LibreOffice and Sheets treat as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number such as "-12.5" or "+3e4": a spreadsheet reads it as that number, nothing more. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  // String(number) is the shortest text that round-trips: full precision and no locale grouping.
  // NaN and ±Infinity have no CSV form, so they are left empty like a missing value.
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV document: the header, then the rows, every record ended by CRLF. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((r) => `${r.map(field).join(',')}\r\n`).join('');
}

/** The CSV as UTF-8 with a byte-order mark: without it Excel on a zh-CN Windows decodes it as GBK. */
export function csvBlob(csv: string): Blob {
  return new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
}

/** Save `csv` as `filename` through a temporary <a download> (browser only). */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(csvBlob(csv));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers (Safari, older Firefox): wait, as FileSaver.js does.
  setTimeout(() => URL.revokeObjectURL(url), 40_000);
}
