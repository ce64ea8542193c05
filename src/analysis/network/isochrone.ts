/**
 * Walking distances from a click over the network, and the life-circle
 * checklist built on them (nearest facility of each type, tiers ticked).
 *
 * The search is a bounded multi-source Dijkstra over the CSR graph of
 * graph.ts. It runs on every click, so the hot path allocates nothing per
 * node: distances live in the caller's Float32Array (reused between clicks),
 * the heap is one flatqueue reused by every search (its arrays keep their
 * capacity after clear()), and nodes beyond the cut-off are never pushed, so
 * the work is proportional to the part of the city within reach, not to the city.
 *
 * Distance convention (same as the precomputed `lifecircle` dataset, see
 * scripts/data/catalog.ts): network metres between the snapped points. The
 * straight-line offsets from the click to the network and from a facility to
 * the network are NOT added. Reasons: the dataset the map colours cells by
 * does not add them either, so a click and the cell under it agree; a
 * facility's point is often the middle of a campus or a park, and its offset
 * measures the POI's placement rather than a walk; and the offsets are kept
 * (Snap.offsetM, PlacedFacilities.offsetM) for the UI to show or add.
 */
import FlatQueue from 'flatqueue';
import { tierDistance, TIERS, typesRequiredFor, FACILITY_TYPES, type TierId } from '../../standards/lifeCircle';
import type { WalkGraph } from './graph';
import { DEFAULT_SNAP_MAX_M, snapPoint, type Snap, type SnapIndex } from './snap';

/** Optional counters of one search (tests and benches check that the cut-off bounds the work). */
export interface SearchStats {
  /** Nodes settled (popped with their final distance). */
  settled: number;
  /** Heap pushes. */
  pushed: number;
}

/**
 * One heap for all searches: searches are synchronous and never nested, and
 * reusing it keeps its backing arrays warm (no growth after the first clicks).
 */
const queue = new FlatQueue<number>();

/**
 * Core of the search on flat source arrays (so distancesFromSnap need not
 * build objects). Distances are kept as float32 values throughout: priorities
 * are rounded with Math.fround before they enter the heap, so a popped
 * priority compares exactly with the stored out[node] (stale heap entries are
 * recognised without a separate "settled" array or a float64 scratch buffer).
 * The rounding error, ≈ 6e-8 relative per edge, is far below a metre.
 */
function search(
  g: WalkGraph,
  srcNode: ArrayLike<number>,
  srcStart: ArrayLike<number>,
  nSrc: number,
  maxM: number,
  out: Float32Array | undefined,
  stats: SearchStats | undefined,
): Float32Array {
  const n = g.nodeCount;
  if (out && out.length !== n) throw new RangeError(`out has length ${out.length}, graph has ${n} nodes`);
  const dist = out ?? new Float32Array(n);
  dist.fill(Infinity);
  const { offsets, targets, weights } = g;
  const limit = Math.fround(maxM);
  let settled = 0, pushed = 0;
  queue.clear();
  for (let s = 0; s < nSrc; s++) {
    const u = srcNode[s]!;
    const d = Math.fround(srcStart[s]!);
    // Sources beyond the cut-off (or bogus) are not reachable within it either.
    if (!(u >= 0 && u < n) || !(d >= 0) || d > limit) continue;
    if (d < dist[u]!) {
      dist[u] = d;
      queue.push(u, d);
      pushed++;
    }
  }
  while (queue.length > 0) {
    const d = queue.peekValue()!;
    const u = queue.pop()!;
    if (d > dist[u]!) continue; // stale: u was reached more cheaply since
    settled++;
    for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
      const nd = Math.fround(d + weights[k]!);
      const v = targets[k]!;
      // Pruning at the cut-off keeps nodes beyond it at Infinity and out of the heap.
      if (nd < dist[v]! && nd <= limit) {
        dist[v] = nd;
        queue.push(v, nd);
        pushed++;
      }
    }
  }
  if (stats) {
    stats.settled = settled;
    stats.pushed = pushed;
  }
  return dist;
}

/** Bounded multi-source Dijkstra: metres from the nearest source to every node, Infinity beyond maxM (nodes never settled). Reuses `out` when given (length nodeCount) to avoid allocation per click. */
export function networkDistances(
  g: WalkGraph,
  sources: { node: number; startM: number }[],
  maxM: number,
  out?: Float32Array,
  stats?: SearchStats,
): Float32Array {
  const nodes = new Int32Array(sources.length);
  const starts = new Float64Array(sources.length);
  sources.forEach((s, i) => {
    nodes[i] = s.node;
    starts[i] = s.startM;
  });
  return search(g, nodes, starts, sources.length, maxM, out, stats);
}

/** Scratch for distancesFromSnap's two sources: no allocation per click. */
const snapNodes = new Int32Array(2);
const snapStarts = new Float64Array(2);

/** From a snapped click: both ends of the snapped edge are sources (startM = toFromM / toToM). */
export function distancesFromSnap(g: WalkGraph, s: Snap, maxM: number, out?: Float32Array, stats?: SearchStats): Float32Array {
  snapNodes[0] = g.edges.fromNode[s.edge]!;
  snapNodes[1] = g.edges.toNode[s.edge]!;
  snapStarts[0] = s.toFromM;
  snapStarts[1] = s.toToM;
  return search(g, snapNodes, snapStarts, 2, maxM, out, stats);
}

/** Facilities placed on the network once (each snapped to its nearest edge, via snapPoint), for checklists. */
export interface PlacedFacilities {
  type: string[];
  id: string[];
  name: string[];
  edge: Int32Array;
  /** metres from the facility's snapped point to the edge's from/to node, plus its offset from the network */
  toFromM: Float32Array;
  toToM: Float32Array;
  offsetM: Float32Array;
}

/**
 * Snaps every facility once (per city), so a click costs one search plus a
 * linear pass over facilities. Facilities farther than maxM (default 250 m)
 * from any edge get edge -1 and Infinity distances: never reachable. The
 * type / id / name arrays are kept by reference, not copied.
 */
export function placeFacilities(
  idx: SnapIndex,
  f: { id: string[]; type: string[]; name: string[]; lon: Float64Array; lat: Float64Array },
  maxM = DEFAULT_SNAP_MAX_M,
): PlacedFacilities {
  const n = f.lon.length;
  const edge = new Int32Array(n).fill(-1);
  const toFromM = new Float32Array(n).fill(Infinity);
  const toToM = new Float32Array(n).fill(Infinity);
  const offsetM = new Float32Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const s = snapPoint(idx, f.lon[i]!, f.lat[i]!, maxM);
    if (!s) continue;
    edge[i] = s.edge;
    toFromM[i] = s.toFromM;
    toToM[i] = s.toToM;
    offsetM[i] = s.offsetM;
  }
  return { type: f.type, id: f.id, name: f.name, edge, toFromM, toToM, offsetM };
}

export type NearestFacility = { distM: number; index: number } | null;

/**
 * For each facility type, the nearest facility by walking distance from the
 * click, or null when none within maxM (inclusive). Distance = network metres
 * between the two snapped points; snap offsets are NOT added (see the module
 * comment). It is the shorter of going out through either end of the
 * facility's edge, and, when click and facility snap to the same edge, the
 * direct walk along it, |t1 − t2| × length.
 *
 * `dist` must come from distancesFromSnap(g, click, ≥ maxM). Keys: every type
 * of the standards (FACILITY_TYPES), plus any other type present in `fac`.
 * Ties go to the lower facility index.
 */
export function nearestFacilities(g: WalkGraph, dist: Float32Array, click: Snap, fac: PlacedFacilities, maxM: number): Map<string, NearestFacility> {
  const { types, code } = typeCodesOf(fac);
  const bestD = new Float64Array(types.length).fill(Infinity);
  const bestI = new Int32Array(types.length).fill(-1);
  const { fromNode, toNode } = g.edges;
  const { edge, toFromM, toToM } = fac;
  for (let i = 0; i < edge.length; i++) {
    const e = edge[i]!;
    if (e < 0) continue;
    let d = Math.min(dist[fromNode[e]!]! + toFromM[i]!, dist[toNode[e]!]! + toToM[i]!);
    // Same edge: toFromM = t × length for both, so the walk between them is their difference.
    if (e === click.edge) d = Math.min(d, Math.abs(toFromM[i]! - click.toFromM));
    const c = code[i]!;
    if (d <= maxM && d < bestD[c]!) {
      bestD[c] = d;
      bestI[c] = i;
    }
  }
  const res = new Map<string, NearestFacility>();
  types.forEach((t, c) => res.set(t, bestI[c]! >= 0 ? { distM: bestD[c]!, index: bestI[c]! } : null));
  return res;
}

/**
 * Per PlacedFacilities, its types as small integer codes (the standards'
 * types first, then any others in order of appearance), computed on the first
 * click: the per-click pass then touches typed arrays only, no string lookups.
 */
const typeCodes = new WeakMap<PlacedFacilities, { types: string[]; code: Int32Array }>();

function typeCodesOf(fac: PlacedFacilities): { types: string[]; code: Int32Array } {
  const cached = typeCodes.get(fac);
  if (cached && cached.code.length === fac.type.length) return cached;
  const types = FACILITY_TYPES.map((t) => t.id);
  const byId = new Map(types.map((t, c) => [t, c]));
  const code = new Int32Array(fac.type.length);
  for (let i = 0; i < code.length; i++) {
    const t = fac.type[i]!;
    let c = byId.get(t);
    if (c === undefined) {
      c = types.length;
      types.push(t);
      byId.set(t, c);
    }
    code[i] = c;
  }
  const r = { types, code };
  typeCodes.set(fac, r);
  return r;
}

export interface ChecklistItem {
  type: string;
  /** Walking distance to the nearest facility of the type; null when none within the search's maxM. */
  distM: number | null;
  /** Facility index in PlacedFacilities, or null. */
  index: number | null;
  /** Within the tier's walking distance. */
  ok: boolean;
}

export interface TierChecklist {
  tier: TierId;
  distanceM: number;
  /** Every required type ticked. */
  complete: boolean;
  items: ChecklistItem[];
}

/**
 * Per tier, a tick per required facility type (the tier's own and the lower
 * tiers', as typesRequiredFor says) when the nearest one is within the tier's
 * walking distance (tierDistance, with optional overrides). Pure; the rules
 * come only from src/standards/lifeCircle.ts. A type missing from `nearest`
 * counts as not reachable. Search with maxM ≥ the largest tier distance, or
 * facilities between maxM and it show as unreachable.
 */
export function checklist(
  nearest: ReadonlyMap<string, NearestFacility>,
  tiers: readonly TierId[] = TIERS.map((t) => t.id),
  overrides?: Partial<Record<TierId, number>>,
): TierChecklist[] {
  return tiers.map((tier) => {
    const distanceM = tierDistance(tier, overrides);
    const items = typesRequiredFor(tier).map((t): ChecklistItem => {
      const hit = nearest.get(t.id) ?? null;
      return { type: t.id, distM: hit ? hit.distM : null, index: hit ? hit.index : null, ok: !!hit && hit.distM <= distanceM };
    });
    return { tier, distanceM, complete: items.every((x) => x.ok), items };
  });
}
