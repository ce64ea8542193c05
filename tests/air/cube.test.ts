import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createNodeEngine } from '../../src/engine/node';
import type { Engine } from '../../src/engine/types';
import { catalogAirSource, loadAirCube, type AirCube } from '../../src/air/cube';
import { dailyAqi, dailyReadingsFromHours, hourlyAqi, iaqi } from '../../src/standards/aqi';

/** The cube against the JS AQI engine, on a small fixture and on the committed default data. */
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => engine?.close());

const H = 3_600_000;
// 2025-01-01T00 CST
const T0 = Date.UTC(2024, 11, 31, 16);

async function fixture(): Promise<AirCube> {
  const stations = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { id: 'B', name: '乙站', district: 'd2' }, geometry: { type: 'Point', coordinates: [114.1, 22.6] } },
      { type: 'Feature', properties: { id: 'A', name: '甲站', district: 'd1' }, geometry: { type: 'Point', coordinates: [114.0, 22.5] } },
      { type: 'Feature', properties: { id: 'C', name: '山顶对照点', district: 'd1' }, geometry: { type: 'Point', coordinates: [114.2, 22.7] } },
    ],
  };
  await engine.loadGeoJSON('fx_stations', JSON.stringify(stations));
  // Two days of hours for A and C, a gap for B, one row for an unknown station.
  const rows: string[] = [];
  for (let h = 0; h < 48; h++) {
    const ts = new Date(T0 + h * H).toISOString().replace('T', ' ').slice(0, 19);
    rows.push(`('A', TIMESTAMP '${ts}', ${40 + h}, ${80 + h}, ${50 + 3 * h}, 30, 8, 0.6)`);
    rows.push(`('C', TIMESTAMP '${ts}', 10, 20, ${100 + h}, 5, 3, 0.3)`);
    if (h < 10) rows.push(`('B', TIMESTAMP '${ts}', ${h === 3 ? 'NULL' : 60}, 90, 70, 40, 10, 0.8)`);
  }
  rows.push(`('Z', TIMESTAMP '2025-01-01 00:00:00', 999, 999, 999, 999, 999, 99)`);
  await engine.query(`CREATE OR REPLACE TABLE fx_hourly (station_id VARCHAR, ts TIMESTAMP, pm25 DOUBLE, pm10 DOUBLE, o3 DOUBLE, no2 DOUBLE, so2 DOUBLE, co DOUBLE)`);
  await engine.query(`INSERT INTO fx_hourly VALUES ${rows.join(',')}`);
  const cube = await loadAirCube(engine, catalogAirSource('fx_stations', 'fx_hourly'));
  await cube.dailyReady;
  return cube;
}

describe('air cube', () => {
  it('lays out stations by id, hours from the first reading, days in CST', async () => {
    const c = await fixture();
    expect(c.stations.map((s) => s.id)).toEqual(['A', 'B', 'C']);
    expect(c.stations[2]!.background).toBe(true);
    expect(c.stations[0]).toMatchObject({ name: '甲站', lon: 114.0, lat: 22.5 });
    expect(c.startMs).toBe(T0);
    expect(c.hours).toBe(48);
    expect(c.startDay).toBe('2025-01-01');
    expect(c.days).toBe(2);
  });

  it('hourly AQI and IAQIs match the JS engine; missing stays NaN', async () => {
    const c = await fixture();
    const n = 3;
    for (const h of [0, 5, 47]) {
      const js = hourlyAqi({ pm25: 40 + h, pm10: 80 + h, o3: 50 + 3 * h, no2: 30, so2: 8, co: 0.6 });
      expect(c.hourly.aqi[h * n + 0]).toBe(js.aqi);
      expect(c.hourly.i_o3[h * n + 0]).toBe(iaqi('o3', '1h', 50 + 3 * h));
      expect(c.hourly.pm25[h * n + 0]).toBe(40 + h);
    }
    expect(c.hourly.pm25[3 * n + 1]).toBeNaN();
    expect(c.hourly.aqi[20 * n + 1]).toBeNaN();
  });

  it('daily AQI per station and the city (background site left out) match the JS engine', async () => {
    const c = await fixture();
    const hoursA = (d: number) => Array.from({ length: 24 }, (_, i) => d * 24 + i);
    const readings = (d: number) =>
      dailyReadingsFromHours({
        pm25: hoursA(d).map((h) => 40 + h),
        pm10: hoursA(d).map((h) => 80 + h),
        o3: hoursA(d).map((h) => 50 + 3 * h),
        no2: hoursA(d).map(() => 30),
        so2: hoursA(d).map(() => 8),
        co: hoursA(d).map(() => 0.6),
      });
    for (const d of [0, 1]) {
      expect(c.daily.aqi[d * 3 + 0]).toBe(dailyAqi(readings(d)).aqi);
      // B has 10 hours: fewer than 20, no daily mean.
      expect(c.daily.pm25[d * 3 + 1]).toBeNaN();
      // City = A alone (B has no valid day, C is a background site).
      expect(c.cityDaily.aqi[d]).toBe(dailyAqi(readings(d)).aqi);
      expect(c.cityDaily.pm25[d]).toBeCloseTo(readings(d).pm25!, 4);
    }
  });
});

const dataDir = resolve(__dirname, '../../data');
describe.skipIf(!existsSync(resolve(dataDir, 'catalog.json')))('air cube on the default data', () => {
  it('a year of Shenzhen: 8760 hours, 365 days, and the good-day share the model was calibrated to', async () => {
    const cat = JSON.parse(readFileSync(resolve(dataDir, 'catalog.json'), 'utf8'));
    const city = cat.cities.find((x: { id: string }) => x.id === 'shenzhen');
    await engine.loadGeoJSON('sz_stations', readFileSync(resolve(dataDir, city.datasets.stations.path), 'utf8'));
    await engine.loadParquet('sz_hourly', new Uint8Array(readFileSync(resolve(dataDir, city.datasets.air_hourly.path))));
    const c = await loadAirCube(engine, catalogAirSource('sz_stations', 'sz_hourly'));
    await c.dailyReady;
    expect(c.hours).toBe(8760);
    expect(c.days).toBe(365);
    expect(c.startDay).toBe('2025-01-01');
    const valid = Array.from(c.cityDaily.aqi).filter(Number.isFinite);
    const share = valid.filter((a) => a <= 100).length / valid.length;
    const claimed = Number(/good-day share \(daily AQI ≤ 100\): ([\d.]+) %/.exec(city.datasets.air_hourly.provenance.caveats.join(' '))![1]) / 100;
    // The model calibrates on the mean of all stations' hours; the app follows HJ 663 (station days, background left out).
    expect(Math.abs(share - claimed)).toBeLessThan(0.02);
  }, 60_000);
});
