import { describe, it, expect } from 'vitest';
import * as turf from '@turf/turf';
import { Rng, WeightedSampler, hashSeed, makeNoise2d } from '../../scripts/data/prng.ts';
import { douglasPeucker, sharedBorderLines, simplifyShared, cleanRing } from '../../scripts/data/boundaries.ts';
import { Grid, IndexedArea, LocalFrame, haversine, rasterize, segmentIntersect, type MultiPoly, type Pt } from '../../scripts/data/geo.ts';
import { generateParks, isPocket } from '../../scripts/data/parks.ts';
import { generateRestoration, typeCounts } from '../../scripts/data/restoration.ts';
import { generateStations } from '../../scripts/data/stations.ts';
import { airShapes, calibrate, goodShare, HOURS } from '../../scripts/data/air.ts';
import { buildNetwork, BRIDGE_SPACING_M } from '../../scripts/data/network.ts';
import { generateFacilities } from '../../scripts/data/facilities.ts';
import { computeLifecircle, multiSourceDijkstra, CUTOFF_M } from '../../scripts/data/lifecircle.ts';
import { parquetBytes } from '../../scripts/data/parquet.ts';
import { FACILITY_TYPES } from '../../src/standards/lifeCircle.ts';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { syntheticContext } from './synthetic.ts';

describe('prng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const va = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(va);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(va);
    expect(hashSeed('a')).not.toEqual(hashSeed('b'));
  });

  it('draws bounded Pareto sizes inside the bounds, heavy-tailed', () => {
    const r = new Rng('pareto');
    const xs = Array.from({ length: 5000 }, () => r.boundedPareto(400, 1e6, 0.55));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1e6);
    const small = xs.filter((x) => x <= 10_000).length;
    const large = xs.filter((x) => x >= 100_000).length;
    expect(small).toBeGreaterThan(0.7 * xs.length);
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThan(0.1 * xs.length);
  });

  it('samples only positive weights, proportionally', () => {
    const s = new WeightedSampler([0, 1, 0, 3]);
    const r = new Rng('w');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const k = s.sample(r);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    expect(counts[3]! / counts[1]!).toBeGreaterThan(2.5);
    expect(counts[3]! / counts[1]!).toBeLessThan(3.6);
  });

  it('noise is smooth and in [0, 1]', () => {
    const n = makeNoise2d('n', 3);
    for (let i = 0; i < 100; i++) {
      const v = n(i * 0.37, i * 0.11);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(Math.abs(n(i * 0.37 + 0.001, i * 0.11) - v)).toBeLessThan(0.02);
    }
  });
});

describe('geometry helpers', () => {
  it('Douglas–Peucker keeps endpoints and drops collinear points', () => {
    const line: Pt[] = [
      [0, 0],
      [1, 0.00001],
      [2, 0],
      [3, 1],
    ];
    const s = douglasPeucker(line, 0.001, 1);
    expect(s[0]).toEqual([0, 0]);
    expect(s[s.length - 1]).toEqual([3, 1]);
    expect(s).not.toContainEqual([1, 0.00001]);
  });

  it('simplifies shared borders once, so neighbours stay watertight', () => {
    // Two squares sharing a zig-zag border.
    const zig: Pt[] = [];
    for (let i = 0; i <= 20; i++) zig.push([1 + (i % 2) * 0.0002, i * 0.05]);
    const left = cleanRing([[0, 0], ...zig, [0, 1], [0, 0]] as Pt[]);
    const right = cleanRing([[2, 0], [2, 1], ...zig.slice().reverse(), [2, 0]] as Pt[]);
    const [a, b] = simplifyShared([[[left]], [[right]]], 0.001) as [MultiPoly, MultiPoly];
    const ra = a[0]![0]!;
    const rb = b[0]![0]!;
    expect(ra.length).toBeLessThan(left.length);
    const lines = sharedBorderLines(
      { geom: a } as never,
      { geom: b } as never,
    );
    expect(lines.length).toBe(1);
    // every vertex of the shared border appears in both rings
    const keys = new Set(rb.map((p) => `${p[0]},${p[1]}`));
    for (const p of lines[0]!) expect(keys.has(`${p[0]},${p[1]}`)).toBe(true);
  });

  it('rasterises polygons by cell centre', () => {
    const frame = new LocalFrame(120, 30);
    const sq: MultiPoly = [[[[120, 30], [120.02, 30], [120.02, 30.02], [120, 30.02], [120, 30]]]];
    const grid = new Grid(frame, [119.99, 29.99, 120.03, 30.03], 500);
    const out = new Int32Array(grid.nx * grid.ny).fill(-1);
    rasterize(grid, sq, out, 1);
    const area = new IndexedArea(sq);
    for (let r = 0; r < grid.ny; r++)
      for (let c = 0; c < grid.nx; c++)
        expect(out[grid.index(r, c)] === 1).toBe(area.contains(grid.centreLon(c), grid.centreLat(r)));
  });

  it('finds segment intersections', () => {
    expect(segmentIntersect([0, 0], [2, 0], [1, -1], [1, 1])).toBeCloseTo(0.5);
    expect(segmentIntersect([0, 0], [2, 0], [3, -1], [3, 1])).toBeNull();
  });
});

describe('multi-source Dijkstra', () => {
  it('gives shortest distances from the nearest source, with a cutoff', () => {
    // path 0 - 1 - 2 - 3 - 4, 100 m edges; sources 0 and 4
    const adjStart = Int32Array.from([0, 1, 3, 5, 7, 8]);
    const adjNode = Int32Array.from([1, 0, 2, 1, 3, 2, 4, 3]);
    const adjLen = Float64Array.from([100, 100, 100, 100, 100, 100, 100, 100]);
    const d = multiSourceDijkstra({ adjStart, adjNode, adjLen }, 5, [0, 4]);
    expect(Array.from(d)).toEqual([0, 100, 200, 100, 0]);
    const cut = multiSourceDijkstra({ adjStart, adjNode, adjLen }, 5, [0], 250);
    expect(Array.from(cut)).toEqual([0, 100, 200, Infinity, Infinity]);
  });
});

describe('parquet writer', () => {
  it('writes FLOAT, TIMESTAMP (UTC, millis) and nulls that hyparquet reads back', async () => {
    const bytes = parquetBytes({
      columns: [
        { name: 'id', kind: 'STRING', data: ['a', 'b', 'c'], encoding: 'DELTA_BYTE_ARRAY' },
        { name: 'ts', kind: 'TIMESTAMP', data: [0, 3600_000, 7200_000] },
        { name: 'v', kind: 'FLOAT', data: [1.5, null, 3] },
        { name: 'n', kind: 'INT32', data: [1, 2, 3], encoding: 'DELTA_BINARY_PACKED' },
      ],
    });
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const md = parquetMetadata(ab);
    const ts = md.schema.find((s) => s.name === 'ts');
    expect(ts?.logical_type).toMatchObject({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    expect(md.schema.find((s) => s.name === 'v')?.type).toBe('FLOAT');
    const rows = await parquetReadObjects({ file: ab });
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(rows[1]!.v).toBeNull();
    expect((rows[2]!.ts as Date).toISOString()).toBe('1970-01-01T02:00:00.000Z');
  });
});

describe('generators on a synthetic city', () => {
  const ctx = syntheticContext();

  it('population is positive integers summing to the target', () => {
    expect(ctx.pop.total).toBe(400_000);
    for (const i of ctx.pop.cells) {
      expect(Number.isInteger(ctx.pop.pop[i])).toBe(true);
      expect(ctx.pop.pop[i]).toBeGreaterThan(0);
    }
  });

  it('parks lie inside their district, are classed by size and are deterministic', () => {
    const parks = generateParks(ctx);
    expect(parks.length).toBeGreaterThan(10);
    for (const p of parks) {
      const d = ctx.land.districts.find((x) => x.id === p.district)!;
      for (const v of p.ring) expect(d.area.contains(v[0], v[1])).toBe(true);
      expect(p.areaM2).toBe(Math.round(turf.area(turf.polygon([p.ring]))));
      expect(p.pocket).toBe(isPocket(p.areaM2));
      if (p.cls === 'G14') expect(p.areaM2).toBeLessThan(10_000);
      if (p.cls === 'G11') expect(p.areaM2).toBeGreaterThanOrEqual(100_000);
    }
    expect(JSON.stringify(generateParks(ctx))).toBe(JSON.stringify(parks));
  });

  it('restoration sites have valid types/years, no coast inland, and are deterministic', () => {
    const sites = generateRestoration(ctx);
    expect(typeCounts(ctx).coast).toBe(0);
    expect(sites.length).toBeGreaterThan(0);
    for (const s of sites) {
      expect(['mountain', 'wetland', 'river', 'brownfield']).toContain(s.type);
      expect(s.year).toBeGreaterThanOrEqual(2015);
      expect(s.year).toBeLessThanOrEqual(2025);
      const d = ctx.land.districts.find((x) => x.id === s.district)!;
      for (const v of s.ring) expect(d.area.contains(v[0], v[1])).toBe(true);
    }
    expect(JSON.stringify(generateRestoration(ctx))).toBe(JSON.stringify(sites));
  });

  it('calibrates total restoration area when the city has a target', () => {
    const c2 = syntheticContext(400_000, {
      restoration: { count: 12, weights: { mountain: 0.5, brownfield: 0.5 }, totalAreaM2: 600_000 },
    });
    const total = generateRestoration(c2).reduce((s, x) => s + x.areaM2, 0);
    expect(Math.abs(total - 600_000) / 600_000).toBeLessThan(0.02);
  });

  it('network crosses the river only at bridges, at least BRIDGE_SPACING_M apart', () => {
    const net = buildNetwork(ctx);
    expect(net.from.length).toBeGreaterThan(100);
    const river = ctx.riverLines[0]!.points.map((p) => ctx.land.frame.toXY(p[0], p[1]));
    const crossings: number[] = [];
    for (let e = 0; e < net.from.length; e++) {
      const a: Pt = [net.x[net.from[e]!]!, net.y[net.from[e]!]!];
      const b: Pt = [net.x[net.to[e]!]!, net.y[net.to[e]!]!];
      let s0 = 0;
      for (let i = 0; i + 1 < river.length; i++) {
        const t = segmentIntersect(river[i]!, river[i + 1]!, a, b);
        const segLen = Math.hypot(river[i + 1]![0] - river[i]![0], river[i + 1]![1] - river[i]![1]);
        if (t !== null) crossings.push(s0 + t * segLen);
        s0 += segLen;
      }
      // stored lengths match the coordinates
      const lonlat = (n: number): Pt => [net.lon[n]!, net.lat[n]!];
      expect(Math.abs(net.length[e]! - haversine(lonlat(net.from[e]!), lonlat(net.to[e]!)))).toBeLessThan(0.01);
    }
    expect(crossings.length).toBeGreaterThan(0);
    crossings.sort((p, q) => p - q);
    for (let i = 1; i < crossings.length; i++) expect(crossings[i]! - crossings[i - 1]!).toBeGreaterThanOrEqual(BRIDGE_SPACING_M - 1e-6);
  });

  it('facilities use the contract type ids and life-circle distances are consistent', () => {
    const net = buildNetwork(ctx);
    const fac = generateFacilities(ctx, net);
    const ids = new Set(FACILITY_TYPES.map((t) => t.id));
    for (const f of fac) expect(ids.has(f.type)).toBe(true);
    expect(new Set(fac.map((f) => f.id)).size).toBe(fac.length);
    const lc = computeLifecircle(ctx, net, fac);
    for (const t of FACILITY_TYPES) {
      const col = lc.dist[t.id]!;
      expect(col.length).toBe(ctx.pop.cells.length);
      for (const v of col) {
        if (Number.isNaN(v)) continue;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(CUTOFF_M);
      }
    }
    // a cell whose nearest node hosts a shop is at distance 0 from a shop
    const shopNodes = new Set(fac.filter((f) => f.type === 'convenience_shop').map((f) => f.node));
    lc.cellNode.forEach((node, k) => {
      if (shopNodes.has(node)) expect(lc.dist.convenience_shop![k]).toBe(0);
    });
    expect(JSON.stringify(generateFacilities(ctx, buildNetwork(ctx)))).toBe(JSON.stringify(fac));
  });

  it('air series: deterministic, winter PM above summer in the north, calibrated good-day share', () => {
    const stations = generateStations(ctx);
    expect(stations.length).toBe(4);
    const shapes = airShapes(ctx.cfg, stations.slice(0, 2));
    const again = airShapes(ctx.cfg, stations.slice(0, 2));
    expect(Array.from(again.values[0]!.pm25.slice(0, 500))).toEqual(Array.from(shapes.values[0]!.pm25.slice(0, 500)));
    const pm = shapes.values[0]!.pm25;
    const mean = (from: number, to: number): number => {
      let s = 0;
      let n = 0;
      for (let h = from; h < to; h++) {
        if (Number.isNaN(pm[h]!)) continue;
        s += pm[h]!;
        n++;
      }
      return s / n;
    };
    expect(mean(0, 59 * 24)).toBeGreaterThan(1.5 * mean(152 * 24, 243 * 24)); // Jan–Feb vs Jun–Aug
    const { daily } = calibrate(shapes, ctx.cfg.air);
    expect(Math.abs(goodShare(daily) - ctx.cfg.air.goodDayTarget)).toBeLessThan(0.01);
    expect(shapes.values[0]!.o3.length).toBe(HOURS);
  });
});
