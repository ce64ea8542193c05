/**
 * Importers for two CNEMC (China National Environmental Monitoring Centre)
 * file formats that planners actually receive:
 *
 * - the national station list (GBK, Chinese headers 监测点编码, 监测点名称, 城市,
 *   经度, 纬度, 对照点, 省级行政区, 地级行政区), and
 * - the widely mirrored per-hour station readings (one UTF-8 CSV per hour,
 *   headers timepoint, stationcode, …, pm2_5, pm10, o3, o3_24h, o3_8h, …, co).
 *
 * Both go the same way: bytes → {@link decodeText} → `engine.loadCSV` into a
 * raw table → one SQL statement that normalises it. Column names from files
 * are only ever used through {@link quoteIdent}; values are converted by SQL
 * from the loaded table or bound as parameters, never pasted into SQL text.
 * The result replaces the target table only when everything succeeded; on
 * error no raw, staging or half-made table is left behind.
 */
import type { Engine } from '../engine/types.ts';
import { checkTableName, quoteIdent } from '../engine/sql.ts';
import { decodeText, type TextEncodingName } from './encoding.ts';

type HeaderSpec = Record<string, readonly string[]>;

/** Headers compare after trimming, lower-casing, dropping spaces/brackets and turning '.'/'-' into '_' ("PM2.5" → "pm2_5"). */
export function normalizeHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s()（）]/g, '').replace(/[.\-]/g, '_');
}

const STATION_HEADERS: HeaderSpec = {
  id: ['监测点编码', '站点编码', '站点代码', 'stationcode', 'station_code', 'code', 'id'],
  name: ['监测点名称', '站点名称', 'positionname', 'station_name', 'name'],
  city: ['城市', 'city', 'area'],
  lon: ['经度', 'longitude', 'lon', 'lng'],
  lat: ['纬度', 'latitude', 'lat'],
  background: ['对照点', '是否对照点', 'background', 'control'],
  province: ['省级行政区', '省份', 'province'],
  prefecture: ['地级行政区', 'prefecture'],
};
const STATION_REQUIRED = ['id', 'name', 'city', 'lon', 'lat', 'background'] as const;

const HOURLY_HEADERS: HeaderSpec = {
  station: ['stationcode', 'station_code', '监测点编码', '站点编码', '站点代码'],
  time: ['timepoint', 'time_point', 'datetime', '时间', '时间点', '监测时间'],
  city: ['area', 'city', '城市'],
  name: ['positionname', 'station_name', '监测点名称', '站点名称'],
  lon: ['longitude', 'lon', 'lng', '经度'],
  lat: ['latitude', 'lat', '纬度'],
  aqi: ['aqi'],
  primary: ['primarypollutant', 'primary_pollutant', '首要污染物'],
  pm25: ['pm2_5', 'pm25', '细颗粒物'],
  pm25_24h: ['pm2_5_24h', 'pm25_24h'],
  pm10: ['pm10', '可吸入颗粒物'],
  pm10_24h: ['pm10_24h'],
  o3: ['o3', '臭氧'],
  o3_24h: ['o3_24h'],
  o3_8h: ['o3_8h'],
  o3_8h_24h: ['o3_8h_24h'],
  no2: ['no2', '二氧化氮'],
  no2_24h: ['no2_24h'],
  so2: ['so2', '二氧化硫'],
  so2_24h: ['so2_24h'],
  co: ['co', '一氧化碳'],
  co_24h: ['co_24h'],
};

/** Numeric output columns of the hourly table, in order (µg/m³; CO in mg/m³; aqi is an index). */
export const HOURLY_VALUE_COLUMNS = [
  'pm25', 'pm10', 'o3', 'no2', 'so2', 'co',
  'pm25_24h', 'pm10_24h', 'o3_24h', 'o3_8h', 'o3_8h_24h', 'no2_24h', 'so2_24h', 'co_24h', 'aqi',
] as const;

/** Map output key → the file's header (first alias that matches). */
function mapHeaders(headers: string[], spec: HeaderSpec): Map<string, string> {
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(normalizeHeader(h))) byNorm.set(normalizeHeader(h), h);
  const out = new Map<string, string>();
  for (const [key, aliases] of Object.entries(spec)) {
    const hit = aliases.find((a) => byNorm.has(normalizeHeader(a)));
    if (hit !== undefined) out.set(key, byNorm.get(normalizeHeader(hit))!);
  }
  return out;
}

/** Column as trimmed text (sniffed types vary file to file: always go through VARCHAR). */
const txt = (col: string) => `NULLIF(trim(CAST(${quoteIdent(col)} AS VARCHAR)), '')`;
/**
 * A concentration: non-numeric → NULL; negative (the −99/−999/−9999 sentinels
 * of station feeds) → NULL, never 0 (same rule as standards/aqi.ts); NaN/inf → NULL.
 */
const num = (col: string | undefined) => {
  if (col === undefined) return 'CAST(NULL AS DOUBLE)';
  const v = `TRY_CAST(${txt(col)} AS DOUBLE)`;
  return `CASE WHEN isfinite(${v}) AND ${v} >= 0 THEN ${v} END`;
};
const str = (col: string | undefined) => (col === undefined ? 'CAST(NULL AS VARCHAR)' : txt(col));
/** A coordinate: any finite number (range checks are the caller's), else NULL. */
const coord = (col: string | undefined) => {
  if (col === undefined) return 'CAST(NULL AS DOUBLE)';
  const v = `TRY_CAST(${txt(col)} AS DOUBLE)`;
  return `CASE WHEN isfinite(${v}) THEN ${v} END`;
};

let counter = 0;
/** Work-table names derived from the target; checkTableName keeps them out of the engine's reserved prefix. */
const workName = (table: string, what: string) => `${table}__${what}_${Date.now().toString(36)}_${++counter}`;

async function dropQuietly(engine: Engine, tables: string[]): Promise<void> {
  for (const t of tables) await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(t)}`).catch(() => undefined);
}

/** Replace `table` by `tmp` in one transaction (same pattern as the engine's own loaders). */
async function swapIn(engine: Engine, tmp: string, table: string): Promise<void> {
  await engine.query('BEGIN TRANSACTION');
  try {
    await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    await engine.query(`ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(table)}`);
    await engine.query('COMMIT');
  } catch (err) {
    await engine.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function scalar(engine: Engine, sql: string, params?: unknown[]): Promise<number> {
  const t = await engine.query(sql, params);
  return Number(t.get(0)?.n ?? 0);
}

function missingError(what: string, missing: string[], spec: HeaderSpec, headers: string[], notes: Record<string, string> = {}): Error {
  const list = missing.map((k) => `${k} (${notes[k] ?? spec[k]!.join(' / ')})`).join(', ');
  return new Error(`${what}: missing required column${missing.length > 1 ? 's' : ''} ${list}; the file has: ${headers.join(', ')}`);
}

// ───────────────────────────── station list ─────────────────────────────

export interface StationListResult {
  table: string;
  rows: number;
  /** Rows dropped for missing/invalid coordinates or an empty station code. */
  dropped: number;
  encoding: TextEncodingName;
  /** "CODE: English sentence" items; empty when the file was clean. */
  problems: string[];
}

export interface StationListOptions {
  /** Coordinates outside [minLon, minLat, maxLon, maxLat] are invalid. Default: mainland China and islands, [73, 3, 136, 54]; it also catches swapped lon/lat. */
  bbox?: [number, number, number, number];
}

/**
 * Station list → `table` with columns id, name, city, lon, lat (DOUBLE),
 * background (BOOLEAN: 对照点 flag Y/N), closed (BOOLEAN: the name carries a
 * 停运 "out of service" note), province, prefecture (current 地级行政区, so
 * Laiwu stations come out under 济南市, Jimo/Jiaozhou/… under 青岛市).
 */
export async function importStationList(engine: Engine, bytes: Uint8Array, table: string, opts: StationListOptions = {}): Promise<StationListResult> {
  checkTableName(table);
  const [minLon, minLat, maxLon, maxLat] = opts.bbox ?? [73, 3, 136, 54];
  const { text, encoding } = decodeText(bytes);
  const raw = workName(table, 'raw');
  const build = workName(table, 'build');
  try {
    const info = await engine.loadCSV(raw, text, { header: true });
    const headers = info.columns.map((c) => c.name);
    const cols = mapHeaders(headers, STATION_HEADERS);
    const missing = STATION_REQUIRED.filter((k) => !cols.has(k));
    if (missing.length > 0) throw missingError('station list', missing, STATION_HEADERS, headers);
    const c = (k: string) => cols.get(k);
    const flag = `upper(${txt(c('background')!)})`;
    await engine.query(
      `CREATE TABLE ${quoteIdent(build)} AS
       WITH s AS (
         SELECT ${str(c('id'))} AS id, ${str(c('name'))} AS name, ${str(c('city'))} AS city,
                ${coord(c('lon'))} AS lon, ${coord(c('lat'))} AS lat,
                CASE WHEN ${flag} IN ('Y', 'YES', 'TRUE', '1', '是') THEN true
                     WHEN ${flag} IN ('N', 'NO', 'FALSE', '0', '否') THEN false END AS background,
                coalesce(${str(c('name'))} LIKE '%停运%', false) AS closed,
                ${str(c('province'))} AS province, ${str(c('prefecture'))} AS prefecture
         FROM ${quoteIdent(raw)})
       SELECT * FROM s
       WHERE id IS NOT NULL AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?
       ORDER BY id`,
      [minLon, maxLon, minLat, maxLat],
    );
    const total = info.rows;
    const rows = await scalar(engine, `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(build)}`);
    const dropped = total - rows;
    const problems: string[] = [];
    if (dropped > 0) {
      const ids = await engine.query(
        `SELECT ${str(c('id'))} AS id FROM ${quoteIdent(raw)} EXCEPT SELECT id FROM ${quoteIdent(build)} ORDER BY 1 NULLS LAST LIMIT 10`,
      );
      const sample = ids.toArray().map((r) => String(r.id ?? '(no code)')).join(', ');
      problems.push(`DROPPED_INVALID_COORDINATES: ${dropped} of ${total} stations had no valid coordinates (or no code) and were left out: ${sample}${dropped > 10 ? ', …' : ''}`);
    }
    const dup = await scalar(engine, `SELECT count(*)::DOUBLE AS n FROM (SELECT id FROM ${quoteIdent(build)} GROUP BY id HAVING count(*) > 1)`);
    if (dup > 0) problems.push(`DUPLICATE_STATION_CODES: ${dup} station codes appear more than once`);
    const badFlag = await scalar(engine, `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(build)} WHERE background IS NULL`);
    if (badFlag > 0) problems.push(`UNKNOWN_BACKGROUND_FLAG: ${badFlag} stations have a background flag other than Y/N (kept, background = NULL)`);
    const closed = await scalar(engine, `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(build)} WHERE closed`);
    if (closed > 0) problems.push(`CLOSED_STATIONS: ${closed} stations are marked 停运 (out of service) in their name; kept with closed = true`);
    const shared = await scalar(
      engine,
      `SELECT count(*)::DOUBLE AS n FROM (SELECT lon, lat FROM ${quoteIdent(build)} GROUP BY lon, lat HAVING count(*) > 1)`,
    );
    if (shared > 0) problems.push(`SHARED_COORDINATES: ${shared} coordinate pairs are used by more than one station`);
    await swapIn(engine, build, table);
    return { table, rows, dropped, encoding, problems };
  } finally {
    await dropQuietly(engine, [raw, build]);
  }
}

// ───────────────────────────── hourly readings ─────────────────────────────

export type O3Layout = 'swapped' | 'as-labelled';

export interface HourlyOptions {
  /**
   * How to read the `o3` / `o3_24h` headers. In CNEMC's scheme `o3` is the
   * hourly value and `o3_24h` the maximum hourly value of the past 24 h. The
   * public per-hour scrape has them the wrong way round: its `o3` column
   * holds the 24 h maximum and its `o3_24h` column the hourly value (visible
   * because its `o3` is never below its `o3_24h`, and its `o3_8h` is often
   * above its `o3_24h`, which a true 24 h maximum cannot be).
   * - 'swapped' (default, the scrape): output o3 ← file `o3_24h`, output o3_24h ← file `o3`.
   * - 'as-labelled': take the headers at their word.
   * Either way the result is checked: if many rows have hourly O3 or the 8 h
   * mean above the 24 h maximum, an O3_LAYOUT_SUSPECT problem suggests the other layout.
   */
  o3Columns?: O3Layout;
}

export interface HourlyResult {
  table: string;
  rows: number;
  stations: number;
  hours: number;
  /** Rows dropped for an empty station code or no usable hour. */
  dropped: number;
  /** Per file, in input order. */
  encodings: TextEncodingName[];
  o3Columns: O3Layout;
  problems: string[];
}

/** "…2022-01-01T00…", "…20220101_00…", "…2022010100…" → "2022-01-01 00:00:00" (China Standard Time), else null. */
export function hourFromFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /(\d{4})-?(\d{2})-?(\d{2})[T _-]?(\d{2})(?!\d)/.exec(base);
  if (!m) return null;
  const [y, mo, d, h] = m.slice(1).map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h));
  if (mo < 1 || mo > 12 || h > 23 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:00:00`;
}

/**
 * Per-hour CSVs → one long table, one row per station and hour:
 * station_id, ts, pm25, pm10, o3, no2, so2, co, pm25_24h, pm10_24h, o3_24h,
 * o3_8h, o3_8h_24h, no2_24h, so2_24h, co_24h, aqi, primary_pollutant, city,
 * station_name, lon, lat, source_file. The schema is the same whatever the
 * files hold (absent optional columns are NULL), so files can be mixed.
 *
 * ts: the file's `timepoint` is a wall-clock hour in China Standard Time
 * (UTC+8, no DST); ts is that instant in UTC as a naive TIMESTAMP
 * (2022-01-01T00 CST → 2021-12-31 16:00:00), matching state/clock.ts. If a
 * file has no time column (or a row's time is unreadable), the hour in the
 * file name is used. A station/hour present in several files keeps the row
 * from the last file given.
 */
export async function importHourlyReadings(
  engine: Engine,
  files: { name: string; bytes: Uint8Array }[],
  table: string,
  opts: HourlyOptions = {},
): Promise<HourlyResult> {
  checkTableName(table);
  if (!Array.isArray(files) || files.length === 0) throw new Error('importHourlyReadings: no files given');
  const o3Columns = opts.o3Columns ?? 'swapped';
  if (o3Columns !== 'swapped' && o3Columns !== 'as-labelled') throw new Error(`o3Columns must be 'swapped' or 'as-labelled', not ${JSON.stringify(o3Columns)}`);
  const stage = workName(table, 'stage');
  const build = workName(table, 'build');
  const work: string[] = [stage, build];
  const encodings: TextEncodingName[] = [];
  const problems: string[] = [];
  try {
    await engine.query(
      `CREATE TABLE ${quoteIdent(stage)} (station_id VARCHAR, ts TIMESTAMP, ${HOURLY_VALUE_COLUMNS.map((k) => `${k} DOUBLE`).join(', ')},
        primary_pollutant VARCHAR, city VARCHAR, station_name VARCHAR, lon DOUBLE, lat DOUBLE,
        source_file VARCHAR, file_index INTEGER, row_index BIGINT)`,
    );
    for (const [i, file] of files.entries()) {
      const { text, encoding } = decodeText(file.bytes);
      encodings.push(encoding);
      const raw = workName(table, `raw${i}`);
      work.push(raw);
      const info = await engine.loadCSV(raw, text, { header: true });
      const headers = info.columns.map((c) => c.name);
      const cols = mapHeaders(headers, HOURLY_HEADERS);
      const fileHour = hourFromFileName(file.name);
      // Which file column feeds each output column (the o3 swap happens here, nowhere else).
      const src = new Map(cols);
      const notes: Record<string, string> = {};
      if (o3Columns === 'swapped') {
        src.set('o3', cols.get('o3_24h')!);
        src.set('o3_24h', cols.get('o3')!);
        notes.o3_24h = 'o3_24h — holds hourly O3 in the swapped scrape layout; pass o3Columns: "as-labelled" if the file is not swapped';
      }
      const required = ['station', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co', ...(o3Columns === 'swapped' ? ['o3_24h'] : [])];
      const missing = required.filter((k) => !cols.has(k));
      if (!cols.has('time') && fileHour === null) missing.push('time');
      notes.time = `${HOURLY_HEADERS.time!.join(' / ')}, or an hour in the file name such as 2022-01-01T00`;
      if (missing.length > 0) throw missingError(`hourly file ${JSON.stringify(file.name)}`, missing, HOURLY_HEADERS, headers, notes);
      const s = (k: string) => src.get(k);
      const timeExpr = s('time') === undefined ? 'CAST(NULL AS TIMESTAMP)' : `TRY_CAST(${txt(s('time')!)} AS TIMESTAMP)`;
      await engine.query(
        `INSERT INTO ${quoteIdent(stage)}
         SELECT ${str(s('station'))},
                date_trunc('hour', coalesce(${timeExpr}, TRY_CAST(? AS TIMESTAMP))) - INTERVAL 8 HOUR,
                ${HOURLY_VALUE_COLUMNS.map((k) => num(s(k))).join(', ')},
                ${str(s('primary'))}, ${str(s('city'))}, ${str(s('name'))}, ${coord(s('lon'))}, ${coord(s('lat'))},
                ?, ?, rowid
         FROM ${quoteIdent(raw)}`,
        [fileHour, file.name, i],
      );
      await dropQuietly(engine, [raw]);
    }
    const total = await scalar(engine, `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(stage)}`);
    await engine.query(
      `CREATE TABLE ${quoteIdent(build)} AS
       SELECT * EXCLUDE (file_index, row_index) FROM ${quoteIdent(stage)}
       WHERE station_id IS NOT NULL AND ts IS NOT NULL
       QUALIFY row_number() OVER (PARTITION BY station_id, ts ORDER BY file_index DESC, row_index DESC) = 1
       ORDER BY station_id, ts`,
    );
    const stats = (await engine.query(
      `SELECT count(*)::DOUBLE AS n, count(DISTINCT station_id)::DOUBLE AS stations, count(DISTINCT ts)::DOUBLE AS hours,
              count(*) FILTER (WHERE o3 > o3_24h OR o3_8h > o3_24h)::DOUBLE AS o3_bad,
              count(*) FILTER (WHERE o3_24h IS NOT NULL AND (o3 IS NOT NULL OR o3_8h IS NOT NULL))::DOUBLE AS o3_cmp
       FROM ${quoteIdent(build)}`,
    )).get(0)!;
    const rows = Number(stats.n);
    const valid = await scalar(engine, `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(stage)} WHERE station_id IS NOT NULL AND ts IS NOT NULL`);
    const dropped = total - valid;
    if (dropped > 0) problems.push(`DROPPED_ROWS: ${dropped} rows had no station code or no readable hour and were left out`);
    if (valid > rows) problems.push(`DUPLICATE_READINGS: ${valid - rows} station-hours appeared more than once; the last file's row was kept`);
    const o3Bad = Number(stats.o3_bad);
    const o3Cmp = Number(stats.o3_cmp);
    // A few inconsistent rows happen in real feeds; a majority means the layout guess is wrong.
    if (o3Bad > 0 && o3Bad * 2 > o3Cmp) {
      const other = o3Columns === 'swapped' ? 'as-labelled' : 'swapped';
      problems.push(`O3_LAYOUT_SUSPECT: in ${o3Bad} of ${o3Cmp} rows hourly or 8 h O3 exceeds the 24 h maximum; the files may use the other layout (o3Columns: '${other}')`);
    }
    await swapIn(engine, build, table);
    return { table, rows, stations: Number(stats.stations), hours: Number(stats.hours), dropped, encodings, o3Columns, problems };
  } finally {
    await dropQuietly(engine, work);
  }
}
