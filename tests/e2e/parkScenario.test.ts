import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launch, openPage, screenshotPixels, waitSettled } from './browser';

/**
 * A drawn park in real Chromium: corners clicked on the map, coverage and the
 * per-person figure change at once, newly covered cells get their own colour,
 * the park travels in the link and can be cleared; a bad outline is refused
 * with a message; the district table sorts, exports CSV and flies to a row.
 */
const OUT = resolve(__dirname, '../../test-results');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Among the most populous cells outside every service radius, the one with most such cells around it: a park there closes a gap. */
async function gapOnScreen(page: Page): Promise<{ lon: number; lat: number }> {
  return (await page.evaluate(`(() => {
    const m = window.__atlas.controller.dataOf('parkcoverage').model;
    const gaps = [];
    for (let i = 0; i < m.cells.pop.length; i++) if (m.base.covered[i] === 0) gaps.push(i);
    const top = [...gaps].sort((a, b) => m.cells.pop[b] - m.cells.pop[a]).slice(0, 300);
    let best = top[0], bestN = -1;
    for (const i of top) {
      let n = 0;
      for (const j of gaps) if (Math.abs(m.cells.lon[j] - m.cells.lon[i]) < 0.007 && Math.abs(m.cells.lat[j] - m.cells.lat[i]) < 0.006) n++;
      if (n > bestN) { bestN = n; best = i; }
    }
    return { lon: m.cells.lon[best], lat: m.cells.lat[best] };
  })()`)) as { lon: number; lat: number };
}

async function project(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return (await page.evaluate(`(() => { const p = window.__atlas.view.map.project([${lon}, ${lat}]); return { x: p.x, y: p.y }; })()`)) as { x: number; y: number };
}

const popShare = (page: Page) =>
  page.evaluate(`(() => {
    const h = window.__atlas; const d = h.controller.dataOf('parkcoverage');
    return d ? d.model.base.city.popShare : null;
  })()`) as Promise<number>;

describe('drawn-park scenario', () => {
  it('adds a drawn park, shows the change at once, keeps it in the link and clears it', async () => {
    const first = await openPage(browser, '?city=jinan&layers=parkcoverage,parks');
    let page = first.page;
    await waitSettled(page);
    const gap = await gapOnScreen(page);
    // Centre the gap at street scale, so a 6 ha square is a few dozen pixels.
    await page.evaluate(`window.__atlas.view.map.jumpTo({ center: [${gap.lon}, ${gap.lat}], zoom: 14.5 }), undefined`);
    await waitSettled(page);
    const c = await project(page, gap.lon, gap.lat);
    const e = await project(page, gap.lon + 0.0015, gap.lat);
    const r = Math.max(12, e.x - c.x); // about 130 m east–west
    const before = await popShare(page);

    await page.click('.scenario-draw');
    for (const [dx, dy] of [[-r, -r], [r, -r], [r, r], [-r, r]]) await page.mouse.click(c.x + dx!, c.y + dy!);
    await page.mouse.move(c.x, c.y + r * 1.5);
    await expect.poll(() => page.locator('.draw-hint').textContent(), { timeout: 10_000 }).toMatch(/服务半径 500 米/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/park=\d+\.\d+,\d+\.\d+;/);
    await waitSettled(page);
    const panel = (await page.locator('.scenario-delta').textContent()) ?? '';
    expect(panel).toContain('方案（假设）：新增公园 1 处');
    const m = /按人口 ([\d.]+)% → ([\d.]+)%/.exec(panel)!;
    expect(Number(m[2])).toBeGreaterThan(Number(m[1]));
    expect(Number(m[1])).toBeCloseTo(before * 100, 1);
    expect((await page.locator('.side .legend-note').allTextContents()).join(' ')).toContain('含方案');

    // The drawn park and the cells it brings into coverage are on the map.
    const shot = await screenshotPixels(page, resolve(OUT, 'parks-scenario.png'));
    let gained = 0;
    // Blue: cells the drawn park brings into coverage (SCENARIO_GAIN); green: the park itself.
    const bluish = ([r, g, b]: number[]) => b! > r! + 60 && b! > g! + 30;
    for (let x = c.x - 8 * r; x < c.x + 8 * r; x += 4) for (let y = c.y - 8 * r; y < c.y + 8 * r; y += 4) if (bluish(shot.at(x, y))) gained++;
    expect(gained).toBeGreaterThan(50);
    const [pr, pg, pb] = shot.at(c.x, c.y);
    expect(pg).toBeGreaterThan(pr + 50);
    expect(pg).toBeGreaterThan(pb);

    // The link carries the scenario to a fresh page.
    const url = page.url();
    await page.context().close();
    const again = await openPage(browser, url.slice(url.indexOf('?')));
    page = again.page;
    await waitSettled(page);
    expect(await page.locator('.scenario-delta').textContent()).toContain('新增公园 1 处');
    await page.click('.scenario-clear');
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toContain('park=');
    expect(await page.locator('.scenario-delta').count()).toBe(0);
    expect([...first.consoleErrors, ...again.consoleErrors]).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('refuses a self-crossing outline with a message and keeps what was there', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=parkcoverage&park=117.0,36.66;117.003,36.66;117.003,36.662');
    await waitSettled(page);
    await page.click('.scenario-draw');
    // A bow tie: corners in crossing order.
    for (const [x, y] of [[700, 400], [800, 500], [800, 400], [700, 500]]) await page.mouse.click(x!, y!);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-notice="draw"]').textContent(), { timeout: 10_000 }).toContain('边界自相交');
    expect((page.url().match(/park=/g) ?? []).length).toBe(1);
    expect(await page.locator('.scenario-delta').textContent()).toContain('新增公园 1 处');
    // Esc cancels a drawing without a trace.
    await page.click('.scenario-draw');
    await page.mouse.click(700, 400);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.scenario-draw').count(), { timeout: 10_000 }).toBe(1);
    expect((page.url().match(/park=/g) ?? []).length).toBe(1);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});

describe('district table', () => {
  it('lists every district and the city, sorts, exports CSV and flies to a district', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=qingdao&layers=parks&dock=districts');
    await waitSettled(page);
    const rows = page.locator('[data-chart="districts"] tbody tr');
    const n = await page.evaluate(`window.__atlas.engine.then(e => e.query('SELECT count(*)::INT AS n FROM qingdao__districts')).then(t => t.get(0).n)`);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(Number(n) + 1);
    expect(await rows.last().textContent()).toContain('全市');
    // Sort by park area per person, highest first: the column's numbers come out descending.
    const header = page.locator('[data-chart="districts"] th', { hasText: '人均公园' }).locator('button');
    await header.click();
    const perPerson = async () =>
      (await page.locator('[data-chart="districts"] tbody tr:not(.total) td:nth-child(4)').allTextContents()).map((t) => Number(t.replace(/[^\d.]/g, '')));
    const desc = await perPerson();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await header.click();
    const asc = await perPerson();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));

    const download = page.waitForEvent('download');
    await page.click('.dock-export');
    const file = await (await download).path();
    const csv = readFileSync(file!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('服务半径覆盖率·按居住用地（%）');
    expect(csv).toContain('模拟数据');
    // Life circles per district too: the population share in a complete 15-minute circle.
    expect(csv).toContain('15分钟生活圈完整·人口占比（%）');
    expect(await page.locator('[data-chart="districts"] th', { hasText: '15分钟圈完整' }).count()).toBe(1);
    expect(await page.locator('[data-chart="districts"] tbody tr.total td').last().textContent()).toMatch(/^\d+(\.\d)?%$/);
    expect(csv.split('\r\n').filter((l) => /^\S+区|^\S+市|^全市/.test(l)).length).toBeGreaterThanOrEqual(Number(n));

    // A row flies to its district.
    const target = (await page.locator('[data-chart="districts"] tbody tr:not(.total)').first().getAttribute('data-id'))!;
    const bbox = (await page.evaluate(
      `window.__atlas.engine.then(e => e.query("SELECT __xmin AS w, __ymin AS s, __xmax AS e, __ymax AS n FROM qingdao__districts WHERE id = '${target}'")).then(t => t.get(0).toJSON())`,
    )) as { w: number; s: number; e: number; n: number };
    await page.locator(`[data-chart="districts"] tbody tr[data-id="${target}"]`).click();
    await expect
      .poll(async () => {
        const c = (await page.evaluate(`(() => { const c = window.__atlas.view.map.getCenter(); return [c.lng, c.lat]; })()`)) as [number, number];
        return c[0] > bbox.w && c[0] < bbox.e && c[1] > bbox.s && c[1] < bbox.n;
      }, { timeout: 10_000 })
      .toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
