/**
 * The data build calibrates air quality through scripts/data/aqi.ts, a thin
 * adapter over the app's HJ 633-2012 module; its NaN handling is its own.
 */
import { describe, it, expect } from 'vitest';
import { dailyAqi, o3EightHourIaqi, max8h } from '../../scripts/data/aqi.ts';
import * as app from '../../src/standards/aqi.ts';
import { Rng } from '../../scripts/data/prng.ts';

describe('calibration AQI', () => {
  it('treats NaN (a day without valid hours) as missing, not zero', () => {
    const nan = Number.NaN;
    expect(dailyAqi({ pm25: 75, pm10: nan, so2: nan, no2: nan, co: nan, o3_8h: nan })).toBe(100);
    expect(dailyAqi({ pm25: nan, pm10: nan, so2: nan, no2: nan, co: nan, o3_8h: nan })).toBe(0);
    expect(o3EightHourIaqi(160)).toBe(100);
    expect(o3EightHourIaqi(nan)).toBe(0);
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
