/**
 * The browser implementation: DuckDB-WASM (AsyncDuckDB) in a Web Worker,
 * same SQL and loading code as the Node one (./core.ts).
 *
 * Offline by construction: the eh wasm and its worker are bundled by Vite
 * (`?url` imports) and served from the app's own origin. No mvp/coi bundle,
 * no getJsDelivrBundles(), extension autoload/autoinstall switched off
 * before anything else runs.
 *
 *   const engine = await createBrowserEngine({ onStatus: (s) => console.log(s) });
 *   await engine.loadGeoJSON('parks', await (await fetch('data/…/parks.geojson')).text());
 *   const t = await engine.query('SELECT count(*) AS n FROM parks WHERE area_ha > ?', [10]);
 *
 * The server must send `application/wasm` for .wasm (Vite dev/preview do):
 * DuckDB-WASM instantiates with `instantiateStreaming`, which refuses
 * anything else.
 *
 * A dead worker is noticed at once, whatever killed it: the worker is started
 * from a two-line blob: script that takes a Web Lock and then loads DuckDB's
 * worker with importScripts; the page queues for the same lock, which the
 * browser grants the moment the worker's thread is gone, whatever ended it
 * (terminate(), a crash). A busy worker keeps its lock, so a long query
 * never looks like a death. `whenDead` and `failure()` report it; every call
 * in flight rejects. ./resilient.ts restarts the engine from there.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { Table } from 'apache-arrow';
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { EngineOptions } from './types.ts';
import { createEngineCore, decodeToIPC, type CoreEngine, type DecodeInput, type EngineAdapter } from './core.ts';
import type { DecodeRequest, DecodeResponse } from './decodeWorker.ts';
import { uniqueLockName, watchLock } from '../workers/lockWatch.ts';

export interface BrowserEngineOptions extends EngineOptions {
  /** Progress messages for a status line: download progress, startup, ready. */
  onStatus?: (status: string) => void;
  /** Give up (and terminate the worker) if DuckDB is not ready by then. Default 120 000 ms. */
  startupTimeoutMs?: number;
  /**
   * Decode Parquet/GeoJSON in a separate module worker so the page stays
   * responsive (default true). Falls back to decoding on the main thread if
   * that worker cannot start.
   */
  decodeInWorker?: boolean;
  /** Override the bundled wasm / worker URLs (same-origin deployments with their own paths). */
  bundle?: { mainModule: string; mainWorker: string };
  /**
   * Notice at once when the worker dies (default true): start it through a
   * blob: bootstrap that holds a Web Lock (needs `worker-src blob:` in the
   * CSP, which MapLibre needs too, and a secure context; without Web Locks
   * the worker starts directly and only errors it reports are noticed).
   */
  watchWorker?: boolean;
}

export interface BrowserEngine extends CoreEngine {
  /** Kill the worker at once (no waiting for queued work); the engine is unusable afterwards. */
  terminate(): Promise<void>;
  /** The underlying AsyncDuckDB, for things the Engine interface does not cover (e.g. registerFileURL). */
  readonly db: duckdb.AsyncDuckDB;
  /** DuckDB's worker itself (tests terminate it to play a crash). */
  readonly worker: Worker;
  /** Resolves with the cause once the engine can no longer answer: the worker died or was terminated, or the engine was closed. */
  readonly whenDead: Promise<Error>;
  /** That cause, or null while the engine works. */
  failure(): Error | null;
  /** A round trip to the worker (answered after whatever the worker is running now). */
  ping(): Promise<void>;
  /** true when a dead worker is noticed at once (Web Lock watch); false: only errors the worker reports are. */
  readonly watched: boolean;
}

/** Resolve a bundle URL against the page, so the worker fetches the same absolute URL whatever Vite's base is. */
function absolute(url: string): string {
  const base = typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
  return base ? new URL(url, base).href : url;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

class DecodeWorkerUnavailable extends Error {}

/**
 * DuckDB's classic worker script, started so that its death can be seen: the
 * bootstrap takes the Web Lock `lock` for as long as the worker lives, then
 * loads the real script into the same worker. null when this page cannot
 * (no Web Locks, no blob: URLs): the caller starts the script directly.
 */
function startWatchedWorker(scriptUrl: string): { worker: Worker; lock: string; revoke: () => void } | null {
  if (typeof navigator === 'undefined' || !navigator.locks || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') return null;
  const lock = uniqueLockName('civic-atlas-duckdb');
  const source =
    `if (self.navigator && self.navigator.locks) self.navigator.locks.request(${JSON.stringify(lock)}, function () { return new Promise(function () {}); });\n` +
    `importScripts(${JSON.stringify(scriptUrl)});\n`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    return { worker: new Worker(url, { name: 'civic-atlas-duckdb' }), lock, revoke: () => URL.revokeObjectURL(url) };
  } catch {
    URL.revokeObjectURL(url);
    return null;
  }
}

/** A lazily started module worker running decodeToIPC; null-safe fallback is the caller's job. */
function createDecodeClient() {
  let worker: Worker | null = null;
  let broken: Error | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (ipc: Uint8Array) => void; reject: (err: Error) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  function start(): Worker {
    if (worker) return worker;
    // Vite bundles this as its own chunk (worker.format 'es').
    const w = new Worker(new URL('./decodeWorker.ts', import.meta.url), { type: 'module', name: 'civic-atlas-decode' });
    w.addEventListener('message', (event: MessageEvent<DecodeResponse>) => {
      const msg = event.data;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if ('error' in msg) p.reject(new Error(msg.error));
      else p.resolve(msg.ipc);
    });
    w.addEventListener('error', (event) => {
      event.preventDefault();
      broken = new DecodeWorkerUnavailable(`decode worker failed: ${event.message || 'could not start'}`);
      failAll(broken);
      w.terminate();
    });
    worker = w;
    return w;
  }

  return {
    decode(input: DecodeInput): Promise<Uint8Array> {
      if (broken) return Promise.reject(broken);
      let w: Worker;
      try {
        w = start();
      } catch (err) {
        broken = new DecodeWorkerUnavailable(`decode worker failed: ${err instanceof Error ? err.message : String(err)}`);
        return Promise.reject(broken);
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        if (input.kind === 'parquet') {
          // Copy, then transfer the copy: the caller's buffer stays usable.
          const bytes = input.bytes.slice();
          w.postMessage({ id, input: { kind: 'parquet', bytes } } satisfies DecodeRequest, [bytes.buffer]);
        } else {
          w.postMessage({ id, input } satisfies DecodeRequest);
        }
      });
    },
    terminate(): void {
      worker?.terminate();
      worker = null;
      broken = new DecodeWorkerUnavailable('decode worker terminated');
      failAll(new Error('the engine was terminated'));
    },
  };
}

/** Start DuckDB-WASM in a worker (a few seconds: 34 MB wasm) and wrap it in the shared engine core. */
export async function createBrowserEngine(opts: BrowserEngineOptions = {}): Promise<BrowserEngine> {
  const status = opts.onStatus ?? (() => {});
  const features = await duckdb.getPlatformFeatures();
  if (!features.wasmExceptions) {
    throw new Error('This browser lacks WebAssembly exception handling, which the bundled DuckDB build needs (current Chrome, Edge, Firefox and Safari have it).');
  }
  const mainModule = absolute(opts.bundle?.mainModule ?? ehWasmUrl);
  const mainWorker = absolute(opts.bundle?.mainWorker ?? ehWorkerUrl);

  status('Starting the database worker…');
  const watchedStart = opts.watchWorker === false ? null : startWatchedWorker(mainWorker);
  const worker = watchedStart?.worker ?? new Worker(mainWorker); // a classic script, not a module worker
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);

  // AsyncDuckDB drops (never settles) in-flight requests when the worker dies
  // or is terminated. Every call is raced against `dead`, so callers get an
  // error instead of a promise that hangs forever.
  let fatal: Error | null = null;
  let rejectDead: (err: Error) => void = () => {};
  let resolveDeath: (err: Error) => void = () => {};
  const dead = new Promise<never>((_, reject) => {
    rejectDead = reject;
  });
  dead.catch(() => undefined);
  const whenDead = new Promise<Error>((resolve) => {
    resolveDeath = resolve;
  });
  const die = (err: Error) => {
    if (fatal) return;
    fatal = err;
    rejectDead(err);
    resolveDeath(err);
  };
  // Takes a thunk so that nothing is sent to a dead worker (AsyncDuckDB logs
  // a console error for every message it cannot send).
  const guard = <T>(send: () => Promise<T>): Promise<T> => (fatal ? Promise.reject(fatal) : Promise.race([send(), dead]));
  worker.addEventListener('error', (e) => {
    const err = new Error(`the database worker crashed: ${e.message || 'unknown error'} (create a new engine to continue)`);
    status('Database worker crashed');
    die(err);
  });

  try {
    const start = async () => {
      let lastPct = -1;
      await db.instantiate(mainModule, null, (p) => {
        if (!p.bytesTotal) return;
        const pct = Math.floor((100 * p.bytesLoaded) / p.bytesTotal);
        if (pct !== lastPct) {
          lastPct = pct;
          status(`Loading the database (${pct}%)…`);
        }
      });
      status('Opening the database…');
      const asDouble = opts.numbersAsDouble ?? true;
      await db.open({ query: { castBigIntToDouble: asDouble, castDecimalToDouble: asDouble } });
      const connection = await db.connect();
      // The worker's script has long run by now; its blob: URL is no longer needed.
      watchedStart?.revoke();
      return connection;
    };
    const timeoutMs = opts.startupTimeoutMs ?? 120_000;
    const conn = await withTimeout(
      guard(() => start()),
      timeoutMs,
      `DuckDB did not start within ${Math.round(timeoutMs / 1000)} s (is ${mainModule} served as application/wasm?)`,
    );

    // The pending-query path: the worker runs the query in slices and
    // answers polls in between, so a cancel message can get through.
    const runSent = async (c: duckdb.AsyncDuckDBConnection, sql: string): Promise<Table> => {
      const reader = await guard(() => c.send(sql));
      if (!reader) throw new Error('the database worker is gone');
      const batches = await guard(() => reader.readAll());
      return batches.length > 0 ? new Table(batches) : new Table(reader.schema);
    };
    const decoder = opts.decodeInWorker === false ? null : createDecodeClient();
    const adapter: EngineAdapter = {
      async decodeToIPC(input) {
        if (decoder) {
          try {
            return await decoder.decode(input);
          } catch (err) {
            if (!(err instanceof DecodeWorkerUnavailable)) throw err;
            // The worker could not start (e.g. a strict CSP): decode here instead.
          }
        }
        return decodeToIPC(input);
      },
      run: (sql) => guard(() => conn.query(sql)),
      async runPrepared(sql, params) {
        const stmt = await guard(() => conn.prepare(sql));
        try {
          return await guard(() => stmt.query(...params));
        } finally {
          if (!fatal) await guard(() => stmt.close()).catch(() => undefined);
        }
      },
      async insertArrowIPC(name, ipc) {
        // Transfers ipc.buffer to the worker.
        await guard(() => conn.insertArrowFromIPCStream(ipc, { name, create: true }));
      },
      async registerFileText(name, text) {
        await guard(() => db.registerFileText(name, text));
      },
      async dropFile(name) {
        await guard(() => db.dropFile(name));
      },
      runCancellable: (sql) => runSent(conn, sql),
      async cancel() {
        return fatal ? false : guard(() => conn.cancelSent());
      },
      async openConnection() {
        const c = await guard(() => db.connect());
        return {
          run: (sql) => guard(() => c.query(sql)),
          runCancellable: (sql) => runSent(c, sql),
          cancel: async () => (fatal ? false : guard(() => c.cancelSent())),
          close: async () => {
            if (!fatal) await guard(() => c.close());
          },
        };
      },
      async close() {
        try {
          if (!fatal) await guard(() => conn.close());
        } finally {
          die(new Error('engine is closed'));
          decoder?.terminate();
          await db.terminate();
        }
      },
    };

    const core = await createEngineCore(adapter, { externalAccess: opts.externalAccess ?? false });
    const watched = watchedStart
      ? await watchLock(watchedStart.lock, () => {
          if (fatal) return; // closed or terminated on purpose
          status('Database worker stopped');
          die(new Error('the database worker stopped (it was terminated or crashed; create a new engine to continue)'));
        })
      : false;
    status('Database ready');
    return Object.assign(core, {
      db,
      worker,
      whenDead,
      watched,
      failure: () => fatal,
      ping: () => guard(() => db.ping()),
      async terminate() {
        die(new Error('the database worker was terminated'));
        decoder?.terminate();
        await db.terminate();
        // Queued calls have been rejected by `dead`; mark the engine closed.
        await core.close().catch(() => undefined);
      },
    });
  } catch (err) {
    die(err instanceof Error ? err : new Error(String(err)));
    await db.terminate().catch(() => undefined);
    worker.terminate();
    watchedStart?.revoke();
    throw err instanceof Error ? err : new Error(String(err));
  }
}
