/**
 * Puts a GeoParquet's WKB into the staging table. The engine loads a copy of
 * the file whose `geo` key is renamed (./geoParquet.ts), so it stages the
 * geometry column as text; here that column is replaced by the file's own
 * bytes, read by hyparquet. SQL cannot read WKB (no spatial extension
 * offline), so each value is read once (./wkb.ts) and its point kept in a
 * temporary table for the coordinate checks; the caller drops it when done.
 *
 *   const s = await stageWkb(engine, stage, info, geo.wkb.column, geo.wkb.values);
 *   // … checks over `SELECT x, y FROM ${s.points}` …
 *   await engine.query(`DROP TABLE IF EXISTS ${s.points}`);
 */
import type { Geometry } from 'geojson';
import { quoteIdent } from '../engine/sql';
import type { Engine, TableInfo } from '../engine/types';
import type { ImportProblem } from './userImport';
import { wkbToGeometry } from './wkb';

export interface WkbStaged {
  column: string;
  /** A temporary table (quoted name) of each row's point (x, y: the bbox centre; null when unreadable), in row order. */
  points: string;
  nulls: number;
  /** Types of the readable geometries, with their counts. */
  kinds: Map<string, number>;
  invalid: { count: number; examples: { row: number; message: string }[] };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
};
/**
 * Characters of bound parameter text per statement. DuckDB-WASM 1.32
 * corrupts its memory ("memory access out of bounds", the engine unusable
 * after) when one statement binds about 1 MB of text, so well under that.
 */
const CHUNK_CHARS = 256 * 1024;

/**
 * Puts the file's WKB bytes into the staged column (which the engine read as
 * text), reads every value (./wkb.ts), and writes each row's point to a
 * temporary table for the coordinate checks. Rows are paired by position:
 * the engine stages Parquet rows in file order.
 */
export async function stageWkb(engine: Engine, stage: string, info: TableInfo, column: string, values: (Uint8Array | null)[]): Promise<WkbStaged> {
  if (!info.columns.some((c) => c.name === column)) throw new Error(`the staged file has no column ${JSON.stringify(column)}`);
  if (values.length !== info.rows) throw new Error(`read ${values.length} geometries for ${info.rows} rows`);
  const points = quoteIdent(`${stage}__wkb_points`);
  const s: WkbStaged = { column, points, nulls: 0, kinds: new Map(), invalid: { count: 0, examples: [] } };
  const xs: string[] = new Array(values.length);
  const ys: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    xs[i] = ys[i] = '';
    const v = values[i];
    let g: Geometry | null = null;
    try {
      g = v ? wkbToGeometry(v) : null;
    } catch (e) {
      s.invalid.count++;
      if (s.invalid.examples.length < 3) s.invalid.examples.push({ row: i + 1, message: (e as Error).message });
      continue;
    }
    if (!g) {
      s.nulls++;
      continue;
    }
    s.kinds.set(g.type, (s.kinds.get(g.type) ?? 0) + 1);
    const [x0, y0, x1, y1] = bbox(g);
    // Halved before adding, as for GeoJSON: a coordinate near the largest double would overflow the sum.
    if (x0 <= x1) [xs[i], ys[i]] = [String(x0 / 2 + x1 / 2), String(y0 / 2 + y1 / 2)];
  }
  await engine.query(`CREATE OR REPLACE TEMP TABLE ${points} (i BIGINT, b BLOB, x DOUBLE, y DOUBLE)`);
  try {
    for (let i = 0; i < values.length; ) {
      const from = i;
      const b: string[] = [];
      // A value longer than a batch (a boundary of many vertices) goes in with its first part; the rest is appended after.
      const rest: [number, string][] = [];
      let size = 0;
      for (; i < values.length; i++) {
        const v = values[i];
        let h = v ? hex(v) : '';
        if (h.length > CHUNK_CHARS) {
          rest.push([i, h.slice(CHUNK_CHARS)]);
          h = h.slice(0, CHUNK_CHARS);
        }
        const more = h.length + xs[i]!.length + ys[i]!.length + 3;
        if (b.length > 0 && size + more > CHUNK_CHARS) break;
        b.push(h);
        size += more;
      }
      await engine.query(
        `INSERT INTO ${points} SELECT i, from_hex(NULLIF(b, '')), TRY_CAST(NULLIF(x, '') AS DOUBLE), TRY_CAST(NULLIF(y, '') AS DOUBLE)
         FROM (SELECT unnest(range(?::BIGINT, ?::BIGINT)) AS i, unnest(string_split(?, ',')) AS b, unnest(string_split(?, ',')) AS x, unnest(string_split(?, ',')) AS y)`,
        [from, i, b.join(','), xs.slice(from, i).join(','), ys.slice(from, i).join(',')],
      );
      for (const [row, h] of rest)
        for (let k = 0; k < h.length; k += CHUNK_CHARS) await engine.query(`UPDATE ${points} SET b = b || from_hex(?) WHERE i = ?`, [h.slice(k, k + CHUNK_CHARS), row]);
    }
    const T = quoteIdent(stage);
    await engine.query(`CREATE OR REPLACE TABLE ${T} AS SELECT s.* REPLACE (w.b AS ${quoteIdent(column)}) FROM ${T} AS s POSITIONAL JOIN (SELECT b FROM ${points} ORDER BY i) AS w`);
    await engine.query(`ALTER TABLE ${points} DROP COLUMN b`);
  } catch (e) {
    await engine.query(`DROP TABLE IF EXISTS ${points}`).catch(() => undefined);
    throw e;
  }
  return s;
}

/** [west, south, east, north] of a geometry; west > east when it has no coordinates. */
function bbox(g: Geometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (a: unknown): void => {
    if (!Array.isArray(a)) return;
    if (typeof a[0] === 'number') {
      b[0] = Math.min(b[0], a[0]);
      b[1] = Math.min(b[1], a[1] as number);
      b[2] = Math.max(b[2], a[0]);
      b[3] = Math.max(b[3], a[1] as number);
    } else for (const p of a) walk(p);
  };
  if (g.type !== 'GeometryCollection') walk(g.coordinates);
  else
    for (const part of g.geometries) {
      const [w, s, e, n] = bbox(part);
      if (w <= e) walk([[w, s], [e, n]]);
    }
  return b;
}

/** The count of each geometry type read, most frequent first, and 'none' for empty values: what the mixed and null geometry checks take. */
export function wkbKinds(s: WkbStaged): { g: string; n: number }[] {
  return [...[...s.kinds].map(([g, n]) => ({ g, n })).sort((a, b) => b.n - a.n), ...(s.nulls ? [{ g: 'none', n: s.nulls }] : [])];
}

export function invalidWkbProblems(s: WkbStaged, rows: number): ImportProblem[] {
  const out: ImportProblem[] = [];
  const { count, examples } = s.invalid;
  if (count > 0)
    out.push({
      level: count === rows ? 'error' : 'warning',
      code: 'invalid-wkb',
      count,
      zh: `${count} 行的 WKB 几何无法读取（数据被截断或已损坏），将被跳过。例如第 ${examples.map((e) => e.row).join('、')} 行。`,
      en: `${count} row${count > 1 ? 's have' : ' has'} WKB geometry that cannot be read (cut short or damaged); ${count > 1 ? 'they' : 'it'} will be left out. For example ${examples.map((e) => `row ${e.row}: ${e.message}`).join('; ')}.`,
    });
  return out;
}
