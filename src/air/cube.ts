/**
 * The air-quality cube: a city's (or an import's) whole span of readings,
 * queried from DuckDB once and held as typed arrays, so that a step of the
 * clock is an index into memory rather than a query. A year of hourly data for
 * 20 stations is 9 MB; playback at 16× then costs microseconds per step.
 *
 * The AQI numbers all come from DuckDB SQL generated from the HJ 633-2012
 * tables (standards/aqiSql.ts): hourly AQI and IAQIs per station and hour,
 * daily AQI per station and day (24 h means; O3 as the daily maximum 8-hour
 * mean), and the city's daily AQI from the mean of its non-background
 * stations' daily concentrations (HJ 663-2013 city assessment).
 */
import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';
import { POLLUTANTS } from '../standards/aqi';
import { aqiSqlExpr, dailyAqiSql, iaqiSqlExprs } from '../standards/aqiSql';

export interface AirStation {
  id: string;
  name: string;
  district: string;
  lon: number;
  lat: number;
  /** 对照点: a background site, left out of the city's mean. */
  background: boolean;
}

export const HOURLY_FIELDS = ['aqi', 'i_pm25', 'i_pm10', 'i_o3', 'i_no2', 'i_so2', 'i_co', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
export type HourlyField = (typeof HOURLY_FIELDS)[number];
/** Daily fields: `o3` is the daily maximum 8-hour mean, the others 24-hour means. */
export const DAILY_FIELDS = HOURLY_FIELDS;
export type DailyField = HourlyField;

export interface AirCube {
  stations: AirStation[];
  /** UTC epoch ms of the first hour; hours are consecutive from there. */
  startMs: number;
  hours: number;
  /** Hour-major: value of station s at hour h is at [h * stations.length + s]; NaN = missing. */
  hourly: Record<HourlyField, Float32Array>;
  /** First day (China Standard Time), 'YYYY-MM-DD'. */
  startDay: string;
  days: number;
  /**
   * Day-major like `hourly`. Filled after the hourly arrays (the first map
   * draw needs only those): read it after `dailyReady`.
   */
  daily: Record<DailyField, Float32Array>;
  dailyReady: Promise<void>;
  /** The city's daily values, one per day. */
  cityDaily: Record<DailyField, Float32Array>;
}

/** Where a cube's rows come from: two SQL relations with fixed column names. */
export interface AirSource {
  /** id, name, district, lon, lat, background (BOOLEAN) */
  stations: string;
  /** station_id, ts (TIMESTAMP, UTC), pm25, pm10, o3, no2, so2, co */
  hourly: string;
}

/** The catalog's tables for one city. */
export function catalogAirSource(stationsTable: string, hourlyTable: string): AirSource {
  return {
    // The model names its background sites like CNEMC does: …对照点.
    stations: `SELECT id, name, district, __xmin AS lon, __ymin AS lat, name LIKE '%对照点%' AS background FROM ${quoteIdent(stationsTable)}`,
    hourly: `SELECT station_id, ts, pm25, pm10, o3, no2, so2, co FROM ${quoteIdent(hourlyTable)}`,
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CST_MS = 8 * HOUR_MS;

/** NaN instead of NULL, so Arrow hands back dense Float32 columns. */
const f32 = (expr: string) => `coalesce(CAST((${expr}) AS FLOAT), 'NaN'::FLOAT)`;

let viewSeq = 0;

export async function loadAirCube(engine: Pick<Engine, 'query'>, source: AirSource): Promise<AirCube> {
  const view = `__air_src_${++viewSeq}`;
  // User-timing measures: the dev timeline and the bench read where the load goes.
  const t0 = performance.now();
  const stationRows = (await engine.query(`SELECT * FROM (${source.stations}) ORDER BY id`)).toArray();
  const stations: AirStation[] = stationRows.map((r) => ({
    id: String(r.id),
    name: String(r.name ?? r.id),
    district: String(r.district ?? ''),
    lon: Number(r.lon),
    lat: Number(r.lat),
    background: r.background === true,
  }));
  const n = stations.length;
  const index = new Map(stations.map((s, i) => [s.id, i]));

  let viewHandedOver = false;
  const dropView = () => engine.query(`DROP VIEW IF EXISTS ${quoteIdent(view)}`).then(() => undefined, () => undefined);
  const rows = `SELECT h.* FROM (${source.hourly}) h SEMI JOIN (${source.stations}) s ON h.station_id = s.id`;
  try {
    // One round trip for the whole span: the span itself is read off the rows,
    // since at start-up every query waits behind other tables loading in the
    // same DuckDB worker.
    const cols = { pm25: 'pm25', pm10: 'pm10', o3: 'o3', no2: 'no2', so2: 'so2', co: 'co' };
    const iaqis = iaqiSqlExprs(cols, 'hourly');
    // AQI = the greatest IAQI (HJ 633-2012 eq. 2; aqiSqlExpr is exactly that): taken from the IAQI columns, not computed twice.
    const hourlyT = await engine.query(
      `SELECT station_id, t, ${f32(`greatest(${POLLUTANTS.map((p) => `i_${p}`).join(', ')})`)} AS aqi,
              ${POLLUTANTS.map((p) => `${f32(`i_${p}`)} AS i_${p}`).join(', ')},
              ${POLLUTANTS.map((p) => `${f32(p)} AS ${p}`).join(', ')}
       FROM (SELECT station_id, epoch_ms(ts)::DOUBLE AS t,
                    ${POLLUTANTS.map((p) => `${iaqis[p]!} AS i_${p}`).join(', ')},
                    ${POLLUTANTS.join(', ')}
             FROM (${rows}) WHERE ts IS NOT NULL)`,
    );
    performance.measure('air-cube:hourly-query', { start: t0 });
    const tMs = hourlyT.getChild('t')!.toArray() as Float64Array;
    let minT = Infinity;
    let maxT = -Infinity;
    for (const v of tMs) {
      if (v < minT) minT = v;
      if (v > maxT) maxT = v;
    }
    if (hourlyT.numRows === 0 || n === 0 || !Number.isFinite(minT)) return emptyCube(stations);
    const startMs = Math.floor(minT / HOUR_MS) * HOUR_MS;
    const hours = Math.floor((maxT - startMs) / HOUR_MS) + 1;
    const startDayMs = Math.floor((startMs + CST_MS) / DAY_MS) * DAY_MS;
    const startDay = new Date(startDayMs).toISOString().slice(0, 10);
    const days = Math.floor((startMs + (hours - 1) * HOUR_MS + CST_MS - startDayMs) / DAY_MS) + 1;
    const hourIndex = new Int32Array(tMs.length);
    for (let r = 0; r < tMs.length; r++) hourIndex[r] = Math.floor((tMs[r]! - startMs) / HOUR_MS);

    const t1 = performance.now();
    const hourly = scatter(hourlyT, hourIndex, hours, n, index, HOURLY_FIELDS);
    performance.measure('air-cube:hourly-scatter', { start: t1 });
    const daily = nanArrays(DAILY_FIELDS, days * n);
    const cityDaily = nanArrays(DAILY_FIELDS, days);
    const dailyReady = (async () => {
      try {
        await engine.query(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS ${rows}`);
        const dailySql = dailyAqiSql({ table: view, stationCol: 'station_id', tsCol: 'ts', tz: 'Asia/Shanghai' });
        const dailyT = await engine.query(
          `SELECT station AS station_id, (datediff('day', DATE '${startDay}', day))::INTEGER AS d,
                  ${f32('aqi')} AS aqi,
                  ${POLLUTANTS.map((p) => `${f32(`iaqi_${p}`)} AS i_${p}`).join(', ')},
                  ${POLLUTANTS.map((p) => `${f32(p === 'o3' ? 'o3_8h' : p)} AS ${p}`).join(', ')}
           FROM (${dailySql})`,
        );
        scatter(dailyT, dailyT.getChild('d')!.toArray() as Int32Array, days, n, index, DAILY_FIELDS, daily);
        const cityT = await engine.query(cityDailySql(dailySql, source.stations, startDay));
        scatter(cityT, cityT.getChild('d')!.toArray() as Int32Array, days, 1, new Map([['city', 0]]), DAILY_FIELDS, cityDaily);
        performance.measure('air-cube:daily', { start: t1 });
      } finally {
        await dropView();
      }
    })();
    viewHandedOver = true;
    return { stations, startMs, hours, hourly, startDay, days, daily, dailyReady, cityDaily };
  } finally {
    if (!viewHandedOver) await dropView();
  }
}

function nanArrays<F extends string>(fields: readonly F[], length: number): Record<F, Float32Array> {
  const out = {} as Record<F, Float32Array>;
  for (const f of fields) out[f] = new Float32Array(length).fill(Number.NaN);
  return out;
}

/** Long rows (station, time index, fields…) → time-major dense arrays. */
function scatter<F extends string>(t: Table, ti: Int32Array, steps: number, n: number, index: Map<string, number>, fields: readonly F[], out = nanArrays(fields, steps * n)): Record<F, Float32Array> {
  const ids = t.getChild('station_id')!;
  const src = fields.map((f) => t.getChild(f)!.toArray() as Float32Array);
  const slot = new Int32Array(t.numRows);
  for (let r = 0; r < t.numRows; r++) {
    const s = index.get(String(ids.get(r)));
    const k = ti[r]!;
    slot[r] = s === undefined || k < 0 || k >= steps ? -1 : k * n + s;
  }
  fields.forEach((f, j) => {
    const dst = out[f];
    const col = src[j]!;
    for (let r = 0; r < slot.length; r++) if (slot[r]! >= 0) dst[slot[r]!] = col[r]!;
  });
  return out;
}

/**
 * The city's day: the mean of its non-background stations' daily
 * concentrations (HJ 663-2013 leaves 对照点 out of the city assessment), then
 * the daily IAQIs and AQI of those means. All background → all stations.
 */
function cityDailySql(dailySql: string, stationsSql: string, startDay: string): string {
  const means = { so2: 'so2', no2: 'no2', pm10: 'pm10', co: 'co', o3_8h: 'o3_8h', o3_1h: 'o3_1h', pm25: 'pm25' };
  const iaqis = iaqiSqlExprs(means, 'daily');
  const avg = (c: string) => `avg(${c}) FILTER (WHERE NOT __bg OR __all_bg)`;
  return `WITH s AS (SELECT id, coalesce(background, false) AS __bg FROM (${stationsSql})),
  d AS (SELECT d.*, coalesce(s.__bg, false) AS __bg, bool_and(coalesce(s.__bg, false)) OVER () AS __all_bg
        FROM (${dailySql}) d LEFT JOIN s ON s.id = d.station),
  c AS (SELECT day, ${['so2', 'no2', 'pm10', 'co', 'o3_8h', 'o3_1h', 'pm25'].map((p) => `${avg(p)} AS ${p}`).join(', ')} FROM d GROUP BY day)
  SELECT 'city' AS station_id, (datediff('day', DATE '${startDay}', day))::INTEGER AS d,
         ${f32(aqiSqlExpr(means, 'daily'))} AS aqi,
         ${POLLUTANTS.map((p) => `${f32(iaqis[p]!)} AS i_${p}`).join(', ')},
         ${POLLUTANTS.map((p) => `${f32(p === 'o3' ? 'o3_8h' : p)} AS ${p}`).join(', ')}
  FROM c`;
}

function emptyCube(stations: AirStation[]): AirCube {
  const none = <F extends string>(fs: readonly F[]) => Object.fromEntries(fs.map((f) => [f, new Float32Array(0)])) as Record<F, Float32Array>;
  return { stations, startMs: 0, hours: 0, hourly: none(HOURLY_FIELDS), startDay: '1970-01-01', days: 0, daily: none(DAILY_FIELDS), dailyReady: Promise.resolve(), cityDaily: none(DAILY_FIELDS) };
}

