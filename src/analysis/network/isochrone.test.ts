import { describe, expect, it } from 'vitest';
import { FACILITY_TYPES, tierDistance, TIERS, typesRequiredFor, type TierId } from '../../standards/lifeCircle';
import { buildGraph, type EdgeArrays, type WalkGraph } from './graph';
import {
  checklist,
  distancesFromSnap,
  nearestFacilities,
  networkDistances,
  placeFacilities,
  type NearestFacility,
  type SearchStats,
} from './isochrone';
import { buildSnapIndex, snapPoint } from './snap';
import { ll, net, rng, type XY } from './testNetworks';



/** nx × ny grid of nodes `step` m apart from (ox, oy); node ids base + y·nx + x. */
function grid(nx: number, ny: number, step: number, ox = 0, oy = 0, base = 0) {
  const nodes: XY[] = [];
  const edges: [number, number][] = [];
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) nodes.push([ox + x * step, oy + y * step]);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const id = base + y * nx + x;
      if (x + 1 < nx) edges.push([id, id + 1]);
      if (y + 1 < ny) edges.push([id, id + nx]);
    }
  return { nodes, edges };
}


const facilitiesAt = (fs: { type: string; x: number; y: number; id?: string }[]) => ({
  id: fs.map((f, i) => f.id ?? `f${i}`),
  type: fs.map((f) => f.type),
  name: fs.map((f, i) => `name ${i}`),
  lon: Float64Array.from(fs.map((f) => ll(f.x, f.y)[0])),
  lat: Float64Array.from(fs.map((f) => ll(f.x, f.y)[1])),
});

describe('networkDistances: hand-computed networks', () => {
  it('4 × 4 grid (100 m) with a diagonal shortcut 0 → 5: exact shortest paths', () => {
    const { nodes, edges } = grid(4, 4, 100);
    const diag = Math.SQRT2 * 100;
    const g = buildGraph(net(nodes, [...edges, [0, 5]]));
    const d = networkDistances(g, [{ node: 0, startM: 0 }], 10_000);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) {
        // Via the shortcut when both x, y ≥ 1 (it saves 200 − 141.4 m), else along the grid.
        const want = x >= 1 && y >= 1 ? diag + 100 * (x - 1 + y - 1) : 100 * (x + y);
        expect(d[y * 4 + x]).toBeCloseTo(want, 3);
      }
    // From the far corner the shortcut still helps to reach node 0.
    const back = networkDistances(g, [{ node: 15, startM: 0 }], 10_000);
    expect(back[0]).toBeCloseTo(400 + diag, 3);
    expect(back[4]).toBeCloseTo(500, 3); // (0,1): 500 either way
  });

  it('a river with a single bridge: across is far by network though near in a straight line', () => {
    // West bank x = 0..200, east bank x = 300..500, y = 0..400; the only bridge at y = 400.
    const w = grid(3, 5, 100, 0, 0, 0);
    const e = grid(3, 5, 100, 300, 0, 15);
    const westRiverbank = (y: number) => y * 3 + 2; // x = 200
    const eastRiverbank = (y: number) => 15 + y * 3; // x = 300
    const g = buildGraph(net([...w.nodes, ...e.nodes], [...w.edges, ...e.edges, [westRiverbank(4), eastRiverbank(4)]]));
    const d = networkDistances(g, [{ node: westRiverbank(0), startM: 0 }], 5000);
    // 100 m apart in a straight line; 400 up + 100 over the bridge + 400 down on foot.
    expect(d[eastRiverbank(0)]).toBeCloseTo(900, 3);
    expect(d[eastRiverbank(4)]).toBeCloseTo(500, 3);
    expect(d[15 + 0 * 3 + 2]).toBeCloseTo(1100, 3); // east bank (500, 0)
    // With a 15-minute reach (1000 m) the far east corner is out, the near bank in.
    const tier15 = networkDistances(g, [{ node: westRiverbank(0), startM: 0 }], tierDistance(15));
    expect(tier15[eastRiverbank(0)]).toBeCloseTo(900, 3);
    expect(tier15[15 + 2]).toBe(Infinity);

    // A click on the west bank and a facility just across: 115 m straight, ≈ 950 m walking.
    const idx = buildSnapIndex(g);
    const click = snapPoint(idx, ...ll(195, 50))!;
    expect(click.offsetM).toBeCloseTo(5, 2);
    const fac = placeFacilities(idx, facilitiesAt([{ type: 'market', x: 305, y: 50 }]));
    const dist = distancesFromSnap(g, click, 2000);
    const near = nearestFacilities(g, dist, click, fac, 2000);
    expect(near.get('market')!.distM).toBeCloseTo(350 + 100 + 350, 2);
    // Within a 10-minute walk (500 m) it is not reachable at all.
    const d10 = distancesFromSnap(g, click, tierDistance(10));
    expect(nearestFacilities(g, d10, click, fac, tierDistance(10)).get('market')).toBeNull();
  });

  it('islands: a node with no edges and an isolated edge are unreachable from the mainland', () => {
    const { nodes, edges } = grid(3, 3, 100);
    // Node 9 is named by no edge (a hole in the ids); nodes 10–11 form an island edge.
    const all: XY[] = [...nodes, [5000, 5000], [1000, 1000], [1060, 1000]];
    const g = buildGraph(net(all, [...edges, [10, 11]]));
    expect(g.nodeCount).toBe(12);
    const d = networkDistances(g, [{ node: 4, startM: 0 }], 1e9);
    for (let i = 0; i < 9; i++) expect(Number.isFinite(d[i]!)).toBe(true);
    expect(d[9]).toBe(Infinity);
    expect(d[10]).toBe(Infinity);
    expect(d[11]).toBe(Infinity);
    // A click on the island's edge reaches only the island.
    const idx = buildSnapIndex(g);
    const click = snapPoint(idx, ...ll(1015, 1008))!;
    expect(click.edge).toBe(edges.length);
    const di = distancesFromSnap(g, click, 1e9);
    expect(di[10]).toBeCloseTo(15, 3);
    expect(di[11]).toBeCloseTo(45, 3);
    expect([...di].filter(Number.isFinite).length).toBe(2);
    // A node with no edges as a source reaches only itself.
    const lone = networkDistances(g, [{ node: 9, startM: 0 }], 1e9);
    expect(lone[9]).toBe(0);
    expect([...lone].filter(Number.isFinite).length).toBe(1);
  });

  it('maxM bounds the search: nodes beyond are Infinity and never settled', () => {
    // A 2000-node path, 10 m edges.
    const n = 2000;
    const nodes: XY[] = Array.from({ length: n }, (_, i) => [i * 10, 0]);
    const g = buildGraph(net(nodes, Array.from({ length: n - 1 }, (_, i): [number, number] => [i, i + 1])));
    const stats: SearchStats = { settled: 0, pushed: 0 };
    const d = networkDistances(g, [{ node: 0, startM: 0 }], 95, undefined, stats);
    expect([...d.subarray(0, 10)]).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(d.subarray(10).every((v) => v === Infinity)).toBe(true);
    expect(stats.settled).toBe(10);
    expect(stats.pushed).toBe(10);
    // The cut-off is inclusive.
    const d90 = networkDistances(g, [{ node: 0, startM: 0 }], 90, undefined, stats);
    expect(d90[9]).toBe(90);
    expect(d90[10]).toBe(Infinity);
    // From the middle: 2 × 10 + 1 nodes.
    networkDistances(g, [{ node: 1000, startM: 0 }], 100, undefined, stats);
    expect(stats.settled).toBe(21);
    // A start beyond the cut-off reaches nothing.
    const none = networkDistances(g, [{ node: 0, startM: 120 }], 100, undefined, stats);
    expect(none.every((v) => v === Infinity)).toBe(true);
    expect(stats.settled).toBe(0);
  });

  it('multi-source: the minimum over sources, with their start metres', () => {
    const nodes: XY[] = Array.from({ length: 11 }, (_, i) => [i * 100, 0]);
    const g = buildGraph(net(nodes, Array.from({ length: 10 }, (_, i): [number, number] => [i, i + 1])));
    const d = networkDistances(
      g,
      [
        { node: 0, startM: 0 },
        { node: 10, startM: 250 },
        { node: 10, startM: 300 }, // duplicate source, worse start: ignored
        { node: 5, startM: 5000 }, // beyond the cut-off: ignored
      ],
      2000,
    );
    // Node i: min(100 i, 250 + 100 (10 − i)).
    for (let i = 0; i <= 10; i++) expect(d[i]).toBeCloseTo(Math.min(100 * i, 250 + 100 * (10 - i)), 4);
    // Each source alone, and the minimum of both.
    const a = networkDistances(g, [{ node: 0, startM: 0 }], 2000);
    const b = networkDistances(g, [{ node: 10, startM: 250 }], 2000);
    for (let i = 0; i <= 10; i++) expect(d[i]).toBe(Math.min(a[i]!, b[i]!));
    expect(networkDistances(g, [], 2000).every((v) => v === Infinity)).toBe(true);
  });

  it('reuses `out`: same buffer, earlier results cleared; wrong length rejected', () => {
    const nodes: XY[] = Array.from({ length: 6 }, (_, i) => [i * 100, 0]);
    const g = buildGraph(net(nodes, Array.from({ length: 5 }, (_, i): [number, number] => [i, i + 1])));
    const out = new Float32Array(g.nodeCount);
    const r1 = networkDistances(g, [{ node: 0, startM: 0 }], 1000, out);
    expect(r1).toBe(out);
    expect(out[5]).toBe(500);
    const r2 = networkDistances(g, [{ node: 5, startM: 0 }], 150, out);
    expect(r2).toBe(out);
    expect([...out]).toEqual([Infinity, Infinity, Infinity, Infinity, 100, 0]);
    expect(() => networkDistances(g, [{ node: 0, startM: 0 }], 100, new Float32Array(3))).toThrow(RangeError);
  });
});

describe('networkDistances vs brute force (Floyd–Warshall) on random graphs', () => {
  /** All-pairs shortest paths in float64, from the graph's own (float32) weights. */
  function floyd(g: WalkGraph): Float64Array {
    const n = g.nodeCount;
    const D = new Float64Array(n * n).fill(Infinity);
    for (let i = 0; i < n; i++) D[i * n + i] = 0;
    for (let u = 0; u < n; u++)
      for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) {
        const v = g.targets[k]!;
        D[u * n + v] = Math.min(D[u * n + v]!, g.weights[k]!);
      }
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++) {
        const dik = D[i * n + k]!;
        if (dik === Infinity) continue;
        for (let j = 0; j < n; j++) if (dik + D[k * n + j]! < D[i * n + j]!) D[i * n + j] = dik + D[k * n + j]!;
      }
    return D;
  }

  function randomGraph(rand: () => number, integerLengths: boolean) {
    const n = 5 + Math.floor(rand() * 45);
    const nodes: XY[] = Array.from({ length: n }, () => [rand() * 1000, rand() * 1000]);
    const m = Math.floor(rand() * n * 2);
    const edges: [number, number, number][] = [];
    for (let i = 0; i < m; i++) {
      const a = Math.floor(rand() * n);
      const b = Math.floor(rand() * n); // self-loops are kept: buildGraph must skip them
      const len = integerLengths ? 1 + Math.floor(rand() * 300) : rand() * 300;
      edges.push([a, b, len]);
      if (rand() < 0.1) edges.push([b, a, len * 0.5]); // parallel edges
    }
    edges.push([n - 1, 0, 1]); // so node ids reach n - 1
    return buildGraph(net(nodes, edges));
  }

  for (const integerLengths of [true, false]) {
    it(`equals min over sources of all-pairs distances (${integerLengths ? 'integer' : 'fractional'} lengths, 200 graphs)`, () => {
      const rand = rng(integerLengths ? 42 : 4242);
      const out = new Float32Array(64);
      for (let round = 0; round < 200; round++) {
        const g = randomGraph(rand, integerLengths);
        const n = g.nodeCount;
        const D = floyd(g);
        const k = 1 + Math.floor(rand() * 3);
        const sources = Array.from({ length: k }, () => ({
          node: Math.floor(rand() * n),
          startM: integerLengths ? Math.floor(rand() * 100) : rand() * 100,
        }));
        const maxM = rand() < 0.3 ? Infinity : 50 + rand() * 800;
        const got = networkDistances(g, sources, maxM, out.length === n ? out : undefined);
        for (let v = 0; v < n; v++) {
          let want = Infinity;
          for (const s of sources) want = Math.min(want, s.startM + D[s.node * n + v]!);
          if (want > maxM) want = Infinity;
          if (integerLengths || want === Infinity) expect(got[v]).toBe(want);
          else expect(Math.abs(got[v]! - want)).toBeLessThan(1e-3);
        }
      }
    });
  }
});

describe('facilities on the network', () => {
  // One street of 10 × 100 m edges along y = 0.
  const nodes: XY[] = Array.from({ length: 11 }, (_, i) => [i * 100, 0]);
  const g = buildGraph(net(nodes, Array.from({ length: 10 }, (_, i): [number, number] => [i, i + 1])));
  const idx = buildSnapIndex(g);

  it('places facilities once: edge, network metres to both ends, offset; too far → edge −1', () => {
    const fac = placeFacilities(idx, facilitiesAt([{ type: 'market', x: 230, y: 40 }, { type: 'market', x: 500, y: 400 }]));
    expect(fac.edge[0]).toBe(2);
    expect(fac.toFromM[0]).toBeCloseTo(30, 2);
    expect(fac.toToM[0]).toBeCloseTo(70, 2);
    expect(fac.offsetM[0]).toBeCloseTo(40, 2);
    expect(fac.edge[1]).toBe(-1);
    expect(fac.toFromM[1]).toBe(Infinity);
    // maxM is the caller's: 400 m reaches it.
    expect(placeFacilities(idx, facilitiesAt([{ type: 'market', x: 500, y: 400 }]), 401).edge[0]).toBe(4);
  });

  it('a facility too far from the network is never reachable, whatever maxM', () => {
    const fac = placeFacilities(idx, facilitiesAt([{ type: 'bus_stop', x: 300, y: 260 }]));
    const click = snapPoint(idx, ...ll(300, 10))!;
    const near = nearestFacilities(g, distancesFromSnap(g, click, 1e9), click, fac, 1e9);
    expect(near.get('bus_stop')).toBeNull();
  });

  it('click and facility on the same edge: direct walk along it, |t1 − t2| × length', () => {
    // Edge 5 runs 500 → 600 m; click at t = 0.2, facility at t = 0.7.
    const click = snapPoint(idx, ...ll(520, -10))!;
    const fac = placeFacilities(idx, facilitiesAt([{ type: 'kindergarten', x: 570, y: 15 }]));
    expect(click.edge).toBe(5);
    expect(fac.edge[0]).toBe(5);
    const dist = distancesFromSnap(g, click, 1000);
    const near = nearestFacilities(g, dist, click, fac, 1000);
    // Through the nodes it would be 20 + 70 = 90 m (or 80 + 30 = 110 m).
    expect(near.get('kindergarten')!.distM).toBeCloseTo(50, 2);
    expect(near.get('kindergarten')!.index).toBe(0);
    // Same spot: 0 m.
    const same = placeFacilities(idx, facilitiesAt([{ type: 'kindergarten', x: 520, y: 30 }]));
    expect(nearestFacilities(g, dist, click, same, 1000).get('kindergarten')!.distM).toBeCloseTo(0, 2);
  });

  it('nearest per type by network distance; snap offsets not added; null beyond maxM', () => {
    const click = snapPoint(idx, ...ll(250, 60))!; // 60 m off the street
    const fac = placeFacilities(
      idx,
      facilitiesAt([
        { type: 'market', x: 900, y: 5 }, // 650 m
        { type: 'market', x: 100, y: -80 }, // 150 m, 80 m off the street
        { type: 'bus_stop', x: 1000, y: 0 }, // 750 m
        { type: 'unlisted_type', x: 260, y: 0 }, // 10 m
      ]),
    );
    const dist = distancesFromSnap(g, click, 700);
    const near = nearestFacilities(g, dist, click, fac, 700);
    expect(near.get('market')!.index).toBe(1);
    expect(near.get('market')!.distM).toBeCloseTo(150, 2); // not 150 + 60 + 80
    expect(near.get('bus_stop')).toBeNull(); // 750 > 700
    expect(near.get('unlisted_type')!.distM).toBeCloseTo(10, 2);
    // Every type of the standards has an entry.
    for (const t of FACILITY_TYPES) expect(near.has(t.id)).toBe(true);
    expect(near.get('primary_school')).toBeNull();
  });
});

describe('checklist', () => {
  const all = (d: number) => new Map<string, NearestFacility>(FACILITY_TYPES.map((t, i) => [t.id, { distM: d, index: i }]));
  const ids = TIERS.map((t) => t.id);

  it('ticks each required type per tier from the standards module', () => {
    const near = all(tierDistance(5) - 1);
    const c = checklist(near, ids);
    expect(c.map((x) => x.tier)).toEqual(ids);
    for (const row of c) {
      expect(row.distanceM).toBe(tierDistance(row.tier));
      expect(row.items.map((x) => x.type)).toEqual(typesRequiredFor(row.tier).map((t) => t.id));
      expect(row.complete).toBe(true);
    }
  });

  it('a lower-tier type only reachable beyond its tier breaks that tier, not the higher ones', () => {
    const near = all(0);
    const t5 = typesRequiredFor(5)[0]!.id;
    const between = (tierDistance(5) + tierDistance(10)) / 2;
    near.set(t5, { distM: between, index: 99 });
    const c = checklist(near);
    const by = (t: TierId) => c.find((x) => x.tier === t)!;
    expect(by(5).complete).toBe(false);
    expect(by(5).items.find((x) => x.type === t5)).toEqual({ type: t5, distM: between, index: 99, ok: false });
    expect(by(10).complete).toBe(true);
    expect(by(15).complete).toBe(true);
  });

  it('a missing or null type is not ticked; overrides change the distances', () => {
    const near = all(0);
    const t15 = typesRequiredFor(15).find((t) => t.tier === 15)!.id;
    near.set(t15, null);
    const c = checklist(near, [15]);
    expect(c).toHaveLength(1);
    expect(c[0]!.complete).toBe(false);
    expect(c[0]!.items.find((x) => x.type === t15)).toEqual({ type: t15, distM: null, index: null, ok: false });
    expect(checklist(new Map(), [5])[0]!.items.every((x) => !x.ok)).toBe(true);
    // Everything at 350 m: the 5-minute tier passes only with a longer override.
    expect(checklist(all(350), [5])[0]!.complete).toBe(350 <= tierDistance(5));
    expect(checklist(all(350), [5], { 5: 400 })[0]!.complete).toBe(true);
    expect(checklist(all(350), [5], { 5: 400 })[0]!.distanceM).toBe(400);
  });
});
