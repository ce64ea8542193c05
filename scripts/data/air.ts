/**
 * Hourly air quality for 2025 at every station.
 *
 * concentration = base × seasonal(doy) × heating(doy) × diurnal(hour) × weekly(dow)
 *                 × exp(city synoptic AR(1) [+ haze episodes]) × station factor
 *                 × exp(station AR(1) + white noise)
 * - seasonal: cosine with a winter peak for PM/NO2/SO2/CO, a spring–summer
 *   peak for O3; northern cities (Jinan, Qingdao) get a heating season
 *   (Nov 15 – Mar 15) and winter haze episodes, and spring dust lowers their
 *   PM2.5/PM10 ratio.
 * - diurnal: NO2 morning (08:30) and evening (20:00) rush peaks, O3 afternoon
 *   peak (15:00), PM night-time maximum.
 * - synoptic: an AR(1) log-factor with a ~2.5-day e-folding time shared by a
 *   city's stations (weather moves whole cities), plus per-station AR(1) noise.
 * - station factor: dense stations see more NO2/CO and a little more PM, less O3.
 * Calibration: an O3 scale so O3 alone spoils a set number of days, then a PM
 * scale (bisection) so the share of days with city-mean daily AQI ≤ 100
 * (HJ 633-2012) matches the city's target (cities.ts, from the seed text).
 * About 1 % of readings are null (outages of 3–36 h, random dropouts).
 */
import type { AirCfg, CityCfg } from './cities.ts';
import { dailyAqi, max8h, meanOf, o3EightHourIaqi } from './aqi.ts';
import type { ParquetTable } from './parquet.ts';
import { MASTER_SEED, Rng } from './prng.ts';
import type { Station } from './stations.ts';

export const YEAR_START_UTC = Date.UTC(2024, 11, 31, 16); // 2025-01-01 00:00 China Standard Time
export const HOURS = 8760;
export const DAYS = 365;
/** 2025-01-01 is a Wednesday (Mon = 0). */
const FIRST_DOW = 2;

export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** Unscaled model values per station (shape), before calibration scales and rounding. */
export interface AirShapes {
  stations: Station[];
  /** [station][pollutant] → Float64Array(HOURS); NaN = missing. */
  values: Record<Pollutant, Float64Array>[];
}

const TWO_PI = 2 * Math.PI;

function g(hour: number, mu: number, sigma: number): number {
  let d = Math.abs(hour - mu);
  if (d > 12) d = 24 - d;
  return Math.exp(-(d * d) / (2 * sigma * sigma));
}

function normalised(f: (h: number) => number): number[] {
  const v = Array.from({ length: 24 }, (_, h) => f(h));
  const m = v.reduce((s, x) => s + x, 0) / 24;
  return v.map((x) => x / m);
}

export const DIURNAL: Record<Pollutant, number[]> = {
  pm25: normalised((h) => 1 + 0.14 * g(h, 22, 3.5) + 0.08 * g(h, 9, 1.5) - 0.14 * g(h, 15, 3)),
  pm10: normalised((h) => 1 + 0.12 * g(h, 22, 3.5) + 0.12 * g(h, 9, 1.5) - 0.1 * g(h, 15, 3)),
  no2: normalised((h) => 1 + 0.3 * g(h, 8.5, 1.6) + 0.4 * g(h, 20, 2.2) - 0.3 * g(h, 14, 2.5)),
  o3: normalised((h) => 0.32 + 1.5 * g(h, 15, 3.2)),
  so2: normalised((h) => 1 + 0.25 * g(h, 11, 3)),
  co: normalised((h) => 1 + 0.15 * g(h, 8.5, 1.6) + 0.22 * g(h, 20.5, 2.5) - 0.1 * g(h, 15, 3)),
};

const winter = (doy: number): number => Math.cos((TWO_PI * (doy - 10)) / 365);
const heating = (doy: number): boolean => doy >= 318 || doy <= 73;

class Ar1 {
  private x = 0;
  constructor(
    private readonly rng: Rng,
    private readonly phi: number,
    private readonly sigma: number,
  ) {
    this.x = rng.normal() * sigma;
  }
  next(sigmaScale = 1): number {
    this.x = this.phi * this.x + Math.sqrt(1 - this.phi * this.phi) * this.sigma * sigmaScale * this.rng.normal();
    return this.x;
  }
}

/** City-wide synoptic log-factors (PM/NO2 weather and O3 photochemistry), shared by all stations. */
export function synoptic(cityId: string, air: AirCfg): { met: Float64Array; o3: Float64Array } {
  const rng = new Rng(`${MASTER_SEED}/${cityId}/air-synoptic`);
  const met = new Float64Array(HOURS);
  const o3 = new Float64Array(HOURS);
  const ar = new Ar1(rng, Math.exp(-1 / air.synopticTauH), air.synopticSigma);
  const arO3 = new Ar1(rng, Math.exp(-1 / 40), 0.22);
  for (let h = 0; h < HOURS; h++) {
    const doy = Math.floor(h / 24);
    // Wider swings in winter in the north (stagnation vs. cold fronts).
    const s = air.north ? 1 + 0.25 * winter(doy) : 1 + 0.1 * winter(doy);
    met[h] = ar.next(s);
    o3[h] = arO3.next();
  }
  // Winter haze episodes (northern cities): 2–5 day raised-cosine bumps in the heating season.
  const nEp = air.north ? 7 : 1;
  for (let e = 0; e < nEp; e++) {
    let startDay = rng.int(120);
    startDay = startDay < 74 ? startDay : 318 + (startDay - 74); // Jan 1 – Mar 15 or Nov 15 – Dec 31
    const len = Math.round(rng.range(2, 5) * 24);
    const amp = air.north ? rng.range(0.4, 0.9) : rng.range(0.15, 0.35);
    for (let k = 0; k < len; k++) {
      const h = startDay * 24 + k;
      if (h >= HOURS) break;
      met[h] = (met[h] as number) + amp * 0.5 * (1 - Math.cos((TWO_PI * k) / len));
    }
  }
  return { met, o3 };
}

export function airShapes(city: CityCfg, stations: Station[]): AirShapes {
  const air = city.air;
  const syn = synoptic(city.id, air);
  const values: Record<Pollutant, Float64Array>[] = [];
  for (const st of stations) {
    const rng = new Rng(`${MASTER_SEED}/${city.id}/air/${st.id}`);
    const u = st.urbanity;
    const fPm = st.background ? 0.82 : 0.92 + 0.16 * u;
    const fNo2 = st.background ? 0.35 : 0.55 + 0.7 * u;
    const fO3 = st.background ? 1.18 : 1.12 - 0.22 * u;
    const fCo = st.background ? 0.75 : 0.85 + 0.3 * u;
    const fSo2 = st.background ? 0.7 : 0.85 + 0.3 * rng.next();
    const arPm = new Ar1(rng, Math.exp(-1 / 8), 0.14);
    const arNo2 = new Ar1(rng, Math.exp(-1 / 5), 0.18);
    const arO3 = new Ar1(rng, Math.exp(-1 / 6), 0.1);
    const arSo2 = new Ar1(rng, Math.exp(-1 / 10), 0.2);
    const v = {
      pm25: new Float64Array(HOURS),
      pm10: new Float64Array(HOURS),
      o3: new Float64Array(HOURS),
      no2: new Float64Array(HOURS),
      so2: new Float64Array(HOURS),
      co: new Float64Array(HOURS),
    };
    for (let h = 0; h < HOURS; h++) {
      const doy = Math.floor(h / 24);
      const hour = h % 24;
      const dow = (FIRST_DOW + doy) % 7;
      const weekend = dow >= 5;
      const w = winter(doy);
      const heat = air.north && heating(doy);
      const met = Math.exp((syn.met[h] as number) - (air.synopticSigma * air.synopticSigma) / 2);
      const nPm = Math.exp(arPm.next() + 0.05 * rng.normal());
      const pm25 =
        air.pm25Base * (1 + air.pmSeasonAmp * w) * (heat ? 1.22 : 1) * (DIURNAL.pm25[hour] as number) * met * fPm * nPm;
      let ratio = air.pmRatio + 0.06 * w;
      if (air.north && doy >= 60 && doy <= 140) ratio *= 0.82; // spring dust: coarser particles
      ratio = Math.min(0.92, Math.max(0.3, ratio * Math.exp(0.07 * rng.normal())));
      const pm10 = (pm25 / ratio) * ((DIURNAL.pm10[hour] as number) / (DIURNAL.pm25[hour] as number));
      const nNo2 = Math.exp(arNo2.next() + 0.06 * rng.normal());
      const no2 =
        air.no2Base * (1 + 0.3 * w) * (DIURNAL.no2[hour] as number) * (weekend ? 0.9 : 1) * Math.pow(met, 0.6) * fNo2 * nNo2;
      const so2 =
        air.so2Base *
        (1 + 0.35 * w) *
        (heat ? 1.6 : 1) *
        (DIURNAL.so2[hour] as number) *
        Math.pow(met, 0.5) *
        fSo2 *
        Math.exp(arSo2.next());
      const co =
        air.coBase * (1 + 0.3 * w) * (heat ? 1.25 : 1) * (DIURNAL.co[hour] as number) * Math.pow(met, 0.7) * fCo * Math.exp(0.6 * Math.log(nNo2));
      const so = Math.cos((TWO_PI * (doy - air.o3PeakDay)) / 365);
      // Titration: more NO2 than usual → a little less O3.
      const titration = Math.pow((air.no2Base * fNo2) / Math.max(1, no2), 0.15);
      const o3 =
        air.o3Base *
        (1 + air.o3SeasonAmp * so) *
        (DIURNAL.o3[hour] as number) *
        Math.exp((syn.o3[h] as number) - 0.024) *
        fO3 *
        titration *
        Math.exp(arO3.next() + 0.05 * rng.normal());
      v.pm25[h] = pm25;
      v.pm10[h] = pm10;
      v.no2[h] = no2;
      v.so2[h] = so2;
      v.co[h] = co;
      v.o3[h] = o3;
    }
    // Missing readings: 2–4 outages (all pollutants) of 3–36 h, plus 0.3 % random dropouts per pollutant.
    const outages = 2 + rng.int(3);
    for (let k = 0; k < outages; k++) {
      const start = rng.int(HOURS - 40);
      const len = 3 + rng.int(34);
      for (let h = start; h < start + len; h++) for (const p of POLLUTANTS) v[p][h] = Number.NaN;
    }
    for (const p of POLLUTANTS) for (let h = 0; h < HOURS; h++) if (rng.chance(0.003)) v[p][h] = Number.NaN;
    values.push(v);
  }
  return { stations, values };
}

/** Rounding as published: µg/m³ to 1, CO (mg/m³) to 0.1, with small floors. */
export function roundValue(p: Pollutant, x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (p === 'co') return Math.max(0.1, Math.round(x * 10) / 10);
  return Math.max(p === 'o3' ? 2 : 1, Math.round(x));
}

export interface Scales {
  pm: number;
  o3: number;
}

export function scaledValue(p: Pollutant, x: number, s: Scales): number {
  const k = p === 'pm25' || p === 'pm10' ? s.pm : p === 'o3' ? s.o3 : 1;
  return roundValue(p, x * k);
}

/** City-mean hourly series (mean over stations of the rounded values). */
function cityHourly(shapes: AirShapes, p: Pollutant, s: Scales): Float64Array {
  const out = new Float64Array(HOURS);
  for (let h = 0; h < HOURS; h++) {
    let sum = 0;
    let n = 0;
    for (const v of shapes.values) {
      const x = scaledValue(p, v[p][h] as number, s);
      if (!Number.isNaN(x)) {
        sum += x;
        n++;
      }
    }
    out[h] = n ? sum / n : Number.NaN;
  }
  return out;
}

export interface DailyCity {
  aqi: number[];
  o3Exceed: number;
  means: Record<Pollutant, number>;
}

/** City-mean daily AQI for every day of the year. */
export function dailyCity(shapes: AirShapes, s: Scales): DailyCity {
  const series = {} as Record<Pollutant, Float64Array>;
  for (const p of POLLUTANTS) series[p] = cityHourly(shapes, p, s);
  const aqi: number[] = [];
  let o3Exceed = 0;
  for (let d = 0; d < DAYS; d++) {
    const a = d * 24;
    const day = {
      pm25: meanOf(series.pm25, a, a + 24),
      pm10: meanOf(series.pm10, a, a + 24),
      so2: meanOf(series.so2, a, a + 24),
      no2: meanOf(series.no2, a, a + 24),
      co: meanOf(series.co, a, a + 24),
      o3_8h: max8h(series.o3, a),
    };
    aqi.push(dailyAqi(day));
    if (o3EightHourIaqi(day.o3_8h) > 100) o3Exceed++;
  }
  const means = {} as Record<Pollutant, number>;
  for (const p of POLLUTANTS) means[p] = meanOf(series[p], 0, HOURS);
  return { aqi, o3Exceed, means };
}

export function goodShare(daily: DailyCity): number {
  return daily.aqi.filter((a) => a <= 100).length / daily.aqi.length;
}

function bisect(f: (k: number) => number, target: number, lo: number, hi: number, decreasing: boolean): number {
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    const v = f(mid);
    if (decreasing ? v > target : v < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function calibrate(shapes: AirShapes, air: AirCfg): { scales: Scales; daily: DailyCity } {
  const badDays = Math.round(DAYS * (1 - air.goodDayTarget));
  const o3Days = Math.max(1, Math.round(badDays * air.o3ShareOfBadDays));
  // O3 first (PM scale irrelevant for O3 exceedances): count of days with O3-8h IAQI > 100.
  const o3Scale = bisect((k) => dailyCity(shapes, { pm: 0.01, o3: k }).o3Exceed, o3Days, 0.3, 3, false);
  // Then PM: good-day share decreases with the PM scale.
  const pmScale = bisect((k) => goodShare(dailyCity(shapes, { pm: k, o3: o3Scale })), air.goodDayTarget, 0.1, 5, true);
  const scales = { pm: pmScale, o3: o3Scale };
  return { scales, daily: dailyCity(shapes, scales) };
}

export function airTable(shapes: AirShapes, s: Scales): ParquetTable {
  const n = shapes.stations.length * HOURS;
  const stationId: string[] = new Array(n);
  const ts: number[] = new Array(n);
  const cols = {} as Record<Pollutant, (number | null)[]>;
  for (const p of POLLUTANTS) cols[p] = new Array(n);
  let r = 0;
  shapes.stations.forEach((st, si) => {
    const v = shapes.values[si] as Record<Pollutant, Float64Array>;
    for (let h = 0; h < HOURS; h++, r++) {
      stationId[r] = st.id;
      ts[r] = YEAR_START_UTC + h * 3600_000;
      for (const p of POLLUTANTS) {
        const x = scaledValue(p, v[p][h] as number, s);
        cols[p][r] = Number.isNaN(x) ? null : Math.fround(x);
      }
    }
  });
  return {
    columns: [
      { name: 'station_id', kind: 'STRING', data: stationId },
      { name: 'ts', kind: 'TIMESTAMP', data: ts },
      ...POLLUTANTS.map((p) => ({ name: p, kind: 'FLOAT' as const, data: cols[p] })),
    ],
  };
}
