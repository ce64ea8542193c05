import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { geometryToWkb } from '../../src/import/wkb';
import { launch, openPage, screenshotPixels, waitSettled } from './browser';
import { expectUserSql, FACILITIES_GBK_CSV, importFile, PARK_P1_CENTRE, PARKS_GEOJSON, pixelAt, READINGS_PARQUET, USER_SQL, type UserSql } from './userFiles';

/**
 * A planner imports their own files in real Chromium (issue #8): a GeoJSON of
 * parks, a Parquet of station readings, a GBK CSV of facilities without an
 * encoding declaration, with lon/lat swapped and GCJ-02 coordinates, and a
 * GeoParquet of schools (WKB points, read by the app in the browser). Each
 * is inspected, mapped, loaded into DuckDB (queryable in SQL), drawn on the
 * map (pixels), and listed under "Your data"; a bad file is refused with its
 * reason and nothing already loaded is lost; a reload brings the tables back
 * from this browser, and a removed one stays gone.
 */

/** Two schools as a GeoParquet: WKB points named by the `geo` metadata (no `crs`: longitude/latitude, the spec's default). */
const SCHOOLS = [
  { name: '历下实验小学', category: 'school', lon: 117.045, lat: 36.655 },
  { name: '泉城中学', category: 'school', lon: 117.065, lat: 36.668 },
];
const SCHOOLS_GEOPARQUET = Buffer.from(
  parquetWriteBuffer({
    columnData: [
      { name: 'name', data: SCHOOLS.map((s) => s.name), type: 'STRING' },
      { name: 'category', data: SCHOOLS.map((s) => s.category), type: 'STRING' },
      { name: 'geometry', data: SCHOOLS.map((s) => geometryToWkb({ type: 'Point', coordinates: [s.lon, s.lat] })), type: 'BYTE_ARRAY' },
    ],
    kvMetadata: [{ key: 'geo', value: JSON.stringify({ version: '1.1.0', primary_column: 'geometry', columns: { geometry: { encoding: 'WKB', geometry_types: ['Point'] } } }) }],
  }),
);
const SCHOOLS_SQL = `window.__atlas.engine.then(async (e) => (await e.query('SELECT name, category, __xmin AS lon, __ymin AS lat FROM user__schools ORDER BY lon')).toArray().map((r) => r.toJSON()))`;
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('importing your own data', () => {
  it('a GeoJSON, a Parquet, a GBK CSV and a GeoParquet: inspected, mapped, in SQL, on the map; a bad file changes nothing', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=-&v=117.035,36.66,13.2,0,0');
    await waitSettled(page);
    const before = await screenshotPixels(page);

    await importFile(page, 'parks.geojson', 'application/geo+json', PARKS_GEOJSON, { '.fimport-kind': 'park' });
    await importFile(page, 'readings.parquet', 'application/octet-stream', READINGS_PARQUET, { '.fimport-kind': 'stations' });
    // The GBK CSV step by step: what the dialog says of it.
    await page.locator('.user-import-btn').click();
    await page.locator('.fimport-file').setInputFiles({ name: 'facilities.csv', mimeType: 'text/csv', buffer: FACILITIES_GBK_CSV });
    await expect.poll(() => page.locator('.fimport-summary').textContent(), { timeout: 30_000 }).toContain('GBK');
    expect(await page.locator('.fimport-summary').textContent()).toContain('经度与纬度似乎颠倒了');
    expect(await page.locator('.fimport-swap').isChecked()).toBe(true);
    await page.locator('.fimport-kind').selectOption('facility');
    await page.locator('.fimport-crs').selectOption('GCJ02');
    await page.locator('.fimport-go').click();
    await expect.poll(() => page.locator('.fimport-result').textContent(), { timeout: 30_000 }).toContain('已导入 1 行');
    await page.keyboard.press('Escape');
    // The GeoParquet: the head line says its geometry is the WKB column.
    await page.locator('.user-import-btn').click();
    await page.locator('.fimport-file').setInputFiles({ name: 'schools.parquet', mimeType: 'application/octet-stream', buffer: SCHOOLS_GEOPARQUET });
    await expect.poll(() => page.locator('.fimport-summary .fimport-head').textContent(), { timeout: 30_000 }).toContain('WKB');
    expect(await page.locator('.fimport-summary .fimport-head').textContent()).toBe('schools.parquet · PARQUET · 2 行 · WKB 几何列 geometry（GeoParquet）');
    await page.locator('.fimport-kind').selectOption('facility');
    await page.locator('.fimport-go').click();
    await expect.poll(() => page.locator('.fimport-result').textContent(), { timeout: 30_000 }).toContain('已导入 2 行');
    await page.keyboard.press('Escape');

    // In SQL, with the columns mapped and the coordinates in WGS-84.
    expectUserSql((await page.evaluate(USER_SQL)) as UserSql);
    expect(await page.evaluate(SCHOOLS_SQL)).toEqual(SCHOOLS);

    // Listed under "Your data", said to be the planner's file.
    const panel = (await page.locator('.user-data').textContent()) ?? '';
    expect(panel).toContain('parks.geojson');
    expect(panel).toContain('你的文件');
    expect(await page.locator('.user-card').count()).toBe(4);
    // Drawn: park green where the first park is.
    await waitSettled(page);
    const after = await screenshotPixels(page);
    const [r, g, b] = await pixelAt(page, after, PARK_P1_CENTRE);
    expect(g, `rgb ${r},${g},${b}`).toBeGreaterThan(r + 20);
    expect(await pixelAt(page, before, PARK_P1_CENTRE)).not.toEqual(await pixelAt(page, after, PARK_P1_CENTRE));
    // A click on the planner's park opens its properties, said to be theirs.
    const [px, py] = (await page.evaluate(`(() => { const p = window.__atlas.view.map.project(${JSON.stringify(PARK_P1_CENTRE)}); return [p.x, p.y]; })()`)) as [number, number];
    await page.mouse.click(px, py);
    await expect.poll(() => page.locator('.inspector:not([hidden]) .inspector-title').textContent(), { timeout: 10_000 }).toBe('测试公园甲');
    expect(await page.locator('.inspector').textContent()).toContain('你的数据 · parks.geojson');
    await page.keyboard.press('Escape');
    // The export carries the planner's tables with where they came from (no catalog layer is on here).
    await page.locator('.export-btn').click();
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator('.export-geojson').click()]);
    const gj = JSON.parse(readFileSync((await dl.path())!, 'utf8')) as { features: { properties: Record<string, unknown> }[]; civicAtlas: { layers: { id: string; count: number; provenance: { license: string; vintage: unknown; modelled: unknown }[] }[] } };
    const parksOut = gj.civicAtlas.layers.find((l) => l.id === 'user-user__parks')!;
    expect(parksOut.count).toBe(2);
    expect(parksOut.provenance[0]).toMatchObject({ license: '由使用者提供', vintage: null, modelled: null });
    expect(gj.features.filter((f) => f.properties.layer === 'user-user__parks').map((f) => f.properties.name)).toEqual(['测试公园甲', '<img src=x onerror=alert(1)>']);
    expect(gj.civicAtlas.layers.map((l) => l.id).sort()).toEqual(['user-user__facilities', 'user-user__parks', 'user-user__readings', 'user-user__schools']);
    await page.keyboard.press('Escape');

    // A bad file: refused with its reason; the four tables stay.
    await page.locator('.user-import-btn').click();
    await page.locator('.fimport-file').setInputFiles({ name: 'metres.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y,name\n39512345,4061234,A\n') });
    await expect.poll(() => page.locator('.fimport-summary').textContent(), { timeout: 30_000 }).toContain('投影坐标');
    await page.locator('.fimport-kind').selectOption('facility');
    await page.locator('.fimport-go').click();
    await expect.poll(() => page.locator('.fimport-result').textContent(), { timeout: 30_000 }).toContain('未导入');
    await page.keyboard.press('Escape');
    // (Closing the dialog drops its staging table.)
    await expect
      .poll(async () => ((await page.evaluate(`window.__atlas.engine.then((e) => e.tables())`)) as string[]).filter((t) => t.startsWith('user__')), { timeout: 10_000 })
      .toEqual(['user__facilities', 'user__parks', 'user__readings', 'user__schools']);
    expect(await page.locator('.user-card').count()).toBe(4);

    // Removed: gone from the map's list and from SQL.
    await page.locator('.user-card[data-user-table="user__readings"] .user-remove').click();
    await expect.poll(() => page.locator('.user-card').count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.evaluate(`window.__atlas.engine.then((e) => e.tables()).then((t) => t.includes('user__readings'))`), { timeout: 10_000 }).toBe(false);

    // A reload brings the other three back from this browser, as they were mapped; the removed one stays gone.
    await page.reload();
    await waitSettled(page);
    await expect.poll(() => page.locator('.user-card').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.locator('.user-card[data-origin="file"]').count()).toBe(3);
    expect((await page.locator('.user-data').textContent()) ?? '').toContain('保存在本浏览器中');
    const back = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      return { tables: (await e.tables()).filter((t) => t.startsWith('user__')), parks: (await e.query('SELECT name, id FROM user__parks ORDER BY id')).toArray().map((r) => r.toJSON()) };
    })()`)) as { tables: string[]; parks: unknown[] };
    expect(back.tables).toEqual(['user__facilities', 'user__parks', 'user__schools']);
    expect(back.parks).toEqual([{ name: '测试公园甲', id: 'P1' }, { name: '<img src=x onerror=alert(1)>', id: 'P2' }]);
    expect(await page.evaluate(SCHOOLS_SQL)).toEqual(SCHOOLS);
    await waitSettled(page);
    const [r2, g2] = await pixelAt(page, await screenshotPixels(page), PARK_P1_CENTRE);
    expect(g2).toBeGreaterThan(r2 + 20);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 150_000);
});
