import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createNodeEngine } from '../../src/engine/node';
import type { Engine } from '../../src/engine/types';
import { validateCatalog } from '../../src/catalog/validate';
import type { Catalog } from '../../src/catalog/types';
import { tableName } from '../../src/catalog/tables';
import { LAYER_MODULES } from '../../src/layers/registry';
import type { LayerContext } from '../../src/layers/types';
import { LIGHT } from '../../src/map/theme';
import { hourlyAqi, iaqi } from '../../src/standards/aqi';
import type { AirCube, HourlyField } from '../../src/air/cube';
import { stepIndex } from '../../src/air/frame';
import type { AppState } from '../../src/state/types';

/**
 * Every layer module's SQL, run by real DuckDB-WASM (Node) on the committed
 * default data of one city: the same queries the browser runs.
 */
const dataDir = resolve(__dirname, '../../data');
const haveData = existsSync(resolve(dataDir, 'catalog.json'));
let engine: Engine;
let catalog: Catalog;
const CITY = 'qingdao';

function ctxFor(layerId: string, state: Partial<AppState> = {}): LayerContext {
  const def = catalog.layers.find((l) => l.id === layerId)!;
  const city = catalog.cities.find((c) => c.id === CITY)!;
  const tables = Object.fromEntries(def.datasets.map((d) => [d, tableName(CITY, d)]));
  const s: AppState = { city: CITY, layers: [layerId], view: null, time: '2025-01-15T08', lang: 'zh', mode: 'planner', theme: 'auto', pollutant: 'aqi', controls: true, selection: null, step: 'hour', period: null, surface: false, dock: null, story: null, slide: 1, drawnParks: [], parkFilter: { area: null, districts: [] }, compareYear: null, swipe: 0.5, iso: null, facTypes: [], addedFacilities: [], isoDistances: null, ...state } as AppState;
  return { city, def, tables, state: s, lang: s.lang, theme: LIGHT, scale: 1 };
}

describe.skipIf(!haveData)('layer queries on the default data', () => {
  beforeAll(async () => {
    catalog = validateCatalog(JSON.parse(readFileSync(resolve(dataDir, 'catalog.json'), 'utf8'))).catalog!;
    engine = await createNodeEngine();
    const city = catalog.cities.find((c) => c.id === CITY)!;
    for (const [id, f] of Object.entries(city.datasets)) {
      if (id === 'walk_network' || id === 'population') continue;
      const bytes = readFileSync(resolve(dataDir, f.path));
      if (f.format === 'parquet') await engine.loadParquet(tableName(CITY, id), new Uint8Array(bytes));
      else await engine.loadGeoJSON(tableName(CITY, id), bytes.toString('utf8'));
    }
  });
  afterAll(async () => {
    await engine?.close();
  });
  const run = (q: { sql: string; params?: unknown[] }) => engine.query(q.sql, q.params);

  it('parks: features with geometry, largest first; the cross-filter marks the matching parks and the legend counts them', async () => {
    type Parks = { features: { properties: { id: string; area_m2: number; district: string } }[]; matched: Set<string> | null };
    const data = (await LAYER_MODULES.parks!.load(ctxFor('parks'), run)) as Parks;
    const all = data.features;
    expect(all.length).toBeGreaterThan(100);
    expect(all[0]!.properties.area_m2).toBeGreaterThanOrEqual(all[all.length - 1]!.properties.area_m2);
    expect(data.matched).toBeNull();
    const legend = LAYER_MODULES.parks!.legend(data, ctxFor('parks'));
    expect(legend.items.length).toBeGreaterThan(2);
    expect(legend.live).toBeUndefined();

    const district = all[0]!.properties.district;
    const ctx = ctxFor('parks', { parkFilter: { area: [400, 10_000], districts: [district] } });
    expect(LAYER_MODULES.parks!.dataKey(ctx)).not.toBe(LAYER_MODULES.parks!.dataKey(ctxFor('parks')));
    const filtered = (await LAYER_MODULES.parks!.load(ctx, run)) as Parks;
    expect(filtered.features).toBe(all); // the geometry is read once; only the ids are asked again
    const expected = all.filter((f) => f.properties.district === district && f.properties.area_m2 >= 400 && f.properties.area_m2 <= 10_000).map((f) => f.properties.id);
    expect([...filtered.matched!].sort()).toEqual(expected.sort());
    expect(LAYER_MODULES.parks!.legend(filtered, ctx).live).toBe(`已筛选：显示 ${expected.length} / ${all.length.toLocaleString('en')} 个公园`);
  });

  it('restoration: the legend counts only sites finished by the clock year', async () => {
    const data = (await LAYER_MODULES.restoration!.load(ctxFor('restoration'), run)) as { properties: { year: number } }[];
    const y2018 = data.filter((f) => f.properties.year <= 2018).length;
    expect(y2018).toBeLessThan(data.length);
    const note = LAYER_MODULES.restoration!.legend(data, ctxFor('restoration', { time: '2018-06-01T00' })).note!;
    expect(note).toContain(`${y2018} 处`);
  });

  it('air: the cube hourly AQI and IAQIs (SQL) equal the JS HJ 633 engine for every station at the clock hour', async () => {
    const data = (await LAYER_MODULES.air!.load(ctxFor('air'), run)) as { cube: AirCube };
    const cube = data.cube;
    const n = cube.stations.length;
    expect(n).toBeGreaterThan(5);
    const h = stepIndex(cube, '2025-01-15T08', 'hour');
    expect(h).toBe(14 * 24 + 8);
    const at = (f: HourlyField, s: number) => {
      const v = cube.hourly[f][h * n + s]!;
      return Number.isFinite(v) ? v : null;
    };
    let valid = 0;
    for (let s = 0; s < n; s++) {
      const r = { pm25: at('pm25', s), pm10: at('pm10', s), o3: at('o3', s), no2: at('no2', s), so2: at('so2', s), co: at('co', s) };
      expect(at('aqi', s)).toBe(hourlyAqi(r).aqi);
      if (at('aqi', s) !== null) valid++;
      // co is stored as FLOAT: compare the IAQI of the stored value.
      for (const p of ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const) expect(at(`i_${p}`, s)).toBe(iaqi(p, '1h', r[p]));
    }
    expect(valid).toBeGreaterThan(n / 2);
    const legend = LAYER_MODULES.air!.legend(data, ctxFor('air'));
    expect(legend.live).toMatch(/^2025-01-15 08:00/);
  });

  it('lifecircle: completeness per cell and population shares between 0 and 1', async () => {
    const data = (await LAYER_MODULES.lifecircle!.load(ctxFor('lifecircle'), run)) as {
      cells: { c5: boolean; c10: boolean; c15: boolean }[];
      facilities: unknown[];
      shares: Record<number, number>;
    };
    expect(data.cells.length).toBeGreaterThan(100);
    expect(data.facilities.length).toBeGreaterThan(100);
    for (const t of [5, 10, 15]) {
      expect(data.shares[t]).toBeGreaterThan(0);
      expect(data.shares[t]).toBeLessThan(1);
    }
  });
});

describe('gridStep', () => {
  it('reads the spacing of a grid from rounded, gappy centres', async () => {
    const { gridStep } = await import('../../src/layers/lifecircle');
    const xs = [0, 1, 2, 3, 5, 6, 9].map((i) => Math.round((120 + i * 0.005584) * 1e6) / 1e6);
    expect(gridStep(xs)).toBeCloseTo(0.005584, 5);
  });
});
