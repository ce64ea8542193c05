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
import type { FeatureCollection, Geometry, GeoJsonProperties } from 'geojson';
import { convertFeatureCollection } from '../catalog/crs';

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
  const shift = direction === 'toGcj' ? wgsToGcj : gcjToWgs;
  // One geometry walk for every conversion in the app (catalog/crs.ts); non-finite positions pass through.
  return convertFeatureCollection(fc as FeatureCollection, (lon, lat) => (Number.isFinite(lon) && Number.isFinite(lat) ? shift([lon, lat]) : [lon, lat])) as FeatureCollection<G, P>;
}
