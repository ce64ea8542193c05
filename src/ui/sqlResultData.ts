/**
 * A console result as plain rows for the results table, CSV and the map
 * layer (DOM-free, so Node tests it): Arrow values turned into numbers,
 * strings, booleans or null by column kind, their display text, sorting.
 */
import { DataType, type Table } from 'apache-arrow';
import { toCsv, type CsvValue } from '../charts/csv';

export type ColumnKind = 'number' | 'text' | 'bool' | 'time' | 'date' | 'other';

export interface ResultColumn {
  name: string;
  /** DuckDB/Arrow type as text, for the header's title. */
  type: string;
  kind: ColumnKind;
}

export type Cell = number | string | boolean | null;

export interface ResultData {
  columns: ResultColumn[];
  /** rows[r][c]: a number (numbers, times as ms), string, boolean or null. */
  rows: Cell[][];
}

function kindOf(type: DataType): ColumnKind {
  // DuckDB's ENUMs (and Arrow's own string arrays) come dictionary-encoded: the values are what count.
  if (DataType.isDictionary(type)) return kindOf(type.dictionary);
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type)) return 'number';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'text';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isTimestamp(type)) return 'time';
  if (DataType.isDate(type)) return 'date';
  return 'other';
}

const jsonSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? `<${v.length} B>` : v);

function cellOf(v: unknown, kind: ColumnKind): Cell {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'number':
      return typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : typeof v === 'number' ? v : Number(v);
    case 'bool':
      return Boolean(v);
    case 'time':
    case 'date':
      return v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : Number(v);
    case 'text':
      return String(v);
    default:
      if (v instanceof Uint8Array) return `<BLOB ${v.length} B>`;
      if (typeof v === 'object' && v !== null && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') return JSON.stringify((v as { toJSON(): unknown }).toJSON(), jsonSafe);
      return typeof v === 'object' ? JSON.stringify(v, jsonSafe) : String(v);
  }
}

/** The table's rows as cells, column by column (Arrow reads fastest that way). */
export function resultData(table: Table): ResultData {
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), kind: kindOf(f.type) }));
  const rows: Cell[][] = Array.from({ length: table.numRows }, () => new Array<Cell>(columns.length));
  columns.forEach((c, k) => {
    const vec = table.getChildAt(k);
    for (let r = 0; r < table.numRows; r++) rows[r]![k] = cellOf(vec?.get(r), c.kind);
  });
  return { columns, rows };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A cell as the table shows it (null is shown by the table itself, as a styled NULL). */
export function displayCell(v: Cell, kind: ColumnKind, lang: 'zh' | 'en'): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if ((kind === 'time' || kind === 'date') && typeof v === 'number' && Number.isFinite(v)) {
    const d = new Date(v);
    const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return kind === 'date' ? day : `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    // Whole numbers grouped; fractions to 6 significant digits, enough to read coordinates to ~1 m.
    const abs = Math.abs(v);
    const opts: Intl.NumberFormatOptions = Number.isInteger(v) ? { maximumFractionDigits: 0 } : abs >= 1000 ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: abs >= 1 ? 8 : 6 };
    return v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', opts);
  }
  return v;
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

/** Row indices ordered by column `k` (nulls last either way, ties in result order). */
export function sortedOrder(data: ResultData, k: number | null, dir: 'asc' | 'desc'): number[] {
  const idx = data.rows.map((_, i) => i);
  if (k === null || k < 0 || k >= data.columns.length) return idx;
  const sign = dir === 'asc' ? 1 : -1;
  return idx.sort((a, b) => {
    const x = data.rows[a]![k]!;
    const y = data.rows[b]![k]!;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : typeof x === 'boolean' && typeof y === 'boolean' ? Number(x) - Number(y) : collator.compare(String(x), String(y));
    return c !== 0 ? sign * c : a - b;
  });
}

/** The rows as CSV in the given order: raw numbers, times as text, NULL empty. */
export function resultCsv(data: ResultData, order?: number[]): string {
  const rows = (order ?? data.rows.map((_, i) => i)).map((i) =>
    data.rows[i]!.map((v, k): CsvValue => {
      const kind = data.columns[k]!.kind;
      if (v === null) return null;
      if (kind === 'time' || kind === 'date') return displayCell(v, kind, 'en');
      return typeof v === 'boolean' ? String(v) : v;
    }),
  );
  return toCsv(
    data.columns.map((c) => c.name),
    rows,
  );
}
