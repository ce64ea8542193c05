/** Parks and green space against standards.md ("Parks and green space"). */
import { describe, expect, it } from 'vitest';
import {
  COVERAGE_DENOMINATORS,
  GB55014_THRESHOLDS,
  GREENWAY_SERVICE_RADIUS_M,
  GREEN_SPACE_CLASSES,
  PARK_SERVICE_RADII,
  PARK_SERVICE_SLOGAN,
  POCKET_PARK_AREA_M2,
  checkGB55014,
  greenSpaceClass,
  isParkGreenSpace,
  isPocketPark,
  meetsGB55014,
  parkServiceRadius,
} from './parks.ts';

describe('park service radius (城市体检)', () => {
  it('≥ 5000 m² → 500 m, 2000–5000 m² → 300 m, < 2000 m² → not counted', () => {
    const cases: [number | null | undefined, number | null][] = [
      [1_000_000, 500], [5000.01, 500], [5000, 500], [4999.99, 300], [3000, 300], [2000, 300],
      [1999.99, null], [400, null], [0, null], [-1, null], [Number.NaN, null], [null, null], [undefined, null],
    ];
    for (const [a, r] of cases) expect(parkServiceRadius(a), String(a)).toBe(r);
  });

  it('data matches the rule and the slogan', () => {
    expect(PARK_SERVICE_RADII).toEqual([
      { minAreaM2: 5000, maxAreaM2: null, radiusM: 500 },
      { minAreaM2: 2000, maxAreaM2: 5000, radiusM: 300 },
    ]);
    expect(PARK_SERVICE_SLOGAN.zh).toBe('300 米见绿、500 米见园');
    expect(Object.keys(COVERAGE_DENOMINATORS).sort()).toEqual(['population', 'residential_land']);
  });
});

describe('GB 55014-2021', () => {
  it('thresholds are > 8.0, > 80 %, > 3.0, > 3.0', () => {
    expect(Object.values(GB55014_THRESHOLDS).map((t) => [t.indicator, t.op, t.value])).toEqual([
      ['parkGreenPerCapita', '>', 8.0],
      ['serviceRadiusCoverage', '>', 0.8],
      ['comprehensiveParkPerCapita', '>', 3.0],
      ['communityParkPerCapita', '>', 3.0],
    ]);
  });

  it('checks are strict and report the threshold used', () => {
    expect(checkGB55014('parkGreenPerCapita', 8.0)).toMatchObject({ pass: false, value: 8, threshold: { value: 8, op: '>' } });
    expect(checkGB55014('parkGreenPerCapita', 8.01).pass).toBe(true);
    expect(checkGB55014('serviceRadiusCoverage', 0.8).pass).toBe(false);
    expect(checkGB55014('serviceRadiusCoverage', 0.81).pass).toBe(true);
    expect(checkGB55014('communityParkPerCapita', 3).pass).toBe(false);
    expect(checkGB55014('comprehensiveParkPerCapita', 3.5).pass).toBe(true);
    expect(checkGB55014('parkGreenPerCapita', null)).toMatchObject({ pass: null, value: null });
    expect(checkGB55014('parkGreenPerCapita', Number.NaN).pass).toBeNull();
  });

  it('meetsGB55014 combines the given values', () => {
    const all = meetsGB55014({ parkGreenPerCapita: 14.2, serviceRadiusCoverage: 0.9, comprehensiveParkPerCapita: 4, communityParkPerCapita: 3.2 });
    expect(all.pass).toBe(true);
    expect(all.checks).toHaveLength(4);
    const one = meetsGB55014({ parkGreenPerCapita: 14.2, serviceRadiusCoverage: 0.75 });
    expect(one.pass).toBe(false);
    expect(one.checks.find((c) => !c.pass)?.threshold.value).toBe(0.8);
    expect(meetsGB55014({ parkGreenPerCapita: 9, communityParkPerCapita: null })).toMatchObject({ pass: true });
    expect(meetsGB55014({}).pass).toBeNull();
  });
});

describe('pocket parks and greenways', () => {
  it('pocket parks are 400–10,000 m² inclusive; greenways use 1 km', () => {
    expect(POCKET_PARK_AREA_M2).toEqual([400, 10_000]);
    expect([399, 400, 5000, 10_000, 10_001, Number.NaN, null].map((a) => isPocketPark(a))).toEqual([false, true, true, true, false, false, false]);
    expect(GREENWAY_SERVICE_RADIUS_M).toBe(1000);
  });
});

describe('CJJ/T 85-2017 classes', () => {
  it('has every class of standards.md with zh and en names', () => {
    expect(GREEN_SPACE_CLASSES.map((c) => c.code)).toEqual(['G1', 'G11', 'G12', 'G13', 'G14', 'G2', 'G3', 'XG', 'EG', 'EG1', 'EG2', 'EG3', 'EG4']);
    for (const c of GREEN_SPACE_CLASSES) {
      expect(c.name.zh.length).toBeGreaterThan(0);
      expect(c.name.en.length).toBeGreaterThan(0);
      if (c.parent) expect(greenSpaceClass(c.parent)).not.toBeNull();
    }
    expect(greenSpaceClass('G11')).toMatchObject({ name: { zh: '综合公园' }, indicativeMinAreaHa: 10, verify: true });
    expect(greenSpaceClass('G12')).toMatchObject({ name: { zh: '社区公园' }, indicativeMinAreaHa: 1, verify: true });
    expect(greenSpaceClass('G14')?.name.zh).toBe('游园');
    expect(greenSpaceClass('EG4')?.name.zh).toBe('生产绿地');
    expect(greenSpaceClass('G9')).toBeNull();
  });

  it('size thresholds carry verify: true', () => {
    for (const c of GREEN_SPACE_CLASSES) if (c.indicativeMinAreaHa !== undefined) expect(c.verify, c.code).toBe(true);
  });

  it('park green space is G1 and its subclasses', () => {
    expect(['G1', 'G11', 'G12', 'G13', 'G14'].every(isParkGreenSpace)).toBe(true);
    expect(['G2', 'G3', 'XG', 'EG', 'EG1', 'nope'].some(isParkGreenSpace)).toBe(false);
  });
});
