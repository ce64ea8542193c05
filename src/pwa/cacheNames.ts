/**
 * Cache Storage names shared by the service worker (scripts/build/sw.ts,
 * bundled into dist/sw.js) and the page (./packs.ts, ./register.ts).
 *
 * Cache Storage belongs to the origin, not to the sub-path, so two
 * deployments on one origin (say /atlas/ and /atlas-staging/) would see each
 * other's caches. Every name therefore carries a short id of the scope's path,
 * and a worker only ever deletes caches of its own scope:
 *
 *   civic-atlas-<scope id>-precache-<build version>   the build's files, all-or-nothing
 *   civic-atlas-<scope id>-runtime-<build version>    same-origin files outside the build, capped
 *   civic-atlas-<scope id>-pack-<pack name>           files the user saved as a pack (kept across versions)
 */

export const CACHE_PREFIX = 'civic-atlas';

/** Most entries the runtime cache keeps (oldest written first out). */
export const RUNTIME_MAX_ENTRIES = 200;

/** A pack name: letters, digits, dot, dash, underscore; 1–64 characters. */
export const PACK_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** FNV-1a, 32 bit, as 8 hex digits: a short stable id for a scope path. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The id of a scope (an absolute URL or a path such as "/atlas/"); the origin is left out, it is implied. */
export function scopeId(scope: string): string {
  const path = /^[a-z][a-z0-9+.-]*:/i.test(scope) ? new URL(scope).pathname : scope;
  return shortHash(path);
}

export function precacheName(scope: string, version: string): string {
  return `${CACHE_PREFIX}-${scopeId(scope)}-precache-${version}`;
}

export function runtimeName(scope: string, version: string): string {
  return `${CACHE_PREFIX}-${scopeId(scope)}-runtime-${version}`;
}

export function packPrefix(scope: string): string {
  return `${CACHE_PREFIX}-${scopeId(scope)}-pack-`;
}

export function packCacheName(scope: string, pack: string): string {
  if (!PACK_NAME.test(pack)) throw new Error(`invalid pack name ${JSON.stringify(pack)} (letters, digits, . _ -; at most 64)`);
  return packPrefix(scope) + pack;
}

/** The build caches (precache and runtime) of this scope that do not belong to `version`: the ones to delete on activate. */
export function staleCaches(names: readonly string[], scope: string, version: string): string[] {
  const id = scopeId(scope);
  const keep = new Set([precacheName(scope, version), runtimeName(scope, version)]);
  const mine = [`${CACHE_PREFIX}-${id}-precache-`, `${CACHE_PREFIX}-${id}-runtime-`];
  return names.filter((n) => !keep.has(n) && mine.some((p) => n.startsWith(p)));
}

/** Earlier precaches of this scope (to reuse unchanged files from). */
export function otherPrecaches(names: readonly string[], scope: string, version: string): string[] {
  const prefix = `${CACHE_PREFIX}-${scopeId(scope)}-precache-`;
  const current = precacheName(scope, version);
  return names.filter((n) => n.startsWith(prefix) && n !== current);
}
