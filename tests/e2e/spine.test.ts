import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pointOnFeature } from '@turf/turf';
import type { Feature, Geometry } from 'geojson';
import { colourDistance, cspViolations, launch, openPage, screenshotPixels, waitSettled, type Pixels } from './browser';

const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });
const catalog = JSON.parse(readFileSync(resolve(__dirname, '../../data/catalog.json'), 'utf8')) as {
  cities: { id: string }[];
};

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function setLayers(page: Page, layers: string[]): Promise<void> {
  await page.evaluate(async (ids) => {
    const h = window.__atlas!;
    h.store.set({ layers: ids, selection: null });
    await h.settled();
  }, layers);
  // One more frame so the screenshot sees the idle map.
  await page.waitForTimeout(150);
}

type Sample = { x: number; y: number; expect?: [number, number, number] };

/** Runs SQL in the page's DuckDB and projects points to screen pixels. */
async function samples(page: Page, sql: string, pick: (row: Record<string, unknown>) => { lon: number; lat: number; expect?: [number, number, number] } | null): Promise<Sample[]> {
  const rows = await page.evaluate(async (q) => {
    const engine = await window.__atlas!.engine;
    const t = await engine.query(q);
    return t.toArray().map((r) => JSON.parse(JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v))));
  }, sql);
  const pts = rows.map(pick).filter((p): p is NonNullable<typeof p> => p !== null);
  const projected = await page.evaluate((ps) => {
    const m = window.__atlas!.view.map;
    const c = m.getCanvas();
    return ps.map((p) => {
      const s = m.project([p.lon, p.lat]);
      return { x: s.x, y: s.y, inside: s.x > 360 && s.x < c.clientWidth - 320 && s.y > 100 && s.y < c.clientHeight - 80 };
    });
  }, pts);
  return projected.flatMap((s, i) => (s.inside ? [{ x: s.x, y: s.y, expect: pts[i]!.expect }] : []));
}

function interior(geomText: unknown): { lon: number; lat: number } | null {
  const g = JSON.parse(String(geomText)) as Geometry;
  const p = pointOnFeature({ type: 'Feature', geometry: g, properties: {} } as Feature).geometry.coordinates;
  return { lon: p[0]!, lat: p[1]! };
}

/** Share of samples whose pixel changed between the layer-off and layer-on screenshots. */
function changedShare(on: Pixels, off: Pixels, pts: Sample[]): number {
  const changed = pts.filter((p) => colourDistance(on.at(p.x, p.y), off.at(p.x, p.y)) > 20);
  return changed.length / pts.length;
}

/**
 * One page for the four cities: the first boots on its city, the others are
 * chosen as a planner would (the city picker's store change, default layers
 * back on). A boot costs about 15 s of software rendering; switching cities
 * checks the same layers and is what planners do.
 */
let opened: Awaited<ReturnType<typeof openPage>> | null = null;
afterAll(async () => {
  await opened?.page.context().close();
});

describe.each(catalog.cities.map((c) => c.id))('%s', (cityId) => {
  let page: Page;
  let external: string[];
  let dialogs: string[];

  beforeAll(async () => {
    if (!opened) {
      opened = await openPage(browser, `?city=${cityId}`);
      await waitSettled(opened.page);
    } else {
      await opened.page.evaluate(async (id) => {
        const h = window.__atlas!;
        const layers = h.catalog.layers.filter((l) => l.defaultVisible).map((l) => l.id);
        h.store.set({ city: id, view: null, selection: null, drawnParks: [], iso: null, addedFacilities: [], layers });
        await h.settled();
      }, cityId);
      // The camera's move to the city, then the layers of the new city (expect.poll is for tests, not hooks).
      await opened.page.waitForFunction(() => !window.__atlas!.view.map.isMoving(), undefined, { timeout: 30_000 });
      await waitSettled(opened.page);
    }
    ({ page, external, dialogs } = opened);
  });

  it('goes idle with every default layer drawn, and nothing leaves localhost', async () => {
    const statuses = await page.evaluate(() => window.__atlas!.controller.statuses().map((s) => ({ id: s.def.id, phase: s.phase, visible: s.visible })));
    expect(statuses.filter((s) => s.visible).map((s) => s.id).sort()).toEqual(['air', 'lifecircle', 'parks', 'restoration']);
    expect(statuses.filter((s) => s.visible).every((s) => s.phase === 'ready')).toBe(true);
    await screenshotPixels(page, resolve(OUT, `spine-${cityId}-1440x900.png`));
    expect(external).toEqual([]);
    expect(dialogs).toEqual([]);
    // The build's strict Content-Security-Policy is in force and nothing breaks it.
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await cspViolations(page)).toEqual([]);
    // …and it bites: an injected inline script does not run.
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { __injected?: boolean };
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      s.remove();
      return w.__injected === true;
    });
    expect(ran).toBe(false);
    expect((await cspViolations(page)).some((v) => v.startsWith('script-src'))).toBe(true);
    // The page goes on to the next city: its check starts clean.
    await page.evaluate(() => ((window as unknown as { __cspViolations: string[] }).__cspViolations = []));
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      return gl ? String(gl.getParameter(gl.RENDERER)) : 'none';
    });
    expect(renderer).not.toBe('none');
  });

  it('each layer draws its features where they are (pixels at projected positions)', async () => {
    await setLayers(page, []);
    const off = await screenshotPixels(page);
    const t = (ds: string) => `"${cityId}__${ds}"`;

    await setLayers(page, ['parks']);
    const parks = await samples(page, `SELECT __geom FROM ${t('parks')} WHERE class <> 'EG1' ORDER BY area_m2 DESC LIMIT 25`, (r) => interior(r.__geom));
    expect(parks.length).toBeGreaterThan(3);
    expect(changedShare(await screenshotPixels(page), off, parks)).toBeGreaterThan(0.8);

    await setLayers(page, ['restoration']);
    // Each site has a marker at its bounding-box centre, at least 4 px, below street zoom.
    const sites = await samples(page, `SELECT (__xmin + __xmax) / 2 AS lon, (__ymin + __ymax) / 2 AS lat FROM ${t('restoration')} ORDER BY area_m2 DESC LIMIT 25`, (r) => ({ lon: Number(r.lon), lat: Number(r.lat) }));
    expect(sites.length).toBeGreaterThan(3);
    expect(changedShare(await screenshotPixels(page), off, sites)).toBeGreaterThan(0.8);

    await setLayers(page, ['lifecircle']);
    const cells = await samples(page, `SELECT lon, lat FROM ${t('lifecircle')} WHERE pop > 0 ORDER BY pop DESC LIMIT 40`, (r) => ({ lon: Number(r.lon), lat: Number(r.lat) }));
    expect(cells.length).toBeGreaterThan(5);
    expect(changedShare(await screenshotPixels(page), off, cells)).toBeGreaterThan(0.8);

    // Stations: the fill beside the centre (the centre holds the AQI number) has the HJ 633 level colour.
    await setLayers(page, ['air']);
    const levels = await page.evaluate(() => {
      const h = window.__atlas!;
      return h.controller.statuses().find((s) => s.def.id === 'air')!.legend!.items.map((i) => i.color.slice(0, 3));
    });
    const stations = await samples(page, `SELECT __xmin AS lon, __ymin AS lat, id FROM ${t('stations')}`, (r) => ({ lon: Number(r.lon), lat: Number(r.lat) }));
    expect(stations.length).toBeGreaterThan(3);
    const on = await screenshotPixels(page);
    const matched = stations.filter((s) => levels.some((c) => colourDistance(on.at(s.x + 9, s.y), c) < 40));
    expect(matched.length / stations.length).toBeGreaterThan(0.7);
  });
});
