import { describe, expect, it } from 'vitest';
import { buildGraph, type EdgeArrays } from './graph';
import { buildSnapIndex, snapPoint } from './snap';
import { LAT0, ll, M, net, rng, type XY } from './testNetworks';




describe('snapPoint', () => {
  // Two parallel streets, 100 m apart, and a cross street.
  const nodes: XY[] = [[0, 0], [100, 0], [0, 100], [100, 100], [200, 0]];
  const g = buildGraph(net(nodes, [[0, 1], [2, 3], [1, 4, 150]]));
  const idx = buildSnapIndex(g);

  it('snaps to the nearest edge, with t, position, offset and network metres to both ends', () => {
    const [lon, lat] = ll(30, 20);
    const s = snapPoint(idx, lon, lat)!;
    expect(s.edge).toBe(0);
    expect(s.t).toBeCloseTo(0.3, 4);
    expect(s.offsetM).toBeCloseTo(20, 2);
    expect(s.toFromM).toBeCloseTo(30, 2);
    expect(s.toToM).toBeCloseTo(70, 2);
    const [elon, elat] = ll(30, 0);
    expect(s.lon).toBeCloseTo(elon, 9);
    expect(s.lat).toBeCloseTo(elat, 9);
    expect(snapPoint(idx, ...ll(30, 80))!.edge).toBe(1);
  });

  it('uses length_m, not the straight length, for the network metres', () => {
    // Edge 2 runs 100 m straight but is 150 m long on foot.
    const s = snapPoint(idx, ...ll(130, -5))!;
    expect(s.edge).toBe(2);
    expect(s.t).toBeCloseTo(0.3, 4);
    expect(s.toFromM).toBeCloseTo(45, 2);
    expect(s.toToM).toBeCloseTo(105, 2);
  });

  it('clamps t to the segment (beyond an end snaps to the end node)', () => {
    const a = snapPoint(idx, ...ll(-30, 10))!;
    expect(a.edge).toBe(0);
    expect(a.t).toBe(0);
    expect(a.offsetM).toBeCloseTo(Math.hypot(30, 10), 2);
    expect(a.toFromM).toBe(0);
    const b = snapPoint(idx, ...ll(260, -20))!;
    expect(b.edge).toBe(2);
    expect(b.t).toBe(1);
    expect(b.toToM).toBe(0);
    expect(b.offsetM).toBeCloseTo(Math.hypot(60, 20), 2);
  });

  it('returns null beyond maxM (default 250 m), and snaps when maxM reaches', () => {
    expect(snapPoint(idx, ...ll(50, -300))).toBeNull();
    expect(snapPoint(idx, ...ll(50, -300), 299)).toBeNull();
    expect(snapPoint(idx, ...ll(50, -300), 301)!.edge).toBe(0);
    expect(snapPoint(idx, ...ll(50, -240))!.edge).toBe(0);
    // Far outside the grid in every direction.
    expect(snapPoint(idx, ...ll(50_000, 50_000))).toBeNull();
    expect(snapPoint(idx, ...ll(-5_000, 30), 10_000)!.edge).toBe(0);
  });

  it('breaks exact ties by the lower edge id', () => {
    // Two edges with the same geometry (a duplicated row): equally near everywhere.
    const gd = buildGraph(net([[0, 0], [100, 0], [0, 50]], [[0, 2], [0, 1], [0, 1]]));
    const s = snapPoint(buildSnapIndex(gd), ...ll(40, -7))!;
    expect(s.edge).toBe(1);
  });

  it('skips edges the graph leaves out (self-loops, non-finite lengths) and handles an empty network', () => {
    const e = net([[0, 0], [100, 0], [0, 10], [100, 10]], [[0, 1], [2, 3, NaN], [2, 2]]);
    const gi = buildSnapIndex(buildGraph(e));
    expect(snapPoint(gi, ...ll(50, 9))!.edge).toBe(0);
    const empty = buildSnapIndex(buildGraph(net([], [])));
    expect(snapPoint(empty, ...ll(0, 0))).toBeNull();
    expect(snapPoint(idx, NaN, LAT0)).toBeNull();
  });

  it('matches a brute-force scan over all edges on random networks (several bucket sizes)', () => {
    const rand = rng(7);
    for (let round = 0; round < 6; round++) {
      const nNodes = 80;
      const pts: XY[] = Array.from({ length: nNodes }, () => [rand() * 3000, rand() * 2000]);
      const edges: [number, number][] = [];
      for (let i = 0; i < 140; i++) {
        const a = Math.floor(rand() * nNodes);
        let b = Math.floor(rand() * nNodes);
        if (b === a) b = (a + 1) % nNodes;
        edges.push([a, b]);
      }
      const gr = buildGraph(net(pts, edges));
      const bucket = [25, 80, 200, 1000, 5000, 200][round]!;
      const ix = buildSnapIndex(gr, bucket);
      const e = gr.edges;
      for (let q = 0; q < 300; q++) {
        const qx = -800 + rand() * 4600, qy = -800 + rand() * 3600;
        const [lon, lat] = ll(qx, qy);
        const maxM = 50 + rand() * 400;
        // Brute force in the same query-centred frame.
        const kx = M * Math.cos((lat * Math.PI) / 180);
        let best = Infinity, bestEdge = -1;
        for (let i = 0; i < e.fromNode.length; i++) {
          const ax = (e.x1[i]! - lon) * kx, ay = (e.y1[i]! - lat) * M;
          const dx = (e.x2[i]! - lon) * kx - ax, dy = (e.y2[i]! - lat) * M - ay;
          const l2 = dx * dx + dy * dy;
          const t = Math.min(1, Math.max(0, l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0));
          const d = Math.hypot(ax + t * dx, ay + t * dy);
          if (d < best) {
            best = d;
            bestEdge = i;
          }
        }
        const s = snapPoint(ix, lon, lat, maxM);
        if (best > maxM) {
          expect(s).toBeNull();
        } else {
          expect(s).not.toBeNull();
          expect(s!.offsetM).toBeCloseTo(best, 6);
          if (s!.edge !== bestEdge) expect(s!.offsetM).toBeCloseTo(best, 9); // an exact tie (shared end node)
        }
      }
    }
  });
});
