/**
 * The features of the visible layers as the map shows them now: parks and
 * restoration sites by the layers' own SQL (restoration to the clock's year,
 * as its GPU filter draws), and, for layers whose map is computed in the app
 * (air stations at the clock's step, coverage and life-circle cells with the
 * planner's scenario, facilities of the chosen types), the loaded data the
 * layer draws from.
 */
import type { Feature, Geometry } from 'geojson';
import type { Catalog, CityDef, LayerDef } from '../catalog/types';
import type { TableRegistry } from '../catalog/tables';
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import { tableFeatures } from '../layers/arrowRows';
import type { LayerController } from '../layers/controller';
import { shownCoverage, type ParkCoverageData } from '../layers/parkCoverage';
import { frameValues, stepIndex } from '../air/frame';
import { HOURLY_FIELDS, type AirCube } from '../air/cube';
import type { PeriodFrame } from '../air/periodSummary';
import { clockYear } from '../state/clock';
import type { AppState } from '../state/types';
import type { DatasetProvenance, ExportedLayer } from './features';
import { filterWhere, isFiltering, NO_PARK_FILTER, type ParkFilter } from '../analysis/parkFilter';

export interface GatherDeps {
  catalog: Catalog;
  controller: LayerController;
  engine: Promise<Engine>;
  tables: TableRegistry;
  /** The planner's own tables on the map (imported files, live sources), as exported. */
  userLayers?: (lang: AppState['lang']) => ExportedLayer[];
}

type Props = Record<string, unknown>;
type F = Feature<Geometry | null, Props>;

/** Source, licence, vintage and modelled of each file a layer reads in this city. */
export function layerProvenance(def: LayerDef, city: CityDef): DatasetProvenance[] {
  return def.datasets.flatMap((ds) => {
    const p = city.datasets[ds]?.provenance;
    return p ? [{ dataset: ds, source: p.source, license: p.license, vintage: p.vintage, modelled: p.modelled, method: p.method }] : [];
  });
}

const ring = (flat: number[]): number[][] => {
  const out: number[][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};
function parkFilterWords(f: ParkFilter, zh: boolean): string {
  const parts: string[] = [];
  if (f.area) parts.push(zh ? `面积 ${Math.round(f.area[0])}–${Math.round(f.area[1])} m²` : `area ${Math.round(f.area[0])}–${Math.round(f.area[1])} m²`);
  if (f.districts.length) parts.push(`${zh ? '区县' : 'districts'}: ${f.districts.join(' ')}`);
  return (zh ? '筛选：' : 'filtered: ') + parts.join(zh ? '；' : '; ');
}

const point = (lon: number, lat: number): Geometry => ({ type: 'Point', coordinates: [lon, lat] });

async function bySql(d: GatherDeps, city: CityDef, def: LayerDef, sql: (t: (ds: string) => string) => string, params: unknown[] = []): Promise<F[]> {
  await Promise.all(def.datasets.map((ds) => d.tables.ensure(city, ds)));
  const engine = await d.engine;
  const t = (ds: string) => quoteIdent(`${city.id}__${ds}`);
  return tableFeatures<Props>(await engine.query(sql(t), params)) as F[];
}

/** The stations as the map shows them over a brushed period: each one's means (air/periodSummary.ts). */
function airPeriodFeatures(cube: AirCube, p: PeriodFrame): F[] {
  const r2 = (v: number) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);
  return cube.stations.map((st, k) => ({
    type: 'Feature',
    geometry: point(st.lon, st.lat),
    properties: { id: st.id, name: st.name, district: st.district, background: st.background, period_from: p.from, period_to: p.to, metric: p.metric, mean: r2(p.mean[k]!), mean_index: r2(p.idx[k]!), hours: p.hours[k], hours_in_period: p.totalHours, hours_aqi_over_100: p.polluted[k] },
  }));
}

function airFeatures(data: { cube: AirCube }, s: AppState): F[] {
  const cube = data.cube;
  const i = stepIndex(cube, s.time, s.step);
  const cols = HOURLY_FIELDS.map((f) => [f, frameValues(cube, f, s.step, i)] as const);
  return cube.stations.map((st, k) => {
    const props: Props = { id: st.id, name: st.name, district: st.district, background: st.background, time: s.step === 'day' ? s.time.slice(0, 10) : s.time, step: s.step };
    for (const [f, v] of cols) props[f] = Number.isFinite(v[k]!) ? Math.round(v[k]! * 100) / 100 : null;
    return { type: 'Feature', geometry: point(st.lon, st.lat), properties: props };
  });
}

function coverageFeatures(data: ParkCoverageData, s: AppState): F[] {
  const { result, scenario } = shownCoverage(data.model, s.drawnParks);
  const c = data.model.cells;
  const cls = ['none', '300m', '500m'];
  return data.cells.map((cell) => ({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [ring(cell.polygon)] },
    properties: {
      cell_id: cell.cell_id,
      district: c.district[cell.index],
      pop: Math.round(c.pop[cell.index]!),
      residential: cell.residential,
      covered: cls[result.covered[cell.index]!] ?? null,
      scenario_gain: scenario ? !!scenario.newlyCovered?.[cell.index] : undefined,
    },
  }));
}

interface LifeCircleLike {
  cells: { cell_id: string; lon: number; lat: number; pop: number; district: string; c5: boolean; c10: boolean; c15: boolean; distances: Record<string, number | null>; polygon: number[] }[];
  facilities: { id: string; type: string; name: string; lon: number; lat: number }[];
  added: { type: string; lon: number; lat: number }[];
}

function lifeCircleFeatures(data: LifeCircleLike, s: AppState): F[] {
  const types = new Set(s.facTypes);
  const cells: F[] = data.cells.map((c) => ({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [ring(c.polygon)] },
    properties: { kind: 'cell', cell_id: c.cell_id, pop: c.pop, district: c.district, c5: c.c5, c10: c.c10, c15: c.c15, ...Object.fromEntries(Object.entries(c.distances).map(([k, v]) => [`d_${k}`, v])) },
  }));
  const facilities: F[] = data.facilities
    .filter((f) => !types.size || types.has(f.type))
    .map((f) => ({ type: 'Feature', geometry: point(Number(f.lon), Number(f.lat)), properties: { kind: 'facility', id: f.id, type: f.type, name: f.name } }));
  const added: F[] = data.added.map((f, i) => ({ type: 'Feature', geometry: point(f.lon, f.lat), properties: { kind: 'added_facility', id: `added-${i + 1}`, type: f.type, scenario: true } }));
  return [...cells, ...facilities, ...added];
}

/** Every visible catalog layer of the city, as exported (a layer not loaded yet is left out), then the planner's tables. */
export async function gatherLayers(d: GatherDeps, s: AppState): Promise<ExportedLayer[]> {
  const city = d.catalog.cities.find((c) => c.id === s.city) ?? d.catalog.cities[0]!;
  const zh = s.lang === 'zh';
  const out: ExportedLayer[] = [];
  for (const st of d.controller.statuses()) {
    if (!st.visible) continue;
    const def = st.def;
    const data = d.controller.dataOf(def.id);
    let features: F[] | null = null;
    let filter = zh ? '全部要素' : 'all features';
    switch (def.kind) {
      case 'parks': {
        // The dock's cross-filter (size brushed, districts picked): the same WHERE its views use.
        const f = s.parkFilter ?? NO_PARK_FILTER;
        const w = filterWhere(f);
        if (isFiltering(f)) filter = parkFilterWords(f, zh);
        features = await bySql(d, city, def, (t) => `SELECT id, name, class, area_m2, pocket, district, __geom FROM ${t('parks')} ${w.sql} ORDER BY area_m2 DESC`, w.params);
        break;
      }
      case 'restoration': {
        const year = clockYear(s.time);
        filter = zh ? `截至 ${year} 年完成的修复点（year ≤ ${year}）` : `sites completed by ${year} (year ≤ ${year})`;
        features = await bySql(d, city, def, (t) => `SELECT id, name, type, year, area_m2, district, __geom FROM ${t('restoration')} WHERE year <= ? ORDER BY year, area_m2 DESC`, [year]);
        break;
      }
      case 'air': {
        const period = (data as { period?: PeriodFrame | null } | null)?.period;
        if (data && period) {
          features = airPeriodFeatures((data as { cube: AirCube }).cube, period);
          filter = zh ? `各站 ${period.from} 至 ${period.to} 小时值的平均（非达标评价）` : `each station's means of hourly values, ${period.from} to ${period.to} (not a compliance assessment)`;
        } else if (data) {
          features = airFeatures(data as { cube: AirCube }, s);
          filter = zh ? `${s.step === 'day' ? '日均值' : '小时值'}，时间 ${s.time}（北京时间），AQI 按 HJ 633-2012` : `${s.step === 'day' ? 'daily' : 'hourly'} values at ${s.time} (China Standard Time), AQI per HJ 633-2012`;
        }
        break;
      }
      case 'parkcoverage':
        if (data) {
          features = coverageFeatures(data as ParkCoverageData, s);
          if (s.drawnParks.length) filter = zh ? `含 ${s.drawnParks.length} 个手绘方案公园（假设）` : `with ${s.drawnParks.length} drawn (hypothetical) parks`;
        }
        break;
      case 'lifecircle':
        if (data) {
          features = lifeCircleFeatures(data as LifeCircleLike, s);
          const parts = [s.facTypes.length ? `${zh ? '设施类型' : 'facility types'}: ${s.facTypes.join(' ')}` : zh ? '全部设施类型' : 'all facility types'];
          if (s.addedFacilities.length) parts.push(zh ? `含 ${s.addedFacilities.length} 处方案新增设施（假设）` : `with ${s.addedFacilities.length} added (hypothetical) facilities`);
          filter = parts.join(zh ? '；' : '; ');
        }
        break;
    }
    if (features) out.push({ id: def.id, name: loc(def.name, s.lang), filter, provenance: layerProvenance(def, city), features });
  }
  return [...out, ...(d.userLayers?.(s.lang) ?? [])];
}
