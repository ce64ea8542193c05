/**
 * HJ 633-2012 AQI against standards.md. The tables below are transcribed
 * again from shared/docs/standards.md on purpose: a typo in aqi.ts fails here.
 */
import { describe, expect, it } from 'vitest';
import {
  AQI_LEVELS,
  BREAKPOINTS,
  IAQI_STEPS,
  POLLUTANTS,
  aqiLevel,
  dailyAqi,
  dailyMean,
  dailyReadingsFromHours,
  hourlyAqi,
  iaqi,
  iaqiDetail,
  o3DailyMax8h,
  resolveTable,
  segments,
  type Averaging,
  type Pollutant,
  type TableKey,
} from './aqi.ts';

/** standards.md "Air quality: China AQI (HJ 633-2012)", row by row. */
const STANDARDS_MD: Record<TableKey, number[]> = {
  so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  so2_1h: [0, 150, 500, 650, 800],
  no2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
  no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  pm10_24h: [0, 50, 150, 250, 350, 420, 500, 600],
  co_24h: [0, 2, 4, 14, 24, 36, 48, 60],
  co_1h: [0, 5, 10, 35, 60, 90, 120, 150],
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 160, 215, 265, 800],
  pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500],
};
const STEPS = [0, 50, 100, 150, 200, 300, 400, 500];
const KEYS = Object.keys(STANDARDS_MD) as TableKey[];
const split = (k: TableKey) => k.split('_') as [Pollutant, Averaging];

describe('breakpoint tables', () => {
  it('encode standards.md exactly', () => {
    expect(IAQI_STEPS).toEqual(STEPS);
    expect(Object.keys(BREAKPOINTS).sort()).toEqual([...KEYS].sort());
    for (const k of KEYS) {
      expect(BREAKPOINTS[k].breakpoints, k).toEqual(STANDARDS_MD[k]);
      const [p, a] = split(k);
      expect(BREAKPOINTS[k].pollutant).toBe(p);
      expect(BREAKPOINTS[k].averaging).toBe(a);
    }
  });

  it('stop early only where standards.md says "above 800 use …"', () => {
    expect(BREAKPOINTS.so2_1h.above).toEqual({ use: 'so2_24h' });
    expect(BREAKPOINTS.o3_8h.above).toEqual({ use: 'o3_1h' });
    for (const k of KEYS.filter((k) => k !== 'so2_1h' && k !== 'o3_8h')) {
      expect(BREAKPOINTS[k].above, k).toBeUndefined();
      expect(BREAKPOINTS[k].breakpoints).toHaveLength(8);
    }
  });

  it('are strictly increasing', () => {
    for (const k of KEYS) for (const s of segments(k)) expect(s.cHi, k).toBeGreaterThan(s.cLo);
  });

  it('resolve PM hourly to the 24 h table and reject pairs without a table', () => {
    expect(resolveTable('pm25', '1h')).toBe('pm25_24h');
    expect(resolveTable('pm10', '1h')).toBe('pm10_24h');
    expect(resolveTable('o3', '8h')).toBe('o3_8h');
    expect(() => resolveTable('so2', '8h')).toThrow(/no 8h table/);
    expect(() => resolveTable('pm25', '8h')).toThrow();
  });
});

describe('iaqi at every breakpoint edge', () => {
  const delta = 0.01; // slope ≤ 25 IAQI per unit (CO 24 h): δ·slope < 1
  for (const k of KEYS) {
    const [p, a] = split(k);
    const bps = STANDARDS_MD[k];
    it(`${k}: exact breakpoint → its index, just below → same, just above → +1`, () => {
      expect(iaqi(p, a, 0)).toBe(0);
      for (let i = 1; i < bps.length; i++) {
        const bp = bps[i]!;
        const step = STEPS[i]!;
        expect(iaqi(p, a, bp), `${k} @ ${bp}`).toBe(step);
        expect(iaqi(p, a, bp - delta), `${k} @ ${bp}-δ`).toBe(step);
        if (i < bps.length - 1) expect(iaqi(p, a, bp + delta), `${k} @ ${bp}+δ`).toBe(step + 1);
      }
    });
  }

  it('follow the linear formula between breakpoints (hand-worked values)', () => {
    expect(iaqi('pm25', '24h', 35.1)).toBe(51); // 50 + 50·0.1/40 = 50.125
    expect(iaqi('pm25', '24h', 55)).toBe(75);
    expect(iaqi('pm25', '24h', 76)).toBe(102); // 101.25
    expect(iaqi('pm25', '24h', 100)).toBe(132); // 131.25
    expect(iaqi('pm25', '24h', 1)).toBe(2); // 1.43
    expect(iaqi('pm10', '24h', 200)).toBe(125);
    expect(iaqi('co', '1h', 12.5)).toBe(105);
    expect(iaqi('co', '24h', 2.4)).toBe(60);
    expect(iaqi('o3', '8h', 190)).toBe(128); // 100 + 50·30/55 = 127.27
    expect(iaqi('o3', '1h', 250)).toBe(125);
    expect(iaqi('no2', '1h', 450)).toBe(125);
    expect(iaqi('so2', '24h', 100)).toBe(75);
  });

  it('do not round an exact integer up because of floating-point noise', () => {
    // naive Math.ceil gives 12, 204, 405: the exact values are integers
    expect(iaqi('no2', '24h', 8.8)).toBe(11);
    expect(iaqi('pm10', '24h', 352.1)).toBe(203);
    expect(iaqi('so2', '24h', 2120.8)).toBe(404);
    // exhaustive over 0.01 steps: whenever the exact value is an integer, that is the answer
    for (const k of KEYS) {
      const [p, a] = split(k);
      for (const s of segments(k)) {
        const n = Math.round((s.cHi - s.cLo) * 100);
        for (let j = 1; j <= n; j++) {
          const num = (s.iHi - s.iLo) * j;
          if (num % n !== 0) continue;
          const c = Number((s.cLo + j / 100).toFixed(2));
          expect(iaqi(p, a, c), `${k} @ ${c}`).toBe(s.iLo + num / n);
        }
      }
    }
  });

  it('apply the 24 h PM tables to hourly PM', () => {
    for (const c of [0, 35, 35.1, 75, 250, 499.9]) {
      expect(iaqi('pm25', '1h', c)).toBe(iaqi('pm25', '24h', c));
      expect(iaqi('pm10', '1h', c)).toBe(iaqi('pm10', '24h', c));
    }
  });
});

describe('above the top of a table', () => {
  it('caps at 500 and flags beyondTable', () => {
    for (const k of KEYS.filter((k) => !BREAKPOINTS[k].above)) {
      const [p, a] = split(k);
      const top = STANDARDS_MD[k].at(-1)!;
      expect(iaqiDetail(p, a, top)).toMatchObject({ iaqi: 500, beyondTable: false, substituted: false, table: k });
      expect(iaqiDetail(p, a, top + 0.01)).toMatchObject({ iaqi: 500, beyondTable: true, substituted: false, table: k });
      expect(iaqi(p, a, top * 10)).toBe(500);
    }
  });

  it('SO2 1 h above 800 switches to the 24 h IAQI', () => {
    expect(iaqiDetail('so2', '1h', 800)).toEqual({ iaqi: 200, table: 'so2_1h', beyondTable: false, substituted: false });
    // no 24 h value: the 24 h table applied to the 1 h concentration (200 + 100·0.1/800 → 201)
    expect(iaqiDetail('so2', '1h', 800.1)).toEqual({ iaqi: 201, table: 'so2_24h', beyondTable: false, substituted: true });
    expect(iaqi('so2', '1h', 1600)).toBe(300);
    expect(iaqiDetail('so2', '1h', 3000)).toMatchObject({ iaqi: 500, beyondTable: true, substituted: true });
    // with the 24 h mean
    expect(iaqiDetail('so2', '1h', 900, 120)).toEqual({ iaqi: 85, table: 'so2_24h', beyondTable: false, substituted: true });
    expect(iaqiDetail('so2', '1h', 900, -9999)).toMatchObject({ iaqi: 213, substituted: true }); // missing → fallback
    // 24 h value ignored at or below 800
    expect(iaqiDetail('so2', '1h', 799, 10)).toMatchObject({ iaqi: 200, table: 'so2_1h', substituted: false });
  });

  it('O3 8 h above 800 switches to the 1 h IAQI', () => {
    expect(iaqiDetail('o3', '8h', 800)).toEqual({ iaqi: 300, table: 'o3_8h', beyondTable: false, substituted: false });
    // no 1 h value: the 1 h table applied to the 8 h concentration (300 + 100·1/200 → 301)
    expect(iaqiDetail('o3', '8h', 801)).toEqual({ iaqi: 301, table: 'o3_1h', beyondTable: false, substituted: true });
    expect(iaqiDetail('o3', '8h', 1300)).toMatchObject({ iaqi: 500, beyondTable: true, substituted: true });
    expect(iaqiDetail('o3', '8h', 850, 1100)).toEqual({ iaqi: 450, table: 'o3_1h', beyondTable: false, substituted: true });
  });
});

describe('missing values', () => {
  const MISSING = [null, undefined, Number.NaN, -9999, -999, -1, -0.001, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  it('give null, never 0', () => {
    for (const k of KEYS) {
      const [p, a] = split(k);
      for (const m of MISSING) expect(iaqi(p, a, m), `${k} ${m}`).toBeNull();
    }
    expect(iaqi('pm25', '24h', 0)).toBe(0);
    expect(Object.is(iaqi('pm25', '24h', 1e-12), 0)).toBe(true); // not −0
  });

  it('are skipped by hourly and daily AQI; all missing → AQI null', () => {
    const r = hourlyAqi({ pm25: Number.NaN, pm10: -9999, so2: null, no2: undefined, co: -999, o3: 100 });
    expect(r.aqi).toBe(32);
    expect(r.iaqi).toEqual({ so2: null, no2: null, pm10: null, co: null, o3: 32, pm25: null });
    const none = dailyAqi({ pm25: -9999, o3_8h: null });
    expect(none).toMatchObject({ aqi: null, level: null, levelInfo: null, primary: [], exceeding: [] });
    expect(hourlyAqi({}).aqi).toBeNull();
  });
});

describe('hourly and daily AQI', () => {
  it('reports the primary pollutant only when AQI > 50', () => {
    expect(dailyAqi({ pm25: 35, pm10: 20 })).toMatchObject({ aqi: 50, level: 1, primary: [], exceeding: [] });
    expect(dailyAqi({ pm25: 35.1, pm10: 20 })).toMatchObject({ aqi: 51, level: 2, primary: ['pm25'], exceeding: [] });
  });

  it('lists every pollutant on a tie, in HJ 633 order', () => {
    const r = dailyAqi({ pm25: 75, pm10: 150, so2: 10, no2: 80, co: 0.5, o3_8h: 160 });
    expect(r.aqi).toBe(100);
    expect(r.primary).toEqual(['no2', 'pm10', 'o3', 'pm25']);
    expect(r.exceeding).toEqual([]); // 100 is not > 100
    expect(r.level).toBe(2);
  });

  it('lists exceeding pollutants (IAQI > 100)', () => {
    const r = dailyAqi({ pm25: 76, pm10: 151, so2: 10, no2: 20, co: 1, o3_8h: 100 });
    expect(r.iaqi).toEqual({ so2: 10, no2: 25, pm10: 101, co: 25, o3: 50, pm25: 102 });
    expect(r).toMatchObject({ aqi: 102, level: 3, primary: ['pm25'], exceeding: ['pm10', 'pm25'] });
    expect(r.levelInfo?.colour).toBe('#FF7E00');
  });

  it('hourly uses the 1 h tables (24 h for PM)', () => {
    const r = hourlyAqi({ pm25: 115, pm10: 50, so2: 150, no2: 200, co: 10, o3: 200 });
    expect(r.iaqi).toEqual({ so2: 50, no2: 100, pm10: 50, co: 100, o3: 100, pm25: 150 });
    expect(r).toMatchObject({ aqi: 150, level: 3, primary: ['pm25'], exceeding: ['pm25'] });
  });

  it('hourly SO2 > 800 uses so2_24h when given', () => {
    const withMean = hourlyAqi({ so2: 1000, so2_24h: 300 });
    expect(withMean.iaqi.so2).toBe(124); // 24 h table at 300: 100 + 50·150/325 = 123.08
    expect(withMean.substituted).toEqual(['so2']);
    const without = hourlyAqi({ so2: 1000 });
    expect(without.iaqi.so2).toBe(225); // 24 h table at 1000
    expect(hourlyAqi({ so2: 500, so2_24h: 300 }).iaqi.so2).toBe(100); // not substituted
  });

  it('daily O3 uses the 8 h maximum; > 800 switches to o3_1h', () => {
    expect(dailyAqi({ o3_8h: 215, o3_1h: 400 }).iaqi.o3).toBe(150);
    const r = dailyAqi({ o3_8h: 900, o3_1h: 1000 });
    expect(r.iaqi.o3).toBe(400);
    expect(r.substituted).toEqual(['o3']);
    expect(dailyAqi({ o3_1h: 300 }).iaqi.o3).toBeNull(); // 1 h max alone is not an indicator by default
  });

  it('optionally counts the daily maximum 1 h O3 as an indicator', () => {
    expect(dailyAqi({ o3_8h: 100, o3_1h: 300 }, { o3OneHourIndicator: true }).iaqi.o3).toBe(150);
    expect(dailyAqi({ o3_8h: 215, o3_1h: 200 }, { o3OneHourIndicator: true }).iaqi.o3).toBe(150);
    expect(dailyAqi({ o3_1h: 300 }, { o3OneHourIndicator: true }).iaqi.o3).toBe(150);
  });

  it('flags beyondTable pollutants and caps AQI at 500', () => {
    const r = dailyAqi({ pm25: 800, pm10: 100 });
    expect(r).toMatchObject({ aqi: 500, level: 6, primary: ['pm25'], beyondTable: ['pm25'] });
  });

  it('iaqi record always has every pollutant key', () => {
    expect(Object.keys(hourlyAqi({ pm25: 10 }).iaqi).sort()).toEqual([...POLLUTANTS].sort());
  });
});

describe('levels', () => {
  it('have the official names and colours', () => {
    expect(AQI_LEVELS.map((l) => [l.level, l.name.zh, l.colour, l.range])).toEqual([
      [1, '优', '#00E400', [0, 50]],
      [2, '良', '#FFFF00', [51, 100]],
      [3, '轻度污染', '#FF7E00', [101, 150]],
      [4, '中度污染', '#FF0000', [151, 200]],
      [5, '重度污染', '#99004C', [201, 300]],
      [6, '严重污染', '#7E0023', [301, null]],
    ]);
    expect(AQI_LEVELS.map((l) => l.name.en)).toEqual([
      'Excellent', 'Good', 'Lightly polluted', 'Moderately polluted', 'Heavily polluted', 'Severely polluted',
    ]);
  });

  it('split at 50/100/150/200/300', () => {
    const cases: [number, number][] = [
      [0, 1], [50, 1], [50.5, 2], [51, 2], [100, 2], [101, 3], [150, 3], [151, 4], [200, 4],
      [201, 5], [300, 5], [301, 6], [500, 6], [900, 6],
    ];
    for (const [aqi, level] of cases) expect(aqiLevel(aqi).level, String(aqi)).toBe(level);
    expect(aqiLevel(null)).toBeNull();
    expect(aqiLevel(undefined)).toBeNull();
    expect(() => aqiLevel(Number.NaN)).toThrow(RangeError);
    expect(() => aqiLevel(-1)).toThrow(RangeError);
  });
});

describe('daily statistics from hours', () => {
  it('24 h mean needs ≥ 20 valid hours', () => {
    const h: (number | null)[] = Array.from({ length: 24 }, (_, i) => (i < 20 ? 10 : null));
    expect(dailyMean(h)).toBe(10);
    h[0] = -9999;
    expect(dailyMean(h)).toBeNull();
    expect(dailyMean(h, 1)).toBe(10);
    expect(dailyMean([], 0)).toBeNull();
  });

  it('O3 8 h windows need ≥ 6 valid hours and stay inside the day', () => {
    const flat = Array.from({ length: 24 }, () => 50);
    expect(o3DailyMax8h(flat)).toEqual({ value: 50, validWindows: 17 });
    // a peak 12–19 h: window 12–19 mean 200
    const peak = flat.map((v, i) => (i >= 12 && i <= 19 ? 200 : v));
    expect(o3DailyMax8h(peak).value).toBe(200);
    // 3 missing hours in the peak: windows covering them have ≤ 5 valid hours and drop out
    const holes = peak.map((v, i) => (i === 13 || i === 15 || i === 17 ? null : v));
    const r = o3DailyMax8h(holes);
    // 12–19 has 5 valid → invalid; 14–21 has 14,16,18,19 @200 and 20,21 @50 → 150, the best valid window
    expect(r.value).toBeCloseTo(150, 10);
    // early hours only: hours 0–5 valid, 6–23 missing → window 0–7 has 6 valid
    const early = Array.from({ length: 24 }, (_, i) => (i < 6 ? 80 : null));
    expect(o3DailyMax8h(early)).toEqual({ value: 80, validWindows: 1 });
    expect(o3DailyMax8h(early, { minO3WindowsPerDay: 14 }).value).toBeNull();
    expect(o3DailyMax8h(Array.from({ length: 24 }, () => null))).toEqual({ value: null, validWindows: 0 });
  });

  it('dailyReadingsFromHours combines the rules', () => {
    const hours = { pm25: Array.from({ length: 24 }, () => 40), o3: Array.from({ length: 24 }, (_, i) => (i === 14 ? 300 : 100)) };
    const d = dailyReadingsFromHours(hours);
    expect(d.pm25).toBe(40);
    expect(d.pm10).toBeNull();
    expect(d.o3_1h).toBe(300);
    expect(d.o3_8h).toBe(125);
    expect(dailyAqi(d)).toMatchObject({ aqi: 71, primary: ['o3'] }); // PM2.5 57, O3 8 h 71
  });
});
