import type { FeatureCollection } from 'geojson';
import { fetchData } from '../packs/store';

/**
 * District polygons are the base map, so they are fetched directly rather than
 * through DuckDB: the first paint must not wait the 4–5 s DuckDB-WASM needs to
 * start. Thematic layers still read their data only through the engine.
 */
export async function fetchDistricts(url: string): Promise<FeatureCollection> {
  // Through fetchData: the file may be a saved pack's.
  const res = await fetchData(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const fc = (await res.json()) as FeatureCollection;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${url} is not a GeoJSON FeatureCollection`);
  return fc;
}
