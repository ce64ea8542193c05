/**
 * A table made by loadGeoJSON (catalog or the planner's) read back as a
 * GeoJSON FeatureCollection: the features with their columns as properties,
 * the engine's own columns left out. What the map draws for the planner's
 * tables and what is kept and packed (./savedTables.ts).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';

export async function tableAsFeatureCollection(engine: Engine, table: string): Promise<FeatureCollection> {
  const t = await engine.query(`SELECT __geom, * EXCLUDE (__geom, __fid, __gtype, __xmin, __ymin, __xmax, __ymax) FROM ${quoteIdent(table)} ORDER BY __fid`);
  const features: Feature[] = t.toArray().map((r) => {
    const { __geom, ...properties } = r.toJSON() as Record<string, unknown>;
    for (const [k, v] of Object.entries(properties)) if (typeof v === 'bigint') properties[k] = Number(v);
    return { type: 'Feature', properties, geometry: JSON.parse(String(__geom)) as Geometry };
  });
  return { type: 'FeatureCollection', features };
}
