/**
 * Parks and green space: service radii (城市体检 method), GB 55014-2021
 * thresholds, pocket parks, greenways, and the CJJ/T 85-2017 green-space
 * classes. Source of truth: shared/docs/standards.md ("Parks and green space").
 */

// ---------------------------------------------------------------------------
// Park service radius (公园绿地服务半径覆盖率), the city health check (城市体检) method

export interface ServiceRadiusRule {
  /** Inclusive lower bound of park area, m². */
  minAreaM2: number;
  /** Exclusive upper bound, m²; null = no upper bound. */
  maxAreaM2: number | null;
  radiusM: number;
}

/**
 * 城市体检 park service-radius rule (standards.md): parks ≥ 5000 m² serve
 * 500 m; parks of 2000 m² up to (not including) 5000 m² serve 300 m; parks
 * under 2000 m² are not counted. A park of exactly 5000 m² serves 500 m
 * ("≥ 5000"); exactly 2000 m² serves 300 m. "300 米见绿、500 米见园".
 */
export const PARK_SERVICE_RADII: readonly ServiceRadiusRule[] = [
  { minAreaM2: 5000, maxAreaM2: null, radiusM: 500 },
  { minAreaM2: 2000, maxAreaM2: 5000, radiusM: 300 },
];

export const PARK_SERVICE_SLOGAN = { zh: '300 米见绿、500 米见园', en: 'Green within 300 m, a park within 500 m' } as const;

/** Smallest park that counts for service-radius coverage, m². */
export const PARK_MIN_COUNTED_AREA_M2 = 2000;

/**
 * Service radius (m) of a park of this area: 500, 300, or null when the park
 * is too small to count (< 2000 m²) or the area is missing/invalid.
 */
export function parkServiceRadius(areaM2: number | null | undefined): 500 | 300 | null {
  if (typeof areaM2 !== 'number' || !Number.isFinite(areaM2) || areaM2 < 0) return null;
  for (const r of PARK_SERVICE_RADII) {
    if (areaM2 >= r.minAreaM2 && (r.maxAreaM2 === null || areaM2 < r.maxAreaM2)) return r.radiusM as 500 | 300;
  }
  return null;
}

/**
 * Denominators of the coverage indicator. The 城市体检 indicator is covered
 * residential land ÷ all residential land; the population-weighted version is
 * people within reach ÷ people. Every number shown says which one it uses.
 */
export type CoverageDenominator = 'residential_land' | 'population';

export const COVERAGE_DENOMINATORS: Readonly<Record<CoverageDenominator, { zh: string; en: string }>> = {
  residential_land: { zh: '按居住用地面积：覆盖的居住用地 ÷ 全部居住用地', en: 'By residential land: covered residential land ÷ all residential land' },
  population: { zh: '按人口：服务半径内人口 ÷ 总人口', en: 'By population: people within reach ÷ all people' },
};

// ---------------------------------------------------------------------------
// GB 55014-2021 《园林绿化工程项目规范》 (mandatory)

export type Gb55014Indicator =
  | 'parkGreenPerCapita'
  | 'serviceRadiusCoverage'
  | 'comprehensiveParkPerCapita'
  | 'communityParkPerCapita';

export interface Threshold {
  indicator: Gb55014Indicator;
  /** Strictly greater than, as standards.md states every GB 55014 figure. */
  op: '>';
  value: number;
  unit: 'm²/person' | 'fraction';
  name: { zh: string; en: string };
  standard: 'GB 55014-2021';
}

/**
 * GB 55014-2021 thresholds (standards.md): park green space per person
 * > 8.0 m²; park service-radius coverage > 80 % (as a fraction, 0.8);
 * comprehensive parks and community parks each > 3.0 m² per person.
 * A value exactly on the threshold fails (strict ">").
 */
export const GB55014_THRESHOLDS: Readonly<Record<Gb55014Indicator, Threshold>> = {
  parkGreenPerCapita: {
    indicator: 'parkGreenPerCapita', op: '>', value: 8.0, unit: 'm²/person', standard: 'GB 55014-2021',
    name: { zh: '人均公园绿地面积', en: 'Park green space per person' },
  },
  serviceRadiusCoverage: {
    indicator: 'serviceRadiusCoverage', op: '>', value: 0.8, unit: 'fraction', standard: 'GB 55014-2021',
    name: { zh: '公园绿地服务半径覆盖率', en: 'Park service-radius coverage' },
  },
  comprehensiveParkPerCapita: {
    indicator: 'comprehensiveParkPerCapita', op: '>', value: 3.0, unit: 'm²/person', standard: 'GB 55014-2021',
    name: { zh: '人均综合公园面积', en: 'Comprehensive park area per person' },
  },
  communityParkPerCapita: {
    indicator: 'communityParkPerCapita', op: '>', value: 3.0, unit: 'm²/person', standard: 'GB 55014-2021',
    name: { zh: '人均社区公园面积', en: 'Community park area per person' },
  },
};

export interface ThresholdCheck {
  indicator: Gb55014Indicator;
  value: number | null;
  threshold: Threshold;
  /** null when the value is missing (not a fail). */
  pass: boolean | null;
}

/** One GB 55014-2021 check. `value` per person in m², coverage as a fraction 0–1. */
export function checkGB55014(indicator: Gb55014Indicator, value: number | null | undefined): ThresholdCheck {
  const threshold = GB55014_THRESHOLDS[indicator];
  const v = typeof value === 'number' && Number.isFinite(value) ? value : null;
  return { indicator, value: v, threshold, pass: v === null ? null : v > threshold.value };
}

export type Gb55014Values = Partial<Record<Gb55014Indicator, number | null>>;

/**
 * All GB 55014-2021 checks for the values given. `pass` is true when every
 * given value passes, false when any fails, null when none was given.
 */
export function meetsGB55014(values: Gb55014Values): { pass: boolean | null; checks: ThresholdCheck[] } {
  const checks = (Object.keys(GB55014_THRESHOLDS) as Gb55014Indicator[])
    .filter((k) => values[k] !== undefined)
    .map((k) => checkGB55014(k, values[k]));
  const judged = checks.filter((c) => c.pass !== null);
  return { pass: judged.length === 0 ? null : judged.every((c) => c.pass === true), checks };
}

// ---------------------------------------------------------------------------
// Pocket parks and greenways (standards.md)

/** Pocket park (口袋公园) area range, m², inclusive at both ends. */
export const POCKET_PARK_AREA_M2: readonly [number, number] = [400, 10_000];

export function isPocketPark(areaM2: number | null | undefined): boolean {
  return typeof areaM2 === 'number' && Number.isFinite(areaM2) && areaM2 >= POCKET_PARK_AREA_M2[0] && areaM2 <= POCKET_PARK_AREA_M2[1];
}

/** Greenway (绿道) coverage radius, m. */
export const GREENWAY_SERVICE_RADIUS_M = 1000;

// ---------------------------------------------------------------------------
// Green space classes, CJJ/T 85-2017 《城市绿地分类标准》

export type GreenSpaceClassCode =
  | 'G1' | 'G11' | 'G12' | 'G13' | 'G14'
  | 'G2' | 'G3' | 'XG'
  | 'EG' | 'EG1' | 'EG2' | 'EG3' | 'EG4';

export interface GreenSpaceClass {
  code: GreenSpaceClassCode;
  parent: GreenSpaceClassCode | null;
  name: { zh: string; en: string };
  /** Examples from standards.md. */
  examples?: { zh: string; en: string };
  /** Indicative minimum size, ha ("roughly"); not a hard rule. */
  indicativeMinAreaHa?: number;
  /** Flagged (verify) in standards.md ("verify the size thresholds"). */
  verify: boolean;
}

/** CJJ/T 85-2017 classes as listed in standards.md; size thresholds flagged (verify). */
export const GREEN_SPACE_CLASSES: readonly GreenSpaceClass[] = [
  { code: 'G1', parent: null, name: { zh: '公园绿地', en: 'Park green space' }, verify: false },
  { code: 'G11', parent: 'G1', name: { zh: '综合公园', en: 'Comprehensive park' }, indicativeMinAreaHa: 10, verify: true },
  { code: 'G12', parent: 'G1', name: { zh: '社区公园', en: 'Community park' }, indicativeMinAreaHa: 1, verify: true },
  {
    code: 'G13', parent: 'G1', name: { zh: '专类公园', en: 'Special park' }, verify: false,
    examples: { zh: '动物园、植物园、历史名园、遗址公园等', en: 'zoos, botanical gardens, heritage parks' },
  },
  { code: 'G14', parent: 'G1', name: { zh: '游园', en: 'Small garden' }, verify: false },
  { code: 'G2', parent: null, name: { zh: '防护绿地', en: 'Protective green space' }, verify: false },
  { code: 'G3', parent: null, name: { zh: '广场用地', en: 'Square' }, verify: false },
  { code: 'XG', parent: null, name: { zh: '附属绿地', en: 'Attached green space' }, verify: false },
  { code: 'EG', parent: null, name: { zh: '区域绿地', en: 'Regional green space' }, verify: false },
  {
    code: 'EG1', parent: 'EG', name: { zh: '风景游憩绿地', en: 'Scenic and recreational green space' }, verify: false,
    examples: { zh: '郊野公园、湿地公园等', en: 'country parks, wetland parks' },
  },
  {
    code: 'EG2', parent: 'EG', name: { zh: '生态保育绿地', en: 'Ecological conservation green space' }, verify: false,
    examples: { zh: '含生态修复用地', en: 'including ecological restoration land' },
  },
  { code: 'EG3', parent: 'EG', name: { zh: '区域设施防护绿地', en: 'Regional infrastructure buffer green space' }, verify: false },
  { code: 'EG4', parent: 'EG', name: { zh: '生产绿地', en: 'Nursery (production green space)' }, verify: false },
];

export function greenSpaceClass(code: string): GreenSpaceClass | null {
  return GREEN_SPACE_CLASSES.find((c) => c.code === code) ?? null;
}

/** Is the class park green space (G1 or one of its subclasses)? */
export function isParkGreenSpace(code: string): boolean {
  const c = greenSpaceClass(code);
  return c !== null && (c.code === 'G1' || c.parent === 'G1');
}
