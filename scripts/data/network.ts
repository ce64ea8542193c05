/**
 * Walking network: a jittered street grid over populated land.
 *
 * - Mask: 500 m cells with density ≥ threshold (start 2,000/km², raised until
 *   the city has at most MAX_EDGES edges, to keep the file ≤ 1.5 MB).
 * - Per district, a lattice rotated by the district's street angle with
 *   spacing 160 m (core), 190 m (urban), 220 m (suburban) or 240 m (county)
 *   and ±15 % jitter; nodes outside the district or the mask are dropped;
 *   4-neighbour edges, 6 % removed at random (superblocks, dead ends).
 * - Districts are stitched: nodes with a free side link to the nearest node
 *   of another district within 1.5 spacings.
 * - Rivers: no node within 40 m of a schematic river; an edge crossing a river
 *   survives only as a bridge, at most one per BRIDGE_SPACING_M along the river.
 * - Components under 30 nodes are dropped. Nodes are numbered south → north.
 */
import type { CityContext } from './context.ts';
import { cellDensity } from './context.ts';
import { haversine, pointSegmentDistance, segmentIntersect, SpatialHash, type Pt } from './geo.ts';
import type { ParquetTable } from './parquet.ts';
import { MASTER_SEED, Rng } from './prng.ts';

export const SPACING_M = { core: 160, urban: 190, suburban: 220, county: 240 } as const;
export const JITTER = 0.15;
export const DROP_SHARE = 0.06;
export const RIVER_CLEARANCE_M = 40;
export const BRIDGE_SPACING_M = 900;
export const MIN_COMPONENT = 30;
export const MAX_EDGES = 60000;

export interface Network {
  /** Node positions, WGS-84, and local metres. */
  lon: Float64Array;
  lat: Float64Array;
  x: Float64Array;
  y: Float64Array;
  /** Edges as node index pairs (from < to) and lengths (m). */
  from: Int32Array;
  to: Int32Array;
  length: Float64Array;
  /** Adjacency (CSR). */
  adjStart: Int32Array;
  adjNode: Int32Array;
  adjLen: Float64Array;
  threshold: number;
  bridges: number;
}

interface RawNode {
  x: number;
  y: number;
  district: number;
}

function riverSegments(ctx: CityContext): { a: Pt; b: Pt; river: number; s0: number }[] {
  const segs: { a: Pt; b: Pt; river: number; s0: number }[] = [];
  ctx.riverLines.forEach((r, ri) => {
    let s = 0;
    for (let i = 0; i + 1 < r.points.length; i++) {
      const a = ctx.land.frame.toXY(...(r.points[i] as Pt));
      const b = ctx.land.frame.toXY(...(r.points[i + 1] as Pt));
      segs.push({ a, b, river: ri, s0: s });
      s += Math.hypot(b[0] - a[0], b[1] - a[1]);
    }
  });
  return segs;
}

function buildOnce(ctx: CityContext, threshold: number): Network {
  const rng = new Rng(`${MASTER_SEED}/${ctx.cfg.id}/network`);
  const { land, pop } = ctx;
  const g = pop.grid;
  const segs = riverSegments(ctx);
  const nearRiver = (x: number, y: number): boolean =>
    segs.some((s) => pointSegmentDistance([x, y], s.a, s.b) < RIVER_CLEARANCE_M);
  const masked = (lon: number, lat: number): boolean => {
    const col = g.colOf(lon);
    const row = g.rowOf(lat);
    if (col < 0 || row < 0 || col >= g.nx || row >= g.ny) return false;
    return cellDensity(ctx, g.index(row, col)) >= threshold;
  };
  const nodes: RawNode[] = [];
  const edges: [number, number][] = [];
  land.districts.forEach((d, di) => {
    const s = SPACING_M[d.cfg.cls];
    const th = (d.cfg.streetAngle * Math.PI) / 180;
    const c = Math.cos(th);
    const sn = Math.sin(th);
    const bb = d.area.bbox;
    const corners = [
      land.frame.toXY(bb[0], bb[1]),
      land.frame.toXY(bb[2], bb[1]),
      land.frame.toXY(bb[0], bb[3]),
      land.frame.toXY(bb[2], bb[3]),
    ];
    // Lattice coordinates (u, v) = R(-θ)·(x, y)
    const us = corners.map(([x, y]) => x * c + y * sn);
    const vs = corners.map(([x, y]) => -x * sn + y * c);
    const i0 = Math.floor(Math.min(...us) / s) - 1;
    const i1 = Math.ceil(Math.max(...us) / s) + 1;
    const j0 = Math.floor(Math.min(...vs) / s) - 1;
    const j1 = Math.ceil(Math.max(...vs) / s) + 1;
    const w = i1 - i0 + 1;
    const index = new Map<number, number>();
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const u = (i + rng.range(-JITTER, JITTER)) * s;
        const v = (j + rng.range(-JITTER, JITTER)) * s;
        const x = u * c - v * sn;
        const y = u * sn + v * c;
        const [lon, lat] = land.frame.toLonLat(x, y);
        if (!masked(lon, lat) || !d.area.contains(lon, lat) || nearRiver(x, y)) continue;
        index.set((j - j0) * w + (i - i0), nodes.length);
        nodes.push({ x, y, district: di });
      }
    }
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const a = index.get((j - j0) * w + (i - i0));
        if (a === undefined) continue;
        const right = i < i1 ? index.get((j - j0) * w + (i + 1 - i0)) : undefined;
        const up = j < j1 ? index.get((j + 1 - j0) * w + (i - i0)) : undefined;
        if (right !== undefined && !rng.chance(DROP_SHARE)) edges.push([a, right]);
        if (up !== undefined && !rng.chance(DROP_SHARE)) edges.push([a, up]);
      }
    }
  });
  // Stitch districts.
  const degree = new Int32Array(nodes.length);
  for (const [a, b] of edges) {
    degree[a] = (degree[a] as number) + 1;
    degree[b] = (degree[b] as number) + 1;
  }
  const hash = new SpatialHash(300);
  nodes.forEach((n) => hash.add(n.x, n.y));
  const seen = new Set(edges.map(([a, b]) => (a < b ? `${a}-${b}` : `${b}-${a}`)));
  nodes.forEach((n, a) => {
    if ((degree[a] as number) >= 4) return;
    const reach = 1.5 * SPACING_M[land.districts[n.district]?.cfg.cls ?? 'urban'];
    let best = -1;
    let bestD = reach;
    for (const b of hash.within(n.x, n.y, reach)) {
      const m = nodes[b] as RawNode;
      if (m.district === n.district) continue;
      const dd = Math.hypot(m.x - n.x, m.y - n.y);
      if (dd < bestD) {
        bestD = dd;
        best = b;
      }
    }
    if (best < 0) return;
    const k = a < best ? `${a}-${best}` : `${best}-${a}`;
    if (seen.has(k)) return;
    seen.add(k);
    edges.push([a, best]);
  });
  // Rivers: keep crossing edges only as bridges.
  const crossing: { e: number; pos: number; river: number }[] = [];
  const drop = new Uint8Array(edges.length);
  edges.forEach(([a, b], e) => {
    const pa: Pt = [(nodes[a] as RawNode).x, (nodes[a] as RawNode).y];
    const pb: Pt = [(nodes[b] as RawNode).x, (nodes[b] as RawNode).y];
    for (const s of segs) {
      const t = segmentIntersect(s.a, s.b, pa, pb);
      if (t === null) continue;
      crossing.push({ e, pos: s.s0 + t * Math.hypot(s.b[0] - s.a[0], s.b[1] - s.a[1]), river: s.river });
      drop[e] = 1;
      break;
    }
  });
  crossing.sort((p, q) => p.river - q.river || p.pos - q.pos || p.e - q.e);
  let bridges = 0;
  let lastRiver = -1;
  let lastPos = -Infinity;
  for (const c of crossing) {
    if (c.river !== lastRiver) {
      lastRiver = c.river;
      lastPos = -Infinity;
    }
    if (c.pos - lastPos >= BRIDGE_SPACING_M) {
      drop[c.e] = 0;
      lastPos = c.pos;
      bridges++;
    }
  }
  const kept = edges.filter((_, e) => !drop[e]);
  // Components.
  const parent = Int32Array.from({ length: nodes.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  for (const [a, b] of kept) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const size = new Map<number, number>();
  for (let i = 0; i < nodes.length; i++) size.set(find(i), (size.get(find(i)) ?? 0) + 1);
  const hasEdge = new Uint8Array(nodes.length);
  for (const [a, b] of kept) hasEdge[a] = hasEdge[b] = 1;
  const keepNode = nodes.map((_, i) => hasEdge[i] === 1 && (size.get(find(i)) ?? 0) >= MIN_COMPONENT);
  // Renumber south → north (500 m bands), west → east.
  const order = nodes
    .map((n, i) => ({ i, band: Math.floor(n.y / 500), x: n.x }))
    .filter((o) => keepNode[o.i])
    .sort((p, q) => p.band - q.band || p.x - q.x || p.i - q.i);
  const newId = new Int32Array(nodes.length).fill(-1);
  order.forEach((o, k) => (newId[o.i] = k));
  const n = order.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  order.forEach((o, k) => {
    const nd = nodes[o.i] as RawNode;
    const [lo, la] = land.frame.toLonLat(nd.x, nd.y);
    // Store what the file stores (FLOAT32), so lengths match the file.
    lon[k] = Math.fround(lo);
    lat[k] = Math.fround(la);
    const [xx, yy] = land.frame.toXY(lon[k] as number, lat[k] as number);
    x[k] = xx;
    y[k] = yy;
  });
  const es = kept
    .filter(([a, b]) => keepNode[a] && keepNode[b])
    .map(([a, b]) => {
      const p = newId[a] as number;
      const q = newId[b] as number;
      return p < q ? [p, q] : [q, p];
    })
    .sort((p, q) => (p[0] as number) - (q[0] as number) || (p[1] as number) - (q[1] as number));
  const from = Int32Array.from(es, (e) => e[0] as number);
  const to = Int32Array.from(es, (e) => e[1] as number);
  // Great-circle length between the stored (FLOAT32) coordinates.
  const length = Float64Array.from(es, (e) =>
    Math.fround(
      haversine([lon[e[0] as number] as number, lat[e[0] as number] as number], [lon[e[1] as number] as number, lat[e[1] as number] as number]),
    ),
  );
  // CSR adjacency
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < from.length; e++) {
    deg[(from[e] as number) + 1] = (deg[(from[e] as number) + 1] as number) + 1;
    deg[(to[e] as number) + 1] = (deg[(to[e] as number) + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) deg[i + 1] = (deg[i + 1] as number) + (deg[i] as number);
  const adjStart = Int32Array.from(deg);
  const fill = Int32Array.from(deg);
  const adjNode = new Int32Array(from.length * 2);
  const adjLen = new Float64Array(from.length * 2);
  for (let e = 0; e < from.length; e++) {
    const a = from[e] as number;
    const b = to[e] as number;
    const l = length[e] as number;
    let k = fill[a] as number;
    adjNode[k] = b;
    adjLen[k] = l;
    fill[a] = k + 1;
    k = fill[b] as number;
    adjNode[k] = a;
    adjLen[k] = l;
    fill[b] = k + 1;
  }
  return { lon, lat, x, y, from, to, length, adjStart, adjNode, adjLen, threshold, bridges };
}

/**
 * Density threshold estimate: densest cells first, each adding about
 * 1.8 · (cell area / spacing²) edges, until the budget is used.
 */
export function estimateThreshold(ctx: CityContext, maxEdges: number, floor = 2000): number {
  const cells = ctx.pop.cells
    .map((i) => ({ d: cellDensity(ctx, i), s: SPACING_M[ctx.land.districts[ctx.pop.district[i] as number]?.cfg.cls ?? 'urban'] }))
    .sort((a, b) => b.d - a.d);
  let edges = 0;
  for (const c of cells) {
    if (c.d < floor) return floor;
    edges += (1.8 * (ctx.pop.grid.sizeM * ctx.pop.grid.sizeM)) / (c.s * c.s);
    if (edges > maxEdges) return Math.round(c.d);
  }
  return floor;
}

/** Builds the network, raising the density threshold until it fits MAX_EDGES. */
export function buildNetwork(ctx: CityContext, maxEdges = MAX_EDGES): Network {
  let threshold = estimateThreshold(ctx, maxEdges);
  for (;;) {
    const net = buildOnce(ctx, threshold);
    if (net.from.length <= maxEdges) return net;
    threshold = Math.round(threshold * 1.05);
  }
}

export function networkTable(net: Network): ParquetTable {
  const m = net.from.length;
  const col = (f: (e: number) => number): number[] => Array.from({ length: m }, (_, e) => f(e));
  return {
    columns: [
      { name: 'edge_id', kind: 'INT32', data: col((e) => e), encoding: 'DELTA_BINARY_PACKED' },
      { name: 'from_node', kind: 'INT32', data: Array.from(net.from), encoding: 'DELTA_BINARY_PACKED' },
      { name: 'to_node', kind: 'INT32', data: Array.from(net.to), encoding: 'DELTA_BINARY_PACKED' },
      { name: 'x1', kind: 'FLOAT', data: col((e) => net.lon[net.from[e] as number] as number), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'y1', kind: 'FLOAT', data: col((e) => net.lat[net.from[e] as number] as number), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'x2', kind: 'FLOAT', data: col((e) => net.lon[net.to[e] as number] as number), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'y2', kind: 'FLOAT', data: col((e) => net.lat[net.to[e] as number] as number), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'length_m', kind: 'FLOAT', data: col((e) => net.length[e] as number), encoding: 'BYTE_STREAM_SPLIT' },
    ],
  };
}
