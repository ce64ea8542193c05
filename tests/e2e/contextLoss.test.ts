import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, screenshotPixels, waitSettled } from './browser';

/**
 * A lost WebGL context (laptop sleep, GPU reset) in real Chromium, forced with
 * WEBGL_lose_context: the user is told, and once the context is back the map
 * and its layers are drawn again at the same place, read from pixels.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Pixels of the map area that are park green (the parks layer drawn), sampled on a grid. */
async function greenPixels(page: import('playwright-core').Page): Promise<number> {
  const shot = await screenshotPixels(page);
  let n = 0;
  for (let x = 360; x < 1400; x += 6) for (let y = 100; y < 760; y += 6) {
    const [r, g, b] = shot.at(x, y);
    if (g > r + 30 && g > b + 10) n++;
  }
  return n;
}

describe('lost WebGL context', () => {
  it('tells the user and draws the map and layers again, at the same view', async () => {
    const url = '?city=jinan&layers=parks&v=117.02,36.66,12.5';
    const { page, consoleErrors } = await openPage(browser, url);
    await waitSettled(page);
    const before = await greenPixels(page);
    expect(before).toBeGreaterThan(100);
    await page.evaluate(`(() => { const gl = window.__atlas.view.map.painter.context.gl; window.__lose = gl.getExtension('WEBGL_lose_context'); window.__lose.loseContext(); })()`);
    await expect.poll(() => page.locator('[data-notice="gl"]').textContent(), { timeout: 10_000 }).toContain('图形上下文丢失');
    await page.evaluate(`window.__lose.restoreContext()`).catch(() => {
      /* the page may already be reloading */
    });
    await page.waitForFunction(() => document.querySelector('[data-notice="gl"]')?.textContent?.includes('已恢复'), undefined, { timeout: 60_000 });
    await waitSettled(page);
    const after = await greenPixels(page);
    expect(after).toBeGreaterThan(before * 0.8);
    const v = new URL(page.url()).searchParams.get('v');
    expect(v).toBe('117.02000,36.66000,12.50');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 150_000);
});
