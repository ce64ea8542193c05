/**
 * Reference concentrations for chart lines: GB 3095-2012 limits (class 1 and
 * class 2) and WHO 2021 global air quality guideline levels.
 * Source of truth: shared/docs/standards.md ("Limits, GB 3095-2012" and
 * "WHO 2021 guideline levels"). µg/m³, CO mg/m³.
 */
import type { Pollutant } from './aqi.ts';

/**
 * Averaging periods of the references. `8h` is the daily maximum 8-hour mean
 * (O3); `peak_season` is WHO's O3 peak-season level (mean of the daily
 * maximum 8 h over the six consecutive months with the highest values).
 */
export type ReferenceAveraging = 'annual' | '24h' | '8h' | '1h' | 'peak_season';

export type ReferenceSource = 'GB 3095-2012' | 'WHO 2021';

export interface ReferenceValue {
  source: ReferenceSource;
  pollutant: Pollutant;
  averaging: ReferenceAveraging;
  value: number;
  unit: 'µg/m³' | 'mg/m³';
  /** GB 3095-2012 class (1 or 2); absent for WHO. */
  gbClass?: 1 | 2;
  label: { zh: string; en: string };
}

type Row = [Pollutant, ReferenceAveraging, number, number]; // pollutant, averaging, class 1, class 2

/**
 * GB 3095-2012 《环境空气质量标准》 table 1 limits, [class 1, class 2]
 * (standards.md; class 2 applies to the built-up areas of all four cities).
 * NO2 and CO have the same limit in both classes.
 */
const GB3095_ROWS: readonly Row[] = [
  ['pm25', 'annual', 15, 35],
  ['pm25', '24h', 35, 75],
  ['pm10', 'annual', 40, 70],
  ['pm10', '24h', 50, 150],
  ['so2', 'annual', 20, 60],
  ['so2', '24h', 50, 150],
  ['so2', '1h', 150, 500],
  ['no2', 'annual', 40, 40],
  ['no2', '24h', 80, 80],
  ['no2', '1h', 200, 200],
  ['co', '24h', 4, 4],
  ['co', '1h', 10, 10],
  ['o3', '8h', 100, 160],
  ['o3', '1h', 160, 200],
];

const unitOf = (p: Pollutant): 'µg/m³' | 'mg/m³' => (p === 'co' ? 'mg/m³' : 'µg/m³');

const AVG_LABEL: Record<ReferenceAveraging, { zh: string; en: string }> = {
  annual: { zh: '年平均', en: 'annual' },
  '24h': { zh: '24小时平均', en: '24-hour' },
  '8h': { zh: '日最大8小时平均', en: 'daily max 8-hour' },
  '1h': { zh: '1小时平均', en: '1-hour' },
  peak_season: { zh: '高峰季', en: 'peak season' },
};

export const GB3095_LIMITS: readonly ReferenceValue[] = GB3095_ROWS.flatMap(([pollutant, averaging, c1, c2]) =>
  ([1, 2] as const).map((gbClass) => ({
    source: 'GB 3095-2012' as const,
    pollutant,
    averaging,
    value: gbClass === 1 ? c1 : c2,
    unit: unitOf(pollutant),
    gbClass,
    label: {
      zh: `GB 3095-2012 ${gbClass === 1 ? '一级' : '二级'}（${AVG_LABEL[averaging].zh}）`,
      en: `GB 3095-2012 class ${gbClass} (${AVG_LABEL[averaging].en})`,
    },
  })),
);

/**
 * WHO global air quality guidelines 2021, guideline levels (standards.md).
 * The 24 h levels are 99th percentiles (3–4 exceedance days a year). China's
 * class-2 PM2.5 limits equal WHO interim target 1.
 */
const WHO_ROWS: readonly [Pollutant, ReferenceAveraging, number][] = [
  ['pm25', 'annual', 5],
  ['pm25', '24h', 15],
  ['pm10', 'annual', 15],
  ['pm10', '24h', 45],
  ['o3', '8h', 100],
  ['o3', 'peak_season', 60],
  ['no2', 'annual', 10],
  ['no2', '24h', 25],
  ['so2', '24h', 40],
  ['co', '24h', 4],
];

export const WHO2021_GUIDELINES: readonly ReferenceValue[] = WHO_ROWS.map(([pollutant, averaging, value]) => ({
  source: 'WHO 2021' as const,
  pollutant,
  averaging,
  value,
  unit: unitOf(pollutant),
  label: { zh: `世卫组织 2021 指导值（${AVG_LABEL[averaging].zh}）`, en: `WHO 2021 guideline (${AVG_LABEL[averaging].en})` },
}));

/** GB 3095-2012 limit for a pollutant and period (class 2 by default), or null when there is none. */
export function gb3095Limit(pollutant: Pollutant, averaging: ReferenceAveraging, gbClass: 1 | 2 = 2): number | null {
  return GB3095_LIMITS.find((r) => r.pollutant === pollutant && r.averaging === averaging && r.gbClass === gbClass)?.value ?? null;
}

/** WHO 2021 guideline level for a pollutant and period, or null when there is none. */
export function whoGuideline(pollutant: Pollutant, averaging: ReferenceAveraging): number | null {
  return WHO2021_GUIDELINES.find((r) => r.pollutant === pollutant && r.averaging === averaging)?.value ?? null;
}

export interface ReferenceLineOptions {
  /** GB 3095-2012 classes to include (default [2]; [] for none). */
  gbClasses?: readonly (1 | 2)[];
  /** Include the WHO 2021 guideline (default true). */
  who?: boolean;
}

/**
 * Reference lines for a chart of `pollutant` averaged over `averaging`:
 * GB 3095-2012 class 2 (and class 1 if asked) then WHO 2021, those that exist.
 * Where class 1 and class 2 are equal (NO2, CO) only one line is returned.
 */
export function referenceLines(pollutant: Pollutant, averaging: ReferenceAveraging, opts: ReferenceLineOptions = {}): ReferenceValue[] {
  const classes = opts.gbClasses ?? [2];
  const out: ReferenceValue[] = [];
  for (const cls of [...classes].sort((a, b) => b - a)) {
    const r = GB3095_LIMITS.find((x) => x.pollutant === pollutant && x.averaging === averaging && x.gbClass === cls);
    if (r && !out.some((o) => o.value === r.value)) out.push(r);
  }
  if (opts.who ?? true) {
    const w = WHO2021_GUIDELINES.find((x) => x.pollutant === pollutant && x.averaging === averaging);
    if (w) out.push(w);
  }
  return out;
}
