import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { launch, openPage, waitSettled } from './browser';

/**
 * The planner's SQL console in real Chromium (issue #9): a SELECT of a
 * catalog table with coordinates shows its rows and draws the `sql-result`
 * layer (in deck.gl and in pixels); DROP and DELETE are refused with the
 * read-only message and the table is intact; a syntax error is shown inline;
 * the row limit cuts and says so; "clear from map" and closing the console
 * take the layer off the map.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const deckIds = (page: Page) => page.evaluate(`(window.__atlas.view.overlay._deck?.layerManager?.getLayers() ?? []).filter((l) => !l.parent).map((l) => l.id)`) as Promise<string[]>;

/** Pixels of the result layer's magenta (points drawn at 235/255 over the base) in the map area the console leaves free. */
async function magenta(page: Page): Promise<number> {
  // A clipped screenshot: SwiftShader makes full-page ones slow.
  const png = PNG.sync.read(await page.screenshot({ clip: { x: 360, y: 80, width: 640, height: 240 } }));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r > 170 && g < 110 && b > 90 && b < 175 && r - g > 100) n++;
  }
  return n;
}

async function run(page: Page, sql: string): Promise<void> {
  await page.locator('.sql-editor').fill(sql);
  await page.locator('.sql-editor').press('Control+Enter');
  await expect.poll(() => page.locator('.sql-console').getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
}

describe('SQL console', () => {
  it('runs a SELECT onto the map, refuses writes with the table intact, shows errors inline', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=-&v=117.02,36.66,10.2,0,0', { width: 1024, height: 720 });
    await waitSettled(page);
    await page.evaluate('window.__atlas.engine.then(() => null)');
    expect(await magenta(page)).toBeLessThan(5);

    await page.locator('.sql-btn').click();
    await expect.poll(() => page.locator('.sql-console').isVisible()).toBe(true);
    expect(await page.locator('.sql-btn').getAttribute('aria-pressed')).toBe('true');

    // A catalog table no layer has loaded: the console loads it, then draws the stations.
    await run(page, 'SELECT id, name, __xmin AS lon, __ymin AS lat FROM "jinan__stations" ORDER BY id');
    expect(await page.locator('.sql-error').isVisible()).toBe(false);
    expect(await page.locator('.sql-table tbody tr').count()).toBe(20);
    expect(await page.locator('.sql-result-bar').textContent()).toContain('20 行');
    expect(await page.locator('.sql-map').textContent()).toContain('地图上显示 20 个要素');
    expect(await page.locator('.sql-table tbody tr').first().locator('td').first().textContent()).toBe('JN01');
    await expect.poll(() => deckIds(page), { timeout: 10_000 }).toContain('sql-result');
    await expect.poll(() => page.evaluate('window.__atlas.view.map.isMoving()'), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => magenta(page), { timeout: 10_000 }).toBeGreaterThan(30);
    // A drawn row is pickable: hovering JN01 shows its columns as the table does.
    const jn01 = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      const r = (await e.query("SELECT __xmin AS lon, __ymin AS lat FROM jinan__stations WHERE id = 'JN01'")).get(0);
      const p = window.__atlas.view.map.project([r.lon, r.lat]);
      return [p.x, p.y];
    })()`)) as [number, number];
    await page.mouse.move(jn01[0], jn01[1]);
    await expect.poll(() => page.locator('.tooltip .tt-title').textContent(), { timeout: 5_000 }).toMatch(/^查询结果 · 第 \d+ 行$/);
    expect(await page.locator('.tooltip').textContent()).toContain('JN01');
    await page.mouse.move(5, 400);
    // "Clear from map" takes the layer away and says so; the rows stay.
    await page.locator('.sql-clear-map').click();
    await expect.poll(() => deckIds(page), { timeout: 10_000 }).not.toContain('sql-result');
    expect(await page.locator('.sql-result-bar').textContent()).toContain('已从地图清除');
    expect(await page.locator('.sql-table tbody tr').count()).toBe(20);
    // The schema browser lists the table (its columns folded); a click writes a SELECT for it.
    await page.locator('.sql-table-name[data-table="jinan__stations"]').waitFor({ timeout: 10_000 });
    await page.locator('.sql-table-name[data-table="jinan__stations"]').click();
    expect(await page.locator('.sql-editor').inputValue()).toBe('SELECT * FROM "jinan__stations" LIMIT 100');

    // Writes are refused with the read-only message; the table is as it was; the new query took the layer away.
    for (const sql of ['DROP TABLE "jinan__stations"', 'DELETE FROM jinan__stations']) {
      await run(page, sql);
      expect(await page.locator('.sql-error').textContent()).toContain('只读');
    }
    await expect.poll(() => deckIds(page), { timeout: 10_000 }).not.toContain('sql-result');
    expect(await page.evaluate(`window.__atlas.engine.then(async (e) => Number((await e.query('SELECT count(*) AS n FROM jinan__stations')).get(0).n))`)).toBe(20);

    // A syntax error, inline, without the engine's wrapper in it.
    await run(page, 'SELCT 1');
    const err = (await page.locator('.sql-error').textContent()) ?? '';
    expect(err).toContain('syntax error');
    expect(err).not.toContain('query(');

    // A row limit: the result says it was cut.
    await page.locator('.sql-limit').selectOption('100');
    await run(page, 'SELECT * FROM range(5000)');
    expect(await page.locator('.sql-table tbody tr').count()).toBe(100);
    expect(await page.locator('.sql-count').textContent()).toContain('已截断');

    // Back to a map result, then close: the layer goes with the console.
    await run(page, 'SELECT name, __geom FROM "jinan__stations"');
    await expect.poll(() => deckIds(page), { timeout: 10_000 }).toContain('sql-result');
    await page.locator('.sql-close').click();
    expect(await page.locator('.sql-console').count()).toBe(0);
    await expect.poll(() => deckIds(page), { timeout: 10_000 }).not.toContain('sql-result');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
