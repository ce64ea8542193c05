import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BASE_URL, launch, openPage, waitSettled } from './browser';

const HOSTILE = '<img src=x onerror=alert(1)>';
const dataDir = resolve(__dirname, '../../data');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Serves a modified copy of a data file for one page. */
async function override(page: Page, path: string, body: string | Buffer): Promise<void> {
  await page.route(new URL(`data/${path}`, BASE_URL).toString(), (route) => route.fulfill({ status: 200, body }));
}

describe('hostile property values', () => {
  it('render as text in the tooltip and inspector, and nothing runs', async () => {
    const { page, dialogs } = await openPage(browser, 'about:blank');
    const parks = JSON.parse(readFileSync(resolve(dataDir, 'cities/shenzhen/parks.geojson'), 'utf8'));
    // Put the hostile name on the largest non-regional park so it is easy to hit.
    const target = parks.features
      .filter((f: { properties: { class: string } }) => f.properties.class !== 'EG1')
      .sort((a: { properties: { area_m2: number } }, b: { properties: { area_m2: number } }) => b.properties.area_m2 - a.properties.area_m2)[0];
    target.properties.name = HOSTILE;
    target.properties[HOSTILE] = HOSTILE;
    await override(page, 'cities/shenzhen/parks.geojson', JSON.stringify(parks));
    await page.goto(new URL('?city=shenzhen&layers=parks', BASE_URL).toString());
    await waitSettled(page);

    const id = String(target.properties.id);
    const point = await page.evaluate(async (parkId) => {
      const h = window.__atlas!;
      const engine = await h.engine;
      const t = await engine.query(`SELECT __xmin, __ymin, __xmax, __ymax FROM "shenzhen__parks" WHERE id = $1`, [parkId]);
      const r = t.toArray()[0]!.toJSON() as { __xmin: number; __ymin: number; __xmax: number; __ymax: number };
      h.view.map.jumpTo({ center: [(r.__xmin + r.__xmax) / 2, (r.__ymin + r.__ymax) / 2], zoom: 15 });
      await h.settled();
      const c = h.view.map.getCanvas();
      return { x: c.clientWidth / 2, y: c.clientHeight / 2 };
    }, id);
    // Find a pixel on the park: probe around the centre until the inspector opens with our park.
    let opened = false;
    for (const [dx, dy] of [[0, 0], [20, 0], [-20, 0], [0, 20], [0, -20], [40, 40], [-40, -40]] as const) {
      await page.mouse.click(point.x + dx, point.y + dy);
      await page.waitForTimeout(200);
      const title = await page.locator('.inspector-title').textContent().catch(() => null);
      if (title === HOSTILE) {
        opened = true;
        break;
      }
    }
    expect(opened).toBe(true);
    await page.mouse.move(point.x, point.y);
    await page.waitForTimeout(300);
    expect(await page.locator('.inspector-title').textContent()).toBe(HOSTILE);
    // The value is text: no element was created from it, no dialog opened.
    expect(await page.locator('.inspector img, .tooltip img, .side img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });
});

describe('bad catalog entries and data files', () => {
  it('show a clear message and the rest keeps working', async () => {
    const { page, dialogs, external } = await openPage(browser, 'about:blank');
    const catalog = JSON.parse(readFileSync(resolve(dataDir, 'catalog.json'), 'utf8'));
    const sz = catalog.cities.find((c: { id: string }) => c.id === 'shenzhen');
    delete sz.datasets.parks.provenance; // malformed entry: parks layer must disappear for Shenzhen, reported
    await override(page, 'catalog.json', JSON.stringify(catalog));
    await override(page, 'cities/shenzhen/restoration.geojson', '{"type":"FeatureCollection","features":[{"type":"Feat'); // truncated
    await page.goto(new URL('?city=shenzhen', BASE_URL).toString());
    await waitSettled(page);

    const notice = page.locator('[data-notice="catalog"]');
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.textContent()).toContain('cities[0].datasets.parks.provenance');

    const statuses = await page.evaluate(() => window.__atlas!.controller.statuses().map((s) => ({ id: s.def.id, phase: s.phase, error: s.error })));
    expect(statuses.map((s) => s.id)).not.toContain('parks');
    const restoration = statuses.find((s) => s.id === 'restoration')!;
    expect(restoration.phase).toBe('error');
    expect(restoration.error).toMatch(/restoration\.geojson/);
    expect(statuses.filter((s) => s.id !== 'restoration').every((s) => s.phase === 'ready')).toBe(true);
    await expect.poll(() => page.locator('[data-layer-card="restoration"] .layer-status.error').count()).toBe(1);

    // Another city still loads fully.
    await page.evaluate(async () => {
      window.__atlas!.store.set({ city: 'qingdao' });
      await window.__atlas!.settled();
    });
    const qd = await page.evaluate(() => window.__atlas!.controller.statuses().filter((s) => s.visible).map((s) => s.phase));
    expect(qd.length).toBeGreaterThan(2);
    expect(qd.every((p) => p === 'ready')).toBe(true);
    expect(dialogs).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  });
});

describe('URL state', () => {
  it('a shared link restores the same view', async () => {
    // Starts with parks only: the default layers would add the life-circle grid, which this test does not look at.
    const { page } = await openPage(browser, '?city=jinan&layers=parks');
    await waitSettled(page);
    await page.evaluate(async () => {
      const h = window.__atlas!;
      h.view.map.jumpTo({ center: [117.05, 36.65], zoom: 12.3 });
      h.store.set({ layers: ['parks', 'air'], time: '2025-01-20T08', lang: 'en' });
      await h.settled();
    });
    await page.waitForTimeout(400);
    const url = page.url();
    expect(url).toContain('city=jinan');
    await page.context().close();

    const again = await openPage(browser, url.replace(BASE_URL, ''));
    await waitSettled(again.page);
    const s = await again.page.evaluate(() => {
      const h = window.__atlas!;
      const c = h.view.map.getCenter();
      return { ...h.store.get(), center: [c.lng, c.lat], zoom: h.view.map.getZoom() };
    });
    expect(s.city).toBe('jinan');
    expect(s.layers).toEqual(['parks', 'air']);
    expect(s.time).toBe('2025-01-20T08');
    expect(s.lang).toBe('en');
    expect(s.center[0]).toBeCloseTo(117.05, 3);
    expect(s.center[1]).toBeCloseTo(36.65, 3);
    expect(s.zoom).toBeCloseTo(12.3, 1);
    expect(await again.page.locator('h1').textContent()).toBe('Civic Atlas');
    await again.page.context().close();
  });
});
