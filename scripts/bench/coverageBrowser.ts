/**
 * Park service-radius coverage in the browser: the same whole-city work as
 * scripts/bench/coverage.ts, but run in headless Chromium, where the app runs
 * it. src/analysis/parkCoverage.ts (with @turf/turf and src/standards/parks.ts)
 * is bundled with esbuild from scripts/bench/coverageEntry.ts and injected
 * into a blank page; each city's parks and populated cells are read in Node
 * (the loader of coverage.ts) and handed to the page as plain arrays, outside
 * the timed region.
 *
 * In the page, per city: the fast `computeCoverage` (median of 5 runs after a
 * warm-up) and the turf.js baseline `coverageBruteForce` (once; on every cell
 * when a 2 % probe estimates it at ≤ 60 s, otherwise on a 10 % sample with its
 * time scaled ×10, printed as "est."), and whether the two agree on the cells
 * compared. No timing is asserted.
 *
 *   npx tsx scripts/bench/coverageBrowser.ts
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { computeCoverage } from '../../src/analysis/parkCoverage';
import { launch } from '../../tests/e2e/browser';
import { BRUTE_LIMIT_MS, SAMPLE, edgeDistance, loadCity } from './coverage';
import type { PagePolicy, PageResult, PlainCells, PlainParks } from './coverageEntry';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = 5;
const PROBE = 0.02;
/** A differing cell farther than this (m) from every service-radius edge is not the baseline's polygonal arc (≈ 0.6 m at 16 steps). */
const ARC_TOLERANCE_M = 1;

export interface CoverageBrowserBench {
  city: string;
  parks: number;
  cells: number;
  fastMs: number;
  fastRunsMs: number[];
  /** Baseline time, scaled to every cell when `bruteSampled`. */
  bruteMs: number;
  bruteSampled: boolean;
  /** bruteMs ÷ fastMs. */
  ratio: number;
  compared: number;
  mismatches: number;
  /** Largest distance (m) of a differing cell from the nearest service-radius edge (0 when none differ). */
  mismatchEdgeM: number;
  /** Cells whose fast class in Chromium differs from the same function run in Node (should be 0). */
  nodeDiffers: number;
  landShare: number | null;
  popShare: number | null;
}

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [resolve(root, 'scripts/bench/coverageEntry.ts')],
    bundle: true,
    format: 'iife',
    globalName: '__coverageBench',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0]!.text;
}

/**
 * Runs the bench in a fresh context of `browser`. With `serveUrl` (the bench
 * server of run.ts) the blank page gets that http origin, like the other
 * browser benches; without it, it is about:blank. No request leaves localhost.
 */
export async function benchCoverageBrowser(
  browser: Browser,
  serveUrl?: string,
  cities = ['shenzhen', 'ningbo', 'jinan', 'qingdao'],
): Promise<CoverageBrowserBench[]> {
  const script = await bundle();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const blank = '<!doctype html><meta charset="utf-8"><title>park coverage bench</title>';
  const pageUrl = serveUrl ? new URL('__coverage-bench.html', serveUrl).toString() : null;
  await page.route('**/*', (r) => {
    const u = r.request().url();
    if (pageUrl && u === pageUrl) return r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: blank });
    return serveUrl && u.startsWith(serveUrl) ? r.continue() : r.abort();
  });
  const out: CoverageBrowserBench[] = [];
  try {
    if (pageUrl) await page.goto(pageUrl);
    else await page.setContent(blank);
    await page.addScriptTag({ content: script });
    const ok = await page.evaluate(
      'typeof window.__coverageBench?.runCity === "function" && typeof window.computeCoverage === "function" && typeof window.coverageBruteForce === "function"',
    );
    if (!ok) throw new Error(`coverage bundle did not load in the page${errors.length ? `: ${errors.join('; ')}` : ''}`);

    const policy: PagePolicy = { runs: RUNS, bruteLimitMs: BRUTE_LIMIT_MS, probe: PROBE, sample: SAMPLE };
    for (const city of cities) {
      const { parks, cells } = await loadCity(city);
      const plainParks: PlainParks = { id: parks.id, district: parks.district, areaM2: Array.from(parks.areaM2), rings: parks.rings };
      const plainCells: PlainCells = {
        lon: Array.from(cells.lon),
        lat: Array.from(cells.lat),
        pop: Array.from(cells.pop),
        district: cells.district,
        cellAreaM2: cells.cellAreaM2,
      };
      const r = await page.evaluate(
        ([p, c, pol]) => (window as unknown as { __coverageBench: { runCity: (a: PlainParks, b: PlainCells, c: PagePolicy) => PageResult } }).__coverageBench.runCity(p, c, pol),
        [plainParks, plainCells, policy] as const,
      );

      // Checks, outside the timed region: baseline vs fast (in the page), and the page's fast result vs Node's.
      const n = cells.lon.length;
      let mismatches = 0;
      let mismatchEdgeM = 0;
      r.idx.forEach((i, j) => {
        if (r.brute[j] === r.fast[i]) return;
        mismatches++;
        mismatchEdgeM = Math.max(mismatchEdgeM, edgeDistance(parks, cells.lon[i]!, cells.lat[i]!));
      });
      const nodeFast = computeCoverage(parks, cells).covered;
      let nodeDiffers = 0;
      for (let i = 0; i < n; i++) if (nodeFast[i] !== r.fast[i]) nodeDiffers++;
      const bruteMs = r.bruteSampled ? (r.bruteRawMs * n) / r.idx.length : r.bruteRawMs;
      out.push({
        city,
        parks: parks.id.length,
        cells: n,
        fastMs: r.fastMs,
        fastRunsMs: r.fastRunsMs,
        bruteMs,
        bruteSampled: r.bruteSampled,
        ratio: bruteMs / r.fastMs,
        compared: r.idx.length,
        mismatches,
        mismatchEdgeM,
        nodeDiffers,
        landShare: r.landShare,
        popShare: r.popShare,
      });
    }
  } finally {
    await context.close();
  }
  if (errors.length) console.warn(`coverage bench page errors: ${errors.join('; ')}`);
  return out;
}

export function printCoverageBrowser(rs: CoverageBrowserBench[], version?: string): void {
  console.log(`\nPark coverage in Chromium${version ? ` ${version}` : ''} (whole city): computeCoverage (median of ${RUNS} after a warm-up) vs turf buffer + booleanPointInPolygon (once)`);
  console.log(`  ${'city'.padEnd(9)} ${'parks'.padStart(5)} ${'cells'.padStart(6)} ${'fast ms'.padStart(8)} ${'baseline ms'.padStart(16)} ${'× faster'.padStart(9)}   agree`);
  for (const r of rs) {
    const brute = `${r.bruteSampled ? 'est. ' : ''}${r.bruteMs.toFixed(0)}`;
    console.log(
      `  ${r.city.padEnd(9)} ${String(r.parks).padStart(5)} ${String(r.cells).padStart(6)} ${r.fastMs.toFixed(1).padStart(8)} ${brute.padStart(16)} ${`${r.ratio.toFixed(0)}×`.padStart(9)}   ${r.compared - r.mismatches}/${r.compared}${r.mismatches ? ' !!' : ''}`,
    );
  }
  const sampled = rs.filter((r) => r.bruteSampled);
  if (sampled.length) console.log(`  est.: baseline run on a ${SAMPLE * 100} % sample of cells (probe over ${BRUTE_LIMIT_MS / 1000} s) and scaled ×${1 / SAMPLE}: ${sampled.map((r) => `${r.city} ${r.compared} cells`).join(', ')}`);
  for (const r of rs) {
    if (r.mismatches) {
      const arc = r.mismatchEdgeM <= ARC_TOLERANCE_M;
      console.log(
        `  !! ${r.city}: fast and baseline DISAGREE on ${r.mismatches} of ${r.compared} cells, all within ${r.mismatchEdgeM.toFixed(2)} m of a service-radius edge` +
          (arc ? ` (the baseline's polygonal arc, ≤ ${ARC_TOLERANCE_M} m)` : ` — BEYOND the ${ARC_TOLERANCE_M} m arc tolerance: NOT explained by the baseline's polygonisation`),
      );
    }
    if (r.nodeDiffers) console.log(`  !! ${r.city}: computeCoverage in Chromium DIFFERS from Node on ${r.nodeDiffers} of ${r.cells} cells`);
  }
  if (rs.every((r) => !r.nodeDiffers)) console.log('  computeCoverage in Chromium gives the same class as in Node on every cell of every city');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const browser = await launch();
  try {
    const version = browser.version();
    printCoverageBrowser(await benchCoverageBrowser(browser), version);
  } finally {
    await browser.close();
  }
}
