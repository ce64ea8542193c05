/**
 * Browser entry of the in-Chromium park coverage bench (scripts/bench/
 * coverageBrowser.ts bundles it with esbuild as an IIFE and injects it into a
 * blank page). It puts `computeCoverage` and `coverageBruteForce` on `window`,
 * and `window.__coverageBench.runCity` times them on one city's inputs.
 *
 * Inputs arrive as plain arrays (page.evaluate serialises typed arrays as
 * objects); the Float64Arrays are rebuilt here, outside the timed region.
 * Pure: imports only src/analysis/parkCoverage.ts (and through it @turf/turf
 * and src/standards/parks.ts).
 */
import { computeCoverage, coverageBruteForce, type CoverageCells, type CoverageParks } from '../../src/analysis/parkCoverage';
import { every, subset } from './coverageSample';

export interface PlainParks {
  id: string[];
  district: string[];
  areaM2: number[];
  rings: number[][][][];
}

export interface PlainCells {
  lon: number[];
  lat: number[];
  pop: number[];
  district: string[];
  cellAreaM2: number;
}

export interface PagePolicy {
  /** Timed runs of the fast path (after one warm-up); the median is reported. */
  runs: number;
  /** The baseline runs on every cell only if a probe estimates it at ≤ this (ms). */
  bruteLimitMs: number;
  /** Share of cells the probe runs on. */
  probe: number;
  /** Share of cells the baseline runs on when the full run would exceed the limit. */
  sample: number;
}

export interface PageResult {
  fastMs: number;
  fastRunsMs: number[];
  /** Measured baseline time (on the sample when `bruteSampled`; not scaled here). */
  bruteRawMs: number;
  bruteSampled: boolean;
  probeMs: number;
  /** Cell indices the baseline ran on (all, or the sample). */
  idx: number[];
  /** Fast-path classes (0 / 1 / 2) of every cell. */
  fast: number[];
  /** Baseline classes of the cells in `idx`, in that order. */
  brute: number[];
  landShare: number | null;
  popShare: number | null;
}



export function runCity(plainParks: PlainParks, plainCells: PlainCells, policy: PagePolicy): PageResult {
  const parks: CoverageParks = { ...plainParks, areaM2: Float64Array.from(plainParks.areaM2) };
  const cells: CoverageCells = {
    lon: Float64Array.from(plainCells.lon),
    lat: Float64Array.from(plainCells.lat),
    pop: Float64Array.from(plainCells.pop),
    district: plainCells.district,
    cellAreaM2: plainCells.cellAreaM2,
  };
  const n = cells.lon.length;

  let result = computeCoverage(parks, cells); // warm-up
  const fastRunsMs: number[] = [];
  for (let k = 0; k < policy.runs; k++) {
    const t0 = performance.now();
    result = computeCoverage(parks, cells);
    fastRunsMs.push(performance.now() - t0);
  }
  const sorted = [...fastRunsMs].sort((a, b) => a - b);
  const fastMs = sorted[Math.floor(sorted.length / 2)]!;

  // Baseline cost is ≈ parks × cells: a probe on a small share of the cells decides whether the full run fits the limit.
  const probeIdx = every(n, policy.probe);
  const probeCells = subset(cells, probeIdx);
  const tp = performance.now();
  coverageBruteForce(parks, probeCells);
  const probeMs = performance.now() - tp;
  const estFull = (probeMs * n) / Math.max(1, probeIdx.length);
  const bruteSampled = estFull > policy.bruteLimitMs;
  const idx = bruteSampled ? every(n, policy.sample) : Array.from({ length: n }, (_, i) => i);
  const bruteCells = bruteSampled ? subset(cells, idx) : cells;
  const tb = performance.now();
  const slow = coverageBruteForce(parks, bruteCells);
  const bruteRawMs = performance.now() - tb;

  return {
    fastMs,
    fastRunsMs,
    bruteRawMs,
    bruteSampled,
    probeMs,
    idx,
    fast: Array.from(result.covered),
    brute: Array.from(slow),
    landShare: result.city.landShare,
    popShare: result.city.popShare,
  };
}

Object.assign(window, { computeCoverage, coverageBruteForce });

export { computeCoverage, coverageBruteForce };
