import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cspViolations, launch, openPage, waitSettled } from './browser';

/**
 * The live sources in real Chromium (issue #8, item 4), answered by recorded
 * responses in the services' real formats (tests/fixtures/live): nothing is
 * requested until the planner presses Fetch; an OSM result and a modelled
 * Open-Meteo result become layers of "Your data" with their source, licence
 * and (for Open-Meteo) the modelled badge; a busy server and a cancelled
 * request say so and add nothing; a map area too large for the walking
 * network is refused before any request; the tables come back after a reload.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const recorded = (f: string) => readFileSync(resolve(__dirname, '../fixtures/live', f), 'utf8');

/** Open-Meteo's answer for the locations asked, in its real format: one object per location, hourly arrays. */
function openMeteoAnswer(url: string): string {
  const q = new URL(url).searchParams;
  const lats = q.get('latitude')!.split(',').map(Number);
  const lons = q.get('longitude')!.split(',').map(Number);
  const time = ['2026-11-28T00:00', '2026-11-28T01:00'];
  return JSON.stringify(
    lats.map((lat, i) => ({
      latitude: lat,
      longitude: lons[i],
      generationtime_ms: 0.5,
      utc_offset_seconds: 0,
      timezone: 'GMT',
      timezone_abbreviation: 'GMT',
      elevation: 20,
      ...(i > 0 ? { location_id: i } : {}),
      hourly_units: { time: 'iso8601', pm10: 'μg/m³', pm2_5: 'μg/m³', carbon_monoxide: 'μg/m³', nitrogen_dioxide: 'μg/m³', sulphur_dioxide: 'μg/m³', ozone: 'μg/m³' },
      hourly: { time, pm10: [60, 58], pm2_5: [40, null], carbon_monoxide: [600, 580], nitrogen_dioxide: [30, 28], sulphur_dioxide: [8, 7], ozone: [50, 55] },
    })),
  );
}

const fetchButton = (page: Page, id: string) => page.locator(`.live-item[data-live="${id}"] .live-go`);
const statusOf = (page: Page, id: string) => page.locator(`.live-item[data-live="${id}"] .live-status`);

describe('live sources', () => {
  it('fetch only when asked, become layers with their provenance, fail and cancel cleanly, and stay after a reload', async () => {
    const { page, external, consoleErrors } = await openPage(browser, '?city=qingdao&layers=-&v=120.38,36.07,11.5,0,0');
    await waitSettled(page);
    const asked: string[] = [];
    let overpass: (route: Route) => Promise<void> = (route) => route.fulfill({ status: 200, contentType: 'application/json', body: recorded('overpass-parks-jinan.json') });
    await page.route('https://overpass-api.de/**', (route) => (asked.push(route.request().url()), overpass(route)));
    await page.route('https://air-quality-api.open-meteo.com/**', (route) => (asked.push(route.request().url()), route.fulfill({ status: 200, contentType: 'application/json', body: openMeteoAnswer(route.request().url()) })));
    let datav: (route: Route) => Promise<void> = () => new Promise(() => {}); // never answers: to be cancelled
    await page.route('https://geo.datav.aliyun.com/**', (route) => (asked.push(route.request().url()), datav(route)));

    await page.locator('.live-btn').click();
    await page.locator('.live-item').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.live-item').count()).toBe(5);
    expect(asked).toEqual([]); // opening the dialog asks nothing
    // The walking network of this whole view is too much for one request: refused before asking.
    expect(await fetchButton(page, 'osm-network').isDisabled()).toBe(true);
    expect(await statusOf(page, 'osm-network').textContent()).toContain('请放大地图');
    expect(await page.locator('.live-item[data-live="open-meteo-air"] .badge-modelled').count()).toBe(1);

    // OSM parks: fetched for the map area, a layer with its source and licence.
    await fetchButton(page, 'osm-parks').click();
    await expect.poll(() => statusOf(page, 'osm-parks').textContent(), { timeout: 20_000 }).toMatch(/已获取 \d+ 条，成为表 user__osm_parks_qingdao/);
    // The box asked is the view's, in Overpass's (s,w,n,e) order, around the centre of the link.
    const [s, w, n, e] = /\(([\d.]+),([\d.]+),([\d.]+),([\d.]+)\);/.exec(new URL(asked[0]!).searchParams.get('data')!)!.slice(1).map(Number) as [number, number, number, number];
    expect(s).toBeLessThan(36.07);
    expect(n).toBeGreaterThan(36.07);
    expect(w).toBeLessThan(120.38);
    expect(e).toBeGreaterThan(120.38);
    expect(e - w).toBeLessThan(1);
    // Open-Meteo: one request for the city's stations, modelled.
    await fetchButton(page, 'open-meteo-air').click();
    await expect.poll(() => statusOf(page, 'open-meteo-air').textContent(), { timeout: 20_000 }).toContain('已获取');
    expect(asked.filter((u) => u.includes('open-meteo'))).toHaveLength(1);
    // A busy Overpass: said plainly, nothing added.
    overpass = (route) => route.fulfill({ status: 429, contentType: 'text/plain', body: 'rate limited' });
    await fetchButton(page, 'osm-facilities').click();
    await expect.poll(() => statusOf(page, 'osm-facilities').textContent(), { timeout: 20_000 }).toContain('服务器繁忙');
    // Asked again once the server answers.
    overpass = (route) => route.fulfill({ status: 200, contentType: 'application/json', body: recorded('overpass-facilities-qingdao.json') });
    await fetchButton(page, 'osm-facilities').click();
    await expect.poll(() => statusOf(page, 'osm-facilities').textContent(), { timeout: 20_000 }).toContain('成为表 user__osm_facilities_qingdao');
    // DataV that never answers: cancelled, nothing added; then it answers and the districts come, converted from GCJ-02.
    await fetchButton(page, 'datav-boundaries').click();
    await expect.poll(() => statusOf(page, 'datav-boundaries').textContent(), { timeout: 10_000 }).toContain('geo.datav.aliyun.com');
    await page.locator('.live-item[data-live="datav-boundaries"] .live-cancel').click();
    await expect.poll(() => statusOf(page, 'datav-boundaries').textContent(), { timeout: 10_000 }).toContain('已取消');
    datav = (route) => route.fulfill({ status: 200, contentType: 'application/json', body: recorded('datav-370200_full.json') });
    await fetchButton(page, 'datav-boundaries').click();
    await expect.poll(() => statusOf(page, 'datav-boundaries').textContent(), { timeout: 20_000 }).toContain('已获取');
    await page.keyboard.press('Escape');

    const sql = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      const q = async (s) => (await e.query(s)).toArray().map((r) => r.toJSON());
      return {
        tables: (await e.tables()).filter((t) => t.startsWith('user__')),
        air: await q("SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS stations, min(value) AS aqi FROM user__open_meteo_air_qingdao"),
        districts: await q("SELECT name FROM user__datav_boundaries_qingdao ORDER BY name"),
      };
    })()`)) as { tables: string[]; air: { n: number; stations: number; aqi: number }[]; districts: { name: string }[] };
    expect(sql.tables).toEqual(['user__datav_boundaries_qingdao', 'user__open_meteo_air_qingdao', 'user__osm_facilities_qingdao', 'user__osm_parks_qingdao']);
    expect(sql.air[0]!.n).toBe(sql.air[0]!.stations * 2);
    expect(sql.air[0]!.aqi).toBeGreaterThan(0);
    expect(sql.districts.map((d) => d.name)).toContain('市南区');

    // Listed under "Your data" as fetched, with source, licence and time; Open-Meteo as modelled.
    const cards = page.locator('.user-card[data-origin="live"]');
    expect(await cards.count()).toBe(4);
    expect(await page.locator('.user-card[data-user-table="user__osm_parks_qingdao"]').textContent()).toMatch(/ODbL.*获取于 \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await page.locator('.user-card[data-user-table="user__open_meteo_air_qingdao"] .badge-modelled').count()).toBe(1);
    expect(await page.locator('.user-card[data-user-table="user__osm_parks_qingdao"] .badge-modelled').count()).toBe(0);
    // The map credits OpenStreetMap (ODbL asks for it) and Open-Meteo.
    const credits = (await page.locator('.maplibregl-ctrl-attrib').textContent()) ?? '';
    expect(credits).toContain('© OpenStreetMap contributors');
    expect(credits).toContain('CC-BY-4.0 (Open-Meteo)');

    // The fetched facilities stand in for the city's modelled ones in the walking life-circle check.
    expect(await page.locator('.user-card[data-user-table="user__osm_parks_qingdao"] .user-analysis').count()).toBe(0); // parks are not facilities
    await page.locator('.user-card[data-user-table="user__osm_facilities_qingdao"] .user-analysis').check();
    await page.evaluate(`window.__atlas.store.set({ layers: ['lifecircle'], iso: [120.38, 36.066] })`);
    await expect.poll(() => page.locator('.inspector').textContent(), { timeout: 30_000 }).toContain('设施来自你的数据“OSM 生活圈设施 · 青岛”');
    const own = (await page.locator('.inspector').textContent()) ?? '';
    expect(own).toContain('步行网络为模拟数据');
    expect(own).toMatch(/幼儿园\/托儿所\d[\d,]* m · /); // the nearest kindergarten is a fetched one, named

    // After a reload: back from this browser, provenance, the check's choice and all; nothing asked again.
    const before = asked.length;
    await page.reload();
    await waitSettled(page);
    await expect.poll(() => page.locator('.user-card[data-origin="live"]').count(), { timeout: 30_000 }).toBe(4);
    expect(await page.locator('.user-card[data-user-table="user__osm_facilities_qingdao"] .user-analysis').isChecked()).toBe(true);
    expect(await page.locator('.user-card[data-user-table="user__open_meteo_air_qingdao"] .badge-modelled').count()).toBe(1);
    expect(asked.length).toBe(before);
    expect(external).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(consoleErrors.filter((m) => !/429|Failed to load resource/.test(m))).toEqual([]);
    await page.context().close();
  }, 120_000);
});
