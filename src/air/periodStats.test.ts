import { describe, expect, it } from 'vitest';
import { quantile } from 'd3';
import { addDays, dayIndex, monthOf, percentileHJ663, periodStats, weekdayMon0, type DailyArrays } from './periodStats';

const N = NaN;
const f = (xs: number[]) => Float32Array.from(xs);

function daily(start: string, aqi: number[], extra: Partial<Omit<DailyArrays, 'startDay' | 'aqi'>> = {}): DailyArrays {
  const blank = () => new Float32Array(aqi.length).fill(NaN);
  return {
    startDay: start,
    aqi: f(aqi),
    pm25: extra.pm25 ?? blank(),
    pm10: extra.pm10 ?? blank(),
    o3_8h: extra.o3_8h ?? blank(),
    no2: extra.no2 ?? blank(),
    so2: extra.so2 ?? blank(),
    co: extra.co ?? blank(),
  };
}

describe('date arithmetic', () => {
  it('crosses the leap day of 2024 and not of 2025', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(dayIndex('2024-01-01', '2024-12-31')).toBe(365);
    expect(dayIndex('2025-01-01', '2025-12-31')).toBe(364);
    expect(dayIndex('2024-03-01', '2024-02-28')).toBe(-2);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('gives months and ISO weekdays', () => {
    expect(monthOf('2024-01-01', 59)).toBe(2); // 2024-02-29
    expect(monthOf('2024-01-01', 60)).toBe(3);
    expect(monthOf('2025-01-01', 364)).toBe(12);
    expect(weekdayMon0('2025-01-01')).toBe(2); // Wednesday
    expect(weekdayMon0('2024-12-29')).toBe(6); // Sunday
  });
  it('rejects malformed days', () => {
    expect(() => dayIndex('2025-1-1', '2025-01-02')).toThrow(RangeError);
  });
});

describe('percentileHJ663', () => {
  it('matches the worked example k = 1 + (n − 1)·p', () => {
    // sorted 80 90 100 120 150, p = 0.9: k = 4.6, s = 4 → 120 + 0.6·(150 − 120) = 138
    expect(percentileHJ663([80, 90, 100, 120, 150], 0.9)).toBeCloseTo(138, 10);
    // 1..10, p = 0.9: k = 9.1 → 9 + 0.1·1
    expect(percentileHJ663([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    // p = 0.95 of 1..10: k = 9.55 → 9.55
    expect(percentileHJ663([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 10);
  });
  it('handles one value, the top rank and no values', () => {
    expect(percentileHJ663([42], 0.9)).toBe(42);
    expect(percentileHJ663([1, 2], 1)).toBe(2);
    expect(percentileHJ663([], 0.9)).toBeNull();
  });
  it('agrees with d3.quantile (R-7)', () => {
    const xs = [3, 17, 4, 99, 23, 55, 1, 8, 60, 61, 12].sort((a, b) => a - b);
    for (const p of [0, 0.1, 0.25, 0.5, 0.9, 0.95, 1]) expect(percentileHJ663(xs, p)).toBeCloseTo(quantile(xs, p)!, 10);
  });
});

describe('periodStats', () => {
  it('counts AQI 100 as good and 101 not; NaN days are excluded from the share', () => {
    const d = daily('2025-01-01', [50, 100, 101, N, 30, N, 250, 301]);
    const s = periodStats(d, '2025-01-01', '2025-01-08');
    expect(s.validDays).toBe(6);
    expect(s.goodDays).toBe(3); // 50, 100, 30
    expect(s.goodShare).toBeCloseTo(0.5, 12);
    expect(s.levelDays).toEqual([2, 1, 1, 0, 1, 1]);
    expect(s.heavyDays).toBe(2);
    expect(s.meanAqi).toBeCloseTo((50 + 100 + 101 + 30 + 250 + 301) / 6, 5);
  });

  it('limits to the inclusive range and treats negative sentinels as missing', () => {
    const d = daily('2025-01-01', [10, 20, 30, 40, -999], { pm25: f([5, N, 15, 100, 7]) });
    const s = periodStats(d, '2025-01-02', '2025-01-05');
    expect(s.validDays).toBe(3);
    expect(s.goodShare).toBe(1);
    expect(s.meanAqi).toBeCloseTo(30, 6);
    expect(s.pm25).toBeCloseTo((15 + 100 + 7) / 3, 5);
    expect(s.pm10).toBeNull();
  });

  it('evaluates O3 as the 90th percentile of daily max 8 h and CO as the 95th percentile', () => {
    const o3 = f([120, N, 80, 150, 100, 90]); // valid sorted: 80 90 100 120 150 → 138
    const co = f([6, 1, 5, 2, 4, 3]);
    const d = daily('2025-06-01', [1, 2, 3, 4, 5, 6], { o3_8h: o3, co });
    const s = periodStats(d, '2025-06-01', '2025-06-06');
    expect(s.o3_8h_p90).toBeCloseTo(138, 4);
    expect(s.co_p95).toBeCloseTo(5.75, 5); // 1..6: k = 1 + 5·0.95 = 5.75
  });

  it('returns nulls and zeros for an empty or inverted range or one outside the data', () => {
    const d = daily('2025-01-01', [10, 20]);
    for (const [a, b] of [
      ['2025-01-02', '2025-01-01'],
      ['2024-12-01', '2024-12-31'],
      ['2025-02-01', '2025-02-10'],
    ] as const) {
      const s = periodStats(d, a, b);
      expect(s.validDays).toBe(0);
      expect(s.goodShare).toBeNull();
      expect(s.meanAqi).toBeNull();
      expect(s.o3_8h_p90).toBeNull();
      expect(s.co_p95).toBeNull();
      expect(s.levelDays).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('clips a range that overhangs the data (leap year)', () => {
    const aqi = new Array(366).fill(60);
    aqi[59] = 120; // 2024-02-29
    const d = daily('2024-01-01', aqi);
    const feb = periodStats(d, '2024-02-01', '2024-02-29');
    expect(feb.validDays).toBe(29);
    expect(feb.goodDays).toBe(28);
    expect(periodStats(d, '2023-12-25', '2024-01-03').validDays).toBe(3);
    expect(periodStats(d, '2024-12-30', '2025-01-05').validDays).toBe(2);
  });
});
