import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAirStore, type StoreSummary } from '../../scripts/bench/remoteStoreData';
import { launch, openPage, waitSettled } from './browser';

/**
 * A catalog entry that points at a remote, hive-partitioned Parquet store
 * (issue #9 item 5), read by the built app in real Chromium: the store is
 * answered by the test (HEAD, Range, CORS) from files generated in a temp
 * directory, as an HTTPS server on another origin would. Only the city-year
 * on the clock travels, and moving the clock into another year loads that one.
 */
const STORE = 'https://store.civic-atlas.test/air/';
let browser: Browser;
let dir: string;
let store: StoreSummary;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-e2e-store-'));
  store = writeAirStore(dir, { cities: ['jinan', 'qingdao'], years: [2023, 2024], seed: 11 });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Served {
  requests: number;
  bytes: number;
  paths: string[];
}

/** The store's side: files by path, HEAD with the size, one byte range per GET, CORS for the app's origin. */
function storeRoute(served: Served) {
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'range', 'access-control-expose-headers': 'content-range, content-length, accept-ranges' };
  return async (route: Route) => {
    const req = route.request();
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: { ...cors, 'access-control-allow-methods': 'GET, HEAD' } });
    const path = decodeURIComponent(new URL(req.url()).pathname.replace(/^\/air\//, ''));
    let body: Buffer;
    try {
      body = readFileSync(join(dir, path));
    } catch {
      return route.fulfill({ status: 404, headers: cors, body: 'not found' });
    }
    served.requests++;
    served.paths.push(path);
    if (req.method() === 'HEAD') return route.fulfill({ status: 200, headers: { ...cors, 'content-length': String(body.length), 'accept-ranges': 'bytes' } });
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers().range ?? '');
    if (!m) {
      served.bytes += body.length;
      return route.fulfill({ status: 200, headers: cors, body });
    }
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    const part = body.subarray(start, end + 1);
    served.bytes += part.length;
    return route.fulfill({ status: 206, headers: { ...cors, 'content-range': `bytes ${start}-${end}/${body.length}`, 'accept-ranges': 'bytes' }, body: part });
  };
}

/** The built-in catalog with Jinan's city-level air series in the remote store. */
async function withRemoteEntry(route: Route): Promise<void> {
  const res = await route.fetch();
  const catalog = (await res.json()) as { cities: { id: string; datasets: Record<string, unknown> }[] };
  catalog.cities.find((c) => c.id === 'jinan')!.datasets.air_city = {
    remote: { url: STORE, partitioning: 'hive', keys: ['city', 'year'], file: 'part.parquet' },
    format: 'parquet',
    crs: 'WGS84',
    years: [2023, 2024],
    provenance: { source: 'Civic Atlas remote-store test', license: 'CC0-1.0', vintage: 2024, modelled: true, method: 'scripts/bench/remoteStoreData.ts' },
  };
  await route.fulfill({ response: res, json: catalog });
}

const yearRows = (page: Page) =>
  page.evaluate(`(async () => {
    const e = await window.__atlas.engine;
    const r = (await e.query("SELECT count(*)::INT AS n, min(year(ts + INTERVAL 8 HOUR))::INT AS y0, max(year(ts + INTERVAL 8 HOUR))::INT AS y1 FROM jinan__air_city")).get(0);
    return { n: r.n, y0: r.y0, y1: r.y1 };
  })()`) as Promise<{ n: number; y0: number; y1: number }>;

describe('remote Parquet store', () => {
  it('reads only the city-year on the clock by range requests, and the next year when the clock moves there', async () => {
    const served: Served = { requests: 0, bytes: 0, paths: [] };
    const { page, external, consoleErrors } = await openPage(browser, '?city=jinan&layers=-&t=2024-06-01T12', undefined, {
      routes: async (p) => {
        await p.route(`${STORE}**`, storeRoute(served));
        await p.route('**/data/catalog.json', withRemoteEntry);
      },
    });
    await waitSettled(page);
    expect(served.requests).toBe(0); // nothing until something asks for the table

    // The SQL console loads the catalog tables a query names: the store answers for 2024 only.
    await page.locator('.sql-btn').click();
    await page.locator('.sql-editor').fill('SELECT count(*) AS n FROM jinan__air_city');
    await page.locator('.sql-editor').press('Control+Enter');
    await expect.poll(() => page.locator('.sql-console').getAttribute('aria-busy'), { timeout: 60_000 }).toBe('false');
    expect(await page.locator('.sql-error').isVisible()).toBe(false);
    expect(await page.locator('.sql-table tbody tr').first().textContent()).toContain('8,784');
    expect(await yearRows(page)).toEqual({ n: 8784, y0: 2024, y1: 2024 });
    expect(new Set(served.paths)).toEqual(new Set(['city=jinan/year=2024/part.parquet']));
    expect(served.bytes).toBeLessThanOrEqual(store.fileBytes.get('city=jinan/year=2024')!);
    expect(served.bytes).toBeLessThan(store.bytes / 3);
    console.log(`[remote e2e] one city-year: ${served.bytes} of ${store.bytes} bytes in ${served.requests} requests`);

    // The clock moves into 2023: the next query reads 2023 in its place.
    served.paths.length = 0;
    await page.evaluate(`window.__atlas.store.set({ time: '2023-03-01T08' })`);
    await page.locator('.sql-editor').press('Control+Enter');
    await expect.poll(() => page.locator('.sql-console').getAttribute('aria-busy'), { timeout: 60_000 }).toBe('false');
    await expect.poll(() => yearRows(page), { timeout: 30_000 }).toEqual({ n: 8760, y0: 2023, y1: 2023 });
    expect(new Set(served.paths)).toEqual(new Set(['city=jinan/year=2023/part.parquet']));
    // Only the store's origin was asked, through the test's route; nothing else left localhost.
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 150_000);
});
