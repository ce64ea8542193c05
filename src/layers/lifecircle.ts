import { ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { DataFilterExtension, type DataFilterExtensionProps } from '@deck.gl/extensions';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import { FACILITY_TYPES, TIERS, distanceColumn, type TierId } from '../standards/lifeCircle';
import { lifeCircleCompletenessSqlExpr } from '../standards/lifeCircleRules';
import { tableRows } from './arrowRows';
import { districtNames } from './districtNames';
import type { LayerContext, LayerModule, RGBA, RunQuery } from './types';
import type { CityDef } from '../catalog/types';
import { applyFacilityScenario, lifeCircleShares, type AddedFacility, type FacilityReach } from '../analysis/lifeCircleScenario';

interface Cell {
  cell_id: string;
  lon: number;
  lat: number;
  pop: number;
  district: string;
  c5: boolean;
  c10: boolean;
  c15: boolean;
  distances: Record<string, number | null>;
  polygon: number[];
}

interface Facility {
  id: string;
  type: string;
  name: string;
  lon: number;
  lat: number;
}

interface LifeCircleData {
  cells: Cell[];
  facilities: Facility[];
  /** Share of population in a complete circle, per tier. */
  shares: Record<TierId, number>;
  /** Per district: population shares in a complete circle, and display names. */
  districtShares: Map<string, Record<TierId, number>>;
  districtNames: Map<string, { zh: string; en: string }>;
  /** Facilities added as a scenario (already counted in cells and shares). */
  added: AddedFacility[];
  /** Cells whose completeness the added facilities changed; added facilities too far from any street. */
  scenario?: { changed: number; unplaced: number };
}

// One instance: deck.gl compares extensions by reference. Filters facilities by type on the GPU.
const typeFilter = new DataFilterExtension({ filterSize: 0, categorySize: 1 });

/** Colour by how many of the three tiers are complete at the cell. */
// A quiet underlay: other layers draw over it, and gaps read without shouting.
const COMPLETE_COLOURS: RGBA[] = [
  [214, 96, 77, 80],
  [244, 165, 98, 95],
  [166, 211, 120, 110],
  [40, 150, 100, 130],
];
const TIER_COLOURS: Record<TierId, RGBA> = { 5: [94, 60, 153, 230], 10: [33, 102, 172, 230], 15: [84, 39, 143, 230] };

/**
 * Spacing of a regular grid, read from its cell centres (the median gap
 * between distinct sorted values: robust to rounded coordinates and to
 * missing rows), so cells tile whatever the grid's size or projection.
 */
export function gridStep(values: number[]): number {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < v.length; i++) gaps.push(v[i]! - v[i - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)]! : 0.005;
}

/** A cell as a flat XY ring, the form deck.gl takes without normalising. */
function square(lon: number, lat: number, stepLon: number, stepLat: number): number[] {
  const dLat = stepLat / 2;
  const dLon = stepLon / 2;
  return [lon - dLon, lat - dLat, lon + dLon, lat - dLat, lon + dLon, lat + dLat, lon - dLon, lat + dLat, lon - dLon, lat - dLat];
}

const completeCount = (c: Cell) => Number(c.c5) + Number(c.c10) + Number(c.c15);

/**
 * Where added facilities reach on the network: the app provides it (it owns
 * the tables and the network worker); without it, a scenario cannot be shown.
 */
export type FacilityReachProvider = (city: CityDef, cellLon: Float64Array, cellLat: Float64Array, added: AddedFacility[]) => Promise<{ cellNode: Int32Array; reach: FacilityReach[] }>;
let reachProvider: FacilityReachProvider | null = null;
export function setFacilityReachProvider(p: FacilityReachProvider): void {
  reachProvider = p;
}

async function loadBase(ctx: LayerContext, query: RunQuery): Promise<LifeCircleData> {
  const cellsT = quoteIdent(ctx.tables.lifecircle!);
  const facT = quoteIdent(ctx.tables.facilities!);
  const dCols = FACILITY_TYPES.map((f) => quoteIdent(distanceColumn(f.id))).join(', ');
  const cellsTable = await query({
    sql: `SELECT cell_id, lon, lat, pop, district, ${dCols},
            ${lifeCircleCompletenessSqlExpr(5)} AS c5,
            ${lifeCircleCompletenessSqlExpr(10)} AS c10,
            ${lifeCircleCompletenessSqlExpr(15)} AS c15
          FROM ${cellsT} WHERE pop > 0`,
  });
  const facTable = await query({ sql: `SELECT id, type, name, lon, lat FROM ${facT}` });
  let total = 0;
  const covered: Record<TierId, number> = { 5: 0, 10: 0, 15: 0 };
  const rows = tableRows<Record<string, unknown>>(cellsTable);
  const stepLon = gridStep(rows.map((r) => Number(r.lon)));
  const stepLat = gridStep(rows.map((r) => Number(r.lat)));
  const cells = rows.map((r) => {
    const distances: Record<string, number | null> = {};
    for (const f of FACILITY_TYPES) distances[f.id] = (r[distanceColumn(f.id)] as number | null) ?? null;
    const cell: Cell = {
      cell_id: String(r.cell_id),
      lon: Number(r.lon),
      lat: Number(r.lat),
      pop: Number(r.pop),
      district: String(r.district),
      c5: r.c5 === true,
      c10: r.c10 === true,
      c15: r.c15 === true,
      distances,
      polygon: square(Number(r.lon), Number(r.lat), stepLon, stepLat),
    };
    total += cell.pop;
    if (cell.c5) covered[5] += cell.pop;
    if (cell.c10) covered[10] += cell.pop;
    if (cell.c15) covered[15] += cell.pop;
    return cell;
  });
  const share = (n: number) => (total > 0 ? n / total : 0);
  return {
    cells,
    facilities: tableRows<Facility>(facTable),
    shares: { 5: share(covered[5]), 10: share(covered[10]), 15: share(covered[15]) },
    added: [],
    districtShares: lifeCircleShares(cells).byDistrict,
    districtNames: await districtNames(query, ctx.tables.districts),
  };
}

// The data last loaded per city: a tooltip names its cell's district shares from it.
const latest = new Map<string, LifeCircleData>();
function remember(cityId: string, d: LifeCircleData): LifeCircleData {
  latest.set(cityId, d);
  return d;
}

// The city's own data, read once; scenarios are applied on top of it.
const baseData = new Map<string, Promise<LifeCircleData>>();

/** The cell's district: population shares in a complete 5/10/15-minute circle (with any added facilities). */
function districtRow(district: string, cityId: string, lang: 'zh' | 'en'): [string, string][] {
  const d = latest.get(cityId);
  const s = d?.districtShares.get(district);
  if (!d || !s) return [];
  const name = d.districtNames.get(district)?.[lang] ?? district;
  const pct = (v: number) => `${formatNumber(v * 100, lang, 1)}%`;
  return [[lang === 'zh' ? `${name}人口覆盖率` : `${name}, people covered`, `${pct(s[5])} · ${pct(s[10])} · ${pct(s[15])}${lang === 'zh' ? '（5/10/15 分钟）' : ' (5/10/15 min)'}${d.added.length ? (lang === 'zh' ? '，含方案' : ', with scenario') : ''}`]];
}

export const lifeCircleLayer: LayerModule<LifeCircleData> = {
  kind: 'lifecircle',
  dataKey: (ctx) => `${ctx.city.id}|${JSON.stringify(ctx.state.addedFacilities)}`,
  async load(ctx, query) {
    let base = baseData.get(ctx.city.id);
    if (!base) {
      base = loadBase(ctx, query);
      baseData.set(ctx.city.id, base);
      base.catch(() => baseData.delete(ctx.city.id));
    }
    const data = await base;
    const added = ctx.state.addedFacilities;
    if (!added.length) return remember(ctx.city.id, data);
    if (!reachProvider) throw new Error('added facilities need the walking network, which is not available here');
    const { cellNode, reach } = await reachProvider(
      ctx.city,
      Float64Array.from(data.cells, (c) => c.lon),
      Float64Array.from(data.cells, (c) => c.lat),
      added,
    );
    const out = applyFacilityScenario(data.cells, cellNode, added, reach);
    const shares = lifeCircleShares(out.cells);
    return remember(ctx.city.id, { ...data, cells: out.cells, shares: shares.city, districtShares: shares.byDistrict, added, scenario: { changed: out.changed, unplaced: out.unplaced } });
  },
  render(data, ctx, visible) {
    const zoom = ctx.state.view?.zoom ?? ctx.city.zoom;
    const tierOf = new Map(FACILITY_TYPES.map((f) => [f.id, f.tier]));
    return [
      new SolidPolygonLayer<Cell>({
        id: ctx.def.id,
        data: data.cells,
        visible,
        pickable: true,
        filled: true,
        // Squares are built as flat closed XY rings: skip deck.gl's normalising pass.
        _normalize: false,
        positionFormat: 'XY',
        getPolygon: (c) => c.polygon,
        getFillColor: (c) => COMPLETE_COLOURS[completeCount(c)]!,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 90],
      }),
      new ScatterplotLayer<Facility>({
        id: `${ctx.def.id}-facilities`,
        data: data.facilities,
        // Thousands of points read as noise at city scale; show them once zoomed in.
        visible: visible && zoom >= 12.5,
        pickable: true,
        radiusUnits: 'pixels',
        getRadius: 3 * ctx.scale,
        getPosition: (f) => [f.lon, f.lat],
        getFillColor: (f) => TIER_COLOURS[tierOf.get(f.type) ?? 15],
        extensions: [typeFilter],
        getFilterCategory: (f: Facility) => f.type,
        // An empty choice shows every type.
        filterCategories: ctx.state.facTypes.length ? ctx.state.facTypes : FACILITY_TYPES.map((f) => f.id),
        stroked: true,
        getLineColor: [255, 255, 255, 220],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
      } as ConstructorParameters<typeof ScatterplotLayer<Facility>>[0] & DataFilterExtensionProps<Facility>),
      // Added facilities stand out at every zoom: they are the scenario.
      new ScatterplotLayer<AddedFacility>({
        id: `${ctx.def.id}-added`,
        data: data.added,
        visible: visible && data.added.length > 0,
        pickable: false,
        radiusUnits: 'pixels',
        getRadius: 7 * ctx.scale,
        getPosition: (f) => [f.lon, f.lat],
        getFillColor: (f) => TIER_COLOURS[tierOf.get(f.type) ?? 15],
        stroked: true,
        getLineColor: [255, 255, 255, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3 * ctx.scale,
        parameters: { depthCompare: 'always', depthWriteEnabled: false },
      }),
    ];
  },
  legend(data, ctx) {
    const zh = ctx.lang === 'zh';
    const labels = zh
      ? ['无完整生活圈', '1 个层级完整', '2 个层级完整', '5/10/15 分钟均完整']
      : ['No complete circle', '1 tier complete', '2 tiers complete', '5, 10 and 15 min complete'];
    const shares = data
      ? TIERS.map((t) => `${t.id}${zh ? '分钟' : ' min'} ${formatNumber(data.shares[t.id] * 100, ctx.lang, 1)}%`).join(' · ')
      : '';
    return {
      title: zh ? '15分钟生活圈完整度（GB 50180-2018）' : '15-minute life circles (GB 50180-2018)',
      items: [
        ...COMPLETE_COLOURS.map((color, i) => ({ color, label: labels[i]!, shape: 'square' as const })),
        ...TIERS.map((t) => ({ color: TIER_COLOURS[t.id], label: zh ? `${t.name.zh}设施（放大后显示）` : `${t.name.en} facilities (zoom in)`, shape: 'circle' as const })),
      ],
      note: data
        ? (zh
            ? `人口覆盖率：${shares}（步行网络距离）`
            : `Population in a complete circle: ${shares} (walking network distance)`) +
          (data.added.length
            ? zh
              ? `；含方案新增设施 ${data.added.length} 处（假设），${data.scenario?.changed ?? 0} 个网格因此改变${data.scenario?.unplaced ? `；${data.scenario.unplaced} 处离街道太远未计入` : ''}`
              : `; with ${data.added.length} added facilit${data.added.length > 1 ? 'ies' : 'y'} (hypothetical), ${data.scenario?.changed ?? 0} cells changed${data.scenario?.unplaced ? `; ${data.scenario.unplaced} too far from a street to count` : ''}`
            : '')
        : undefined,
    };
  },
  describe(object, ctx) {
    const zh = ctx.lang === 'zh';
    const o = object as Partial<Cell & Facility>;
    if (o && 'polygon' in o && o.distances) {
      const c = o as Cell;
      const tick = (ok: boolean) => (ok ? '✓' : '✗');
      return {
        title: zh ? `网格 ${c.cell_id}` : `Cell ${c.cell_id}`,
        subtitle: `${zh ? '人口' : 'Population'} ${formatNumber(c.pop, ctx.lang)}`,
        rows: [
          ...districtRow(c.district, ctx.city.id, ctx.lang),
          ...TIERS.map((t): [string, string] => [t.name[ctx.lang], tick(t.id === 5 ? c.c5 : t.id === 10 ? c.c10 : c.c15)]),
          ...FACILITY_TYPES.map((f): [string, string] => {
            const d = c.distances[f.id];
            return [f.name[ctx.lang], d === null || d === undefined ? '> 2 km' : `${formatNumber(d, ctx.lang)} m`];
          }),
        ],
      };
    }
    if (o && typeof o.type === 'string' && typeof o.id === 'string') {
      const type = FACILITY_TYPES.find((f) => f.id === o.type);
      return { title: String(o.name), subtitle: type ? type.name[ctx.lang] : String(o.type), rows: [[zh ? '编号' : 'ID', String(o.id)]] };
    }
    return null;
  },
  findObject: (data, id) => data.cells.find((c) => c.cell_id === id) ?? data.facilities.find((f) => f.id === id),
  objectId: (o) => {
    const x = o as Partial<Cell & Facility>;
    return x?.cell_id ?? x?.id ?? null;
  },
};
