/**
 * Open-Meteo's air-quality API at the monitoring stations' coordinates: one
 * request for all stations (comma-separated latitude and longitude lists;
 * the answer is then an array, one object per location in request order,
 * and a single object for a single location), hourly PM2.5, PM10, CO, NO2,
 * SO2 and O3, and the hourly AQI computed here by HJ 633-2012
 * (src/standards/aqi.ts).
 *
 * These numbers are MODELLED, not measured: Open-Meteo serves the
 * Copernicus Atmosphere Monitoring Service (CAMS) global forecast and
 * analysis, on a grid of about 0.4° (40–45 km). A "station" here is the
 * model's grid value at the station's place, never the station's reading,
 * and it cannot see a street canyon or a nearby chimney. `domains=cams_global`
 * is asked for explicitly so that the provenance is certain.
 *
 * Time: `timezone=GMT`, so the hours come back in UTC ("2025-01-14T00:00",
 * no zone); `utc_offset_seconds` is still applied, so an answer in another
 * zone is read correctly. Each hour is output as `YYYY-MM-DDTHH:MM:SSZ`.
 * Each hourly value is the model's value for that hour, not a 1 h mean of
 * measurements; it stands in for the hour's 1 h concentration in the AQI.
 *
 * Units: Open-Meteo gives every pollutant, CO included, in µg/m³; China's
 * AQI tables and this app give CO in mg/m³, so CO is divided by 1000 (and
 * the others kept). The units are read from `hourly_units`, not assumed: a
 * pollutant in a unit we do not know is treated as missing.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { hourlyAqi } from '../standards/aqi';
import { ConnectorError, isFiniteNumber, isRecord, plainText } from './http';

export const OPEN_METEO_ENDPOINT = 'https://air-quality-api.open-meteo.com/v1/air-quality';

/** A place to ask for: a monitoring station's code, name and WGS-84 position. */
export interface Station {
  id: string;
  name: string;
  lon: number;
  lat: number;
}

export interface OpenMeteoOptions {
  /** Hours of the past days to include (Open-Meteo's past_days, 0–92). Default 1. */
  pastDays?: number;
  /** Days of forecast to include (forecast_days, 0–7). Default 1. */
  forecastDays?: number;
}

/** More locations make one URL too long for some servers and proxies. */
export const MAX_STATIONS = 100;

/** Open-Meteo's variable → our pollutant key. */
const VARIABLES = {
  pm2_5: 'pm25',
  pm10: 'pm10',
  carbon_monoxide: 'co',
  nitrogen_dioxide: 'no2',
  sulphur_dioxide: 'so2',
  ozone: 'o3',
} as const;
type Variable = keyof typeof VARIABLES;
type Key = (typeof VARIABLES)[Variable];
const VARIABLE_NAMES = Object.keys(VARIABLES) as Variable[];

export interface AirProps {
  id: string;
  name: string | null;
  category: 'hourly';
  /** Hourly AQI (HJ 633-2012); null when no pollutant has a value. */
  value: number | null;
  time: string;
  /** µg/m³ */
  pm25: number | null;
  pm10: number | null;
  no2: number | null;
  so2: number | null;
  o3: number | null;
  /** mg/m³ */
  co: number | null;
}

/** Stations with usable ids and positions, and how many were not. */
export function usableStations(stations: readonly Station[]): { stations: Station[]; invalid: number } {
  const out: Station[] = [];
  for (const s of stations) {
    const id = plainText(s?.id);
    const ok = id !== null && isFiniteNumber(s.lon) && isFiniteNumber(s.lat) && Math.abs(s.lon) <= 180 && Math.abs(s.lat) <= 90;
    if (ok) out.push({ id, name: plainText(s.name) ?? id, lon: s.lon, lat: s.lat });
  }
  return { stations: out, invalid: stations.length - out.length };
}

const clampInt = (v: number | undefined, lo: number, hi: number, dflt: number) =>
  v === undefined || !Number.isFinite(v) ? dflt : Math.min(hi, Math.max(lo, Math.round(v)));

/** The request for these stations (in this order: the answer keeps it). */
export function openMeteoUrl(stations: readonly Station[], opts: OpenMeteoOptions = {}): string {
  if (!stations.length || stations.length > MAX_STATIONS) {
    throw new ConnectorError('bad-input', {
      zh: `需要 1 至 ${MAX_STATIONS} 个有经纬度的站点（现有 ${stations.length} 个）。`,
      en: `Needs 1 to ${MAX_STATIONS} stations with coordinates (got ${stations.length}).`,
    });
  }
  // 4 decimals is about 10 m, far finer than the model grid.
  const coord = (x: number) => String(Math.round(x * 1e4) / 1e4);
  const q = new URLSearchParams({
    latitude: stations.map((s) => coord(s.lat)).join(','),
    longitude: stations.map((s) => coord(s.lon)).join(','),
    hourly: VARIABLE_NAMES.join(','),
    timezone: 'GMT',
    past_days: String(clampInt(opts.pastDays, 0, 92, 1)),
    forecast_days: String(clampInt(opts.forecastDays, 0, 7, 1)),
    domains: 'cams_global',
  });
  // URLSearchParams writes commas as %2C; Open-Meteo reads both, the plain form is easier to check.
  return `${OPEN_METEO_ENDPOINT}?${q.toString().replace(/%2C/g, ',')}`;
}

/** Multiplier to µg/m³ for a unit string, or null for a unit we do not know. */
export function toMicrogramsFactor(unit: unknown): number | null {
  if (unit === undefined) return 1; // absent: Open-Meteo's only unit for these variables
  if (typeof unit !== 'string') return null;
  // Greek mu (U+03BC, what Open-Meteo writes) and the micro sign (U+00B5) both occur.
  const u = unit.replace(/\s/g, '').replace('\u03bc', '\u00b5').replace(/m3$/, 'm\u00b3').toLowerCase();
  if (u === '\u00b5g/m\u00b3' || u === 'ug/m\u00b3') return 1;
  if (u === 'mg/m\u00b3') return 1000;
  return null;
}

const HOUR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** An Open-Meteo local hour → ISO UTC `YYYY-MM-DDTHH:MM:SSZ`, or null. */
export function utcHour(local: unknown, offsetSeconds: number): string | null {
  let ms: number;
  if (typeof local === 'string') {
    const m = HOUR.exec(local);
    if (!m) return null;
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return null;
    ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offsetSeconds * 1000;
  } else if (isFiniteNumber(local)) {
    ms = local * 1000; // timeformat=unixtime: already UTC
  } else {
    return null;
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function badResponse(en: string, zh: string): ConnectorError {
  return new ConnectorError('bad-response', { zh: `Open-Meteo 的响应不符合预期：${zh}`, en: `Unexpected answer from Open-Meteo: ${en}` });
}

export interface OpenMeteoParse {
  features: FeatureCollection<Point, AirProps>;
  /** Hours left out: no readable time, or no pollutant with a value. */
  skipped: number;
}

/**
 * Open-Meteo's answer for `stations` (the list the URL was built from) →
 * one point per station and hour at the station's own position.
 */
export function parseOpenMeteo(json: unknown, stations: readonly Station[]): OpenMeteoParse {
  if (isRecord(json) && json.error === true) {
    const reason = plainText(json.reason) ?? '';
    throw badResponse(reason, reason);
  }
  const locations: unknown[] = Array.isArray(json) ? json : [json];
  if (locations.length !== stations.length) {
    throw badResponse(
      `${locations.length} locations for ${stations.length} stations.`,
      `请求 ${stations.length} 个站点，返回 ${locations.length} 个位置。`,
    );
  }
  const features: Feature<Point, AirProps>[] = [];
  let skipped = 0;
  locations.forEach((loc, index) => {
    if (!isRecord(loc) || !isRecord(loc.hourly) || !Array.isArray(loc.hourly.time)) {
      throw badResponse(`location ${index} has no hourly time list.`, `第 ${index + 1} 个位置没有逐小时时间列表。`);
    }
    // location_id is written for every location but the first (0).
    const lid = loc.location_id;
    const station = stations[Number.isSafeInteger(lid) && (lid as number) >= 0 && (lid as number) < stations.length ? (lid as number) : index]!;
    const offset = isFiniteNumber(loc.utc_offset_seconds) ? loc.utc_offset_seconds : 0;
    const units = isRecord(loc.hourly_units) ? loc.hourly_units : {};
    const hourly = loc.hourly;
    const series = {} as Record<Key, (i: number) => number | null>;
    for (const v of VARIABLE_NAMES) {
      const values = Array.isArray(hourly[v]) ? (hourly[v] as unknown[]) : [];
      const toUg = toMicrogramsFactor(units[v]);
      const scale = toUg === null ? null : VARIABLES[v] === 'co' ? toUg / 1000 : toUg;
      series[VARIABLES[v]] = (i) => {
        const x = values[i];
        return scale !== null && isFiniteNumber(x) && x >= 0 ? x * scale : null;
      };
    }
    const times = hourly.time as unknown[];
    times.forEach((t, i) => {
      const time = utcHour(t, offset);
      const c = { pm25: series.pm25(i), pm10: series.pm10(i), no2: series.no2(i), so2: series.so2(i), o3: series.o3(i), co: series.co(i) };
      const value = hourlyAqi(c).aqi;
      if (time === null || value === null) {
        skipped++;
        return;
      }
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [station.lon, station.lat] },
        properties: { id: station.id, name: station.name, category: 'hourly', value, time, ...c },
      });
    });
  });
  return { features: { type: 'FeatureCollection', features }, skipped };
}
