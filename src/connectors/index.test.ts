/**
 * The registry end to end: each connector's run() against a fake fetch that
 * serves the recorded answer, checking the URL it was asked for and the
 * LiveTable that comes back.
 */
import { readFileSync } from 'node:fs';
import type { Geometry } from 'geojson';
import { describe, expect, it, vi } from 'vitest';
import { KIND_RULES } from '../import/userColumns';
import { ConnectorError } from './http';
import {
  CONNECTOR_ORIGINS,
  connectorById,
  datavBoundaries,
  LIVE_CONNECTORS,
  openMeteoAir,
  osmFacilities,
  osmNetwork,
  osmParks,
  type LiveTable,
} from './index';

const recorded = (name: string) => readFileSync(new URL(`../../tests/fixtures/live/${name}`, import.meta.url));
const NOW = new Date('2025-03-04T06:30:00Z');

/** A fetch that serves `file` for any URL and remembers what it was asked. */
function serving(file: string, init: ResponseInit = { status: 200, headers: { 'content-type': 'application/json' } }) {
  const urls: string[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, req?: RequestInit) => {
    urls.push(String(input));
    expect(req?.signal).toBeInstanceOf(AbortSignal);
    return new Response(recorded(file), init);
  }) as unknown as typeof fetch;
  return { fetchImpl, urls };
}

const family = (g: Geometry) => (/Point/.test(g.type) ? 'point' : /LineString/.test(g.type) ? 'line' : 'polygon');

const BASE_PROPS = ['id', 'name', 'category', 'value', 'time'];
const AIR_EXTRAS = ['pm25', 'pm10', 'no2', 'so2', 'o3', 'co'];

/** What every LiveTable must be, whatever the source. */
function expectWellFormed(t: LiveTable, extras: string[] = []) {
  expect(Object.keys(t).sort()).toEqual(['features', 'fetchedAt', 'kind', 'provenance', 'skipped', 'title', 'url'].sort());
  expect(t.fetchedAt).toBe('2025-03-04T06:30:00.000Z');
  expect(t.features.type).toBe('FeatureCollection');
  expect(t.features.features.length).toBeGreaterThan(0);
  const allowed = KIND_RULES[t.kind].geometry;
  for (const f of t.features.features) {
    expect(allowed).toContain(family(f.geometry));
    expect(Object.keys(f.properties!)).toEqual([...BASE_PROPS, ...extras]);
    const p = f.properties!;
    expect(typeof p.id).toBe('string');
    expect(p.name === null || typeof p.name === 'string').toBe(true);
    expect(p.value === null || typeof p.value === 'number').toBe(true);
    expect(p.time === null || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(p.time as string)).toBe(true);
    // WGS-84 degrees, in or near the four cities
    const json = JSON.stringify(f.geometry);
    for (const [, x, y] of json.matchAll(/\[(-?[\d.]+),(-?[\d.]+)\]/g)) {
      expect(Number(x)).toBeGreaterThan(113);
      expect(Number(x)).toBeLessThan(123);
      expect(Number(y)).toBeGreaterThan(22);
      expect(Number(y)).toBeLessThan(37);
    }
  }
}

describe('registry', () => {
  it('five connectors with unique ids, kinds the import layer knows, and the origins the CSP needs', () => {
    expect(LIVE_CONNECTORS.map((c) => c.id)).toEqual(['osm-parks', 'osm-facilities', 'osm-network', 'open-meteo-air', 'datav-boundaries']);
    expect(LIVE_CONNECTORS.map((c) => c.kind)).toEqual(['park', 'facility', 'network', 'stations', 'boundary']);
    for (const c of LIVE_CONNECTORS) {
      expect(Object.keys(KIND_RULES)).toContain(c.kind);
      expect(c.label.zh && c.label.en).toBeTruthy();
      expect(c.provenance.license.length).toBeGreaterThan(0);
      expect(connectorById(c.id)).toBe(c);
    }
    expect(CONNECTOR_ORIGINS.sort()).toEqual(['https://air-quality-api.open-meteo.com', 'https://geo.datav.aliyun.com', 'https://overpass-api.de']);
    expect(connectorById('nope')).toBeUndefined();
  });

  it('says which data is modelled: Open-Meteo only, with its method; licences named honestly', () => {
    expect(LIVE_CONNECTORS.filter((c) => c.provenance.modelled).map((c) => c.id)).toEqual(['open-meteo-air']);
    expect(openMeteoAir.provenance.method?.en).toMatch(/CAMS/);
    expect(openMeteoAir.provenance.license).toMatch(/CC-BY-4\.0/);
    expect(openMeteoAir.provenance.license).toMatch(/Copernicus/);
    expect(osmParks.provenance.license).toMatch(/ODbL-1\.0/);
    expect(osmParks.provenance.license).toMatch(/© OpenStreetMap contributors/);
    expect(datavBoundaries.provenance.license).toMatch(/terms of the provider/);
  });
});

describe('run() end to end on recorded answers', () => {
  const jinan: [number, number, number, number] = [116.2209, 35.9912, 117.9698, 37.5324];

  it('osm-parks: asks Overpass for the city bounds in (s,w,n,e) order, returns the park table', async () => {
    const { fetchImpl, urls } = serving('overpass-parks-jinan.json');
    const progress: number[] = [];
    const t = await osmParks.run({ bbox: jinan, place: { zh: '济南', en: 'Jinan' } }, { fetchImpl, now: () => NOW, onProgress: (b) => progress.push(b) });
    expect(urls).toHaveLength(1);
    const u = new URL(urls[0]!);
    expect(u.origin).toBe(osmParks.origin);
    expect(u.pathname).toBe('/api/interpreter');
    expect(u.searchParams.get('data')).toContain('(35.9912,116.2209,37.5324,117.9698);');
    expect(u.searchParams.get('data')).toContain('leisure');
    expect(t.url).toBe(urls[0]);
    expect(t.kind).toBe('park');
    expect(t.title).toEqual({ zh: 'OSM 公园绿地 · 济南', en: 'OSM parks and green space · Jinan' });
    expect(t.features.features).toHaveLength(5);
    expect(t.skipped).toBe(3);
    expect(progress[progress.length - 1]).toBe(recorded('overpass-parks-jinan.json').byteLength);
    expectWellFormed(t);
  });

  it('osm-facilities and osm-network', async () => {
    const qingdao: [number, number, number, number] = [120.3, 36.04, 120.5, 36.16];
    const fac = serving('overpass-facilities-qingdao.json');
    const t1 = await osmFacilities.run({ bbox: qingdao }, { fetchImpl: fac.fetchImpl, now: () => NOW });
    expect(new URL(fac.urls[0]!).searchParams.get('data')).toContain('node["highway"="bus_stop"](36.04,120.3,36.16,120.5);');
    expect(t1.kind).toBe('facility');
    expect(t1.title.en).toBe('OSM life-circle facilities');
    expect(t1.features.features).toHaveLength(24);
    expect(t1.skipped).toBe(2);
    expectWellFormed(t1);

    const net = serving('overpass-network-ningbo.json');
    const t2 = await osmNetwork.run({ bbox: [121.54, 29.86, 121.57, 29.88] }, { fetchImpl: net.fetchImpl, now: () => NOW });
    expect(new URL(net.urls[0]!).searchParams.get('data')).toContain('(29.86,121.54,29.88,121.57);');
    expect(t2.kind).toBe('network');
    expect(t2.features.features).toHaveLength(6);
    expectWellFormed(t2);
  });

  it('refuse an area larger than the source answers at once, before any request, saying so in both languages', async () => {
    const { fetchImpl, urls } = serving('overpass-network-ningbo.json');
    const wholeCity: [number, number, number, number] = [120.9, 28.85, 122.3, 30.4];
    const e = await osmNetwork.run({ bbox: wholeCity }, { fetchImpl }).then(() => null, (x: unknown) => x as ConnectorError);
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e!.code).toBe('bad-input');
    expect(e!.en).toMatch(/The area is about \d+ km², more than the 150 km² this source answers at once/);
    expect(e!.zh).toContain('请放大地图');
    expect(urls).toEqual([]);
    // Parks take a whole city's bounds, but not a province.
    await expect(osmParks.run({ bbox: wholeCity }, { fetchImpl: serving('overpass-parks-jinan.json').fetchImpl })).resolves.toBeTruthy();
    await expect(osmParks.run({ bbox: [114.8, 34.4, 122.7, 38.4] }, { fetchImpl })).rejects.toThrow(/40000 km²/);
  });

  it('open-meteo-air: one request for the stations, station-hours with AQI; bad stations counted', async () => {
    const { fetchImpl, urls } = serving('open-meteo-jinan-qingdao.json');
    const stations = [
      { id: 'JN01', name: '历下监测站', lon: 117.01306, lat: 36.66731 },
      { id: 'BROKEN', name: 'no position', lon: Number.NaN, lat: 36 },
      { id: 'QD03', name: '<img src=x onerror=alert(1)>', lon: 120.38262, lat: 36.06713 },
    ];
    const t = await openMeteoAir.run({ stations, pastDays: 2, forecastDays: 0 }, { fetchImpl, now: () => NOW });
    expect(urls).toHaveLength(1);
    const u = new URL(urls[0]!);
    expect(u.origin + u.pathname).toBe('https://air-quality-api.open-meteo.com/v1/air-quality');
    expect(u.searchParams.get('latitude')).toBe('36.6673,36.0671'); // the broken station is not asked for
    expect(u.searchParams.get('past_days')).toBe('2');
    expect(u.searchParams.get('forecast_days')).toBe('0');
    expect(t.kind).toBe('stations');
    expect(t.provenance.modelled).toBe(true);
    expect(t.features.features).toHaveLength(7);
    expect(t.skipped).toBe(2); // one empty hour + one unusable station
    expect(t.features.features.map((f) => f.properties!.value)).toEqual([130, 210, 12, 63, 48, 53, 30]);
    expectWellFormed(t, AIR_EXTRAS);
  });

  it('datav-boundaries: by city id, converted to WGS-84', async () => {
    const { fetchImpl, urls } = serving('datav-370200_full.json');
    const t = await datavBoundaries.run({ city: 'qingdao' }, { fetchImpl, now: () => NOW });
    expect(urls).toEqual(['https://geo.datav.aliyun.com/areas_v3/bound/370200_full.json']);
    expect(t.kind).toBe('boundary');
    expect(t.features.features.map((f) => f.properties!.id)).toEqual(['370202', '370203', '370211', '370299']);
    expect(t.skipped).toBe(2);
    expectWellFormed(t);
  });
});

describe('run() failures', () => {
  const bbox: [number, number, number, number] = [117.0, 36.6, 117.1, 36.7];

  it('Overpass 429 → busy, advising a smaller area', async () => {
    const fetchImpl = (async () => new Response('rate limited', { status: 429 })) as typeof fetch;
    const err = await osmParks.run({ bbox }, { fetchImpl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('busy');
    expect((err as ConnectorError).en).toContain('try a smaller area or later');
  });

  it('the planner cancels: cancelled, nothing returned', async () => {
    const ctrl = new AbortController();
    const fetchImpl = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_r, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const p = osmNetwork.run({ bbox }, { fetchImpl, signal: ctrl.signal });
    ctrl.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('bad input fails before any request', async () => {
    const fetchImpl = vi.fn() as unknown as typeof fetch;
    await expect(osmParks.run({ bbox: [36.6, 117, 36.7, 117.1] }, { fetchImpl })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(datavBoundaries.run({ city: 'beijing' }, { fetchImpl })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(openMeteoAir.run({ stations: [] }, { fetchImpl })).rejects.toMatchObject({ code: 'bad-input' });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('a recorded answer served to the wrong connector is a bad-response, not a crash', async () => {
    const { fetchImpl } = serving('datav-370200_full.json');
    await expect(osmParks.run({ bbox }, { fetchImpl })).rejects.toMatchObject({ code: 'bad-response' });
    const om = serving('overpass-parks-jinan.json');
    await expect(openMeteoAir.run({ stations: [{ id: 'A', name: 'a', lon: 117, lat: 36 }] }, { fetchImpl: om.fetchImpl })).rejects.toMatchObject({ code: 'bad-response' });
  });
});
