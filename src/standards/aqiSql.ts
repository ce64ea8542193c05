/**
 * HJ 633-2012 AQI as DuckDB SQL, generated from the tables in ./aqi.ts (there
 * is no second copy of the numbers). Every expression here gives exactly what
 * the JS functions give on the same input — same segments, same arithmetic
 * order on DOUBLE, same ceil-with-epsilon, same missing-value and "above 800"
 * rules (aqi.ts's module comment) — and aqiSql.test.ts checks that in real
 * DuckDB-WASM.
 *
 * Arguments named `…Expr` (and the values of the column maps of
 * {@link aqiSqlExpr}) are trusted SQL expressions such as `r.pm25`; quote any
 * identifier that comes from a file or a user with `quoteIdent` first.
 * {@link dailyAqiSql} takes plain identifiers and quotes them itself.
 */
import { quoteIdent } from '../engine/sql.ts';
import {
  AQI_LEVELS,
  BREAKPOINTS,
  DAILY_MEAN_MIN_HOURS,
  IAQI_EPSILON,
  O3_8H_MIN_VALID_HOURS,
  POLLUTANTS,
  resolveTable,
  segments,
  type Averaging,
  type DailyAqiOptions,
  type DailyReadings,
  type DailyStatsOptions,
  type HourlyReadings,
  type Pollutant,
  type TableKey,
} from './aqi.ts';

/** A number as a SQL literal that DuckDB reads as the same double (integers stay integer literals). */
function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return Number.isInteger(n) ? String(n) : `CAST('${String(n)}' AS DOUBLE)`;
}

/** `expr` as DOUBLE, parenthesised. */
function dbl(expr: string): string {
  return `CAST((${expr}) AS DOUBLE)`;
}

/** SQL condition: the DOUBLE `x` is missing (NULL, NaN, ±Infinity or negative). */
function missingSql(x: string): string {
  return `${x} IS NULL OR NOT isfinite(${x}) OR ${x} < 0`;
}

/** CASE over one table's segments for a valid-or-missing DOUBLE `x`; `aboveSql` beyond the last breakpoint. */
function tableCaseSql(key: TableKey, x: string, aboveSql: string): string {
  const whens = segments(key).map(
    (s) =>
      `WHEN ${x} <= ${num(s.cHi)} THEN CAST(CEIL(${num(s.iLo)} + ((${num(s.iHi - s.iLo)} * (${x} - ${num(s.cLo)})) / ${num(s.cHi - s.cLo)}) - ${num(IAQI_EPSILON)}) AS INTEGER)`,
  );
  return `(CASE WHEN ${missingSql(x)} THEN NULL ${whens.join(' ')} ELSE ${aboveSql} END)`;
}

/** IAQI of a table with the plain "above the top → 500" rule. */
function plainTableSql(key: TableKey, expr: string): string {
  return tableCaseSql(key, dbl(expr), '500');
}

export interface IaqiSqlOptions {
  /**
   * For SO2 1 h and O3 8 h: the other period's concentration used when the
   * value is above 800 (SO2: the 24 h mean; O3: the 1 h value). When absent
   * or missing, the other table is applied to the value itself (as `iaqi()`).
   */
  substituteExpr?: string;
}

/**
 * A DuckDB expression (INTEGER, NULL when missing) for the IAQI of
 * `columnExpr`, equal to `iaqiDetail(pollutant, averaging, value, substitute)?.iaqi`.
 * `columnExpr` appears several times in the result: pass a column reference.
 */
export function iaqiSqlExpr(pollutant: Pollutant, averaging: Averaging, columnExpr: string, opts: IaqiSqlOptions = {}): string {
  const key = resolveTable(pollutant, averaging);
  const table = BREAKPOINTS[key];
  const x = dbl(columnExpr);
  if (!table.above) return tableCaseSql(key, x, '500');
  const other = table.above.use;
  const fallback = plainTableSql(other, columnExpr);
  const above = opts.substituteExpr ? `COALESCE(${plainTableSql(other, opts.substituteExpr)}, ${fallback})` : fallback;
  return tableCaseSql(key, x, above);
}

/** SQL expressions per input of an hourly AQI (keys as {@link HourlyReadings}). */
export type HourlyAqiColumns = Partial<Record<keyof HourlyReadings, string>>;
/** SQL expressions per input of a daily AQI (keys as {@link DailyReadings}). */
export type DailyAqiColumns = Partial<Record<keyof DailyReadings, string>>;

/**
 * The per-pollutant IAQI expressions of an hourly or daily AQI, for the
 * pollutants whose inputs are given (same rules as `hourlyAqi` / `dailyAqi`).
 */
export function iaqiSqlExprs(columns: HourlyAqiColumns, mode: 'hourly'): Partial<Record<Pollutant, string>>;
export function iaqiSqlExprs(columns: DailyAqiColumns, mode: 'daily', opts?: DailyAqiOptions): Partial<Record<Pollutant, string>>;
export function iaqiSqlExprs(
  columns: HourlyAqiColumns | DailyAqiColumns,
  mode: 'hourly' | 'daily',
  opts: DailyAqiOptions = {},
): Partial<Record<Pollutant, string>> {
  const out: Partial<Record<Pollutant, string>> = {};
  if (mode === 'hourly') {
    const c = columns as HourlyAqiColumns;
    if (c.so2) out.so2 = iaqiSqlExpr('so2', '1h', c.so2, c.so2_24h ? { substituteExpr: c.so2_24h } : {});
    if (c.no2) out.no2 = iaqiSqlExpr('no2', '1h', c.no2);
    if (c.pm10) out.pm10 = iaqiSqlExpr('pm10', '1h', c.pm10);
    if (c.co) out.co = iaqiSqlExpr('co', '1h', c.co);
    if (c.o3) out.o3 = iaqiSqlExpr('o3', '1h', c.o3);
    if (c.pm25) out.pm25 = iaqiSqlExpr('pm25', '1h', c.pm25);
    return out;
  }
  const c = columns as DailyAqiColumns;
  if (c.so2) out.so2 = iaqiSqlExpr('so2', '24h', c.so2);
  if (c.no2) out.no2 = iaqiSqlExpr('no2', '24h', c.no2);
  if (c.pm10) out.pm10 = iaqiSqlExpr('pm10', '24h', c.pm10);
  if (c.co) out.co = iaqiSqlExpr('co', '24h', c.co);
  const o3parts: string[] = [];
  if (c.o3_8h) o3parts.push(iaqiSqlExpr('o3', '8h', c.o3_8h, c.o3_1h ? { substituteExpr: c.o3_1h } : {}));
  if (opts.o3OneHourIndicator && c.o3_1h) o3parts.push(iaqiSqlExpr('o3', '1h', c.o3_1h));
  if (o3parts.length) out.o3 = greatestSql(o3parts);
  if (c.pm25) out.pm25 = iaqiSqlExpr('pm25', '24h', c.pm25);
  return out;
}

/**
 * Largest of the expressions, ignoring NULLs (NULL only when all are NULL).
 * DuckDB's `greatest` skips NULL arguments and is NULL only when all of them
 * are (checked on DuckDB-WASM 1.32 / DuckDB 1.4; aqiSql.test.ts pins it).
 */
function greatestSql(exprs: string[]): string {
  if (exprs.length === 0) throw new Error('greatest of nothing');
  return exprs.length === 1 ? exprs[0]! : `greatest(${exprs.join(', ')})`;
}

/**
 * AQI (INTEGER, NULL when every input is missing): the greatest of the IAQIs
 * of the given inputs, NULLs ignored. Values of `columns` are SQL expressions.
 * Hourly: 1 h tables (24 h ones for PM), `so2_24h` for the SO2 > 800 rule.
 * Daily: 24 h means, `o3_8h` daily max 8 h, `o3_1h` daily max 1 h.
 */
export function aqiSqlExpr(columns: HourlyAqiColumns, mode: 'hourly'): string;
export function aqiSqlExpr(columns: DailyAqiColumns, mode: 'daily', opts?: DailyAqiOptions): string;
export function aqiSqlExpr(columns: HourlyAqiColumns | DailyAqiColumns, mode: 'hourly' | 'daily', opts: DailyAqiOptions = {}): string {
  const parts =
    mode === 'hourly'
      ? iaqiSqlExprs(columns as HourlyAqiColumns, 'hourly')
      : iaqiSqlExprs(columns as DailyAqiColumns, 'daily', opts);
  const exprs = POLLUTANTS.map((p) => parts[p]).filter((e): e is string => e !== undefined);
  if (exprs.length === 0) throw new Error('aqiSqlExpr: no pollutant column given');
  return greatestSql(exprs);
}

/**
 * Level 1–6 (INTEGER) of an AQI expression, NULL for NULL/NaN/negative — the
 * thresholds of `AQI_LEVELS`. `aqiExpr` is repeated: pass a column reference.
 */
export function aqiLevelSqlExpr(aqiExpr: string): string {
  const a = dbl(aqiExpr);
  const whens = AQI_LEVELS.map((l) => (l.range[1] === null ? `ELSE ${l.level}` : `WHEN ${a} <= ${num(l.range[1])} THEN ${l.level}`));
  return `(CASE WHEN ${a} IS NULL OR isnan(${a}) OR ${a} < 0 THEN NULL ${whens.join(' ')} END)`;
}

/** VARCHAR[] of the pollutants whose IAQI equals the AQI, when AQI > 50 (else empty), in POLLUTANTS order. Pass column references. */
export function primaryPollutantsSqlExpr(iaqiExprs: Partial<Record<Pollutant, string>>, aqiExpr: string): string {
  const hits = POLLUTANTS.filter((p) => iaqiExprs[p]).map((p) => `CASE WHEN (${iaqiExprs[p]}) = (${aqiExpr}) THEN '${p}' END`);
  if (hits.length === 0) return 'CAST([] AS VARCHAR[])';
  return `(CASE WHEN (${aqiExpr}) > 50 THEN string_split(concat_ws(',', ${hits.join(', ')}), ',') ELSE CAST([] AS VARCHAR[]) END)`;
}

/** VARCHAR[] of the pollutants with IAQI > 100 (超标污染物), in POLLUTANTS order. Pass column references. */
export function exceedingPollutantsSqlExpr(iaqiExprs: Partial<Record<Pollutant, string>>): string {
  const ps = POLLUTANTS.filter((p) => iaqiExprs[p]);
  if (ps.length === 0) return 'CAST([] AS VARCHAR[])';
  const any = ps.map((p) => `(${iaqiExprs[p]}) > 100`).join(' OR ');
  const hits = ps.map((p) => `CASE WHEN (${iaqiExprs[p]}) > 100 THEN '${p}' END`);
  return `(CASE WHEN ${any} THEN string_split(concat_ws(',', ${hits.join(', ')}), ',') ELSE CAST([] AS VARCHAR[]) END)`;
}

// ---------------------------------------------------------------------------
// Daily AQI from an hourly table

/** IANA zones without daylight saving since 1991 whose offset is UTC+8. */
const UTC8_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC', 'Asia/Hong_Kong', 'Hongkong', 'Asia/Macau', 'Asia/Macao']);

/**
 * Offset in minutes of a time-zone option: a UTC+8 IANA name, `UTC`/`Z`, or a
 * fixed offset like `+08:00`, `+0800`, `UTC+8`. `local` → null (no shift).
 * Fixed offsets only: DuckDB-WASM has no ICU time zones unless the extension
 * is loaded, and China has had no daylight saving since 1991.
 */
export function tzOffsetMinutes(tz: string): number | null {
  if (tz === 'local') return null;
  if (UTC8_ZONES.has(tz)) return 480;
  if (tz === 'UTC' || tz === 'Z' || tz === 'GMT' || tz === 'Etc/UTC') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(tz);
  if (m) {
    const h = Number(m[2]);
    const min = Number(m[3] ?? '0');
    if (h <= 14 && min < 60) return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
  }
  throw new Error(`unsupported time zone "${tz}": use a UTC+8 zone name (Asia/Shanghai), a fixed offset such as +08:00, or "local"`);
}

export interface DailyAqiSqlOptions extends DailyStatsOptions, DailyAqiOptions {
  /** Hourly table (a plain name; quoted here). */
  table: string;
  /** Station id column (quoted here). */
  stationCol: string;
  /**
   * Time column, TIMESTAMP (any precision; read as UTC) or TIMESTAMPTZ.
   * With `tz: 'local'` a TIMESTAMP is read as local wall-clock time.
   */
  tsCol: string;
  /** Local time zone defining the day: `Asia/Shanghai` (= fixed UTC+8), a fixed offset `+08:00`, or `local`. */
  tz: string;
  /**
   * Does a timestamp mark the start of its hour (default; 00:00 = 00:00–01:00)
   * or its end (China's station feeds: 01:00 = 00:00–01:00, and 24:00 closes
   * the day)? 'end' shifts every timestamp back one hour before assigning days.
   */
  hourLabel?: 'start' | 'end';
  /** Pollutant column names (quoted here); default the pollutant ids; null = not in the table. CO in mg/m³, others µg/m³. */
  columns?: Partial<Record<Pollutant, string | null>>;
}

/**
 * A query giving one row per station and local day with the daily-report
 * inputs and the daily AQI (HJ 633-2012):
 *
 * - Rows are first averaged per station and local hour (duplicates, sub-hourly
 *   data); missing values (NULL, NaN, ±Inf, negative sentinels) are dropped.
 * - `pm25 pm10 so2 no2 co`: 24 h means of the day's valid hours, NULL when
 *   fewer than `minHoursPerDay` (default 20, GB 3095-2012 table 4) are valid.
 * - `o3_8h`: the daily maximum 8-hour rolling mean, over the 17 windows that
 *   lie inside the local day (00–07 … 16–23, i.e. ending 08:00 … 24:00),
 *   computed with a window function over a complete 24-hour grid (hours absent
 *   from the table count as missing). A window is valid with at least
 *   `minValidPer8h` (default 6) valid hours and its mean is the mean of those
 *   hours (GB 3095-2012 table 4 / HJ 663). NULL when fewer than
 *   `minO3WindowsPerDay` (default 1) windows are valid.
 * - `o3_1h`: the day's maximum hourly O3 (used when O3 8 h > 800).
 * - `n_<pollutant>` valid hours, `n_o3_8h` valid 8 h windows.
 * - `iaqi_<pollutant>`, `aqi`, `level` (1–6), `primary_pollutants` and
 *   `exceeding_pollutants` (VARCHAR[]), exactly as `dailyAqi()`.
 *
 * Output columns: station, day (DATE), so2, no2, pm10, co, o3_8h, o3_1h, pm25,
 * n_so2, n_no2, n_pm10, n_co, n_o3, n_pm25, n_o3_8h, iaqi_so2 … iaqi_pm25,
 * aqi, level, primary_pollutants, exceeding_pollutants; ordered by station, day.
 */
export function dailyAqiSql(opts: DailyAqiSqlOptions): string {
  const offsetMin = tzOffsetMinutes(opts.tz);
  const shiftUs = (offsetMin ?? 0) * 60 * 1_000_000 - (opts.hourLabel === 'end' ? 3_600_000_000 : 0);
  const minHours = Math.max(1, Math.floor(opts.minHoursPerDay ?? DAILY_MEAN_MIN_HOURS));
  const minValid8 = Math.max(1, Math.floor(opts.minValidPer8h ?? O3_8H_MIN_VALID_HOURS));
  const minWindows = Math.max(1, Math.floor(opts.minO3WindowsPerDay ?? 1));
  const ts = quoteIdent(opts.tsCol);

  const srcCols = POLLUTANTS.map((p) => {
    const name = opts.columns && p in opts.columns ? opts.columns[p] : p;
    if (name === null || name === undefined) return `CAST(NULL AS DOUBLE) AS ${p}`;
    const x = dbl(quoteIdent(name));
    return `CASE WHEN ${missingSql(x)} THEN NULL ELSE ${x} END AS ${p}`;
  });
  const list = (f: (p: Pollutant) => string) => POLLUTANTS.map(f).join(', ');
  const MEANS: Pollutant[] = ['so2', 'no2', 'pm10', 'co', 'pm25'];
  const o3Window = `__hh >= 7 AND __o3_n8 >= ${minValid8}`;

  const iaqis = iaqiSqlExprs(
    { so2: 'so2', no2: 'no2', pm10: 'pm10', co: 'co', o3_8h: 'o3_8h', o3_1h: 'o3_1h', pm25: 'pm25' },
    'daily',
    { o3OneHourIndicator: opts.o3OneHourIndicator === true },
  );
  const iaqiCols: Partial<Record<Pollutant, string>> = {};
  for (const p of POLLUTANTS) iaqiCols[p] = `iaqi_${p}`;

  return `WITH
__src AS (
  SELECT ${quoteIdent(opts.stationCol)} AS __station,
         date_trunc('hour', make_timestamp(epoch_us(${ts}) + ${shiftUs})) AS __hour,
         ${srcCols.join(',\n         ')}
  FROM ${quoteIdent(opts.table)}
  WHERE ${ts} IS NOT NULL
),
__hourly AS (
  SELECT __station, __hour, ${list((p) => `avg(${p}) AS ${p}`)}
  FROM __src GROUP BY __station, __hour
),
__days AS (
  SELECT DISTINCT __station, CAST(__hour AS DATE) AS __day FROM __hourly
),
__grid AS (
  SELECT d.__station, d.__day, g.__hh, CAST(d.__day AS TIMESTAMP) + to_hours(g.__hh) AS __hour
  FROM __days d CROSS JOIN range(24) AS g(__hh)
),
__filled AS (
  SELECT g.__station, g.__day, g.__hh, ${list((p) => `h.${p}`)}
  FROM __grid g LEFT JOIN __hourly h
    ON h.__station IS NOT DISTINCT FROM g.__station AND h.__hour = g.__hour
),
__win AS (
  SELECT *, count(o3) OVER __w AS __o3_n8, avg(o3) OVER __w AS __o3_m8
  FROM __filled
  WINDOW __w AS (PARTITION BY __station, __day ORDER BY __hh ROWS BETWEEN 7 PRECEDING AND CURRENT ROW)
),
__daily AS (
  SELECT __station, __day,
         ${list((p) => `count(${p}) AS n_${p}`)},
         ${MEANS.map((p) => `avg(${p}) AS __mean_${p}`).join(', ')},
         max(o3) AS o3_1h,
         count(CASE WHEN ${o3Window} THEN 1 END) AS n_o3_8h,
         max(CASE WHEN ${o3Window} THEN __o3_m8 END) AS __max_o3_8h
  FROM __win GROUP BY __station, __day
),
__means AS (
  SELECT __station, __day,
         ${MEANS.map((p) => `CASE WHEN n_${p} >= ${minHours} THEN __mean_${p} END AS ${p}`).join(',\n         ')},
         CASE WHEN n_o3_8h >= ${minWindows} THEN __max_o3_8h END AS o3_8h,
         o3_1h, ${list((p) => `n_${p}`)}, n_o3_8h
  FROM __daily
),
__iaqi AS (
  SELECT *, ${POLLUTANTS.map((p) => `${iaqis[p]} AS iaqi_${p}`).join(',\n    ')}
  FROM __means
),
__aqi AS (
  SELECT *, greatest(${list((p) => `iaqi_${p}`)}) AS aqi FROM __iaqi
)
SELECT __station AS station, __day AS day,
       so2, no2, pm10, co, o3_8h, o3_1h, pm25,
       ${list((p) => `n_${p}`)}, n_o3_8h,
       ${list((p) => `iaqi_${p}`)},
       aqi,
       ${aqiLevelSqlExpr('aqi')} AS level,
       ${primaryPollutantsSqlExpr(iaqiCols, 'aqi')} AS primary_pollutants,
       ${exceedingPollutantsSqlExpr(iaqiCols)} AS exceeding_pollutants
FROM __aqi
ORDER BY station, day`;
}
