/**
 * The inputs and base result of park service-radius coverage for one city,
 * read once through the engine and shared by everything that shows coverage
 * (the map layer, the district table, a drawn-park scenario): one DuckDB read
 * and one computation per city, whoever asks first.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { quoteIdent } from '../engine/sql';
import { parseGeometry, tableRows } from '../layers/arrowRows';
import { gridStep } from '../layers/lifecircle';
import type { RunQuery } from '../layers/types';
import { districtNames } from '../layers/districtNames';
import { cellAreaFromGrid, computeCoverage, URBAN_RESIDENTIAL_DENSITY, type CoverageCells, type CoverageParks, type CoverageResult } from './parkCoverage';

export interface CoverageModel {
  parks: CoverageParks;
  cells: CoverageCells;
  cellIds: string[];
  /** Grid steps in degrees, to draw cells as squares. */
  stepLon: number;
  stepLat: number;
  base: CoverageResult;
  /** district id → display name (ids when no districts table was given). */
  districtNames: Map<string, { zh: string; en: string }>;
}

export interface CoverageTables {
  parks: string;
  population: string;
  districts?: string;
}

/** Polygon / MultiPolygon → the flat ring list the analysis takes. */
function ringsOf(g: Polygon | MultiPolygon): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export async function loadCoverageModel(query: RunQuery, t: CoverageTables): Promise<CoverageModel> {
  const parkRows = tableRows<Record<string, unknown>>(await query({ sql: `SELECT id, district, area_m2, __geom FROM ${quoteIdent(t.parks)}` }));
  const parks: CoverageParks = { id: [], district: [], areaM2: new Float64Array(parkRows.length), rings: [] };
  for (const r of parkRows) {
    const g = parseGeometry(r.__geom);
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    parks.areaM2[parks.id.length] = Number(r.area_m2);
    parks.id.push(String(r.id));
    parks.district.push(String(r.district ?? ''));
    parks.rings.push(ringsOf(g));
  }
  parks.areaM2 = parks.areaM2.slice(0, parks.id.length);

  const rows = tableRows<Record<string, unknown>>(
    await query({ sql: `SELECT cell_id, lon, lat, pop, district FROM ${quoteIdent(t.population)} WHERE pop > 0` }),
  );
  const n = rows.length;
  const cells: CoverageCells = {
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    pop: new Float64Array(n),
    district: new Array<string>(n),
    residentialMinDensity: URBAN_RESIDENTIAL_DENSITY,
    cellAreaM2: 0,
  };
  const cellIds = new Array<string>(n);
  rows.forEach((r, i) => {
    cells.lon[i] = Number(r.lon);
    cells.lat[i] = Number(r.lat);
    cells.pop[i] = Number(r.pop);
    cells.district[i] = String(r.district ?? '');
    cellIds[i] = String(r.cell_id);
  });
  const stepLon = gridStep([...cells.lon]);
  const stepLat = gridStep([...cells.lat]);
  let latMin = Infinity, latMax = -Infinity;
  for (const v of cells.lat) {
    if (v < latMin) latMin = v;
    if (v > latMax) latMax = v;
  }
  cells.cellAreaM2 = n ? cellAreaFromGrid(stepLon, stepLat, (latMin + latMax) / 2) : 0;

  return { parks, cells, cellIds, stepLon, stepLat, base: computeCoverage(parks, cells), districtNames: await districtNames(query, t.districts) };
}

const models = new Map<string, Promise<CoverageModel>>();

/** The city's model, loaded by `load` on first request; a failed load is forgotten so it can be retried. */
export function coverageModelFor(cityId: string, load: () => Promise<CoverageModel>): Promise<CoverageModel> {
  let p = models.get(cityId);
  if (!p) {
    p = load();
    models.set(cityId, p);
    p.catch(() => models.delete(cityId));
  }
  return p;
}
