import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { launch, openPage, waitSettled, importCnemcFiles } from './browser';

/**
 * What a planner imported survives an accidental reload (kept in this
 * browser's IndexedDB and imported again on start), says so, and goes away
 * for good when the planner removes it. It travels in a data pack downloaded
 * as a .zip, which loads back (after "clear all" emptied the browser) and
 * opens with its imported files.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

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
  it('imports again the files imported before a reload, forgets them once removed, and carries them in a pack file', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=ningbo&layers=air');
    await waitSettled(page);
    await importCnemcFiles(page, [{ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n') }]);
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

    // A pack of Ningbo with the imported files, downloaded as a .zip.
    await page.locator('.packs-btn').click();
    await expect.poll(() => page.locator('.pack-imports-label').textContent(), { timeout: 10_000 }).toContain('（2）');
    expect(await page.locator('.pack-imports').isChecked()).toBe(true);
    expect(await page.locator('.pack-city:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['ningbo']);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('.pack-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^ningbo-\d{12}\.zip$/);
    const zip = readFileSync((await download.path())!);
    await page.keyboard.press('Escape');

    // Removed in the dialog: gone now, and not back after the next reload.
    await page.locator('.import-btn').click();
    await page.locator('.import-clear').click();
    await expect.poll(() => tables(page), { timeout: 20_000 }).toEqual([]);
    // …and from the browser, so the next start has nothing to bring back.
    await expect.poll(() => page.evaluate(KEPT), { timeout: 10_000 }).toEqual([]);
    await page.keyboard.press('Escape');

    // "Clear all" in the packs dialog takes the story draft and the settings too, after a confirmation.
    await page.evaluate(`localStorage.setItem('civic-atlas:story-draft', '{"id":"draft"}'); localStorage.setItem('civic-atlas:memory-budget-mb', '300')`);
    await page.locator('.packs-btn').click();
    await expect.poll(() => page.locator('.pack-body').textContent(), { timeout: 10_000 }).toContain('故事草稿 1 份，设置 1 项');
    await page.locator('.pack-clear').click();
    await page.locator('.pack-clear-confirm').click();
    await expect.poll(() => page.locator('.pack-status').textContent(), { timeout: 10_000 }).toContain('已清除');
    expect(await page.evaluate(`[localStorage.getItem('civic-atlas:story-draft'), localStorage.getItem('civic-atlas:memory-budget-mb')]`)).toEqual([null, null]);

    // The downloaded pack loads back from the file, and opens with its imported files.
    await page.locator('.pack-file').setInputFiles({ name: 'meeting.zip', mimeType: 'application/zip', buffer: zip });
    await expect.poll(() => page.locator('.pack-status').textContent(), { timeout: 30_000 }).toContain('已载入数据包');
    await page.locator('.pack-item .pack-open').click();
    await page.waitForURL(/pack=ningbo-\d{12}/, { timeout: 30_000 });
    await waitSettled(page);
    await expect.poll(() => page.locator('[data-notice="imports"]').textContent(), { timeout: 60_000 }).toContain('已载入数据包中的 2 个导入文件');
    expect(await page.evaluate('window.__atlas.catalog.cities.map((c) => c.id)')).toEqual(['ningbo']);
    expect(await tables(page)).toEqual(expect.arrayContaining(['user__cnemc_stations', 'user__cnemc_hourly']));
    expect(await page.locator('.packs-btn').textContent()).toMatch(/^数据包：宁波 数据包 \d{4}-\d{2}-\d{2}$/);
    // Nothing of the pack went back into the browser's own kept imports.
    expect(await page.evaluate(KEPT)).toEqual([]);

    // A hostile "pack" is refused with the reasons, and the saved one stays.
    await page.locator('.packs-btn').click();
    await page.locator('.pack-file').setInputFiles({ name: 'evil.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really a zip') });
    await expect.poll(() => page.locator('.pack-status').textContent(), { timeout: 10_000 }).toContain('这不是可用的数据包');
    expect(await page.locator('.pack-item').count()).toBe(1);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await page.context().close();
  }, 200_000);
});
