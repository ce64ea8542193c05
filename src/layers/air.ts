import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { FeatureCollection } from 'geojson';
import type { AirCube, AirStation } from '../air/cube';
import { frameValues, indexField, levelCounts, stepIndex } from '../air/frame';
import { buildIdwGrid, colourize, interpolate, type IdwGrid } from '../air/idw';
import { airCubeFor, airSourceFor } from '../air/sources';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import { CJK_FONT_FAMILY } from '../map/theme';
import { AQI_LEVELS, POLLUTANT_INFO, aqiLevel, type Pollutant } from '../standards/aqi';
import type { AirMetric, AppState } from '../state/types';
import { formatClock } from '../ui/timeBar';
import { hexToRgba, parseGeometry } from './arrowRows';
import { aqiSurfaceColour, surfaceLayer } from './airSurface';
import { describePeriod, loadPeriod, periodNote, periodTitle, shownPeriod } from './airPeriod';
import type { PeriodFrame } from '../air/periodSummary';
import type { LayerContext, LayerModule, RGBA } from './types';

/** A drawn station: the station plus where its values live in the cube. */
interface StationRow extends AirStation {
  s: number;
  cube: AirCube;
  /** Set while the map shows a period's means instead of the clock. */
  period: PeriodFrame | null;
}

interface AirData {
  cube: AirCube;
  rows: StationRow[];
  kind: 'catalog' | 'import';
  /** Interpolation grid, built only while the surface is on. */
  grid: IdwGrid | null;
  /** Each station's means over the brushed period, when the map shows them. */
  period: PeriodFrame | null;
}

const NO_DATA: RGBA = [150, 156, 164, 230];
const LEVEL_RGBA = AQI_LEVELS.map((l) => hexToRgba(l.colour, 240));

const colourOf = (v: number): RGBA => (Number.isFinite(v) ? LEVEL_RGBA[aqiLevel(v).level - 1]! : NO_DATA);
/** Dark text on the light levels (优, 良, 轻度), light text on the dark ones. */
const textColourOf = (v: number): RGBA => (Number.isFinite(v) && v > 150 ? [255, 255, 255, 255] : [20, 24, 28, 255]);

/**
 * Values at the clock's step, computed once per (cube, step, metric) and
 * shared by the accessors, the surface and the legend: a render during
 * playback reads typed arrays and nothing else.
 */
interface Frame {
  key: string;
  index: number;
  colourBy: Float32Array;
  label: Float32Array;
  aqi: Float32Array;
  field?: Float32Array;
  rgba?: Uint8ClampedArray<ArrayBuffer>;
}
const frames = new WeakMap<AirCube, Frame>();

function frameOf(data: AirData, state: AppState, withSurface: boolean): Frame {
  const p = data.period;
  const key = p ? `period|${p.from}|${p.to}|${p.metric}` : `${state.time}|${state.step}|${state.pollutant}`;
  let f = frames.get(data.cube);
  if (p && (!f || f.key !== key)) {
    // Copies: the clock's frames reuse these arrays as output buffers.
    f = { key, index: 0, colourBy: Float32Array.from(p.idx), label: Float32Array.from(p.mean), aqi: Float32Array.from(p.idx) };
    frames.set(data.cube, f);
  } else if (!f || f.key !== key) {
    const index = stepIndex(data.cube, state.time, state.step);
    const metric = state.pollutant;
    f = {
      key,
      index,
      colourBy: frameValues(data.cube, indexField(metric), state.step, index, f?.colourBy),
      label: frameValues(data.cube, metric === 'aqi' ? 'aqi' : metric, state.step, index, f?.label),
      aqi: frameValues(data.cube, 'aqi', state.step, index, f?.aqi),
      field: f?.field,
      rgba: undefined,
    };
    frames.set(data.cube, f);
  }
  if (withSurface && data.grid && !f.rgba) {
    f.field = interpolate(data.grid, f.colourBy, f.field);
    f.rgba = colourize(data.grid, f.field, aqiSurfaceColour) as Uint8ClampedArray<ArrayBuffer>;
  }
  return f;
}

function valueLabel(v: number, metric: AirMetric): string {
  if (!Number.isFinite(v)) return '–';
  return metric === 'co' ? v.toFixed(1) : String(Math.round(v));
}

async function boundaryOf(ctx: LayerContext, query: Parameters<LayerModule['load']>[1]): Promise<FeatureCollection> {
  const t = await query({ sql: `SELECT __geom FROM ${quoteIdent(ctx.tables.districts!)}` });
  const features = t.toArray().flatMap((r) => {
    const g = parseGeometry(r.__geom);
    return g ? [{ type: 'Feature' as const, properties: {}, geometry: g }] : [];
  });
  return { type: 'FeatureCollection', features };
}

export const airLayer: LayerModule<AirData> = {
  kind: 'air',
  // The whole span loads once per city and source; the clock only picks an index.
  // A shown period is a query of its own (the metric is in it).
  dataKey: (ctx) => {
    const p = shownPeriod(ctx.state);
    return `${airSourceFor(ctx.city.id).key}|${ctx.state.surface ? 'surface' : ''}|${ctx.state.step}${p ? `|${p[0]}..${p[1]}|${ctx.state.pollutant}` : ''}`;
  },
  async load(ctx, query) {
    const info = airSourceFor(ctx.city.id);
    const cube = await airCubeFor(info, { query: (sql, params) => query({ sql, params }) });
    // Daily values come second: an hourly first draw need not wait for them.
    if (ctx.state.step === 'day') await cube.dailyReady;
    const period = await loadPeriod(cube, info.source, ctx.state, query);
    const rows = cube.stations.map((st, s) => ({ ...st, s, cube, period }));
    let grid: IdwGrid | null = null;
    if (ctx.state.surface && cube.stations.length > 0 && ctx.tables.districts) {
      grid = buildIdwGrid({ bounds: ctx.city.bounds, boundary: await boundaryOf(ctx, query), stations: cube.stations.map((s) => [s.lon, s.lat]) });
    }
    return { cube, rows, kind: info.kind, grid, period };
  },
  render(data, ctx, visible) {
    const metric = ctx.state.pollutant;
    const withSurface = visible && ctx.state.surface && !!data.grid;
    const f = frameOf(data, ctx.state, withSurface);
    const triggers = f.key;
    const selected = ctx.state.selection?.layer === ctx.def.id ? ctx.state.selection.id : null;
    const layers = [];
    if (data.grid && f.rgba) layers.push(surfaceLayer(`${ctx.def.id}-surface`, data.grid, f.rgba, withSurface));
    layers.push(
      new ScatterplotLayer<StationRow>({
        id: ctx.def.id,
        data: data.rows,
        visible,
        pickable: true,
        radiusUnits: 'pixels',
        getRadius: 13 * ctx.scale,
        getPosition: (d) => [d.lon, d.lat],
        getFillColor: (d) => colourOf(f.colourBy[d.s]!),
        stroked: true,
        getLineColor: (d) => (d.id === selected ? [255, 255, 255, 255] : [30, 36, 44, 230]),
        lineWidthUnits: 'pixels',
        getLineWidth: (d) => (d.id === selected ? 4 : 1.5) * ctx.scale,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 120],
        updateTriggers: { getFillColor: triggers, getLineColor: selected, getLineWidth: selected },
      }),
      new TextLayer<StationRow>({
        id: `${ctx.def.id}-values`,
        data: data.rows,
        visible,
        getPosition: (d) => [d.lon, d.lat],
        getText: (d) => valueLabel(f.label[d.s]!, metric),
        getColor: (d) => textColourOf(f.colourBy[d.s]!),
        getSize: 11 * ctx.scale,
        fontFamily: CJK_FONT_FAMILY,
        fontWeight: 700,
        characterSet: '0123456789.–',
        updateTriggers: { getText: triggers, getColor: triggers },
        // Flat labels on flat markers: drawn over them whatever the pitch.
        parameters: { depthCompare: 'always' },
      }),
    );
    return layers;
  },
  legend(data, ctx) {
    const lang = ctx.lang;
    const zh = lang === 'zh';
    const metric = ctx.state.pollutant;
    const daily = ctx.state.step === 'day';
    const what =
      metric === 'aqi'
        ? daily ? (zh ? '日 AQI' : 'Daily AQI') : zh ? '小时 AQI' : 'Hourly AQI'
        : zh
          ? `${POLLUTANT_INFO[metric].symbol}（${POLLUTANT_INFO[metric].unit}），按分指数 IAQI 着色`
          : `${POLLUTANT_INFO[metric].symbol} (${POLLUTANT_INFO[metric].unit}), coloured by its IAQI`;
    const period = data?.period ?? null;
    const notes = [period ? periodNote(lang) : daily ? (zh ? '按 HJ 633-2012 计算的日均值与日 AQI' : 'Daily means and daily AQI per HJ 633-2012') : zh ? '按 HJ 633-2012 计算的小时 AQI' : 'Hourly AQI per HJ 633-2012 (China)'];
    if (ctx.state.surface) notes.push(zh ? '面状着色为站点反距离加权插值，并非实测' : 'The shaded surface is inverse-distance interpolation between stations, not measurement');
    if (data?.kind === 'import') notes.push(zh ? '数据：导入的国控站点文件（实测）' : 'Data: imported CNEMC station files (measured)');
    let live: string | undefined;
    if (data) {
      const f = frameOf(data, ctx.state, false);
      const counts = levelCounts(f.colourBy);
      const when = period ? `${period.from} – ${period.to}` : daily ? ctx.state.time.slice(0, 10) : formatClock(ctx.state.time, lang);
      const parts = AQI_LEVELS.flatMap((l, i) => (counts[i] ? [`${l.name[lang]} ${counts[i]}`] : []));
      if (counts[6]) parts.push(`${zh ? '无数据' : 'no reading'} ${counts[6]}`);
      live = f.index < 0 ? `${when} · ${zh ? '超出数据时段' : 'outside the data span'}` : `${when} · ${parts.join(' · ')}`;
    }
    return {
      title: period ? periodTitle(period, lang) : what,
      items: [
        ...AQI_LEVELS.map((l) => ({ color: hexToRgba(l.colour), label: `${l.range[0]}–${l.range[1] ?? '500+'} ${l.name[lang]}`, shape: 'circle' as const })),
        { color: NO_DATA, label: zh ? '无数据' : 'No reading', shape: 'circle' as const },
        // Every legend (panel, embed, presenter) says the surface is interpolated, not only the long note.
        ...(ctx.state.surface ? [{ color: [150, 200, 120, 150] as RGBA, label: zh ? '色面：站点间插值，非实测' : 'Shading: interpolated between stations, not measured', shape: 'square' as const }] : []),
      ],
      note: notes.join('；'),
      live,
    };
  },
  describe(object, ctx) {
    const d = object as StationRow;
    if (!d || typeof d.id !== 'string' || !d.cube) return null;
    if (d.period) return describePeriod(d.period, d.s, d.name, d.id, ctx.lang);
    const zh = ctx.lang === 'zh';
    const step = ctx.state.step;
    const i = stepIndex(d.cube, ctx.state.time, step);
    const n = d.cube.stations.length;
    const src = step === 'day' ? d.cube.daily : d.cube.hourly;
    const at = (p: Pollutant | 'aqi') => (i < 0 ? Number.NaN : src[p][i * n + d.s]!);
    const v = (p: Pollutant, digits = 0) => {
      const x = at(p);
      return Number.isFinite(x) ? `${formatNumber(x, ctx.lang, digits)} ${POLLUTANT_INFO[p].unit}` : '–';
    };
    const aqi = at('aqi');
    const level = Number.isFinite(aqi) ? aqiLevel(aqi) : null;
    const kind = step === 'day' ? (zh ? '日 AQI' : 'Daily AQI') : 'AQI';
    return {
      title: d.name,
      subtitle: level ? `${kind} ${aqi} · ${level.name[ctx.lang]}` : zh ? '该时刻无读数' : 'No reading at this time',
      rows: [
        ['PM2.5', v('pm25')],
        ['PM10', v('pm10')],
        [step === 'day' ? (zh ? 'O₃ 日最大8小时' : 'O₃ max 8 h') : 'O₃', v('o3')],
        ['NO₂', v('no2')],
        ['SO₂', v('so2')],
        ['CO', v('co', 1)],
        [zh ? '站点编号' : 'Station', d.id],
        ...(d.background ? [[zh ? '类型' : 'Type', zh ? '对照点（不计入城市均值）' : 'Background site (not in the city mean)'] as [string, string]] : []),
      ],
    };
  },
  objectId: (o) => (o as StationRow)?.id ?? null,
  findObject: (data, id) => data.rows.find((d) => d.id === id),
};
