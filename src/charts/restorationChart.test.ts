import { describe, expect, it } from 'vitest';
import { OTHER_TYPE, restorationSeries } from './restorationChart';

const TYPES = [{ id: 'eco' }, { id: 'pocket' }];

describe('restorationSeries', () => {
  it('fills every year of the domain, gaps as zeros', () => {
    const s = restorationSeries([{ year: 2019, type: 'eco', areaM2: 5000 }], TYPES, [2018, 2021]);
    expect(s.map((d) => d.year)).toEqual([2018, 2019, 2020, 2021]);
    expect(s.map((d) => d.byType)).toEqual([[0, 0], [5000, 0], [0, 0], [0, 0]]);
    expect(s.map((d) => d.total)).toEqual([0, 5000, 0, 0]);
  });

  it('stacks by type in the order of types and sums duplicates', () => {
    const s = restorationSeries(
      [
        { year: 2020, type: 'pocket', areaM2: 300 },
        { year: 2020, type: 'eco', areaM2: 1000 },
        { year: 2020, type: 'eco', areaM2: 200 },
      ],
      TYPES,
      [2020, 2020],
    );
    expect(s).toEqual([{ year: 2020, byType: [1200, 300], total: 1500, cumulative: 1500 }]);
  });

  it('accumulates, counting years before the domain but not after', () => {
    const rows = [
      { year: 2015, type: 'eco', areaM2: 10_000 },
      { year: 2018, type: 'eco', areaM2: 1_000 },
      { year: 2019, type: 'pocket', areaM2: 500 },
      { year: 2021, type: 'eco', areaM2: 2_000 },
      { year: 2023, type: 'eco', areaM2: 99_999 },
    ];
    const s = restorationSeries(rows, TYPES, [2018, 2021]);
    expect(s.map((d) => d.cumulative)).toEqual([11_000, 11_500, 11_500, 13_500]);
    expect(s.reduce((a, d) => a + d.total, 0)).toBe(3_500);
  });

  it('drops unknown types unless an "other" type is listed', () => {
    const rows = [
      { year: 2020, type: 'eco', areaM2: 100 },
      { year: 2020, type: 'wetland', areaM2: 40 },
    ];
    expect(restorationSeries(rows, TYPES, [2020, 2020])[0]).toEqual({ year: 2020, byType: [100, 0], total: 100, cumulative: 100 });
    const withOther = restorationSeries(rows, [...TYPES, { id: OTHER_TYPE }], [2020, 2020])[0];
    expect(withOther).toEqual({ year: 2020, byType: [100, 0, 40], total: 140, cumulative: 140 });
  });

  it('ignores zero, negative and non-finite areas and non-integer years', () => {
    const rows = [
      { year: 2020, type: 'eco', areaM2: 0 },
      { year: 2020, type: 'eco', areaM2: -5 },
      { year: 2020, type: 'eco', areaM2: NaN },
      { year: 2020, type: 'eco', areaM2: Infinity },
      { year: 2020.5, type: 'eco', areaM2: 7 },
      { year: 2020, type: 'pocket', areaM2: 3 },
    ];
    expect(restorationSeries(rows, TYPES, [2020, 2020])[0]).toEqual({ year: 2020, byType: [0, 3], total: 3, cumulative: 3 });
  });

  it('accepts the domain in either order and returns nothing for a non-finite one', () => {
    expect(restorationSeries([], TYPES, [2021, 2019]).map((d) => d.year)).toEqual([2019, 2020, 2021]);
    expect(restorationSeries([], TYPES, [NaN, 2020])).toEqual([]);
  });
});
