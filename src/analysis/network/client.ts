/**
 * The app's handle on the walking-network worker: loads a city's network and
 * facilities from DuckDB (Arrow columns → typed arrays, transferred), and asks
 * for isochrones. The latest click wins: an older answer that arrives late is
 * dropped.
 */
import type { Table } from 'apache-arrow';
import { quoteIdent } from '../../engine/sql';
import type { EdgeArrays } from './graph';
import type { FacilityColumns, IsochroneResult, NetworkRequest, NetworkResponse, Reach } from './protocol';

export interface NetworkClient {
  /** Loads the city's network once (later calls for the same key reuse it). */
  ensure(key: string, query: (sql: string) => Promise<Table>, tables: { network: string; facilities: string }): Promise<void>;
  /** Isochrones from a point; null when a newer request superseded this one. */
  isochrone(key: string, lon: number, lat: number, thresholdsM: number[]): Promise<IsochroneResult | null>;
  /** The node each point stands on (-1: no street within maxM). */
  nodes(key: string, lon: Float64Array, lat: Float64Array, maxM: number): Promise<Int32Array>;
  /** Nodes within maxM of each point, with their network distances. */
  reach(key: string, points: { lon: number; lat: number }[], maxM: number): Promise<Reach[]>;
}

const f64 = (t: Table, name: string) => Float64Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);
const i32 = (t: Table, name: string) => Int32Array.from(t.getChild(name)!.toArray() as ArrayLike<number | bigint>, Number);
const strings = (t: Table, name: string) => {
  const col = t.getChild(name);
  return Array.from({ length: t.numRows }, (_, i) => String(col?.get(i) ?? ''));
};

export function createNetworkClient(): NetworkClient {
  let worker: Worker | null = null;
  let loadedKey: string | null = null;
  let loading: Promise<void> | null = null;
  let loadingKey: string | null = null;
  let seq = 0;
  const pending = new Map<number, (r: IsochroneResult | null, e?: Error) => void>();
  const other = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let onLoaded: ((e?: Error) => void) | null = null;

  const start = (): Worker => {
    if (worker) return worker;
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'civic-atlas-network' });
    worker.onmessage = (ev: MessageEvent<NetworkResponse>) => {
      const m = ev.data;
      if (m.type === 'loaded') onLoaded?.();
      else if (m.type === 'nodes' || m.type === 'reach') {
        other.get(m.id)?.resolve((m.type === 'nodes' ? m.nodes : m.reach) as never);
        other.delete(m.id);
      } else if (m.type === 'result') {
        pending.get(m.id)?.(m.result);
        pending.delete(m.id);
      } else if (m.type === 'error') {
        const err = new Error(m.message);
        if (m.id !== undefined) {
          pending.get(m.id)?.(null, err);
          pending.delete(m.id);
          other.get(m.id)?.reject(err);
          other.delete(m.id);
        } else onLoaded?.(err);
      }
    };
    return worker;
  };

  const ask = <T>(msg: NetworkRequest, transfer: Transferable[] = []): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      other.set((msg as { id: number }).id, { resolve: resolve as (v: never) => void, reject });
      start().postMessage(msg, transfer);
    });

  return {
    nodes(key, lon, lat, maxM) {
      const a = Float64Array.from(lon);
      const b = Float64Array.from(lat);
      return ask<Int32Array>({ type: 'nodes', id: ++seq, key, lon: a, lat: b, maxM }, [a.buffer, b.buffer]);
    },
    reach(key, points, maxM) {
      return ask<Reach[]>({ type: 'reach', id: ++seq, key, points, maxM });
    },
    ensure(key, query, tables) {
      if (loadedKey === key) return Promise.resolve();
      if (loading && loadingKey === key) return loading;
      loadingKey = key;
      loading = (async () => {
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
        const w = start();
        await new Promise<void>((resolve, reject) => {
          onLoaded = (err) => (err ? reject(err) : resolve());
          const msg: NetworkRequest = { type: 'load', key, edges, facilities };
          w.postMessage(msg, [edges.fromNode.buffer, edges.toNode.buffer, edges.x1.buffer, edges.y1.buffer, edges.x2.buffer, edges.y2.buffer, edges.lengthM.buffer, facilities.lon.buffer, facilities.lat.buffer]);
        });
        loadedKey = key;
      })();
      loading.catch(() => {
        if (loadingKey === key) loadingKey = null;
      });
      return loading;
    },
    isochrone(key, lon, lat, thresholdsM) {
      const id = ++seq;
      // Only the newest isochrone is answered; older ones resolve to null.
      for (const [k, resolve] of pending) {
        resolve(null);
        pending.delete(k);
      }
      return new Promise((resolve, reject) => {
        pending.set(id, (r, e) => (e ? reject(e) : resolve(r)));
        const msg: NetworkRequest = { type: 'isochrone', id, key, lon, lat, thresholdsM };
        start().postMessage(msg);
      });
    },
  };
}

let shared: NetworkClient | null = null;
/** One worker, one city's network in memory, for everything that walks (isochrones, facility scenarios). */
export function sharedNetworkClient(): NetworkClient {
  return (shared ??= createNetworkClient());
}
