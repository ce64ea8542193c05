/**
 * An in-memory Cache Storage for the service worker's unit tests: enough of
 * the Cache API (open, keys, delete, has, match with ignoreSearch, put, keys
 * in insertion order) over Node's Request/Response.
 */

function urlOf(req: RequestInfo | URL): string {
  return typeof req === 'string' ? req : req instanceof URL ? req.href : req.url;
}

function withoutSearch(url: string): string {
  const u = new URL(url);
  u.search = '';
  return u.href;
}

interface Stored {
  url: string;
  body: ArrayBuffer;
  init: ResponseInit;
}

export class FakeCache {
  readonly entries: Stored[] = [];

  async match(req: RequestInfo | URL, opts?: CacheQueryOptions): Promise<Response | undefined> {
    const key = (u: string) => (opts?.ignoreSearch ? withoutSearch(u) : u);
    const want = key(urlOf(req));
    const hit = this.entries.find((e) => key(e.url) === want);
    return hit ? new Response(hit.body.slice(0), hit.init) : undefined;
  }

  async put(req: RequestInfo | URL, res: Response): Promise<void> {
    const url = urlOf(req);
    const body = await res.arrayBuffer();
    const i = this.entries.findIndex((e) => e.url === url);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.push({ url, body, init: { status: res.status, statusText: res.statusText, headers: res.headers } });
  }

  async delete(req: RequestInfo | URL): Promise<boolean> {
    const i = this.entries.findIndex((e) => e.url === urlOf(req));
    if (i < 0) return false;
    this.entries.splice(i, 1);
    return true;
  }

  async keys(): Promise<Request[]> {
    return this.entries.map((e) => new Request(e.url));
  }

  urls(): string[] {
    return this.entries.map((e) => e.url);
  }
}

export class FakeCacheStorage {
  readonly stores = new Map<string, FakeCache>();

  async open(name: string): Promise<FakeCache> {
    let c = this.stores.get(name);
    if (!c) this.stores.set(name, (c = new FakeCache()));
    return c;
  }

  async keys(): Promise<string[]> {
    return [...this.stores.keys()];
  }

  async has(name: string): Promise<boolean> {
    return this.stores.has(name);
  }

  async delete(name: string): Promise<boolean> {
    return this.stores.delete(name);
  }

  async match(req: RequestInfo | URL, opts?: MultiCacheQueryOptions): Promise<Response | undefined> {
    if (opts?.cacheName !== undefined) return this.stores.get(opts.cacheName)?.match(req, opts);
    for (const c of this.stores.values()) {
      const hit = await c.match(req, opts);
      if (hit) return hit;
    }
    return undefined;
  }

  asCacheStorage(): CacheStorage {
    return this as unknown as CacheStorage;
  }
}

/** A navigation request (Node's Request refuses mode "navigate"): only what the worker reads. */
export function navigation(url: string): Request {
  return { url, method: 'GET', mode: 'navigate', headers: new Headers() } as unknown as Request;
}
