/**
 * The app's handle on the walking-network worker: loads a city's network and
 * facilities from DuckDB (Arrow columns → typed arrays), and asks for
 * isochrones, snapped nodes and reach. The latest isochrone wins: an older
 * answer that arrives late is dropped.
 *
 * The worker may die (terminated, crashed, out of memory) or hang. Death is
 * seen at once through the Web Lock the worker holds (workers/lockWatch.ts),
 * an uncaught error in it, or a request left unanswered for `hangMs`. The
 * client then starts a new worker, loads the same network into it (the
 * client keeps the columns it sent, so DuckDB is not asked again) and sends
 * the unanswered requests once more; a request interrupted twice fails. Too
 * many restarts in a short time and it gives up, saying so.
 */
import type { Table } from 'apache-arrow';
import { quoteIdent } from '../../engine/sql';
import { uniqueLockName, watchLock } from '../../workers/lockWatch';
import type { EdgeArrays } from './graph';
import type { FacilityColumns, IsochroneResult, NetworkRequest, NetworkResponse, Reach } from './protocol';

export type NetworkEvent =
  | { kind: 'stopped'; cause: 'died' | 'unresponsive' | 'error'; reason: string }
  /** A new worker answers again; `reloaded` is the network it was given, `retried` how many requests were sent again. */
  | { kind: 'restarted'; ms: number; reloaded: string | null; retried: number }
  | { kind: 'restart-failed'; error: string; gaveUp: true };

export interface NetworkClient {
  /** Loads the city's network once (later calls for the same key reuse it). */
  ensure(key: string, query: (sql: string) => Promise<Table>, tables: { network: string; facilities: string }): Promise<void>;
  /** Isochrones from a point; null when a newer request superseded this one. */
  isochrone(key: string, lon: number, lat: number, thresholdsM: number[]): Promise<IsochroneResult | null>;
  /** The node each point stands on (-1: no street within maxM). */
  nodes(key: string, lon: Float64Array, lat: Float64Array, maxM: number): Promise<Int32Array>;
  /** Nodes within maxM of each point, with their network distances. */
  reach(key: string, points: { lon: number; lat: number }[], maxM: number): Promise<Reach[]>;
  /** Restart notices; returns the unsubscribe. */
  onEvent(fn: (e: NetworkEvent) => void): () => void;
  /** The worker in use now (null before the first request), e.g. for a test to terminate it. */
  current(): { worker: Worker; watched: Promise<boolean> } | null;
  restarts(): number;
}

export interface NetworkClientOptions {
  /** Starts a worker (tests pass a fake); `name` is the lock it must hold. */
  createWorker?: (name: string) => Worker;
  /** A request or load unanswered this long means the worker hangs. The largest city's network loads in about a second; a click is answered in tens of ms. */
  hangMs?: number;
  /** At most this many restarts within `windowMs`; one more and the client gives up. */
  maxRestarts?: number;
  windowMs?: number;
}

interface Outgoing {
  msg: NetworkRequest;
  transfer: Transferable[];
}

interface Call {
  build(): Outgoing;
  /** Isochrones supersede each other; other requests do not. */
  isochrone?: boolean;
  resolve(v: unknown): void;
  reject(e: Error): void;
  sends: number;
  sentAt: number;
}

const f64 = (t: Table, name: string) => Float64Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);
const i32 = (t: Table, name: string) => Int32Array.from(t.getChild(name)!.toArray() as ArrayLike<number | bigint>, Number);
const strings = (t: Table, name: string) => {
  const col = t.getChild(name);
  return Array.from({ length: t.numRows }, (_, i) => String(col?.get(i) ?? ''));
};

const defaultWorker = (name: string) => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name });

export function createNetworkClient(opts: NetworkClientOptions = {}): NetworkClient {
  const createWorker = opts.createWorker ?? defaultWorker;
  const hangMs = opts.hangMs ?? 30_000;
  const maxRestarts = opts.maxRestarts ?? 3;
  const windowMs = opts.windowMs ?? 120_000;

  let live: { worker: Worker; watched: Promise<boolean> } | null = null;
  /** The network the worker should hold (kept to load it again into a new worker). */
  let data: { key: string; edges: EdgeArrays; facilities: FacilityColumns } | null = null;
  let workerKey: string | null = null;
  let loadSentAt: number | null = null;
  let querying: { key: string; done: Promise<void> } | null = null;
  const loadWaiters: { key: string; resolve(): void; reject(e: Error): void }[] = [];
  const calls = new Map<number, Call>();
  const listeners = new Set<(e: NetworkEvent) => void>();
  const restartTimes: number[] = [];
  let restartCount = 0;
  let broken: Error | null = null;
  let recovering: { since: number; retried: number } | null = null;
  let seq = 0;
  let watchdog: ReturnType<typeof setInterval> | null = null;

  const emit = (e: NetworkEvent) => listeners.forEach((fn) => fn(e));

  const settleLoad = (key: string, err?: Error) => {
    for (let i = loadWaiters.length - 1; i >= 0; i--) {
      const w = loadWaiters[i]!;
      if (err || w.key === key) {
        loadWaiters.splice(i, 1);
        if (err) w.reject(err);
        else w.resolve();
      }
    }
  };

  const onMessage = (m: NetworkResponse) => {
    if (m.type === 'loaded') {
      if (data?.key !== m.key) return;
      workerKey = m.key;
      loadSentAt = null;
      settleLoad(m.key);
      if (recovering) {
        emit({ kind: 'restarted', ms: Math.round(performance.now() - recovering.since), reloaded: m.key, retried: recovering.retried });
        recovering = null;
      }
      return;
    }
    if (m.type === 'error' && m.id === undefined) {
      // The network itself could not be built: not a dead worker, a bad network.
      loadSentAt = null;
      data = null;
      workerKey = null;
      settleLoad('', new Error(m.message));
      return;
    }
    const call = calls.get(m.id!);
    if (!call) return; // superseded
    calls.delete(m.id!);
    if (m.type === 'error') call.reject(new Error(m.message));
    else call.resolve(m.type === 'result' ? m.result : m.type === 'nodes' ? m.nodes : m.reach);
  };

  const sendLoad = (w: Worker) => {
    if (!data) return;
    loadSentAt = performance.now();
    // Copied, not transferred: the client keeps its columns for a restart.
    const msg: NetworkRequest = { type: 'load', key: data.key, edges: data.edges, facilities: data.facilities };
    w.postMessage(msg);
  };

  const start = (): Worker => {
    if (broken) throw broken;
    if (live) return live.worker;
    const name = uniqueLockName('civic-atlas-network');
    const worker = createWorker(name);
    worker.onmessage = (ev: MessageEvent<NetworkResponse>) => {
      if (live?.worker === worker) onMessage(ev.data);
    };
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      if (live?.worker === worker) stopped('error', `the walking-network worker failed: ${ev.message || 'it could not start or threw an error'}`);
    };
    const watched = watchLock(name, () => {
      if (live?.worker === worker) stopped('died', 'the walking-network worker stopped (it was terminated or crashed)');
    }, 4000).catch(() => false);
    live = { worker, watched };
    workerKey = null;
    sendLoad(worker);
    return worker;
  };

  const send = (call: Call) => {
    const { msg, transfer } = call.build();
    call.sends++;
    call.sentAt = performance.now();
    start().postMessage(msg, transfer);
    arm();
  };

  const failAll = (err: Error) => {
    for (const c of calls.values()) c.reject(err);
    calls.clear();
    settleLoad('', err);
  };

  function stopped(cause: 'died' | 'unresponsive' | 'error', reason: string) {
    const old = live;
    live = null;
    workerKey = null;
    loadSentAt = null;
    old?.worker.terminate();
    emit({ kind: 'stopped', cause, reason });
    const now = performance.now();
    restartCount++;
    restartTimes.push(now);
    while (restartTimes.length && now - restartTimes[0]! > windowMs) restartTimes.shift();
    if (restartTimes.length > maxRestarts) {
      broken = new Error(`the walking-network worker stopped ${restartTimes.length} times in ${Math.round(windowMs / 60_000)} minutes; reload the page`);
      failAll(broken);
      disarm();
      emit({ kind: 'restart-failed', error: broken.message, gaveUp: true });
      return;
    }
    const again = [...calls.entries()];
    let retried = 0;
    for (const [id, c] of again) {
      if (c.sends >= 2) {
        calls.delete(id);
        c.reject(new Error(`${reason}; this request was interrupted twice`));
      } else retried++;
    }
    recovering = { since: now, retried };
    start();
    for (const c of calls.values()) send(c);
    if (!data) {
      emit({ kind: 'restarted', ms: Math.round(performance.now() - now), reloaded: null, retried });
      recovering = null;
    }
  }

  function arm() {
    if (watchdog || !Number.isFinite(hangMs) || hangMs <= 0) return;
    watchdog = setInterval(() => {
      const t = performance.now();
      const oldest = Math.min(loadSentAt ?? Infinity, ...[...calls.values()].map((c) => c.sentAt));
      if (oldest === Infinity) return disarm();
      if (live && t - oldest >= hangMs) stopped('unresponsive', `the walking-network worker did not answer for ${Math.round((t - oldest) / 1000)} s`);
    }, Math.max(10, Math.min(1000, hangMs / 4)));
  }
  function disarm() {
    if (watchdog) clearInterval(watchdog);
    watchdog = null;
  }

  const ask = <T>(build: (id: number) => Outgoing, isochrone = false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (broken) return reject(broken);
      const id = ++seq;
      const call: Call = { build: () => build(id), isochrone, resolve: resolve as (v: unknown) => void, reject, sends: 0, sentAt: 0 };
      calls.set(id, call);
      send(call);
    });

  const waitLoaded = (key: string) =>
    new Promise<void>((resolve, reject) => {
      if (broken) return reject(broken);
      loadWaiters.push({ key, resolve, reject });
      arm();
    });

  return {
    ensure(key, query, tables) {
      if (broken) return Promise.reject(broken);
      if (data?.key === key) return workerKey === key && live ? Promise.resolve() : (start(), waitLoaded(key));
      if (querying?.key === key) return querying.done;
      const done = (async () => {
        const e = await query(`SELECT from_node, to_node, x1, y1, x2, y2, length_m FROM ${quoteIdent(tables.network)}`);
        const edges: EdgeArrays = {
          fromNode: i32(e, 'from_node'),
          toNode: i32(e, 'to_node'),
          x1: f64(e, 'x1'),
          y1: f64(e, 'y1'),
          x2: f64(e, 'x2'),
          y2: f64(e, 'y2'),
          lengthM: f64(e, 'length_m'),
        };
        const f = await query(`SELECT id, type, name, lon, lat FROM ${quoteIdent(tables.facilities)}`);
        const facilities: FacilityColumns = { id: strings(f, 'id'), type: strings(f, 'type'), name: strings(f, 'name'), lon: f64(f, 'lon'), lat: f64(f, 'lat') };
        if (querying?.key !== key) throw new Error(`network ${key} was replaced by ${querying?.key ?? 'another'} while loading`);
        data = { key, edges, facilities };
        workerKey = null;
        const loaded = waitLoaded(key);
        if (live) sendLoad(live.worker);
        else start();
        await loaded;
      })();
      querying = { key, done };
      done.then(
        () => querying?.key === key && (querying = null),
        () => querying?.key === key && (querying = null),
      );
      return done;
    },
    isochrone(key, lon, lat, thresholdsM) {
      // Only the newest isochrone is answered; older ones resolve to null.
      for (const [id, c] of calls) {
        if (c.isochrone) {
          calls.delete(id);
          c.resolve(null);
        }
      }
      return ask<IsochroneResult | null>((id) => ({ msg: { type: 'isochrone', id, key, lon, lat, thresholdsM }, transfer: [] }), true);
    },
    nodes(key, lon, lat, maxM) {
      return ask<Int32Array>((id) => {
        const a = Float64Array.from(lon);
        const b = Float64Array.from(lat);
        return { msg: { type: 'nodes', id, key, lon: a, lat: b, maxM }, transfer: [a.buffer, b.buffer] };
      });
    },
    reach(key, points, maxM) {
      return ask<Reach[]>((id) => ({ msg: { type: 'reach', id, key, points, maxM }, transfer: [] }));
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    current: () => live,
    restarts: () => restartCount,
  };
}

let shared: NetworkClient | null = null;
/** One worker, one city's network in memory, for everything that walks (isochrones, facility scenarios). */
export function sharedNetworkClient(): NetworkClient {
  return (shared ??= createNetworkClient());
}
