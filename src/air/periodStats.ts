/**
 * Period statistics of one city's (or station's) daily air-quality series:
 * the numbers of a ranking table — share of good days, means, O3 and CO
 * percentiles, days per AQI level. Pure, no DOM; values are never rounded
 * here (display rounds).
 *
 * Rules:
 * - Good day (优良天): daily AQI ≤ 100, HJ 633-2012 levels 1–2. The share is
 *   over the days that have a valid AQI, so missing days neither help nor hurt.
 * - Means are over each quantity's own valid days.
 * - O3: 90th percentile of the daily maximum 8 h mean; CO: 95th percentile of
 *   the 24 h means (HJ 663-2013 evaluation). HJ 663's percentile is
 *   k = 1 + (n − 1)·p, s = ⌊k⌋, X(s) + (X(s+1) − X(s))·(k − s) over the
 *   ascending values — the same as d3.quantile.
 * - HJ 663's minimum counts of valid days for an annual evaluation are not
 *   applied: `validDays` is returned so the display can flag thin periods.
 */
import { aqiLevel } from '../standards/aqi';

/** Values per day from `startDay` (CST 'YYYY-MM-DD'); NaN = missing. */
export interface DailyArrays {
  startDay: string;
  aqi: Float32Array;
  pm25: Float32Array;
  pm10: Float32Array;
  o3_8h: Float32Array;
  no2: Float32Array;
  so2: Float32Array;
  co: Float32Array;
}

export interface PeriodStats {
  /** Days with a valid AQI. */
  validDays: number;
  goodDays: number;
  /** goodDays / validDays; null when no day is valid. */
  goodShare: number | null;
  meanAqi: number | null;
  pm25: number | null;
  pm10: number | null;
  o3_8h_p90: number | null;
  no2: number | null;
  so2: number | null;
  co_p95: number | null;
  /** Days per level 1..6 (index 0 = level 1). */
  levelDays: number[];
  /** Days at level 5 or 6 (重度污染 and worse). */
  heavyDays: number;
}

const DAY_MS = 86_400_000;

function parseDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function formatDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Days from `startDay` to `day` (negative when `day` is earlier). Calendar days, so no time zone enters. */
export function dayIndex(startDay: string, day: string): number {
  return Math.round((parseDay(day) - parseDay(startDay)) / DAY_MS);
}

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
  return formatDay(parseDay(day) + n * DAY_MS);
}

/** Month (1..12) of the day at index `i` from `startDay`. */
export function monthOf(startDay: string, i: number): number {
  return new Date(parseDay(startDay) + i * DAY_MS).getUTCMonth() + 1;
}

/** ISO weekday of a day, Monday = 0 … Sunday = 6. */
export function weekdayMon0(day: string): number {
  return (new Date(parseDay(day)).getUTCDay() + 6) % 7;
}

/** Station feeds use −999 and similar sentinels: anything negative or non-finite is missing. */
const valid = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v >= 0;

/**
 * Percentile of HJ 663-2013 (rank method, linear between order statistics)
 * of ascending `sorted`; `p` in 0..1. null for no values.
 */
export function percentileHJ663(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const k = 1 + (n - 1) * p;
  const s = Math.floor(k);
  if (s >= n) return sorted[n - 1]!;
  const lo = sorted[s - 1]!;
  return lo + (sorted[s]! - lo) * (k - s);
}

function slice(a: Float32Array, from: number, to: number): Float32Array {
  return a.subarray(Math.max(0, from), Math.min(a.length, to + 1));
}

function mean(a: Float32Array): number | null {
  let sum = 0;
  let n = 0;
  for (const v of a) {
    if (valid(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}

function percentile(a: Float32Array, p: number): number | null {
  const xs = Float64Array.from(Array.from(a).filter(valid)).sort();
  return percentileHJ663(xs, p);
}

/** Statistics of the days `fromDay`..`toDay` (inclusive, CST); days outside the arrays count as missing. */
export function periodStats(d: DailyArrays, fromDay: string, toDay: string): PeriodStats {
  const from = dayIndex(d.startDay, fromDay);
  const to = dayIndex(d.startDay, toDay);
  const empty = new Float32Array(0);
  const part = (a: Float32Array) => (to < from ? empty : slice(a, from, to));

  const levelDays = [0, 0, 0, 0, 0, 0];
  let validDays = 0;
  let goodDays = 0;
  for (const v of part(d.aqi)) {
    if (!valid(v)) continue;
    validDays++;
    if (v <= 100) goodDays++;
    levelDays[aqiLevel(v).level - 1]!++;
  }
  return {
    validDays,
    goodDays,
    goodShare: validDays > 0 ? goodDays / validDays : null,
    meanAqi: mean(part(d.aqi)),
    pm25: mean(part(d.pm25)),
    pm10: mean(part(d.pm10)),
    o3_8h_p90: percentile(part(d.o3_8h), 0.9),
    no2: mean(part(d.no2)),
    so2: mean(part(d.so2)),
    co_p95: percentile(part(d.co), 0.95),
    levelDays,
    heavyDays: levelDays[4]! + levelDays[5]!,
  };
}
