/**
 * The data build calibrates air quality with its own daily-AQI function
 * (scripts/data/aqi.ts); it must agree with the app's HJ 633-2012 module.
 */
import { describe, it, expect } from 'vitest';
import { dailyAqi, iaqi, BREAKPOINTS_24H, max8h } from '../../scripts/data/aqi.ts';
import * as app from '../../src/standards/aqi.ts';
import { Rng } from '../../scripts/data/prng.ts';

describe('calibration AQI', () => {
  it('hits the breakpoints', () => {
    expect(iaqi(35, BREAKPOINTS_24H.pm25)).toBe(50);
    expect(iaqi(75, BREAKPOINTS_24H.pm25)).toBe(100);
    expect(iaqi(75.1, BREAKPOINTS_24H.pm25)).toBe(101);
    expect(iaqi(160, BREAKPOINTS_24H.o3_8h)).toBe(100);
    expect(iaqi(4, BREAKPOINTS_24H.co)).toBe(100);
    expect(iaqi(10_000, BREAKPOINTS_24H.pm10)).toBe(500);
  });

  it('agrees with src/standards/aqi.ts on random days', () => {
    const r = new Rng('aqi-cross-check');
    for (let i = 0; i < 2000; i++) {
      const day = {
        pm25: r.range(0, 300),
        pm10: r.range(0, 450),
        so2: r.range(0, 200),
        no2: r.range(0, 200),
        co: Math.round(r.range(0.1, 6) * 10) / 10,
        o3_8h: r.range(0, 300),
      };
      expect(dailyAqi(day)).toBe(app.dailyAqi(day).aqi);
    }
  });

  it('takes the maximum 8-hour mean inside the day', () => {
    const h = new Float64Array(24).fill(10);
    for (let k = 12; k < 20; k++) h[k] = 100;
    expect(max8h(h, 0)).toBe(100);
    h[13] = Number.NaN;
    expect(max8h(h, 0)).toBe(100);
  });
});
