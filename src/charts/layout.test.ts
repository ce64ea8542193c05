import { describe, expect, it } from 'vitest';
import { quantile } from 'd3';
import { betterOf, ranks } from './cityTable';
import { fmtCstTime, fmtDay, fmtNum, fmtShare, fmtTick, monthLabel } from './format';
import { safeColour } from './monthlyChart';
import {
  bestValue,
  boxStats,
  calendarLayout,
  decimateMinMax,
  isolatedIndices,
  rankOrder,
  snapMs,
  snapRange,
  valuesByMonth,
} from './layout';

const N = NaN;
const H = 3600_000;

describe('decimateMinMax', () => {
  it('returns short series whole', () => {
    expect(Array.from(decimateMinMax([1, 2, 3], 10))).toEqual([0, 1, 2]);
  });

  it('keeps first, min, max and last per pixel column', () => {
    // 2 columns of 6: [5 9 1 4 7 3] [2 2 8 0 6 6]
    const v = [5, 9, 1, 4, 7, 3, 2, 2, 8, 0, 6, 6];
    const out = Array.from(decimateMinMax(v, 2));
    expect(out).toEqual([0, 1, 2, 5, 6, 8, 9, 11]);
  });

  it('keeps every peak of 8760 hourly samples in under 4 points per column', () => {
    const v = Float32Array.from({ length: 8760 }, (_, i) => Math.sin(i / 10) * 50 + 60);
    v[4321] = 480;
    const out = decimateMinMax(v, 800);
    expect(out.length).toBeLessThanOrEqual(800 * 4);
    expect(Array.from(out)).toContain(4321);
    for (let k = 1; k < out.length; k++) expect(out[k]!).toBeGreaterThan(out[k - 1]!);
  });

  it('keeps one marker per missing run so a defined() line breaks there', () => {
    const v = Float32Array.from({ length: 40 }, (_, i) => i);
    v.fill(NaN, 10, 25);
    const out = Array.from(decimateMinMax(v, 4)); // 10 samples a column
    const gaps = out.filter((i) => Number.isNaN(v[i]));
    expect(gaps).toEqual([10]);
    // The valid samples on each side of the gap are still there.
    expect(out).toContain(9);
    expect(out).toContain(25);
    // Negative sentinels count as missing too.
    expect(Array.from(decimateMinMax([1, -999, 2, 3, 4, 5, 6, 7, 8], 1))).toEqual([0, 1, 2, 8]);
  });

  it('finds isolated samples that a line cannot show', () => {
    expect(isolatedIndices([N, 5, N, 6, 7, N, 8])).toEqual([1, 6]);
    expect(isolatedIndices([4])).toEqual([0]);
  });
});

describe('brush snapping', () => {
  const start = Date.UTC(2025, 0, 1) - 8 * H; // 2025-01-01T00 CST
  it('snaps a click to the nearest sample, clamped to the series', () => {
    expect(snapMs(start + 1.4 * H, start, H, 24)).toBe(start + H);
    expect(snapMs(start + 1.6 * H, start, H, 24)).toBe(start + 2 * H);
    expect(snapMs(start - 5 * H, start, H, 24)).toBe(start);
    expect(snapMs(start + 99 * H, start, H, 24)).toBe(start + 23 * H);
  });
  it('widens a brush to whole steps, in either drag direction, at least one step', () => {
    expect(snapRange(start + 2.2 * H, start + 5.1 * H, start, H, 24)).toEqual([start + 2 * H, start + 6 * H]);
    expect(snapRange(start + 5.1 * H, start + 2.2 * H, start, H, 24)).toEqual([start + 2 * H, start + 6 * H]);
    expect(snapRange(start + 3 * H, start + 3 * H, start, H, 24)).toEqual([start + 3 * H, start + 4 * H]);
    expect(snapRange(start + 23 * H, start + 30 * H, start, H, 24)).toEqual([start + 22 * H, start + 23 * H]);
    expect(snapRange(start - 10 * H, start + 99 * H, start, H, 24)).toEqual([start, start + 23 * H]);
  });
  it('does not move an end that is already on a step (float noise)', () => {
    const day = 86_400_000;
    expect(snapRange(start + 2 * day + 1e-6, start + 5 * day - 1e-6, start, day, 365)).toEqual([start + 2 * day, start + 5 * day]);
  });
});

describe('calendarLayout', () => {
  it('puts 2025 (starting Wednesday) in 53 week columns, Monday on top', () => {
    const lay = calendarLayout('2025-01-01', 365);
    expect(lay.weeks).toBe(53);
    expect([lay.col[0], lay.row[0]]).toEqual([0, 2]); // Wed 1 Jan
    expect([lay.col[5], lay.row[5]]).toEqual([1, 0]); // Mon 6 Jan
    expect([lay.col[364], lay.row[364]]).toEqual([52, 2]); // Wed 31 Dec
    expect(lay.months.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(lay.months[1]).toEqual({ month: 2, col: 4, day: '2025-02-01' }); // Sat 1 Feb
  });
  it('handles the leap day and a year starting on Sunday (2023)', () => {
    const leap = calendarLayout('2024-01-01', 366); // Monday
    expect([leap.col[59], leap.row[59]]).toEqual([8, 3]); // Thu 29 Feb
    expect(leap.weeks).toBe(53);
    const y23 = calendarLayout('2023-01-01', 365);
    expect([y23.col[0], y23.row[0]]).toEqual([0, 6]);
    expect(y23.weeks).toBe(53);
  });
  it('drops a month label that would collide with the next one', () => {
    const lay = calendarLayout('2025-01-27', 20);
    expect(lay.months.map((m) => m.month)).toEqual([2]);
  });
});

describe('boxStats and monthly grouping', () => {
  it('uses d3.quantile on the valid values only', () => {
    const v = [N, 10, 20, 30, 40, 50, N, -999];
    const b = boxStats(v)!;
    expect(b.n).toBe(5);
    expect(b.p50).toBe(30);
    expect(b.p25).toBe(20);
    expect(b.p10).toBeCloseTo(14, 10); // k = 1 + 4·0.1 = 1.4
    expect(b.p90).toBeCloseTo(quantile([10, 20, 30, 40, 50], 0.9)!, 10);
    expect(boxStats([N, N])).toBeNull();
  });
  it('groups days by calendar month across a leap February', () => {
    const v = Float32Array.from({ length: 366 }, (_, i) => i);
    const m = valuesByMonth('2024-01-01', v);
    expect(m[0]!.length).toBe(31);
    expect(m[1]!.length).toBe(29);
    expect(m[2]![0]).toBe(60);
    expect(m[11]!.length).toBe(31);
  });
});

describe('table ranking', () => {
  it('orders best first with missing values last and competition ranks', () => {
    const v = [0.9, null, 0.95, 0.9, 0.8];
    const order = rankOrder(v, 'high');
    expect(order).toEqual([2, 0, 3, 4, 1]);
    expect(ranks(v, order)).toEqual([2, null, 1, 2, 4]);
    expect(rankOrder([30, null, 20], 'low')).toEqual([2, 0, 1]);
    expect(bestValue([30, null, 20], 'low')).toBe(20);
    expect(bestValue([null, null], 'low')).toBeNull();
    expect(betterOf('goodShare')).toBe('high');
    expect(betterOf('pm25')).toBe('low');
  });
});

describe('formats', () => {
  const t = Date.UTC(2025, 0, 5, 6); // 14:00 CST
  it('shows times in China Standard Time', () => {
    expect(fmtCstTime(t, 'zh')).toBe('2025年1月5日 14:00');
    expect(fmtCstTime(t, 'en')).toBe('5 Jan 2025 14:00');
    expect(fmtCstTime(Date.UTC(2024, 11, 31, 16), 'en', false)).toBe('1 Jan 2025'); // midnight CST
    expect(fmtTick(Date.UTC(2024, 11, 31, 16), 'zh', 'month')).toBe('2025年');
    expect(fmtTick(Date.UTC(2025, 2, 31, 16), 'en', 'month')).toBe('Apr');
    expect(fmtTick(t, 'en', 'hour')).toBe('14:00');
    expect(fmtDay('2025-01-05', 'zh')).toBe('2025年1月5日 周日');
    expect(fmtDay('2025-01-05', 'en')).toBe('Sun 5 Jan 2025');
    expect(monthLabel(3, 'zh')).toBe('3月');
  });
  it('formats numbers per language, never as −0, with a dash for missing', () => {
    expect(fmtNum(1234.56, 'en', 1)).toBe('1,234.6');
    expect(fmtNum(-0.01, 'en', 1)).toBe('0.0');
    expect(fmtNum(NaN, 'zh')).toBe('—');
    expect(fmtShare(0.9342, 'zh')).toBe('93.4 %');
    expect(fmtShare(null, 'en')).toBe('—');
  });
  it('lets only plain colours through from data', () => {
    expect(safeColour('#1f77b4')).toBe('#1f77b4');
    expect(safeColour('rgb(10, 20, 30)')).toBe('rgb(10, 20, 30)');
    expect(safeColour('url(https://evil.example/#x)')).toBe('currentColor');
    expect(safeColour('red;stroke:blue')).toBe('currentColor');
  });
});
