/**
 * The service worker's logic, free of `self`, so the unit tests can drive it
 * with a fake Cache Storage and fetch (tests/pwa/swCore.test.ts). The entry
 * (./sw.ts) wires it to the worker's events; ./swManifest.ts bundles both into
 * dist/sw.js with the build's file list.
 *
 * Per request (same-origin GETs inside the scope; everything else is left to
 * the browser untouched, so the worker never fetches or caches another origin):
 * - navigation to the app (scope root or index.html): the precached
 *   index.html, network only if it is missing. The page runs the version its
 *   worker installed until the user accepts an update.
 * - data/catalog.json: network first (at most CATALOG_TIMEOUT_MS), else the
 *   precached copy; the network copy is not stored.
 * - any other file of the build (hashed JS/CSS/wasm/workers, default data,
 *   stories, icons): cache first from the precache.
 * - files of a saved pack: from the pack's cache.
 * - any other same-origin file: network first, kept in a runtime cache of at
 *   most RUNTIME_MAX_ENTRIES entries, served from it when offline.
 * - Range requests and sw.js itself: not handled.
 */
import { otherPrecaches, packPrefix, precacheName, runtimeName, RUNTIME_MAX_ENTRIES, staleCaches } from '../../src/pwa/cacheNames.ts';

export interface SwEntry {
  /** Path relative to the scope, e.g. "assets/index-DD5dJ-v6.js", "data/catalog.json". */
  path: string;
  /** Content hash (hex): part of the cache key, so an unchanged file is reused across versions. */
  rev: string;
  size: number;
}

export interface SwBuild {
  version: string;
  entries: SwEntry[];
}

export interface SwEnv {
  build: SwBuild;
  /** The registration's scope, an absolute URL ending in "/". */
  scope: string;
  caches: CacheStorage;
  fetch: (request: Request) => Promise<Response>;
  /** Whether the browser thinks it is online (navigator.onLine); skips a network attempt that cannot succeed. */
  online?: () => boolean;
  catalogTimeoutMs?: number;
  /** Parallel downloads while installing. */
  concurrency?: number;
  runtimeMaxEntries?: number;
  /** Responses larger than this (Content-Length) are not kept in the runtime cache. */
  runtimeMaxBytes?: number;
}

export const CATALOG_PATH = 'data/catalog.json';
export const CATALOG_TIMEOUT_MS = 3000;

export interface ServiceWorkerCore {
  readonly precache: string;
  readonly runtime: string;
  /** Fill this version's precache: all files or a rejection (the install then fails and is retried on a later visit). */
  install(): Promise<void>;
  /** Delete this scope's caches of other versions (packs are kept). */
  activate(): Promise<string[]>;
  /**
   * The response for a request, or null to leave it to the browser.
   * `waitUntil` receives background work (a runtime-cache write) that the
   * worker must be kept alive for.
   */
  handle(request: Request, waitUntil?: (work: Promise<unknown>) => void): Promise<Response> | null;
  /** The cache key of a build file (its URL with the content hash as a query). */
  keyOf(entry: SwEntry): string;
}

export function createServiceWorkerCore(env: SwEnv): ServiceWorkerCore {
  const { build, scope, caches } = env;
  const scopeUrl = new URL(scope);
  const precache = precacheName(scope, build.version);
  const runtime = runtimeName(scope, build.version);
  const maxEntries = env.runtimeMaxEntries ?? RUNTIME_MAX_ENTRIES;
  const maxBytes = env.runtimeMaxBytes ?? 64 * 1024 * 1024;
  const online = env.online ?? (() => true);

  const keyOf = (e: SwEntry) => new URL(`${e.path}?__rev=${e.rev}`, scope).href;
  /** Entries by their URL's pathname (percent-encoded as the browser sends it). */
  const byPath = new Map<string, SwEntry>();
  for (const e of build.entries) byPath.set(new URL(e.path, scope).pathname, e);
  const indexEntry = byPath.get(new URL('index.html', scope).pathname);

  /** A redirected response cannot answer a navigation: copy it into a plain one. */
  async function clean(res: Response): Promise<Response> {
    if (!res.redirected) return res;
    return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers });
  }

  async function install(): Promise<void> {
    const cache = await caches.open(precache);
    const older = otherPrecaches(await caches.keys(), scope, build.version);
    const queue = [...build.entries];
    const one = async (e: SwEntry) => {
      const key = keyOf(e);
      if (await cache.match(key, { ignoreVary: true })) return; // an earlier, interrupted install got this far
      for (const name of older) {
        const hit = await (await caches.open(name)).match(key, { ignoreVary: true });
        if (hit) return cache.put(key, hit); // unchanged since that version: no download
      }
      const res = await env.fetch(new Request(new URL(e.path, scope).href, { cache: 'no-cache', credentials: 'same-origin' }));
      if (!res.ok) throw new Error(`precache: HTTP ${res.status} for ${e.path}`);
      await cache.put(key, await clean(res));
    };
    const workers = Array.from({ length: Math.max(1, env.concurrency ?? 4) }, async () => {
      for (let e = queue.shift(); e; e = queue.shift()) await one(e);
    });
    await Promise.all(workers);
  }

  async function activate(): Promise<string[]> {
    const stale = staleCaches(await caches.keys(), scope, build.version);
    await Promise.all(stale.map((n) => caches.delete(n)));
    return stale;
  }

  async function fromPrecache(e: SwEntry): Promise<Response | undefined> {
    // caches.match, not open(): a lookup must not create a cache (say, after ?sw=off deleted it).
    return caches.match(keyOf(e), { cacheName: precache, ignoreVary: true });
  }

  async function cacheFirst(request: Request, e: SwEntry): Promise<Response> {
    return (await fromPrecache(e)) ?? env.fetch(request);
  }

  async function networkFirstCatalog(request: Request, e: SwEntry): Promise<Response> {
    if (!online()) return cacheFirst(request, e);
    const ms = env.catalogTimeoutMs ?? CATALOG_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
    const net = env.fetch(request).then(
      (r) => (r.ok ? r : null),
      () => null,
    );
    const res = await Promise.race([net, late]);
    clearTimeout(timer);
    return res ?? (await fromPrecache(e)) ?? (await net) ?? env.fetch(request);
  }

  async function fromPacks(request: Request): Promise<Response | undefined> {
    const prefix = packPrefix(scope);
    for (const name of (await caches.keys()).filter((n) => n.startsWith(prefix))) {
      const hit = await (await caches.open(name)).match(request, { ignoreSearch: true, ignoreVary: true });
      if (hit) return hit;
    }
    return undefined;
  }

  async function networkFirstRuntime(request: Request, waitUntil: (work: Promise<unknown>) => void): Promise<Response> {
    try {
      const res = await env.fetch(request);
      const length = Number(res.headers.get('content-length') ?? 0);
      if (res.ok && (res.type === 'basic' || res.type === 'default') && !res.redirected && length <= maxBytes) {
        const copy = res.clone();
        waitUntil(
          (async () => {
            const cache = await caches.open(runtime);
            await cache.put(request, copy);
            const keys = await cache.keys();
            // Oldest written first (Cache keys keep insertion order; a rewrite moves to the end).
            for (let i = 0; i < keys.length - maxEntries; i++) await cache.delete(keys[i]!);
          })().catch(() => undefined),
        );
      }
      return res;
    } catch (err) {
      const hit = await caches.match(request, { cacheName: runtime, ignoreVary: true });
      if (hit) return hit;
      throw err;
    }
  }

  function handle(request: Request, waitUntil: (work: Promise<unknown>) => void = () => {}): Promise<Response> | null {
    if (request.method !== 'GET') return null;
    const url = new URL(request.url);
    if (url.origin !== scopeUrl.origin || !url.pathname.startsWith(scopeUrl.pathname)) return null;
    if (request.headers.has('range')) return null;
    const rel = url.pathname.slice(scopeUrl.pathname.length);
    if (rel === 'sw.js') return null;

    if (request.mode === 'navigate') {
      if ((rel === '' || rel === 'index.html') && indexEntry) return cacheFirst(request, indexEntry);
      const e = byPath.get(url.pathname);
      return e ? cacheFirst(request, e) : null;
    }
    const e = byPath.get(url.pathname);
    if (e) return rel === CATALOG_PATH ? networkFirstCatalog(request, e) : cacheFirst(request, e);
    return (async () => (await fromPacks(request)) ?? networkFirstRuntime(request, waitUntil))();
  }

  return { precache, runtime, install, activate, handle, keyOf };
}
