/**
 * The planner's own files the e2e tests import through the dialog (issue #8):
 * a GeoJSON of parks, a Parquet of station readings and a GBK CSV of a
 * facility without an encoding declaration, lon/lat swapped and in GCJ-02.
 * All around Jinan (117.02, 36.66). Shared by userImport.test.ts (the dialog,
 * SQL, pixels, reloads) and offline.test.ts (a pack of them opened offline).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { parquetWriteBuffer } from 'hyparquet-writer';

export const PARKS_GEOJSON = Buffer.from(
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { 名称: '测试公园甲', 编号: 'P1' }, geometry: { type: 'Polygon', coordinates: [[[117.0, 36.65], [117.03, 36.65], [117.03, 36.67], [117.0, 36.67], [117.0, 36.65]]] } },
      { type: 'Feature', properties: { 名称: '<img src=x onerror=alert(1)>', 编号: 'P2' }, geometry: { type: 'Polygon', coordinates: [[[117.05, 36.65], [117.07, 36.65], [117.07, 36.67], [117.05, 36.67], [117.05, 36.65]]] } },
    ],
  }),
);
/** Where the first park is: its fill is drawn there. */
export const PARK_P1_CENTRE: [number, number] = [117.015, 36.66];

export const READINGS_PARQUET = Buffer.from(
  parquetWriteBuffer({
    columnData: [
      { name: 'stationcode', data: ['S1', 'S1', 'S2'], type: 'STRING' },
      { name: 'lon', data: [117.01, 117.01, 117.06], type: 'DOUBLE' },
      { name: 'lat', data: [36.66, 36.66, 36.66], type: 'DOUBLE' },
      { name: 'timepoint', data: ['2024-03-01 08:00', '2024-03-01 09:00', '2024-03-01 08:00'], type: 'STRING' },
      { name: 'pm25', data: [35, 40, 52], type: 'DOUBLE' },
    ],
  }),
);

/** GBK: 名称,类型,纬度,经度 then 幼儿园,kindergarten with the longitude under 纬度 (swapped), in GCJ-02. */
export const FACILITIES_GBK_CSV = Buffer.concat([
  Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x2c, 0xce, 0xb3, 0xb6, 0xc8, 0x2c, 0xbe, 0xad, 0xb6, 0xc8, 0x0a]),
  Buffer.from([0xd3, 0xd7, 0xb6, 0xf9, 0xd4, 0xb0]), // 幼儿园
  Buffer.from(',kindergarten,117.0263,36.6613\n'),
]);

/** Imports one file through the dialog, choosing options by selector; resolves to the result line. */
export async function importFile(page: Page, name: string, mimeType: string, buffer: Buffer, choose: Record<string, string>): Promise<string> {
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

/** The three files, imported as parks, station readings and facilities (the CSV as GCJ-02; its swap is ticked by the dialog). */
export async function importThreeFiles(page: Page): Promise<void> {
  await importFile(page, 'parks.geojson', 'application/geo+json', PARKS_GEOJSON, { '.fimport-kind': 'park' });
  await importFile(page, 'readings.parquet', 'application/octet-stream', READINGS_PARQUET, { '.fimport-kind': 'stations' });
  await importFile(page, 'facilities.csv', 'text/csv', FACILITIES_GBK_CSV, { '.fimport-kind': 'facility', '.fimport-crs': 'GCJ02' });
}

/** The three tables as SQL sees them. */
export const USER_SQL = `(async () => {
  const e = await window.__atlas.engine;
  const q = async (s) => (await e.query(s)).toArray().map((r) => r.toJSON());
  return {
    parks: await q('SELECT name, id FROM user__parks ORDER BY id'),
    readings: await q('SELECT id, value, time FROM user__readings ORDER BY id, time'),
    facility: await q('SELECT name, category, __xmin AS lon, __ymin AS lat FROM user__facilities'),
  };
})()`;
export type UserSql = { parks: { name: string; id: string }[]; readings: unknown[]; facility: { name: string; category: string; lon: number; lat: number }[] };

/** What SQL must say of the three tables, wherever they were loaded from. */
export function expectUserSql(sql: UserSql): void {
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
}

/** The colour the map draws at a coordinate (projected by the live map). */
export async function pixelAt(page: Page, shot: { at(x: number, y: number): readonly [number, number, number, number] }, lonLat: [number, number]): Promise<readonly [number, number, number, number]> {
  const p = (await page.evaluate(`(() => { const q = window.__atlas.view.map.project(${JSON.stringify(lonLat)}); return { x: q.x, y: q.y }; })()`)) as { x: number; y: number };
  return shot.at(Math.round(p.x), Math.round(p.y));
}
