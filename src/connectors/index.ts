/**
 * The live sources (issue #8), as the UI and the CLI see them: each
 * connector says what it is, where it connects, which import layer kind it
 * feeds, where its data comes from and under which terms, and `run`s one
 * request into a {@link LiveTable}. Nothing here runs by itself: a request is
 * made only when the planner asks, and it fails with a bilingual
 * ConnectorError (./http.ts) when offline.
 *
 * A LiveTable's features always have exactly the properties `id`, `name`,
 * `category`, `value`, `time` (plus the pollutant columns for air), and
 * WGS-84 coordinates: the shape of the catalog's tables and of
 * src/import/userLoad.ts, so the same load path can take them. Strings from
 * the network are plain text, capped in length; the UI still escapes them.
 */
import type { FeatureCollection } from 'geojson';
import type { TargetKind } from '../import/userColumns';
import { DATAV_ORIGIN, datavUrl, parseDataV, resolveAdcode, type BoundaryInput } from './boundaries';
import { ConnectorError, fetchJson, type Bilingual, type FetchJsonOptions } from './http';
import { OPEN_METEO_ENDPOINT, openMeteoUrl, parseOpenMeteo, usableStations, type OpenMeteoOptions, type Station } from './openMeteo';
import { bboxAreaKm2, OVERPASS_ENDPOINT, OVERPASS_LIMITS, overpassQuery, overpassUrl, parseOverpass, type BBox, type OverpassTheme } from './overpass';

export { ConnectorError, type Bilingual, type ConnectorErrorCode } from './http';
export type { BBox } from './overpass';
export type { Station } from './openMeteo';
export { CITY_ADCODES } from './boundaries';

export interface LiveProvenance {
  source: Bilingual;
  /** Plain words or SPDX id, with the attribution the terms require. */
  license: string;
  /** True when the values come from a model rather than measurement or survey. */
  modelled: boolean;
  /** How the values were made; always given for modelled data. */
  method?: Bilingual;
  caveats?: Bilingual[];
}

export interface LiveTable {
  kind: TargetKind;
  title: Bilingual;
  provenance: LiveProvenance;
  /** When the answer arrived, ISO 8601 UTC. */
  fetchedAt: string;
  /** The exact URL asked. */
  url: string;
  features: FeatureCollection;
  /** Records of the answer (or of the input) left out as unusable. */
  skipped: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  onProgress?: (bytes: number) => void;
  /** For tests: the clock behind `fetchedAt`. */
  now?: () => Date;
}

export interface Connector<I> {
  id: string;
  label: Bilingual;
  /** Scheme + host the connector fetches from (for connect-src). */
  origin: string;
  kind: TargetKind;
  provenance: LiveProvenance;
  run(input: I, opts?: RunOptions): Promise<LiveTable>;
}

/** Where an Overpass theme is asked for; `place` only names the result. */
export interface AreaInput {
  bbox: BBox;
  place?: Bilingual;
}
export interface StationsInput extends OpenMeteoOptions {
  stations: readonly Station[];
  place?: Bilingual;
}
export type BoundariesInput = BoundaryInput & { place?: Bilingual };

const OSM_PROVENANCE: LiveProvenance = {
  source: { zh: 'OpenStreetMap 贡献者，经 Overpass API（overpass-api.de）获取', en: 'OpenStreetMap contributors, via the Overpass API (overpass-api.de)' },
  license: 'ODbL-1.0 — © OpenStreetMap contributors',
  modelled: false,
  caveats: [
    {
      zh: 'OpenStreetMap 在各城市的完整程度不一：地图上没有，不等于实地没有。',
      en: 'OpenStreetMap is more complete in some places than others: missing from the map does not mean missing on the ground.',
    },
  ],
};

const OPEN_METEO_PROVENANCE: LiveProvenance = {
  source: {
    zh: 'Open-Meteo 空气质量 API；哥白尼大气监测服务（CAMS）全球预报与分析',
    en: 'Open-Meteo air-quality API; Copernicus Atmosphere Monitoring Service (CAMS) global forecasts and analyses',
  },
  license: 'CC-BY-4.0 (Open-Meteo); contains modified Copernicus Atmosphere Monitoring Service information',
  modelled: true,
  method: {
    zh: 'CAMS 全球模式（约 0.4°，40–45 公里网格）在站点位置的逐小时模拟浓度；AQI 按 HJ 633-2012 在本应用中计算。',
    en: 'Hourly CAMS global model concentrations (a grid of about 0.4°, 40–45 km) at the stations’ positions; AQI computed in this app per HJ 633-2012.',
  },
  caveats: [
    {
      zh: '模拟值，不是监测站的实测值；粗网格看不到街道和近处污染源。',
      en: 'Modelled, not the stations’ measurements; the coarse grid cannot see streets or nearby sources.',
    },
  ],
};

const DATAV_PROVENANCE: LiveProvenance = {
  source: { zh: '阿里云 DataV.GeoAtlas', en: 'Aliyun DataV.GeoAtlas' },
  license: '阿里云 DataV.GeoAtlas; terms of the provider (no open licence stated)',
  modelled: false,
  caveats: [
    {
      zh: '原始坐标为 GCJ-02，已转换为 WGS-84；数据版本未注明，非官方权威来源。',
      en: 'Published in GCJ-02 and converted to WGS-84; its vintage is not stated, and it is not an authoritative source.',
    },
  ],
};

const OVERPASS_BUSY: Bilingual = { zh: '服务器繁忙，请缩小范围或稍后再试。', en: 'server busy, try a smaller area or later.' };

const titled = (label: Bilingual, place?: Bilingual): Bilingual =>
  place ? { zh: `${label.zh} · ${place.zh}`, en: `${label.en} · ${place.en}` } : { ...label };

const fetchOptions = (opts: RunOptions): Pick<FetchJsonOptions, 'signal' | 'fetchImpl' | 'onProgress'> => ({
  signal: opts.signal,
  fetchImpl: opts.fetchImpl,
  onProgress: opts.onProgress,
});

function overpassConnector(id: string, theme: OverpassTheme, kind: TargetKind, label: Bilingual): Connector<AreaInput> {
  const limits = OVERPASS_LIMITS[theme];
  return {
    id,
    label,
    origin: new URL(OVERPASS_ENDPOINT).origin,
    kind,
    provenance: OSM_PROVENANCE,
    async run(input, opts = {}) {
      const area = Math.round(bboxAreaKm2(input.bbox));
      if (area > limits.maxAreaKm2)
        throw new ConnectorError('bad-input', {
          zh: `范围约 ${area} 平方公里，超过此数据源一次可取的 ${limits.maxAreaKm2} 平方公里：请放大地图或选一个区。`,
          en: `The area is about ${area} km², more than the ${limits.maxAreaKm2} km² this source answers at once: zoom in or pick a district.`,
        });
      const url = overpassUrl(overpassQuery(theme, input.bbox));
      const json = await fetchJson(url, {
        ...fetchOptions(opts),
        // The server gives up at [timeout:]; leave it room to say so itself.
        timeoutMs: (limits.timeoutS + 30) * 1000,
        maxBytes: limits.maxBytes,
        busyAdvice: OVERPASS_BUSY,
      });
      const r = parseOverpass(json, theme);
      const fetchedAt = (opts.now?.() ?? new Date()).toISOString();
      return { kind, title: titled(label, input.place), provenance: OSM_PROVENANCE, fetchedAt, url, features: r.features, skipped: r.skipped };
    },
  };
}

export const osmParks = overpassConnector('osm-parks', 'parks', 'park', { zh: 'OSM 公园绿地', en: 'OSM parks and green space' });
export const osmFacilities = overpassConnector('osm-facilities', 'facilities', 'facility', { zh: 'OSM 生活圈设施', en: 'OSM life-circle facilities' });
export const osmNetwork = overpassConnector('osm-network', 'network', 'network', { zh: 'OSM 步行路网', en: 'OSM walking network' });

export const openMeteoAir: Connector<StationsInput> = {
  id: 'open-meteo-air',
  label: { zh: 'Open-Meteo 逐小时空气质量（模拟）', en: 'Open-Meteo hourly air quality (modelled)' },
  origin: new URL(OPEN_METEO_ENDPOINT).origin,
  kind: 'stations',
  provenance: OPEN_METEO_PROVENANCE,
  async run(input, opts = {}) {
    const { stations, invalid } = usableStations(input.stations);
    const url = openMeteoUrl(stations, input);
    const json = await fetchJson(url, { ...fetchOptions(opts), timeoutMs: 30_000, maxBytes: 16 * 1024 * 1024 });
    const r = parseOpenMeteo(json, stations);
    const fetchedAt = (opts.now?.() ?? new Date()).toISOString();
    return {
      kind: 'stations',
      title: titled(openMeteoAir.label, input.place),
      provenance: OPEN_METEO_PROVENANCE,
      fetchedAt,
      url,
      features: r.features,
      skipped: r.skipped + invalid,
    };
  },
};

export const datavBoundaries: Connector<BoundariesInput> = {
  id: 'datav-boundaries',
  label: { zh: 'DataV 当前区县边界', en: 'DataV current district boundaries' },
  origin: DATAV_ORIGIN,
  kind: 'boundary',
  provenance: DATAV_PROVENANCE,
  async run(input, opts = {}) {
    const url = datavUrl(resolveAdcode(input));
    const json = await fetchJson(url, { ...fetchOptions(opts), timeoutMs: 30_000, maxBytes: 32 * 1024 * 1024 });
    const r = parseDataV(json);
    const fetchedAt = (opts.now?.() ?? new Date()).toISOString();
    return {
      kind: 'boundary',
      title: titled(datavBoundaries.label, input.place),
      provenance: DATAV_PROVENANCE,
      fetchedAt,
      url,
      features: r.features,
      skipped: r.skipped,
    };
  },
};

export const LIVE_CONNECTORS = [osmParks, osmFacilities, osmNetwork, openMeteoAir, datavBoundaries] as const;
export type LiveConnector = (typeof LIVE_CONNECTORS)[number];

export function connectorById(id: string): LiveConnector | undefined {
  return LIVE_CONNECTORS.find((c) => c.id === id);
}

/** Every origin a connector may fetch from: the Content-Security-Policy's connect-src needs them. */
export const CONNECTOR_ORIGINS: string[] = [...new Set(LIVE_CONNECTORS.map((c) => c.origin))];
