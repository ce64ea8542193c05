/**
 * Open-Meteo air quality: the request, the recorded two-location answer, and
 * the hourly AQI against hand computation (HJ 633-2012, standards.md), with
 * CO converted from µg/m³ to mg/m³.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from './http';
import { openMeteoUrl, parseOpenMeteo, toMicrogramsFactor, usableStations, utcHour, type Station } from './openMeteo';

const fixture = (): unknown => JSON.parse(readFileSync(new URL('../../tests/fixtures/live/open-meteo-jinan-qingdao.json', import.meta.url), 'utf8'));

const STATIONS: Station[] = [
  { id: 'JN01', name: '历下监测站', lon: 117.01306, lat: 36.66731 },
  { id: 'QD03', name: '<img src=x onerror=alert(1)>', lon: 120.38262, lat: 36.06713 },
];

function connectorError(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
}

describe('openMeteoUrl', () => {
  it('one request for all stations, lists in station order, the six pollutants, GMT, CAMS global', () => {
    const u = new URL(openMeteoUrl(STATIONS));
    expect(u.origin + u.pathname).toBe('https://air-quality-api.open-meteo.com/v1/air-quality');
    expect(u.searchParams.get('latitude')).toBe('36.6673,36.0671');
    expect(u.searchParams.get('longitude')).toBe('117.0131,120.3826');
    expect(u.searchParams.get('hourly')!.split(',').sort()).toEqual(['carbon_monoxide', 'nitrogen_dioxide', 'ozone', 'pm10', 'pm2_5', 'sulphur_dioxide']);
    expect(u.searchParams.get('timezone')).toBe('GMT');
    expect(u.searchParams.get('domains')).toBe('cams_global');
    expect(u.searchParams.get('past_days')).toBe('1');
    expect(u.searchParams.get('forecast_days')).toBe('1');
    expect(openMeteoUrl(STATIONS)).toContain('latitude=36.6673,36.0671&'); // commas left readable
  });

  it('clamps the day counts to what the API accepts', () => {
    const u = new URL(openMeteoUrl(STATIONS, { pastDays: 400, forecastDays: -3 }));
    expect(u.searchParams.get('past_days')).toBe('92');
    expect(u.searchParams.get('forecast_days')).toBe('0');
  });

  it('refuses no stations, or too many for one URL', () => {
    expect(connectorError(() => openMeteoUrl([])).code).toBe('bad-input');
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `S${i}`, name: '', lon: 117, lat: 36 }));
    expect(connectorError(() => openMeteoUrl(many)).code).toBe('bad-input');
  });
});

describe('usableStations', () => {
  it('drops stations without an id or a position, and caps names', () => {
    const { stations, invalid } = usableStations([
      ...STATIONS,
      { id: '', name: 'x', lon: 117, lat: 36 },
      { id: 'BAD', name: 'x', lon: Number.NaN, lat: 36 },
      { id: 'SWAP', name: 'x', lon: 36, lat: 117 },
      { id: 'LONG', name: '站'.repeat(500), lon: 117, lat: 36 },
    ]);
    expect(stations.map((s) => s.id)).toEqual(['JN01', 'QD03', 'LONG']);
    expect(invalid).toBe(3);
    expect(Array.from(stations[2]!.name)).toHaveLength(200);
  });
});

describe('parseOpenMeteo: the recorded Jinan + Qingdao answer', () => {
  const r = parseOpenMeteo(fixture(), STATIONS);
  const at = (id: string, time: string) => r.features.features.find((f) => f.properties.id === id && f.properties.time === time)!;

  it('one point per station and hour with a value; empty hours left out and counted', () => {
    expect(r.features.features).toHaveLength(7);
    expect(r.skipped).toBe(1); // Jinan 03:00, every pollutant null
    expect(r.features.features.filter((f) => f.properties.id === 'JN01').map((f) => f.properties.time)).toEqual([
      '2025-01-14T00:00:00Z',
      '2025-01-14T01:00:00Z',
      '2025-01-14T02:00:00Z',
    ]);
  });

  it('properties: id, name, category, value, time, then the pollutants; at the station, not the grid cell', () => {
    const f = at('JN01', '2025-01-14T00:00:00Z');
    expect(Object.keys(f.properties)).toEqual(['id', 'name', 'category', 'value', 'time', 'pm25', 'pm10', 'no2', 'so2', 'o3', 'co']);
    expect(f.properties).toMatchObject({ id: 'JN01', name: '历下监测站', category: 'hourly' });
    expect(f.geometry.coordinates).toEqual([117.01306, 36.66731]); // the answer's grid point is 117.0, 36.6
    expect(at('QD03', '2025-01-14T00:00:00Z').properties.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('CO is converted from µg/m³ to mg/m³; the others stay µg/m³', () => {
    const p = at('JN01', '2025-01-14T00:00:00Z').properties;
    expect(p.co).toBeCloseTo(1.45, 10);
    expect(p).toMatchObject({ pm25: 98.6, pm10: 142.3, no2: 61.2, so2: 18.4, o3: 12 });
  });

  it('hourly AQI by hand (IAQI = ceil of the linear interpolation; PM on the 24 h table)', () => {
    // Jinan 00:00: PM2.5 98.6 in (75, 115] → 100 + 50·23.6/40 = 129.5 → 130; PM10 142.3 → 97;
    // CO 1.45 mg/m³ → 14.5 → 15; NO2 61.2 → 31; SO2 18.4 → 7; O3 12 → 4.
    expect(at('JN01', '2025-01-14T00:00:00Z').properties.value).toBe(130);
    // Jinan 01:00: PM2.5 160 in (150, 250] → 200 + 100·10/100 = 210.
    expect(at('JN01', '2025-01-14T01:00:00Z').properties.value).toBe(210);
    // Qingdao 00:00: O3 170 in (160, 200] → 50 + 50·10/40 = 62.5 → 63; PM2.5 35 is exactly 50; PM10 60 → 55.
    expect(at('QD03', '2025-01-14T00:00:00Z').properties.value).toBe(63);
    // Qingdao 01:00: PM2.5 null; PM10 48 → 48; O3 88 → 27.5 → 28; CO 0.35 → 3.5 → 4.
    expect(at('QD03', '2025-01-14T01:00:00Z').properties.value).toBe(48);
    // Qingdao 02:00: PM2.5 34.9 → 49.86 → 50; PM10 55 → 52.5 → 53.
    expect(at('QD03', '2025-01-14T02:00:00Z').properties.value).toBe(53);
    // Qingdao 03:00: PM10 30 → 30; PM2.5 20 → 28.6 → 29.
    expect(at('QD03', '2025-01-14T03:00:00Z').properties.value).toBe(30);
  });

  it('an hour with only CO: 1200 µg/m³ = 1.2 mg/m³ → IAQI 12 (unconverted it would be 500)', () => {
    const p = at('JN01', '2025-01-14T02:00:00Z').properties;
    expect(p).toMatchObject({ pm25: null, pm10: null, no2: null, so2: null, o3: null });
    expect(p.co).toBeCloseTo(1.2, 10);
    expect(p.value).toBe(12);
  });
});

describe('parseOpenMeteo: other answers', () => {
  const one = {
    latitude: 22.6,
    longitude: 114.0,
    utc_offset_seconds: 28800,
    timezone: 'Asia/Shanghai',
    hourly_units: { time: 'iso8601', pm2_5: 'µg/m³', carbon_monoxide: 'mg/m³', ozone: 'ppb' },
    hourly: { time: ['2025-07-01T08:00', 'not a time', '2025-07-01T10:00'], pm2_5: [40, 10, 'x'], carbon_monoxide: [0.5, 0.5, 0.6], ozone: [200, 200, 200] },
  };
  const SZ: Station[] = [{ id: 'SZ01', name: '洪湖', lon: 114.118, lat: 22.561 }];

  it('a single location is an object; a local-time answer is moved to UTC; units are read, not assumed', () => {
    const r = parseOpenMeteo(one, SZ);
    expect(r.features.features.map((f) => f.properties.time)).toEqual(['2025-07-01T00:00:00Z', '2025-07-01T02:00:00Z']);
    expect(r.skipped).toBe(1); // "not a time"
    const p = r.features.features[0]!.properties;
    expect(p.co).toBe(0.5); // already mg/m³
    expect(p.o3).toBeNull(); // ppb is not a unit we convert: missing, not misread
    // PM2.5 40 → 50 + 50·5/40 = 56.25 → 57; CO 0.5 → 5.
    expect(p.value).toBe(57);
    expect(r.features.features[1]!.properties.pm25).toBeNull(); // 'x'
  });

  it('location_id, when present, decides which station a location is', () => {
    const a = { ...one, utc_offset_seconds: 0, hourly: { time: ['2025-07-01T00:00'], pm2_5: [10] } };
    const b = { ...a, location_id: 0, hourly: { time: ['2025-07-01T00:00'], pm2_5: [80] } };
    const c = { ...a, location_id: 1 };
    const two: Station[] = [SZ[0]!, { id: 'SZ02', name: '南山', lon: 113.9, lat: 22.5 }];
    const r = parseOpenMeteo([c, b], two);
    expect(r.features.features.map((f) => [f.properties.id, f.properties.pm25])).toEqual([
      ['SZ02', 10],
      ['SZ01', 80],
    ]);
  });

  it('an answer that does not match the request is bad-response', () => {
    expect(connectorError(() => parseOpenMeteo(fixture(), [STATIONS[0]!])).code).toBe('bad-response');
    expect(connectorError(() => parseOpenMeteo([{ latitude: 1 }], [STATIONS[0]!])).code).toBe('bad-response');
    const err = connectorError(() => parseOpenMeteo({ error: true, reason: 'Latitude must be in range of -90 to 90°. Given: 136.0.' }, [STATIONS[0]!]));
    expect(err.code).toBe('bad-response');
    expect(err.en).toContain('Latitude must be in range');
  });
});

describe('units and times', () => {
  it('toMicrogramsFactor reads the spellings of µg/m³ and mg/m³', () => {
    expect(toMicrogramsFactor('\u03bcg/m\u00b3')).toBe(1); // Greek mu: Open-Meteo's
    expect(toMicrogramsFactor('\u00b5g/m\u00b3')).toBe(1); // micro sign
    expect(toMicrogramsFactor('ug/m3')).toBe(1);
    expect(toMicrogramsFactor('mg/m³')).toBe(1000);
    expect(toMicrogramsFactor('ppb')).toBeNull();
    expect(toMicrogramsFactor(7)).toBeNull();
  });

  it('utcHour applies the offset and writes seconds and Z', () => {
    expect(utcHour('2025-01-14T00:00', 0)).toBe('2025-01-14T00:00:00Z');
    expect(utcHour('2025-01-01T03:00', 28800)).toBe('2024-12-31T19:00:00Z');
    expect(utcHour(1736812800, 0)).toBe('2025-01-14T00:00:00Z');
    expect(utcHour('2025-13-01T00:00', 0)).toBeNull();
    expect(utcHour('2025-01-14 00:00', 0)).toBeNull();
    expect(utcHour(null, 0)).toBeNull();
  });
});
