import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { resolve } from 'node:path';
import { colourDistance, launch, openPage, screenshotPixels, waitSettled } from './browser';

/**
 * Restoration over time in real Chromium: the clock steps by year across the
 * restoration years, the per-year chart moves it, and the swipe compare shows
 * a site finished after the "before" year only right of the divider.
 */
const OUT = resolve(__dirname, '../../test-results');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const label = (page: Page) => page.locator('.time-label').textContent();
const legendTitle = (page: Page) => page.locator('.layer-card', { hasText: '生态修复' }).locator('.legend-title').first().textContent();

describe('restoration over time', () => {
  it('steps the clock by year over the restoration years; the chart picks a year', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=qingdao&layers=restoration&dock=restoration');
    await waitSettled(page);
    await page.click('.time-unit button[data-step="year"]');
    await expect.poll(() => label(page), { timeout: 10_000 }).toBe('2025 年');
    expect(await page.locator('input.time-slider').getAttribute('max')).toBe('10');
    await page.keyboard.press(',');
    await expect.poll(() => label(page), { timeout: 10_000 }).toBe('2024 年');
    await expect.poll(() => legendTitle(page), { timeout: 10_000 }).toContain('截至2024年');
    const count = async () => Number(/(\d+) 处/.exec((await page.locator('.layer-card', { hasText: '生态修复' }).locator('.legend-note').first().textContent()) ?? '')?.[1]);
    const in2024 = await count();
    // A year of the chart moves the clock there; fewer sites were finished by then.
    await page.locator('[data-chart="restoration"] g[data-year="2018"]').first().click();
    await expect.poll(() => label(page), { timeout: 10_000 }).toBe('2018 年');
    await expect.poll(() => count(), { timeout: 10_000 }).toBeLessThan(in2024);
    expect(page.url()).toContain('step=year');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('swipe compare: a site finished after the before year shows only right of the divider, and follows a drag', async () => {
    const probe = await openPage(browser, '?city=qingdao&layers=restoration');
    await waitSettled(probe.page);
    const site = (await probe.page.evaluate(
      `window.__atlas.engine.then(e => e.query("SELECT (__xmin + __xmax) / 2 AS x, (__ymin + __ymax) / 2 AS y, year FROM qingdao__restoration WHERE year >= 2020 AND type IN ('mountain', 'wetland', 'brownfield') ORDER BY area_m2 DESC LIMIT 1")).then(t => t.get(0).toJSON())`,
    )) as { x: number; y: number; year: number };
    await probe.page.context().close();

    // The site at the centre of the map, at a zoom that still draws markers.
    const v = `v=${site.x.toFixed(5)},${site.y.toFixed(5)},12.4`;
    const at = async (page: Page) => {
      const p = (await page.evaluate(`(() => { const p = window.__atlas.view.map.project([${site.x}, ${site.y}]); return { x: p.x, y: p.y }; })()`)) as { x: number; y: number };
      return (await screenshotPixels(page)).at(p.x, p.y);
    };
    const plain = await openPage(browser, `?city=qingdao&layers=restoration&step=year&t=2025-06-30T12&${v}`);
    await waitSettled(plain.page);
    const shown = await at(plain.page);
    const bare = await openPage(browser, `?city=qingdao&layers=-&step=year&t=2025-06-30T12&${v}`);
    await waitSettled(bare.page);
    const none = await at(bare.page);
    expect(colourDistance(shown, none)).toBeGreaterThan(30);
    await plain.page.context().close();
    await bare.page.context().close();

    // Divider at the far right: the site's spot is on the 2016 side, where it is not built yet.
    const { page, consoleErrors } = await openPage(browser, `?city=qingdao&layers=restoration&step=year&t=2025-06-30T12&cmp=2016&swipe=0.98&${v}`);
    await waitSettled(page);
    expect(await page.locator('.swipe-label-left').textContent()).toBe('2016年');
    expect(await page.locator('.swipe-label-right').textContent()).toBe('2025年');
    expect(colourDistance(await at(page), none)).toBeLessThan(12);

    // Drag the handle to the far left: now the spot is on the 2025 side.
    const h = (await page.locator('.swipe-handle').boundingBox())!;
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(700, h.y + h.height / 2, { steps: 6 });
    await page.waitForTimeout(300);
    expect(await page.locator('.swipe-divider').getAttribute('class')).toContain('dragging');
    await page.screenshot({ path: resolve(OUT, 'restoration-swipe-mid-drag.png') });
    await page.mouse.move(5, h.y + h.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => Number(new URL(page.url()).searchParams.get('swipe')), { timeout: 10_000 }).toBeLessThan(0.05);
    await waitSettled(page);
    expect(colourDistance(await at(page), shown)).toBeLessThan(12);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 180_000);
});
