import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { colourDistance, launch, openPage, screenshotPixels, waitSettled } from './browser';

/** Park service-radius coverage in real Chromium: gaps drawn, both denominators named. */
const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('park service-radius coverage', () => {
  it('draws covered and uncovered residential cells and states coverage by land and by population', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=parkcoverage,parks');
    await waitSettled(page);
    const shot = await screenshotPixels(page, resolve(OUT, 'parks-coverage.png'));
    const note = (await page.locator('.side .legend-note').allTextContents()).join(' ');
    expect(note).toContain('按居住用地');
    expect(note).toContain('按人口');
    expect(note).toMatch(/GB 55014/);
    // The gap colour (warm red at alpha 170 over the base) shows somewhere on the map.
    let gaps = 0;
    for (let x = 360; x < 1400; x += 12) for (let y = 100; y < 800; y += 12) if (colourDistance(shot.at(x, y), [222, 110, 96]) < 60) gaps++;
    expect(gaps).toBeGreaterThan(20);
    // A cell's tooltip names its district's coverage by both denominators.
    const s = (await page.evaluate(`(async () => {
      const h = window.__atlas; const e = await h.engine;
      const t = await e.query("SELECT lon, lat FROM jinan__population WHERE pop > 3000 ORDER BY pop DESC LIMIT 1");
      const r = t.get(0); const p = h.view.map.project([r.lon, r.lat]); return { x: p.x, y: p.y };
    })()`)) as { x: number; y: number };
    await page.mouse.move(s.x, s.y);
    await expect.poll(() => page.locator('.tooltip').textContent(), { timeout: 10_000 }).toMatch(/按人口/);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
