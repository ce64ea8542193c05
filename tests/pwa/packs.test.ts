import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachePackFiles, dropPack, listPacks, packFiles, packUrl } from '../../src/pwa/packs';
import { createServiceWorkerCore } from '../../scripts/build/swCore';
import { FakeCacheStorage } from './fakeCaches';

/** The page's pack API (for the later pack feature) against a fake Cache Storage, and the worker serving what it stored. */
const SCOPE = 'https://example.org/atlas/';
let caches: FakeCacheStorage;
let fetched: string[];

beforeEach(() => {
  caches = new FakeCacheStorage();
  fetched = [];
  vi.stubGlobal('document', { baseURI: `${SCOPE}?city=jinan` });
  vi.stubGlobal('caches', caches);
  vi.stubGlobal('fetch', async (url: string) => {
    fetched.push(url);
    return url.endsWith('missing.parquet') ? new Response('no', { status: 404 }) : new Response(`bytes of ${url}`);
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('packs', () => {
  it('accept only files of the app’s own origin and scope', () => {
    expect(packUrl('data/packs/x/a.parquet', SCOPE)).toBe(`${SCOPE}data/packs/x/a.parquet`);
    expect(packUrl(`${SCOPE}packs/x/a.csv#frag`, SCOPE)).toBe(`${SCOPE}packs/x/a.csv`);
    expect(() => packUrl('https://cdn.example.com/a.parquet', SCOPE)).toThrow(/only hold files of this app/);
    expect(() => packUrl('../other/a.parquet', SCOPE)).toThrow(/only hold files of this app/);
  });

  it('store fetched files and given bytes, are listed, served by the worker offline, and dropped', async () => {
    await cachePackFiles('jinan-2026', ['data/packs/jinan-2026/air.parquet', { url: 'packs/jinan-2026/notes.csv', body: new TextEncoder().encode('a,b\n1,2\n'), type: 'text/csv' }]);
    expect(fetched).toEqual([`${SCOPE}data/packs/jinan-2026/air.parquet`]);
    expect(await listPacks()).toEqual(['jinan-2026']);
    expect((await packFiles('jinan-2026')).sort()).toEqual([`${SCOPE}data/packs/jinan-2026/air.parquet`, `${SCOPE}packs/jinan-2026/notes.csv`]);

    const core = createServiceWorkerCore({
      build: { version: 'v1', entries: [] },
      scope: SCOPE,
      caches: caches.asCacheStorage(),
      fetch: async () => {
        throw new TypeError('offline');
      },
    });
    const res = await core.handle(new Request(`${SCOPE}packs/jinan-2026/notes.csv`))!;
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(await res.text()).toBe('a,b\n1,2\n');
    // Activating a new version leaves packs alone.
    await core.activate();
    expect(await listPacks()).toEqual(['jinan-2026']);

    expect(await dropPack('jinan-2026')).toBe(true);
    expect(await listPacks()).toEqual([]);
    expect(await dropPack('jinan-2026')).toBe(false);
  });

  it('store nothing of a call when one of its files cannot be fetched', async () => {
    await expect(cachePackFiles('p', ['data/a.parquet', 'data/missing.parquet'])).rejects.toThrow(/HTTP 404/);
    expect(await packFiles('p')).toEqual([]);
    await expect(cachePackFiles('../p', ['data/a.parquet'])).rejects.toThrow(/invalid pack name/);
  });
});
