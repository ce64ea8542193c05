/**
 * Well-Known Binary → GeoJSON geometry, for GeoParquet geometry columns
 * (./geoParquet.ts, ./wkbStaging.ts) and their load (./userLoad.ts). There is
 * no DuckDB spatial extension in an offline app, and hyparquet's own reader
 * (which the engine uses for Parquet) keeps Z, knows no EWKB and trusts the
 * counts it reads, so the file's bytes are read here.
 *
 * Read: both byte orders; Point, LineString, Polygon, MultiPoint,
 * MultiLineString, MultiPolygon, GeometryCollection; ISO type codes with Z, M
 * and ZM (1001…, 2001…, 3001…) and PostGIS EWKB flags (Z 0x80000000,
 * M 0x40000000, SRID 0x20000000, whose SRID is skipped). Z and M are dropped:
 * the map and the tables are 2D.
 *
 * Input is a planner's file, so it is not trusted: every count is checked
 * against the bytes left before anything is allocated, nesting is bounded,
 * and a truncated, hostile or trailing-garbage value throws an Error saying
 * where. An empty geometry (POINT EMPTY is NaN coordinates; zero parts) is
 * null, since it has nowhere to be drawn.
 *
 *   wkbToGeometry(bytes)  // { type: 'Point', coordinates: [117.02, 36.65] } | null
 */
import type { Geometry, Position } from 'geojson';

const TYPES = ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;
export type WkbTypeName = (typeof TYPES)[number];

const EWKB_Z = 0x80000000;
const EWKB_M = 0x40000000;
const EWKB_SRID = 0x20000000;
/** Deeper than any real collection; bounds the recursion a hostile value could ask for. */
const MAX_DEPTH = 32;
/** The smallest a nested geometry can be: byte order, type, and a count (an empty part). */
const MIN_PART_BYTES = 9;

interface Header {
  type: WkbTypeName;
  little: boolean;
  /** Coordinates per vertex: 2, 3 (Z or M) or 4. */
  dims: number;
}

class Reader {
  readonly view: DataView;
  at = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left() {
    return this.bytes.byteLength - this.at;
  }
  need(n: number, what: string) {
    if (n > this.left) throw new Error(`WKB is truncated: ${what} needs ${n} bytes at byte ${this.at}, and ${this.left} are left (of ${this.bytes.byteLength})`);
  }
  u8() {
    this.need(1, 'the byte order');
    return this.view.getUint8(this.at++);
  }
  u32(little: boolean, what: string) {
    this.need(4, what);
    const v = this.view.getUint32(this.at, little);
    this.at += 4;
    return v;
  }
  /** A count of items of at least `size` bytes each, refused when the bytes left cannot hold them. */
  count(little: boolean, size: number, what: string) {
    const n = this.u32(little, `the ${what} count`);
    if (n * size > this.left) throw new Error(`WKB is truncated or corrupt: ${n} ${what} need at least ${n * size} bytes at byte ${this.at}, and ${this.left} are left`);
    return n;
  }
  f64(little: boolean) {
    const v = this.view.getFloat64(this.at, little);
    this.at += 8;
    return v;
  }
}

/** The type and dimensions of a type code, ISO (1001…) or EWKB (flag bits); null when it is none. */
function typeCode(raw: number): { type: WkbTypeName; dims: number } | null {
  const code = raw & 0x0fffffff;
  const base = code % 1000;
  const iso = Math.floor(code / 1000);
  if (base < 1 || base > 7 || iso > 3) return null;
  const z = (raw & EWKB_Z) !== 0 || iso === 1 || iso === 3;
  const m = (raw & EWKB_M) !== 0 || iso === 2 || iso === 3;
  return { type: TYPES[base - 1]!, dims: 2 + (z ? 1 : 0) + (m ? 1 : 0) };
}

function header(r: Reader): Header {
  const start = r.at;
  const order = r.u8();
  if (order > 1) throw new Error(`not WKB: byte ${start} should be the byte order (0 or 1), and is ${order}`);
  const little = order === 1;
  const raw = r.u32(little, 'the geometry type');
  const t = typeCode(raw);
  if (!t) throw new Error(`not WKB: unknown geometry type ${raw} at byte ${start + 1}`);
  if (raw & EWKB_SRID) r.u32(little, 'the SRID');
  return { ...t, little };
}

function vertex(r: Reader, h: Header, where: string): Position {
  const x = r.f64(h.little);
  const y = r.f64(h.little);
  r.at += (h.dims - 2) * 8;
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`WKB ${where} has a coordinate that is not a finite number (${x}, ${y})`);
  return [x, y];
}

function line(r: Reader, h: Header, what: string): Position[] {
  const n = r.count(h.little, h.dims * 8, 'points');
  const out: Position[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = vertex(r, h, `${what} point ${i + 1}`);
  return out;
}

function polygon(r: Reader, h: Header): Position[][] {
  const n = r.count(h.little, 4, 'rings');
  const rings: Position[][] = [];
  for (let i = 0; i < n; i++) rings.push(line(r, h, `ring ${i + 1}`));
  // An empty shell is an empty polygon: promoting its first hole to the shell would draw the hole filled.
  return rings[0]?.length ? rings.filter((ring) => ring.length > 0) : [];
}

/** The point's position, or null for POINT EMPTY (all NaN). */
function point(r: Reader, h: Header): Position | null {
  r.need(h.dims * 8, 'a point');
  const x = r.view.getFloat64(r.at, h.little);
  const y = r.view.getFloat64(r.at + 8, h.little);
  if (Number.isNaN(x) && Number.isNaN(y)) {
    r.at += h.dims * 8;
    return null;
  }
  return vertex(r, h, 'point');
}

/** One geometry from the reader's position; null when it is empty. */
function geometry(r: Reader, depth: number): Geometry | null {
  if (depth > MAX_DEPTH) throw new Error(`WKB nests collections more than ${MAX_DEPTH} deep`);
  const h = header(r);
  const parts = <T>(want: WkbTypeName, read: (h: Header) => T | null): T[] => {
    const n = r.count(h.little, MIN_PART_BYTES, 'parts');
    const out: T[] = [];
    for (let i = 0; i < n; i++) {
      const ph = header(r);
      if (ph.type !== want) throw new Error(`WKB ${h.type} holds a ${ph.type} (part ${i + 1}); only ${want}s belong there`);
      const p = read(ph);
      if (p !== null) out.push(p);
    }
    return out;
  };
  switch (h.type) {
    case 'Point': {
      const c = point(r, h);
      return c ? { type: 'Point', coordinates: c } : null;
    }
    case 'LineString': {
      const c = line(r, h, 'line');
      return c.length ? { type: 'LineString', coordinates: c } : null;
    }
    case 'Polygon': {
      const c = polygon(r, h);
      return c.length ? { type: 'Polygon', coordinates: c } : null;
    }
    case 'MultiPoint': {
      const c = parts('Point', (ph) => point(r, ph));
      return c.length ? { type: 'MultiPoint', coordinates: c } : null;
    }
    case 'MultiLineString': {
      const c = parts('LineString', (ph) => {
        const l = line(r, ph, 'line');
        return l.length ? l : null;
      });
      return c.length ? { type: 'MultiLineString', coordinates: c } : null;
    }
    case 'MultiPolygon': {
      const c = parts('Polygon', (ph) => {
        const p = polygon(r, ph);
        return p.length ? p : null;
      });
      return c.length ? { type: 'MultiPolygon', coordinates: c } : null;
    }
    case 'GeometryCollection': {
      const n = r.count(h.little, MIN_PART_BYTES, 'parts');
      const out: Geometry[] = [];
      for (let i = 0; i < n; i++) {
        const g = geometry(r, depth + 1);
        if (g) out.push(g);
      }
      return out.length ? { type: 'GeometryCollection', geometries: out } : null;
    }
  }
}

/** The GeoJSON geometry of one WKB value (2D), or null when it is empty. Throws an Error saying what is wrong. */
export function wkbToGeometry(bytes: Uint8Array): Geometry | null {
  if (!(bytes instanceof Uint8Array)) throw new Error('WKB must be bytes (a Uint8Array)');
  if (bytes.byteLength === 0) throw new Error('WKB is empty (0 bytes)');
  const r = new Reader(bytes);
  const g = geometry(r, 0);
  if (r.left > 0) throw new Error(`not WKB: ${r.left} bytes left over after the ${g?.type ?? 'empty geometry'} (of ${bytes.byteLength})`);
  return g;
}

/** The geometry type named by a WKB value's first 5 bytes (byte order and type), or null when they are not WKB. Reads nothing else. */
export function wkbType(bytes: Uint8Array): WkbTypeName | null {
  if (bytes.byteLength < 5 || bytes[0]! > 1) return null;
  const raw = new DataView(bytes.buffer, bytes.byteOffset, 5).getUint32(1, bytes[0] === 1);
  return typeCode(raw)?.type ?? null;
}

const round = (v: number) => String(Math.round(v * 1e6) / 1e6);

/**
 * A line a planner can read in place of the bytes: `POINT (117.02 36.65)`,
 * `POLYGON, 2 rings, 10 points (WKB 189 bytes)`, `WKB 15 bytes: unreadable`.
 */
export function wkbSummary(bytes: Uint8Array): string {
  let g: Geometry | null;
  try {
    g = wkbToGeometry(bytes);
  } catch {
    return `WKB ${bytes.byteLength} bytes: unreadable`;
  }
  if (!g) return `${(wkbType(bytes) ?? 'geometry').toUpperCase()} EMPTY`;
  if (g.type === 'Point') return `POINT (${round(g.coordinates[0]!)} ${round(g.coordinates[1]!)})`;
  const size = `(WKB ${bytes.byteLength} bytes)`;
  const name = g.type.toUpperCase();
  switch (g.type) {
    case 'LineString':
    case 'MultiPoint':
      return `${name}, ${g.coordinates.length} points ${size}`;
    case 'Polygon':
      return `${name}, ${g.coordinates.length} ring${g.coordinates.length > 1 ? 's' : ''}, ${g.coordinates.reduce((n, ring) => n + ring.length, 0)} points ${size}`;
    case 'MultiLineString':
    case 'MultiPolygon':
      return `${name}, ${g.coordinates.length} part${g.coordinates.length > 1 ? 's' : ''} ${size}`;
    case 'GeometryCollection':
      return `${name}, ${g.geometries.length} part${g.geometries.length > 1 ? 's' : ''} ${size}`;
  }
}

/**
 * The inverse, for the tests and the fixture generator (the app only reads
 * WKB): ISO WKB of a GeoJSON geometry, little-endian unless `bigEndian`, with
 * Z when its positions have a third value.
 */
export function geometryToWkb(g: Geometry, bigEndian = false): Uint8Array {
  const out: number[] = [];
  const scratch = new DataView(new ArrayBuffer(8));
  const u32 = (v: number) => {
    scratch.setUint32(0, v, !bigEndian);
    for (let i = 0; i < 4; i++) out.push(scratch.getUint8(i));
  };
  const f64 = (v: number) => {
    scratch.setFloat64(0, v, !bigEndian);
    for (let i = 0; i < 8; i++) out.push(scratch.getUint8(i));
  };
  const z = (function firstPosition(c: unknown): boolean {
    return Array.isArray(c) && (typeof c[0] === 'number' ? c.length > 2 : c.some(firstPosition));
  })(g.type === 'GeometryCollection' ? [] : g.coordinates);
  const head = (type: WkbTypeName, is3d: boolean) => {
    out.push(bigEndian ? 0 : 1);
    u32(TYPES.indexOf(type) + 1 + (is3d ? 1000 : 0));
  };
  const pos = (p: Position) => {
    f64(p[0]!);
    f64(p[1]!);
    if (z) f64(p[2] ?? 0);
  };
  const line = (ps: Position[]) => {
    u32(ps.length);
    ps.forEach(pos);
  };
  const poly = (rings: Position[][]) => {
    u32(rings.length);
    rings.forEach(line);
  };
  const parts = <T>(type: WkbTypeName, list: T[], one: (p: T) => void) => {
    u32(list.length);
    for (const p of list) {
      head(type, z);
      one(p);
    }
  };
  const write = (g: Geometry): void => {
    head(g.type, z && g.type !== 'GeometryCollection');
    if (g.type === 'Point') pos(g.coordinates.length ? g.coordinates : [NaN, NaN, NaN]); // POINT EMPTY
    else if (g.type === 'LineString') line(g.coordinates);
    else if (g.type === 'Polygon') poly(g.coordinates);
    else if (g.type === 'MultiPoint') parts('Point', g.coordinates, pos);
    else if (g.type === 'MultiLineString') parts('LineString', g.coordinates, line);
    else if (g.type === 'MultiPolygon') parts('Polygon', g.coordinates, poly);
    else {
      u32(g.geometries.length);
      g.geometries.forEach(write);
    }
  };
  write(g);
  return new Uint8Array(out);
}
