/**
 * Facilities a planner adds ("what if a kindergarten opened here?") applied
 * to the life-circle cells: each added facility's walking distances along the
 * network (from the network worker, as the nodes within reach) lower the
 * distance of every cell standing on a reached node, and completeness is
 * judged again with the standards' own rule (completeTiers). Cells stand on
 * their nearest node, as in the data build, so an unchanged scenario gives
 * the build's figures back.
 */
import type { TierId } from '../standards/lifeCircle';
import { completeTiers } from '../standards/lifeCircleRules';

export interface AddedFacility {
  type: string;
  lon: number;
  lat: number;
}

/** Nodes within reach of one added facility (see network/protocol.ts Reach). */
export interface FacilityReach {
  snapped: boolean;
  nodes: Int32Array;
  distM: Float32Array;
}

export interface ScenarioCell {
  pop: number;
  district: string;
  distances: Record<string, number | null>;
  c5: boolean;
  c10: boolean;
  c15: boolean;
}

export type TierShares = Record<TierId, number>;

export interface FacilityScenario<C extends ScenarioCell> {
  cells: C[];
  /** Cells whose completeness changed. */
  changed: number;
  /** Added facilities that are too far from any street to count. */
  unplaced: number;
}

/** New cells (only changed ones are copies) with the added facilities' distances taken in. */
export function applyFacilityScenario<C extends ScenarioCell>(cells: C[], cellNode: Int32Array, added: AddedFacility[], reach: FacilityReach[]): FacilityScenario<C> {
  const cellsAt = new Map<number, number[]>();
  cellNode.forEach((node, i) => {
    if (node < 0) return;
    const list = cellsAt.get(node);
    if (list) list.push(i);
    else cellsAt.set(node, [i]);
  });
  const better = new Map<number, Record<string, number | null>>();
  added.forEach((f, k) => {
    const r = reach[k];
    if (!r?.snapped) return;
    for (let j = 0; j < r.nodes.length; j++) {
      const at = cellsAt.get(r.nodes[j]!);
      if (!at) continue;
      const d = Math.round(r.distM[j]!);
      for (const i of at) {
        const cur = better.get(i) ?? cells[i]!.distances;
        const old = cur[f.type];
        if (old === null || old === undefined || d < old) better.set(i, { ...cur, [f.type]: d });
      }
    }
  });
  let changed = 0;
  const out = cells.map((c, i) => {
    const distances = better.get(i);
    if (!distances) return c;
    const { complete } = completeTiers(distances);
    const next = { ...c, distances, c5: complete.includes(5), c10: complete.includes(10), c15: complete.includes(15) };
    if (next.c5 !== c.c5 || next.c10 !== c.c10 || next.c15 !== c.c15) changed++;
    return next;
  });
  return { cells: out, changed, unplaced: reach.filter((r) => !r.snapped).length };
}

/** Share of population in a complete circle, per tier, for the city and per district. */
export function lifeCircleShares(cells: readonly ScenarioCell[]): { city: TierShares; byDistrict: Map<string, TierShares> } {
  const acc = new Map<string, { pop: number; 5: number; 10: number; 15: number }>();
  const city = { pop: 0, 5: 0, 10: 0, 15: 0 };
  for (const c of cells) {
    let a = acc.get(c.district);
    if (!a) acc.set(c.district, (a = { pop: 0, 5: 0, 10: 0, 15: 0 }));
    for (const t of [a, city]) {
      t.pop += c.pop;
      if (c.c5) t[5] += c.pop;
      if (c.c10) t[10] += c.pop;
      if (c.c15) t[15] += c.pop;
    }
  }
  const shares = (a: { pop: number; 5: number; 10: number; 15: number }): TierShares =>
    a.pop > 0 ? { 5: a[5] / a.pop, 10: a[10] / a.pop, 15: a[15] / a.pop } : { 5: 0, 10: 0, 15: 0 };
  const byDistrict = new Map<string, TierShares>();
  for (const [d, a] of acc) byDistrict.set(d, shares(a));
  return { city: shares(city), byDistrict };
}
