import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../engine/node';
import type { Engine } from '../engine/types';
import { tableRows } from '../layers/arrowRows';
import { seededRandom } from '../analysis/seededRandom';
import { loadAirCube, type AirCube, type AirSource } from './cube';
import { periodBoundsMs, periodFrame, periodHours, periodSummaryQuery, type PeriodRow } from './periodSummary';

/**
 * The period summary in real DuckDB against the cube, which reads the same
 * rows another way (one query for the whole span, then typed arrays): the
 * means over the brushed hours must agree station by station.
 */
const SOURCE: AirSource = {
  stations: `SELECT id, name, '' AS district, lon, lat, background FROM ps_st`,
  hourly: `SELECT station_id, ts, pm25, pm10, o3, no2, so2, co FROM ps_hr`,
};
let engine: Engine;
let cube: AirCube;

beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.query(`CREATE TABLE ps_st AS SELECT * FROM (VALUES ('a', 'A', 120.1, 30.1, false), ('b', 'B', 120.2, 30.2, false), ('c', 'C 对照点', 120.3, 30.3, true)) t(id, name, lon, lat, background)`);
  const rnd = seededRandom(7);
  const rows: string[] = [];
  // Four CST days from 2025-01-01 00:00 (UTC 2024-12-31 16:00); station c misses every fifth hour, b has an empty pm25 day.
  for (let h = 0; h < 96; h++) {
    const ts = new Date(Date.UTC(2024, 11, 31, 16 + h)).toISOString().slice(0, 19).replace('T', ' ');
    for (const s of ['a', 'b', 'c']) {
      if (s === 'c' && h % 5 === 0) continue;
      const pm25 = s === 'b' && h >= 24 && h < 48 ? 'NULL' : (20 + rnd() * (s === 'a' ? 200 : 60)).toFixed(1);
      rows.push(`('${s}', TIMESTAMP '${ts}', ${pm25}, ${(40 + rnd() * 90).toFixed(1)}, ${(30 + rnd() * 120).toFixed(1)}, ${(10 + rnd() * 50).toFixed(1)}, ${(3 + rnd() * 10).toFixed(1)}, ${(0.3 + rnd()).toFixed(2)})`);
    }
  }
  await engine.query(`CREATE TABLE ps_hr AS SELECT * FROM (VALUES ${rows.join(', ')}) t(station_id, ts, pm25, pm10, o3, no2, so2, co)`);
  cube = await loadAirCube(engine, SOURCE);
}, 60_000);
afterAll(async () => {
  await engine?.close();
});

async function summary(metric: 'aqi' | 'pm25', from: string, to: string) {
  const q = periodSummaryQuery(SOURCE, metric, from, to);
  const rows = tableRows<PeriodRow>(await engine.query(q.sql, q.params));
  return periodFrame(cube.stations.map((s) => s.id), rows, metric, from, to);
}

/** The cube's mean of one field over the hours of [from, to]. */
function cubeMean(field: 'aqi' | 'pm25' | 'i_pm25', s: number, from: string, to: string): { mean: number; n: number } {
  const [a, b] = periodBoundsMs(from, to);
  const n = cube.stations.length;
  let sum = 0;
  let k = 0;
  for (let h = 0; h < cube.hours; h++) {
    const t = cube.startMs + h * 3_600_000;
    const v = cube.hourly[field][h * n + s]!;
    if (t >= a && t <= b && Number.isFinite(v)) (sum += v), k++;
  }
  return { mean: k ? sum / k : Number.NaN, n: k };
}

describe('period summary', () => {
  it('bounds a CST day range in UTC hours', () => {
    expect(periodBoundsMs('2025-01-02', '2025-01-02')).toEqual([Date.UTC(2025, 0, 1, 16), Date.UTC(2025, 0, 2, 15)]);
    expect(periodHours('2025-01-01', '2025-01-03')).toBe(72);
    expect(() => periodBoundsMs('2025-01-03', '2025-01-01')).toThrow(/invalid period/);
  });

  it('gives each station the means of the cube over the period, for a pollutant and for the AQI', async () => {
    for (const [from, to] of [['2025-01-02', '2025-01-03'], ['2025-01-01', '2025-01-04'], ['2025-01-04', '2025-01-04']] as const) {
      const pm = await summary('pm25', from, to);
      const aqi = await summary('aqi', from, to);
      expect(pm.totalHours).toBe(periodHours(from, to));
      cube.stations.forEach((_, s) => {
        const m = cubeMean('pm25', s, from, to);
        expect(pm.hours[s]).toBe(m.n);
        expect(pm.mean[s]).toBeCloseTo(m.mean, 3);
        expect(pm.idx[s]).toBeCloseTo(cubeMean('i_pm25', s, from, to).mean, 3);
        expect(aqi.mean[s]).toBeCloseTo(cubeMean('aqi', s, from, to).mean, 3);
        expect(aqi.idx[s]).toBe(aqi.mean[s]);
      });
    }
  });

  it('counts hours above AQI 100 like the cube, and the missing hours', async () => {
    const f = await summary('aqi', '2025-01-01', '2025-01-04');
    const n = cube.stations.length;
    cube.stations.forEach((_, s) => {
      let over = 0;
      for (let h = 0; h < cube.hours; h++) if (cube.hourly.aqi[h * n + s]! > 100) over++;
      expect(f.polluted[s]).toBe(over);
    });
    // Station a's PM2.5 runs to 220 µg/m³: some hours are polluted; c misses every fifth hour.
    expect(f.polluted[0]).toBeGreaterThan(0);
    expect(f.hours[2]).toBe(96 - 20);
    // b has no PM2.5 on 2 January.
    expect((await summary('pm25', '2025-01-02', '2025-01-02')).hours[1]).toBe(0);
    expect(Number.isNaN((await summary('pm25', '2025-01-02', '2025-01-02')).mean[1])).toBe(true);
  });

  it('leaves stations without rows in the period empty, and binds rather than splices the period', async () => {
    const f = await summary('pm25', '2030-01-01', '2030-01-02');
    expect([...f.hours]).toEqual([0, 0, 0]);
    expect([...f.mean].every(Number.isNaN)).toBe(true);
    const q = periodSummaryQuery(SOURCE, 'pm25', '2025-01-01', '2025-01-02');
    expect(q.sql).not.toContain('2025');
    expect(q.params).toEqual(periodBoundsMs('2025-01-01', '2025-01-02'));
  });
});
