import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { launch, openPage, screenshotPixels, waitSettled } from './browser';

/**
 * A planner imports their own files in real Chromium (issue #8): a GeoJSON of
 * parks, a Parquet of station readings and a GBK CSV of facilities without
 * an encoding declaration, with lon/lat swapped and GCJ-02 coordinates. Each
 * is inspected, mapped, loaded into DuckDB (queryable in SQL), drawn on the
 * map (pixels), and listed under "Your data"; a bad file is refused with its
 * reason and nothing already loaded is lost.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// Jinan, around 117.02, 36.66.
const parks = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { 名称: '测试公园甲', 编号: 'P1' }, geometry: { type: 'Polygon', coordinates: [[[117.0, 36.65], [117.03, 36.65], [117.03, 36.67], [117.0, 36.67], [117.0, 36.65]]] } },
    { type: 'Feature', properties: { 名称: '<img src=x onerror=alert(1)>', 编号: 'P2' }, geometry: { type: 'Polygon', coordinates: [[[117.05, 36.65], [117.07, 36.65], [117.07, 36.67], [117.05, 36.67], [117.05, 36.65]]] } },
  ],
});
const readings = parquetWriteBuffer({
  columnData: [
    { name: 'stationcode', data: ['S1', 'S1', 'S2'], type: 'STRING' },
    { name: 'lon', data: [117.01, 117.01, 117.06], type: 'DOUBLE' },
    { name: 'lat', data: [36.66, 36.66, 36.66], type: 'DOUBLE' },
    { name: 'timepoint', data: ['2024-03-01 08:00', '2024-03-01 09:00', '2024-03-01 08:00'], type: 'STRING' },
    { name: 'pm25', data: [35, 40, 52], type: 'DOUBLE' },
  ],
});

async function importFile(page: Page, name: string, mimeType: string, buffer: Buffer, choose: Record<string, string>) {
  await page.locator('.user-import-btn').click();
  await page.locator('.fimport-file').setInputFiles({ name, mimeType, buffer });
  await page.locator('.fimport-kind').waitFor({ timeout: 30_000 });
  for (const [sel, value] of Object.entries(choose)) await page.locator(sel).selectOption(value);
  await page.locator('.fimport-go').click();
  await expect.poll(() => page.locator('.fimport-result').textContent(), { timeout: 30_000 }).toMatch(/已导入 \d+ 行到表 user__/);
  const text = (await page.locator('.fimport-result').textContent()) ?? '';
  await page.keyboard.press('Escape');
  return text;
}

describe('importing your own data', () => {
  it('a GeoJSON, a Parquet and a GBK CSV: inspected, mapped, in SQL, on the map; a bad file changes nothing', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=jinan&layers=-&v=117.035,36.66,13.2,0,0');
    await waitSettled(page);
    const before = await screenshotPixels(page);

    await importFile(page, 'parks.geojson', 'application/geo+json', Buffer.from(parks), { '.fimport-kind': 'park' });
    await importFile(page, 'readings.parquet', 'application/octet-stream', Buffer.from(readings), { '.fimport-kind': 'stations' });
    // GBK: 名称,类型,纬度,经度 then a kindergarten, coordinates in GCJ-02 and latitude first.
    const csv = Buffer.concat([
      Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x2c, 0xce, 0xb3, 0xb6, 0xc8, 0x2c, 0xbe, 0xad, 0xb6, 0xc8, 0x0a]),
      Buffer.from([0xd3, 0xd7, 0xb6, 0xf9, 0xd4, 0xb0]), // 幼儿园
      Buffer.from(',kindergarten,117.0263,36.6613\n'), // the longitude under 纬度: swapped
    ]);
    await page.locator('.user-import-btn').click();
    await page.locator('.fimport-file').setInputFiles({ name: 'facilities.csv', mimeType: 'text/csv', buffer: csv });
    await expect.poll(() => page.locator('.fimport-summary').textContent(), { timeout: 30_000 }).toContain('GBK');
    expect(await page.locator('.fimport-summary').textContent()).toContain('经度与纬度似乎颠倒了');
    expect(await page.locator('.fimport-swap').isChecked()).toBe(true);
    await page.locator('.fimport-kind').selectOption('facility');
    await page.locator('.fimport-crs').selectOption('GCJ02');
    await page.locator('.fimport-go').click();
    await expect.poll(() => page.locator('.fimport-result').textContent(), { timeout: 30_000 }).toContain('已导入 1 行');
    await page.keyboard.press('Escape');

    // In SQL, with the columns mapped and the coordinates in WGS-84.
    const sql = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      const q = async (s) => (await e.query(s)).toArray().map((r) => r.toJSON());
      return {
        parks: await q('SELECT name, id FROM user__parks ORDER BY id'),
        readings: await q('SELECT id, value, time FROM user__readings ORDER BY id, time'),
        facility: await q('SELECT name, category, __xmin AS lon, __ymin AS lat FROM user__facilities'),
      };
    })()`)) as { parks: { name: string; id: string }[]; readings: unknown[]; facility: { name: string; category: string; lon: number; lat: number }[] };
    expect(sql.parks).toEqual([{ name: '测试公园甲', id: 'P1' }, { name: '<img src=x onerror=alert(1)>', id: 'P2' }]);
    expect(sql.readings).toEqual([
      { id: 'S1', value: 35, time: '2024-03-01T00:00:00Z' },
      { id: 'S1', value: 40, time: '2024-03-01T01:00:00Z' },
      { id: 'S2', value: 52, time: '2024-03-01T00:00:00Z' },
    ]);
    expect(sql.facility[0]).toMatchObject({ name: '幼儿园', category: 'kindergarten' });
    // GCJ-02 (117.0263, 36.6613) is about 600 m from its WGS-84 position.
    expect(sql.facility[0]!.lon).toBeGreaterThan(117.018);
    expect(sql.facility[0]!.lon).toBeLessThan(117.022);

    // Listed under "Your data", said to be the planner's file.
    const panel = (await page.locator('.user-data').textContent()) ?? '';
    expect(panel).toContain('parks.geojson');
    expect(panel).toContain('你的文件');
    expect(await page.locator('.user-card').count()).toBe(3);
    // Drawn: park green where the first park is.
    await waitSettled(page);
    const after = await screenshotPixels(page);
    const p = (await page.evaluate(`(() => { const q = window.__atlas.view.map.project([117.015, 36.66]); return { x: q.x, y: q.y }; })()`)) as { x: number; y: number };
    const [r, g, b] = after.at(Math.round(p.x), Math.round(p.y));
    expect(g, `rgb ${r},${g},${b}`).toBeGreaterThan(r + 20);
    expect(before.at(Math.round(p.x), Math.round(p.y))).not.toEqual(after.at(Math.round(p.x), Math.round(p.y)));

    // A bad file: refused with its reason; the three tables stay.
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
      .toEqual(['user__facilities', 'user__parks', 'user__readings']);
    expect(await page.locator('.user-card').count()).toBe(3);

    // Removed: gone from the map's list and from SQL.
    await page.locator('.user-card[data-user-table="user__readings"] .user-remove').click();
    await expect.poll(() => page.locator('.user-card').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.evaluate(`window.__atlas.engine.then((e) => e.tables()).then((t) => t.includes('user__readings'))`), { timeout: 10_000 }).toBe(false);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 150_000);
});
