import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, waitSettled } from './browser';
import type { AppState, ViewState } from '../../src/state/types';

/**
 * Share links in real Chromium: a rich state (layers, time, a selection, a
 * drawn park, an added facility) goes into the short link the dialog shows,
 * and a fresh page opened on that link has the same state and camera and
 * writes its address back in the plain form; a garbled link says so and
 * shows the default view, without console errors.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const state = (page: Page) => page.evaluate(() => window.__atlas!.store.get()) as Promise<AppState>;
const camera = (page: Page) => page.evaluate(() => window.__atlas!.view.currentView()) as Promise<ViewState>;

function expectSameView(a: ViewState, b: ViewState) {
  expect(b.lon).toBeCloseTo(a.lon, 4);
  expect(b.lat).toBeCloseTo(a.lat, 4);
  expect(b.zoom).toBeCloseTo(a.zoom, 1);
  expect(b.bearing).toBeCloseTo(a.bearing, 0);
  expect(b.pitch).toBeCloseTo(a.pitch, 0);
}

describe('share links', () => {
  it('restore a rich state in a fresh page, from the link the dialog shows', async () => {
    // Light layers (GeoJSON only): the state is what is checked, not the analysis.
    const first = await openPage(browser, '?city=ningbo&layers=parks');
    const page = first.page;
    await waitSettled(page);
    await page.evaluate(async () => {
      const h = window.__atlas!;
      // The camera is the map's; the store follows it on moveend.
      h.view.map.jumpTo({ center: [121.5502, 29.8731], zoom: 13.25, bearing: 20, pitch: 30 });
      h.store.set({
        layers: ['parks', 'restoration'],
        time: '2025-03-09T07',
        pollutant: 'pm25',
        selection: { layer: 'parks', id: 'NB-P0001' },
        drawnParks: [[[121.545, 29.87], [121.548, 29.87], [121.548, 29.8725], [121.5465, 29.874], [121.545, 29.8725]]],
        addedFacilities: [{ type: 'kindergarten', lon: 121.552, lat: 29.871 }],
        ...('parkFilter' in h.store.get() ? { parkFilter: { area: [400, 100000], districts: [] } } : {}),
      } as Partial<AppState>);
      await h.settled();
    });
    await expect.poll(async () => (await state(page)).view?.zoom ?? 0).toBeCloseTo(13.25, 2);
    const want = await state(page);
    const wantCamera = await camera(page);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await page.click('.share-btn');
    const dialog = page.locator('.share-dialog');
    await dialog.waitFor();
    const link = await dialog.locator('.share-link').inputValue();
    expect(link).toMatch(/\?s=1\.[A-Za-z0-9_-]+$/);
    // The field has focus with the link selected, ready for Ctrl+C.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('share-link'))).toBe(true);
    expect(await dialog.locator('.share-length').textContent()).toContain(String(link.length));
    expect(await dialog.locator('[data-share="edits"]').textContent()).toMatch(/2 项.*1 个绘制的公园.*1 个新增设施/);
    expect(await dialog.locator('[data-share="selection"]').textContent()).toContain('NB-P0001');
    expect(await dialog.locator('.share-pack').count()).toBe(0);
    await dialog.locator('.share-copy').click();
    await expect.poll(() => dialog.locator('.share-status').textContent()).toBe('已复制到剪贴板');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    const plain = page.url();
    expect(link.length).toBeLessThan(plain.length);
    console.log(`[share] e2e: plain address ${plain.length} chars, share link ${link.length} chars`);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(first.consoleErrors).toEqual([]);
    await page.context().close();

    const second = await openPage(browser, link);
    await waitSettled(second.page);
    const got = await state(second.page);
    for (const k of Object.keys(want) as (keyof AppState)[]) if (k !== 'view') expect(got[k], k).toEqual(want[k]);
    expectSameView(want.view!, got.view!);
    expectSameView(wantCamera, await camera(second.page));
    // The address is written back in its plain, readable form.
    await expect.poll(() => second.page.url()).toMatch(/[?&]park=121\.545,29\.87;/);
    expect(second.page.url()).not.toMatch(/[?&]s=/);
    // The selection shows in the inspector as it did.
    await expect.poll(() => second.page.locator('.inspector').isVisible()).toBe(true);
    expect(second.consoleErrors).toEqual([]);
    expect(second.external).toEqual([]);
    await second.page.context().close();
  });

  it('a garbled link shows a notice in both languages and the default view, without errors', async () => {
    const { page, consoleErrors, external } = await openPage(browser, '?s=1.eJzLSM3JyVcozy_KSQEAGgQEXQ~~broken');
    // The notice, the state and the camera are there once the app has booted; the layers' drawing is not what is checked.
    await page.waitForFunction(() => window.__atlasBoot !== undefined);
    await page.evaluate(async () => {
      const h = await window.__atlasBoot;
      if (!h?.view.map.loaded()) await new Promise((r) => h!.view.map.once('load', r));
    });
    const notice = page.locator('[data-notice="share"]');
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('分享链接已损坏或不完整');
    expect(text).toContain('The share link is damaged or incomplete');
    const s = await state(page);
    expect(s.city).toBe('shenzhen');
    expect(s.layers).toEqual(['parks', 'restoration', 'air', 'lifecircle']);
    expect(s.drawnParks).toEqual([]);
    expect(s.selection).toBeNull();
    // The city's own camera.
    const cam = await camera(page);
    expect(cam.lon).toBeGreaterThan(113.7);
    expect(cam.lon).toBeLessThan(114.7);
    expect(cam.bearing).toBe(0);
    expect(page.url()).not.toMatch(/[?&]s=/);
    expect(consoleErrors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  });
});
