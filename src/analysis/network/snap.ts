/**
 * Snapping points (clicks, facilities) onto the walking network: the nearest
 * point on any edge, found through a uniform grid of edge ids.
 *
 * Why a grid and not an R-tree: network edges are short (a city block) and
 * spread evenly over the built-up area, so fixed ≈ 200 m buckets hold a few
 * edges each; a lookup visits the click's bucket and then rings around it
 * only until no closer edge can exist. The index is three typed arrays (CSR),
 * cheap to build per city and free of per-edge objects.
 *
 * Two frames, on purpose:
 * - the grid lives in one local metric frame for the whole city (equirectangular
 *   about the network's centre), good enough to bucket edges;
 * - distances are measured in a frame centred on the query point (its own
 *   cos φ), so the snap offset has no error growing with the distance from the
 *   city centre. The ring search bounds account for the difference between the
 *   two frames, so the result is the true nearest edge.
 */
import type { WalkGraph } from './graph';

/** Spherical metres per degree, the constant src/analysis/parkCoverage.ts uses. */
const M_PER_DEG = (6371008.8 * Math.PI) / 180;
const DEG = Math.PI / 180;

/** Default bucket size, m: about one block, so a bucket holds a handful of edges. */
export const SNAP_BUCKET_M = 200;
/** Default snap reach, m: farther than this from any edge a point is "off the network". */
export const DEFAULT_SNAP_MAX_M = 250;
/** Upper bound on grid size; a stray far-away edge enlarges the buckets instead of the memory. */
const MAX_BUCKETS = 1 << 22;

export interface SnapIndex {
  readonly graph: WalkGraph;
  /** Frame origin (degrees) and metres per degree of longitude at it. */
  readonly lon0: number;
  readonly lat0: number;
  readonly mx: number;
  /** cos φ0 of the frame, to compare it with a query's own cos φ. */
  readonly cos0: number;
  /** Bucket size, m (may exceed the requested size for huge extents, see MAX_BUCKETS). */
  readonly bucketM: number;
  /** Grid origin in the frame (m) and size in buckets. */
  readonly x0: number;
  readonly y0: number;
  readonly nx: number;
  readonly ny: number;
  /** Bucket b holds edge ids items[start[b] .. start[b + 1]). */
  readonly start: Int32Array;
  readonly items: Int32Array;
  /** Per edge, the id of the last query that tested it (an edge sits in several buckets). */
  readonly stamp: Int32Array;
  /** Query counter for `stamp`. */
  query: number;
}

export interface Snap {
  edge: number;
  /** 0..1 from the edge's from-node to its to-node */
  t: number;
  lon: number;
  lat: number;
  /** straight-line metres from the query point to the snapped point */
  offsetM: number;
  /** network metres from the snapped point to the edge's from-node and to-node (t × length_m, (1 − t) × length_m) */
  toFromM: number;
  toToM: number;
}

/**
 * Whether an edge can be snapped to. Mirrors buildGraph's filter: an edge the
 * graph left out has no adjacency, so a click snapped onto it would reach
 * nothing (or invalid node ids). Non-finite coordinates cannot be bucketed.
 */
function snappable(g: WalkGraph, i: number): boolean {
  const e = g.edges;
  const a = e.fromNode[i]!, b = e.toNode[i]!, len = e.lengthM[i]!;
  return (
    a !== b && a >= 0 && b >= 0 && a < g.nodeCount && b < g.nodeCount && Number.isFinite(len) && len >= 0 &&
    Number.isFinite(e.x1[i]!) && Number.isFinite(e.y1[i]!) && Number.isFinite(e.x2[i]!) && Number.isFinite(e.y2[i]!)
  );
}

export function buildSnapIndex(g: WalkGraph, bucketM = SNAP_BUCKET_M): SnapIndex {
  if (!(bucketM > 0)) throw new RangeError(`bucketM must be > 0, got ${bucketM}`);
  const e = g.edges;
  const m = e.fromNode.length;
  const ok = new Uint8Array(m);
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let i = 0; i < m; i++) {
    if (!snappable(g, i)) continue;
    ok[i] = 1;
    minLon = Math.min(minLon, e.x1[i]!, e.x2[i]!);
    maxLon = Math.max(maxLon, e.x1[i]!, e.x2[i]!);
    minLat = Math.min(minLat, e.y1[i]!, e.y2[i]!);
    maxLat = Math.max(maxLat, e.y1[i]!, e.y2[i]!);
  }
  const empty = minLon > maxLon;
  const lon0 = empty ? 0 : (minLon + maxLon) / 2;
  const lat0 = empty ? 0 : (minLat + maxLat) / 2;
  const cos0 = Math.cos(lat0 * DEG);
  const mx = M_PER_DEG * cos0;
  const x0 = empty ? 0 : (minLon - lon0) * mx;
  const y0 = empty ? 0 : (minLat - lat0) * M_PER_DEG;
  const w = empty ? 0 : (maxLon - lon0) * mx - x0;
  const h = empty ? 0 : (maxLat - lat0) * M_PER_DEG - y0;
  let B = bucketM;
  if ((Math.floor(w / B) + 1) * (Math.floor(h / B) + 1) > MAX_BUCKETS) B = Math.sqrt(((w + B) * (h + B)) / MAX_BUCKETS) * 1.01;
  const nx = empty ? 0 : Math.floor(w / B) + 1;
  const ny = empty ? 0 : Math.floor(h / B) + 1;

  // CSR fill in two passes (count, then place), as in parkCoverage's grid.
  const count = new Int32Array(nx * ny + 1);
  const visit = (i: number, f: (b: number) => void) => {
    const ax = (e.x1[i]! - lon0) * mx, bx = (e.x2[i]! - lon0) * mx;
    const ay = (e.y1[i]! - lat0) * M_PER_DEG, by = (e.y2[i]! - lat0) * M_PER_DEG;
    const cx0 = Math.max(0, Math.floor((Math.min(ax, bx) - x0) / B));
    const cx1 = Math.min(nx - 1, Math.floor((Math.max(ax, bx) - x0) / B));
    const cy0 = Math.max(0, Math.floor((Math.min(ay, by) - y0) / B));
    const cy1 = Math.min(ny - 1, Math.floor((Math.max(ay, by) - y0) / B));
    for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) f(cy * nx + cx);
  };
  for (let i = 0; i < m; i++) if (ok[i]) visit(i, (b) => count[b + 1]!++);
  for (let b = 0; b < nx * ny; b++) count[b + 1]! += count[b]!;
  const start = count;
  const fill = start.slice(0, nx * ny);
  const items = new Int32Array(start[nx * ny]!);
  for (let i = 0; i < m; i++) if (ok[i]) visit(i, (b) => (items[fill[b]!++] = i));
  return { graph: g, lon0, lat0, mx, cos0, bucketM: B, x0, y0, nx, ny, start, items, stamp: new Int32Array(m), query: 0 };
}

/**
 * Nearest point on any snappable edge within maxM (inclusive) of (lon, lat),
 * or null. Ties go to the lower edge id, so results do not depend on bucket order.
 */
export function snapPoint(idx: SnapIndex, lon: number, lat: number, maxM = DEFAULT_SNAP_MAX_M): Snap | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || !(maxM >= 0) || idx.nx === 0) return null;
  const e = idx.graph.edges;
  const { nx, ny, start, items, stamp } = idx;
  const B = idx.bucketM;
  if (++idx.query >= 0x7fffffff) {
    stamp.fill(0);
    idx.query = 1;
  }
  const q = idx.query;

  // Query-centred metres per degree (true local scale).
  const cosQ = Math.cos(lat * DEG);
  const kx = M_PER_DEG * cosQ;
  // A frame-x metre is cosQ / cos0 true metres: the lower bound of true over
  // frame distance, used to stop the ring search soundly.
  const scale = Math.min(1, cosQ / idx.cos0);
  const cbx = Math.floor(((lon - idx.lon0) * idx.mx - idx.x0) / B);
  const cby = Math.floor(((lat - idx.lat0) * M_PER_DEG - idx.y0) / B);

  let best2 = maxM * maxM;
  let bestEdge = -1;
  let bestT = 0;

  const test = (b: number) => {
    for (let k = start[b]!; k < start[b + 1]!; k++) {
      const i = items[k]!;
      if (stamp[i] === q) continue;
      stamp[i] = q;
      const ax = (e.x1[i]! - lon) * kx, ay = (e.y1[i]! - lat) * M_PER_DEG;
      const dx = (e.x2[i]! - lon) * kx - ax, dy = (e.y2[i]! - lat) * M_PER_DEG - ay;
      const len2 = dx * dx + dy * dy;
      // Projection of the query (the origin) on the segment, clamped to it.
      let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const px = ax + t * dx, py = ay + t * dy;
      const d2 = px * px + py * py;
      if (d2 < best2 || (d2 === best2 && (bestEdge < 0 || i < bestEdge))) {
        best2 = d2;
        bestEdge = i;
        bestT = t;
      }
    }
  };

  for (let r = 0; ; r++) {
    // Everything outside rings 0..r-1 is at least (r - 1)·B frame metres away
    // (the query lies somewhere inside its own bucket), hence at least
    // (r - 1)·B·scale true metres: stop once that exceeds the best so far.
    if (r > 0 && (r - 1) * B * scale > Math.sqrt(best2)) break;
    const ry0 = cby - r, ry1 = cby + r, rx0 = cbx - r, rx1 = cbx + r;
    // The rings cover the whole grid: nothing left to visit.
    if (r > 0 && rx0 < 0 && ry0 < 0 && rx1 >= nx && ry1 >= ny) break;
    for (let y = Math.max(0, ry0); y <= Math.min(ny - 1, ry1); y++) {
      if (y === ry0 || y === ry1) {
        for (let x = Math.max(0, rx0); x <= Math.min(nx - 1, rx1); x++) test(y * nx + x);
      } else {
        if (rx0 >= 0 && rx0 < nx) test(y * nx + rx0);
        if (rx1 !== rx0 && rx1 >= 0 && rx1 < nx) test(y * nx + rx1);
      }
    }
  }
  if (bestEdge < 0) return null;
  const len = e.lengthM[bestEdge]!;
  return {
    edge: bestEdge,
    t: bestT,
    // Straight edges: linear in lon/lat is the segment in the (equirectangular) local frame.
    lon: e.x1[bestEdge]! + bestT * (e.x2[bestEdge]! - e.x1[bestEdge]!),
    lat: e.y1[bestEdge]! + bestT * (e.y2[bestEdge]! - e.y1[bestEdge]!),
    offsetM: Math.sqrt(best2),
    toFromM: bestT * len,
    toToM: (1 - bestT) * len,
  };
}
