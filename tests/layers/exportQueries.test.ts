import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createNodeEngine } from '../../src/engine/node';
import type { Engine } from '../../src/engine/types';
import { validateCatalog } from '../../src/catalog/validate';
import type { Catalog, CityDef } from '../../src/catalog/types';
import { tableName, type TableRegistry } from '../../src/catalog/tables';
import type { LayerController, LayerStatus } from '../../src/layers/controller';
import type { AppState } from '../../src/state/types';
import { gatherLayers } from '../../src/export/gather';
import { districtCsv } from '../../src/export/districts';
import { featureCollection } from '../../src/export/features';

/**
 * What the Export dialog writes, from real DuckDB-WASM (Node) on the default
 * data of one city: the layers' own SQL with the state's filters applied.
 */
const dataDir = resolve(__dirname, '../../data');
const haveData = existsSync(resolve(dataDir, 'catalog.json'));
const CITY = 'qingdao';
let engine: Engine;
let catalog: Catalog;
const loaded = new Set<string>();

// Loads a city's file into the engine on first use, like the app's registry.
const tables = {
  async ensure(city: CityDef, ds: string) {
    const name = tableName(city.id, ds);
    if (loaded.has(name)) return name;
    loaded.add(name);
    const f = city.datasets[ds]!;
    const bytes = readFileSync(resolve(dataDir, f.path));
    if (f.format === 'parquet') await engine.loadParquet(name, new Uint8Array(bytes));
    else await engine.loadGeoJSON(name, bytes.toString('utf8'));
    return name;
  },
} as unknown as TableRegistry;

function state(p: Partial<AppState>): AppState {
  return { city: CITY, layers: [], view: null, time: '2020-06-01T08', lang: 'zh', mode: 'planner', theme: 'auto', pollutant: 'aqi', controls: true, selection: null, step: 'hour', period: null, surface: false, dock: null, story: null, slide: 1, drawnParks: [], parkFilter: { area: null, districts: [] }, compareYear: null, swipe: 0.5, iso: null, facTypes: [], addedFacilities: [], isoDistances: null, basemap: 'offline', pack: null, ...p } as AppState;
}

function controllerFor(s: AppState): LayerController {
  const statuses = catalog.layers.map((def) => ({ def, phase: 'ready', visible: s.layers.includes(def.id), legend: null }) as LayerStatus);
  return { statuses: () => statuses, dataOf: () => null } as unknown as LayerController;
}

describe.skipIf(!haveData)('export queries on the default data', () => {
  beforeAll(async () => {
    catalog = validateCatalog(JSON.parse(readFileSync(resolve(dataDir, 'catalog.json'), 'utf8'))).catalog!;
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });
  const deps = (s: AppState) => ({ catalog, controller: controllerFor(s), engine: Promise.resolve(engine), tables });

  it('exports every park, or those the cross-filter keeps, with the catalog provenance', async () => {
    const all = await gatherLayers(deps(state({ layers: ['parks'] })), state({ layers: ['parks'] }));
    const city = catalog.cities.find((c) => c.id === CITY)!;
    expect(all).toHaveLength(1);
    expect(all[0]!.features.length).toBe(city.datasets.parks!.rows);
    expect(all[0]!.provenance[0]).toMatchObject({ dataset: 'parks', modelled: true, license: city.datasets.parks!.provenance.license });
    const pocket = state({ layers: ['parks'], parkFilter: { area: [400, 10_000], districts: [] } });
    const some = await gatherLayers(deps(pocket), pocket);
    const areas = some[0]!.features.map((f) => Number(f.properties.area_m2));
    expect(areas.length).toBeGreaterThan(0);
    expect(areas.length).toBeLessThan(all[0]!.features.length);
    expect(areas.every((a) => a >= 400 && a <= 10_000)).toBe(true);
    expect(some[0]!.filter).toMatch(/400–10000/);
    const fc = featureCollection(some, { city: CITY, time: pocket.time, exportedAt: 'now', appUrl: 'x' });
    expect(fc.features.every((f) => f.geometry && f.properties!.layer === 'parks')).toBe(true);
  });

  it('exports the restoration sites finished by the clock’s year, as the map draws them', async () => {
    const s = state({ layers: ['restoration'], time: '2019-06-01T08' });
    const [r] = await gatherLayers(deps(s), s);
    expect(r!.features.length).toBeGreaterThan(0);
    expect(r!.features.every((f) => Number(f.properties.year) <= 2019)).toBe(true);
    expect(r!.filter).toContain('2019');
  });

  it('leaves out a visible layer whose data is not loaded rather than guessing', async () => {
    const s = state({ layers: ['air'] });
    expect(await gatherLayers(deps(s), s)).toEqual([]);
  });

  it('writes the district table with its sources and the modelled note', async () => {
    const s = state({ time: '2025-06-01T08' });
    const { filename, csv } = await districtCsv(deps(s), s);
    expect(filename).toBe(`civic-atlas-${CITY}-districts-2025.csv`);
    const lines = csv.split('\r\n');
    const districts = catalog.cities.find((c) => c.id === CITY)!.datasets.districts!.rows!;
    // Header, one row per district and the city, a blank line, the note.
    expect(lines.length).toBeGreaterThanOrEqual(districts + 3);
    expect(csv).toMatch(/模拟数据/);
    expect(csv).toMatch(/GB 55014-2021/);
  });
});
