import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { resolve } from 'node:path';
import { launch, openPage, screenshotPixels, waitSettled } from './browser';

/**
 * Click → walking isochrones in real Chromium: areas drawn around the click
 * (read from pixels), a checklist of GB 50180 facility types with walking
 * distances in the inspector, the point kept in the link; a click far from any
 * street says so instead of drawing.
 */
const OUT = resolve(__dirname, '../../test-results');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const project = async (page: Page, lon: number, lat: number) =>
  (await page.evaluate(`(() => { const p = window.__atlas.view.map.project([${lon}, ${lat}]); return { x: p.x, y: p.y }; })()`)) as { x: number; y: number };

describe('walking isochrones', () => {
  it('draws 5/10/15-minute areas and a facility checklist for a clicked point', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=lifecircle');
    await waitSettled(page);
    // The densest populated cell: surely on the walking network.
    const c = (await page.evaluate(
      `window.__atlas.engine.then(e => e.query('SELECT lon, lat FROM jinan__lifecircle ORDER BY pop DESC LIMIT 1')).then(t => t.get(0).toJSON())`,
    )) as { lon: number; lat: number };
    await page.evaluate(`window.__atlas.view.map.jumpTo({ center: [${c.lon}, ${c.lat}], zoom: 14 }), undefined`);
    await waitSettled(page);
    const p = await project(page, c.lon, c.lat);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.locator('.inspector').textContent(), { timeout: 30_000 }).toContain('步行生活圈');
    await waitSettled(page);
    const text = (await page.locator('.inspector').textContent()) ?? '';
    expect(text).toMatch(/五分钟生活圈（300 m）/);
    expect(text).toMatch(/十五分钟生活圈（1,000 m）/);
    expect(text).toMatch(/[✓✗] 幼儿园\/托儿所/);
    expect(text).toMatch(/\d+ m/);
    expect(text).toContain('模拟数据');
    expect(page.url()).toMatch(/iso=\d+\.\d+,\d+\.\d+/);

    // The areas are drawn: the isochrone purple around the click, not far away.
    const shot = await screenshotPixels(page, resolve(OUT, 'isochrone.png'));
    const purple = ([r, g, b]: number[]) => b! > g! + 25 && r! > g! - 10 && b! > 110;
    let near = 0;
    for (let x = p.x - 150; x < p.x + 150; x += 5) for (let y = p.y - 150; y < p.y + 150; y += 5) if (purple(shot.at(x, y))) near++;
    expect(near).toBeGreaterThan(100);

    // Closing the checklist clears the point from the link and the map.
    await page.locator('.inspector button').first().click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toContain('iso=');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 150_000);

  it('uses the distances the planner sets, kept in the link; survives the walking worker dying', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=lifecircle&isod=200,400,800&iso=117.0,36.665');
    await waitSettled(page);
    await expect.poll(() => page.locator('.inspector').textContent(), { timeout: 30_000 }).toContain('五分钟生活圈（200 m）');
    expect(await page.locator('.inspector').textContent()).toContain('自定距离');
    expect(await page.locator('.iso-distance').first().inputValue()).toBe('200');
    await page.click('.iso-reset');
    await expect.poll(() => page.locator('.inspector').textContent(), { timeout: 30_000 }).toContain('五分钟生活圈（300 m）');
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toContain('isod=');

    // The walking-network worker dies with a request in flight (terminate() on
    // the real worker; the app is not told): it is noticed, restarted with
    // Jinan's network, the request is answered, and the user is told.
    const killed = (await page.evaluate(`(async () => {
      const n = window.__atlas.network;
      window.__netEvents = [];
      n.onEvent((e) => window.__netEvents.push(e.kind + ':' + (e.cause || e.reloaded || '')));
      const old = n.current();
      const watched = await old.watched;
      const answer = n.isochrone('jinan', 117.0, 36.665, [300, 500]);
      old.worker.terminate();
      const r = await answer;
      return { watched, areas: r ? r.areas.length : -1, restarts: n.restarts(), fresh: n.current().worker !== old.worker };
    })()`)) as { watched: boolean; areas: number; restarts: number; fresh: boolean };
    expect(killed).toEqual({ watched: true, areas: 2, restarts: 1, fresh: true });
    expect(await page.evaluate('window.__netEvents')).toEqual(['stopped:died', 'restarted:jinan']);
    await expect.poll(() => page.locator('[data-notice="network-restart"]').textContent(), { timeout: 10_000 }).toContain('步行分析已恢复');
    // The checklist goes on working through the new worker.
    await page.locator('.iso-distance').first().fill('250');
    await page.locator('.iso-distance').first().press('Tab');
    await expect.poll(() => page.locator('.inspector').textContent(), { timeout: 30_000 }).toContain('五分钟生活圈（250 m）');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('says so when the click is far from any street', async () => {
    // Far outside the city: no network within 250 m.
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=lifecircle&iso=116.2,35.9');
    await waitSettled(page);
    await expect.poll(() => page.locator('.inspector').textContent(), { timeout: 30_000 }).toContain('没有步行网络');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a facility placed by a click completes the circles it reaches; the shares and the link follow', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=lifecircle');
    await waitSettled(page);
    const note = async () => (await page.locator('.layer-card', { hasText: '15分钟生活圈' }).locator('.legend-note').first().textContent()) ?? '';
    const share5 = async () => Number(/5分钟 ([\d.]+)%/.exec(await note())![1]);
    const before = await share5();
    // A populous cell whose only missing 5-minute type is a kindergarten.
    const c = (await page.evaluate(
      `window.__atlas.engine.then(e => e.query("SELECT lon, lat FROM jinan__lifecircle WHERE pop > 3000 AND (d_kindergarten IS NULL OR d_kindergarten > 300) AND d_health_station <= 300 AND d_elderly_daycare <= 300 AND d_fitness_small <= 300 AND d_community_service <= 300 AND d_convenience_shop <= 300 ORDER BY pop DESC LIMIT 1")).then(t => t.get(0).toJSON())`,
    )) as { lon: number; lat: number };
    await page.evaluate(`window.__atlas.view.map.jumpTo({ center: [${c.lon}, ${c.lat}], zoom: 14 }), undefined`);
    await waitSettled(page);
    await page.selectOption('.fac-add-type', 'kindergarten');
    await page.click('.fac-place');
    const p = await project(page, c.lon, c.lat);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => note(), { timeout: 30_000 }).toContain('含方案新增设施 1 处');
    expect(await share5()).toBeGreaterThan(before);
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/addfac=kindergarten,\d+\.\d+,\d+\.\d+/);
    // Cleared: the city's own figures come back.
    await page.click('.fac-clear');
    await expect.poll(() => share5(), { timeout: 30_000 }).toBe(before);
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toContain('addfac=');

    // A still pointer over the cell: its tooltip follows the scenario without the mouse moving
    // (the facility is added through the store, so no pointer event can refresh it).
    const tierRow = async () => /五分钟生活圈\s*([✓✗])/.exec((await page.locator('.tooltip').textContent()) ?? '')?.[1] ?? null;
    await page.mouse.move(p.x, p.y + 8);
    await expect.poll(tierRow, { timeout: 10_000 }).toBe('✗');
    await page.evaluate(`window.__atlas.store.set({ addedFacilities: [{ type: 'kindergarten', lon: ${c.lon}, lat: ${c.lat} }] })`);
    await expect.poll(tierRow, { timeout: 30_000 }).toBe('✓');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 150_000);
});
