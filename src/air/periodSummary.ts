/**
 * Each station over a chosen period, asked of DuckDB: the mean of the hourly
 * values of the metric, the mean of its hourly index (the AQI, or the
 * pollutant's IAQI: what the map colours by), the hours with a reading and
 * the hours above AQI 100. This is what the map shows when a planner brushes
 * a period on the station series (issue #9's cross-filter): a query over the
 * rows, bounded by the period, rather than a walk over the cube, so an
 * imported or remote source answers the same way.
 *
 * Means of hourly values are a summary, not an assessment under GB 3095 or
 * HJ 663 (those need daily and annual statistics with validity rules): the
 * legend and the tooltip say so.
 */
import { POLLUTANTS } from '../standards/aqi';
import { iaqiSqlExprs } from '../standards/aqiSql';
import type { QuerySpec } from '../layers/types';
import type { AirMetric } from '../state/types';
import type { AirSource } from './cube';

const HOUR_MS = 3_600_000;
const CST_MS = 8 * HOUR_MS;

/** UTC ms of the first and last hour of a CST day range (inclusive). */
export function periodBoundsMs(from: string, to: string): [number, number] {
  const a = Date.parse(`${from}T00:00:00Z`) - CST_MS;
  const b = Date.parse(`${to}T23:00:00Z`) - CST_MS;
  if (!Number.isFinite(a) || !Number.isFinite(b) || a > b) throw new Error(`invalid period ${from}..${to}`);
  return [a, b];
}

/** Hours in a CST day range. */
export const periodHours = (from: string, to: string) => {
  const [a, b] = periodBoundsMs(from, to);
  return (b - a) / HOUR_MS + 1;
};

/**
 * One row per station of the source that has readings in the period:
 * station_id, mean (metric's unit; AQI has none), idx (mean hourly AQI or
 * IAQI), hours (hours with a value of the metric), polluted (hours with
 * AQI > 100). Values are bound, the source's SQL is trusted (built by the app).
 */
export function periodSummaryQuery(source: AirSource, metric: AirMetric, from: string, to: string): QuerySpec {
  const [a, b] = periodBoundsMs(from, to);
  const cols = Object.fromEntries(POLLUTANTS.map((p) => [p, p]));
  const iaqis = iaqiSqlExprs(cols, 'hourly');
  const aqi = `greatest(${POLLUTANTS.map((p) => `i_${p}`).join(', ')})`;
  const value = metric === 'aqi' ? 'aqi' : metric;
  const idx = metric === 'aqi' ? 'aqi' : `i_${metric}`;
  return {
    sql: `WITH h AS (
            SELECT station_id, ${POLLUTANTS.join(', ')}, ${POLLUTANTS.map((p) => `${iaqis[p]!} AS i_${p}`).join(', ')}
            FROM (${source.hourly}) WHERE epoch_ms(ts) BETWEEN ? AND ?),
          a AS (SELECT *, ${aqi} AS aqi FROM h)
          SELECT CAST(station_id AS VARCHAR) AS station_id,
                 avg(${value})::DOUBLE AS mean, avg(${idx})::DOUBLE AS idx,
                 count(${value})::INTEGER AS hours,
                 count(*) FILTER (WHERE aqi > 100)::INTEGER AS polluted
          FROM a GROUP BY station_id ORDER BY station_id`,
    params: [a, b],
  };
}

export interface PeriodRow {
  station_id: string;
  mean: number | null;
  idx: number | null;
  hours: number;
  polluted: number;
}

/** Per-station arrays in the cube's station order (NaN / 0 for a station without rows). */
export interface PeriodFrame {
  from: string;
  to: string;
  metric: AirMetric;
  totalHours: number;
  mean: Float32Array;
  idx: Float32Array;
  hours: Int32Array;
  polluted: Int32Array;
}

export function periodFrame(stationIds: readonly string[], rows: readonly PeriodRow[], metric: AirMetric, from: string, to: string): PeriodFrame {
  const n = stationIds.length;
  const at = new Map(stationIds.map((id, i) => [id, i]));
  const f: PeriodFrame = {
    from,
    to,
    metric,
    totalHours: periodHours(from, to),
    mean: new Float32Array(n).fill(Number.NaN),
    idx: new Float32Array(n).fill(Number.NaN),
    hours: new Int32Array(n),
    polluted: new Int32Array(n),
  };
  for (const r of rows) {
    const i = at.get(String(r.station_id));
    if (i === undefined) continue;
    f.mean[i] = r.mean ?? Number.NaN;
    f.idx[i] = r.idx ?? Number.NaN;
    f.hours[i] = Number(r.hours);
    f.polluted[i] = Number(r.polluted);
  }
  return f;
}
