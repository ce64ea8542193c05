/**
 * WGS-84 ⇄ GCJ-02 on the CPU, for drawing our WGS-84 data over a basemap
 * whose tiles are in GCJ-02 (Amap 高德, Tencent, Google China). The data
 * themselves stay WGS-84 (analysis, exports): these helpers make shifted
 * copies for display only. deck.gl layers are shifted on the GPU instead, by
 * `GcjShiftExtension` (src/layers/gcjShift.ts), with the same formula.
 *
 * The conversions are gcoord's (https://github.com/hujiulong/gcoord, MIT):
 * - WGS-84 → GCJ-02 is the closed-form obfuscation, a shift of 100–700 m
 *   across mainland China.
 * - GCJ-02 → WGS-84 inverts it by fixed-point iteration until the forward
 *   transform reproduces the input to within 1e-6° in each axis (≈ 0.1 m);
 *   a WGS → GCJ → WGS round trip comes back within a few centimetres (see
 *   gcj.test.ts for the measured bound).
 * - Positions outside gcoord's rough China box (longitude 72.004…137.8347,
 *   latitude 0.8293…55.8271, tested on the input) are returned unchanged.
 */
import gcoord from 'gcoord';
import type { BBox, Feature, FeatureCollection, Geometry, GeoJsonProperties, Position } from 'geojson';

export type GcjShiftDirection = 'toGcj' | 'toWgs';

type LonLat = readonly [number, number] | readonly number[];

function pair(p: LonLat): [number, number] {
  const lon = p[0];
  const lat = p[1];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new RangeError(`cannot shift position [${String(lon)}, ${String(lat)}]: both values must be finite numbers`);
  }
  return [lon, lat];
}

/** One WGS-84 `[lon, lat]` (degrees) to GCJ-02. Throws a RangeError unless both are finite. */
export function wgsToGcj(p: LonLat): [number, number] {
  const out = gcoord.transform(pair(p), gcoord.WGS84, gcoord.GCJ02);
  return [out[0], out[1]];
}

/** One GCJ-02 `[lon, lat]` (degrees) to WGS-84 (gcoord's iterative inverse). Throws a RangeError unless both are finite. */
export function gcjToWgs(p: LonLat): [number, number] {
  const out = gcoord.transform(pair(p), gcoord.GCJ02, gcoord.WGS84);
  return [out[0], out[1]];
}

type Convert = (p: LonLat) => [number, number];

function isPosition(v: unknown[]): v is Position {
  return v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
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

/** A copy of `coords` (any nesting) with every position converted; a third value (altitude) is kept. */
function mapCoordinates(coords: unknown, convert: Convert, extent: Extent): unknown {
  if (!Array.isArray(coords)) return coords;
  if (isPosition(coords)) {
    if (!Number.isFinite(coords[0]) || !Number.isFinite(coords[1])) return [...coords];
    const [x, y] = convert(coords);
    grow(extent, x, y);
    return coords.length > 2 ? [x, y, ...coords.slice(2)] : [x, y];
  }
  return coords.map((c) => mapCoordinates(c, convert, extent));
}

/** `bbox` recomputed from the converted positions (a 3-D bbox keeps its z range); dropped when there is nothing to bound. */
function withBBox<T extends { bbox?: BBox }>(obj: T, extent: Extent): T {
  if (!('bbox' in obj)) return obj;
  const { bbox: old, ...rest } = obj;
  if (extent[0] > extent[2]) return rest as T;
  const bbox: BBox =
    Array.isArray(old) && old.length === 6
      ? [extent[0], extent[1], old[2], extent[2], extent[3], old[5]]
      : [extent[0], extent[1], extent[2], extent[3]];
  return { ...rest, bbox } as T;
}

function mapGeometry(g: Geometry | null, convert: Convert, extent: Extent, nesting = 0): Geometry | null {
  if (!g || typeof g !== 'object') return g;
  const own = emptyExtent();
  let out: Geometry;
  if (g.type === 'GeometryCollection') {
    const geometries = Array.isArray(g.geometries) && nesting <= 32 ? g.geometries.map((c) => mapGeometry(c, convert, own, nesting + 1) as Geometry) : g.geometries;
    out = { ...g, geometries };
  } else {
    out = { ...g, coordinates: mapCoordinates(g.coordinates, convert, own) } as Geometry;
  }
  merge(extent, own);
  return withBBox(out, own);
}

/**
 * A NEW FeatureCollection with every position of every geometry (Point,
 * MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon,
 * GeometryCollection, nested) converted WGS-84 → GCJ-02 (`'toGcj'`) or
 * GCJ-02 → WGS-84 (`'toWgs'`). The input is not modified. Altitudes are kept;
 * properties and other members are shared with the input, not copied;
 * `bbox` members are recomputed from the converted positions. Features with a
 * null geometry and non-finite positions pass through unchanged.
 */
export function shiftFeatureCollection<G extends Geometry | null = Geometry, P = GeoJsonProperties>(
  fc: FeatureCollection<G, P>,
  direction: GcjShiftDirection,
): FeatureCollection<G, P> {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('not a GeoJSON FeatureCollection');
  if (direction !== 'toGcj' && direction !== 'toWgs') throw new Error(`unknown direction ${JSON.stringify(direction)} (expected 'toGcj' or 'toWgs')`);
  const convert: Convert = direction === 'toGcj' ? wgsToGcj : gcjToWgs;
  const all = emptyExtent();
  const features = fc.features.map((f): Feature<G, P> => {
    const own = emptyExtent();
    const out = { ...f, geometry: mapGeometry(f.geometry, convert, own) as G };
    merge(all, own);
    return withBBox(out, own);
  });
  return withBBox({ ...fc, features }, all);
}
