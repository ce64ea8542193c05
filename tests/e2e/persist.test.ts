import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launch, openPage, waitSettled } from './browser';

/**
 * What a planner imported survives an accidental reload (kept in this
 * browser's IndexedDB and imported again on start), says so, and goes away
 * for good when the planner removes it.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const FIX = resolve(__dirname, '../fixtures/cnemc');
/** The names of the kept files, read without creating the database when it is not there yet. */
const KEPT = `(async () => {
  if (!(await indexedDB.databases()).some((d) => d.name === 'civic-atlas')) return [];
  return await new Promise((res) => {
    const r = indexedDB.open('civic-atlas');
    r.onsuccess = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains('imports')) { db.close(); return res([]); }
      const q = db.transaction('imports').objectStore('imports').getAllKeys();
      q.onsuccess = () => { res(q.result.sort()); db.close(); };
    };
    r.onerror = () => res(['error']);
  });
})()`;
const tables = (page: import('playwright-core').Page) =>
  page.evaluate(`(async () => (await (await window.__atlas.engine).tables()).filter((t) => t.startsWith('user__')))()`) as Promise<string[]>;

describe('state across reloads', () => {
  it('imports again the files imported before a reload, and forgets them once removed', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=ningbo&layers=air');
    await waitSettled(page);
    await page.locator('.import-btn').click();
    await page.locator('.import-file').setInputFiles([
      { name: 'stations.gbk.csv', mimeType: 'text/csv', buffer: readFileSync(resolve(FIX, 'stations.gbk.csv')) },
      { name: 'hourly-2022-01-01T01.gbk.csv', mimeType: 'text/csv', buffer: readFileSync(resolve(FIX, 'hourly-2022-01-01T01.gbk.csv')) },
      { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n') },
    ]);
    await page.locator('.import-go').click();
    await page.locator('.import-summary').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate('window.__atlas.store.get().time'), { timeout: 30_000 }).toBe('2022-01-01T01');
    // Kept: the two good files, not the broken one.
    await expect
      .poll(() => page.evaluate(KEPT), { timeout: 10_000 })
      .toEqual(['hourly-2022-01-01T01.gbk.csv', 'stations.gbk.csv']);

    await page.reload();
    await waitSettled(page);
    await expect.poll(() => page.locator('[data-notice="imports"]').textContent(), { timeout: 60_000 }).toContain('已恢复上次导入的 2 个文件');
    expect(await tables(page)).toEqual(expect.arrayContaining(['user__cnemc_stations', 'user__cnemc_hourly']));
    await expect.poll(() => page.locator('.side .air-source').textContent(), { timeout: 30_000 }).toContain('实测');

    // Removed in the dialog: gone now, and not back after the next reload.
    await page.locator('.import-btn').click();
    await page.locator('.import-clear').click();
    await expect.poll(() => tables(page), { timeout: 20_000 }).toEqual([]);
    // …and from the browser, so the next start has nothing to bring back.
    await expect.poll(() => page.evaluate(KEPT), { timeout: 10_000 }).toEqual([]);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await page.context().close();
  }, 150_000);
});
