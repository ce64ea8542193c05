import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, Geometry } from 'geojson';
import { isFiltering, matchQuery, type ParkFilter } from '../analysis/parkFilter';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import { tableFeatures, tableRows } from './arrowRows';
import type { LayerModule, RGBA } from './types';

/** CJJ/T 85-2017 classes the data uses, drawing order from regional to small. */
const CLASS_STYLE: Record<string, { color: RGBA; zh: string; en: string }> = {
  EG1: { color: [120, 160, 80, 150], zh: '郊野/湿地公园 (EG1)', en: 'Country & wetland parks (EG1)' },
  G11: { color: [34, 120, 60, 210], zh: '综合公园 (G11)', en: 'Comprehensive parks (G11)' },
  G12: { color: [58, 155, 80, 215], zh: '社区公园 (G12)', en: 'Community parks (G12)' },
  G13: { color: [20, 140, 130, 215], zh: '专类公园 (G13)', en: 'Special parks (G13)' },
  G14: { color: [120, 190, 70, 225], zh: '游园/口袋公园 (G14)', en: 'Small gardens & pocket parks (G14)' },
};
const FALLBACK: RGBA = [90, 150, 90, 200];

interface ParkProps {
  id: string;
  name: string;
  class: string;
  area_m2: number;
  pocket: boolean;
  district: string;
}

type ParkFeature = Feature<Geometry, ParkProps>;
/** The parks, and which of them pass the cross-filter (null: no filter). */
interface ParksData {
  features: ParkFeature[];
  matched: Set<string> | null;
}

/**
 * Geometry per table, read once: a filter change asks DuckDB only for the
 * matching ids, and the layer keeps the same data array, so deck.gl updates
 * the colours and does not tessellate the polygons again.
 */
const geometry = new Map<string, Promise<ParkFeature[]>>();
const filterKey = (f: ParkFilter) => (isFiltering(f) ? JSON.stringify(f) : '');
/** Parks outside the filter stay as a faint outline for context. */
const FILTERED_OUT: RGBA = [150, 160, 150, 35];

export const parksLayer: LayerModule<ParksData> = {
  kind: 'parks',
  dataKey: (ctx) => `${ctx.city.id}|${filterKey(ctx.state.parkFilter)}`,
  async load(ctx, query) {
    const table = ctx.tables.parks!;
    let features = geometry.get(table);
    if (!features) {
      // Largest first so pocket parks draw on top of the country parks around them.
      features = query({ sql: `SELECT id, name, class, area_m2, pocket, district, __geom FROM ${quoteIdent(table)} ORDER BY area_m2 DESC` }).then((t) => tableFeatures<ParkProps>(t));
      geometry.set(table, features);
      features.catch(() => geometry.delete(table));
    }
    const f = ctx.state.parkFilter;
    const matched = isFiltering(f) ? new Set(tableRows<{ id: string }>(await query(matchQuery(table, f))).map((r) => String(r.id))) : null;
    return { features: await features, matched };
  },
  render(data, ctx, visible) {
    const { matched } = data;
    const shown = (f: ParkFeature) => !matched || matched.has(String(f.properties.id));
    const key = matched ? [...matched].length + filterKey(ctx.state.parkFilter) : '';
    return [
      new GeoJsonLayer<ParkProps>({
        id: ctx.def.id,
        data: data.features,
        visible,
        pickable: true,
        filled: true,
        stroked: true,
        updateTriggers: { getFillColor: key, getLineColor: key, getLineWidth: key },
        getFillColor: (f) => (shown(f) ? (CLASS_STYLE[f.properties.class]?.color ?? FALLBACK) : FILTERED_OUT),
        getLineColor: (f) => (!shown(f) ? [120, 130, 120, 90] : f.properties.pocket ? [255, 255, 255, 220] : [30, 90, 45, 200]),
        lineWidthUnits: 'pixels',
        getLineWidth: (f) => (f.properties.pocket ? 1.2 : 0.6),
        autoHighlight: true,
        highlightColor: [255, 210, 80, 200],
      }),
    ];
  },
  legend(data, ctx) {
    const lang = ctx.lang;
    const present = new Set(data?.features.map((f) => f.properties.class));
    return {
      title: lang === 'zh' ? '公园绿地（CJJ/T 85-2017 分类）' : 'Parks (CJJ/T 85-2017 classes)',
      items: Object.entries(CLASS_STYLE)
        .filter(([k]) => !data || present.has(k))
        .map(([, s]) => ({ color: s.color, label: s[lang], shape: 'square' as const })),
      note: lang === 'zh' ? '白色描边：口袋公园（400–10,000 m²）' : 'White outline: pocket parks (400–10,000 m²)',
      ...(data?.matched
        ? {
            live:
              lang === 'zh'
                ? `已筛选：显示 ${formatNumber(data.matched.size, lang)} / ${formatNumber(data.features.length, lang)} 个公园`
                : `Filtered: ${formatNumber(data.matched.size, lang)} of ${formatNumber(data.features.length, lang)} parks shown`,
          }
        : {}),
    };
  },
  describe(object, ctx) {
    const f = object as Feature<Geometry, ParkProps>;
    const p = f?.properties;
    if (!p) return null;
    const zh = ctx.lang === 'zh';
    return {
      title: String(p.name),
      subtitle: CLASS_STYLE[p.class]?.[ctx.lang] ?? String(p.class),
      rows: [
        [zh ? '面积' : 'Area', `${formatNumber(p.area_m2 / 10_000, ctx.lang, 2)} ha`],
        [zh ? '口袋公园' : 'Pocket park', p.pocket ? (zh ? '是' : 'yes') : zh ? '否' : 'no'],
        [zh ? '编号' : 'ID', String(p.id)],
      ],
    };
  },
  objectId: (o) => (o as Feature<Geometry, ParkProps>)?.properties?.id ?? null,
  findObject: (data, id) => data.features.find((f) => String(f.properties.id) === id),
};
