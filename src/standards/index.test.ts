/** The module's public face: re-exports, version, verify notes. */
import { describe, expect, it } from 'vitest';
import * as standards from './index.ts';

describe('standards index', () => {
  it('re-exports every part', () => {
    for (const name of [
      'iaqi', 'hourlyAqi', 'dailyAqi', 'aqiLevel', 'AQI_LEVELS', 'BREAKPOINTS',
      'iaqiSqlExpr', 'aqiSqlExpr', 'aqiLevelSqlExpr', 'dailyAqiSql',
      'parkServiceRadius', 'meetsGB55014', 'GREEN_SPACE_CLASSES',
      'GB3095_LIMITS', 'WHO2021_GUIDELINES', 'referenceLines',
      'TIERS', 'FACILITY_TYPES', 'completeTiers', 'lifeCircleCompletenessSqlExpr',
    ]) {
      expect(standards, name).toHaveProperty(name);
    }
  });

  it('has a version and bilingual verify notes with unique ids', () => {
    expect(standards.STANDARDS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const ids = standards.VERIFY_NOTES.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of standards.VERIFY_NOTES) {
      expect(n.zh.length, n.id).toBeGreaterThan(10);
      expect(n.en.length, n.id).toBeGreaterThan(10);
    }
    for (const id of ['lifecircle-residents', 'lifecircle-radii', 'lifecircle-green-5min', 'green-classes-sizes']) expect(ids).toContain(id);
    expect(standards.STANDARDS_SOURCES.map((s) => s.id)).toEqual(['HJ 633-2012', 'GB 3095-2012', 'WHO 2021', 'GB 50180-2018', 'GB 55014-2021', 'CJJ/T 85-2017']);
  });

  it('every (verify) item of standards.md is flagged in the data', () => {
    expect(standards.TIERS.filter((t) => t.verify).map((t) => t.id).sort()).toEqual([10, 5]);
    expect(standards.TIER_GREEN_SPACE[5].verify).toBe(true);
    expect(standards.GREEN_SPACE_CLASSES.filter((c) => c.verify).map((c) => c.code)).toEqual(['G11', 'G12']);
    expect(Object.values(standards.FACILITY_RADII_M).every((r) => r.verify)).toBe(true);
  });
});
