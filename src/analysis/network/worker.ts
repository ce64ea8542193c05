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
