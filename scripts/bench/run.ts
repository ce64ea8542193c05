/**
 * `npm run bench`: benchmarks against baselines measured in the same run, so
 * the printed ratios mean the same on a fast or a slow machine.
 *
 * Start-up: time to first map paint and to every default layer drawn for the
 * default city, each as a ratio to a bare MapLibre page drawing the same
 * district file (scripts/bench/bare.html).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../../tests/e2e/browser';
import { serveStatic } from './server';
import { benchAirStep, printAirStep } from './airStep';
import { benchKiosk, printKiosk, type KioskBench } from './kiosk';
import { benchCoverage, printCoverage } from './coverage';
import { benchIsochrone, printIsochrone } from './isochrone';
import { benchCoverageBrowser, printCoverageBrowser, type CoverageBrowserBench } from './coverageBrowser';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const catalog = JSON.parse(readFileSync(resolve(root, 'data/catalog.json'), 'utf8'));
const city = catalog.cities.find((c: { id: string }) => c.id === catalog.defaultCity);

const { server, url } = await serveStatic({
  '/__maplibre/': resolve(root, 'node_modules/maplibre-gl/dist'),
  '/__bench/': resolve(root, 'scripts/bench'),
  '/': resolve(root, 'dist'),
});
const browser = await launch();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(path: string, read: string): Promise<{ firstPaint: number; drawn: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.route('**/*', (r) => (r.request().url().startsWith(url) || r.request().url().startsWith('data:') || r.request().url().startsWith('blob:') ? r.continue() : r.abort()));
  await page.goto(url + path);
  const result = (await page.evaluate(read)) as { firstPaint: number; drawn: number };
  await context.close();
  return result;
}

/**
 * Clock steps in the real app (Jinan, air layer and station chart open): the
 * synchronous work of a step (store → layer descriptors; the time bar, legend
 * and chart cursor follow in the frame that draws it) and the time to the next
 * two animation frames, against frames with no step.
 */
async function measureSteps(): Promise<{ sync: number[]; frame: number[]; idle: number[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.route('**/*', (r) => (r.request().url().startsWith(url) ? r.continue() : r.abort()));
  await page.goto(`${url}?city=jinan&layers=air&dock=station&t=2025-03-01T00`);
  await page.evaluate('window.__atlasBoot.then((h) => h.settled())');
  await page.waitForSelector('.dock-chart svg');
  const result = await page.evaluate(`(async () => {
    const h = window.__atlas;
    const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
    const sync = [], frame = [], idle = [];
    let t = Date.UTC(2025, 2, 1) - 8 * 3600e3;
    const clock = (ms) => { const d = new Date(ms + 8 * 3600e3); const p = (n) => String(n).padStart(2, '0'); return d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + 'T' + p(d.getUTCHours()); };
    for (let i = 0; i < 240; i++) {
      await raf();
      const a = performance.now(); await raf(); await raf(); idle.push(performance.now() - a);
      t += 3600e3;
      const t0 = performance.now();
      h.store.set({ time: clock(t) });
      const t1 = performance.now();
      await raf(); await raf();
      sync.push(t1 - t0); frame.push(performance.now() - t0);
    }
    return { sync, frame, idle };
  })()`);
  await context.close();
  return result as { sync: number[]; frame: number[]; idle: number[] };
}

const bare: { firstPaint: number; drawn: number }[] = [];
const app: { firstPaint: number; drawn: number }[] = [];
let steps: { sync: number[]; frame: number[]; idle: number[] } = { sync: [], frame: [], idle: [] };
let kiosk: KioskBench | null = null;
let coverageBrowser: CoverageBrowserBench[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    // Interleave so that machine noise hits both alike.
    bare.push(await measure(`__bench/bare.html?file=${city.datasets.districts.path}&bounds=${city.bounds.join(',')}`, 'window.__bench'));
    app.push(
      await measure(
        `?city=${city.id}`,
        `(async () => { const t0 = 0; const h = await window.__atlasBoot; await h.settled(); return { firstPaint: h.firstPaintMs, drawn: performance.now() - t0 }; })()`,
      ),
    );
  }
  steps = await measureSteps();
  kiosk = await benchKiosk(browser, url);
  coverageBrowser = await benchCoverageBrowser(browser, url);
} finally {
  await browser.close();
  server.close();
}

const row = (name: string, a: number, b: number) =>
  `${name.padEnd(34)} app ${a.toFixed(0).padStart(6)} ms   bare MapLibre ${b.toFixed(0).padStart(6)} ms   ratio ${(a / b).toFixed(2)}×`;
console.log(`\nStart-up, ${city.name.en}, 1440×900, median of ${RUNS} (headless Chromium, SwiftShader)`);
console.log(row('first map paint', median(app.map((r) => r.firstPaint)), median(bare.map((r) => r.firstPaint))));
console.log(row('all default layers drawn (idle)', median(app.map((r) => r.drawn)), median(bare.map((r) => r.drawn))));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(2).padStart(7)} ms`;
console.log(`\nClock steps in the app, Jinan (20 stations, a year of hours), air layer + station chart, ${steps.sync.length} steps`);
console.log(`  synchronous step (store → layer descriptors)          p50 ${ms(pct(steps.sync, 0.5))}   p95 ${ms(pct(steps.sync, 0.95))}   target p95 ≤ 16 ms: ${pct(steps.sync, 0.95) <= 16 ? 'met' : 'MISSED'}`);
console.log(`  step to two frames (layers, time bar, legend, cursor) p50 ${ms(pct(steps.frame, 0.5))}   p95 ${ms(pct(steps.frame, 0.95))}`);
console.log(`  baseline: two frames with no step                    p50 ${ms(pct(steps.idle, 0.5))}   p95 ${ms(pct(steps.idle, 0.95))}   ratio p95 ${(pct(steps.frame, 0.95) / pct(steps.idle, 0.95)).toFixed(2)}×`);

if (kiosk) printKiosk(kiosk);
printAirStep(await benchAirStep());
printCoverage(await benchCoverage());
printIsochrone(await benchIsochrone());
printCoverageBrowser(coverageBrowser);
