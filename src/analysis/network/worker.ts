/// <reference lib="webworker" />
/**
 * The walking network lives here, one city at a time: the graph, its snap
 * index and the facilities placed on it are built once per city, and each
 * click is answered with isochrone areas and the nearest facility of every
 * type, off the main thread.
 */
import { buildGraph, type WalkGraph } from './graph';
import { distancesFromSnap, nearestFacilities, placeFacilities, type PlacedFacilities } from './isochrone';
import { isochroneAreas } from './isochroneAreas';
import type { NetworkRequest, NetworkResponse } from './protocol';
import { buildSnapIndex, snapPoint, type SnapIndex } from './snap';
import { holdLockForLife } from '../../workers/lockWatch';

// The page watches this lock to see the worker die (workers/lockWatch.ts).
holdLockForLife(self.name);

interface Loaded {
  key: string;
  graph: WalkGraph;
  index: SnapIndex;
  facilities: PlacedFacilities;
  dist: Float32Array;
}

let current: Loaded | null = null;
const post = (m: NetworkResponse) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = (ev: MessageEvent<NetworkRequest>) => {
  const msg = ev.data;
  try {
    if (msg.type === 'load') {
      const graph = buildGraph(msg.edges);
      const index = buildSnapIndex(graph);
      const facilities = placeFacilities(index, msg.facilities);
      current = { key: msg.key, graph, index, facilities, dist: new Float32Array(graph.nodeCount) };
      post({ type: 'loaded', key: msg.key, nodes: graph.nodeCount, edges: msg.edges.fromNode.length });
      return;
    }
    if (msg.type === 'nodes' || msg.type === 'reach') {
      if (!current || current.key !== msg.key) throw new Error(`network ${msg.key} is not loaded`);
      const c = current;
      if (msg.type === 'nodes') {
        const nodes = new Int32Array(msg.lon.length);
        for (let i = 0; i < nodes.length; i++) {
          const s = snapPoint(c.index, msg.lon[i]!, msg.lat[i]!, msg.maxM);
          nodes[i] = s ? (s.t <= 0.5 ? c.graph.edges.fromNode[s.edge]! : c.graph.edges.toNode[s.edge]!) : -1;
        }
        (self as unknown as DedicatedWorkerGlobalScope).postMessage({ type: 'nodes', id: msg.id, nodes } satisfies NetworkResponse, [nodes.buffer]);
        return;
      }
      const reach = msg.points.map((p) => {
        const s = snapPoint(c.index, p.lon, p.lat);
        if (!s) return { snapped: false, nodes: new Int32Array(0), distM: new Float32Array(0) };
        const dist = distancesFromSnap(c.graph, s, msg.maxM, c.dist);
        const nodes: number[] = [];
        for (let i = 0; i < dist.length; i++) if (dist[i]! <= msg.maxM) nodes.push(i);
        return { snapped: true, nodes: Int32Array.from(nodes), distM: Float32Array.from(nodes, (i) => dist[i]!) };
      });
      post({ type: 'reach', id: msg.id, reach });
      return;
    }
    if (msg.type === 'isochrone') {
      if (!current || current.key !== msg.key) throw new Error(`network ${msg.key} is not loaded`);
      const t0 = performance.now();
      const maxM = Math.max(...msg.thresholdsM);
      const snap = snapPoint(current.index, msg.lon, msg.lat);
      if (!snap) {
        post({ type: 'result', id: msg.id, result: { snap: null, areas: [], nearest: [], ms: performance.now() - t0 } });
        return;
      }
      const dist = distancesFromSnap(current.graph, snap, maxM, current.dist);
      const near = nearestFacilities(current.graph, dist, snap, current.facilities, maxM);
      const areas = isochroneAreas(current.graph, dist, msg.thresholdsM, { edge: snap.edge, t: snap.t });
      const nearest = [...near.entries()].map(([type, n]) => ({
        type,
        distM: n ? n.distM : null,
        name: n ? (current!.facilities.name[n.index] ?? null) : null,
      }));
      post({ type: 'result', id: msg.id, result: { snap: { lon: snap.lon, lat: snap.lat, offsetM: snap.offsetM }, areas, nearest, ms: performance.now() - t0 } });
    }
  } catch (e) {
    post({ type: 'error', id: 'id' in msg ? msg.id : undefined, key: msg.key, message: (e as Error).message || String(e) });
  }
};
