/**
 * Packs kept in this browser. A saved pack is a Cache Storage cache
 * (pwa/packs.ts) holding its files under `packs/<name>/…` of the app's scope:
 * the service worker serves them offline, and {@link fetchData} reads them
 * straight from the cache when no service worker runs (first visit, private
 * windows, tests). The app opens a pack with `?pack=<name>`: its catalog and
 * files are read from there instead of data/.
 */
import { dropPack, listPacks, cachePackFiles, packFiles } from '../pwa/packs';
import { PACK_NAME } from '../pwa/cacheNames';
import { validateManifest, type PackContents, type PackManifest } from './format';

/** The URL prefix of a pack's files, relative to the app. */
export const packRoot = (name: string) => `packs/${name}/`;

function scope(): string {
  return new URL('./', document.baseURI).href;
}

const TYPES: [RegExp, string][] = [
  [/\.json$/, 'application/json'],
  [/\.geojson$/, 'application/geo+json'],
  [/\.parquet$/, 'application/vnd.apache.parquet'],
  [/\.csv$/, 'text/csv'],
];
const typeOf = (path: string) => TYPES.find(([re]) => re.test(path))?.[1] ?? 'application/octet-stream';

export interface SavedPack {
  manifest: PackManifest;
  /** All its files, bytes. */
  bytes: number;
}

/**
 * Keeps a pack in this browser, replacing one of the same name. All or
 * nothing: if the browser refuses part of it (storage quota), nothing of it
 * is kept and the error says so.
 */
export async function savePack(p: PackContents): Promise<void> {
  const name = p.manifest.name;
  await dropPack(name);
  try {
    await cachePackFiles(
      name,
      [...p.files].map(([path, bytes]) => ({ url: packRoot(name) + path, body: bytes as Uint8Array<ArrayBuffer>, type: typeOf(path) })),
    );
  } catch (e) {
    await dropPack(name).catch(() => undefined);
    const quota = (e as Error).name === 'QuotaExceededError';
    throw Object.assign(new Error(quota ? 'the browser has no room left for this pack (storage quota)' : (e as Error).message), { quota });
  }
}

async function cached(url: string): Promise<Response | undefined> {
  if (typeof caches === 'undefined') return undefined;
  return caches.match(url, { ignoreSearch: true, ignoreVary: true });
}

/** The manifest of a saved pack, or null when this browser has no such pack. */
export async function savedManifest(name: string): Promise<PackManifest | null> {
  if (!PACK_NAME.test(name)) return null;
  const res = await cached(new URL(packRoot(name) + 'pack.json', scope()).href);
  if (!res) return null;
  try {
    return validateManifest(await res.json()).manifest;
  } catch {
    return null;
  }
}

/** Packs saved in this browser, newest first. */
export async function savedPacks(): Promise<SavedPack[]> {
  const out: SavedPack[] = [];
  for (const name of await listPacks()) {
    const manifest = await savedManifest(name);
    if (manifest) out.push({ manifest, bytes: manifest.files.reduce((s, f) => s + f.bytes, 0) });
  }
  return out.sort((a, b) => b.manifest.created.localeCompare(a.manifest.created));
}

/** Every file of a saved pack (to download it as a zip). */
export async function readSavedPack(name: string): Promise<Map<string, Uint8Array>> {
  const root = new URL(packRoot(name), scope()).href;
  const files = new Map<string, Uint8Array>();
  for (const url of await packFiles(name)) {
    const res = await cached(url);
    if (res && url.startsWith(root)) files.set(url.slice(root.length), new Uint8Array(await res.arrayBuffer()));
  }
  return files;
}

export const deletePack = (name: string) => dropPack(name);

/**
 * Fetches a file of the app, from a saved pack's cache first when the URL is
 * a pack's (so packs work with no service worker, and offline), else from
 * the network (or the service worker).
 */
export async function fetchData(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, document.baseURI);
  if (url.origin === location.origin && url.pathname.startsWith(new URL('packs/', scope()).pathname)) {
    const hit = await cached(url.href);
    if (hit) return hit;
  }
  return fetch(input, init);
}
