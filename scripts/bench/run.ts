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

const bare: { firstPaint: number; drawn: number }[] = [];
const app: { firstPaint: number; drawn: number }[] = [];
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
} finally {
  await browser.close();
  server.close();
}

const row = (name: string, a: number, b: number) =>
  `${name.padEnd(34)} app ${a.toFixed(0).padStart(6)} ms   bare MapLibre ${b.toFixed(0).padStart(6)} ms   ratio ${(a / b).toFixed(2)}×`;
console.log(`\nStart-up, ${city.name.en}, 1440×900, median of ${RUNS} (headless Chromium, SwiftShader)`);
console.log(row('first map paint', median(app.map((r) => r.firstPaint)), median(bare.map((r) => r.firstPaint))));
console.log(row('all default layers drawn (idle)', median(app.map((r) => r.drawn)), median(bare.map((r) => r.drawn))));
