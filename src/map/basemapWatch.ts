/**
 * Decides whether an online basemap is working: it is once one of its tiles
 * has loaded; it has failed after a few tile errors with none loaded, or
 * when nothing at all has loaded within the timeout (a blocked network often
 * never answers). Once working, later tile errors (a gap at the edge of the
 * provider's coverage) are not a failure.
 */
export interface WatchOptions {
  timeoutMs: number;
  /** Tile errors, with no tile loaded, that mean the basemap is not reachable. */
  maxErrors: number;
}

export const WATCH_DEFAULTS: WatchOptions = { timeoutMs: 8000, maxErrors: 3 };

export type WatchOutcome = { ok: true } | { ok: false; reason: 'timeout' | 'errors'; detail: string };

export class BasemapWatch {
  private errors = 0;
  private lastError = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly onOutcome: (o: WatchOutcome) => void,
    private readonly opts: WatchOptions = WATCH_DEFAULTS,
  ) {
    this.timer = setTimeout(() => this.finish({ ok: false, reason: 'timeout', detail: `${Math.round(opts.timeoutMs / 1000)} s` }), opts.timeoutMs);
  }

  tileLoaded(): void {
    this.finish({ ok: true });
  }

  tileError(message: string): void {
    if (this.done) return;
    this.errors++;
    this.lastError = message;
    if (this.errors >= this.opts.maxErrors) this.finish({ ok: false, reason: 'errors', detail: this.lastError });
  }

  /** The basemap was switched again before an outcome: say nothing. */
  cancel(): void {
    this.done = true;
    clearTimeout(this.timer);
  }

  get settled(): boolean {
    return this.done;
  }

  private finish(o: WatchOutcome): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.onOutcome(o);
  }
}

/** Fetches a provider's style document, giving up after `timeoutMs`. */
export async function fetchStyle(url: string, timeoutMs: number, fetchFn: typeof fetch = fetch): Promise<unknown> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetchFn(url, { signal: ctrl.signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const doc = (await res.json()) as { version?: unknown; layers?: unknown; sources?: unknown };
    if (doc?.version !== 8 || !Array.isArray(doc.layers) || typeof doc.sources !== 'object') throw new Error('not a MapLibre style document');
    return doc;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw new Error(`no answer in ${Math.round(timeoutMs / 1000)} s`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
