import type { FeatureCollection } from 'geojson';
import type { Engine, TableInfo } from '../engine/types';
import { quoteIdent } from '../engine/sql';
import { columnsToWgs84, geojsonToWgs84, isSupportedCrs } from './crs';
import { fetchRemoteDataset, remoteYears } from './remoteDataset';
import type { CityDef, Crs, DatasetFile, RemoteSource } from './types';

/** DuckDB table holding one dataset of one city. */
export function tableName(cityId: string, datasetId: string): string {
  return `${cityId}__${datasetId}`;
}

export class DataLoadError extends Error {
  constructor(
    message: string,
    readonly path: string,
    /** The message in Chinese, where the failure has one (remote data). */
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'DataLoadError';
  }
}

/**
 * Loads catalog files into the engine on first use and remembers them. Only
 * what a visible layer needs is fetched. A failed load is forgotten so that it
 * can be retried, and never disturbs tables already loaded.
 *
 * Tables always hold WGS-84. A file that declares `crs: "GCJ02"` or `"BD09"`
 * is converted on load (./crs.ts, gcoord):
 * - GeoJSON: parsed, every position converted, re-serialised, then loaded as
 *   usual (text that is not a FeatureCollection goes to the engine unchanged
 *   and fails there with the engine's own message).
 * - Parquet: by convention point tables carry `lon`/`lat` columns and edge
 *   tables `x1,y1` / `x2,y2` (FLOAT or DOUBLE). The file is loaded into a
 *   staging table, those columns are read back, converted in JS and handed
 *   to DuckDB as a small CSV, and the table is created from the two in one
 *   statement (POSITIONAL JOIN; column names, order and types kept), so it
 *   never exists unconverted. A row whose pair is incomplete (one value NULL
 *   or not finite) gets NULL in both. A file with none of those pairs, half
 *   a pair, a non-numeric coordinate column or another column that holds
 *   positions (`lng`, `longitude`, `latitude`, `geometry`, `geom`) is refused
 *   with a DataLoadError: unconverted data is never loaded. Staging tables
 *   are dropped whatever happens.
 * WGS-84 files load exactly as before, straight into the engine.
 *
 * On an engine that restarts after its worker died (../engine/resilient.ts)
 * every loaded table is recorded in its journal as "fetch this file again and
 * load it the same way" (nothing is kept in memory: the file comes back from
 * the HTTP cache). If that reload fails, the table is forgotten here too, so
 * the next `ensure` loads it again.
 *
 * A dataset with `remote` (types.ts) is read from its HTTP(S) store with range
 * requests (../engine/remoteParquet.ts): only the city's partition and the
 * years asked for (`ensure(…, { years })`; else the years the app shows,
 * `followYears`; else its vintage year, see ./remoteDataset.ts), only the row
 * groups of those years. Its table holds the years of the latest `ensure`;
 * asking for other years loads them in its place, after any load still
 * running, and tells `onRemoteLoaded` listeners (views that keep what they
 * read, like the air cube, read again). Failures carry Chinese text in `zh`.
 */
export class TableRegistry {
  private readonly loading = new Map<string, { years: string; promise: Promise<string> }>();
  private wanted: (() => number[]) | null = null;
  private readonly remoteListeners = new Set<(cityId: string, datasetId: string) => void>();

  constructor(
    private readonly engine: Promise<Engine>,
    private readonly urlOf: (path: string) => string,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  /** The years remote datasets load when `ensure` is not told: the app passes the clock's (and the period's). */
  followYears(fn: () => number[]): void {
    this.wanted = fn;
  }

  /** Called after a remote table was (re)loaded, with other years or for the first time. */
  onRemoteLoaded(fn: (cityId: string, datasetId: string) => void): () => void {
    this.remoteListeners.add(fn);
    return () => this.remoteListeners.delete(fn);
  }

  /**
   * What of these datasets `ensure` would load now, for the remote ones
   * ('' when none is remote): part of a layer's data key, so a layer reads
   * again when the clock moves into another year of a remote store.
   */
  remoteKey(city: CityDef, datasetIds: readonly string[]): string {
    // Called for every visible layer on every store change (each playback step): nothing to do without a remote dataset.
    if (!datasetIds.some((ds) => city.datasets[ds]?.remote)) return '';
    const asked = this.wanted?.();
    return datasetIds
      .flatMap((ds) => {
        const file = city.datasets[ds];
        return file?.remote ? [`${ds}@${remoteYears(file, asked).join(',')}`] : [];
      })
      .join('|');
  }

  ensure(city: CityDef, datasetId: string, opts: { years?: number[] } = {}): Promise<string> {
    const name = tableName(city.id, datasetId);
    const file = city.datasets[datasetId];
    const years = file?.remote ? remoteYears(file, opts.years ?? this.wanted?.()) : [];
    const key = years.join(',');
    const cur = this.loading.get(name);
    if (cur && cur.years === key) return cur.promise;
    // Other years of a remote table: after the running load, so the last asked for wins.
    const p = cur ? cur.promise.catch(() => undefined).then(() => this.load(city, datasetId, name, years)) : this.load(city, datasetId, name, years);
    this.loading.set(name, { years: key, promise: p });
    p.catch(() => {
      if (this.loading.get(name)?.promise === p) this.loading.delete(name);
    });
    return p;
  }

  private async load(city: CityDef, datasetId: string, name: string, years: number[]): Promise<string> {
    const file = city.datasets[datasetId];
    if (!file) throw new DataLoadError(`${city.id} has no "${datasetId}" dataset in the catalog`, datasetId);
    if (file.remote) return this.loadRemote(city, datasetId, { ...file, remote: file.remote }, name, years);
    if (!isSupportedCrs(file.crs)) {
      throw new DataLoadError(`${file.path} declares an unknown CRS ${JSON.stringify(file.crs)}; expected WGS84, GCJ02 or BD09`, file.path);
    }
    const url = this.urlOf(file.path);
    // User-timing marks: the bench and dev timeline read where start-up time goes.
    const mark = `table:${name}`;
    performance.mark(`${mark}:start`);
    let res: Response;
    try {
      res = await this.fetchImpl(url);
    } catch (e) {
      throw new DataLoadError(`could not fetch ${file.path}: ${(e as Error).message}`, file.path);
    }
    if (!res.ok) throw new DataLoadError(`HTTP ${res.status} for ${file.path}`, file.path);
    const engine = await this.engine;
    performance.mark(`${mark}:engine`);
    await loadResponse(engine, name, res, file);
    performance.measure(mark, `${mark}:start`);
    engine.journal?.record(`catalog:${name}`, (fresh) =>
      this.reload(fresh, file, name).catch((e: unknown) => {
        this.loading.delete(name);
        throw e;
      }),
    );
    return name;
  }

  private async loadRemote(city: CityDef, datasetId: string, file: DatasetFile & { remote: RemoteSource }, name: string, years: number[]): Promise<string> {
    if (years.length === 0) {
      const span = file.years ? `${file.years[0]}–${file.years[1]}` : '?';
      throw new DataLoadError(`${file.path}: none of the years asked for is in the store (${span})`, file.path, `${file.path}：所请求的年份都不在该存储中（${span}）`);
    }
    const mark = `table:${name}`;
    performance.mark(`${mark}:start`);
    const bytes = await this.fetchRemote(city, file, years);
    const engine = await this.engine;
    performance.mark(`${mark}:engine`);
    await loadBytes(engine, name, bytes, file);
    performance.measure(mark, `${mark}:start`);
    for (const fn of this.remoteListeners) fn(city.id, datasetId);
    engine.journal?.record(`catalog:${name}`, (fresh) =>
      this.fetchRemote(city, file, years)
        .then((b) => loadBytes(fresh, name, b, file))
        .catch((e: unknown) => {
          this.loading.delete(name);
          throw e;
        }),
    );
    return name;
  }

  private async fetchRemote(city: CityDef, file: DatasetFile & { remote: RemoteSource }, years: number[]): Promise<Uint8Array> {
    try {
      return await fetchRemoteDataset(city, file, years, this.fetchImpl);
    } catch (e) {
      const err = e as { en?: string; zh?: string; message: string };
      throw new DataLoadError(err.en ?? `${file.path}: ${err.message}`, file.path, err.zh);
    }
  }

  /** The same file loaded again into a fresh engine (after a restart). */
  private async reload(engine: Engine, file: DatasetFile, name: string): Promise<void> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.urlOf(file.path));
    } catch (e) {
      throw new DataLoadError(`could not fetch ${file.path}: ${(e as Error).message}`, file.path);
    }
    if (!res.ok) throw new DataLoadError(`HTTP ${res.status} for ${file.path}`, file.path);
    await loadResponse(engine, name, res, file);
  }
}

/** Parquet bytes of a remote dataset → table `name` (WGS-84). */
async function loadBytes(engine: Engine, name: string, bytes: Uint8Array, file: DatasetFile): Promise<void> {
  try {
    if (file.crs !== 'WGS84') await loadParquetAsWgs84(engine, name, bytes, file);
    else await engine.loadParquet(name, bytes);
  } catch (e) {
    if (e instanceof DataLoadError) throw e;
    throw new DataLoadError(`${file.path}: ${(e as Error).message}`, file.path);
  }
}

/** A fetched catalog file → table `name` (WGS-84). */
async function loadResponse(engine: Engine, name: string, res: Response, file: DatasetFile): Promise<void> {
  try {
    if (file.crs !== 'WGS84') {
      if (file.format === 'parquet') await loadParquetAsWgs84(engine, name, new Uint8Array(await res.arrayBuffer()), file);
      else await engine.loadGeoJSON(name, geojsonTextToWgs84(await res.text(), file.crs));
    } else if (file.format === 'parquet') await engine.loadParquet(name, new Uint8Array(await res.arrayBuffer()));
    else await engine.loadGeoJSON(name, await res.text());
  } catch (e) {
    if (e instanceof DataLoadError) throw e;
    throw new DataLoadError(`${file.path}: ${(e as Error).message}`, file.path);
  }
}

// ---------------------------------------------------------------------------
// Conversion of GCJ-02 / BD-09 files on load

/**
 * GeoJSON text in `from` → WGS-84 GeoJSON text. Text that does not parse as a
 * FeatureCollection is returned unchanged: the engine's loader rejects it
 * with its usual message, so nothing unconverted is ever loaded.
 */
function geojsonTextToWgs84(text: string, from: Crs): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return text;
  }
  const fc = doc as { type?: unknown; features?: unknown } | null;
  if (typeof fc !== 'object' || fc === null || Array.isArray(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return text;
  }
  return JSON.stringify(geojsonToWgs84(fc as FeatureCollection, from));
}

/** Coordinate column pairs of the catalog's Parquet convention: points, then the two ends of an edge. */
const COORD_PAIRS: readonly (readonly [string, string])[] = [
  ['lon', 'lat'],
  ['x1', 'y1'],
  ['x2', 'y2'],
];
/** Columns that hold positions but are not converted: a file with them is refused rather than half converted. */
const OTHER_POSITION_COLUMNS = ['lng', 'longitude', 'latitude', 'geometry', 'geom'];
const COORD_TYPES = new Set(['FLOAT', 'DOUBLE']);

let stagingCounter = 0;

/** The pairs of `info` to convert (actual column names and types); throws a DataLoadError if the file cannot be converted. */
function coordinatePairs(info: TableInfo, file: DatasetFile): { lon: string; lat: string; lonType: string; latType: string }[] {
  // DuckDB column names are case-insensitive, so match them that way.
  const byName = new Map(info.columns.map((c) => [c.name.toLowerCase(), c]));
  const refuse = (why: string): never => {
    throw new DataLoadError(`${file.path} declares ${file.crs} but ${why}; refusing to load coordinates that cannot be converted to WGS-84`, file.path);
  };
  const other = OTHER_POSITION_COLUMNS.filter((n) => byName.has(n)).map((n) => byName.get(n)!.name);
  if (other.length > 0) refuse(`has position column(s) ${other.join(', ')} that are not converted (only lon/lat and x1,y1,x2,y2 are)`);
  const pairs: { lon: string; lat: string; lonType: string; latType: string }[] = [];
  for (const [x, y] of COORD_PAIRS) {
    const cx = byName.get(x);
    const cy = byName.get(y);
    if (!cx && !cy) continue;
    if (!cx || !cy) refuse(`has a "${(cx ?? cy)!.name}" column without "${cx ? y : x}"`);
    for (const c of [cx!, cy!]) {
      if (!COORD_TYPES.has(c.type)) refuse(`its "${c.name}" column is ${c.type}, not FLOAT or DOUBLE`);
    }
    pairs.push({ lon: cx!.name, lat: cy!.name, lonType: cx!.type, latType: cy!.type });
  }
  if (pairs.length === 0) {
    refuse(`has no coordinate columns to convert (expected lon/lat or x1,y1,x2,y2; it has ${info.columns.map((c) => c.name).join(', ') || 'no columns'})`);
  }
  return pairs;
}

/** A coordinate as CSV text: shortest round-trip form, always with a decimal point so DuckDB reads DOUBLE; NaN → empty (NULL). */
function csvNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  const s = String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/**
 * Load a GCJ-02 / BD-09 Parquet file as table `name` holding WGS-84
 * coordinates (see the TableRegistry comment). Uses only the engine's public
 * loaders and queries; `name` is created by one CREATE OR REPLACE statement
 * after the conversion has succeeded, and the staging tables are dropped
 * whatever happens.
 */
async function loadParquetAsWgs84(engine: Engine, name: string, bytes: Uint8Array, file: DatasetFile): Promise<void> {
  const n = ++stagingCounter;
  const stage = `${name}__crs_stage_${n}`;
  const fix = `${name}__crs_fix_${n}`;
  try {
    let info: TableInfo;
    try {
      info = await engine.loadParquet(stage, bytes);
    } catch (e) {
      // Name the table being loaded, not the staging one.
      throw new Error((e as Error).message.split(stage).join(name), { cause: e });
    }
    const pairs = coordinatePairs(info, file);
    const q = quoteIdent;
    if (info.rows === 0) {
      await engine.query(`CREATE OR REPLACE TABLE ${q(name)} AS SELECT * FROM ${q(stage)}`);
      return;
    }
    const cols = pairs.flatMap((p) => [p.lon, p.lat]);
    const t = await engine.query(`SELECT ${cols.map(q).join(', ')} FROM ${q(stage)}`);
    if (t.numRows !== info.rows) throw new Error(`read back ${t.numRows} of ${info.rows} rows`);
    const values = (col: string): Float64Array => {
      const v = t.getChild(col);
      if (!v) throw new Error(`column ${col} missing from the staging table`);
      const out = new Float64Array(t.numRows);
      if (v.nullCount === 0) {
        out.set(v.toArray() as Float32Array | Float64Array);
        return out;
      }
      for (let i = 0; i < out.length; i++) {
        const x: unknown = v.get(i);
        out[i] = typeof x === 'number' ? x : NaN; // NULL → NaN → NULL again below
      }
      return out;
    };
    const converted = pairs.map((p) => columnsToWgs84(values(p.lon), values(p.lat), file.crs));
    // Converted columns c0, c1, … in pair order, one CSV row per table row.
    const outCols = converted.flatMap((c) => [c.lon, c.lat]);
    const lines: string[] = [outCols.map((_, k) => `c${k}`).join(',')];
    for (let i = 0; i < t.numRows; i++) {
      let line = '';
      for (let k = 0; k < outCols.length; k++) line += (k > 0 ? ',' : '') + csvNumber(outCols[k]![i]!);
      lines.push(line);
    }
    const fixInfo = await engine.loadCSV(fix, lines.join('\n') + '\n', { header: true, delimiter: ',' });
    if (fixInfo.rows !== info.rows) throw new Error(`converted ${fixInfo.rows} of ${info.rows} rows`);
    const replaced = new Map<string, string>();
    pairs.forEach((p, i) => {
      replaced.set(p.lon, `CAST(f.${q(`c${2 * i}`)} AS ${p.lonType})`);
      replaced.set(p.lat, `CAST(f.${q(`c${2 * i + 1}`)} AS ${p.latType})`);
    });
    const select = info.columns.map((c) => `${replaced.get(c.name) ?? `s.${q(c.name)}`} AS ${q(c.name)}`).join(', ');
    // POSITIONAL JOIN pairs row i of the staging table with row i of the converted CSV (both in insertion order).
    await engine.query(`CREATE OR REPLACE TABLE ${q(name)} AS SELECT ${select} FROM ${q(stage)} AS s POSITIONAL JOIN ${q(fix)} AS f`);
  } finally {
    await engine.dropTable(stage).catch(() => undefined);
    await engine.dropTable(fix).catch(() => undefined);
  }
}
