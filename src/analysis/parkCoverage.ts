/**
 * Park service-radius coverage (公园绿地服务半径覆盖率, "300 米见绿、500 米见园"),
 * the 城市体检 method of shared/docs/standards.md ("Parks and green space"):
 * parks ≥ 5000 m² serve 500 m, parks of 2000–5000 m² serve 300 m, smaller
 * ones do not count (rules and thresholds: src/standards/parks.ts only).
 *
 * Residential land = populated cells (pop > 0) of the 500 m population grid.
 * A cell is covered when its centre lies within the service radius of a
 * counted park, measured from the park's boundary; a centre inside the park
 * counts as covered. Coverage is per cell and boolean, so overlapping service
 * areas never count twice.
 *
 * Pure: no DOM, no DuckDB. `computeCoverage` is the fast path (local metric
 * frame + uniform grid index of park boundary segments, ≈ 500 m buckets);
 * `coverageBruteForce` is the obvious turf.js baseline (buffer each counted
 * park, test every cell) kept for tests and the bench.
 */
import { area as turfArea, bbox as turfBbox, booleanPointInPolygon, buffer as turfBuffer, point, polygon as turfPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { checkGB55014, parkServiceRadius, PARK_SERVICE_RADII } from '../standards/parks';

export interface CoverageParks {
  id: string[];
  /** District of each park (its `district` property): park area is attributed here. */
  district: string[];
  areaM2: Float64Array;
  /** Per park, all rings of its polygons (outer rings and holes) as [lon, lat]. */
  rings: number[][][][];
}

export interface CoverageCells {
  /** Cell centres, WGS-84. */
  lon: Float64Array;
  lat: Float64Array;
  pop: Float64Array;
  district: string[];
  /**
   * People per km² from which a cell counts as residential land (default 0:
   * every populated cell). Without a land-use map, density stands in for
   * residential land; the layer uses URBAN_RESIDENTIAL_DENSITY.
   */
  residentialMinDensity?: number;
  /** Land area of one grid cell, m². */
  cellAreaM2: number;
}

export interface Summary {
  /** Residential land: populated cells × cell area, m². */
  residentialM2: number;
  coveredResidentialM2: number;
  pop: number;
  coveredPop: number;
  /** All parks attributed to the district (by the park's district), counted or not, m². */
  parkAreaM2: number;
  /** Covered residential land ÷ residential land (the 城市体检 indicator); null without residential land. */
  landShare: number | null;
  /** People within reach ÷ people; null without people. */
  popShare: number | null;
  parkM2PerPerson: number | null;
  /** GB 55014-2021 coverage check (> 80 %), judged on `landShare`; null when it is null. */
  meetsCoverage: boolean | null;
  /** GB 55014-2021 park green space per person (> 8.0 m²); null without people. */
  meetsPerCapita: boolean | null;
}

export interface CoverageResult {
  /** Per cell: 0 not covered, 1 covered by the 300 m rule only, 2 covered by the 500 m rule. */
  covered: Uint8Array;
  byDistrict: Map<string, Summary>;
  city: Summary;
}

export const COVERED_NONE = 0;
export const COVERED_300 = 1;
export const COVERED_500 = 2;

const EARTH_R = 6371008.8;
const DEG = Math.PI / 180;
const M_PER_DEG = EARTH_R * DEG;
/** Grid index bucket size, m. */
const BUCKET_M = 500;

/** The large and small radii of the standard's rules (500 and 300 m), read from the standards module. */
const RADII = [...PARK_SERVICE_RADII].map((r) => r.radiusM).sort((a, b) => b - a);
const R_LARGE = RADII[0]!;
const R_SMALL = RADII[1] ?? RADII[0]!;

/** Area of a grid cell, m², from its spacing in degrees (e.g. `gridStep`) at a latitude. */
export function cellAreaFromGrid(stepLonDeg: number, stepLatDeg: number, latDeg: number): number {
  return stepLonDeg * M_PER_DEG * Math.cos(latDeg * DEG) * stepLatDeg * M_PER_DEG;
}

// ---------------------------------------------------------------------------
// Fast path

interface Frame {
  lon0: number;
  lat0: number;
  mx: number;
  cos0: number;
}

/** A uniform grid in the local frame, CSR layout: bucket b holds items[start[b] .. start[b+1]). */
interface GridIndex {
  x0: number;
  y0: number;
  nx: number;
  ny: number;
  start: Int32Array;
  items: Int32Array;
}

function buildIndex(boxes: Float64Array, n: number, x0: number, y0: number, nx: number, ny: number): GridIndex {
  const count = new Int32Array(nx * ny + 1);
  const range = (i: number, f: (b: number) => void) => {
    const bx0 = Math.max(0, Math.floor((boxes[4 * i]! - x0) / BUCKET_M));
    const by0 = Math.max(0, Math.floor((boxes[4 * i + 1]! - y0) / BUCKET_M));
    const bx1 = Math.min(nx - 1, Math.floor((boxes[4 * i + 2]! - x0) / BUCKET_M));
    const by1 = Math.min(ny - 1, Math.floor((boxes[4 * i + 3]! - y0) / BUCKET_M));
    for (let by = by0; by <= by1; by++) for (let bx = bx0; bx <= bx1; bx++) f(by * nx + bx);
  };
  for (let i = 0; i < n; i++) range(i, (b) => count[b + 1]!++);
  for (let b = 0; b < nx * ny; b++) count[b + 1]! += count[b]!;
  const start = count.slice();
  const fill = count.slice();
  const items = new Int32Array(start[nx * ny]!);
  for (let i = 0; i < n; i++) range(i, (b) => (items[fill[b]!++] = i));
  return { x0, y0, nx, ny, start, items };
}

function bucketOf(g: GridIndex, x: number, y: number): number {
  const bx = Math.floor((x - g.x0) / BUCKET_M);
  const by = Math.floor((y - g.y0) / BUCKET_M);
  return bx < 0 || by < 0 || bx >= g.nx || by >= g.ny ? -1 : by * g.nx + bx;
}

/** Counted parks of one radius: boundary segments and rings, projected, with two grid indexes. */
interface RadiusTier {
  radius: number;
  /** Segments x1, y1, x2, y2 in the local frame (m). */
  seg: Float64Array;
  segIndex: GridIndex;
  /** Per park of the tier: flat rings in the local frame, and its bbox. */
  parkRings: Float64Array[][];
  parkBox: Float64Array;
  parkIndex: GridIndex;
}

function buildTier(parks: CoverageParks, members: number[], radius: number, f: Frame, kMin: number): RadiusTier | null {
  if (members.length === 0) return null;
  const toX = (lon: number) => (lon - f.lon0) * f.mx;
  const toY = (lat: number) => (lat - f.lat0) * M_PER_DEG;
  let nSeg = 0;
  for (const p of members) for (const ring of parks.rings[p]!) nSeg += Math.max(0, ring.length - 1);
  const seg = new Float64Array(nSeg * 4);
  const segBox = new Float64Array(nSeg * 4);
  const parkRings: Float64Array[][] = [];
  const parkBox = new Float64Array(members.length * 4);
  // The search reach in frame x: true east–west metres are frame x × k (k = cos φ / cos φ0).
  const ex = radius / kMin;
  const ey = radius;
  let s = 0;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  members.forEach((p, j) => {
    const rings: Float64Array[] = [];
    let px0 = Infinity, py0 = Infinity, px1 = -Infinity, py1 = -Infinity;
    for (const ring of parks.rings[p]!) {
      const flat = new Float64Array(ring.length * 2);
      for (let v = 0; v < ring.length; v++) {
        const x = toX(ring[v]![0]!);
        const y = toY(ring[v]![1]!);
        flat[2 * v] = x;
        flat[2 * v + 1] = y;
        if (x < px0) px0 = x;
        if (x > px1) px1 = x;
        if (y < py0) py0 = y;
        if (y > py1) py1 = y;
        if (v > 0) {
          const ax = flat[2 * v - 2]!, ay = flat[2 * v - 1]!;
          seg[4 * s] = ax;
          seg[4 * s + 1] = ay;
          seg[4 * s + 2] = x;
          seg[4 * s + 3] = y;
          segBox[4 * s] = Math.min(ax, x) - ex;
          segBox[4 * s + 1] = Math.min(ay, y) - ey;
          segBox[4 * s + 2] = Math.max(ax, x) + ex;
          segBox[4 * s + 3] = Math.max(ay, y) + ey;
          s++;
        }
      }
      rings.push(flat);
    }
    parkRings.push(rings);
    parkBox[4 * j] = px0;
    parkBox[4 * j + 1] = py0;
    parkBox[4 * j + 2] = px1;
    parkBox[4 * j + 3] = py1;
    if (px0 - ex < minX) minX = px0 - ex;
    if (py0 - ey < minY) minY = py0 - ey;
    if (px1 + ex > maxX) maxX = px1 + ex;
    if (py1 + ey > maxY) maxY = py1 + ey;
  });
  if (!Number.isFinite(minX)) return null;
  const nx = Math.max(1, Math.ceil((maxX - minX) / BUCKET_M) + 1);
  const ny = Math.max(1, Math.ceil((maxY - minY) / BUCKET_M) + 1);
  return {
    radius,
    seg,
    segIndex: buildIndex(segBox, s, minX, minY, nx, ny),
    parkRings,
    parkBox,
    parkIndex: buildIndex(parkBox, members.length, minX, minY, nx, ny),
  };
}

/** Even–odd point in polygon over all rings of a park (outer rings and holes alike). */
function insideRings(rings: Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const r of rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = r[2 * i]!, yi = r[2 * i + 1]!, xj = r[2 * j]!, yj = r[2 * j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Is the point (frame x, y; east–west scale k) within the tier's radius of, or inside, one of its parks? */
function reaches(t: RadiusTier, x: number, y: number, k: number): boolean {
  const r2 = t.radius * t.radius;
  const b = bucketOf(t.segIndex, x, y);
  if (b < 0) return false;
  const { start, items } = t.segIndex;
  const seg = t.seg;
  for (let q = start[b]!, end = start[b + 1]!; q < end; q++) {
    const s = items[q]! * 4;
    // Segment relative to the point, in true metres (x scaled by k).
    const ax = (seg[s]! - x) * k, ay = seg[s + 1]! - y;
    const dx = (seg[s + 2]! - x) * k - ax, dy = seg[s + 3]! - y - ay;
    const len2 = dx * dx + dy * dy;
    let u = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    if (u < 0) u = 0;
    else if (u > 1) u = 1;
    const px = ax + u * dx, py = ay + u * dy;
    if (px * px + py * py <= r2) return true;
  }
  const pi = t.parkIndex;
  for (let q = pi.start[b]!, end = pi.start[b + 1]!; q < end; q++) {
    const j = pi.items[q]!;
    const bx = t.parkBox;
    if (x < bx[4 * j]! || x > bx[4 * j + 2]! || y < bx[4 * j + 1]! || y > bx[4 * j + 3]!) continue;
    if (insideRings(t.parkRings[j]!, x, y)) return true;
  }
  return false;
}

/** Members of each radius tier: indices of counted parks with at least one vertex. */
function tiersOf(parks: CoverageParks): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let p = 0; p < parks.id.length; p++) {
    const r = parkServiceRadius(parks.areaM2[p]);
    if (r === null || !(parks.rings[p]?.length)) continue;
    if (!out.has(r)) out.set(r, []);
    out.get(r)!.push(p);
  }
  return out;
}

/** Per-cell coverage classes (0 / 1 / 2) only: the fast index. */
export function coverageClasses(parks: CoverageParks, cells: CoverageCells): Uint8Array {
  const n = cells.lon.length;
  const covered = new Uint8Array(n);
  if (n === 0) return covered;
  let lonMin = Infinity, lonMax = -Infinity, latMin = Infinity, latMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const lo = cells.lon[i]!, la = cells.lat[i]!;
    if (lo < lonMin) lonMin = lo;
    if (lo > lonMax) lonMax = lo;
    if (la < latMin) latMin = la;
    if (la > latMax) latMax = la;
  }
  const lat0 = (latMin + latMax) / 2;
  const cos0 = Math.cos(lat0 * DEG);
  const f: Frame = { lon0: (lonMin + lonMax) / 2, lat0, mx: M_PER_DEG * cos0, cos0 };
  // Smallest east–west scale of any cell (the pole-most one), with a small margin for park vertices beyond it.
  const farLat = Math.max(Math.abs(latMin), Math.abs(latMax)) + 0.05;
  const kMin = Math.cos(Math.min(89, farLat) * DEG) / cos0;

  const members = tiersOf(parks);
  const large = buildTier(parks, members.get(R_LARGE) ?? [], R_LARGE, f, kMin);
  const small = R_SMALL === R_LARGE ? null : buildTier(parks, members.get(R_SMALL) ?? [], R_SMALL, f, kMin);
  for (let i = 0; i < n; i++) {
    const la = cells.lat[i]!;
    const x = (cells.lon[i]! - f.lon0) * f.mx;
    const y = (la - f.lat0) * M_PER_DEG;
    const k = Math.cos(la * DEG) / cos0;
    if (large && reaches(large, x, y, k)) covered[i] = COVERED_500;
    else if (small && reaches(small, x, y, k)) covered[i] = COVERED_300;
  }
  return covered;
}

// ---------------------------------------------------------------------------
// Summaries

interface Acc {
  residentialM2: number;
  coveredResidentialM2: number;
  pop: number;
  coveredPop: number;
  parkAreaM2: number;
}

const emptyAcc = (): Acc => ({ residentialM2: 0, coveredResidentialM2: 0, pop: 0, coveredPop: 0, parkAreaM2: 0 });

function finish(a: Acc): Summary {
  const landShare = a.residentialM2 > 0 ? a.coveredResidentialM2 / a.residentialM2 : null;
  const popShare = a.pop > 0 ? a.coveredPop / a.pop : null;
  const parkM2PerPerson = a.pop > 0 ? a.parkAreaM2 / a.pop : null;
  return {
    ...a,
    landShare,
    popShare,
    parkM2PerPerson,
    meetsCoverage: checkGB55014('serviceRadiusCoverage', landShare).pass,
    meetsPerCapita: checkGB55014('parkGreenPerCapita', parkM2PerPerson).pass,
  };
}

/**
 * Density (people per km²) above which the model's 500 m cells stand in for
 * residential land: the data model's own urban threshold (scripts/data
 * README, park counts), a modelling choice the legend states.
 */
export const URBAN_RESIDENTIAL_DENSITY = 1500;

/** District and city summaries for given per-cell coverage classes. */
export function summarizeCoverage(parks: CoverageParks, cells: CoverageCells, covered: Uint8Array): Omit<CoverageResult, 'covered'> {
  const acc = new Map<string, Acc>();
  const city = emptyAcc();
  const minDensity = cells.residentialMinDensity ?? 0;
  const get = (d: string) => {
    let a = acc.get(d);
    if (!a) acc.set(d, (a = emptyAcc()));
    return a;
  };
  for (let i = 0; i < cells.lon.length; i++) {
    const pop = cells.pop[i]!;
    const a = get(cells.district[i] ?? '');
    if (!(pop > 0)) continue;
    const c = covered[i]! > 0;
    const residential = pop / (cells.cellAreaM2 / 1e6) >= minDensity;
    for (const t of [a, city]) {
      t.pop += pop;
      if (c) t.coveredPop += pop;
      if (residential) {
        t.residentialM2 += cells.cellAreaM2;
        if (c) t.coveredResidentialM2 += cells.cellAreaM2;
      }
    }
  }
  for (let p = 0; p < parks.id.length; p++) {
    const area = parks.areaM2[p]!;
    if (!Number.isFinite(area) || area <= 0) continue;
    get(parks.district[p] ?? '').parkAreaM2 += area;
    city.parkAreaM2 += area;
  }
  const byDistrict = new Map<string, Summary>();
  for (const [d, a] of acc) byDistrict.set(d, finish(a));
  return { byDistrict, city: finish(city) };
}

/** Coverage per cell, per district and for the city. */
export function computeCoverage(parks: CoverageParks, cells: CoverageCells): CoverageResult {
  const covered = coverageClasses(parks, cells);
  return { covered, ...summarizeCoverage(parks, cells, covered) };
}

// ---------------------------------------------------------------------------
// Baseline and scenario

/** Signed shoelace area in degrees² (sign = orientation); enough to order rings by size. */
function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return s / 2;
}

function pointInRing(x: number, y: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A park's flat ring list back to GeoJSON: a ring nested in an odd number of others is a hole. */
export function ringsToGeometry(rings: number[][][]): Polygon | MultiPolygon | null {
  const rs = rings.filter((r) => r.length >= 4).sort((a, b) => Math.abs(ringArea(b)) - Math.abs(ringArea(a)));
  const polys: number[][][][] = [];
  const outerOf: number[] = [];
  const placed: number[][][] = [];
  for (const r of rs) {
    const [x, y] = r[0] as [number, number];
    let depth = 0;
    let parent = -1;
    placed.forEach((o, i) => {
      if (pointInRing(x, y, o)) {
        depth++;
        if (outerOf[i]! >= 0) parent = outerOf[i]!;
      }
    });
    if (depth % 2 === 0) {
      outerOf.push(polys.length);
      polys.push([r]);
    } else {
      outerOf.push(-1);
      polys[parent]?.push(r);
    }
    placed.push(r);
  }
  if (polys.length === 0) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
}

/**
 * The obvious baseline: for each counted park, turf.buffer its polygon by the
 * service radius and test every cell centre with booleanPointInPolygon.
 * `steps` = arc segments per quarter circle of the buffer (turf's default is 8;
 * 16 keeps the polygonal arc within ≈ 0.6 m of the true 500 m circle).
 */
export function coverageBruteForce(parks: CoverageParks, cells: CoverageCells, steps = 16): Uint8Array {
  const n = cells.lon.length;
  const out = new Uint8Array(n);
  const pts = Array.from({ length: n }, (_, i) => point([cells.lon[i]!, cells.lat[i]!]));
  for (let p = 0; p < parks.id.length; p++) {
    const r = parkServiceRadius(parks.areaM2[p]);
    if (r === null) continue;
    const geometry = ringsToGeometry(parks.rings[p] ?? []);
    if (!geometry) continue;
    const buffered = turfBuffer({ type: 'Feature', properties: {}, geometry } as Feature<Polygon | MultiPolygon>, r, { units: 'meters', steps });
    if (!buffered) continue;
    buffered.bbox = turfBbox(buffered);
    const level = r === R_LARGE ? COVERED_500 : COVERED_300;
    for (let i = 0; i < n; i++) {
      if (out[i]! >= level) continue;
      if (booleanPointInPolygon(pts[i]!, buffered)) out[i] = level;
    }
  }
  return out;
}

/**
 * Parks plus one drawn park (a scenario): the ring is closed if needed and its
 * area computed with turf.area, so the standard's size rule applies to it.
 * `district` is the district its area is attributed to ('' = none; the city total still counts it).
 */
export function withExtraPark(parks: CoverageParks, ring: [number, number][], id = 'scenario', district = ''): CoverageParks {
  const r = ring.map((c) => [c[0], c[1]]);
  const first = r[0];
  const last = r[r.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) r.push([first[0]!, first[1]!]);
  const areaM2 = r.length >= 4 ? turfArea(turfPolygon([r])) : 0;
  const area = new Float64Array(parks.areaM2.length + 1);
  area.set(parks.areaM2);
  area[parks.areaM2.length] = areaM2;
  return {
    id: [...parks.id, id],
    district: [...parks.district, district],
    areaM2: area,
    rings: [...parks.rings, [r]],
  };
}
