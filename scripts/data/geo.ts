/**
 * Land and grid helpers: local metric projection, point-in-polygon,
 * scanline rasterisation of districts onto a grid, segment intersection,
 * spatial hashing. Coordinates are WGS-84 [lon, lat] unless named x/y
 * (metres in a city's local equirectangular frame).
 */

export type Pt = [number, number];
export type Ring = Pt[];
/** A polygon: outer ring first, then holes. */
export type Poly = Ring[];
/** MultiPolygon as a list of polygons. */
export type MultiPoly = Poly[];

export const EARTH_R = 6371008.8;
const DEG = Math.PI / 180;

/** Equirectangular projection around a city's reference latitude. Error < 0.3 % over 100 km. */
export class LocalFrame {
  readonly lon0: number;
  readonly lat0: number;
  readonly mx: number; // metres per degree lon
  readonly my: number; // metres per degree lat

  constructor(lon0: number, lat0: number) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    this.my = EARTH_R * DEG;
    this.mx = EARTH_R * DEG * Math.cos(lat0 * DEG);
  }

  toXY(lon: number, lat: number): Pt {
    return [(lon - this.lon0) * this.mx, (lat - this.lat0) * this.my];
  }

  toLonLat(x: number, y: number): Pt {
    return [this.lon0 + x / this.mx, this.lat0 + y / this.my];
  }

  dist(a: Pt, b: Pt): number {
    const dx = (a[0] - b[0]) * this.mx;
    const dy = (a[1] - b[1]) * this.my;
    return Math.sqrt(dx * dx + dy * dy);
  }
}

export function haversine(a: Pt, b: Pt): number {
  const dLat = (b[1] - a[1]) * DEG;
  const dLon = (b[0] - a[0]) * DEG;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * DEG) * Math.cos(b[1] * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(s)));
}

export function ringBBox(ring: Ring): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [x, y] of ring) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

export function multiBBox(mp: MultiPoly): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const poly of mp) {
    const b = ringBBox(poly[0] as Ring);
    w = Math.min(w, b[0]);
    s = Math.min(s, b[1]);
    e = Math.max(e, b[2]);
    n = Math.max(n, b[3]);
  }
  return [w, s, e, n];
}

/** Even-odd ray casting on one ring. */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Pt;
    const b = ring[j] as Pt;
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

export function pointInPoly(x: number, y: number, poly: Poly): boolean {
  if (!pointInRing(x, y, poly[0] as Ring)) return false;
  for (let h = 1; h < poly.length; h++) if (pointInRing(x, y, poly[h] as Ring)) return false;
  return true;
}

/** Multipolygon with per-polygon bounding boxes, for fast repeated point tests. */
export class IndexedArea {
  readonly polys: MultiPoly;
  readonly boxes: [number, number, number, number][];
  readonly bbox: [number, number, number, number];

  constructor(polys: MultiPoly) {
    this.polys = polys;
    this.boxes = polys.map((p) => ringBBox(p[0] as Ring));
    this.bbox = multiBBox(polys);
  }

  contains(x: number, y: number): boolean {
    const bb = this.bbox;
    if (x < bb[0] || x > bb[2] || y < bb[1] || y > bb[3]) return false;
    for (let i = 0; i < this.polys.length; i++) {
      const b = this.boxes[i] as [number, number, number, number];
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      if (pointInPoly(x, y, this.polys[i] as Poly)) return true;
    }
    return false;
  }
}

/**
 * A regular grid of square cells of `sizeM` metres in a city's local frame,
 * addressed by (row, col) from the south-west corner.
 */
export class Grid {
  readonly frame: LocalFrame;
  readonly sizeM: number;
  readonly west: number;
  readonly south: number;
  readonly dLon: number;
  readonly dLat: number;
  readonly nx: number;
  readonly ny: number;

  constructor(frame: LocalFrame, bbox: [number, number, number, number], sizeM: number) {
    this.frame = frame;
    this.sizeM = sizeM;
    this.dLon = sizeM / frame.mx;
    this.dLat = sizeM / frame.my;
    this.west = Math.floor(bbox[0] / this.dLon) * this.dLon;
    this.south = Math.floor(bbox[1] / this.dLat) * this.dLat;
    this.nx = Math.ceil((bbox[2] - this.west) / this.dLon) + 1;
    this.ny = Math.ceil((bbox[3] - this.south) / this.dLat) + 1;
  }

  centreLon(col: number): number {
    return this.west + (col + 0.5) * this.dLon;
  }

  centreLat(row: number): number {
    return this.south + (row + 0.5) * this.dLat;
  }

  colOf(lon: number): number {
    return Math.floor((lon - this.west) / this.dLon);
  }

  rowOf(lat: number): number {
    return Math.floor((lat - this.south) / this.dLat);
  }

  index(row: number, col: number): number {
    return row * this.nx + col;
  }
}

/**
 * Scanline rasterisation: for every grid row, the x-intersections of all the
 * area's ring edges with the row's centre latitude give the inside spans
 * (even-odd). Writes `value` into `out[row*nx+col]` for cells whose centre is inside.
 */
export function rasterize(grid: Grid, area: MultiPoly, out: Int32Array, value: number): void {
  const rings: Ring[] = [];
  for (const poly of area) for (const ring of poly) rings.push(ring);
  const bb = multiBBox(area);
  const r0 = Math.max(0, grid.rowOf(bb[1]) - 1);
  const r1 = Math.min(grid.ny - 1, grid.rowOf(bb[3]) + 1);
  const xs: number[] = [];
  for (let row = r0; row <= r1; row++) {
    const y = grid.centreLat(row);
    xs.length = 0;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i] as Pt;
        const b = ring[j] as Pt;
        if (a[1] > y !== b[1] > y) xs.push(((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]);
      }
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(((xs[k] as number) - grid.west) / grid.dLon - 0.5));
      const c1 = Math.min(grid.nx - 1, Math.floor(((xs[k + 1] as number) - grid.west) / grid.dLon - 0.5));
      for (let c = c0; c <= c1; c++) out[row * grid.nx + c] = value;
    }
  }
}

/** Proper intersection of segments p1p2 and p3p4; returns the parameter t on p1p2 or null. */
export function segmentIntersect(p1: Pt, p2: Pt, p3: Pt, p4: Pt): number | null {
  const d1x = p2[0] - p1[0];
  const d1y = p2[1] - p1[1];
  const d2x = p4[0] - p3[0];
  const d2y = p4[1] - p3[1];
  const den = d1x * d2y - d1y * d2x;
  if (den === 0) return null;
  const t = ((p3[0] - p1[0]) * d2y - (p3[1] - p1[1]) * d2x) / den;
  const u = ((p3[0] - p1[0]) * d1y - (p3[1] - p1[1]) * d1x) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return t;
}

/** Distance from point p to segment ab, in the units of the inputs. */
export function pointSegmentDistance(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  const qx = a[0] + t * dx - p[0];
  const qy = a[1] + t * dy - p[1];
  return Math.sqrt(qx * qx + qy * qy);
}

/** Points bucketed into square cells (metric x/y) for radius queries. */
export class SpatialHash {
  private readonly size: number;
  private readonly cells = new Map<number, number[]>();
  readonly xs: number[] = [];
  readonly ys: number[] = [];

  constructor(size: number) {
    this.size = size;
  }

  private key(cx: number, cy: number): number {
    return (cx + 50000) * 100000 + (cy + 50000);
  }

  add(x: number, y: number): number {
    const id = this.xs.length;
    this.xs.push(x);
    this.ys.push(y);
    const k = this.key(Math.floor(x / this.size), Math.floor(y / this.size));
    let list = this.cells.get(k);
    if (!list) {
      list = [];
      this.cells.set(k, list);
    }
    list.push(id);
    return id;
  }

  /** Ids within radius r of (x, y), in insertion order per cell. */
  within(x: number, y: number, r: number): number[] {
    const out: number[] = [];
    const c0x = Math.floor((x - r) / this.size);
    const c1x = Math.floor((x + r) / this.size);
    const c0y = Math.floor((y - r) / this.size);
    const c1y = Math.floor((y + r) / this.size);
    const r2 = r * r;
    for (let cx = c0x; cx <= c1x; cx++) {
      for (let cy = c0y; cy <= c1y; cy++) {
        const list = this.cells.get(this.key(cx, cy));
        if (!list) continue;
        for (const id of list) {
          const dx = (this.xs[id] as number) - x;
          const dy = (this.ys[id] as number) - y;
          if (dx * dx + dy * dy <= r2) out.push(id);
        }
      }
    }
    return out;
  }

  /** Nearest id within maxR, or -1. */
  nearest(x: number, y: number, maxR: number): number {
    let best = -1;
    let bestD = maxR * maxR;
    const c0x = Math.floor((x - maxR) / this.size);
    const c1x = Math.floor((x + maxR) / this.size);
    const c0y = Math.floor((y - maxR) / this.size);
    const c1y = Math.floor((y + maxR) / this.size);
    for (let cx = c0x; cx <= c1x; cx++) {
      for (let cy = c0y; cy <= c1y; cy++) {
        const list = this.cells.get(this.key(cx, cy));
        if (!list) continue;
        for (const id of list) {
          const dx = (this.xs[id] as number) - x;
          const dy = (this.ys[id] as number) - y;
          const d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && id < best)) {
            bestD = d;
            best = id;
          }
        }
      }
    }
    return best;
  }
}

/** Round a coordinate to `digits` decimals (5 ≈ 1.1 m). */
export function roundCoord(v: number, digits = 5): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Shoelace area of a ring in a local frame, m² (positive). */
export function ringAreaM2(ring: Ring, frame: LocalFrame): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = frame.toXY((ring[i] as Pt)[0], (ring[i] as Pt)[1]);
    const b = frame.toXY((ring[j] as Pt)[0], (ring[j] as Pt)[1]);
    s += (b[0] - a[0]) * (b[1] + a[1]);
  }
  return Math.abs(s) / 2;
}

/** Polyline densified to points every `stepM` metres (inclusive of ends). */
export function densify(line: Pt[], frame: LocalFrame, stepM: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i] as Pt;
    const b = line[i + 1] as Pt;
    const d = frame.dist(a, b);
    const n = Math.max(1, Math.ceil(d / stepM));
    for (let k = 0; k < n; k++) {
      const t = k / n;
      out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
    }
  }
  const last = line[line.length - 1];
  if (last) out.push([last[0], last[1]]);
  return out;
}
