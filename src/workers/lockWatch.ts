/**
 * Seeing a worker die at once. A worker takes a Web Lock named for it and
 * never lets go; the page queues for the same lock. The browser hands the
 * lock over only when the holder is gone (terminated, crashed, its tab
 * discarded), so the page's request runs exactly then: no polling, no
 * timeout to tune. Used for DuckDB's worker (engine/browser.ts) and the
 * walking-network worker (analysis/network/client.ts).
 */

/** A lock name no other worker of this origin shares. */
export function uniqueLockName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Inside a worker: hold `name` for as long as the worker lives. */
export function holdLockForLife(name: string): void {
  const locks = (self as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (name && locks) void locks.request(name, () => new Promise<never>(() => {})).catch(() => undefined);
}

/**
 * Waits (up to `waitMs`) until a worker holds `lock`, then queues for it:
 * `onGone` runs when the browser hands it over. Resolves false when the page
 * has no Web Locks or the worker never took the lock (the caller then relies
 * on errors and timeouts alone).
 */
export async function watchLock(lock: string, onGone: () => void, waitMs = 1000): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks) return false;
  const locks = navigator.locks;
  const until = Date.now() + waitMs;
  for (;;) {
    const state = await locks.query();
    if (state.held?.some((l) => l.name === lock)) {
      locks.request(lock, () => onGone()).catch(() => undefined);
      return true;
    }
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}
