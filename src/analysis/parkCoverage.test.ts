import { booleanPointInPolygon, lineString, point, pointToLineDistance } from '@turf/turf';
import { seededRandom } from './seededRandom';
import { describe, expect, it } from 'vitest';
import { GB55014_THRESHOLDS, parkServiceRadius } from '../standards/parks';
import {
  computeCoverage,
  coverageBruteForce,
  ringsToGeometry,
  withExtraPark,
  type CoverageCells,
  type CoverageParks,
} from './parkCoverage';

// A local metric frame for writing cases in metres around (120°E, 36°N).
const LON0 = 120;
const LAT0 = 36;
const M = (6371008.8 * Math.PI) / 180;
const ll = (x: number, y: number): [number, number] => [LON0 + x / (M * Math.cos((LAT0 * Math.PI) / 180)), LAT0 + y / M];
const CELL = 250_000;

/** Axis-aligned rectangle ring, metres: x0..x1, y0..y1 (closed). */
const rect = (x0: number, y0: number, x1: number, y1: number): number[][] => [ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)];
/** Square of `area` m² centred on (cx, cy). */
const sq = (cx: number, cy: number, area: number) => {
  const h = Math.sqrt(area) / 2;
  return rect(cx - h, cy - h, cx + h, cy + h);
};

interface P { id?: string; district?: string; area: number; rings: number[][][] }
const parksOf = (ps: P[]): CoverageParks => ({
  id: ps.map((p, i) => p.id ?? `p${i}`),
  district: ps.map((p) => p.district ?? 'A'),
  areaM2: Float64Array.from(ps.map((p) => p.area)),
  rings: ps.map((p) => p.rings),
});

interface C { x: number; y: number; pop?: number; district?: string }
const cellsOf = (cs: C[], cellAreaM2 = CELL): CoverageCells => ({
  lon: Float64Array.from(cs.map((c) => ll(c.x, c.y)[0])),
  lat: Float64Array.from(cs.map((c) => ll(c.x, c.y)[1])),
  pop: Float64Array.from(cs.map((c) => c.pop ?? 100)),
  district: cs.map((c) => c.district ?? 'A'),
  cellAreaM2,
});

describe('computeCoverage: hand-computed cases', () => {
  it('6000 m² park serves 500 m from its edge (450 m covered, 550 m not), incl. around a corner', () => {
    const h = Math.sqrt(6000) / 2;
    const parks = parksOf([{ area: 6000, rings: [sq(0, 0, 6000)] }]);
    const cells = cellsOf([
      { x: h + 450, y: 0 }, // east, 450 m
      { x: h + 550, y: 0 }, // east, 550 m
      { x: 0, y: -(h + 450) }, // south, 450 m
      { x: 0, y: h + 550 }, // north, 550 m
      { x: h + 300, y: h + 300 }, // beyond the NE corner: 424 m
      { x: h + 400, y: h + 400 }, // beyond the NE corner: 566 m (inside the 500 m box, outside the disc)
    ]);
    const r = computeCoverage(parks, cells);
    expect([...r.covered]).toEqual([2, 0, 2, 0, 2, 0]);
    expect(r.city.residentialM2).toBe(6 * CELL);
    expect(r.city.coveredResidentialM2).toBe(3 * CELL);
    expect(r.city.landShare).toBeCloseTo(0.5, 12);
  });

  it('3000 m² park uses the 300 m rule (250 m covered, 350 m not)', () => {
    const h = Math.sqrt(3000) / 2;
    const parks = parksOf([{ area: 3000, rings: [sq(0, 0, 3000)] }]);
    const cells = cellsOf([{ x: h + 250, y: 0 }, { x: h + 350, y: 0 }, { x: -(h + 250), y: 0 }, { x: 0, y: h + 450 }]);
    expect([...computeCoverage(parks, cells).covered]).toEqual([1, 0, 1, 0]);
  });

  it('a 1500 m² park does not count (but its area is park area)', () => {
    const parks = parksOf([{ area: 1500, rings: [sq(0, 0, 1500)] }]);
    const cells = cellsOf([{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 200, y: 0 }]);
    const r = computeCoverage(parks, cells);
    expect([...r.covered]).toEqual([0, 0, 0]);
    expect(r.city.parkAreaM2).toBe(1500);
    expect(r.city.landShare).toBe(0);
  });

  it('size rule edges come from the standard: 5000 → 500 m, 2000 → 300 m, 1999 → none', () => {
    expect(parkServiceRadius(5000)).toBe(500);
    const cells = cellsOf([{ x: 0, y: 0 }]);
    // Cell 400 m from the edge of each park, alone.
    const at = (area: number) => {
      const h = Math.sqrt(area) / 2;
      return computeCoverage(parksOf([{ area, rings: [sq(-(h + 400), 0, area)] }]), cells).covered[0];
    };
    expect(at(5000)).toBe(2);
    expect(at(4999)).toBe(0); // 300 m rule: 400 m is out of reach
    const near = (area: number) => {
      const h = Math.sqrt(area) / 2;
      return computeCoverage(parksOf([{ area, rings: [sq(-(h + 200), 0, area)] }]), cells).covered[0];
    };
    expect(near(2000)).toBe(1);
    expect(near(1999)).toBe(0);
  });

  it('a park straddling a district border covers both districts; its area goes to its own district', () => {
    // Border at x = 0: A to the west, B to the east. The park spans x = -100..100.
    const parks = parksOf([{ area: 40_000, district: 'A', rings: [rect(-100, -100, 100, 100)] }]);
    const cells = cellsOf([
      { x: -400, y: 0, district: 'A' },
      { x: 400, y: 0, district: 'B' },
      { x: 800, y: 0, district: 'B' },
    ]);
    const r = computeCoverage(parks, cells);
    expect([...r.covered]).toEqual([2, 2, 0]);
    const a = r.byDistrict.get('A')!;
    const b = r.byDistrict.get('B')!;
    expect(a.landShare).toBe(1);
    expect(b.landShare).toBe(0.5);
    expect(a.parkAreaM2).toBe(40_000);
    expect(b.parkAreaM2).toBe(0);
    expect(r.city.parkAreaM2).toBe(40_000);
  });

  it('overlapping service areas are not double counted: coverage is distinct cells', () => {
    const parks = parksOf([
      { area: 6000, rings: [sq(0, 0, 6000)] },
      { area: 6000, rings: [sq(200, 0, 6000)] },
      { area: 3000, rings: [sq(100, 150, 3000)] },
    ]);
    const cs: C[] = [];
    for (let x = -1000; x <= 1200; x += 250) for (let y = -1000; y <= 1000; y += 250) cs.push({ x, y, pop: 10 });
    const cells = cellsOf(cs);
    const r = computeCoverage(parks, cells);
    const coveredCells = [...r.covered].filter((v) => v > 0).length;
    expect(coveredCells).toBeGreaterThan(0);
    expect(r.city.coveredResidentialM2).toBe(coveredCells * CELL);
    expect(r.city.coveredPop).toBe(coveredCells * 10);
    expect(r.city.landShare!).toBeLessThanOrEqual(1);
    // Where a 500 m park reaches, the class is 2 even if the 300 m park reaches too.
    expect(r.covered[cs.findIndex((c) => c.x === 0 && c.y === 0)]).toBe(2);
    expect([...r.covered]).toEqual([...coverageBruteForce(parks, cells)]);
  });

  it('a MultiPolygon park serves around every part', () => {
    // Two 4000 m² squares 3 km apart: one park of 8000 m² → 500 m around both parts.
    const parks = parksOf([{ area: 8000, rings: [sq(0, 0, 4000), sq(3000, 0, 4000)] }]);
    const h = Math.sqrt(4000) / 2;
    const cells = cellsOf([{ x: h + 450, y: 0 }, { x: 3000 + h + 450, y: 0 }, { x: 1500, y: 0 }, { x: 3000 - h - 550, y: 0 }]);
    expect([...computeCoverage(parks, cells).covered]).toEqual([2, 2, 0, 0]);
    expect(ringsToGeometry(parks.rings[0]!)?.type).toBe('MultiPolygon');
  });

  it('a cell centre inside a park is covered even far from its edge; a hole far from its edge is not', () => {
    const big = parksOf([{ area: 4_000_000, rings: [rect(-1000, -1000, 1000, 1000)] }]);
    expect([...computeCoverage(big, cellsOf([{ x: 0, y: 0 }, { x: 700, y: -300 }])).covered]).toEqual([2, 2]);
    // 3 km square with a 2 km hole: the hole's centre is 1000 m from any edge.
    const holed = parksOf([{ area: 5_000_000, rings: [rect(-1500, -1500, 1500, 1500), rect(-1000, -1000, 1000, 1000).reverse()] }]);
    const cells = cellsOf([{ x: 0, y: 0 }, { x: 600, y: 0 }, { x: 1250, y: 0 }]);
    expect([...computeCoverage(holed, cells).covered]).toEqual([0, 2, 2]);
    expect(ringsToGeometry(holed.rings[0]!)?.type).toBe('Polygon');
    expect([...coverageBruteForce(holed, cells)]).toEqual([0, 2, 2]);
  });

  it('zero-population districts give null shares, never NaN; a district with only parks appears too', () => {
    const parks = parksOf([
      { area: 6000, district: 'Z', rings: [sq(0, 0, 6000)] },
      { area: 9000, district: 'P', rings: [sq(5000, 5000, 9000)] },
    ]);
    const cells = cellsOf([{ x: 100, y: 0, pop: 0, district: 'Z' }, { x: 200, y: 0, pop: 0, district: 'Z' }]);
    const r = computeCoverage(parks, cells);
    for (const s of [r.byDistrict.get('Z')!, r.byDistrict.get('P')!, r.city]) {
      expect(s.residentialM2).toBe(0);
      expect(s.landShare).toBeNull();
      expect(s.popShare).toBeNull();
      expect(s.parkM2PerPerson).toBeNull();
      expect(s.meetsCoverage).toBeNull();
      expect(s.meetsPerCapita).toBeNull();
    }
    expect(r.byDistrict.get('P')!.parkAreaM2).toBe(9000);
    // Unpopulated cells are not residential land, though they may lie in reach.
    expect([...r.covered]).toEqual([2, 2]);
    // Empty inputs.
    const e = computeCoverage(parksOf([]), cellsOf([]));
    expect(e.covered.length).toBe(0);
    expect(e.city.landShare).toBeNull();
  });

  it('both denominators: land share and population share differ when people are uneven', () => {
    const h = Math.sqrt(6000) / 2;
    const parks = parksOf([{ area: 6000, rings: [sq(0, 0, 6000)] }]);
    const cells = cellsOf([{ x: h + 100, y: 0, pop: 900 }, { x: h + 1000, y: 0, pop: 100 }]);
    const r = computeCoverage(parks, cells);
    expect(r.city.landShare).toBe(0.5);
    expect(r.city.popShare).toBe(0.9);
    expect(r.city.parkM2PerPerson).toBe(6);
  });

  it('GB 55014 flags: coverage > 80 % on residential land, park area > 8.0 m² per person, both strict', () => {
    expect(GB55014_THRESHOLDS.serviceRadiusCoverage.value).toBe(0.8);
    expect(GB55014_THRESHOLDS.parkGreenPerCapita.value).toBe(8);
    const h = Math.sqrt(6000) / 2;
    // 5 cells, 4 covered → exactly 80 %: fails (strict). Park area 6000 / 750 people = 8.0: fails.
    const parks = parksOf([{ area: 6000, rings: [sq(0, 0, 6000)] }]);
    const base: C[] = [{ x: h + 100, y: 0 }, { x: -(h + 100), y: 0 }, { x: 0, y: h + 100 }, { x: 0, y: -(h + 100) }];
    const exact = computeCoverage(parks, cellsOf([...base, { x: 3000, y: 0 }].map((c) => ({ ...c, pop: 150 }))));
    expect(exact.city.landShare).toBeCloseTo(0.8, 12);
    expect(exact.city.meetsCoverage).toBe(false);
    expect(exact.city.parkM2PerPerson).toBe(8);
    expect(exact.city.meetsPerCapita).toBe(false);
    // All covered, 600 people → 100 % and 10 m² per person: pass.
    const good = computeCoverage(parks, cellsOf(base.map((c) => ({ ...c, pop: 150 }))));
    expect(good.city.meetsCoverage).toBe(true);
    expect(good.city.meetsPerCapita).toBe(true);
    // Coverage flag judges the land share even when the population share would pass.
    const mixed = computeCoverage(parks, cellsOf([...base.map((c) => ({ ...c, pop: 1000 })), { x: 3000, y: 0, pop: 1 }]));
    expect(mixed.city.popShare!).toBeGreaterThan(0.8);
    expect(mixed.city.meetsCoverage).toBe(false);
  });

  it('withExtraPark adds a drawn park (area by turf.area, ring closed) that then serves its radius', () => {
    const parks = parksOf([{ area: 6000, rings: [sq(0, 0, 6000)] }]);
    const cells = cellsOf([{ x: 3000, y: 0 }]);
    expect(computeCoverage(parks, cells).covered[0]).toBe(0);
    const open = rect(3200, -50, 3300, 50).slice(0, 4) as [number, number][]; // 100 m × 100 m, not closed
    const withIt = withExtraPark(parks, open, 'drawn', 'A');
    expect(withIt.id).toEqual(['p0', 'drawn']);
    expect(withIt.areaM2[1]).toBeGreaterThan(9900);
    expect(withIt.areaM2[1]).toBeLessThan(10100);
    expect(withIt.rings[1]![0]!.length).toBe(5);
    expect(parks.id.length).toBe(1); // input untouched
    const r = computeCoverage(withIt, cells);
    expect(r.covered[0]).toBe(2);
    expect(r.city.parkAreaM2).toBeCloseTo(6000 + withIt.areaM2[1]!, 6);
  });
});

// ---------------------------------------------------------------------------
// Agreement with the turf.js baseline on a seeded synthetic city

/** A star-shaped ring of n vertices around (cx, cy), radii in [rMin, rMax] metres, counter-clockwise, closed. */
function blob(rand: () => number, cx: number, cy: number, rMin: number, rMax: number): number[][] {
  const n = 5 + Math.floor(rand() * 8);
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 2 * Math.PI;
    const r = rMin + rand() * (rMax - rMin);
    ring.push(ll(cx + r * Math.cos(a), cy + r * Math.sin(a)));
  }
  ring.push(ring[0]!);
  return ring;
}

function syntheticCity(seed: number, nParks: number, side: number) {
  const rand = seededRandom(seed);
  const span = side * 500;
  const ps: P[] = [];
  const areas = [1000, 1999, 2000, 3000, 4999, 5000, 8000, 30_000, 200_000];
  for (let i = 0; i < nParks; i++) {
    const area = areas[Math.floor(rand() * areas.length)]!;
    const s = Math.sqrt(area / Math.PI);
    const cx = rand() * span, cy = rand() * span;
    const rings = [blob(rand, cx, cy, 0.7 * s, 1.3 * s)];
    if (rand() < 0.2) rings.push(blob(rand, cx + 600 + rand() * 600, cy, 0.5 * s, 0.9 * s)); // a MultiPolygon part
    ps.push({ area, district: rand() < 0.5 ? 'A' : 'B', rings });
  }
  const cs: C[] = [];
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) cs.push({ x: i * 500 + 250, y: j * 500 + 250, pop: rand() < 0.15 ? 0 : Math.floor(rand() * 3000), district: i < side / 2 ? 'A' : 'B' });
  return { parks: parksOf(ps), cells: cellsOf(cs) };
}

/** Distance (m) from a point to a park: 0 inside, else to the nearest ring edge (turf, geodesic). */
function parkDistance(parks: CoverageParks, p: number, lon: number, lat: number): number {
  const g = ringsToGeometry(parks.rings[p]!)!;
  const pt = point([lon, lat]);
  if (booleanPointInPolygon(pt, g)) return 0;
  return Math.min(...parks.rings[p]!.map((r) => pointToLineDistance(pt, lineString(r), { units: 'meters' })));
}

describe('computeCoverage agrees with coverageBruteForce', () => {
  for (const seed of [1, 2, 3]) {
    it(`seeded synthetic city #${seed}`, () => {
      const { parks, cells } = syntheticCity(seed, 40, 24);
      const fast = computeCoverage(parks, cells).covered;
      const slow = coverageBruteForce(parks, cells);
      expect(fast.length).toBe(cells.lon.length);
      expect([...fast].filter((v) => v === 2).length).toBeGreaterThan(10);
      expect([...fast].filter((v) => v === 1).length).toBeGreaterThan(0);
      expect([...fast].filter((v) => v === 0).length).toBeGreaterThan(10);
      // Any disagreement must sit on a service-radius edge (the buffer's arcs are polygons).
      const mismatches: number[] = [];
      for (let i = 0; i < fast.length; i++) if (fast[i] !== slow[i]) mismatches.push(i);
      expect(mismatches.length).toBeLessThanOrEqual(2);
      for (const i of mismatches) {
        let nearEdge = false;
        for (let p = 0; p < parks.id.length; p++) {
          const r = parkServiceRadius(parks.areaM2[p]);
          if (r !== null && Math.abs(parkDistance(parks, p, cells.lon[i]!, cells.lat[i]!) - r) < 2) nearEdge = true;
        }
        expect(nearEdge).toBe(true);
      }
    });
  }

  it('fast on a city-sized input (≈40k cells, 1200 parks)', () => {
    const { parks, cells } = syntheticCity(7, 1200, 200);
    computeCoverage(parks, cells); // warm up
    const t0 = performance.now();
    const r = computeCoverage(parks, cells);
    const ms = performance.now() - t0;
    expect(r.covered.length).toBe(40_000);
    expect(ms).toBeLessThan(1000);
  });
});
