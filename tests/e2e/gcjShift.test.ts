import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { WebMercatorViewport } from '@deck.gl/core';
import { CSP } from '../../vite.config';
import { launch } from './browser';
import { wgsToGcj } from '../../src/map/gcj';
import type { Copy, GcjHarness, Kind, PickResult, ViewSpec } from './fixtures/gcjShiftPage';

/**
 * The GCJ-02 display shift (src/layers/gcjShift.ts) in real Chromium, on a
 * self-contained page (tests/e2e/fixtures/gcjShiftPage.ts, bundled here with
 * esbuild, served from a fake origin under the app's Content-Security-Policy):
 * a standalone deck.gl MapView canvas and MapLibre with an interleaved
 * MapboxOverlay. Each layer kind draws one small object at a WGS-84 anchor
 * twice: red with `gcjShift: false`, blue with `gcjShift: true`. The pixels
 * must put red where the anchor projects and blue where its GCJ-02 position
 * (gcoord, in Node) projects, through a viewport computed in Node.
 */
const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });

const ORIGIN = 'http://gcj-shift.test';
const HOST = { left: 30, top: 20, width: 640, height: 400 };
const PAGE_CSS = `
html, body { margin: 0; background: #ffffff; }
#host { position: absolute; left: ${HOST.left}px; top: ${HOST.top}px; width: ${HOST.width}px; height: ${HOST.height}px; overflow: hidden; }
`;
const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gcj shift</title>
<link rel="stylesheet" href="/gcj.css"><link rel="stylesheet" href="/page.css"></head>
<body><div id="host"></div><script src="/gcj.js"></script></body></html>`;

const RED: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number] = [0, 0, 255];
const OFF: Copy = { id: 'off', colour: RED, shift: false };
const ON: Copy = { id: 'on', colour: BLUE, shift: true };

/** Shenzhen, Futian. */
const A: [number, number] = [114.06, 22.54];
const G = wgsToGcj(A);
const MID = { longitude: (A[0] + G[0]) / 2, latitude: (A[1] + G[1]) / 2 };
const V15: ViewSpec = { ...MID, zoom: 15 };

let browser: Browser;
let files: Record<string, { type: string; body: string }>;

beforeAll(async () => {
  const result = await build({
    entryPoints: { gcj: resolve(__dirname, 'fixtures/gcjShiftPage.ts') },
    bundle: true,
    write: false,
    outdir: '/virtual',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const out = (name: string) => result.outputFiles.find((f) => f.path.endsWith(`/${name}`))?.text ?? '';
  files = {
    '/': { type: 'text/html; charset=utf-8', body: HTML },
    '/gcj.js': { type: 'text/javascript; charset=utf-8', body: out('gcj.js') },
    '/gcj.css': { type: 'text/css; charset=utf-8', body: out('gcj.css') },
    '/page.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
  };
  expect(files['/gcj.js']!.body.length).toBeGreaterThan(1000);
  expect(files['/gcj.css']!.body).toContain('.maplibregl-map');
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  context: BrowserContext;
  page: Page;
  external: string[];
  consoleErrors: string[];
}

async function open(mode: 'deck' | 'map'): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: HOST.left + HOST.width + 20, height: HOST.top + HOST.height + 20 }, deviceScaleFactor: 1 });
  const external: string[] = [];
  const consoleErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
    if (!file) {
      external.push(url.toString());
      return route.abort();
    }
    return route.fulfill({ status: 200, headers: { 'content-type': file.type, 'content-security-policy': CSP }, body: file.body });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${ORIGIN}/?mode=${mode}`);
  await page.waitForFunction(() => (window as unknown as { __gcj?: unknown }).__gcj !== undefined);
  await page.evaluate(() => (window as unknown as { __gcj: GcjHarness }).__gcj.ready);
  return { context, page, external, consoleErrors };
}

type SetArgs = Parameters<GcjHarness['set']>[0];
const set = (page: Page, p: SetArgs) => page.evaluate((q) => (window as unknown as { __gcj: GcjHarness }).__gcj.set(q), p);
const pick = (page: Page, x: number, y: number, radius = 0): Promise<PickResult> =>
  page.evaluate(([px, py, r]) => (window as unknown as { __gcj: GcjHarness }).__gcj.pick(px!, py!, r!), [x, y, radius]);
const harness = <T>(page: Page, fn: (h: GcjHarness) => T): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.__gcj)`) as Promise<T>;
const projectPage = (page: Page, p: readonly [number, number]): Promise<[number, number]> =>
  page.evaluate(([x, y]) => (window as unknown as { __gcj: GcjHarness }).__gcj.project([x!, y!]), [p[0], p[1]]);

/** Where `lngLat` lands on the canvas, in CSS px from its top left, by deck's web-mercator viewport (in Node). */
function projectNode(view: ViewSpec, lngLat: readonly [number, number]): [number, number] {
  const vp = new WebMercatorViewport({ width: HOST.width, height: HOST.height, pitch: 0, bearing: 0, ...view });
  const p = vp.project([lngLat[0], lngLat[1]]);
  return [p[0]!, p[1]!];
}

interface Blob {
  x: number;
  y: number;
  /** Sum of coverage, ≈ pixel area. */
  area: number;
  minX: number;
  maxX: number;
}

/**
 * The coverage-weighted centroid of the pixels of one colour over white
 * (anti-aliased edges count by how much of the colour they hold), in CSS px
 * with pixel centres at n + 0.5.
 */
function blob(png: PNG, colour: readonly number[]): Blob {
  let sx = 0;
  let sy = 0;
  let sw = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const r = png.data[i]!;
      const g = png.data[i + 1]!;
      const b = png.data[i + 2]!;
      // How far the pixel is from the white→red and white→blue lines; it
      // belongs to the nearer (faint blue edges are not faint red, and back).
      const offRed = 255 - r + Math.abs(g - b);
      const offBlue = 255 - b + Math.abs(r - g);
      const isRed = colour[0] === 255;
      if ((isRed ? offRed : offBlue) > Math.min(24, isRed ? offBlue : offRed)) continue;
      const c = isRed ? 1 - (g + b) / 510 : 1 - (r + g) / 510;
      if (c < 0.04) continue;
      sx += c * (x + 0.5);
      sy += c * (y + 0.5);
      sw += c;
      if (c > 0.5) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x + 1);
      }
    }
  }
  return { x: sx / sw, y: sy / sw, area: sw, minX, maxX };
}

async function shoot(page: Page, name?: string): Promise<PNG> {
  const buf = await page.screenshot({ clip: { x: HOST.left, y: HOST.top, width: HOST.width, height: HOST.height }, path: name ? resolve(OUT, name) : undefined });
  return PNG.sync.read(buf);
}

const dist = (a: { x: number; y: number } | readonly number[], b: readonly number[]) =>
  Array.isArray(a) ? Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!) : Math.hypot((a as Blob).x - b[0]!, (a as Blob).y - b[1]!);

/** Largest error seen, per case, for the report at the end. */
const measured: Record<string, number> = {};
function expectAt(b: Blob, want: readonly number[], what: string, tol = 2): void {
  const d = dist(b, want);
  measured[what] = d;
  expect(b.area, `${what}: nothing drawn`).toBeGreaterThan(20);
  expect(d, `${what}: centroid (${b.x.toFixed(2)}, ${b.y.toFixed(2)}) vs expected (${want[0]!.toFixed(2)}, ${want[1]!.toFixed(2)})`).toBeLessThanOrEqual(tol);
}

/** Kinds whose drawn shape is symmetric about the anchor: the centroid is the projected anchor. */
const SYMMETRIC: Kind[] = ['scatterplot', 'solidPolygon', 'polygonLayer', 'geojsonPolygon', 'geojsonLine', 'geojsonPoint', 'geojsonIcon', 'path', 'line', 'icon', 'bitmap'];
/** Text: glyph ink is not centred on the anchor; its displacement must be the projected shift. */
const TEXT: Kind[] = ['text', 'geojsonText'];

async function checkKind(page: Page, mode: string, kind: Kind, view: ViewSpec, label = ''): Promise<void> {
  await set(page, { kind, copies: [OFF, ON], view, anchor: A });
  const png = await shoot(page, `gcj-${mode}-${kind}${label}.png`);
  const red = blob(png, RED);
  const blue = blob(png, BLUE);
  const pa = projectNode(view, A);
  const pg = projectNode(view, G);
  const tag = `${mode} ${kind}${label}`;
  if (TEXT.includes(kind)) {
    // The same glyph at both places, moved by exactly the projected shift.
    expectAt({ ...blue, x: blue.x - red.x + pa[0]!, y: blue.y - red.y + pa[1]! }, pg, `${tag} glyph shift`);
    expect(Math.abs(blue.area - red.area) / red.area, `${tag}: same glyph`).toBeLessThan(0.1);
    expect(dist(red, pa), `${tag}: unshifted glyph near the anchor`).toBeLessThan(12);
  } else {
    expectAt(red, pa, `${tag} gcjShift:false`);
    expectAt(blue, pg, `${tag} gcjShift:true`);
  }
  // The shift is hundreds of pixels at these zooms.
  expect(dist(pa, pg)).toBeGreaterThan(200);
}

function describeMode(mode: 'deck' | 'map') {
  describe(mode === 'deck' ? 'standalone Deck (MapView)' : 'MapLibre + interleaved MapboxOverlay', () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await open(mode);
    }, 60_000);
    afterAll(async () => {
      await opened?.context.close();
    });

    it("projects like deck's viewport in Node (so the expected positions are the page's)", async () => {
      await set(opened.page, { kind: 'scatterplot', copies: [], view: { ...MID, zoom: 15.5, pitch: 45, bearing: 30 } });
      for (const p of [A, G]) {
        const onPage = await projectPage(opened.page, p);
        expect(dist(onPage, projectNode({ ...MID, zoom: 15.5, pitch: 45, bearing: 30 }, p))).toBeLessThan(0.5);
      }
    });

    for (const kind of [...SYMMETRIC, ...TEXT]) {
      it(`${kind}: unshifted at the WGS-84 position, shifted at the GCJ-02 position (zoom 15)`, async () => {
        await checkKind(opened.page, mode, kind, V15);
      });
    }

    it('zoom 16, and pitch 45 / bearing 30 (polygon, point, path, text)', async () => {
      await checkKind(opened.page, mode, 'geojsonPolygon', { ...MID, zoom: 16 }, '-z16');
      await checkKind(opened.page, mode, 'scatterplot', { ...MID, zoom: 16 }, '-z16');
      const pitched: ViewSpec = { ...MID, zoom: 15.5, pitch: 45, bearing: 30 };
      for (const kind of ['geojsonPolygon', 'scatterplot', 'path', 'text'] as Kind[]) await checkKind(opened.page, mode, kind, pitched, '-pitch45');
    });

    it('picks the shifted feature where it is drawn, and nothing where the data are', async () => {
      const { page } = opened;
      const pa = projectNode(V15, A);
      const pg = projectNode(V15, G);
      for (const kind of ['scatterplot', 'geojsonPolygon', 'geojsonPoint', 'path', 'line', 'bitmap', 'text'] as Kind[]) {
        await set(page, { kind, copies: [ON], view: V15, anchor: A });
        let at = pg;
        let radius = 0;
        if (kind === 'text') {
          const b = blob(await shoot(page), BLUE);
          at = [b.x, b.y];
          radius = 3;
        }
        expect(await pick(page, at[0]!, at[1]!, radius), `${kind} at the shifted position`).toEqual({ layerId: 'on', name: kind === 'bitmap' ? null : 'on' });
        expect(await pick(page, pa[0]!, pa[1]!, radius), `${kind} at the data's own position`).toEqual({ layerId: null, name: null });
      }
    });

    it('switching gcjShift moves the layer without rebuilding its models or compiling shaders', async () => {
      const { page } = opened;
      const pa = projectNode(V15, A);
      const pg = projectNode(V15, G);
      await set(page, { kind: 'geojsonPolygon', copies: [{ ...ON, id: 'x' }], view: V15 });
      const models = await harness(page, (h) => h.models());
      const shaders = await harness(page, (h) => h.shadersCreated());
      expect(models.length).toBeGreaterThan(0);
      expectAt(blob(await shoot(page), BLUE), pg, `${mode} toggle on`);
      await set(page, { copies: [{ ...ON, id: 'x', shift: false }] });
      expectAt(blob(await shoot(page), BLUE), pa, `${mode} toggle off`);
      await set(page, { copies: [{ ...ON, id: 'x', shift: true }] });
      expectAt(blob(await shoot(page), BLUE), pg, `${mode} toggle on again`);
      expect(await harness(page, (h) => h.models())).toEqual(models);
      expect(await harness(page, (h) => h.shadersCreated())).toBe(shaders);
    });

    it('works next to SwipeClipExtension on the same layer: shifted, then clipped at the split', async () => {
      const { page } = opened;
      const pa = projectNode(V15, A);
      const pg = projectNode(V15, G);
      // The split runs through the middle of the shifted bar.
      const splitX = Math.round(pg[0]!);
      await set(page, { kind: 'swipe', copies: [OFF, ON], view: V15, anchor: A, split: splitX / HOST.width });
      const png = await shoot(page, `gcj-${mode}-swipe.png`);
      const blue = blob(png, BLUE);
      const red = blob(png, RED);
      // The bar is ±150 m around the anchor (the fixture's metres-to-degrees).
      const halfBar = pg[0]! - projectNode(V15, [G[0] - 150 / (111_320 * Math.cos((A[1] * Math.PI) / 180)), G[1]])[0]!;
      expect(halfBar).toBeGreaterThan(25);
      // Blue (shifted): from its shifted left end to the split, nothing right of it.
      expect(Math.abs(blue.maxX - splitX)).toBeLessThanOrEqual(1);
      expect(Math.abs(blue.minX - (pg[0]! - halfBar))).toBeLessThanOrEqual(2);
      expect(Math.abs(blue.y - pg[1]!)).toBeLessThanOrEqual(2);
      // Red (unshifted) lies wholly left of the split: drawn in full around the data's position.
      expectAt(red, pa, `${mode} swipe unshifted`);
      expect(Math.abs(red.maxX - red.minX - 2 * halfBar)).toBeLessThanOrEqual(2);
    });

    it('draws with no errors, no requests and no CSP violations', async () => {
      expect(await harness(opened.page, (h) => h.errors)).toEqual([]);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.external).toEqual([]);
    });
  });
}

describeMode('deck');
describeMode('map');

describe('fallbacks and accuracy (standalone Deck)', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await open('deck');
  }, 60_000);
  afterAll(async () => {
    await opened?.context.close();
  });

  it('a layer that does not set geometry.worldPosition is shifted from its common position; one that sets neither, by the view centre', async () => {
    const pg = projectNode(V15, G);
    for (const kind of ['noWorldPosition', 'noCommonPosition'] as Kind[]) {
      await set(opened.page, { kind, copies: [OFF, ON], view: V15, anchor: A });
      const png = await shoot(opened.page);
      expectAt(blob(png, RED), projectNode(V15, A), `${kind} gcjShift:false`);
      expectAt(blob(png, BLUE), pg, `${kind} gcjShift:true`);
    }
    expect(await harness(opened.page, (h) => h.errors)).toEqual([]);
  });

  it('matches gcoord to within 1 cm at zoom 20, across China', async () => {
    // 1 px at zoom 20 is 0.045–0.072 m here. The view is centred on gcoord's
    // GCJ-02 position of the point, so the shifted point belongs at the canvas centre.
    const places: Record<string, [number, number]> = {
      shenzhen: [114.0579, 22.5431],
      ningbo: [121.544, 29.8683],
      jinan: [117.1205, 36.651],
      qingdao: [120.3826, 36.0671],
      kashgar: [75.99, 39.47],
      harbin: [126.63, 45.75],
      sanya: [109.51, 18.25],
      lhasa: [91.13, 29.65],
      mohe: [122.53, 52.97],
    };
    const FALLBACK_TOO = ['shenzhen', 'kashgar', 'mohe'];
    const centre = [HOST.width / 2, HOST.height / 2];
    const report: string[] = [];
    let worstM = 0;
    let worstPx = 0;
    for (const [name, p] of Object.entries(places)) {
      const g = wgsToGcj(p);
      const metresPerPx = (40_075_016.686 * Math.cos((g[1] * Math.PI) / 180)) / (512 * 2 ** 20);
      // Deck's own error (unshifted point, view centred on it) …
      await set(opened.page, { kind: 'scatterplot', copies: [{ ...OFF, shift: false }], view: { longitude: p[0], latitude: p[1], zoom: 20 }, anchor: p });
      const base = blob(await shoot(opened.page), RED);
      // … and the shifted one.
      await set(opened.page, { kind: 'scatterplot', copies: [ON], view: { longitude: g[0], latitude: g[1], zoom: 20 }, anchor: p });
      const shifted = blob(await shoot(opened.page), BLUE);
      const px = dist(shifted, centre);
      worstPx = Math.max(worstPx, px);
      worstM = Math.max(worstM, px * metresPerPx);
      let line = `${name}: shifted ${px.toFixed(3)} px = ${(px * metresPerPx).toFixed(4)} m (deck alone ${dist(base, centre).toFixed(3)} px)`;
      expect(shifted.area).toBeGreaterThan(100);
      expect(dist(base, centre)).toBeLessThan(0.5);
      if (FALLBACK_TOO.includes(name)) {
        // Fallback 2 (lng/lat from the common position, as for LineLayer).
        await set(opened.page, { kind: 'noWorldPosition' });
        const fb = dist(blob(await shoot(opened.page), BLUE), centre);
        worstPx = Math.max(worstPx, fb);
        worstM = Math.max(worstM, fb * metresPerPx);
        line += `; without worldPosition ${fb.toFixed(3)} px = ${(fb * metresPerPx).toFixed(4)} m`;
      }
      report.push(line);
    }
    console.log(`GCJ shift vs gcoord at zoom 20:\n  ${report.join('\n  ')}\n  worst ${worstPx.toFixed(2)} px = ${worstM.toFixed(3)} m`);
    // Measured: 0.03 px (1 mm) at worst; the CPU emulation of the shader says < 2 mm.
    expect(worstM).toBeLessThan(0.01);
  });
});

afterAll(() => {
  const rows = Object.entries(measured).map(([k, v]) => `${v.toFixed(2)} px  ${k}`);
  if (rows.length) console.log(`GCJ shift centroid errors:\n  ${rows.join('\n  ')}`);
});
