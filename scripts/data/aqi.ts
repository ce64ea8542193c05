/**
 * Daily AQI per HJ 633-2012, implemented here only to calibrate the modelled
 * air series (the app has its own module in src/standards). Breakpoints from
 * ../shared/docs/standards.md: 24 h tables for PM2.5, PM10, SO2, NO2, CO and
 * the 8 h table for O3 (daily maximum 8-hour rolling mean).
 */

const IAQI = [0, 50, 100, 150, 200, 300, 400, 500];

export const BREAKPOINTS_24H: Record<'pm25' | 'pm10' | 'so2' | 'no2' | 'co' | 'o3_8h', number[]> = {
  so2: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  no2: [0, 40, 80, 180, 280, 565, 750, 940],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  co: [0, 2, 4, 14, 24, 36, 48, 60],
  // O3 8 h above 800 uses the 1 h table; capped here (never reached by the model).
  o3_8h: [0, 100, 160, 215, 265, 800, 800, 800],
  pm25: [0, 35, 75, 115, 150, 250, 350, 500],
};

/** Individual AQI, rounded up; 500 above the top breakpoint. */
export function iaqi(c: number, bp: number[]): number {
  if (!(c >= 0)) return 0;
  for (let i = 1; i < bp.length; i++) {
    const hi = bp[i] as number;
    const lo = bp[i - 1] as number;
    if (c <= hi && hi > lo) {
      const ihi = IAQI[i] as number;
      const ilo = IAQI[i - 1] as number;
      return Math.ceil(((ihi - ilo) / (hi - lo)) * (c - lo) + ilo);
    }
  }
  return 500;
}

export interface DailyMeans {
  pm25: number;
  pm10: number;
  so2: number;
  no2: number;
  co: number;
  /** Daily maximum of the 8-hour rolling mean. */
  o3_8h: number;
}

export function dailyAqi(d: DailyMeans): number {
  return Math.max(
    iaqi(d.pm25, BREAKPOINTS_24H.pm25),
    iaqi(d.pm10, BREAKPOINTS_24H.pm10),
    iaqi(d.so2, BREAKPOINTS_24H.so2),
    iaqi(d.no2, BREAKPOINTS_24H.no2),
    iaqi(d.co, BREAKPOINTS_24H.co),
    iaqi(d.o3_8h, BREAKPOINTS_24H.o3_8h),
  );
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
