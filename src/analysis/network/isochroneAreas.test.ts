import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf';
import { buildGraph, type WalkGraph } from './graph';
import { isochroneAreas, type IsochroneArea } from './isochroneAreas';
import { net } from './testNetworks';

// A local metric frame around 117°E 36.6°N (Jinan).
const LON0 = 117;
const LAT0 = 36.6;
const R = 6371008.8;
const KX = R * Math.cos((LAT0 * Math.PI) / 180) * (Math.PI / 180);
const KY = R * (Math.PI / 180);
const lonOf = (x: number) => LON0 + x / KX;
const latOf = (y: number) => LAT0 + y / KY;

/** Graph from nodes in local metres and edges [from, to, walking length? (default: straight)]. */
const graphOf = (nodes: [number, number][], edges: [number, number, number?][]): WalkGraph => buildGraph(net(nodes, edges));

/** Reference Dijkstra (O(n²)); `start` = click on an edge at fraction t, else `sources` node → metres. */
function dijkstra(g: WalkGraph, start: { edge: number; t: number } | null, sources: [number, number][] = []): Float32Array {
  const n = g.nodeCount;
  const d = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  if (start) {
    const L = g.edges.lengthM[start.edge]!;
    const a = g.edges.fromNode[start.edge]!, b = g.edges.toNode[start.edge]!;
    d[a] = Math.min(d[a]!, start.t * L);
    d[b] = Math.min(d[b]!, (1 - start.t) * L);
  }
  for (const [v, x] of sources) d[v] = Math.min(d[v]!, x);
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && d[i]! < Infinity && (u < 0 || d[i]! < d[u]!)) u = i;
    if (u < 0) break;
    done[u] = 1;
    for (let j = g.offsets[u]!; j < g.offsets[u + 1]!; j++) {
      const v = g.targets[j]!, nd = d[u]! + g.weights[j]!;
      if (nd < d[v]!) d[v] = nd;
    }
  }
  return Float32Array.from(d);
}

function inside(area: IsochroneArea, x: number, y: number): boolean {
  if (area.polygons.length === 0) return false;
  return booleanPointInPolygon(point([lonOf(x), latOf(y)]), multiPolygon(area.polygons));
}

function expectWellFormed(areas: IsochroneArea[]) {
  for (const a of areas) {
    for (const poly of a.polygons) {
      expect(poly.length).toBeGreaterThan(0);
      for (const ring of poly) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const p of ring) {
          expect(p.length).toBe(2);
          expect(Number.isFinite(p[0]) && Number.isFinite(p[1])).toBe(true);
        }
      }
    }
  }
}

/** A straight east–west street of `n` 100 m edges starting at x = 0. */
function straightStreet(n: number, dirX = 1, dirY = 0): WalkGraph {
  const nodes: [number, number][] = [];
  const edges: [number, number][] = [];
  for (let i = 0; i <= n; i++) nodes.push([i * 100 * dirX, i * 100 * dirY]);
  for (let i = 0; i < n; i++) edges.push([i, i + 1]);
  return graphOf(nodes, edges);
}

/** A square grid of streets, `k` × `k` nodes, `step` m apart, origin at the centre. */
function gridNetwork(k: number, step: number): WalkGraph {
  const nodes: [number, number][] = [];
  const edges: [number, number][] = [];
  const c = ((k - 1) * step) / 2;
  for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) nodes.push([i * step - c, j * step - c]);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      const v = j * k + i;
      if (i + 1 < k) edges.push([v, v + 1]);
      if (j + 1 < k) edges.push([v, v + k]);
    }
  }
  return graphOf(nodes, edges);
}

describe('isochroneAreas', () => {
  it('a straight 2 km street from a click at one end: band of reachM, ends at the threshold', () => {
    const g = straightStreet(20);
    const start = { edge: 0, t: 0 };
    const dist = dijkstra(g, start);
    const [a300] = isochroneAreas(g, dist, [300], start);
    expect(a300!.thresholdM).toBe(300);
    expect(a300!.polygons.length).toBe(1);
    expect(inside(a300!, 250, 40)).toBe(true);
    expect(inside(a300!, 250, -40)).toBe(true);
    expect(inside(a300!, 290, 0)).toBe(true);
    expect(inside(a300!, 0, 0)).toBe(true);
    expect(inside(a300!, 400, 0)).toBe(false);
    expect(inside(a300!, 320, 0)).toBe(false);
    expect(inside(a300!, 250, 100)).toBe(false);
    expect(inside(a300!, 250, -100)).toBe(false);
    // The band's half-width is reachM (60 m) to a few metres.
    expect(inside(a300!, 150, 55)).toBe(true);
    expect(inside(a300!, 150, 65)).toBe(false);
    expectWellFormed([a300!]);
  });

  it('the band is exact for a diagonal street at any grid alignment', () => {
    for (const [dx, dy] of [[Math.SQRT1_2, Math.SQRT1_2], [0.6, -0.8], [-0.28, 0.96]] as const) {
      const g = straightStreet(20, dx, dy);
      const dist = dijkstra(g, null, [[0, 0]]);
      const [a] = isochroneAreas(g, dist, [500]);
      // 200 m along, 55 m / 65 m either side (normal = (-dy, dx)).
      for (const side of [1, -1]) {
        expect(inside(a!, 200 * dx - side * 55 * dy, 200 * dy + side * 55 * dx)).toBe(true);
        expect(inside(a!, 200 * dx - side * 65 * dy, 200 * dy + side * 65 * dx)).toBe(false);
      }
      expect(inside(a!, 480 * dx, 480 * dy)).toBe(true);
      expect(inside(a!, 520 * dx, 520 * dy)).toBe(false);
    }
  });

  it('thresholds are nested and come back in the order asked', () => {
    const g = gridNetwork(31, 100);
    const centre = 15 * 31 + 15;
    const dist = dijkstra(g, null, [[centre, 0]]);
    const areas = isochroneAreas(g, dist, [1000, 300, 500]);
    expect(areas.map((a) => a.thresholdM)).toEqual([1000, 300, 500]);
    const [a1000, a300, a500] = areas as [IsochroneArea, IsochroneArea, IsochroneArea];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let in300 = 0, in500 = 0, in1000 = 0;
    for (let i = 0; i < 3000; i++) {
      const x = (rand() - 0.5) * 2400, y = (rand() - 0.5) * 2400;
      const i3 = inside(a300, x, y), i5 = inside(a500, x, y), i10 = inside(a1000, x, y);
      if (i3) expect(i5).toBe(true);
      if (i5) expect(i10).toBe(true);
      in300 += +i3;
      in500 += +i5;
      in1000 += +i10;
    }
    expect(in300).toBeGreaterThan(0);
    expect(in500).toBeGreaterThan(in300);
    expect(in1000).toBeGreaterThan(in500);
    // Grid blocks of 100 m with a 60 m frontage: the inner blocks are filled.
    expect(inside(a300, 50, 50)).toBe(true);
    // Manhattan reach: 250 m along an axis is in, the diagonal corner (300, 300) is 600 m away.
    expect(inside(a300, 250, 0)).toBe(true);
    expect(inside(a300, 300, 300)).toBe(false);
    expect(inside(a1000, 500, 400)).toBe(true);
    expectWellFormed(areas);
  });

  it('a river with a single bridge: the opposite bank near the click is outside', () => {
    // South bank street y = 0, north bank street y = 200, from x = -1000 to 1000; one bridge at x = 1000.
    const nodes: [number, number][] = [];
    const edges: [number, number][] = [];
    for (let i = 0; i <= 20; i++) nodes.push([-1000 + i * 100, 0]);
    for (let i = 0; i <= 20; i++) nodes.push([-1000 + i * 100, 200]);
    for (let i = 0; i < 20; i++) {
      edges.push([i, i + 1]);
      edges.push([21 + i, 22 + i]);
    }
    edges.push([20, 41]); // the bridge
    const g = graphOf(nodes, edges);
    // Edges alternate south / north (south edge i is index 2i): the click is at the start of south edge 10, x = 0.
    const start = { edge: 2 * 10, t: 0 };
    const dist = dijkstra(g, start);
    const [a500] = isochroneAreas(g, dist, [500], start);
    expect(inside(a500!, 0, 0)).toBe(true);
    expect(inside(a500!, 300, 30)).toBe(true);
    expect(inside(a500!, -300, 30)).toBe(true);
    // Across the river, 200 m straight, 2200 m on foot.
    expect(inside(a500!, 0, 200)).toBe(false);
    expect(inside(a500!, 0, 170)).toBe(false);
    expect(inside(a500!, 100, 200)).toBe(false);
    expectWellFormed([a500!]);
  });

  it('a partially reached 1 km edge stops at the threshold', () => {
    const g = graphOf([[0, 0], [1000, 0]], [[0, 1]]);
    // Reached from its from-node only.
    const fromEnd = dijkstra(g, null, [[0, 0]]);
    const [a] = isochroneAreas(g, fromEnd, [300], null);
    expect(inside(a!, 280, 0)).toBe(true);
    expect(inside(a!, 280, 15)).toBe(true);
    expect(inside(a!, 320, 0)).toBe(false);
    expect(inside(a!, 600, 0)).toBe(false);
    expect(inside(a!, 1000, 0)).toBe(false);

    // Clicked in the middle: both ends are 500 m away, the click reaches 300 m either way.
    const start = { edge: 0, t: 0.5 };
    const mid = dijkstra(g, start);
    const [b] = isochroneAreas(g, mid, [300], start);
    expect(inside(b!, 500, 0)).toBe(true);
    expect(inside(b!, 220, 0)).toBe(true);
    expect(inside(b!, 780, 0)).toBe(true);
    expect(inside(b!, 180, 0)).toBe(false);
    expect(inside(b!, 820, 0)).toBe(false);
    expect(inside(b!, 0, 0)).toBe(false);

    // A winding street: 1500 m walked over 1000 m straight; 300 m of walking covers 200 m of map.
    const w = graphOf([[0, 0], [1000, 0]], [[0, 1, 1500]]);
    const [c] = isochroneAreas(w, dijkstra(w, null, [[0, 0]]), [300]);
    expect(inside(c!, 180, 0)).toBe(true);
    expect(inside(c!, 220, 0)).toBe(false);
    expectWellFormed([a!, b!, c!]);
  });

  it('an unreached graph gives empty polygons without throwing', () => {
    const g = gridNetwork(5, 100);
    const dist = new Float32Array(g.nodeCount).fill(Infinity);
    const areas = isochroneAreas(g, dist, [300, 500]);
    expect(areas).toEqual([
      { thresholdM: 300, polygons: [] },
      { thresholdM: 500, polygons: [] },
    ]);
    expect(isochroneAreas(g, dist, [])).toEqual([]);
    expect(isochroneAreas(g, dist, [NaN, -5, 0]).every((a) => a.polygons.length === 0)).toBe(true);
    // Reached, but everything beyond the threshold.
    const far = new Float32Array(g.nodeCount).fill(5000);
    expect(isochroneAreas(g, far, [300]).every((a) => a.polygons.length === 0)).toBe(true);
  });

  it('rings are closed, finite and wound per RFC 7946; a hole appears inside a ring road', () => {
    // A 1.2 km square ring road with the click on it: with a big threshold the interior is a hole.
    const s = 1200;
    const nodes: [number, number][] = [];
    const edges: [number, number][] = [];
    const per = 12;
    for (let i = 0; i < 4 * per; i++) {
      const side = Math.floor(i / per), f = ((i % per) / per) * s;
      const p: [number, number] = side === 0 ? [f, 0] : side === 1 ? [s, f] : side === 2 ? [s - f, s] : [0, s - f];
      nodes.push(p);
      edges.push([i, (i + 1) % (4 * per)]);
    }
    const g = graphOf(nodes, edges);
    const start = { edge: 0, t: 0.25 };
    const areas = isochroneAreas(g, dijkstra(g, start), [500, 3000], start);
    expectWellFormed(areas);
    const big = areas[1]!;
    expect(big.polygons.length).toBe(1);
    expect(big.polygons[0]!.length).toBe(2); // exterior + the courtyard
    expect(inside(big, 600, 600)).toBe(false);
    expect(inside(big, 600, 30)).toBe(true);
    const ringArea = (r: number[][]) => {
      let a = 0;
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j]![0]! - r[i]![0]!) * (r[j]![1]! + r[i]![1]!);
      return a / 2;
    };
    expect(ringArea(big.polygons[0]![0]!)).toBeGreaterThan(0); // exterior counter-clockwise
    expect(ringArea(big.polygons[0]![1]!)).toBeLessThan(0); // hole clockwise
  });

  it('caps the grid by coarsening the cell for huge reaches', () => {
    // 3 km × 3 km at a 1 m cell would be 10⁷ cells: coarsened to ≤ 10⁶.
    const g = gridNetwork(31, 100);
    const dist = dijkstra(g, null, [[15 * 31 + 15, 0]]);
    const t0 = performance.now();
    const [a] = isochroneAreas(g, dist, [5000], null, { cellM: 1, reachM: 60 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(inside(a!, 1450, 1450)).toBe(true);
    expect(inside(a!, 1600, 0)).toBe(false);
    expectWellFormed([a!]);
  });
});
