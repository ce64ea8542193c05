import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import { clockToUtcMs } from '../state/clock';
import { AQI_LEVELS, aqiLevel } from '../standards/aqi';
import { aqiSqlExpr } from '../standards/aqiSql';
import { CJK_FONT_FAMILY } from '../map/theme';
import { hexToRgba, tableRows } from './arrowRows';
import type { LayerModule, RGBA } from './types';

interface StationReading {
  id: string;
  name: string;
  district: string;
  lon: number;
  lat: number;
  pm25: number | null;
  pm10: number | null;
  o3: number | null;
  no2: number | null;
  so2: number | null;
  co: number | null;
  aqi: number | null;
}

const NO_DATA: RGBA = [150, 156, 164, 230];

function colourOf(aqi: number | null): RGBA {
  return aqi === null ? NO_DATA : hexToRgba(aqiLevel(aqi).colour, 240);
}

/** Dark text on the light levels (优, 良, 轻度), light text on the dark ones. */
function textColourOf(aqi: number | null): RGBA {
  return aqi !== null && aqi > 150 ? [255, 255, 255, 255] : [20, 24, 28, 255];
}

export const airLayer: LayerModule<StationReading[]> = {
  kind: 'air',
  dataKey: (ctx) => `${ctx.city.id}|${ctx.state.time}`,
  async load(ctx, query) {
    const stations = quoteIdent(ctx.tables.stations!);
    const readings = quoteIdent(ctx.tables.air_hourly!);
    // Hourly (real-time) AQI per HJ 633-2012, computed in SQL from raw concentrations.
    const aqi = aqiSqlExpr(
      { pm25: 'r.pm25', pm10: 'r.pm10', o3: 'r.o3', no2: 'r.no2', so2: 'r.so2', co: 'r.co' },
      'hourly',
    );
    const table = await query({
      sql: `WITH r AS (SELECT * FROM ${readings} WHERE epoch_ms(ts) = $1)
            SELECT s.id, s.name, s.district, s.__xmin AS lon, s.__ymin AS lat,
                   r.pm25, r.pm10, r.o3, r.no2, r.so2, r.co, ${aqi} AS aqi
            FROM ${stations} s LEFT JOIN r ON r.station_id = s.id
            ORDER BY s.id`,
      params: [clockToUtcMs(ctx.state.time)],
    });
    return tableRows<StationReading>(table);
  },
  render(data, ctx, visible) {
    return [
      new ScatterplotLayer<StationReading>({
        id: ctx.def.id,
        data,
        visible,
        pickable: true,
        radiusUnits: 'pixels',
        getRadius: 13 * ctx.scale,
        getPosition: (d) => [d.lon, d.lat],
        getFillColor: (d) => colourOf(d.aqi),
        stroked: true,
        getLineColor: [30, 36, 44, 230],
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5 * ctx.scale,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 120],
        updateTriggers: { getFillColor: ctx.state.time },
      }),
      new TextLayer<StationReading>({
        id: `${ctx.def.id}-values`,
        data,
        visible,
        getPosition: (d) => [d.lon, d.lat],
        getText: (d) => (d.aqi === null ? '–' : String(d.aqi)),
        getColor: (d) => textColourOf(d.aqi),
        getSize: 11 * ctx.scale,
        fontFamily: CJK_FONT_FAMILY,
        fontWeight: 700,
        characterSet: '0123456789–',
        updateTriggers: { getText: ctx.state.time, getColor: ctx.state.time },
      }),
    ];
  },
  legend(data, ctx) {
    const lang = ctx.lang;
    return {
      title: lang === 'zh' ? `空气质量指数 AQI（${ctx.state.time.replace('T', ' ')}时）` : `Air quality index (${ctx.state.time.replace('T', ' ')}:00)`,
      items: [
        ...AQI_LEVELS.map((l) => ({
          color: hexToRgba(l.colour),
          label: `${l.range[0]}–${l.range[1] ?? '500+'} ${l.name[lang]}`,
          shape: 'circle' as const,
        })),
        { color: NO_DATA, label: lang === 'zh' ? '无数据' : 'No reading', shape: 'circle' as const },
      ],
      note: lang === 'zh' ? '按 HJ 633-2012 计算的小时 AQI' : 'Hourly AQI per HJ 633-2012 (China)',
    };
  },
  describe(object, ctx) {
    const d = object as StationReading;
    if (!d || typeof d.id !== 'string') return null;
    const zh = ctx.lang === 'zh';
    const v = (x: number | null, unit: string, digits = 0) => (x === null ? '–' : `${formatNumber(x, ctx.lang, digits)} ${unit}`);
    const level = d.aqi === null ? null : aqiLevel(d.aqi);
    return {
      title: String(d.name),
      subtitle: level ? `AQI ${d.aqi} · ${level.name[ctx.lang]}` : zh ? '该时刻无读数' : 'No reading this hour',
      rows: [
        ['PM2.5', v(d.pm25, 'µg/m³')],
        ['PM10', v(d.pm10, 'µg/m³')],
        ['O₃', v(d.o3, 'µg/m³')],
        ['NO₂', v(d.no2, 'µg/m³')],
        ['SO₂', v(d.so2, 'µg/m³')],
        ['CO', v(d.co, 'mg/m³', 1)],
        [zh ? '站点编号' : 'Station', String(d.id)],
      ],
    };
  },
  objectId: (o) => (o as StationReading)?.id ?? null,
  findObject: (data, id) => data.find((d) => d.id === id),
};
