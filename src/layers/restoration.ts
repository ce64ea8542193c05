import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { DataFilterExtension } from '@deck.gl/extensions';
import type { Feature, Geometry } from 'geojson';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import { clockYear } from '../state/clock';
import type { Layer } from '@deck.gl/core';
import { tableFeatures } from './arrowRows';
import { swipeClipExtension } from './swipeClip';
import type { LayerModule, RGBA } from './types';

/** Restoration site types, in stacking order, with their map colour. */
export const RESTORATION_TYPES: Record<string, { color: RGBA; zh: string; en: string }> = {
  mountain: { color: [166, 118, 62, 200], zh: '山体修复/复绿', en: 'Mountain restoration & re-greening' },
  wetland: { color: [38, 150, 140, 200], zh: '湿地修复', en: 'Wetland restoration' },
  river: { color: [40, 110, 200, 210], zh: '河道整治', en: 'River clean-up' },
  coast: { color: [0, 170, 200, 200], zh: '海岸/海湾整治', en: 'Coast & bay restoration' },
  brownfield: { color: [230, 150, 30, 210], zh: '棕地变公园', en: 'Brownfield to park' },
};
const FALLBACK: RGBA = [160, 120, 160, 200];

interface SiteProps {
  id: string;
  name: string;
  type: string;
  year: number;
  area_m2: number;
  district: string;
  /** Bounding-box centre, for the marker that keeps small sites visible at city scale. */
  cx: number;
  cy: number;
}

// One extension instance: deck.gl compares extensions by reference.
const yearFilter = new DataFilterExtension({ filterSize: 1 });

export const restorationLayer: LayerModule<Feature<Geometry, SiteProps>[]> = {
  kind: 'restoration',
  dataKey: (ctx) => ctx.city.id,
  async load(ctx, query) {
    const t = quoteIdent(ctx.tables.restoration!);
    const table = await query({
      sql: `SELECT id, name, type, year, area_m2, district, (__xmin + __xmax) / 2 AS cx, (__ymin + __ymax) / 2 AS cy, __geom
            FROM ${t} ORDER BY year, area_m2 DESC`,
    });
    return tableFeatures<SiteProps>(table);
  },
  render(data, ctx, visible) {
    // Restoration accumulates: show every site finished by the clock's year.
    // The year filter runs on the GPU, so moving the clock never rebuilds geometry.
    const year = clockYear(ctx.state.time);
    const zoom = ctx.state.view?.zoom ?? ctx.city.zoom;
    const before = ctx.state.compareYear;
    const comparing = before !== null;
    // Swipe compare: the same sites drawn twice, the "before" year left of
    // the divider and the clock's year right of it, clipped in screen space.
    const copy = (suffix: string, toYear: number, side: 'left' | 'right', on: boolean): Layer[] => {
      const shared = {
        data,
        pickable: true,
        getFillColor: (f: Feature<Geometry, SiteProps>) => RESTORATION_TYPES[f.properties.type]?.color ?? FALLBACK,
        lineWidthUnits: 'pixels' as const,
        getLineWidth: 1,
        extensions: [yearFilter, swipeClipExtension],
        getFilterValue: (f: Feature<Geometry, SiteProps>) => f.properties.year,
        filterRange: [0, toYear],
        swipeSplit: ctx.state.swipe,
        swipeSide: side,
        swipeEnabled: comparing,
      };
      return [
        // Most sites are a few hectares: below street scale they would vanish,
        // so each also gets a marker of its equal-area radius, at least a few pixels.
        new ScatterplotLayer<Feature<Geometry, SiteProps>>({
          id: `${ctx.def.id}-markers${suffix}`,
          ...shared,
          visible: on && zoom < 13,
          getPosition: (f: Feature<Geometry, SiteProps>) => [f.properties.cx, f.properties.cy],
          getRadius: (f: Feature<Geometry, SiteProps>) => Math.sqrt(f.properties.area_m2 / Math.PI),
          radiusMinPixels: 4 * ctx.scale,
          stroked: true,
          getLineColor: [255, 255, 255, 230],
        } as ConstructorParameters<typeof ScatterplotLayer<Feature<Geometry, SiteProps>>>[0]),
        new GeoJsonLayer<SiteProps>({
          id: `${ctx.def.id}${suffix}`,
          ...shared,
          visible: on,
          filled: true,
          stroked: true,
          getLineColor: [255, 255, 255, 200],
          autoHighlight: true,
          highlightColor: [255, 210, 80, 200],
        } as ConstructorParameters<typeof GeoJsonLayer<SiteProps>>[0]),
      ];
    };
    return [...copy('-before', before ?? year, 'left', visible && comparing), ...copy('', year, 'right', visible)];
  },
  legend(data, ctx) {
    const lang = ctx.lang;
    const present = new Set(data?.map((f) => f.properties.type));
    const year = clockYear(ctx.state.time);
    const upTo = (y: number) => {
      const shown = data?.filter((f) => f.properties.year <= y) ?? [];
      return { n: shown.length, km2: formatNumber(shown.reduce((s, f) => s + f.properties.area_m2, 0) / 1e6, lang, 2) };
    };
    const now = upTo(year);
    const before = ctx.state.compareYear;
    if (before !== null) {
      const then = upTo(before);
      return {
        title: lang === 'zh' ? `生态修复：${before}年 | ${year}年 卷帘对比` : `Green restoration: ${before} | ${year} swipe compare`,
        items: Object.entries(RESTORATION_TYPES)
          .filter(([k]) => !data || present.has(k))
          .map(([, s]) => ({ color: s.color, label: s[lang], shape: 'square' as const })),
        note: data
          ? lang === 'zh'
            ? `分隔线左侧：截至${before}年 ${then.n} 处、${then.km2} km²；右侧：截至${year}年 ${now.n} 处、${now.km2} km²。拖动分隔线比较。`
            : `Left of the divider: to ${before}, ${then.n} sites, ${then.km2} km²; right: to ${year}, ${now.n} sites, ${now.km2} km². Drag the divider to compare.`
          : undefined,
      };
    }
    return {
      title: lang === 'zh' ? `生态修复（截至${year}年）` : `Green restoration (to ${year})`,
      items: Object.entries(RESTORATION_TYPES)
        .filter(([k]) => !data || present.has(k))
        .map(([, s]) => ({ color: s.color, label: s[lang], shape: 'square' as const })),
      note: data
        ? lang === 'zh'
          ? `${now.n} 处，累计 ${now.km2} km²`
          : `${now.n} sites, ${now.km2} km² in all`
        : undefined,
    };
  },
  describe(object, ctx) {
    const p = (object as Feature<Geometry, SiteProps>)?.properties;
    if (!p) return null;
    const zh = ctx.lang === 'zh';
    return {
      title: String(p.name),
      subtitle: RESTORATION_TYPES[p.type]?.[ctx.lang] ?? String(p.type),
      rows: [
        [zh ? '完成年份' : 'Year', String(p.year)],
        [zh ? '面积' : 'Area', `${formatNumber(p.area_m2 / 10_000, ctx.lang, 2)} ha`],
        [zh ? '编号' : 'ID', String(p.id)],
      ],
    };
  },
  objectId: (o) => (o as Feature<Geometry, SiteProps>)?.properties?.id ?? null,
  findObject: (data, id) => data.find((f) => String(f.properties.id) === id),
};
