import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { BASE_URL, colourDistance, launch, screenshotPixels, waitSettled, type Pixels } from './browser';
import { packCacheName } from '../../src/pwa/cacheNames';
import { expectUserSql, importThreeFiles, PARK_P1_CENTRE, pixelAt, USER_SQL, type UserSql } from './userFiles';

const OUT = resolve(__dirname, '../../test-results');

/**
 * The offline app in real Chromium (issue #10, item 4). A first visit
 * installs the service worker (dist/sw.js) and precaches the build; a second
 * visit with the network off boots the app, the default city and its layers,
 * DuckDB and a saved pack's file from Cache Storage. The pack carries the
 * planner's own files (a GeoJSON, a Parquet and a GBK CSV imported through
 * the dialog on the first visit): offline, they are back in SQL and on the
 * map (issue #8, "done when"). A new deployment (served
 * under a sub-path, /atlas/) is offered with a banner, not forced, reuses the
 * unchanged files, and replaces the old caches once the user takes it.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Blocks (and records) every request that would leave localhost. */
async function localOnly(context: BrowserContext, external: string[]): Promise<void> {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    external.push(url.href);
    return route.abort();
  });
}

/** Waits until a service worker is active and controls the page; returns the build version it reports. */
async function controlledVersion(page: Page, timeout = 60_000): Promise<string> {
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout });
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => resolve((e.data as { version: string }).version);
        navigator.serviceWorker.controller!.postMessage({ type: 'GET_VERSION' }, [ch.port2]);
      }),
  );
}

/** Paths held by the precache of `version`. */
async function precachedPaths(page: Page, version: string): Promise<string[]> {
  return page.evaluate(async (v) => {
    const name = (await caches.keys()).find((n) => n.endsWith(`-precache-${v}`));
    return name ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname) : [];
  }, version);
}

/** Pixels of the map area that are park green, sampled on a grid (as in contextLoss.test.ts). */
function greenPixels(shot: Pixels): number {
  let n = 0;
  for (let x = 360; x < 1400; x += 6) for (let y = 100; y < 760; y += 6) {
    const [r, g, b] = shot.at(x, y);
    if (g > r + 30 && g > b + 10) n++;
  }
  return n;
}

/** Share of sampled map pixels that look the same in two screenshots. */
function sameShare(a: Pixels, b: Pixels): number {
  let same = 0;
  let all = 0;
  for (let x = 360; x < 1400; x += 8) for (let y = 100; y < 760; y += 8) {
    all++;
    if (colourDistance(a.at(x, y), b.at(x, y)) < 40) same++;
  }
  return same / all;
}

describe('offline app', () => {
  it('a second visit with the network off boots the app, the default city, its layers, DuckDB, and then a pack saved on the first visit, from the cache', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const external: string[] = [];
    await localOnly(context, external);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    // First visit: the default city (no city in the link) with two of its layers, to keep the test short;
    // every other file of the city is checked below.
    const tFirst = Date.now();
    await page.goto(new URL('?layers=parks,restoration', BASE_URL).toString());
    await waitSettled(page);
    const settledMs = Date.now() - tFirst;
    const version = await controlledVersion(page);
    const installedMs = Date.now() - tFirst - settledMs;
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    // The worker is active only once its install completed: the whole build is precached.
    const precached = await precachedPaths(page, version);
    const sw = await (await fetch(new URL('sw.js', BASE_URL))).text();
    const listed = (JSON.parse(/^const __CIVIC_ATLAS_SW_BUILD__ = (.*);$/m.exec(sw)![1]!) as { entries: { path: string }[] }).entries;
    expect(precached.length).toBe(listed.length);
    for (const p of [/\/assets\/duckdb-eh-[\w-]+\.wasm$/, /\/assets\/duckdb-browser-eh\.worker-[\w-]+\.js$/, /\/index\.html$/, /\/data\/catalog\.json$/, /\/data\/cities\/shenzhen\/parks\.geojson$/, /\/data\/stories\/index\.json$/]) {
      expect(precached.some((x) => p.test(x)), String(p)).toBe(true);
    }
    const url = page.url();
    // The planner's own files, imported through the dialog, go into the pack.
    await importThreeFiles(page);
    expectUserSql((await page.evaluate(USER_SQL)) as UserSql);
    // The presenter saves a pack of Jinan (not the city on screen) in the packs dialog.
    await page.locator('.packs-btn').click();
    expect(await page.locator('.pack-tables').isChecked()).toBe(true);
    expect(await page.locator('.pack-tables-label').textContent()).toContain('（3）');
    await page.locator('.pack-city[value="shenzhen"]').uncheck();
    await page.locator('.pack-city[value="jinan"]').check();
    await page.locator('.pack-title-in').fill('济南 会场');
    await page.locator('.pack-save').click();
    await expect.poll(() => page.locator('.pack-status').textContent(), { timeout: 30_000 }).toContain('已保存数据包“济南 会场”');
    const packName = (await page.locator('.pack-item').first().getAttribute('data-pack'))!;
    expect(packName).toMatch(/^jinan-\d{12}$/);
    const packCache = await page.evaluate(async (n) => (await caches.keys()).filter((k) => k === n), packCacheName(BASE_URL, packName));
    expect(packCache).toHaveLength(1);
    await page.keyboard.press('Escape');
    const online = await screenshotPixels(page);
    expect(greenPixels(online)).toBeGreaterThan(100);

    // Second visit: the network is gone. Record what the page asks for and where each answer came from.
    await context.unrouteAll();
    await context.setOffline(true);
    const reachedNetwork: string[] = [];
    await context.route('**/*', (route) => {
      reachedNetwork.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const pageRequests: Request[] = [];
    page.on('request', (r) => pageRequests.push(r));
    const t0 = Date.now();
    await page.goto(url);
    await waitSettled(page);
    const offlineMs = Date.now() - t0;

    const statuses = await page.evaluate(() => window.__atlas!.controller.statuses().filter((s) => s.visible).map((s) => `${s.def.id}:${s.phase}`));
    expect(statuses).toEqual(['parks:ready', 'restoration:ready']);
    expect(await page.evaluate(() => window.__atlas!.store.get().city)).toBe('shenzhen');
    // DuckDB started from the cached wasm and answers.
    const answer = await page.evaluate(async () => {
      const engine = await window.__atlas!.engine;
      const t = await engine.query('SELECT 6 * 7 AS n');
      return Number(t.getChild('n')!.get(0));
    });
    expect(answer).toBe(42);
    const offline = await screenshotPixels(page);
    expect(greenPixels(offline)).toBeGreaterThan(100);
    expect(sameShare(online, offline)).toBeGreaterThan(0.9);
    // Every data file of the default city (Parquet included), and the stories, are there too.
    const files = listed.map((e) => e.path).filter((p) => p.startsWith('data/cities/shenzhen/') || p.startsWith('data/stories/'));
    expect(files.filter((p) => p.endsWith('.parquet')).length).toBeGreaterThanOrEqual(5);
    const served = await page.evaluate(
      (paths) =>
        Promise.all(
          paths.map(async (p) => {
            const r = await fetch(p);
            const head = new Uint8Array(await r.arrayBuffer()).subarray(0, 4);
            return `${p} ${r.status} ${p.endsWith('.parquet') ? String.fromCharCode(...head) : ''}`.trim();
          }),
        ),
      files,
    );
    expect(served).toEqual(files.map((p) => `${p} 200${p.endsWith('.parquet') ? ' PAR1' : ''}`));

    // Every request of the page was answered by the service worker.
    const notFromSw: string[] = [];
    for (const r of pageRequests) {
      const u = new URL(r.url());
      if (u.protocol === 'data:' || u.protocol === 'blob:') continue;
      const res = await r.response();
      if (!res?.fromServiceWorker()) notFromSw.push(r.url());
    }
    expect(notFromSw).toEqual([]);
    expect(pageRequests.some((r) => r.url().endsWith('.wasm'))).toBe(true);
    console.log(`first visit: settled ${settledMs} ms, then the worker installed and took control in ${installedMs} ms`);
    console.log(`offline: boot to settled ${offlineMs} ms, ${pageRequests.length} requests, all from the service worker; blocked: ${reachedNetwork.join(', ') || 'none'}`);
    // None reached the network: the browser's own update check of sw.js is the only attempt allowed.
    expect(reachedNetwork.filter((u) => !/\/sw\.js$/.test(u))).toEqual([]);
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The saved pack opens offline: its catalog (Jinan only), its files, its layers drawn.
    const before = pageRequests.length;
    await page.goto(new URL(`?pack=${packName}&layers=parks&v=117.035,36.66,13.2,0,0`, BASE_URL).toString());
    await waitSettled(page);
    // The planner's tables came with the pack: listed as the pack's, in SQL as imported, the park drawn.
    await expect.poll(() => page.locator('.user-card[data-origin="pack"]').count(), { timeout: 30_000 }).toBe(3);
    expectUserSql((await page.evaluate(USER_SQL)) as UserSql);
    await waitSettled(page);
    expect(await page.evaluate(() => window.__atlas!.catalog.cities.map((c) => c.id))).toEqual(['jinan']);
    expect(await page.evaluate(() => window.__atlas!.controller.statuses().filter((s) => s.visible).map((s) => `${s.def.id}:${s.phase}`))).toEqual(['parks:ready']);
    expect(await page.locator('.packs-btn').textContent()).toBe('数据包：济南 会场');
    const packShot = await screenshotPixels(page, resolve(OUT, 'offline-pack.png'));
    expect(greenPixels(packShot)).toBeGreaterThan(100);
    const [r, g] = await pixelAt(page, packShot, PARK_P1_CENTRE);
    expect(g, 'the imported park, drawn from the pack').toBeGreaterThan(r + 20);
    // Its files came from the pack's cache, none from the built-in data/.
    expect(pageRequests.slice(before).map((r) => new URL(r.url()).pathname).filter((p) => p.includes('/data/'))).toEqual([]);
    expect(reachedNetwork.filter((u) => !/\/sw\.js$/.test(u))).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // The recorder does see the worker's own requests: a file outside the build goes to the network (and fails).
    const missing = await page.evaluate(async () => fetch('data/not-in-the-build.json').then((r) => r.status, () => 'failed'));
    expect(missing).toBe('failed');
    expect(reachedNetwork.some((u) => u.endsWith('/data/not-in-the-build.json'))).toBe(true);
    await context.close();
  }, 150_000);

  it('under a sub-path, offers a new version without forcing it, reuses unchanged files, and drops the old caches once taken', async () => {
    const dist = resolve(__dirname, '../../dist');
    const MIME: Record<string, string> = {
      '.html': 'text/html; charset=utf-8',
      '.js': 'text/javascript; charset=utf-8',
      '.css': 'text/css; charset=utf-8',
      '.wasm': 'application/wasm',
      '.json': 'application/json',
      '.geojson': 'application/geo+json',
      '.parquet': 'application/vnd.apache.parquet',
      '.webmanifest': 'application/manifest+json',
      '.svg': 'image/svg+xml',
      '.png': 'image/png',
    };
    let swText = readFileSync(join(dist, 'sw.js'), 'utf8');
    const hits: string[] = [];
    // A static host serving dist/ under /atlas/, whose sw.js the test can redeploy.
    const server: Server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path === '/atlas') return res.writeHead(301, { Location: '/atlas/' }).end();
      if (!path.startsWith('/atlas/')) return res.writeHead(404).end();
      hits.push(path);
      const rel = normalize(path.slice('/atlas/'.length) || 'index.html');
      if (rel === 'sw.js') return res.writeHead(200, { 'Content-Type': MIME['.js']!, 'Cache-Control': 'no-cache' }).end(swText);
      const file = join(dist, rel);
      if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    try {
      const external: string[] = [];
      await localOnly(context, external);
      const page = await context.newPage();
      await page.goto(`${origin}/atlas/?layers=-`);
      const first = await controlledVersion(page);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.scope)).toBe(`${origin}/atlas/`);
      const files = (await precachedPaths(page, first)).length;
      expect(files).toBeGreaterThan(50);
      await page.evaluate(
        async ([name, url]) => (await caches.open(name!)).put(url!, new Response('kept')),
        [packCacheName(`${origin}/atlas/`, 'kept'), `${origin}/atlas/packs/kept/a.txt`],
      );

      // Deploy a new version (same files, new worker), and let the page look for it.
      const next = 'b0000000000b';
      swText = swText.replace(`"version":"${first}"`, `"version":"${next}"`);
      hits.length = 0;
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      const banner = page.locator('[data-pwa="update"]');
      await banner.waitFor({ timeout: 30_000 });
      expect(await banner.textContent()).toContain('新版本可用');
      expect(await banner.textContent()).toContain('A new version is available');
      // Unchanged files were copied from the old cache, not downloaded again.
      expect(hits.filter((p) => p !== '/atlas/sw.js')).toEqual([]);
      // Not forced: the page still runs on the old version, and so does a reload.
      expect(await controlledVersion(page)).toBe(first);
      await page.reload();
      expect(await controlledVersion(page)).toBe(first);
      await banner.waitFor({ timeout: 30_000 });

      // Taken: one click, the new worker takes over and the page reloads on it.
      await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), banner.locator('.pwa-update-reload').click()]);
      expect(await controlledVersion(page)).toBe(next);
      const names = await page.evaluate(() => caches.keys());
      expect(names.filter((n) => n.includes('-precache-'))).toEqual([expect.stringMatching(new RegExp(`-precache-${next}$`))]);
      expect(names.some((n) => n.endsWith('-pack-kept'))).toBe(true);
      expect((await precachedPaths(page, next)).length).toBe(files);

      // ?sw=off: the worker is unregistered and its caches deleted; the pack stays.
      await page.goto(`${origin}/atlas/?sw=off&layers=-`);
      await page.waitForFunction(async () => !(await navigator.serviceWorker.getRegistration()) && !(await caches.keys()).some((n) => n.includes('-precache-')), undefined, {
        timeout: 30_000,
      });
      expect(await page.evaluate(() => caches.keys())).toEqual([expect.stringMatching(/-pack-kept$/)]);
      expect(external).toEqual([]);
    } finally {
      await context.close();
      await new Promise((r) => server.close(r));
    }
  }, 120_000);
});
