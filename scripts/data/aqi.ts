/**
 * Daily AQI for calibrating the modelled air series. The breakpoints and rules
 * are the app's own (src/standards/aqi.ts, HJ 633-2012): standards live in one
 * module, so the data build and the app can never disagree.
 */
import { dailyAqi as standardDailyAqi, iaqi as standardIaqi } from '../../src/standards/aqi.ts';

export interface DailyMeans {
  pm25: number;
  pm10: number;
  so2: number;
  no2: number;
  co: number;
  /** Daily maximum of the 8-hour rolling mean. */
  o3_8h: number;
}

const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** Daily AQI per HJ 633-2012; 0 when every input is missing. */
export function dailyAqi(d: DailyMeans): number {
  return (
    standardDailyAqi({
      pm25: orNull(d.pm25),
      pm10: orNull(d.pm10),
      so2: orNull(d.so2),
      no2: orNull(d.no2),
      co: orNull(d.co),
      o3_8h: orNull(d.o3_8h),
    }).aqi ?? 0
  );
}

/** IAQI of a daily maximum 8-hour O3 mean; 0 when missing. */
export function o3EightHourIaqi(c: number): number {
  return standardIaqi('o3', '8h', orNull(c)) ?? 0;
}

/** Mean of the non-null values, NaN if none. */
export function meanOf(values: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : Number.NaN;
}

/**
 * Maximum 8-hour rolling mean within a day (windows 00–07 … 16–23 local),
 * each window needing at least 6 valid hours.
 */
export function max8h(hourly: ArrayLike<number>, dayStart: number): number {
  let best = Number.NaN;
  for (let w = 0; w <= 16; w++) {
    let s = 0;
    let n = 0;
    for (let k = 0; k < 8; k++) {
      const v = hourly[dayStart + w + k] as number;
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
    if (n >= 6 && !(s / n <= best)) best = s / n;
  }
  return best;
}
