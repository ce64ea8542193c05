/**
 * Life-circle distances: for every populated cell and every facility type,
 * the walking-network distance from the cell's nearest network node to the
 * nearest facility of that type (multi-source Dijkstra per type, cut off at
 * 2,000 m). Null when over 2,000 m, unreachable, or when no network node lies
 * within 750 m of the cell centre. Completeness rules are applied in the app
 * (src/standards/lifeCircle.ts); summarise() applies them here only to report.
 */
import { FACILITY_TYPES, tierDistance, TIERS, typesRequiredFor } from '../../src/standards/lifeCircle.ts';
import type { CityContext } from './context.ts';
import type { Facility } from './facilities.ts';
import { SpatialHash } from './geo.ts';
import type { Network } from './network.ts';
import type { ParquetTable } from './parquet.ts';
import { density } from './population.ts';
import { populationTable } from './populationOut.ts';

export const CUTOFF_M = 2000;
export const SNAP_MAX_M = 750;

/** Binary min-heap of (distance, node) with lazy deletion. */
class MinHeap {
  private d: number[] = [];
  private n: number[] = [];
  get size(): number {
    return this.d.length;
  }
  push(dist: number, node: number): void {
    const d = this.d;
    const n = this.n;
    d.push(dist);
    n.push(node);
    let i = d.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((d[p] as number) <= dist) break;
      d[i] = d[p] as number;
      n[i] = n[p] as number;
      i = p;
    }
    d[i] = dist;
    n[i] = node;
  }
  pop(): [number, number] {
    const d = this.d;
    const n = this.n;
    const top: [number, number] = [d[0] as number, n[0] as number];
    const lastD = d.pop() as number;
    const lastN = n.pop() as number;
    if (d.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= d.length) break;
        const r = l + 1;
        const c = r < d.length && (d[r] as number) < (d[l] as number) ? r : l;
        if ((d[c] as number) >= lastD) break;
        d[i] = d[c] as number;
        n[i] = n[c] as number;
        i = c;
      }
      d[i] = lastD;
      n[i] = lastN;
    }
    return top;
  }
}

/** Multi-source Dijkstra; distances beyond cutoff stay Infinity. */
export function multiSourceDijkstra(net: Pick<Network, 'adjStart' | 'adjNode' | 'adjLen'>, nNodes: number, sources: number[], cutoff = CUTOFF_M): Float64Array {
  const dist = new Float64Array(nNodes).fill(Infinity);
  const heap = new MinHeap();
  for (const s of sources) {
    if (dist[s] !== 0) {
      dist[s] = 0;
      heap.push(0, s);
    }
  }
  while (heap.size) {
    const [d, u] = heap.pop();
    if (d > (dist[u] as number)) continue;
    for (let k = net.adjStart[u] as number; k < (net.adjStart[u + 1] as number); k++) {
      const v = net.adjNode[k] as number;
      const nd = d + (net.adjLen[k] as number);
      if (nd < (dist[v] as number) && nd <= cutoff) {
        dist[v] = nd;
        heap.push(nd, v);
      }
    }
  }
  return dist;
}

export interface LifecircleResult {
  /** Per pop.cells entry: nearest node or -1. */
  cellNode: Int32Array;
  /** type id → distance per pop.cells entry (NaN = null). */
  dist: Record<string, Float32Array>;
}

export function computeLifecircle(ctx: CityContext, net: Network, facilities: Facility[]): LifecircleResult {
  const { pop } = ctx;
  const g = pop.grid;
  const hash = new SpatialHash(250);
  for (let i = 0; i < net.x.length; i++) hash.add(net.x[i] as number, net.y[i] as number);
  const cellNode = new Int32Array(pop.cells.length).fill(-1);
  pop.cells.forEach((c, k) => {
    const [x, y] = ctx.land.frame.toXY(g.centreLon(c % g.nx), g.centreLat(Math.floor(c / g.nx)));
    cellNode[k] = hash.nearest(x, y, SNAP_MAX_M);
  });
  const dist: Record<string, Float32Array> = {};
  for (const t of FACILITY_TYPES) {
    const sources = [...new Set(facilities.filter((f) => f.type === t.id).map((f) => f.node))].sort((a, b) => a - b);
    const dn = multiSourceDijkstra(net, net.x.length, sources);
    const col = new Float32Array(pop.cells.length);
    for (let k = 0; k < pop.cells.length; k++) {
      const node = cellNode[k] as number;
      const d = node >= 0 ? (dn[node] as number) : Infinity;
      col[k] = d <= CUTOFF_M ? Math.round(d) : Number.NaN;
    }
    dist[t.id] = col;
  }
  return { cellNode, dist };
}

export interface TierShares {
  /** Population share with the tier complete, of all residents. */
  all: number;
  /** Of residents in cells with density ≥ 10,000/km² (urban core). */
  core: number;
  /** Of residents in cells with density < 10,000/km² that have a network node. */
  periphery: number;
}

export function summarise(ctx: CityContext, lc: LifecircleResult): Record<number, TierShares> {
  const { pop } = ctx;
  const out: Record<number, TierShares> = {};
  for (const tier of TIERS) {
    const types = typesRequiredFor(tier.id);
    const limit = tierDistance(tier.id);
    let all = 0;
    let allN = 0;
    let core = 0;
    let coreN = 0;
    let per = 0;
    let perN = 0;
    pop.cells.forEach((c, k) => {
      const p = pop.pop[c] as number;
      const ok = types.every((t) => {
        const d = (lc.dist[t.id] as Float32Array)[k] as number;
        return !Number.isNaN(d) && d <= limit;
      });
      allN += p;
      if (ok) all += p;
      if (density(pop, c) >= 10000) {
        coreN += p;
        if (ok) core += p;
      } else if ((lc.cellNode[k] as number) >= 0) {
        perN += p;
        if (ok) per += p;
      }
    });
    out[tier.id] = { all: all / allN, core: coreN ? core / coreN : 0, periphery: perN ? per / perN : 0 };
  }
  return out;
}

export function lifecircleTable(ctx: CityContext, lc: LifecircleResult): ParquetTable {
  const { pop, land, cfg } = ctx;
  return {
    columns: [
      // The same cell columns as the population file, so the two join on cell_id.
      ...populationTable(cfg, land, pop).columns,
      ...FACILITY_TYPES.map((t) => ({
        name: `d_${t.id}`,
        kind: 'FLOAT' as const,
        data: Array.from(lc.dist[t.id] as Float32Array, (v) => (Number.isNaN(v) ? null : v)),
      })),
    ],
  };
}
