/** GB 3095-2012 limits and WHO 2021 guideline levels against standards.md. */
import { describe, expect, it } from 'vitest';
import { GB3095_LIMITS, WHO2021_GUIDELINES, gb3095Limit, referenceLines, whoGuideline } from './references.ts';
import { iaqi } from './aqi.ts';

describe('GB 3095-2012', () => {
  it('class 2 (class 1) limits as in standards.md', () => {
    const table: [Parameters<typeof gb3095Limit>[0], Parameters<typeof gb3095Limit>[1], number, number][] = [
      ['pm25', 'annual', 35, 15], ['pm25', '24h', 75, 35],
      ['pm10', 'annual', 70, 40], ['pm10', '24h', 150, 50],
      ['so2', 'annual', 60, 20], ['so2', '24h', 150, 50], ['so2', '1h', 500, 150],
      ['no2', 'annual', 40, 40], ['no2', '24h', 80, 80], ['no2', '1h', 200, 200],
      ['co', '24h', 4, 4], ['co', '1h', 10, 10],
      ['o3', '8h', 160, 100], ['o3', '1h', 200, 160],
    ];
    for (const [p, a, c2, c1] of table) {
      expect(gb3095Limit(p, a), `${p} ${a}`).toBe(c2);
      expect(gb3095Limit(p, a, 1), `${p} ${a} class 1`).toBe(c1);
    }
    expect(GB3095_LIMITS).toHaveLength(table.length * 2);
    expect(gb3095Limit('co', 'annual')).toBeNull();
    expect(GB3095_LIMITS.filter((r) => r.pollutant === 'co').every((r) => r.unit === 'mg/m³')).toBe(true);
  });

  it('class-2 limits sit on IAQI 100 where HJ 633 has the same period', () => {
    expect(iaqi('pm25', '24h', gb3095Limit('pm25', '24h'))).toBe(100);
    expect(iaqi('pm10', '24h', gb3095Limit('pm10', '24h'))).toBe(100);
    expect(iaqi('so2', '24h', gb3095Limit('so2', '24h'))).toBe(100);
    expect(iaqi('so2', '1h', gb3095Limit('so2', '1h'))).toBe(100);
    expect(iaqi('no2', '1h', gb3095Limit('no2', '1h'))).toBe(100);
    expect(iaqi('co', '24h', gb3095Limit('co', '24h'))).toBe(100);
    expect(iaqi('o3', '8h', gb3095Limit('o3', '8h'))).toBe(100);
    expect(iaqi('o3', '1h', gb3095Limit('o3', '1h'))).toBe(100);
  });
});

describe('WHO 2021', () => {
  it('guideline levels as in standards.md', () => {
    expect(WHO2021_GUIDELINES.map((r) => [r.pollutant, r.averaging, r.value])).toEqual([
      ['pm25', 'annual', 5], ['pm25', '24h', 15],
      ['pm10', 'annual', 15], ['pm10', '24h', 45],
      ['o3', '8h', 100], ['o3', 'peak_season', 60],
      ['no2', 'annual', 10], ['no2', '24h', 25],
      ['so2', '24h', 40],
      ['co', '24h', 4],
    ]);
    expect(whoGuideline('pm25', '24h')).toBe(15);
    expect(whoGuideline('so2', '1h')).toBeNull();
  });
});

describe('referenceLines', () => {
  it('class 2 then WHO by default', () => {
    expect(referenceLines('pm25', '24h').map((r) => [r.source, r.gbClass, r.value])).toEqual([
      ['GB 3095-2012', 2, 75],
      ['WHO 2021', undefined, 15],
    ]);
  });

  it('both classes, deduplicated where equal; WHO optional', () => {
    expect(referenceLines('o3', '8h', { gbClasses: [1, 2] }).map((r) => r.value)).toEqual([160, 100, 100]);
    expect(referenceLines('no2', '24h', { gbClasses: [1, 2], who: false }).map((r) => r.value)).toEqual([80]);
    expect(referenceLines('so2', '1h')).toHaveLength(1);
    expect(referenceLines('co', 'annual')).toEqual([]);
    for (const r of [...GB3095_LIMITS, ...WHO2021_GUIDELINES]) {
      expect(r.label.zh.length).toBeGreaterThan(0);
      expect(r.label.en.length).toBeGreaterThan(0);
    }
  });
});
