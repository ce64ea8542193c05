/**
 * Park service-radius coverage, per city: the fast grid-indexed
 * `computeCoverage` (median of 5 runs) against the turf.js baseline
 * `coverageBruteForce` (buffer every counted park, test every cell; run once),
 * and whether the two agree on the cells compared.
 *
 * The baseline runs on every populated cell when it is estimated to take
 * ≤ 60 s (estimated from a 2 % probe); otherwise on a 10 % sample of cells,
 * and its time is scaled ×10 (printed as "est.").
 *
 *   npx tsx scripts/bench/coverage.ts
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon, lineString, point, pointToLineDistance } from '@turf/turf';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  cellAreaFromGrid,
  computeCoverage,
  coverageBruteForce,
  ringsToGeometry,
  type CoverageCells,
  type CoverageParks,
} from '../../src/analysis/parkCoverage';
import { gridStep } from '../../src/layers/lifecircle';
import { parkServiceRadius } from '../../src/standards/parks';
import { every, subset } from './coverageSample';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BRUTE_LIMIT_MS = 60_000;
export const SAMPLE = 0.1;

export interface CoverageBench {
  city: string;
  parks: number;
  cells: number;
  fastMs: number;
  bruteMs: number;
  /** True when the baseline ran on a sample and `bruteMs` is scaled. */
  bruteSampled: boolean;
  compared: number;
  mismatches: number;
  /** Largest distance (m) of a differing cell from the nearest service-radius edge: small = arc polygonisation only. */
  mismatchEdgeM: number;
  landShare: number | null;
  popShare: number | null;
  parkM2PerPerson: number | null;
}

export async function loadCity(city: string): Promise<{ parks: CoverageParks; cells: CoverageCells }> {
  const fc = JSON.parse(readFileSync(resolve(root, 'data/cities', city, 'parks.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const feats = fc.features.filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
  const parks: CoverageParks = {
    id: feats.map((f) => String(f.properties?.id)),
    district: feats.map((f) => String(f.properties?.district ?? '')),
    areaM2: Float64Array.from(feats.map((f) => Number(f.properties?.area_m2))),
    rings: feats.map((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat())),
  };
  const file = await asyncBufferFromFile(resolve(root, 'data/cities', city, 'population.parquet'));
  const rows = (await parquetReadObjects({ file, columns: ['lon', 'lat', 'pop', 'district'] })).filter((r) => Number(r.pop) > 0);
  const lon = Float64Array.from(rows.map((r) => Number(r.lon)));
  const lat = Float64Array.from(rows.map((r) => Number(r.lat)));
  let latMin = Infinity, latMax = -Infinity;
  for (const v of lat) {
    latMin = Math.min(latMin, v);
    latMax = Math.max(latMax, v);
  }
  return {
    parks,
    cells: {
      lon,
      lat,
      pop: Float64Array.from(rows.map((r) => Number(r.pop))),
      district: rows.map((r) => String(r.district)),
      cellAreaM2: cellAreaFromGrid(gridStep([...lon]), gridStep([...lat]), (latMin + latMax) / 2),
    },
  };
}


/** How far (m) a point is from the nearest service-radius edge of any counted park (turf, geodesic). */
export function edgeDistance(parks: CoverageParks, lon: number, lat: number): number {
  const pt = point([lon, lat]);
  let best = Infinity;
  for (let p = 0; p < parks.id.length; p++) {
    const r = parkServiceRadius(parks.areaM2[p]);
    const g = r === null ? null : ringsToGeometry(parks.rings[p]!);
    if (r === null || !g) continue;
    const d = booleanPointInPolygon(pt, g) ? 0 : Math.min(...parks.rings[p]!.map((ring) => pointToLineDistance(pt, lineString(ring), { units: 'meters' })));
    best = Math.min(best, Math.abs(d - r));
  }
  return best;
}


export async function benchCoverage(cities = ['shenzhen', 'ningbo', 'jinan', 'qingdao']): Promise<CoverageBench[]> {
  const out: CoverageBench[] = [];
  for (const city of cities) {
    const { parks, cells } = await loadCity(city);
    const n = cells.lon.length;
    const times: number[] = [];
    let result = computeCoverage(parks, cells);
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      result = computeCoverage(parks, cells);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const fastMs = times[2]!;

    // Baseline cost is ≈ parks × cells: probe on 2 % of the cells to decide whether the full run fits in 60 s.
    const probeIdx = every(n, 0.02);
    const tp = performance.now();
    coverageBruteForce(parks, subset(cells, probeIdx));
    const probeMs = performance.now() - tp;
    const estFull = (probeMs * n) / Math.max(1, probeIdx.length);
    const sampled = estFull > BRUTE_LIMIT_MS;
    const idx = sampled ? every(n, SAMPLE) : Array.from({ length: n }, (_, i) => i);
    const tb = performance.now();
    const slow = coverageBruteForce(parks, sampled ? subset(cells, idx) : cells);
    const bruteRaw = performance.now() - tb;
    let mismatches = 0;
    let mismatchEdgeM = 0;
    idx.forEach((i, j) => {
      if (slow[j] === result.covered[i]) return;
      mismatches++;
      mismatchEdgeM = Math.max(mismatchEdgeM, edgeDistance(parks, cells.lon[i]!, cells.lat[i]!));
    });
    out.push({
      city,
      parks: parks.id.length,
      cells: n,
      fastMs,
      bruteMs: sampled ? (bruteRaw * n) / idx.length : bruteRaw,
      bruteSampled: sampled,
      compared: idx.length,
      mismatches,
      mismatchEdgeM,
      landShare: result.city.landShare,
      popShare: result.city.popShare,
      parkM2PerPerson: result.city.parkM2PerPerson,
    });
  }
  return out;
}

export function printCoverage(rs: CoverageBench[]): void {
  const pct = (v: number | null) => (v === null ? '   –  ' : `${(v * 100).toFixed(1).padStart(5)}%`);
  console.log('\nPark service-radius coverage: computeCoverage (median of 5) vs turf buffer + booleanPointInPolygon (once)');
  for (const r of rs) {
    const brute = `${r.bruteSampled ? 'est. ' : ''}${r.bruteMs.toFixed(0)} ms${r.bruteSampled ? ` (10 % sample of ${r.compared} cells, ×10)` : ''}`;
    console.log(
      `  ${r.city.padEnd(9)} ${String(r.parks).padStart(5)} parks ${String(r.cells).padStart(6)} cells   fast ${r.fastMs.toFixed(1).padStart(7)} ms   baseline ${brute}   ratio ${(r.bruteMs / r.fastMs).toFixed(0)}×   agree ${r.compared - r.mismatches}/${r.compared}${r.mismatches ? ` (${r.mismatches} differ, all within ${r.mismatchEdgeM.toFixed(2)} m of a radius edge)` : ''}`,
    );
    console.log(`            coverage by residential land ${pct(r.landShare)}, by population ${pct(r.popShare)}, park area per person ${r.parkM2PerPerson?.toFixed(1) ?? '–'} m²`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) printCoverage(await benchCoverage());
