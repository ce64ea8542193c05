import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { PNG } from 'pngjs';
import { buildVersion, bundleWorker, drawIcon, listBuild, precached, serviceWorkerSource, writeServiceWorker } from '../../scripts/build/swManifest';
import type { SwBuild } from '../../scripts/build/swCore';
import { FakeCacheStorage, navigation } from './fakeCaches';

/** The build step that writes dist/sw.js, on a small fake build, and the generated worker run in a VM. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-sw-'));
  const put = (p: string, text: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  put('index.html', '<html>app</html>');
  put('assets/index-AAAA1111.js', 'console.log(1)');
  put('assets/index-AAAA1111.js.map', '{}');
  put('assets/duckdb-eh-WWWW0000.wasm', 'wasm');
  put('data/catalog.json', '{}');
  put('data/cities/jinan/parks.geojson', '{}');
  put('.DS_Store', 'x');
  put('sw.js', 'old worker');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the precache list', () => {
  it('lists every file of the build but the worker, source maps and dotfiles, sorted, with size and hash', () => {
    expect(precached('sw.js')).toBe(false);
    expect(precached('assets/a.js.map')).toBe(false);
    expect(precached('data/.hidden')).toBe(false);
    expect(precached('data/sw.js')).toBe(true);
    const entries = listBuild(dir);
    expect(entries.map((e) => e.path)).toEqual([
      'assets/duckdb-eh-WWWW0000.wasm',
      'assets/index-AAAA1111.js',
      'data/catalog.json',
      'data/cities/jinan/parks.geojson',
      'index.html',
    ]);
    expect(entries[1]).toEqual({ path: 'assets/index-AAAA1111.js', rev: expect.stringMatching(/^[0-9a-f]{16}$/), size: 14 });
  });

  it('the version changes with any file’s content and with the worker’s code, and only then', () => {
    const entries = listBuild(dir);
    const v = buildVersion(entries, 'code');
    expect(buildVersion(listBuild(dir), 'code')).toBe(v);
    expect(buildVersion(entries, 'code 2')).not.toBe(v);
    const changed = entries.map((e) => (e.path === 'data/catalog.json' ? { ...e, rev: 'ffffffffffffffff' } : e));
    expect(buildVersion(changed, 'code')).not.toBe(v);
  });
});

describe('the generated sw.js', () => {
  it('is deterministic, carries the list, and installs, serves and cleans up when run as a worker', async () => {
    const summary = await writeServiceWorker(dir);
    const text = readFileSync(join(dir, 'sw.js'), 'utf8');
    expect(summary.files).toBe(5);
    expect(text).toContain(`"version":"${summary.version}"`);
    expect(await writeServiceWorker(dir)).toEqual(summary);
    expect(readFileSync(join(dir, 'sw.js'), 'utf8')).toBe(text);
    // No skipWaiting outside the user's SKIP_WAITING message.
    expect(text.match(/skipWaiting\(/g)).toHaveLength(1);

    const listeners = new Map<string, (e: unknown) => void>();
    const caches = new FakeCacheStorage();
    await caches.open('civic-atlas-00000000-precache-old'); // another scope's cache: never touched
    const fetched: string[] = [];
    let claimed = false;
    let skipped = false;
    const self = {
      registration: { scope: 'https://example.org/atlas/' },
      caches,
      navigator: { onLine: true },
      clients: { claim: async () => void (claimed = true) },
      skipWaiting: async () => void (skipped = true),
      addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn),
      fetch: async (r: Request) => {
        const rel = new URL(r.url).pathname.slice('/atlas/'.length);
        fetched.push(rel);
        return new Response(readFileSync(join(dir, rel)));
      },
    };
    runInNewContext(text, { self, URL, Request, Response, Headers, setTimeout, clearTimeout, console });
    expect([...listeners.keys()].sort()).toEqual(['activate', 'fetch', 'install', 'message']);

    const extended = async (type: string, extra: object = {}) => {
      const work: Promise<unknown>[] = [];
      let response: Promise<Response> | undefined;
      listeners.get(type)!({ waitUntil: (p: Promise<unknown>) => work.push(p), respondWith: (p: Promise<Response>) => (response = p), ...extra });
      await Promise.all(work);
      return response;
    };
    await extended('install');
    expect(fetched.sort()).toEqual(listBuild(dir).map((e) => e.path).sort());
    expect(skipped).toBe(false);
    await extended('activate');
    expect(claimed).toBe(true);
    expect((await caches.keys()).filter((n) => n.includes('-precache-'))).toHaveLength(2);

    fetched.length = 0;
    const res = await extended('fetch', { request: navigation('https://example.org/atlas/?city=jinan') });
    expect(await (await res!).text()).toBe('<html>app</html>');
    expect(await extended('fetch', { request: new Request('https://tiles.example.com/1/2/3.png') })).toBeUndefined();
    expect(fetched).toEqual([]);

    listeners.get('message')!({ data: { type: 'SKIP_WAITING' }, ports: [] });
    expect(skipped).toBe(true);
  });

  it('a build list above the bundled code is all the worker needs', async () => {
    const build: SwBuild = { version: 'abc', entries: [] };
    const source = serviceWorkerSource(build, await bundleWorker());
    expect(source.split('\n')[1]).toBe('const __CIVIC_ATLAS_SW_BUILD__ = {"version":"abc","entries":[]};');
  });
});

describe('the app icon', () => {
  it('is a PNG of the asked size: transparent corners, the green disc in the middle', () => {
    const png = PNG.sync.read(drawIcon(192));
    expect([png.width, png.height]).toEqual([192, 192]);
    const at = (x: number, y: number) => [...png.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    expect(at(0, 0)[3]).toBe(0);
    expect(at(96, 96)).toEqual([124, 199, 154, 255]);
    expect(at(96, 50)).toEqual([255, 255, 255, 255]);
    expect(at(96, 3)).toEqual([15, 123, 108, 255]);
  });
});
