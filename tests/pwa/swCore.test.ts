import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServiceWorkerCore, type SwBuild, type SwEnv } from '../../scripts/build/swCore';
import { otherPrecaches, packCacheName, precacheName, runtimeName, scopeId, staleCaches } from '../../src/pwa/cacheNames';
import { FakeCacheStorage, navigation } from './fakeCaches';

/** The service worker's logic against an in-memory Cache Storage and a fake static host under /atlas/. */
const SCOPE = 'https://example.org/atlas/';

const FILES_V1: Record<string, string> = {
  'index.html': '<html>v1</html>',
  'assets/index-AAAA1111.js': 'js v1',
  'assets/duckdb-eh-WWWW0000.wasm': 'wasm',
  'data/catalog.json': '{"v":1}',
  'data/cities/shenzhen/parks.geojson': '{"type":"FeatureCollection","features":[]}',
  'data/stories/济南.json': '{"story":1}',
};

function buildOf(version: string, files: Record<string, string>): SwBuild {
  return {
    version,
    entries: Object.entries(files).map(([path, text]) => ({ path, rev: createHash('sha256').update(text).digest('hex').slice(0, 16), size: text.length })),
  };
}

interface Host {
  files: Record<string, string>;
  offline: boolean;
  /** Paths (relative to the scope) the worker fetched. */
  fetched: string[];
  /** Requests the worker fetched, with their cache mode. */
  modes: string[];
  hang: Set<string>;
  fetch: (r: Request) => Promise<Response>;
}

function host(files: Record<string, string>): Host {
  const h: Host = {
    files: { ...files },
    offline: false,
    fetched: [],
    modes: [],
    hang: new Set(),
    async fetch(r) {
      const url = new URL(r.url);
      const rel = decodeURIComponent(url.pathname.slice('/atlas/'.length));
      h.fetched.push(rel);
      h.modes.push(r.cache);
      if (h.offline) throw new TypeError('Failed to fetch');
      if (h.hang.has(rel)) return new Promise<Response>(() => {});
      const text = h.files[rel];
      if (text === undefined) return new Response('not found', { status: 404 });
      return new Response(text, { headers: { 'Content-Type': 'text/plain', 'Content-Length': String(new TextEncoder().encode(text).length) } });
    },
  };
  return h;
}

function setup(build: SwBuild, h: Host, caches = new FakeCacheStorage(), extra: Partial<SwEnv> = {}) {
  const work: Promise<unknown>[] = [];
  const core = createServiceWorkerCore({ build, scope: SCOPE, caches: caches.asCacheStorage(), fetch: (r) => h.fetch(r), catalogTimeoutMs: 30, ...extra });
  const handle = async (req: Request | string) => {
    const r = core.handle(typeof req === 'string' ? new Request(new URL(req, SCOPE)) : req, (p) => work.push(p));
    const res = r ? await r : null;
    await Promise.all(work.splice(0));
    return res;
  };
  return { core, caches, handle };
}

describe('cache names', () => {
  it('carry the scope, so deployments on one origin keep apart', () => {
    expect(scopeId('https://example.org/atlas/')).toBe(scopeId('/atlas/'));
    expect(scopeId('https://example.org/atlas/')).not.toBe(scopeId('https://example.org/atlas-staging/'));
    expect(precacheName(SCOPE, 'v1')).toMatch(/^civic-atlas-[0-9a-f]{8}-precache-v1$/);
  });

  it('on activate, only this scope’s build caches of other versions go; packs and other caches stay', () => {
    const other = 'https://example.org/atlas-staging/';
    const names = [
      precacheName(SCOPE, 'v1'),
      runtimeName(SCOPE, 'v1'),
      precacheName(SCOPE, 'v2'),
      runtimeName(SCOPE, 'v2'),
      packCacheName(SCOPE, 'jinan-2026'),
      precacheName(other, 'v1'),
      'workbox-precache-v2',
    ];
    expect(staleCaches(names, SCOPE, 'v2')).toEqual([precacheName(SCOPE, 'v1'), runtimeName(SCOPE, 'v1')]);
    expect(otherPrecaches(names, SCOPE, 'v2')).toEqual([precacheName(SCOPE, 'v1')]);
  });

  it('pack names are checked', () => {
    expect(packCacheName(SCOPE, 'jinan_2026.v2')).toMatch(/-pack-jinan_2026\.v2$/);
    for (const bad of ['', '../x', 'a/b', 'x'.repeat(65), '济南']) expect(() => packCacheName(SCOPE, bad)).toThrow(/invalid pack name/);
  });
});

describe('install and activate', () => {
  it('precaches every file of the build once, keyed by its content hash, bypassing the HTTP cache', async () => {
    const h = host(FILES_V1);
    const { core, caches } = setup(buildOf('v1', FILES_V1), h);
    await core.install();
    expect(h.fetched.sort()).toEqual(Object.keys(FILES_V1).sort());
    expect(new Set(h.modes)).toEqual(new Set(['no-cache']));
    const cache = await caches.open(core.precache);
    expect(cache.urls()).toHaveLength(Object.keys(FILES_V1).length);
    for (const u of cache.urls()) expect(u).toMatch(/^https:\/\/example\.org\/atlas\/.+\?__rev=[0-9a-f]{16}$/);
  });

  it('is all-or-nothing: a missing file fails the install; the next attempt fetches only what is still missing', async () => {
    const h = host(FILES_V1);
    delete h.files['data/catalog.json'];
    const build = buildOf('v1', FILES_V1);
    const caches = new FakeCacheStorage();
    const { core } = setup(build, h, caches, { concurrency: 1 });
    await expect(core.install()).rejects.toThrow(/HTTP 404 for data\/catalog\.json/);
    h.files['data/catalog.json'] = FILES_V1['data/catalog.json']!;
    const before = h.fetched.length;
    const again = setup(build, h, caches);
    await again.core.install();
    const second = h.fetched.slice(before);
    expect(second).toContain('data/catalog.json');
    expect(second.length).toBeLessThan(Object.keys(FILES_V1).length);
    expect((await caches.open(again.core.precache)).urls()).toHaveLength(Object.keys(FILES_V1).length);
  });

  it('a new version downloads only the files that changed, and its activation deletes the old caches but keeps packs', async () => {
    const h1 = host({ ...FILES_V1, 'data/extra.json': 'not in the build' });
    const caches = new FakeCacheStorage();
    const v1 = setup(buildOf('v1', FILES_V1), h1, caches);
    await v1.core.install();
    await v1.core.activate();
    expect(await (await v1.handle('data/extra.json'))!.text()).toBe('not in the build'); // now in v1's runtime cache
    await caches.open(packCacheName(SCOPE, 'mine'));

    const FILES_V2 = { ...FILES_V1, 'index.html': '<html>v2</html>', 'assets/index-BBBB2222.js': 'js v2' };
    delete (FILES_V2 as Record<string, string>)['assets/index-AAAA1111.js'];
    const h2 = host(FILES_V2);
    const v2 = setup(buildOf('v2', FILES_V2), h2, caches);
    await v2.core.install();
    expect(h2.fetched.sort()).toEqual(['assets/index-BBBB2222.js', 'index.html']);
    // Installed but waiting: both versions' caches exist, v1 still answers.
    expect(await caches.has(v1.core.precache)).toBe(true);
    expect(await (await v1.handle(navigation(SCOPE)))!.text()).toBe('<html>v1</html>');

    const deleted = await v2.core.activate();
    expect(deleted.sort()).toEqual([v1.core.precache, v1.core.runtime].sort());
    expect((await caches.keys()).sort()).toEqual([v2.core.precache, packCacheName(SCOPE, 'mine')].sort());
    expect(await (await v2.handle(navigation(`${SCOPE}?city=jinan`)))!.text()).toBe('<html>v2</html>');
  });
});

describe('requests', () => {
  async function installed(files = FILES_V1, extra: Partial<SwEnv> = {}) {
    const h = host(files);
    const s = setup(buildOf('v1', files), h, new FakeCacheStorage(), extra);
    await s.core.install();
    h.fetched.length = 0;
    return { ...s, h };
  }

  it('leaves other origins, other paths, non-GET, Range and sw.js to the browser', async () => {
    const { core, h } = await installed();
    expect(core.handle(new Request('https://tiles.openfreemap.org/planet/1/2/3.pbf'))).toBeNull();
    expect(core.handle(new Request('http://example.org/atlas/index.html'))).toBeNull(); // another origin (scheme)
    expect(core.handle(new Request('https://example.org/elsewhere/data/catalog.json'))).toBeNull();
    expect(core.handle(new Request('https://example.org/atlas'))).toBeNull();
    expect(core.handle(new Request(`${SCOPE}data/catalog.json`, { method: 'POST', body: 'x' }))).toBeNull();
    expect(core.handle(new Request(`${SCOPE}data/cities/shenzhen/parks.geojson`, { headers: { Range: 'bytes=0-99' } }))).toBeNull();
    expect(core.handle(new Request(`${SCOPE}sw.js`))).toBeNull();
    expect(core.handle(navigation(`${SCOPE}no-such-page.html`))).toBeNull();
    expect(h.fetched).toEqual([]);
  });

  it('answers navigations to the app with the precached index.html, offline included', async () => {
    const { handle, h } = await installed();
    h.offline = true;
    for (const u of [SCOPE, `${SCOPE}?city=ningbo&layers=parks`, `${SCOPE}index.html?mode=kiosk`]) {
      expect(await (await handle(navigation(u)))!.text()).toBe('<html>v1</html>');
    }
    expect(h.fetched).toEqual([]);
  });

  it('answers build files from the precache without the network (search ignored, non-ASCII paths too)', async () => {
    const { handle, h } = await installed();
    h.offline = true;
    expect(await (await handle('assets/duckdb-eh-WWWW0000.wasm'))!.text()).toBe('wasm');
    expect(await (await handle('assets/index-AAAA1111.js?v=1'))!.text()).toBe('js v1');
    expect(await (await handle('data/stories/济南.json'))!.text()).toBe('{"story":1}');
    expect(h.fetched).toEqual([]);
  });

  it('falls back to the network for a build file the browser evicted', async () => {
    const { handle, h, caches, core } = await installed();
    await caches.delete(core.precache);
    expect(await (await handle('data/cities/shenzhen/parks.geojson'))!.text()).toContain('FeatureCollection');
    expect(h.fetched).toEqual(['data/cities/shenzhen/parks.geojson']);
    // A lookup does not bring the deleted cache back (an unregistered worker keeps serving its page).
    expect(await caches.has(core.precache)).toBe(false);
  });

  it('takes the catalog from the network first, else (failed, slow, offline) from the precache; the network copy is not stored', async () => {
    let online = true;
    const { handle, h, caches, core } = await installed(FILES_V1, { online: () => online });
    h.files['data/catalog.json'] = '{"v":"deployed later"}';
    expect(await (await handle('data/catalog.json'))!.text()).toBe('{"v":"deployed later"}');
    expect(await (await (await caches.open(core.precache)).match(core.keyOf(buildOf('v1', FILES_V1).entries.find((e) => e.path === 'data/catalog.json')!)))!.text()).toBe('{"v":1}');
    h.offline = true;
    expect(await (await handle('data/catalog.json'))!.text()).toBe('{"v":1}');
    h.offline = false;
    h.hang.add('data/catalog.json');
    const t0 = Date.now();
    expect(await (await handle('data/catalog.json'))!.text()).toBe('{"v":1}');
    expect(Date.now() - t0).toBeLessThan(1000);
    h.fetched.length = 0;
    online = false;
    expect(await (await handle('data/catalog.json'))!.text()).toBe('{"v":1}');
    expect(h.fetched).toEqual([]);
  });

  it('keeps other same-origin files in a runtime cache (network first), capped at its entry limit', async () => {
    const files = { ...FILES_V1, 'data/a.json': 'a', 'data/b.json': 'b', 'data/c.json': 'c', 'data/d.json': 'd' };
    const only = buildOf('v1', FILES_V1); // a–d are not in the build
    const h = host(files);
    const s = setup(only, h, new FakeCacheStorage(), { runtimeMaxEntries: 3 });
    await s.core.install();
    for (const f of ['a', 'b', 'c', 'd']) expect(await (await s.handle(`data/${f}.json`))!.text()).toBe(f);
    expect(await (await s.handle('data/missing.json'))!.status).toBe(404);
    const runtime = await s.caches.open(s.core.runtime);
    expect(runtime.urls()).toEqual(['b', 'c', 'd'].map((f) => `${SCOPE}data/${f}.json`));
    h.offline = true;
    expect(await (await s.handle('data/d.json'))!.text()).toBe('d');
    await expect(s.handle('data/a.json')).rejects.toThrow(/Failed to fetch/);
  });

  it('answers files of a saved pack from the pack’s cache, offline', async () => {
    const { handle, h, caches } = await installed();
    const pack = await caches.open(packCacheName(SCOPE, 'jinan-2026'));
    await pack.put(`${SCOPE}packs/jinan-2026/air.parquet`, new Response('PAR1'));
    h.offline = true;
    expect(await (await handle('packs/jinan-2026/air.parquet?x=1'))!.text()).toBe('PAR1');
    expect(h.fetched).toEqual([]);
  });
});
