import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, launch, openPage, waitSettled } from './browser';

/**
 * The import dialog's progress and Cancel, and importing from a URL, in real
 * Chromium (issue #8). A GeoJSON served on the app's own origin (the built
 * app's CSP allows only that, and the basemaps, for connect-src) is imported
 * from its URL and listed under "Your data". Then each step is cancelled: a
 * download that never answers, a slow read of a 40 MB file, DuckDB staging
 * and the final load (both made slow on purpose). Each time the dialog is at
 * once usable again, nothing is added, and what a DuckDB step made after the
 * cancel is dropped.
 */
let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'atlas-progress-'));
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const parks = JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: '网址公园', id: 'U1' }, geometry: { type: 'Polygon', coordinates: [[[117.0, 36.65], [117.03, 36.65], [117.03, 36.67], [117.0, 36.67], [117.0, 36.65]]] } }],
});

const userTables = async (page: Page) => ((await page.evaluate(`window.__atlas.engine.then((e) => e.tables())`)) as string[]).filter((t) => t.startsWith('user__')).sort();
const journalKeys = async (page: Page) => (await page.evaluate(`window.__atlas.engine.then((e) => e.journal ? e.journal.keys() : [])`)) as string[];

/** After a cancel: the bar is gone, the status says so, and the sources can be used again. */
async function expectCancelled(page: Page) {
  await expect.poll(() => page.locator('.fimport-progress').isHidden(), { timeout: 2000 }).toBe(true);
  expect(await page.locator('.fimport-status').textContent()).toContain('已取消');
  expect(await page.locator('.fimport-sources').evaluate((el) => (el as HTMLElement).inert)).toBe(false);
  expect(await page.locator('.fimport-url-go').isEnabled()).toBe(true);
}

/** Makes the engine's `method` wait `ms` before doing its work, as a big file would; `landed(page)` counts the calls that finished. */
async function slowEngine(page: Page, method: 'loadCSV' | 'loadGeoJSON', ms: number) {
  await page.evaluate(`(async () => {
    const e = await window.__atlas.engine;
    const real = e.${method};
    window.__landed = 0;
    e.${method} = async (...a) => {
      await new Promise((r) => setTimeout(r, ${ms}));
      try { return await real.apply(e, a); } finally { window.__landed++; }
    };
  })()`);
}
const landed = (page: Page) => page.evaluate('window.__landed') as Promise<number>;

describe('import progress, cancel and URLs', () => {
  it('imports from a URL; cancels a download, a read, staging and a load, leaving nothing behind', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=-&v=117.035,36.66,13.2,0,0');
    const url = (p: string) => new URL(`__e2e/${p}`, BASE_URL).toString();
    await page.route(url('parks'), (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'application/geo+json', 'content-disposition': `attachment; filename*=UTF-8''url-parks.geojson` }, body: parks }),
    );
    const stalled: Route[] = [];
    await page.route(url('never.csv'), (route) => void stalled.push(route));
    await waitSettled(page);

    // (a) From a URL: downloaded, inspected, imported, listed.
    await page.locator('.user-import-btn').click();
    await page.locator('.fimport-url').fill(url('parks'));
    await page.locator('.fimport-url-go').click();
    await page.locator('.fimport-kind').waitFor({ timeout: 10_000 });
    expect(await page.locator('.fimport-summary').textContent()).toContain('url-parks.geojson');
    await page.locator('.fimport-kind').selectOption('park');
    await page.locator('.fimport-go').click();
    await expect.poll(() => page.locator('.fimport-result').textContent(), { timeout: 10_000 }).toMatch(/已导入 1 行到表 user__url_parks/);
    await expect.poll(() => page.locator('.user-data').textContent(), { timeout: 5000 }).toContain('url-parks.geojson');

    // (b) A download that never answers: an indeterminate bar, then Cancel.
    await page.locator('.fimport-url').fill(url('never.csv'));
    await page.locator('.fimport-url-go').click();
    await page.locator('.fimport-progress').waitFor({ state: 'visible', timeout: 2000 });
    expect(await page.locator('.fimport-status').textContent()).toContain('正在从');
    expect(await page.locator('.fimport-bar').getAttribute('value')).toBeNull();
    expect(await page.locator('.fimport-cancel').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.locator('.fimport-cancel').click();
    await expectCancelled(page);
    // What was there before stays: the imported file's result.
    expect(await page.locator('.fimport-result').textContent()).toContain('已导入 1 行');

    // (c) A 40 MB file read slowly (each 8 MB piece held back): the bar moves, then Cancel.
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 40 * 2 ** 20);
    closeSync(fd);
    await page.evaluate(`(() => {
      const real = Blob.prototype.arrayBuffer;
      window.__realArrayBuffer = real;
      Blob.prototype.arrayBuffer = function () { return new Promise((r) => setTimeout(r, 400)).then(() => real.call(this)); };
    })()`);
    await page.locator('.fimport-file').setInputFiles(big);
    await expect.poll(() => page.locator('.fimport-amount').textContent(), { timeout: 5000 }).toMatch(/^[1-9]\d?% · .* \/ 40(\.0)? MB$/);
    expect(await page.locator('.fimport-bar').getAttribute('aria-labelledby')).toBe(await page.locator('.fimport-status').getAttribute('id'));
    await page.locator('.fimport-cancel').click();
    await expectCancelled(page);
    await page.evaluate(`Blob.prototype.arrayBuffer = window.__realArrayBuffer`);

    // (d) Cancelled while DuckDB stages the rows: back at once; the stage it then makes is dropped.
    await slowEngine(page, 'loadCSV', 800);
    await page.locator('.fimport-file').setInputFiles({ name: 'late.csv', mimeType: 'text/csv', buffer: Buffer.from('name,lon,lat\nA,117.01,36.66\n') });
    await expect.poll(() => page.locator('.fimport-status').textContent(), { timeout: 5000 }).toContain('正在查看各行数据');
    await page.locator('.fimport-cancel').click();
    await expectCancelled(page);
    await expect.poll(() => landed(page), { timeout: 5000 }).toBe(1);
    // Only the stage of the URL's file, still open in the dialog, is left.
    await expect.poll(() => userTables(page), { timeout: 5000 }).toEqual([expect.stringMatching(/^user__stage_\d+$/), 'user__url_parks']);

    // (e) Cancelled while the table loads: onLoaded is not called, and the table it then makes is dropped and forgotten.
    await page.locator('.fimport-file').setInputFiles({ name: 'late.csv', mimeType: 'text/csv', buffer: Buffer.from('name,lon,lat\nA,117.01,36.66\n') });
    await page.locator('.fimport-kind').waitFor({ timeout: 10_000 });
    await page.locator('.fimport-kind').selectOption('facility');
    await page.locator('.fimport-role-category').selectOption('name');
    await slowEngine(page, 'loadGeoJSON', 800);
    await page.locator('.fimport-go').click();
    await expect.poll(() => page.locator('.fimport-status').textContent(), { timeout: 5000 }).toContain('正在导入');
    await page.locator('.fimport-cancel').click();
    await expectCancelled(page);
    expect(await page.locator('.fimport-go').isEnabled()).toBe(true);
    await expect.poll(() => landed(page), { timeout: 5000 }).toBe(1);
    await expect.poll(async () => (await userTables(page)).filter((t) => !t.startsWith('user__stage')), { timeout: 5000 }).toEqual(['user__url_parks']);
    expect((await journalKeys(page)).filter((k) => k.startsWith('user-table:'))).toEqual(['user-table:user__url_parks']);
    expect(await page.locator('.user-card').count()).toBe(1);

    for (const r of stalled) await r.abort().catch(() => undefined);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
