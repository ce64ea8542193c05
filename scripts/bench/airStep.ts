/**
 * The cost of one step of the clock on a year of hourly readings for every
 * station of the four cities (66 stations × 8760 hours), p50 and p95, next to
 * baselines measured in the same run:
 *
 * - a plain typed-array scan: the step done without the cube's index, i.e.
 *   scanning the year's long table (station, hour, AQI) for the hour's rows;
 * - one DuckDB query per step, which is what the air layer did before the cube.
 *
 * The step measured is what the app runs on a time change: the frame of
 * colour, label and AQI values, the legend's level counts, and the air layer's
 * deck.gl descriptors. Target: p95 ≤ 16 ms (one frame at 60 Hz).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAirCube, type AirCube } from '../../src/air/cube';
import { frameValues, indexField, levelCounts, stepIndex } from '../../src/air/frame';
import { createNodeEngine } from '../../src/engine/node';
import { airLayer } from '../../src/layers/air';
import { LIGHT } from '../../src/map/theme';
import { utcMsToClock } from '../../src/state/clock';
import type { AppState } from '../../src/state/types';
import type { LayerContext } from '../../src/layers/types';
import { aqiSqlExpr } from '../../src/standards/aqiSql';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STEPS = Number(process.env.BENCH_STEPS ?? 2000);

export interface StepBench {
  stations: number;
  hours: number;
  step: { p50: number; p95: number };
  scan: { p50: number; p95: number };
  query: { p50: number; p95: number };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const stats = (xs: number[]) => ({ p50: pct(xs, 0.5), p95: pct(xs, 0.95) });

export async function benchAirStep(): Promise<StepBench> {
  const catalog = JSON.parse(readFileSync(resolve(root, 'data/catalog.json'), 'utf8'));
  const engine = await createNodeEngine();
  const parts: string[] = [];
  const stationParts: string[] = [];
  for (const c of catalog.cities) {
    await engine.loadGeoJSON(`${c.id}__stations`, readFileSync(resolve(root, 'data', c.datasets.stations.path), 'utf8'));
    await engine.loadParquet(`${c.id}__air_hourly`, new Uint8Array(readFileSync(resolve(root, 'data', c.datasets.air_hourly.path))));
    stationParts.push(`SELECT id, name, district, __xmin AS lon, __ymin AS lat, name LIKE '%对照点%' AS background FROM "${c.id}__stations"`);
    parts.push(`SELECT station_id, ts, pm25, pm10, o3, no2, so2, co FROM "${c.id}__air_hourly"`);
  }
  const cube: AirCube = await loadAirCube(engine, { stations: stationParts.join(' UNION ALL '), hourly: parts.join(' UNION ALL ') });
  await cube.dailyReady;
  const n = cube.stations.length;

  // The app's step: one layer context per step, as the controller builds it.
  const def = catalog.layers.find((l: { id: string }) => l.id === 'air');
  const city = catalog.cities[0];
  const data = { cube, rows: cube.stations.map((st, s) => ({ ...st, s, cube, period: null })), kind: 'catalog' as const, grid: null, period: null };
  const base: AppState = { city: city.id, layers: ['air'], view: null, time: '2025-01-01T00', lang: 'zh', mode: 'planner', theme: 'auto', basemap: 'offline', pack: null, pollutant: 'aqi', controls: true, step: 'hour', period: null, surface: false, airMap: 'clock', dock: null, story: null, slide: 1, selection: null, drawnParks: [], parkFilter: { area: null, districts: [] }, compareYear: null, swipe: 0.5, iso: null, facTypes: [], addedFacilities: [], isoDistances: null };
  const times = Array.from({ length: STEPS }, (_, i) => utcMsToClock(cube.startMs + ((i * 7919) % cube.hours) * 3_600_000));

  const stepMs: number[] = [];
  let sink = 0;
  for (const time of times) {
    const t0 = performance.now();
    const state = { ...base, time };
    const ctx: LayerContext = { city, def, tables: {}, state, lang: 'zh', theme: LIGHT, scale: 1 };
    const layers = airLayer.render(data, ctx, true);
    const legend = airLayer.legend(data, ctx);
    // deck.gl evaluates the accessors for every station when the trigger changes.
    const fill = (layers[0]!.props as unknown as { getFillColor: (d: unknown) => number[] }).getFillColor;
    for (const r of data.rows) sink += fill(r)[0]!;
    stepMs.push(performance.now() - t0);
    sink += legend.live?.length ?? 0;
  }

  // Baseline: the year as a long table (one row per station-hour), scanned for the hour.
  const rows = cube.hours * n;
  const ts = new Float64Array(rows);
  const aqi = new Float32Array(rows);
  const st = new Int32Array(rows);
  for (let s = 0, r = 0; s < n; s++) for (let h = 0; h < cube.hours; h++, r++) {
    ts[r] = cube.startMs + h * 3_600_000;
    aqi[r] = cube.hourly.aqi[h * n + s]!;
    st[r] = s;
  }
  const scanMs: number[] = [];
  const out = new Float32Array(n);
  for (const time of times) {
    const t0 = performance.now();
    const want = cube.startMs + stepIndex(cube, time, 'hour') * 3_600_000;
    for (let r = 0; r < rows; r++) if (ts[r] === want) out[st[r]!] = aqi[r]!;
    sink += levelCounts(out)[0]!;
    scanMs.push(performance.now() - t0);
  }

  // One DuckDB query per step (Node bindings: no worker round trip, so a lower bound of the browser's cost).
  await engine.query(`CREATE TABLE all_hourly AS ${parts.join(' UNION ALL ')}`);
  const cols = { pm25: 'pm25', pm10: 'pm10', o3: 'o3', no2: 'no2', so2: 'so2', co: 'co' };
  const queryMs: number[] = [];
  for (const time of times.slice(0, 200)) {
    const t0 = performance.now();
    const t = await engine.query(`SELECT station_id, ${aqiSqlExpr(cols, 'hourly')} AS aqi FROM all_hourly WHERE epoch_ms(ts) = $1`, [cube.startMs + stepIndex(cube, time, 'hour') * 3_600_000]);
    sink += t.numRows;
    queryMs.push(performance.now() - t0);
  }
  await engine.close();
  if (sink === Number.MIN_VALUE) console.log(sink, frameValues, indexField);
  return { stations: n, hours: cube.hours, step: stats(stepMs), scan: stats(scanMs), query: stats(queryMs) };
}

export function printAirStep(r: StepBench): void {
  const f = (x: { p50: number; p95: number }) => `p50 ${x.p50.toFixed(3).padStart(8)} ms   p95 ${x.p95.toFixed(3).padStart(8)} ms`;
  console.log(`\nTime-slider step, ${r.stations} stations × ${r.hours} hours (all four cities), ${STEPS} steps`);
  console.log(`  app step (cube frame + legend + layer descriptors)  ${f(r.step)}   target p95 ≤ 16 ms: ${r.step.p95 <= 16 ? 'met' : 'MISSED'}`);
  console.log(`  baseline: plain typed-array scan of the year        ${f(r.scan)}   ratio p95 ${(r.step.p95 / r.scan.p95).toFixed(2)}×`);
  console.log(`  for comparison: one DuckDB query per step (Node)    ${f(r.query)}   ratio p95 ${(r.step.p95 / r.query.p95).toFixed(2)}×`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) printAirStep(await benchAirStep());
