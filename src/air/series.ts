/**
 * What the station chart draws: one station's (or the city's) series of the
 * chosen metric at the clock's step, with the reference lines that apply to
 * that averaging period. Pure: cube in, arrays out.
 */
import { POLLUTANT_INFO, hourlyAqi, type Pollutant } from '../standards/aqi';
import { referenceLines, type ReferenceAveraging } from '../standards/references';
import type { AirMetric, Lang, TimeStep } from '../state/types';
import type { AirCube, HourlyField } from './cube';

export interface SeriesSpec {
  startMs: number;
  stepMs: number;
  values: Float32Array;
  label: string;
  unit: string;
  references: { value: number; label: string; kind: 'gb' | 'who' }[];
  colourByAqi: boolean;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const CST = 8 * HOUR;

/** UTC ms of a CST day's start. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - CST;
}

/** One station's column of a time-major array. */
function column(src: Float32Array, n: number, s: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  for (let i = 0; i < steps; i++) out[i] = src[i * n + s]!;
  return out;
}

/** The city's hourly series: means over non-background stations; the AQI of those means (HJ 633-2012). */
export function cityHourly(cube: AirCube, metric: AirMetric): Float32Array {
  const n = cube.stations.length;
  const use = cube.stations.map((s) => !s.background);
  if (!use.some(Boolean)) use.fill(true);
  const mean = (field: HourlyField) => {
    const src = cube.hourly[field];
    const out = new Float32Array(cube.hours);
    for (let h = 0; h < cube.hours; h++) {
      let sum = 0;
      let k = 0;
      for (let s = 0; s < n; s++) {
        const v = src[h * n + s]!;
        if (use[s] && Number.isFinite(v)) (sum += v), k++;
      }
      out[h] = k ? sum / k : Number.NaN;
    }
    return out;
  };
  if (metric !== 'aqi') return mean(metric);
  const m = Object.fromEntries((['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const).map((p) => [p, mean(p)])) as Record<Pollutant, Float32Array>;
  const out = new Float32Array(cube.hours);
  const v = (x: number) => (Number.isFinite(x) ? x : null);
  for (let h = 0; h < cube.hours; h++) {
    const a = hourlyAqi({ pm25: v(m.pm25[h]!), pm10: v(m.pm10[h]!), o3: v(m.o3[h]!), no2: v(m.no2[h]!), so2: v(m.so2[h]!), co: v(m.co[h]!) }).aqi;
    out[h] = a ?? Number.NaN;
  }
  return out;
}

/** Reference lines for a metric at a step: the AQI's level boundaries, or GB 3095 class 2 and WHO 2021 values. */
export function referencesFor(metric: AirMetric, step: TimeStep, lang: Lang): SeriesSpec['references'] {
  if (metric === 'aqi') {
    return [{ value: 100, label: lang === 'zh' ? 'AQI 100：超过即为污染' : 'AQI 100: above is polluted', kind: 'gb' }];
  }
  // Hourly PM has no 1-hour limit: its 24-hour values are the nearest reference (and its hourly AQI uses them too).
  const avg: ReferenceAveraging = metric === 'o3' ? (step === 'day' ? '8h' : '1h') : step === 'day' || metric === 'pm25' || metric === 'pm10' ? '24h' : '1h';
  return referenceLines(metric, avg).map((r) => ({
    // The chart writes the value after the label.
    value: r.value,
    label: r.label[lang],
    kind: r.source === 'WHO 2021' ? 'who' : 'gb',
  }));
}

/** stationIndex null: the city. */
export function seriesFor(cube: AirCube, stationIndex: number | null, metric: AirMetric, step: TimeStep, lang: Lang): SeriesSpec {
  const n = cube.stations.length;
  const field: HourlyField = metric;
  let values: Float32Array;
  if (step === 'day') values = stationIndex === null ? cube.cityDaily[field].slice() : column(cube.daily[field], n, stationIndex, cube.days);
  else values = stationIndex === null ? cityHourly(cube, metric) : column(cube.hourly[field], n, stationIndex, cube.hours);
  const zh = lang === 'zh';
  const what =
    metric === 'aqi'
      ? step === 'day' ? (zh ? '日 AQI' : 'Daily AQI') : zh ? '小时 AQI' : 'Hourly AQI'
      : `${POLLUTANT_INFO[metric].symbol} ${step === 'day' ? (metric === 'o3' ? (zh ? '日最大8小时平均' : 'daily max 8-h mean') : zh ? '日均值' : 'daily mean') : zh ? '小时值' : 'hourly'}`;
  const who = stationIndex === null ? (zh ? '全市' : 'City') : cube.stations[stationIndex]!.name;
  return {
    startMs: step === 'day' ? dayStartMs(cube.startDay) : cube.startMs,
    stepMs: step === 'day' ? DAY : HOUR,
    values,
    label: `${who} · ${what}`,
    unit: metric === 'aqi' ? '' : POLLUTANT_INFO[metric].unit,
    references: referencesFor(metric, step, lang),
    colourByAqi: metric === 'aqi',
  };
}
