/**
 * Click → walking isochrone, as the network worker answers it (snap the click
 * to the nearest street, network distances to 1000 m, the nearest facility of
 * every type, isochrone areas at 300 / 500 / 1000 m), p50 and p95 per part and
 * in total, next to a baseline measured in the same run on the same clicks:
 * the "obvious" Dijkstra over object adjacency lists
 * (`Map<node, {to, w}[]>` + a binary heap of `{node, d}` objects), bounded at
 * 1000 m, from the same snapped sources. The baseline's distances must equal
 * the fast search's on every click (within 1e-3 m: Float32 storage).
 *
 * Networks: each city's walk-network.parquet (sizes printed); none of them
 * reaches 100,000 edges, so the target is timed on a seeded synthetic
 * city-like network (jittered grid with gaps and diagonals, ≈124k edges,
 * around 117°E 36.6°N) with 15,000 seeded facilities over the 17 types, and
 * also, for reference, on the largest real city with its facilities.
 *
 *   npx tsx scripts/bench/isochrone.ts
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { buildGraph, type EdgeArrays, type WalkGraph } from '../../src/analysis/network/graph';
import { distancesFromSnap, nearestFacilities, placeFacilities } from '../../src/analysis/network/isochrone';
import { isochroneAreas } from '../../src/analysis/network/isochroneAreas';
import type { FacilityColumns } from '../../src/analysis/network/protocol';
import { buildSnapIndex, snapPoint, type Snap } from '../../src/analysis/network/snap';
import { FACILITY_TYPES } from '../../src/standards/lifeCircle';
import { seededRandom } from '../../src/analysis/seededRandom';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CITIES = ['shenzhen', 'ningbo', 'jinan', 'qingdao'];
const CLICKS = Number(process.env.BENCH_CLICKS ?? 200);
const WARMUP = 20;
const MAX_M = 1000;
const THRESHOLDS_M = [300, 500, 1000];
const MIN_EDGES = 100_000;
const TOL_M = 1e-3;

interface P { p50: number; p95: number }
export interface IsochroneRun {
  label: string;
  nodes: number;
  edges: number;
  facilityCount: number;
  clicks: number;
  /** Clicks with no street within the snap radius (not timed further). */
  missed: number;
  /** Build once per city: graph + snap index + facilities placed, ms. */
  loadMs: number;
  snap: P;
  search: P;
  facilities: P;
  areas: P;
  total: P;
  /** Nodes reached within 1000 m per click, median. */
  reached: number;
  baseline: { buildMs: number; search: P };
  /** Clicks whose baseline distances differ from the fast ones, and the largest difference (m). */
  mismatches: number;
  maxDiffM: number;
}
export interface IsochroneBench {
  cities: { city: string; nodes: number; edges: number }[];
  runs: IsochroneRun[];
}
export type Result = IsochroneBench;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const stats = (xs: number[]): P => ({ p50: pct(xs, 0.5), p95: pct(xs, 0.95) });

const rng = seededRandom;

const M_PER_DEG_LAT = 111_320;

export async function loadNetwork(city: string): Promise<EdgeArrays> {
  const file = await asyncBufferFromFile(resolve(root, 'data/cities', city, 'walk-network.parquet'));
  const rows = await parquetReadObjects({ file, columns: ['edge_id', 'from_node', 'to_node', 'x1', 'y1', 'x2', 'y2', 'length_m'] });
  const col = (k: string) => Float64Array.from(rows, (r) => Number(r[k]));
  return {
    fromNode: Int32Array.from(rows, (r) => Number(r.from_node)),
    toNode: Int32Array.from(rows, (r) => Number(r.to_node)),
    x1: col('x1'),
    y1: col('y1'),
    x2: col('x2'),
    y2: col('y2'),
    lengthM: col('length_m'),
  };
}

async function loadFacilities(city: string): Promise<FacilityColumns> {
  const file = await asyncBufferFromFile(resolve(root, 'data/cities', city, 'facilities.parquet'));
  const rows = await parquetReadObjects({ file, columns: ['id', 'type', 'name', 'lon', 'lat'] });
  return {
    id: rows.map((r) => String(r.id)),
    type: rows.map((r) => String(r.type)),
    name: rows.map((r) => String(r.name)),
    lon: Float64Array.from(rows, (r) => Number(r.lon)),
    lat: Float64Array.from(rows, (r) => Number(r.lat)),
  };
}

/**
 * A seeded city-like network: an n × n grid (spacing ≈ 90 m) with jittered
 * nodes, ~8 % of the street segments removed (never isolating a node), a
 * diagonal in ~6 % of the blocks, walking lengths 0–8 % over the straight line.
 */
export function syntheticNetwork(n = 256, spacingM = 90, seed = 20250301): EdgeArrays {
  const r = rng(seed);
  const lon0 = 117.0, lat0 = 36.6 - ((n - 1) * spacingM) / 2 / M_PER_DEG_LAT;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((36.6 * Math.PI) / 180);
  const lon = new Float64Array(n * n), lat = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const k = j * n + i;
    lon[k] = lon0 + (i * spacingM + (r() - 0.5) * 0.4 * spacingM) / mPerDegLon;
    lat[k] = lat0 + (j * spacingM + (r() - 0.5) * 0.4 * spacingM) / M_PER_DEG_LAT;
  }
  const degree = new Int32Array(n * n);
  const cand: [number, number][] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const k = j * n + i;
    if (i + 1 < n) cand.push([k, k + 1]);
    if (j + 1 < n) cand.push([k, k + n]);
  }
  for (const [a, b] of cand) (degree[a]!++, degree[b]!++);
  const keep: [number, number][] = [];
  for (const [a, b] of cand) {
    if (r() < 0.08 && degree[a]! > 2 && degree[b]! > 2) {
      degree[a]!--;
      degree[b]!--;
    } else keep.push([a, b]);
  }
  for (let j = 0; j + 1 < n; j++) for (let i = 0; i + 1 < n; i++) {
    if (r() >= 0.06) continue;
    const k = j * n + i;
    keep.push(r() < 0.5 ? [k, k + n + 1] : [k + 1, k + n]);
  }
  const m = keep.length;
  const e: EdgeArrays = {
    fromNode: new Int32Array(m),
    toNode: new Int32Array(m),
    x1: new Float64Array(m),
    y1: new Float64Array(m),
    x2: new Float64Array(m),
    y2: new Float64Array(m),
    lengthM: new Float64Array(m),
  };
  keep.forEach(([a, b], i) => {
    e.fromNode[i] = a;
    e.toNode[i] = b;
    e.x1[i] = lon[a]!;
    e.y1[i] = lat[a]!;
    e.x2[i] = lon[b]!;
    e.y2[i] = lat[b]!;
    const dx = (lon[b]! - lon[a]!) * mPerDegLon, dy = (lat[b]! - lat[a]!) * M_PER_DEG_LAT;
    e.lengthM[i] = Math.hypot(dx, dy) * (1 + r() * 0.08);
  });
  return e;
}

/** ~15,000 facilities over the 17 types, scattered over the network's extent. */
export function syntheticFacilities(e: EdgeArrays, count = 15_000, seed = 7): FacilityColumns {
  const r = rng(seed);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < e.x1.length; i++) {
    x0 = Math.min(x0, e.x1[i]!, e.x2[i]!);
    x1 = Math.max(x1, e.x1[i]!, e.x2[i]!);
    y0 = Math.min(y0, e.y1[i]!, e.y2[i]!);
    y1 = Math.max(y1, e.y1[i]!, e.y2[i]!);
  }
  const f: FacilityColumns = { id: [], type: [], name: [], lon: new Float64Array(count), lat: new Float64Array(count) };
  for (let i = 0; i < count; i++) {
    const t = FACILITY_TYPES[Math.floor(r() * FACILITY_TYPES.length)]!;
    f.id.push(`SY-${t.id}-${i}`);
    f.type.push(t.id);
    f.name.push(`${t.name.en} ${i}`);
    f.lon[i] = x0 + r() * (x1 - x0);
    f.lat[i] = y0 + r() * (y1 - y0);
  }
  return f;
}

/** Click points: midpoints of seeded random edges (so on built-up, walkable parts), offset up to ~15 m. */
function clickPoints(e: EdgeArrays, count: number, seed: number): [number, number][] {
  const r = rng(seed);
  const out: [number, number][] = [];
  const m = e.fromNode.length;
  while (out.length < count) {
    const i = Math.floor(r() * m);
    if (e.fromNode[i] === e.toNode[i] || !(e.lengthM[i]! > 0)) continue;
    const lat = (e.y1[i]! + e.y2[i]!) / 2, lon = (e.x1[i]! + e.x2[i]!) / 2;
    const a = r() * 2 * Math.PI, d = r() * 15;
    out.push([lon + (d * Math.cos(a)) / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)), lat + (d * Math.sin(a)) / M_PER_DEG_LAT]);
  }
  return out;
}

// ---------------------------------------------------------------- baseline

interface Arc { to: number; w: number }
interface Item { node: number; d: number }

/** The obvious adjacency: one object per arc, arrays in a Map keyed by node id. */
export function objectAdjacency(e: EdgeArrays): Map<number, Arc[]> {
  const adj = new Map<number, Arc[]>();
  const add = (a: number, b: number, w: number) => {
    let l = adj.get(a);
    if (!l) adj.set(a, (l = []));
    l.push({ to: b, w });
  };
  for (let i = 0; i < e.fromNode.length; i++) {
    const a = e.fromNode[i]!, b = e.toNode[i]!, w = e.lengthM[i]!;
    if (a === b || !Number.isFinite(w) || w < 0 || a < 0 || b < 0) continue;
    add(a, b, w);
    add(b, a, w);
  }
  return adj;
}

/** A plain array-based binary min-heap of `{node, d}` objects. */
class Heap {
  private a: Item[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: Item): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.d <= x.d) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }
  pop(): Item | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let c = i, cd = last.d;
      if (l < a.length && a[l]!.d < cd) (c = l), (cd = a[l]!.d);
      if (r < a.length && a[r]!.d < cd) c = r;
      if (c === i) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

/** Dijkstra with lazy deletion, bounded at maxM, from several sources with start distances. */
export function baselineDijkstra(adj: Map<number, Arc[]>, sources: { node: number; startM: number }[], maxM: number): Map<number, number> {
  const dist = new Map<number, number>();
  const done = new Set<number>();
  const heap = new Heap();
  for (const s of sources) {
    if (s.startM > maxM || s.startM >= (dist.get(s.node) ?? Infinity)) continue;
    dist.set(s.node, s.startM);
    heap.push({ node: s.node, d: s.startM });
  }
  while (heap.size) {
    const { node, d } = heap.pop()!;
    if (done.has(node)) continue;
    done.add(node);
    for (const { to, w } of adj.get(node) ?? []) {
      const nd = d + w;
      if (nd > maxM || nd >= (dist.get(to) ?? Infinity)) continue;
      dist.set(to, nd);
      heap.push({ node: to, d: nd });
    }
  }
  return dist;
}

/** The sources a snap stands for: the two ends of the snapped edge, at the walk along the edge to each. */
export const snapSources = (g: WalkGraph, s: Snap) => [
  { node: g.edges.fromNode[s.edge]!, startM: s.toFromM },
  { node: g.edges.toNode[s.edge]!, startM: s.toToM },
];

// ---------------------------------------------------------------- bench

async function runNetwork(label: string, edges: EdgeArrays, facilities: FacilityColumns, seed: number): Promise<IsochroneRun> {
  const tl = performance.now();
  const g = buildGraph(edges);
  const idx = buildSnapIndex(g);
  const placed = placeFacilities(idx, facilities);
  const loadMs = performance.now() - tl;
  const out = new Float32Array(g.nodeCount);

  const clicks = clickPoints(edges, CLICKS, seed);
  const warm = clickPoints(edges, WARMUP, seed + 1);
  const snapMs: number[] = [], searchMs: number[] = [], facMs: number[] = [], areaMs: number[] = [], totalMs: number[] = [];
  const snaps: (Snap | null)[] = [];
  const reachedNodes: Int32Array[] = [];
  const reachedDist: Float32Array[] = [];
  let sink = 0;
  // The same work as the network worker does per click (src/analysis/network/worker.ts).
  const click = (lon: number, lat: number, record: boolean) => {
    const t0 = performance.now();
    const snap = snapPoint(idx, lon, lat);
    const t1 = performance.now();
    if (!snap) {
      if (record) snaps.push(null);
      return;
    }
    const dist = distancesFromSnap(g, snap, MAX_M, out);
    const t2 = performance.now();
    const near = nearestFacilities(g, dist, snap, placed, MAX_M);
    const t3 = performance.now();
    const areas = isochroneAreas(g, dist, THRESHOLDS_M, { edge: snap.edge, t: snap.t });
    const t4 = performance.now();
    sink += near.size + areas.length;
    if (!record) return;
    snapMs.push(t1 - t0);
    searchMs.push(t2 - t1);
    facMs.push(t3 - t2);
    areaMs.push(t4 - t3);
    totalMs.push(t4 - t0);
    snaps.push(snap);
    // Keep the reached nodes (outside the timing) to check the baseline against.
    const nodes: number[] = [];
    for (let i = 0; i < dist.length; i++) if (dist[i]! <= MAX_M) nodes.push(i);
    reachedNodes.push(Int32Array.from(nodes));
    reachedDist.push(Float32Array.from(nodes, (i) => dist[i]!));
  };
  for (const [lon, lat] of warm) click(lon, lat, false);
  for (const [lon, lat] of clicks) click(lon, lat, true);

  // Baseline: same clicks, same snapped sources, run after the fast pass so neither's garbage lands in the other's timings.
  const tb = performance.now();
  const adj = objectAdjacency(edges);
  const buildMs = performance.now() - tb;
  const baseMs: number[] = [];
  const warmSnaps = warm.map(([lon, lat]) => snapPoint(idx, lon, lat)).filter((s): s is Snap => s !== null);
  for (const s of warmSnaps) sink += baselineDijkstra(adj, snapSources(g, s), MAX_M).size;
  const results: Map<number, number>[] = [];
  for (const s of snaps) {
    if (!s) continue;
    const sources = snapSources(g, s);
    const t0 = performance.now();
    const d = baselineDijkstra(adj, sources, MAX_M);
    baseMs.push(performance.now() - t0);
    results.push(d);
  }

  let mismatches = 0, maxDiffM = 0;
  results.forEach((base, k) => {
    const nodes = reachedNodes[k]!, fd = reachedDist[k]!;
    let bad = false;
    const seen = new Set<number>();
    for (let j = 0; j < nodes.length; j++) {
      const b = base.get(nodes[j]!);
      seen.add(nodes[j]!);
      // A node right at the bound may fall either side of it after Float32 rounding.
      const diff = b === undefined ? (fd[j]! < MAX_M - TOL_M ? Infinity : 0) : Math.abs(b - fd[j]!);
      if (diff > TOL_M) bad = true;
      if (Number.isFinite(diff)) maxDiffM = Math.max(maxDiffM, diff);
    }
    for (const [node, b] of base) if (!seen.has(node) && b < MAX_M - TOL_M) bad = true;
    if (bad) mismatches++;
  });
  if (sink === Number.MIN_VALUE) console.log(sink);

  const timed = snaps.filter((s) => s !== null).length;
  return {
    label,
    nodes: g.nodeCount,
    edges: edges.fromNode.length,
    facilityCount: facilities.id.length,
    clicks: clicks.length,
    missed: clicks.length - timed,
    loadMs,
    snap: stats(snapMs),
    search: stats(searchMs),
    facilities: stats(facMs),
    areas: stats(areaMs),
    total: stats(totalMs),
    reached: pct(reachedNodes.map((r) => r.length), 0.5),
    baseline: { buildMs, search: stats(baseMs) },
    mismatches,
    maxDiffM,
  };
}

export async function benchIsochrone(): Promise<IsochroneBench> {
  const cities: IsochroneBench['cities'] = [];
  const nets = new Map<string, EdgeArrays>();
  for (const city of CITIES) {
    const e = await loadNetwork(city);
    nets.set(city, e);
    cities.push({ city, nodes: buildGraph(e).nodeCount, edges: e.fromNode.length });
  }
  const largest = [...cities].sort((a, b) => b.edges - a.edges)[0]!;
  const runs: IsochroneRun[] = [];
  runs.push(await runNetwork(`real ${largest.city}`, nets.get(largest.city)!, await loadFacilities(largest.city), 1));
  if (largest.edges < MIN_EDGES) {
    const e = syntheticNetwork();
    runs.push(await runNetwork('synthetic', e, syntheticFacilities(e), 2));
  }
  return { cities, runs };
}

export function printIsochrone(r: IsochroneBench): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const f = (x: number) => x.toFixed(x < 1 ? 3 : 2);
  const pp = (name: string, x: P) => `${name} p50 ${f(x.p50)} p95 ${f(x.p95)}`;
  console.log(`\nWalking networks (walk-network.parquet): ${r.cities.map((c) => `${c.city} ${n(c.edges)} edges / ${n(c.nodes)} nodes`).join(', ')}`);
  // The ≥ 100k-edge network (the target) first, the real city after it.
  for (const x of [...r.runs].sort((a, b) => b.edges - a.edges)) {
    const big = x.edges >= MIN_EDGES;
    const ok = x.clicks - x.missed;
    console.log(
      `Walking isochrone, click → areas (${x.label} ${n(x.edges)} edges / ${n(x.nodes)} nodes, ${n(x.facilityCount)} facilities; ${x.clicks} clicks after ${WARMUP} warm-up${x.missed ? `, ${x.missed} off-network` : ''}; median ${n(x.reached)} nodes within ${MAX_M} m)`,
    );
    console.log(
      `  ${pp('snap', x.snap)}   ${pp('search', x.search)}   ${pp('facilities', x.facilities)}   ${pp('areas', x.areas)}   ${pp('total', x.total)} ms   ` +
        (big ? `target p95 ≤ 100 ms: ${x.total.p95 <= 100 ? 'met' : 'MISSED'}` : `(< ${n(MIN_EDGES)} edges: for reference)`),
    );
    console.log(
      `  baseline Dijkstra (object adjacency, same clicks) ${pp('search', x.baseline.search)} ms   ratio p95 ${(x.baseline.search.p95 / x.search.p95).toFixed(1)}× (baseline / fast)` +
        (x.mismatches ? '' : `   distances agree on ${ok}/${ok} clicks (max |Δ| ${x.maxDiffM.toExponential(1)} m)`),
    );
    if (x.mismatches) console.log(`  !! baseline distances DIFFER from the fast search on ${x.mismatches}/${ok} clicks (max |Δ| ${x.maxDiffM.toFixed(4)} m, tolerance ${TOL_M} m)`);
    console.log(`  one-off per network: graph + snap index + facilities placed ${x.loadMs.toFixed(0)} ms; baseline object adjacency ${x.baseline.buildMs.toFixed(0)} ms`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) printIsochrone(await benchIsochrone());
