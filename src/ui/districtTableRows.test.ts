import { describe, expect, it } from 'vitest';
import type { CoverageResult, Summary } from '../analysis/parkCoverage';
import { toCsv } from '../charts/csv';
import { sortRows } from '../charts/sortableTable';
import { districtTable } from './districtTableRows';

const summary = (o: Partial<Summary>): Summary => ({
  residentialM2: 0, coveredResidentialM2: 0, pop: 0, coveredPop: 0, parkAreaM2: 0,
  landShare: null, popShare: null, parkM2PerPerson: null, meetsCoverage: null, meetsPerCapita: null, ...o,
});

const coverage: CoverageResult = {
  covered: new Uint8Array(0),
  byDistrict: new Map([
    ['a', summary({ pop: 200_000, parkAreaM2: 2_000_000, parkM2PerPerson: 10, landShare: 0.85, popShare: 0.9, meetsCoverage: true, meetsPerCapita: true })],
    ['b', summary({ pop: 100_000, parkAreaM2: 300_000, parkM2PerPerson: 3, landShare: 0.4, popShare: 0.5, meetsCoverage: false, meetsPerCapita: false })],
  ]),
  city: summary({ pop: 300_000, parkAreaM2: 2_300_000, parkM2PerPerson: 7.667, landShare: 0.7, popShare: 0.767, meetsCoverage: false, meetsPerCapita: false }),
};

describe('district table', () => {
  const t = districtTable({
    coverage,
    restorationM2: new Map([['a', 150_000], ['b', 50_000]]),
    names: new Map([['a', { zh: '历下区', en: 'Lixia' }], ['b', { zh: '=槐荫区', en: 'Huaiyin' }]]),
    year: 2021,
    withScenario: false,
    lang: 'zh',
  });

  it('has a row per district and the city last, with flags against GB 55014', () => {
    expect(t.rows.map((r) => r.id)).toEqual(['a', 'b', '']);
    expect(t.rows[2]!.total).toBe(true);
    expect(t.rows[0]!.display).toEqual(['历下区', '200,000', '200 ha', '10 m²', '85%', '90%', '15 ha']);
    expect(t.rows[1]!.flags!.slice(3, 6)).toEqual([false, false, false]);
    expect(t.rows[2]!.values[6]).toBe(200_000);
    expect(t.columns.find((c) => c.key === 'restoration')!.label).toContain('2021');
  });

  it('sorts by a column with the city pinned last', () => {
    expect(sortRows(t.rows, t.columns, { key: 'landShare', dir: 'asc' }).map((r) => r.id)).toEqual(['b', 'a', '']);
    expect(sortRows(t.rows, t.columns, { key: 'restoration', dir: 'desc' }).map((r) => r.id)).toEqual(['a', 'b', '']);
  });

  it('exports raw numbers with units in the headers, and neutralises a hostile name', () => {
    const csv = toCsv(t.csvHeader, t.csvRows);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('区,人口（人）,公园绿地面积（公顷）,人均公园绿地（m²/人）,服务半径覆盖率·按居住用地（%）,服务半径覆盖率·按人口（%）,生态修复面积·至2021年（公顷）');
    expect(lines[1]).toBe('历下区,200000,200,10,85,90,15');
    expect(lines[2]!.startsWith("'=槐荫区,")).toBe(true);
    expect(lines[3]).toBe('全市,300000,230,7.67,70,76.7,20');
  });

  it('adds the life-circle shares per district and for the city when given', () => {
    const lc = districtTable({
      coverage,
      restorationM2: new Map(),
      names: new Map(),
      year: 2025,
      withScenario: false,
      lang: 'en',
      lifeCircle: { byDistrict: new Map([['a', { 5: 0.5, 10: 0.25, 15: 0.125 }]]), city: { 5: 0.4, 10: 0.2, 15: 0.1 } },
    });
    expect(lc.columns.slice(-3).map((c) => c.label)).toEqual(['5-min circle', '10-min circle', '15-min circle']);
    expect(lc.rows[0]!.display.slice(-3)).toEqual(['50%', '25%', '12.5%']);
    expect(lc.rows[1]!.display.slice(-3)).toEqual(['–', '–', '–']);
    expect(lc.rows[2]!.values.slice(-3)).toEqual([0.4, 0.2, 0.1]);
    expect(lc.csvHeader.at(-1)).toBe('Population in a complete 15-minute circle (%)');
    expect(lc.csvRows[0]!.slice(-3)).toEqual([50, 25, 12.5]);
    expect(lc.rows[0]!.flags).toHaveLength(lc.columns.length);
  });
});
