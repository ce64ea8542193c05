/**
 * China's Air Quality Index, HJ 633-2012 《环境空气质量指数（AQI）技术规定（试行）》.
 * Breakpoint tables, the individual index (IAQI), hourly and daily AQI, the
 * six levels and their official colours — pure data and pure functions.
 * Source of truth: shared/docs/standards.md ("Air quality: China AQI").
 *
 * Never mix with US EPA AQI code or palettes: the tables, the rounding and the
 * colours differ (standards.md).
 *
 * Edge-case decisions (tested in aqi.test.ts, mirrored exactly in aqiSql.ts):
 * - **Rounding**: IAQI = ceil(I_lo + (I_hi − I_lo)·(C − BP_lo)/(BP_hi − BP_lo)).
 *   A tolerance of {@link IAQI_EPSILON} (1e-9) is subtracted before the ceiling
 *   so that floating-point noise on an exact integer (e.g. 100.00000000000001)
 *   does not round up to the next integer. Real concentrations (≤ 3 decimals)
 *   are never within 1e-9 of an integer index without being on it.
 * - **Breakpoint edges**: a concentration equal to a breakpoint belongs to the
 *   lower segment, so its IAQI is exactly that breakpoint's index (PM2.5 24 h
 *   35 → 50, 35.1 → 51, 75 → 100). 0 → 0.
 * - **Above the top of a table**: IAQI 500 and `beyondTable: true` (the index
 *   is capped, the concentration is not). AQI is therefore at most 500.
 * - **SO2 1 h above 800 µg/m³**: HJ 633 says report the SO2 IAQI from the 24 h
 *   mean instead. {@link hourlyAqi} uses `so2_24h` when the reading carries a
 *   valid one; otherwise (and in the bare {@link iaqi} call) the 24 h
 *   breakpoints are applied to the 1 h concentration. Both are flagged
 *   `substituted`. The fallback is continuous at 800 (both tables give 200).
 * - **O3 8 h above 800 µg/m³**: report the O3 IAQI from the 1 h value instead.
 *   {@link dailyAqi} uses `o3_1h` (the day's maximum hourly value) when valid;
 *   otherwise the 1 h breakpoints are applied to the 8 h concentration
 *   (continuous at 800: both give 300). Flagged `substituted`.
 * - **PM2.5 / PM10 hourly**: no 1 h table exists; `iaqi('pm25', '1h', c)` and
 *   hourly AQI apply the 24 h breakpoints to the hourly concentration.
 * - **Missing values**: null, undefined, NaN, ±Infinity and any negative number
 *   (the −999 / −9999 sentinels of station feeds) → IAQI null, never 0. AQI is
 *   the largest non-null IAQI; null when every IAQI is null.
 */

/** Pollutants in the order of HJ 633-2012 table 1 (also the order ties are listed in). */
export type Pollutant = 'so2' | 'no2' | 'pm10' | 'co' | 'o3' | 'pm25';
export const POLLUTANTS: readonly Pollutant[] = ['so2', 'no2', 'pm10', 'co', 'o3', 'pm25'];

export type Averaging = '1h' | '8h' | '24h';

export interface PollutantInfo {
  id: Pollutant;
  name: { zh: string; en: string };
  /** Display symbol with subscripts. */
  symbol: string;
  unit: 'µg/m³' | 'mg/m³';
}

export const POLLUTANT_INFO: Readonly<Record<Pollutant, PollutantInfo>> = {
  so2: { id: 'so2', name: { zh: '二氧化硫', en: 'Sulphur dioxide' }, symbol: 'SO₂', unit: 'µg/m³' },
  no2: { id: 'no2', name: { zh: '二氧化氮', en: 'Nitrogen dioxide' }, symbol: 'NO₂', unit: 'µg/m³' },
  pm10: { id: 'pm10', name: { zh: '可吸入颗粒物', en: 'Particulate matter ≤ 10 µm' }, symbol: 'PM10', unit: 'µg/m³' },
  co: { id: 'co', name: { zh: '一氧化碳', en: 'Carbon monoxide' }, symbol: 'CO', unit: 'mg/m³' },
  o3: { id: 'o3', name: { zh: '臭氧', en: 'Ozone' }, symbol: 'O₃', unit: 'µg/m³' },
  pm25: { id: 'pm25', name: { zh: '细颗粒物', en: 'Fine particulate matter ≤ 2.5 µm' }, symbol: 'PM2.5', unit: 'µg/m³' },
};

/** The IAQI column headings of HJ 633-2012 table 1. */
export const IAQI_STEPS: readonly number[] = [0, 50, 100, 150, 200, 300, 400, 500];

export type TableKey =
  | 'so2_24h'
  | 'so2_1h'
  | 'no2_24h'
  | 'no2_1h'
  | 'pm10_24h'
  | 'co_24h'
  | 'co_1h'
  | 'o3_1h'
  | 'o3_8h'
  | 'pm25_24h';

export interface BreakpointTable {
  key: TableKey;
  pollutant: Pollutant;
  averaging: Averaging;
  /** Concentration limit BP at IAQI_STEPS[i]; shorter than IAQI_STEPS when the table stops early. */
  breakpoints: readonly number[];
  /** Where the table stops early: "above the last breakpoint, use this table's IAQI instead". */
  above?: { use: TableKey };
}

/**
 * HJ 633-2012 table 1 (空气质量分指数及对应的污染物项目浓度限值), as in
 * standards.md. µg/m³, CO mg/m³.
 */
export const BREAKPOINTS: Readonly<Record<TableKey, BreakpointTable>> = {
  // HJ 633-2012 table 1: SO2 24 h mean
  so2_24h: { key: 'so2_24h', pollutant: 'so2', averaging: '24h', breakpoints: [0, 50, 150, 475, 800, 1600, 2100, 2620] },
  // HJ 633-2012 table 1 + note (1): SO2 1 h mean; above 800 the 24 h IAQI is reported
  so2_1h: { key: 'so2_1h', pollutant: 'so2', averaging: '1h', breakpoints: [0, 150, 500, 650, 800], above: { use: 'so2_24h' } },
  // HJ 633-2012 table 1: NO2 24 h mean
  no2_24h: { key: 'no2_24h', pollutant: 'no2', averaging: '24h', breakpoints: [0, 40, 80, 180, 280, 565, 750, 940] },
  // HJ 633-2012 table 1: NO2 1 h mean
  no2_1h: { key: 'no2_1h', pollutant: 'no2', averaging: '1h', breakpoints: [0, 100, 200, 700, 1200, 2340, 3090, 3840] },
  // HJ 633-2012 table 1: PM10 24 h mean
  pm10_24h: { key: 'pm10_24h', pollutant: 'pm10', averaging: '24h', breakpoints: [0, 50, 150, 250, 350, 420, 500, 600] },
  // HJ 633-2012 table 1: CO 24 h mean (mg/m³)
  co_24h: { key: 'co_24h', pollutant: 'co', averaging: '24h', breakpoints: [0, 2, 4, 14, 24, 36, 48, 60] },
  // HJ 633-2012 table 1: CO 1 h mean (mg/m³)
  co_1h: { key: 'co_1h', pollutant: 'co', averaging: '1h', breakpoints: [0, 5, 10, 35, 60, 90, 120, 150] },
  // HJ 633-2012 table 1: O3 1 h mean
  o3_1h: { key: 'o3_1h', pollutant: 'o3', averaging: '1h', breakpoints: [0, 160, 200, 300, 400, 800, 1000, 1200] },
  // HJ 633-2012 table 1 + note (2): O3 8 h rolling mean; above 800 the 1 h IAQI is reported
  o3_8h: { key: 'o3_8h', pollutant: 'o3', averaging: '8h', breakpoints: [0, 100, 160, 215, 265, 800], above: { use: 'o3_1h' } },
  // HJ 633-2012 table 1: PM2.5 24 h mean
  pm25_24h: { key: 'pm25_24h', pollutant: 'pm25', averaging: '24h', breakpoints: [0, 35, 75, 115, 150, 250, 350, 500] },
};

/** Subtracted before the ceiling to absorb floating-point noise (see the module comment). */
export const IAQI_EPSILON = 1e-9;

/** One linear piece of a breakpoint table: (cLo, cHi] → (iLo, iHi]. */
export interface Segment {
  cLo: number;
  cHi: number;
  iLo: number;
  iHi: number;
}

/** The linear pieces of a table, lowest first. Shared by the JS and SQL implementations. */
export function segments(key: TableKey): Segment[] {
  const bp = BREAKPOINTS[key].breakpoints;
  const out: Segment[] = [];
  for (let i = 1; i < bp.length; i++) {
    out.push({ cLo: bp[i - 1]!, cHi: bp[i]!, iLo: IAQI_STEPS[i - 1]!, iHi: IAQI_STEPS[i]! });
  }
  return out;
}

/** Top concentration of a table (its last breakpoint). */
export function tableTop(key: TableKey): number {
  const bp = BREAKPOINTS[key].breakpoints;
  return bp[bp.length - 1]!;
}

/**
 * Which table a (pollutant, averaging) pair reads. PM2.5 and PM10 have no 1 h
 * table: hourly products apply the 24 h breakpoints (standards.md). Any other
 * pair without a table (e.g. SO2 8 h) is a programming error and throws.
 */
export function resolveTable(pollutant: Pollutant, averaging: Averaging): TableKey {
  if ((pollutant === 'pm25' || pollutant === 'pm10') && averaging === '1h') return `${pollutant}_24h`;
  const key = `${pollutant}_${averaging}`;
  if (!(key in BREAKPOINTS)) throw new Error(`HJ 633-2012 has no ${averaging} table for ${pollutant}`);
  return key as TableKey;
}

/** Is this a usable concentration? null/undefined/NaN/±Infinity/negative (−999, −9999 sentinels) are missing. */
export function isValidConcentration(c: number | null | undefined): c is number {
  return typeof c === 'number' && Number.isFinite(c) && c >= 0;
}

/** The linear interpolation of one segment, rounded up (ceil after subtracting IAQI_EPSILON). */
export function interpolateIaqi(s: Segment, c: number): number {
  const v = s.iLo + ((s.iHi - s.iLo) * (c - s.cLo)) / (s.cHi - s.cLo);
  const r = Math.ceil(v - IAQI_EPSILON);
  return r === 0 ? 0 : r; // no −0
}

export interface IaqiDetail {
  iaqi: number;
  /** The table that produced the number (differs from the requested one when substituted). */
  table: TableKey;
  /** Concentration was above the last breakpoint of the table used: IAQI capped at 500. */
  beyondTable: boolean;
  /** The SO2 1 h > 800 or O3 8 h > 800 rule switched to the other averaging period. */
  substituted: boolean;
}

function iaqiFromTable(key: TableKey, c: number): { iaqi: number; beyondTable: boolean } {
  for (const s of segments(key)) {
    if (c <= s.cHi) return { iaqi: interpolateIaqi(s, c), beyondTable: false };
  }
  return { iaqi: 500, beyondTable: true };
}

/**
 * IAQI with the rule that produced it, or null for a missing concentration.
 * `substitute` is the other period's concentration for the SO2 1 h / O3 8 h
 * "above 800" rules (SO2: the 24 h mean; O3: the 1 h value); when it is
 * missing the other table is applied to `concentration` itself.
 */
export function iaqiDetail(
  pollutant: Pollutant,
  averaging: Averaging,
  concentration: number | null | undefined,
  substitute?: number | null,
): IaqiDetail | null {
  const key = resolveTable(pollutant, averaging);
  if (!isValidConcentration(concentration)) return null;
  const table = BREAKPOINTS[key];
  if (table.above && concentration > tableTop(key)) {
    const other = table.above.use;
    const c = isValidConcentration(substitute) ? substitute : concentration;
    return { ...iaqiFromTable(other, c), table: other, substituted: true };
  }
  return { ...iaqiFromTable(key, concentration), table: key, substituted: false };
}

/** Individual AQI (integer 0–500) of one concentration, or null when missing. See the module comment for the edge rules. */
export function iaqi(pollutant: Pollutant, averaging: Averaging, concentration: number | null | undefined): number | null {
  return iaqiDetail(pollutant, averaging, concentration)?.iaqi ?? null;
}

// ---------------------------------------------------------------------------
// Levels (HJ 633-2012 table 2)

export type AqiLevelId = 1 | 2 | 3 | 4 | 5 | 6;

export interface AqiLevelInfo {
  level: AqiLevelId;
  /** AQI range [lo, hi]; hi null for the open top level. */
  range: [number, number | null];
  name: { zh: string; en: string };
  /** Official HJ 633-2012 colour (not the US EPA palette). */
  colour: string;
}

/** HJ 633-2012 table 2: AQI levels, categories and colours (standards.md). */
export const AQI_LEVELS: readonly AqiLevelInfo[] = [
  { level: 1, range: [0, 50], name: { zh: '优', en: 'Excellent' }, colour: '#00E400' },
  { level: 2, range: [51, 100], name: { zh: '良', en: 'Good' }, colour: '#FFFF00' },
  { level: 3, range: [101, 150], name: { zh: '轻度污染', en: 'Lightly polluted' }, colour: '#FF7E00' },
  { level: 4, range: [151, 200], name: { zh: '中度污染', en: 'Moderately polluted' }, colour: '#FF0000' },
  { level: 5, range: [201, 300], name: { zh: '重度污染', en: 'Heavily polluted' }, colour: '#99004C' },
  { level: 6, range: [301, null], name: { zh: '严重污染', en: 'Severely polluted' }, colour: '#7E0023' },
];

/**
 * Level of an AQI value: ≤ 50 → 1, ≤ 100 → 2, ≤ 150 → 3, ≤ 200 → 4, ≤ 300 → 5,
 * above → 6 (a non-integer such as 50.5 falls in the level above 50).
 * null/undefined → null; NaN or a negative number throws (an AQI is never one).
 */
export function aqiLevel(aqi: number): AqiLevelInfo;
export function aqiLevel(aqi: number | null | undefined): AqiLevelInfo | null;
export function aqiLevel(aqi: number | null | undefined): AqiLevelInfo | null {
  if (aqi === null || aqi === undefined) return null;
  if (Number.isNaN(aqi) || aqi < 0) throw new RangeError(`not an AQI: ${aqi}`);
  for (const l of AQI_LEVELS) {
    const hi = l.range[1];
    if (hi === null || aqi <= hi) return l;
  }
  return AQI_LEVELS[AQI_LEVELS.length - 1]!;
}

// ---------------------------------------------------------------------------
// Hourly and daily AQI

type Maybe = number | null | undefined;

/**
 * One hour at one station (real-time report). Concentrations are 1 h means;
 * `so2_24h` (optional) is the 24 h mean used only when SO2 1 h > 800.
 */
export interface HourlyReadings {
  pm25?: Maybe;
  pm10?: Maybe;
  so2?: Maybe;
  no2?: Maybe;
  co?: Maybe;
  o3?: Maybe;
  so2_24h?: Maybe;
}

/**
 * One day at one station (daily report): 24 h means of PM2.5, PM10, SO2, NO2,
 * CO; `o3_8h` the day's maximum 8-hour rolling mean; `o3_1h` the day's
 * maximum 1 h value (used when O3 8 h > 800, and as its own indicator with
 * `o3OneHourIndicator`).
 */
export interface DailyReadings {
  pm25?: Maybe;
  pm10?: Maybe;
  so2?: Maybe;
  no2?: Maybe;
  co?: Maybe;
  o3_8h?: Maybe;
  o3_1h?: Maybe;
}

export interface AqiResult {
  /** Largest IAQI; null when every IAQI is null. */
  aqi: number | null;
  /** Level 1–6 of `aqi`; null when `aqi` is null. */
  level: AqiLevelId | null;
  /** Name and colour of the level. */
  levelInfo: AqiLevelInfo | null;
  /** 首要污染物: pollutants whose IAQI equals the AQI, only when AQI > 50 (several on a tie), in {@link POLLUTANTS} order. */
  primary: Pollutant[];
  /** 超标污染物: pollutants with IAQI > 100. */
  exceeding: Pollutant[];
  iaqi: Record<Pollutant, number | null>;
  /** Pollutants whose concentration was above the top of their table (IAQI capped at 500). */
  beyondTable: Pollutant[];
  /** Pollutants whose IAQI came from the other averaging period (SO2 1 h > 800, O3 8 h > 800). */
  substituted: Pollutant[];
}

/** Combine per-pollutant IAQIs into AQI, level, primary and exceeding pollutants. */
export function combineIaqi(details: Record<Pollutant, IaqiDetail | null>): AqiResult {
  const iaqiRec = {} as Record<Pollutant, number | null>;
  let aqi: number | null = null;
  for (const p of POLLUTANTS) {
    const v = details[p]?.iaqi ?? null;
    iaqiRec[p] = v;
    if (v !== null && (aqi === null || v > aqi)) aqi = v;
  }
  const primary = aqi !== null && aqi > 50 ? POLLUTANTS.filter((p) => iaqiRec[p] === aqi) : [];
  const exceeding = POLLUTANTS.filter((p) => (iaqiRec[p] ?? 0) > 100);
  const levelInfo = aqiLevel(aqi);
  return {
    aqi,
    level: levelInfo?.level ?? null,
    levelInfo,
    primary,
    exceeding,
    iaqi: iaqiRec,
    beyondTable: POLLUTANTS.filter((p) => details[p]?.beyondTable === true),
    substituted: POLLUTANTS.filter((p) => details[p]?.substituted === true),
  };
}

/**
 * Hourly (real-time) AQI, HJ 633-2012: 1 h tables for SO2, NO2, CO, O3; the
 * 24 h tables applied to hourly PM2.5 and PM10 (standards.md). The O3 8 h
 * rolling mean is not an input of the hourly AQI here.
 */
export function hourlyAqi(r: HourlyReadings): AqiResult {
  return combineIaqi({
    so2: iaqiDetail('so2', '1h', r.so2, r.so2_24h),
    no2: iaqiDetail('no2', '1h', r.no2),
    pm10: iaqiDetail('pm10', '1h', r.pm10),
    co: iaqiDetail('co', '1h', r.co),
    o3: iaqiDetail('o3', '1h', r.o3),
    pm25: iaqiDetail('pm25', '1h', r.pm25),
  });
}

export interface DailyAqiOptions {
  /**
   * Also count the day's maximum 1 h O3 as an indicator (the O3 IAQI becomes
   * the larger of the 8 h and 1 h ones). HJ 633-2012's daily report lists it
   * as a seventh indicator; standards.md uses the 8 h mean only, which is the
   * default. *(verify)*
   */
  o3OneHourIndicator?: boolean;
}

/**
 * Daily AQI, HJ 633-2012: 24 h tables for the 24 h means, the O3 8 h table
 * for the daily maximum 8-hour rolling mean (with the > 800 switch to `o3_1h`).
 */
export function dailyAqi(r: DailyReadings, opts: DailyAqiOptions = {}): AqiResult {
  let o3 = iaqiDetail('o3', '8h', r.o3_8h, r.o3_1h);
  if (opts.o3OneHourIndicator) {
    const one = iaqiDetail('o3', '1h', r.o3_1h);
    if (one && (!o3 || one.iaqi > o3.iaqi)) o3 = one;
  }
  return combineIaqi({
    so2: iaqiDetail('so2', '24h', r.so2),
    no2: iaqiDetail('no2', '24h', r.no2),
    pm10: iaqiDetail('pm10', '24h', r.pm10),
    co: iaqiDetail('co', '24h', r.co),
    o3,
    pm25: iaqiDetail('pm25', '24h', r.pm25),
  });
}

// ---------------------------------------------------------------------------
// From hourly values to daily statistics (data-validity rules)

/**
 * GB 3095-2012 table 4 (数据统计的有效性规定): a 24 h mean of SO2, NO2, CO,
 * PM10, PM2.5 needs at least 20 valid hourly values in the day. *(verify)*
 */
export const DAILY_MEAN_MIN_HOURS = 20;
/** GB 3095-2012 table 4 / HJ 663: an 8 h mean needs at least 6 valid hourly values in the 8 h. */
export const O3_8H_MIN_VALID_HOURS = 6;

export interface DailyStatsOptions {
  /** Minimum valid hours for a 24 h mean (default {@link DAILY_MEAN_MIN_HOURS}; 0 or 1 disables the rule). */
  minHoursPerDay?: number;
  /** Minimum valid hours in an 8 h window (default {@link O3_8H_MIN_VALID_HOURS}). */
  minValidPer8h?: number;
  /** Minimum valid 8 h windows for a daily maximum (default 1: any). HJ 663-2013 asks for 14 of the 17. *(verify)* */
  minO3WindowsPerDay?: number;
}

/**
 * O3 daily maximum 8-hour rolling mean from the 24 hourly values of one local
 * day, hour 0 (00:00–01:00) first. Windows are the 17 that lie inside the day
 * (hours 0–7 … 16–23, i.e. ending at 08:00 … 24:00); a window counts when it
 * has at least `minValidPer8h` valid hours, and its mean is the mean of those
 * valid hours. Returns the maximum, the number of valid windows, or null.
 */
export function o3DailyMax8h(
  hours: readonly Maybe[],
  opts: DailyStatsOptions = {},
): { value: number | null; validWindows: number } {
  const minValid = opts.minValidPer8h ?? O3_8H_MIN_VALID_HOURS;
  const minWindows = opts.minO3WindowsPerDay ?? 1;
  let best: number | null = null;
  let validWindows = 0;
  for (let end = 7; end < 24; end++) {
    let sum = 0;
    let n = 0;
    for (let h = end - 7; h <= end; h++) {
      const v = hours[h];
      if (isValidConcentration(v)) {
        sum += v;
        n++;
      }
    }
    if (n >= minValid) {
      validWindows++;
      const mean = sum / n;
      if (best === null || mean > best) best = mean;
    }
  }
  return { value: validWindows >= Math.max(1, minWindows) ? best : null, validWindows };
}

/** Mean of the valid values when there are at least `minHours` of them, else null. */
export function dailyMean(hours: readonly Maybe[], minHours = DAILY_MEAN_MIN_HOURS): number | null {
  let sum = 0;
  let n = 0;
  for (const v of hours) {
    if (isValidConcentration(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 && n >= minHours ? sum / n : null;
}

/** Maximum of the valid values, or null. */
export function dailyMax(hours: readonly Maybe[]): number | null {
  let best: number | null = null;
  for (const v of hours) if (isValidConcentration(v) && (best === null || v > best)) best = v;
  return best;
}

/**
 * The daily-report inputs of one station-day from its 24 hourly series
 * (index = local hour, 0 = 00:00–01:00): 24 h means with the ≥ 20 h rule,
 * O3 daily maximum 8 h with the ≥ 6 of 8 rule, O3 daily maximum 1 h.
 * The same rules as `dailyAqiSql` in aqiSql.ts.
 */
export function dailyReadingsFromHours(
  hours: Partial<Record<Pollutant, readonly Maybe[]>>,
  opts: DailyStatsOptions = {},
): DailyReadings {
  const min = opts.minHoursPerDay ?? DAILY_MEAN_MIN_HOURS;
  const mean = (p: Pollutant) => (hours[p] ? dailyMean(hours[p]!.slice(0, 24), min) : null);
  const o3 = hours.o3 ? hours.o3.slice(0, 24) : null;
  return {
    pm25: mean('pm25'),
    pm10: mean('pm10'),
    so2: mean('so2'),
    no2: mean('no2'),
    co: mean('co'),
    o3_8h: o3 ? o3DailyMax8h(o3, opts).value : null,
    o3_1h: o3 ? dailyMax(o3) : null,
  };
}
