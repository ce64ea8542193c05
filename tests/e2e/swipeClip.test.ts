import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { CSP } from '../../vite.config';
import { colourDistance, launch } from './browser';
import type { PickResult, Scene, SwipeHarness } from './fixtures/swipeClipPage';
import type { SwipeMapHarness } from './fixtures/swipeClipMapPage';

/**
 * The swipe-compare clip (src/layers/swipeClip.ts) and its divider
 * (src/ui/swipeDivider.ts) in real Chromium, on a self-contained page: a
 * standalone deck.gl canvas, bundled here with esbuild and served from a fake
 * origin under the app's own Content-Security-Policy. A red copy of each layer
 * kind is clipped to the left of the split, a blue copy (drawn on top) to the
 * right, so without the extension the canvas would be blue everywhere.
 */
const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });

const ORIGIN = 'http://swipe-clip.test';
// The deck canvas sits at an offset in the page, so page and canvas pixels differ.
const HOST = { left: 30, top: 20, width: 400, height: 200 };
const PAGE_CSS = `
html, body { margin: 0; background: #ffffff; }
#deck-host { position: absolute; left: ${HOST.left}px; top: ${HOST.top}px; width: ${HOST.width}px; height: ${HOST.height}px; overflow: hidden; --swipe-label-top: 8px; }
#map-host { position: absolute; left: ${HOST.left}px; top: ${HOST.top}px; width: ${HOST.width}px; height: ${HOST.height}px; }
`;
const html = (name: string, host: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>swipe clip</title>
<link rel="stylesheet" href="/${name}.css"><link rel="stylesheet" href="/page.css"></head>
<body><div id="${host}"></div><script src="/${name}.js"></script></body></html>`;

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

let browser: Browser;
let files: Record<string, { type: string; body: string }>;

beforeAll(async () => {
  const result = await build({
    entryPoints: { deck: resolve(__dirname, 'fixtures/swipeClipPage.ts'), map: resolve(__dirname, 'fixtures/swipeClipMapPage.ts') },
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
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  files = {
    '/': { type: 'text/html; charset=utf-8', body: html('deck', 'deck-host') },
    '/map.html': { type: 'text/html; charset=utf-8', body: html('map', 'map-host') },
    '/deck.js': { type: js, body: out('deck.js') },
    '/deck.css': { type: css, body: out('deck.css') },
    '/map.js': { type: js, body: out('map.js') },
    '/map.css': { type: css, body: out('map.css') },
    '/page.css': { type: css, body: PAGE_CSS },
  };
  expect(files['/deck.js']!.body.length).toBeGreaterThan(1000);
  expect(files['/map.js']!.body.length).toBeGreaterThan(1000);
  expect(files['/deck.css']!.body).toContain('.swipe-handle');
  expect(files['/map.css']!.body).toContain('.maplibregl-map');
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

async function open(dpr: number, path = '/', hasTouch = false): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 480, height: 260 }, deviceScaleFactor: dpr, hasTouch });
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
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${ORIGIN}${path}`);
  const global = path.startsWith('/map') ? '__swipeMap' : '__swipe';
  await page.waitForFunction((g) => (window as unknown as Record<string, unknown>)[g] !== undefined, global);
  await page.evaluate((g) => (window as unknown as Record<string, { ready: Promise<void> }>)[g]!.ready, global);
  return { context, page, external, consoleErrors };
}

const set = (page: Page, p: { split?: number; scene?: Scene; enabled?: boolean }) =>
  page.evaluate((q) => (window as unknown as { __swipe: SwipeHarness }).__swipe.set(q), p);
const pick = (page: Page, x: number, y: number) =>
  page.evaluate(([px, py]) => (window as unknown as { __swipe: SwipeHarness }).__swipe.pick(px!, py!), [x, y]);
const pickAsync = (page: Page, x: number, y: number) =>
  page.evaluate(([px, py]) => (window as unknown as { __swipe: SwipeHarness }).__swipe.pickAsync(px!, py!), [x, y]);

/** Screenshot in device pixels; `css(x, y)` reads at canvas-relative CSS coordinates, `device(x, y)` at canvas-relative device pixels. */
async function shoot(page: Page, dpr: number, name?: string) {
  const png = PNG.sync.read(await page.screenshot({ path: name ? resolve(OUT, name) : undefined }));
  expect(png.width).toBe(480 * dpr);
  const device = (x: number, y: number): number[] => {
    const i = ((HOST.top * dpr + Math.round(y)) * png.width + HOST.left * dpr + Math.round(x)) * 4;
    return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
  };
  const css = (x: number, y: number) => device(x * dpr + dpr / 2 - 0.5, y * dpr + dpr / 2 - 0.5);
  return { css, device };
}

function expectColour(got: number[], want: number[], where: string): void {
  expect(colourDistance(got, want), `${where}: got rgb(${got.join(',')})`).toBeLessThan(40);
}

const ROWS = [8, 100, 192];

/** Left of `splitCss` red, right of it blue, checked in three rows and at the exact device-pixel boundary. */
/**
 * `exact`: the drawing buffer has the screenshot's resolution, so the last red
 * and the first blue device column can be checked; otherwise the browser
 * scales the canvas and blends the two columns at the boundary.
 */
async function expectSplit(page: Page, dpr: number, boundaries: { from: number; to: number; split: number }[], name: string, exact = true) {
  // The divider's line, handle and labels would cover the pixels read here.
  await page.evaluate(() => document.querySelector<HTMLElement>('.swipe-divider')?.style.setProperty('visibility', 'hidden'));
  const shot = await shoot(page, dpr, name);
  await page.evaluate(() => document.querySelector<HTMLElement>('.swipe-divider')?.style.removeProperty('visibility'));
  for (const { from, to, split } of boundaries) {
    const splitCss = from + split * (to - from);
    const splitDevice = Math.round(splitCss * dpr);
    for (const y of ROWS) {
      for (const x of [from + 3, (from + splitCss) / 2, splitCss - 3]) expectColour(shot.css(x, y), RED, `${name} css (${x}, ${y})`);
      for (const x of [splitCss + 3, (splitCss + to) / 2, to - 3]) expectColour(shot.css(x, y), BLUE, `${name} css (${x}, ${y})`);
      if (!exact) continue;
      // The clip is per fragment in device pixels: the last red and first blue columns meet at the split.
      expectColour(shot.device(splitDevice - 1, y * dpr), RED, `${name} device column ${splitDevice - 1}`);
      expectColour(shot.device(splitDevice, y * dpr), BLUE, `${name} device column ${splitDevice}`);
    }
  }
}

async function expectPicks(page: Page, boundaries: { from: number; to: number; split: number }[], expectName: boolean) {
  for (const { from, to, split } of boundaries) {
    const splitCss = from + split * (to - from);
    for (const [x, want] of [
      [from + 3, 'red'],
      [splitCss - 2, 'red'],
      [splitCss + 2, 'blue'],
      [to - 3, 'blue'],
    ] as const) {
      const sync: PickResult = await pick(page, x, 100);
      expect(sync.layerId, `pickObject at x=${x}`).toBe(want);
      if (expectName) expect(sync.name, `picked object at x=${x}`).toBe(want);
      const async: PickResult = await pickAsync(page, x, 100);
      expect(async.layerId, `pickObjectAsync at x=${x}`).toBe(want);
    }
  }
}

const WHOLE = (split: number) => [{ from: 0, to: HOST.width, split }];

const CONFIGS = [
  { dpr: 1, query: '', ratio: 1, what: 'devicePixelRatio 1' },
  // A real 2x drawing buffer: deck's useDevicePixels forced to 2 (MapLibre sizes its canvas the same way).
  { dpr: 2, query: '?udp=2', ratio: 2, what: 'devicePixelRatio 2, 2x drawing buffer' },
  // Headless Chromium's emulated DPR does not reach ResizeObserver's devicePixelContentBox, so
  // luma keeps a 1x buffer that the browser upscales: the clip must follow deck's real
  // CSS-to-buffer ratio, not window.devicePixelRatio.
  { dpr: 2, query: '', ratio: 1, what: 'devicePixelRatio 2, 1x drawing buffer' },
];

for (const { dpr, query, ratio, what } of CONFIGS) {
  describe(`swipe clip extension at ${what}`, () => {
    let opened: Opened;
    const exact = ratio === dpr;
    beforeAll(async () => {
      opened = await open(dpr, `/${query}`);
      expect(await opened.page.evaluate(() => window.devicePixelRatio)).toBe(dpr);
      expect(await opened.page.evaluate(() => (window as unknown as { __swipe: SwipeHarness }).__swipe.bufferRatio())).toBe(ratio);
    });
    afterAll(async () => {
      await opened?.context.close();
    });

    it('draws the overlapping copies unclipped when the clip is switched off (the test can see a missing clip)', async () => {
      const { page } = opened;
      await set(page, { scene: 'polygon', split: 0.3, enabled: false });
      const shot = await shoot(page, dpr);
      for (const x of [5, 60, 200, 395]) expectColour(shot.css(x, 100), BLUE, `unclipped x=${x}`);
      expect((await pick(page, 5, 100)).layerId).toBe('blue');
      await set(page, { enabled: true });
    });

    for (const scene of ['polygon', 'geojson', 'scatterplot', 'bitmap'] as const) {
      it(`clips ${scene} layers in screen space, in drawing and in picking, and follows the split`, async () => {
        const { page } = opened;
        await set(page, { scene, split: 0.3, enabled: true });
        await expectSplit(page, dpr, WHOLE(0.3), `swipe-${scene}-dpr${dpr}x${ratio}-30.png`, exact);
        await expectPicks(page, WHOLE(0.3), scene !== 'bitmap');
        await set(page, { split: 0.7 });
        await expectSplit(page, dpr, WHOLE(0.7), `swipe-${scene}-dpr${dpr}x${ratio}-70.png`, exact);
        await expectPicks(page, WHOLE(0.7), scene !== 'bitmap');
      });
    }

    it('measures the split within each view when deck has several side by side', async () => {
      const { page } = opened;
      await set(page, { scene: 'twoViews', split: 0.3 });
      const halves = [
        { from: 0, to: HOST.width / 2, split: 0.3 },
        { from: HOST.width / 2, to: HOST.width, split: 0.3 },
      ];
      await expectSplit(page, dpr, halves, `swipe-views-dpr${dpr}x${ratio}.png`, exact);
      await expectPicks(page, halves, true);
    });

    it('raised no errors, no CSP violations and no requests elsewhere', async () => {
      const { page, external, consoleErrors } = opened;
      const errors = await page.evaluate(() => (window as unknown as { __swipe: SwipeHarness }).__swipe.errors);
      expect(errors).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(external).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    });
  });
}

for (const dpr of [1, 2]) {
  describe(`swipe clip on a MapLibre map through an interleaved MapboxOverlay at devicePixelRatio ${dpr}`, () => {
    let opened: Opened;
    const setMap = (p: { split?: number; enabled?: boolean; bearing?: number; pitch?: number }) =>
      opened.page.evaluate((q) => (window as unknown as { __swipeMap: SwipeMapHarness }).__swipeMap.set(q), p);
    const pickMap = (x: number, y: number) =>
      opened.page.evaluate(([px, py]) => (window as unknown as { __swipeMap: SwipeMapHarness }).__swipeMap.pick(px!, py!), [x, y]);
    beforeAll(async () => {
      opened = await open(dpr, '/map.html');
      // MapLibre sizes its canvas from window.devicePixelRatio: deck draws into a dpr-sized buffer.
      expect(await opened.page.evaluate(() => (window as unknown as { __swipeMap: SwipeMapHarness }).__swipeMap.bufferRatio())).toBe(dpr);
    });
    afterAll(async () => {
      await opened?.context.close();
    });

    it('is unclipped (all blue) with the clip switched off', async () => {
      await setMap({ enabled: false, split: 0.3, bearing: 35, pitch: 50 });
      const shot = await shoot(opened.page, dpr);
      for (const x of [5, 60, 200, 395]) expectColour(shot.css(x, 150), BLUE, `unclipped map x=${x}`);
      expect((await pickMap(20, 150)).layerId).toBe('blue');
    });

    it('clips along a vertical screen line on a rotated, pitched map, in drawing and picking', async () => {
      const { page } = opened;
      await setMap({ enabled: true, split: 0.3, bearing: 35, pitch: 50 });
      await expectSplit(page, dpr, WHOLE(0.3), `swipe-map-dpr${dpr}-30.png`);
      for (const [x, want] of [[5, 'red'], [118, 'red'], [122, 'blue'], [395, 'blue']] as const) {
        const got = await pickMap(x, 150);
        expect(got.layerId, `map pick at x=${x}`).toBe(want);
        expect(got.name, `map pick at x=${x}`).toBe(want);
      }
      await setMap({ split: 0.7, bearing: -60, pitch: 30 });
      await expectSplit(page, dpr, WHOLE(0.7), `swipe-map-dpr${dpr}-70.png`);
      expect((await pickMap(270, 60)).layerId).toBe('red');
      expect((await pickMap(290, 60)).layerId).toBe('blue');
    });

    it('raised no errors, no CSP violations and no requests elsewhere', async () => {
      const { page, external, consoleErrors } = opened;
      expect(await page.evaluate(() => (window as unknown as { __swipeMap: SwipeMapHarness }).__swipeMap.errors)).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(external).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    });
  });
}

describe('swipe divider control', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await open(1);
    await set(opened.page, { scene: 'polygon', split: 0.3, enabled: true });
    await opened.page.evaluate(() => (window as unknown as { __swipe: SwipeHarness }).__swipe.addDivider());
  });
  afterAll(async () => {
    await opened?.context.close();
  });

  const harness = <T>(page: Page, fn: (h: SwipeHarness) => T) =>
    page.evaluate(`(${fn.toString()})(window.__swipe)`) as Promise<T>;

  it('is a labelled slider with a large handle; only the handle takes pointer input', async () => {
    const { page } = opened;
    const handle = page.locator('.swipe-handle');
    expect(await handle.getAttribute('role')).toBe('slider');
    expect(await handle.getAttribute('aria-valuenow')).toBe('30');
    expect(await handle.getAttribute('aria-label')).toBe('Compare years');
    expect(await handle.getAttribute('tabindex')).toBe('0');
    expect(await page.locator('.swipe-label-left').textContent()).toBe('2016');
    expect(await page.locator('.swipe-label-right').textContent()).toBe('2025');
    const box = (await handle.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width / 2).toBeCloseTo(HOST.left + 0.3 * HOST.width, 0);
    expect(box.y + box.height / 2).toBeCloseTo(HOST.top + HOST.height / 2, 0);
    const label = (await page.locator('.swipe-label-right').boundingBox())!;
    expect(label.y).toBeCloseTo(HOST.top + 8, 0); // the --swipe-label-top hook
    expect(label.x).toBeGreaterThan(HOST.left + 0.3 * HOST.width);
    const hit = await page.evaluate(([lx, hx, hy, ly, bx, by]) => ({
      onLine: document.elementFromPoint(lx!, ly!)?.tagName,
      onLabel: document.elementFromPoint(bx!, by!)?.tagName,
      onHandle: document.elementFromPoint(hx!, hy!)?.className,
      touchHandle: getComputedStyle(document.querySelector('.swipe-handle')!).touchAction,
      touchOverlay: getComputedStyle(document.querySelector('.swipe-divider')!).touchAction,
    }), [HOST.left + 0.3 * HOST.width, box.x + box.width / 2, box.y + box.height / 2, HOST.top + 150, label.x + label.width / 2, label.y + label.height / 2]);
    // The line and labels let events through to what is under them (here deck's canvas; in the app, the map).
    expect(hit.onLine).toBe('CANVAS');
    expect(hit.onLabel).toBe('CANVAS');
    expect(hit.onHandle).toBe('swipe-handle');
    expect(hit.touchHandle).toBe('none');
    expect(hit.touchOverlay).toBe('auto');
  });

  it('drags with the mouse: onSplit during the drag, a dragging class, the clip follows', async () => {
    const { page } = opened;
    const box = (await page.locator('.swipe-handle').boundingBox())!;
    // Grab a little off centre: the line must not jump to the pointer.
    const x0 = box.x + box.width / 2 + 5;
    const y0 = box.y + box.height / 2;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x0 + 40, y0 + 30, { steps: 4 });
    expect(await page.locator('.swipe-divider').getAttribute('class')).toContain('dragging');
    expect(await harness(page, (h) => h.dragStates)).toEqual([true]);
    // Reported while the button is still down (once per animation frame).
    await expect.poll(() => harness(page, (h) => h.splits.length)).toBeGreaterThan(0);
    await page.mouse.move(x0 + 80, y0 - 50, { steps: 6 });
    await page.mouse.up();
    expect(await page.locator('.swipe-divider').getAttribute('class')).not.toContain('dragging');
    expect(await harness(page, (h) => h.dragStates)).toEqual([true, false]);
    const splits = await harness(page, (h) => h.splits);
    expect(splits.at(-1)).toBeCloseTo(0.5, 3); // 0.3 + 80 px / 400 px
    expect(await page.locator('.swipe-handle').getAttribute('aria-valuenow')).toBe('50');
    await set(page, {}); // let deck draw the new split
    await expectSplit(page, 1, WHOLE(0.5), 'swipe-divider-drag.png');
  });

  it('clamps the drag to [0.02, 0.98]', async () => {
    const { page } = opened;
    const box = (await page.locator('.swipe-handle').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(2, box.y, { steps: 3 });
    await page.mouse.up();
    expect((await harness(page, (h) => h.splits)).at(-1)).toBe(0.02);
    const box2 = (await page.locator('.swipe-handle').boundingBox())!;
    await page.mouse.move(box2.x + box2.width / 2, box2.y + box2.height / 2);
    await page.mouse.down();
    await page.mouse.move(478, box.y, { steps: 3 });
    await page.mouse.up();
    expect((await harness(page, (h) => h.splits)).at(-1)).toBe(0.98);
  });

  it('moves with the keyboard: arrows 2 %, Shift 10 %, Home and End', async () => {
    const { page } = opened;
    const handle = page.locator('.swipe-handle');
    await handle.focus();
    const last = () => harness(page, (h) => h.splits.at(-1));
    await page.keyboard.press('Home');
    expect(await last()).toBe(0.02);
    await page.keyboard.press('ArrowRight');
    expect(await last()).toBeCloseTo(0.04, 6);
    await page.keyboard.press('Shift+ArrowRight');
    expect(await last()).toBeCloseTo(0.14, 6);
    await page.keyboard.press('ArrowLeft');
    expect(await last()).toBeCloseTo(0.12, 6);
    expect(await handle.getAttribute('aria-valuenow')).toBe('12');
    expect(await handle.getAttribute('aria-valuetext')).toBe('2016 12% | 2025 88%');
    await page.keyboard.press('End');
    expect(await last()).toBe(0.98);
    await page.keyboard.press('ArrowRight');
    expect(await last()).toBe(0.98);
    for (let i = 0; i < 24; i++) await page.keyboard.press('ArrowLeft');
    expect(await last()).toBeCloseTo(0.5, 6);
    await set(page, {});
    await expectSplit(page, 1, WHOLE(0.5), 'swipe-divider-keys.png');
  });

  it('drags with a finger (touch events through CDP)', async () => {
    const touch = await open(1, '/', true);
    try {
      const { page } = touch;
      await set(page, { scene: 'polygon', split: 0.3 });
      await page.evaluate(() => (window as unknown as { __swipe: SwipeHarness }).__swipe.addDivider());
      const box = (await page.locator('.swipe-handle').boundingBox())!;
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      const cdp = await touch.context.newCDPSession(page);
      const point = (px: number) => [{ x: px, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(x) });
      for (let i = 1; i <= 6; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(x + i * 10) });
      expect(await page.locator('.swipe-divider').getAttribute('class')).toContain('dragging');
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      expect(await harness(page, (h) => h.dragStates)).toEqual([true, false]);
      expect((await harness(page, (h) => h.splits)).at(-1)).toBeCloseTo(0.45, 3); // 0.3 + 60 px / 400 px
      expect(touch.consoleErrors).toEqual([]);
    } finally {
      await touch.context.close();
    }
  });

  it('updates its labels, follows the dark theme, and goes away on destroy', async () => {
    const { page } = opened;
    await harness(page, (h) => h.divider!.update({ leftLabel: '2019', rightLabel: '2024', split: 0.25 }));
    expect(await page.locator('.swipe-label-left').textContent()).toBe('2019');
    expect(await page.locator('.swipe-label-right').textContent()).toBe('2024');
    expect(await page.locator('.swipe-handle').getAttribute('aria-valuenow')).toBe('25');
    const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('.swipe-handle')!).backgroundColor);
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await page.evaluate(() => document.body.classList.add('theme-dark'));
    expect(await bg()).toBe('rgb(26, 35, 45)');
    await harness(page, (h) => h.divider!.destroy());
    expect(await page.locator('.swipe-divider').count()).toBe(0);
    const errors = await harness(page, (h) => h.errors);
    expect(errors).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  });
});
