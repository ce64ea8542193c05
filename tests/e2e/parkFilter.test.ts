import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { resolve } from 'node:path';
import { launch, openPage, screenshotPixels, waitSettled, type Pixels } from './browser';

/**
 * Cross-filtering in real Chromium (issue #9): brushing the park-size
 * histogram and picking a district filter the parks on the map (pixels) and
 * each other's bars, through DuckDB; the filter is in the link and clears.
 */
const OUT = resolve(__dirname, '../../test-results');
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Map pixels of a strong park green (the filtered-out parks are a faint grey). */
function greenPixels(shot: Pixels): number {
  let n = 0;
  for (let x = 360; x < 1400; x += 4) for (let y = 90; y < 560; y += 4) {
    const [r, g, b] = shot.at(x, y);
    if (g > r + 35 && g > b + 5) n++;
  }
  return n;
}
const sum = (page: Page, sel: string, attr: string) => page.$$eval(sel, (els, a) => els.reduce((s, e) => s + Number(e.getAttribute(a)), 0), attr);
const filterOf = (page: Page) => page.evaluate(`window.__atlas.store.get().parkFilter`) as Promise<{ area: [number, number] | null; districts: string[] }>;

describe('parks cross-filter', () => {
  it('brushing park sizes and picking a district filter the map and the other chart; the link keeps it; clearing restores', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=parks&dock=parkfilter');
    await waitSettled(page);
    await page.locator('.pf-hist rect[data-bin]').first().waitFor({ timeout: 30_000 });
    const allParks = await sum(page, '.pf-hist rect[data-bin]', 'data-count');
    expect(allParks).toBeGreaterThan(100);
    expect(await sum(page, '.pf-bars .ca-bar-row', 'data-value')).toBe(allParks);
    const before = greenPixels(await screenshotPixels(page));
    expect(before).toBeGreaterThan(200);

    // Brush the largest sizes (the right third of the histogram).
    const box = (await page.locator('.pf-hist .ca-brush .overlay').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 6 });
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await filterOf(page)).area, { timeout: 10_000 }).not.toBeNull();
    const area = (await filterOf(page)).area!;
    expect(area[0]).toBeGreaterThan(10_000);
    // The district bars now count only those sizes; the histogram still shows every size (it does not filter itself).
    await expect.poll(() => sum(page, '.pf-bars .ca-bar-row', 'data-value'), { timeout: 10_000 }).toBeLessThan(allParks);
    expect(await sum(page, '.pf-hist rect[data-bin]', 'data-count')).toBe(allParks);
    await expect.poll(() => page.locator('.side').textContent(), { timeout: 10_000 }).toContain('已筛选：显示');
    await waitSettled(page);
    const brushed = greenPixels(await screenshotPixels(page, resolve(OUT, 'park-filter-brushed.png')));
    expect(brushed).toBeLessThan(before * 0.9);
    expect(brushed).toBeGreaterThan(0);

    // Pick the district with the most of them: the histogram now counts that district only.
    const top = (await page.locator('.pf-bars .ca-bar-row').first().getAttribute('data-id'))!;
    await page.locator(`.pf-bars .ca-bar-row[data-id="${top}"]`).click();
    await expect.poll(async () => (await filterOf(page)).districts, { timeout: 10_000 }).toEqual([top]);
    await expect.poll(() => sum(page, '.pf-hist rect[data-bin]', 'data-count'), { timeout: 10_000 }).toBeLessThan(allParks);
    await expect.poll(() => page.locator(`.pf-bars .ca-bar-row[data-id="${top}"]`).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    const inTop = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      const t = await e.query("SELECT count(*)::INT AS n FROM jinan__parks WHERE district = ? AND area_m2 BETWEEN ? AND ?", [${JSON.stringify(top)}, ${area[0]}, ${area[1]}]);
      return t.get(0).n;
    })()`)) as number;
    await expect.poll(() => page.locator('.pf-summary').textContent(), { timeout: 10_000 }).toContain(`符合 ${inTop.toLocaleString('en')} 个公园`);
    await expect.poll(() => page.url(), { timeout: 5_000 }).toMatch(new RegExp(`pa=${area[0]},${area[1]}.*pd=${top}`));

    // The link restores the filter in a fresh page.
    const again = await openPage(browser, new URL(page.url()).search);
    await waitSettled(again.page);
    expect(await filterOf(again.page)).toEqual({ area, districts: [top] });
    await again.page.context().close();

    // Clearing brings every park back.
    await page.locator('.pf-reset').click();
    await expect.poll(async () => filterOf(page), { timeout: 10_000 }).toEqual({ area: null, districts: [] });
    await expect.poll(() => sum(page, '.pf-bars .ca-bar-row', 'data-value'), { timeout: 10_000 }).toBe(allParks);
    await waitSettled(page);
    expect(greenPixels(await screenshotPixels(page))).toBeGreaterThan(before * 0.95);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
