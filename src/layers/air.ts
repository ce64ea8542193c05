import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import { clockToUtcMs } from '../state/clock';
import { AQI_LEVELS, POLLUTANT_INFO, POLLUTANTS, aqiLevel, type Pollutant } from '../standards/aqi';
import { aqiSqlExpr, iaqiSqlExprs } from '../standards/aqiSql';
import type { AirMetric } from '../state/types';
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
  /** Hourly IAQI per pollutant (HJ 633-2012), for colouring by one pollutant. */
  i_pm25: number | null;
  i_pm10: number | null;
  i_o3: number | null;
  i_no2: number | null;
  i_so2: number | null;
  i_co: number | null;
}

/** The index a station is coloured by: the AQI, or the chosen pollutant's IAQI. */
function indexOf(d: StationReading, metric: AirMetric): number | null {
  return metric === 'aqi' ? d.aqi : (d[`i_${metric}` as keyof StationReading] as number | null);
}

/** The number written on a station: the AQI, or the pollutant's concentration. */
function labelOf(d: StationReading, metric: AirMetric): string {
  const v = metric === 'aqi' ? d.aqi : d[metric];
  if (v === null || v === undefined) return '–';
  return metric === 'co' ? v.toFixed(1) : String(Math.round(v));
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
    const cols = { pm25: 'r.pm25', pm10: 'r.pm10', o3: 'r.o3', no2: 'r.no2', so2: 'r.so2', co: 'r.co' };
    const aqi = aqiSqlExpr(cols, 'hourly');
    const iaqis = iaqiSqlExprs(cols, 'hourly');
    const iaqiCols = POLLUTANTS.map((p: Pollutant) => `${iaqis[p]} AS i_${p}`).join(',\n                   ');
    const table = await query({
      sql: `WITH r AS (SELECT * FROM ${readings} WHERE epoch_ms(ts) = $1)
            SELECT s.id, s.name, s.district, s.__xmin AS lon, s.__ymin AS lat,
                   r.pm25, r.pm10, r.o3, r.no2, r.so2, r.co, ${aqi} AS aqi,
                   ${iaqiCols}
            FROM ${stations} s LEFT JOIN r ON r.station_id = s.id
            ORDER BY s.id`,
      params: [clockToUtcMs(ctx.state.time)],
    });
    return tableRows<StationReading>(table);
  },
  render(data, ctx, visible) {
    const metric = ctx.state.pollutant;
    const triggers = `${ctx.state.time}|${metric}`;
    return [
      new ScatterplotLayer<StationReading>({
        id: ctx.def.id,
        data,
        visible,
        pickable: true,
        radiusUnits: 'pixels',
        getRadius: 13 * ctx.scale,
        getPosition: (d) => [d.lon, d.lat],
        getFillColor: (d) => colourOf(indexOf(d, metric)),
        stroked: true,
        getLineColor: [30, 36, 44, 230],
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5 * ctx.scale,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 120],
        updateTriggers: { getFillColor: triggers },
      }),
      new TextLayer<StationReading>({
        id: `${ctx.def.id}-values`,
        data,
        visible,
        getPosition: (d) => [d.lon, d.lat],
        getText: (d) => labelOf(d, metric),
        getColor: (d) => textColourOf(indexOf(d, metric)),
        getSize: 11 * ctx.scale,
        fontFamily: CJK_FONT_FAMILY,
        fontWeight: 700,
        characterSet: '0123456789.–',
        updateTriggers: { getText: triggers, getColor: triggers },
      }),
    ];
  },
  legend(data, ctx) {
    const lang = ctx.lang;
    const metric = ctx.state.pollutant;
    const what =
      metric === 'aqi'
        ? lang === 'zh' ? '空气质量指数 AQI' : 'Air quality index'
        : lang === 'zh'
          ? `${POLLUTANT_INFO[metric].symbol}（${POLLUTANT_INFO[metric].unit}），按分指数 IAQI 着色`
          : `${POLLUTANT_INFO[metric].symbol} (${POLLUTANT_INFO[metric].unit}), coloured by its IAQI`;
    return {
      // The hour is on the time bar: a legend that changed every step would redraw the panel every step.
      title: what,
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
