/**
 * GeoJSON FeatureCollection text → validated, flattened rows, and from there
 * an Arrow table. Shared by both engine implementations.
 *
 * One row per feature, columns in this order:
 *   __fid (INTEGER, 0-based feature index),
 *   every property in first-seen order (names kept exactly),
 *   __geom (geometry as GeoJSON text), __gtype (geometry type),
 *   __xmin, __ymin, __xmax, __ymax (DOUBLE bounding box).
 * A feature with `geometry: null` or an empty geometry gets NULL in the
 * geometry and bbox columns.
 *
 * Property column types are inferred over all features:
 * - only booleans → BOOLEAN
 * - only integers within ±2^31 → INTEGER; other safe integers → BIGINT
 * - only numbers otherwise → DOUBLE
 * - only strings → VARCHAR
 * - anything else (objects, arrays, mixed types) → VARCHAR, where strings are
 *   kept as-is and other values are stored as their JSON text
 * - only nulls / missing → VARCHAR (all NULL)
 *
 * Names: DuckDB column names are case-insensitive, so a property whose name
 * equals (ignoring case) a reserved `__` column or an earlier property gets a
 * `_1`, `_2`, … suffix. Everything else is kept byte for byte.
 *
 * Why not DuckDB-WASM's `insertJSONFromPath`: it sorts columns alphabetically,
 * fails on properties whose type varies between features ("Expected signed
 * int or null, got string") and cannot load an empty collection. Building the
 * Arrow table here gives the same result in both implementations.
 */
import type { Table } from 'apache-arrow';
import { ColumnBuilder, buildTable, type ColumnKind } from './arrowColumns.ts';

export const GEO_FID = '__fid';
export const GEO_GEOM = '__geom';
export const GEO_GTYPE = '__gtype';
export const GEO_BBOX = ['__xmin', '__ymin', '__xmax', '__ymax'] as const;
export const RESERVED_GEO_COLUMNS: readonly string[] = [GEO_FID, GEO_GEOM, GEO_GTYPE, ...GEO_BBOX];

export type GeometryType =
  | 'Point'
  | 'MultiPoint'
  | 'LineString'
  | 'MultiLineString'
  | 'Polygon'
  | 'MultiPolygon'
  | 'GeometryCollection';

/** Nesting depth of positions in `coordinates` for each simple geometry type. */
const COORD_DEPTH: Record<Exclude<GeometryType, 'GeometryCollection'>, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

export interface GeoJSONColumn {
  /** Column name in the table. */
  name: string;
  /** The property key it came from (undefined for the engine's own `__` columns). */
  property?: string;
  kind: ColumnKind;
}

export interface GeoJSONRows {
  columns: GeoJSONColumn[];
  /** One array per feature, values in `columns` order. */
  rows: unknown[][];
}

function fail(message: string): never {
  throw new Error(`invalid GeoJSON: ${message}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const t = (v as { type?: unknown }).type;
    return typeof t === 'string' ? `type ${JSON.stringify(t.slice(0, 40))}` : 'an object without "type"';
  }
  return `a ${typeof v}`;
}

type BBox = [number, number, number, number];

function addPosition(pos: unknown, bbox: BBox, where: string): void {
  if (!Array.isArray(pos) || pos.length < 2) fail(`${where}: a position must be an array of at least 2 numbers`);
  for (let i = 0; i < pos.length; i++) {
    const n = pos[i];
    if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${where}: coordinate values must be finite numbers`);
  }
  const x = pos[0] as number;
  const y = pos[1] as number;
  if (x < bbox[0]) bbox[0] = x;
  if (y < bbox[1]) bbox[1] = y;
  if (x > bbox[2]) bbox[2] = x;
  if (y > bbox[3]) bbox[3] = y;
}

function walkCoordinates(coords: unknown, depth: number, bbox: BBox, where: string): void {
  if (depth === 0) {
    addPosition(coords, bbox, where);
    return;
  }
  if (!Array.isArray(coords)) fail(`${where}: "coordinates" is not nested as its geometry type requires`);
  for (const c of coords) walkCoordinates(c, depth - 1, bbox, where);
}

function walkGeometry(geom: unknown, bbox: BBox, where: string, nesting = 0): GeometryType {
  if (!isPlainObject(geom)) fail(`${where}: geometry must be an object or null, got ${describe(geom)}`);
  const type = geom.type;
  if (type === 'GeometryCollection') {
    if (nesting > 32) fail(`${where}: GeometryCollection nested too deeply`);
    if (!Array.isArray(geom.geometries)) fail(`${where}: GeometryCollection needs a "geometries" array`);
    for (const g of geom.geometries) walkGeometry(g, bbox, where, nesting + 1);
    return type;
  }
  if (typeof type !== 'string' || !(type in COORD_DEPTH)) {
    fail(`${where}: unknown geometry type ${JSON.stringify(type)}`);
  }
  const depth = COORD_DEPTH[type as keyof typeof COORD_DEPTH];
  if (!Array.isArray(geom.coordinates)) fail(`${where}: ${type} needs a "coordinates" array`);
  if (depth === 0) addPosition(geom.coordinates, bbox, where);
  else walkCoordinates(geom.coordinates, depth, bbox, where);
  return type as GeometryType;
}

/** Parse text and check it is a FeatureCollection; returns its features. */
export function parseFeatureCollection(text: string): unknown[] {
  if (typeof text !== 'string') throw new Error('GeoJSON input must be text');
  if (text.trim().length === 0) throw new Error('empty file, not a GeoJSON FeatureCollection');
  let doc: unknown;
  try {
    // A UTF-8 byte order mark is legal at the start of a file but not in JSON.
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new Error(`not a GeoJSON FeatureCollection: the text is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (!isPlainObject(doc) || doc.type !== 'FeatureCollection') {
    throw new Error(`not a GeoJSON FeatureCollection (got ${describe(doc)})`);
  }
  if (!Array.isArray(doc.features)) throw new Error('not a GeoJSON FeatureCollection ("features" is not an array)');
  return doc.features;
}

type Seen = { bool: boolean; int32: boolean; int64: boolean; float: boolean; str: boolean; other: boolean };

function kindOf(seen: Seen): ColumnKind {
  const kinds = [seen.bool, seen.int32 || seen.int64 || seen.float, seen.str, seen.other].filter(Boolean).length;
  if (kinds !== 1) return 'utf8'; // none or mixed
  if (seen.bool) return 'bool';
  if (seen.str) return 'utf8';
  if (seen.other) return 'utf8';
  if (seen.float) return 'float64';
  return seen.int64 ? 'int64' : 'int32';
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? null;
}

/**
 * Validate and flatten a GeoJSON FeatureCollection into rows.
 * Throws an Error with a clear message ("not a GeoJSON FeatureCollection",
 * "invalid GeoJSON: feature 3: …") on bad input.
 */
export function geojsonToRows(text: string): GeoJSONRows {
  const features = parseFeatureCollection(text);

  // Pass 1: validate, collect property keys (first-seen order) and value kinds.
  const keys: string[] = [];
  const seenByKey = new Map<string, Seen>();
  const geoms: { text: string | null; type: GeometryType | null; bbox: BBox | null }[] = new Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const where = `feature ${i}`;
    if (!isPlainObject(f) || f.type !== 'Feature') fail(`${where} is not a GeoJSON Feature (got ${describe(f)})`);
    const props = f.properties;
    if (props !== null && props !== undefined && !isPlainObject(props)) {
      fail(`${where}: "properties" must be an object or null, got ${describe(props)}`);
    }
    if (props) {
      for (const key of Object.keys(props)) {
        let seen = seenByKey.get(key);
        if (!seen) {
          seen = { bool: false, int32: false, int64: false, float: false, str: false, other: false };
          seenByKey.set(key, seen);
          keys.push(key);
        }
        const v = props[key];
        if (v === null || v === undefined) continue;
        switch (typeof v) {
          case 'boolean': seen.bool = true; break;
          case 'string': seen.str = true; break;
          case 'number':
            if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) seen.int32 = true;
            else if (Number.isSafeInteger(v)) seen.int64 = true;
            else seen.float = true;
            break;
          default: seen.other = true;
        }
      }
    }
    const g = f.geometry;
    if (g === null || g === undefined) {
      geoms[i] = { text: null, type: null, bbox: null };
    } else {
      const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
      const type = walkGeometry(g, bbox, where);
      geoms[i] = { text: JSON.stringify(g), type, bbox: bbox[0] <= bbox[2] ? bbox : null };
    }
  }

  // Column names: reserved first, then properties, deduplicated case-insensitively.
  const used = new Set(RESERVED_GEO_COLUMNS.map((n) => n.toLowerCase()));
  const propColumns: GeoJSONColumn[] = keys.map((key) => {
    let name = key;
    for (let n = 1; used.has(name.toLowerCase()); n++) name = `${key}_${n}`;
    used.add(name.toLowerCase());
    return { name, property: key, kind: kindOf(seenByKey.get(key)!) };
  });
  const columns: GeoJSONColumn[] = [
    { name: GEO_FID, kind: 'int32' },
    ...propColumns,
    { name: GEO_GEOM, kind: 'utf8' },
    { name: GEO_GTYPE, kind: 'utf8' },
    ...GEO_BBOX.map((name): GeoJSONColumn => ({ name, kind: 'float64' })),
  ];

  // Pass 2: rows.
  const rows: unknown[][] = new Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const f = features[i] as Record<string, unknown>;
    const props = (f.properties ?? null) as Record<string, unknown> | null;
    const row: unknown[] = [i];
    for (const col of propColumns) {
      const has = props !== null && Object.prototype.hasOwnProperty.call(props, col.property!);
      const v = has ? props![col.property!] : null;
      row.push(col.kind === 'utf8' ? toText(v) : v ?? null);
    }
    const g = geoms[i]!;
    row.push(g.text, g.type, g.bbox?.[0] ?? null, g.bbox?.[1] ?? null, g.bbox?.[2] ?? null, g.bbox?.[3] ?? null);
    rows[i] = row;
  }
  return { columns, rows };
}

/** Rows (from {@link geojsonToRows}) → Arrow table with the same columns. */
export function geojsonRowsToArrow({ columns, rows }: GeoJSONRows): Table {
  const builders = columns.map((c) => new ColumnBuilder(c.name, c.kind, rows.length));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let c = 0; c < builders.length; c++) builders[c]!.set(i, row[c]);
  }
  return buildTable(builders, rows.length);
}

/** GeoJSON FeatureCollection text → Arrow table (validate, flatten, build). */
export function geojsonToArrow(text: string): Table {
  return geojsonRowsToArrow(geojsonToRows(text));
}
