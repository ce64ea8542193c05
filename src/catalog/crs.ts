/**
 * China's offset coordinate systems → WGS-84, for catalog files that declare
 * `crs: "GCJ02"` (Amap, Tencent, Google China) or `"BD09"` (Baidu). Pure
 * functions over numbers and GeoJSON objects, no engine; the conversions are
 * gcoord's (https://github.com/hujiulong/gcoord, MIT).
 *
 * What gcoord does, and so what these functions do:
 * - GCJ-02 → WGS-84 inverts the GCJ-02 obfuscation by fixed-point iteration
 *   until the forward transform reproduces the input to within 1e-6° (about
 *   0.1 m). The shift itself is 100–700 m across mainland China.
 * - Positions outside China are left unchanged by the GCJ-02 step. "China" is
 *   gcoord's rough box, longitude 72.004…137.8347 and latitude 0.8293…55.8271,
 *   tested on the input coordinates: it also covers neighbours (Korea, most of
 *   Japan and Mongolia, Vietnam…) where the shift is applied all the same, and
 *   GCJ-02 data from those places is not something the catalog should hold.
 * - BD-09 → WGS-84 is BD-09 → GCJ-02 (the closed-form Baidu step, a shift of
 *   about 0.0065° east and 0.006° north, applied everywhere, inside the box or
 *   not) followed by GCJ-02 → WGS-84 as above.
 * - WGS-84 → WGS-84 is the identity.
 */
import gcoord from 'gcoord';
import type { BBox, Feature, FeatureCollection } from 'geojson';
import type { Crs } from './types';

export const SUPPORTED_CRS: readonly Crs[] = ['WGS84', 'GCJ02', 'BD09'];

export function isSupportedCrs(v: unknown): v is Crs {
  return typeof v === 'string' && (SUPPORTED_CRS as readonly string[]).includes(v);
}

export type Convert = (lon: number, lat: number) => [number, number];

const GCOORD_CRS = { GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

/** The point converter for `from`, or null for WGS-84 (nothing to do). Throws on an unknown CRS. */
function converterFrom(from: Crs): Convert | null {
  if (from === 'WGS84') return null;
  if (from !== 'GCJ02' && from !== 'BD09') throw new Error(`unsupported CRS ${JSON.stringify(from)} (expected ${SUPPORTED_CRS.join(', ')})`);
  const src = GCOORD_CRS[from];
  return (lon, lat) => {
    const out = gcoord.transform([lon, lat] as [number, number], src, gcoord.WGS84);
    return [out[0], out[1]];
  };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * One position from `from` to WGS-84 as `[lon, lat]` (degrees). The identity
 * for WGS-84. Throws a RangeError unless both values are finite numbers.
 */
export function toWgs84Point(lon: number, lat: number, from: Crs): [number, number] {
  const convert = converterFrom(from);
  if (!isFiniteNumber(lon) || !isFiniteNumber(lat)) {
    throw new RangeError(`cannot convert position [${String(lon)}, ${String(lat)}]: both values must be finite numbers`);
  }
  return convert ? convert(lon, lat) : [lon, lat];
}

/**
 * Point columns from `from` to WGS-84. Returns NEW Float64Arrays; the inputs
 * are never modified (so a Float32Array input loses nothing to rounding
 * here). A row whose lon or lat is missing or not a finite number has no
 * position to convert: it comes back as NaN in both outputs. Throws a
 * RangeError if the columns differ in length.
 */
export function columnsToWgs84(
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  from: Crs,
): { lon: Float64Array; lat: Float64Array } {
  const convert = converterFrom(from);
  if (lon.length !== lat.length) {
    throw new RangeError(`lon and lat columns differ in length (${lon.length} vs ${lat.length})`);
  }
  const n = lon.length;
  const outLon = new Float64Array(n);
  const outLat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = lon[i];
    const y = lat[i];
    if (!isFiniteNumber(x) || !isFiniteNumber(y)) {
      outLon[i] = NaN;
      outLat[i] = NaN;
    } else if (convert) {
      const p = convert(x, y);
      outLon[i] = p[0];
      outLat[i] = p[1];
    } else {
      outLon[i] = x;
      outLat[i] = y;
    }
  }
  return { lon: outLon, lat: outLat };
}

// ---------------------------------------------------------------------------
// GeoJSON

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A position as the engine accepts it: an array of at least two numbers, the first two finite. */
function isPosition(v: unknown[]): boolean {
  return v.length >= 2 && isFiniteNumber(v[0]) && isFiniteNumber(v[1]);
}

/** Running extent [minX, minY, maxX, maxY]; empty while minX > maxX. */
type Extent = [number, number, number, number];
const emptyExtent = (): Extent => [Infinity, Infinity, -Infinity, -Infinity];

function grow(e: Extent, x: number, y: number): void {
  if (x < e[0]) e[0] = x;
  if (y < e[1]) e[1] = y;
  if (x > e[2]) e[2] = x;
  if (y > e[3]) e[3] = y;
}

function merge(into: Extent, e: Extent): void {
  if (e[0] > e[2]) return;
  grow(into, e[0], e[1]);
  grow(into, e[2], e[3]);
}

/**
 * Copy `coords` (any nesting), converting every position and adding it to
 * `extent`. Anything that is not a position or an array of them is copied
 * as it is: the engine's GeoJSON loader rejects malformed geometry with its
 * own message, so nothing unconverted can get through.
 */
function mapCoordinates(coords: unknown, convert: Convert | null, extent: Extent): unknown {
  if (!Array.isArray(coords)) return coords;
  if (isPosition(coords)) {
    const [x, y] = convert ? convert(coords[0] as number, coords[1] as number) : [coords[0] as number, coords[1] as number];
    grow(extent, x, y);
    return coords.length > 2 ? [x, y, ...coords.slice(2)] : [x, y];
  }
  return coords.map((c) => mapCoordinates(c, convert, extent));
}

/**
 * The bbox member for a converted object: recomputed from its converted
 * positions ([w, s, e, n]; a 3-D bbox keeps its z range, which no conversion
 * here touches), or undefined (dropped) when there is nothing to bound. The
 * identity keeps the original bbox.
 */
function newBBox(old: unknown, extent: Extent, convert: Convert | null): BBox | undefined {
  if (!convert) return Array.isArray(old) ? ([...old] as BBox) : (old as BBox | undefined);
  if (extent[0] > extent[2]) return undefined;
  if (Array.isArray(old) && old.length === 6 && isFiniteNumber(old[2]) && isFiniteNumber(old[5])) {
    return [extent[0], extent[1], old[2], extent[2], extent[3], old[5]];
  }
  return [extent[0], extent[1], extent[2], extent[3]];
}

/** Copy `obj` with `bbox` replaced (or removed when `bbox` is undefined). */
function withBBox<T extends Record<string, unknown>>(obj: T, bbox: BBox | undefined): T {
  if (!('bbox' in obj)) return obj;
  const { bbox: _old, ...rest } = obj;
  return (bbox === undefined ? rest : { ...rest, bbox }) as unknown as T;
}

function mapGeometry(geom: unknown, convert: Convert | null, extent: Extent, nesting = 0): unknown {
  if (!isPlainObject(geom)) return geom;
  const own = emptyExtent();
  let out: Record<string, unknown>;
  if (geom.type === 'GeometryCollection' && Array.isArray(geom.geometries) && nesting <= 32) {
    out = { ...geom, geometries: geom.geometries.map((g) => mapGeometry(g, convert, own, nesting + 1)) };
  } else if ('coordinates' in geom) {
    out = { ...geom, coordinates: mapCoordinates(geom.coordinates, convert, own) };
  } else {
    out = { ...geom };
  }
  merge(extent, own);
  return withBBox(out, newBBox(geom.bbox, own, convert));
}

function mapFeature(f: unknown, convert: Convert | null, extent: Extent): unknown {
  if (!isPlainObject(f)) return f;
  const own = emptyExtent();
  // Properties (and other members) are shared with the input, not copied.
  const out: Record<string, unknown> = { ...f };
  if ('geometry' in f) out.geometry = mapGeometry(f.geometry, convert, own);
  merge(extent, own);
  return withBBox(out, newBBox(f.bbox, own, convert));
}

/**
 * A FeatureCollection from `from` to WGS-84, as a NEW object; the input is
 * not modified. Every position of every geometry type (GeometryCollections
 * included) is converted and keeps any third value (altitude). Properties and
 * other members are left alone: the result shares them with the input rather
 * than copying them. `bbox` members (collection, features, geometries) are
 * recomputed from the converted positions, or dropped when there is nothing
 * to bound. For WGS-84 the result is a copy with the same coordinates and
 * bboxes. Throws if `fc` is not a FeatureCollection.
 */
export function geojsonToWgs84(fc: FeatureCollection, from: Crs): FeatureCollection {
  return convertFeatureCollection(fc, converterFrom(from));
}

/**
 * The walk behind {@link geojsonToWgs84}, with any point conversion (null:
 * a copy): also used to draw WGS-84 data over a GCJ-02 basemap (map/gcj.ts).
 */
export function convertFeatureCollection(fc: FeatureCollection, convert: Convert | null): FeatureCollection {
  if (!isPlainObject(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('not a GeoJSON FeatureCollection');
  }
  const extent = emptyExtent();
  const features = fc.features.map((f) => mapFeature(f, convert, extent)) as Feature[];
  const out = { ...fc, features } as unknown as Record<string, unknown>;
  return withBBox(out, newBBox(fc.bbox, extent, convert)) as unknown as FeatureCollection;
}
