/**
 * One step of the clock read out of a cube: the index of the hour or day, and
 * per-station values at it. Everything here is O(stations) and allocation-free
 * with a reused output array, because it runs on every step of playback.
 */
import { clockToUtcMs } from '../state/clock';
import type { AirMetric, TimeStep } from '../state/types';
import { aqiLevel } from '../standards/aqi';
import type { AirCube, HourlyField } from './cube';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Index of the clock's hour (or CST day) in the cube, or -1 outside its span. */
export function stepIndex(cube: AirCube, time: string, step: TimeStep): number {
  if (step === 'day') {
    const i = Math.round((Date.parse(`${time.slice(0, 10)}T00:00:00Z`) - Date.parse(`${cube.startDay}T00:00:00Z`)) / DAY_MS);
    return i >= 0 && i < cube.days ? i : -1;
  }
  const i = Math.round((clockToUtcMs(time) - cube.startMs) / HOUR_MS);
  return i >= 0 && i < cube.hours ? i : -1;
}

/** The index a station is coloured by: the AQI or the metric's IAQI. */
export function indexField(metric: AirMetric): HourlyField {
  return metric === 'aqi' ? 'aqi' : (`i_${metric}` as HourlyField);
}

/** Values of one field for every station at a step (NaN outside the span). */
export function frameValues(cube: AirCube, field: HourlyField, step: TimeStep, index: number, out?: Float32Array): Float32Array {
  const n = cube.stations.length;
  const dst = out && out.length === n ? out : new Float32Array(n);
  if (index < 0) return dst.fill(Number.NaN);
  const src = step === 'day' ? cube.daily[field] : cube.hourly[field];
  const base = index * n;
  for (let s = 0; s < n; s++) dst[s] = src[base + s]!;
  return dst;
}

/** Stations per AQI level 1–6 (and missing) at a step, for the legend's live line. */
export function levelCounts(values: Float32Array): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const v of values) counts[Number.isFinite(v) ? aqiLevel(v).level - 1 : 6]!++;
  return counts;
}
