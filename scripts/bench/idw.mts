// IDW surface cost per clock step, per city: `npx tsx scripts/bench/idw.mts [steps]`.
// Prints p50/p95 of interpolate + colourize next to a plain loop over the same
// number of cells (the ratio is what to compare between machines), the grid
// build time, and the scanline mask against turf.booleanPointInPolygon.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import { buildIdwGrid, colourize, interpolate, rasteriseMask, type Bounds } from '../../src/air/idw.ts';
import { aqiSurfaceColour } from '../../src/layers/airSurface.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STEPS = Number(process.argv[2] ?? 1000);
const catalog = JSON.parse(readFileSync(resolve(root, 'data/catalog.json'), 'utf8')) as {
  cities: { id: string; bounds: Bounds }[];
};
const readJson = <T,>(p: string): T => JSON.parse(readFileSync(resolve(root, p), 'utf8')) as T;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

// Seeded so every run times the same steps (mulberry32).
let seed = 0x1d3;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const rows: Record<string, string | number>[] = [];
for (const city of catalog.cities) {
  const boundary = readJson<FeatureCollection<Polygon | MultiPolygon>>(`data/cities/${city.id}/districts.geojson`);
  const stations = readJson<FeatureCollection<Point>>(`data/cities/${city.id}/stations.geojson`).features.map(
    (f) => f.geometry.coordinates as [number, number],
  );

  let t0 = performance.now();
  const grid = buildIdwGrid({ bounds: city.bounds, boundary, stations });
  const buildMs = performance.now() - t0;
  t0 = performance.now();
  const mask = rasteriseMask(boundary, grid);
  const maskMs = performance.now() - t0;
  t0 = performance.now();
  let mismatches = 0;
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const pt = [grid.lons[c]!, grid.lats[r]!];
      const inTurf = boundary.features.some((f) => booleanPointInPolygon(pt, f));
      if (inTurf !== (mask[r * grid.width + c] === 1)) mismatches++;
    }
  }
  const turfMs = performance.now() - t0;

  // Steps drawn up front so the timed loop measures only the surface; ~10 % of
  // readings missing, like a real hour with stations offline.
  const n = stations.length;
  const inputs = Array.from({ length: STEPS }, () => Float32Array.from({ length: n }, () => (rand() < 0.1 ? NaN : rand() * 300)));
  const field = new Float32Array(grid.width * grid.height);
  const rgba = new Uint8ClampedArray(grid.width * grid.height * 4);
  const interpMs: number[] = [];
  const colourMs: number[] = [];
  const stepMs: number[] = [];
  const baseMs: number[] = [];
  const src = new Float32Array(grid.width * grid.height).map(() => rand());
  const dst = new Float32Array(src.length);
  let sink = 0;
  for (let s = 0; s < STEPS; s++) {
    const a = performance.now();
    interpolate(grid, inputs[s]!, field);
    const b = performance.now();
    colourize(grid, field, aqiSurfaceColour, rgba);
    const c = performance.now();
    // Baseline: one multiply-add per cell over the same number of cells.
    for (let i = 0; i < src.length; i++) dst[i] = src[i]! * 1.5 + s;
    const d = performance.now();
    sink += rgba[(s * 4099) % rgba.length]! + dst[s % dst.length]!;
    interpMs.push(b - a);
    colourMs.push(c - b);
    stepMs.push(c - a);
    baseMs.push(d - c);
  }
  if (Number.isNaN(sink)) console.log('');

  rows.push({
    city: city.id,
    grid: `${grid.width}×${grid.height}`,
    cells: grid.width * grid.height,
    inside: grid.cells.length,
    'cell m': Math.round(grid.cellMetres),
    K: grid.k,
    'build ms': buildMs.toFixed(1),
    'mask ms': maskMs.toFixed(1),
    'turf mask ms': turfMs.toFixed(0),
    'mask ≠ turf': mismatches,
    'interp p50': pct(interpMs, 0.5).toFixed(3),
    'colour p50': pct(colourMs, 0.5).toFixed(3),
    'step p50 ms': pct(stepMs, 0.5).toFixed(3),
    'step p95 ms': pct(stepMs, 0.95).toFixed(3),
    'loop p50 ms': pct(baseMs, 0.5).toFixed(3),
    'step/loop': (pct(stepMs, 0.5) / pct(baseMs, 0.5)).toFixed(1),
  });
}
console.log(`${STEPS} steps per city, node ${process.version}`);
console.table(rows);
