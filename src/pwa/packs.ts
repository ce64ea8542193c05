/**
 * Offline storage for data packs (the pack feature itself is not built yet).
 * A pack is a named Cache Storage cache of same-origin files under the app's
 * scope; the service worker answers any request it holds, offline included,
 * and keeps packs across app versions (only the user drops them).
 *
 *   await cachePackFiles('jinan-2026', ['data/packs/jinan-2026/air.parquet']);   // fetched now, kept
 *   await cachePackFiles('mine', [{ url: 'packs/mine/stations.csv', body: file }]); // bytes the page already has
 *   await listPacks();      // ['jinan-2026', 'mine']
 *   await dropPack('mine');
 *
 * Only URLs of the app's own origin and scope are accepted: the app makes no
 * request elsewhere, and the worker never serves another origin.
 */
import { packCacheName, packPrefix } from './cacheNames';

/** A file to keep: a URL to fetch now, or bytes to keep under a URL of the scope. */
export type PackFile = string | { url: string; body: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>; type?: string };

function scope(): string {
  return new URL('./', document.baseURI).href;
}

/** Resolves `url` against the app and checks that it lies in the app's origin and scope. */
export function packUrl(url: string, base = scope()): string {
  const u = new URL(url, base);
  const s = new URL(base);
  if (u.origin !== s.origin || !u.pathname.startsWith(s.pathname)) throw new Error(`a pack can only hold files of this app (${s.href}), not ${u.href}`);
  u.hash = '';
  return u.href;
}

function requireCaches(): CacheStorage {
  if (typeof caches === 'undefined') throw new Error('this browser keeps no offline files here (Cache Storage needs https or localhost)');
  return caches;
}

/**
 * Stores files under the pack `name` (added to what it already holds; a URL
 * already there is replaced). All-or-nothing for fetched URLs: if one fails,
 * none of this call's files is stored.
 */
export async function cachePackFiles(name: string, files: readonly PackFile[]): Promise<void> {
  const cacheName = packCacheName(scope(), name);
  const responses: [string, Response][] = [];
  for (const f of files) {
    if (typeof f === 'string') {
      const url = packUrl(f);
      const res = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
      if (!res.ok) throw new Error(`pack ${name}: HTTP ${res.status} for ${url}`);
      responses.push([url, res]);
    } else {
      const url = packUrl(f.url);
      const body = f.body instanceof Blob ? f.body : new Blob([f.body]);
      const type = f.type ?? (f.body instanceof Blob && f.body.type ? f.body.type : 'application/octet-stream');
      responses.push([url, new Response(body, { headers: { 'Content-Type': type, 'Content-Length': String(body.size) } })]);
    }
  }
  const cache = await requireCaches().open(cacheName);
  for (const [url, res] of responses) await cache.put(url, res);
}

/** Deletes a pack and every file it holds. Resolves false if there was none. */
export async function dropPack(name: string): Promise<boolean> {
  return requireCaches().delete(packCacheName(scope(), name));
}

/** Names of the packs saved for this app. */
export async function listPacks(): Promise<string[]> {
  if (typeof caches === 'undefined') return [];
  const prefix = packPrefix(scope());
  return (await caches.keys()).filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}

/** The URLs a pack holds. */
export async function packFiles(name: string): Promise<string[]> {
  const c = requireCaches();
  const cacheName = packCacheName(scope(), name);
  if (!(await c.has(cacheName))) return [];
  return (await (await c.open(cacheName)).keys()).map((r) => r.url);
}
