import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openPage, waitSettled } from './browser';

/**
 * A file too big for the tab's memory budget, in real Chromium: it is refused
 * from its size, unread, with a message that says how big is too big and what
 * to do; the main thread never stalls while refusing it (long tasks measured
 * by the browser), and the app goes on working.
 */
let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'atlas-budget-'));
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('memory budget', () => {
  it('refuses an over-budget file at once with the message, and the app stays responsive', async () => {
    // 300 MB, made at test time (sparse: instant, and nothing is committed).
    const big = join(dir, 'cnemc-2024-all.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 300 * 2 ** 20);
    closeSync(fd);
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=parks,air&membudget=256');
    await waitSettled(page);
    await page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
    })()`);
    await page.locator('.import-btn').click();
    await page.locator('.import-file').setInputFiles(big);
    const t0 = Date.now();
    await page.locator('.import-go').click();
    await expect.poll(() => page.locator('.import-dialog').textContent(), { timeout: 20_000, interval: 100 }).toContain('内存预算');
    const refusedInMs = Date.now() - t0;
    const text = (await page.locator('.import-dialog').textContent()) ?? '';
    expect(text).toContain('300 MB');
    expect(text).toContain('256 MB');
    expect(text).toContain('最大约 64 MB');
    expect(text).toMatch(/Parquet/);
    const longTasks = (await page.evaluate('window.__longTasks')) as number[];
    expect(Math.max(0, ...longTasks), `long tasks: ${longTasks.join(', ')}`).toBeLessThan(200);
    expect(refusedInMs).toBeLessThan(5000);
    // Nothing was loaded half-way, and the app still answers.
    const tables = (await page.evaluate(`(async () => (await window.__atlas.engine).tables())()`)) as string[];
    expect(tables.filter((t) => t.startsWith('user__'))).toEqual([]);
    const n = await page.evaluate(`(async () => { const e = await window.__atlas.engine; const t = await e.query('SELECT count(*)::INT AS n FROM jinan__parks'); return t.get(0).n; })()`);
    expect(n).toBeGreaterThan(100);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
