/**
 * GCJ-02 / BD-09 → WGS-84 (./crs.ts) against published reference pairs, and
 * the TableRegistry path that converts catalog files on load, run by real
 * DuckDB-WASM (Node engine) with a fake fetch.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import gcoord from 'gcoord';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Feature, FeatureCollection, Geometry, Point, Position } from 'geojson';
import { columnsToWgs84, geojsonToWgs84, toWgs84Point } from './crs';
import { DataLoadError, TableRegistry, tableName } from './tables';
import type { CityDef, Crs, DatasetFile } from './types';
import { createNodeEngine, type NodeEngine } from '../engine/node';

import { expectNear, metres } from './crsTestHelpers';

const gcj = (p: readonly number[]) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.WGS84, gcoord.GCJ02);
const bd = (p: readonly number[]) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.WGS84, gcoord.BD09);

/** City centres (WGS-84, rounded) of the four catalog cities. */
const CITIES: Record<string, [number, number]> = {
  shenzhen: [114.0579, 22.5431],
  ningbo: [121.544, 29.8683],
  jinan: [117.1205, 36.651],
  qingdao: [120.3826, 36.0671],
};

describe('toWgs84Point', () => {
  // From gcoord's own test fixture (test/fixtures/china-cities.json, hujiulong/gcoord):
  // the same places in WGS-84, GCJ-02 and BD-09, independent of the formulas.
  const FIXTURE = [
    { name: '汕尾市 (Guangdong)', WGS84: [115.3702248, 22.7888255], GCJ02: [115.3751647, 22.7861903], BD09: [115.3817179, 22.7918527] },
    { name: '泰安市 (Shandong)', WGS84: [117.0815563, 36.2000071], GCJ02: [117.0876215, 36.2002574], BD09: [117.0941183, 36.2062086] },
    { name: '金华市 (Zhejiang)', WGS84: [119.6427465, 29.0820414], GCJ02: [119.6474509, 29.0790641], BD09: [119.6538875, 29.0854003] },
  ];
  for (const p of FIXTURE) {
    it(`reference pair ${p.name}: GCJ-02 and BD-09 → WGS-84 within 1e-5°`, () => {
      expectNear(toWgs84Point(p.GCJ02[0]!, p.GCJ02[1]!, 'GCJ02'), p.WGS84, 1e-5);
      expectNear(toWgs84Point(p.BD09[0]!, p.BD09[1]!, 'BD09'), p.WGS84, 1e-5);
    });
  }

  it("gcoord's published pairs: its unit tests ([123, 45]) and its README (BD-09 near Tiananmen)", () => {
    expectNear(toWgs84Point(123, 45, 'GCJ02'), [122.99395597, 44.99804071], 1e-6);
    expectNear(toWgs84Point(123, 45, 'BD09'), [122.9876221, 44.9917154], 1e-6);
    // README: WGS-84 [116.403988, 39.914266] → BD-09 [116.41661560068297, 39.92196580126834]
    expectNear(toWgs84Point(116.41661560068297, 39.92196580126834, 'BD09'), [116.403988, 39.914266], 1e-5);
  });

  it('round-trips WGS-84 → GCJ-02 / BD-09 → WGS-84 within 1e-5° over a grid around each city', () => {
    for (const [lon0, lat0] of Object.values(CITIES)) {
      for (let i = -2; i <= 2; i++) {
        for (let j = -2; j <= 2; j++) {
          const w = [lon0 + i * 0.1, lat0 + j * 0.1];
          expectNear(toWgs84Point(gcj(w)[0], gcj(w)[1], 'GCJ02'), w, 1e-5);
          expectNear(toWgs84Point(bd(w)[0], bd(w)[1], 'BD09'), w, 1e-5);
        }
      }
    }
  });

  it('moves GCJ-02 points in the four cities by the known 100–700 m', () => {
    for (const [id, p] of Object.entries(CITIES)) {
      const d = metres(p, toWgs84Point(p[0], p[1], 'GCJ02'));
      expect(d, id).toBeGreaterThan(100);
      expect(d, id).toBeLessThan(700);
    }
  });

  it('BD-09 sits about 0.0065° east and 0.006° north of GCJ-02, and converting either lands on the same point', () => {
    for (const [id, p] of Object.entries(CITIES)) {
      const g = gcj(p);
      const b = bd(p);
      expect(Math.abs(b[0] - g[0] - 0.0065), id).toBeLessThan(5e-4);
      expect(Math.abs(b[1] - g[1] - 0.006), id).toBeLessThan(5e-4);
      expectNear(toWgs84Point(b[0], b[1], 'BD09'), toWgs84Point(g[0], g[1], 'GCJ02'), 1e-6);
    }
  });

  it("leaves points outside gcoord's China box unchanged for GCJ-02 (BD-09's own shift applies everywhere)", () => {
    expect(toWgs84Point(-0.1276, 51.5072, 'GCJ02')).toEqual([-0.1276, 51.5072]); // London
    expect(toWgs84Point(183, 45, 'GCJ02')).toEqual([183, 45]); // gcoord's own "not in China" case
    const london = toWgs84Point(-0.1276, 51.5072, 'BD09');
    expect(Math.abs(london[0] - (-0.1276 - 0.0065))).toBeLessThan(5e-4);
  });

  it('is the identity for WGS-84 and refuses non-finite input or an unknown CRS', () => {
    expect(toWgs84Point(114.05, 22.54, 'WGS84')).toEqual([114.05, 22.54]);
    expect(() => toWgs84Point(NaN, 22.5, 'GCJ02')).toThrow(RangeError);
    expect(() => toWgs84Point(114, Infinity, 'WGS84')).toThrow(RangeError);
    expect(() => toWgs84Point(114, 22, 'EPSG3857' as Crs)).toThrow(/unsupported CRS "EPSG3857"/);
  });
});

describe('columnsToWgs84', () => {
  it('converts point columns into new Float64Arrays, leaving the inputs alone', () => {
    const lon = new Float32Array([114.05, 120.38, NaN, 121.5]);
    const lat = [22.54, 36.07, 30, Number.NaN];
    const lonBefore = Array.from(lon);
    const out = columnsToWgs84(lon, lat, 'GCJ02');
    expect(out.lon).toBeInstanceOf(Float64Array);
    expect(out.lon).not.toBe(lon);
    expect(Array.from(lon)).toEqual(lonBefore);
    expect([out.lon[0], out.lat[0]]).toEqual(toWgs84Point(lon[0]!, 22.54, 'GCJ02'));
    expect([out.lon[1], out.lat[1]]).toEqual(toWgs84Point(lon[1]!, 36.07, 'GCJ02'));
    // An incomplete position has nothing to convert: NaN in both.
    expect([out.lon[2], out.lat[2], out.lon[3], out.lat[3]]).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('copies for WGS-84 and refuses columns of different lengths', () => {
    const out = columnsToWgs84([1, 2], [3, 4], 'WGS84');
    expect(Array.from(out.lon)).toEqual([1, 2]);
    expect(Array.from(out.lat)).toEqual([3, 4]);
    expect(() => columnsToWgs84([1, 2], [3], 'BD09')).toThrow(RangeError);
  });
});

// Shenzhen, in GCJ-02.
const P: Position = [114.0579, 22.5431];
const Q: Position = [114.0779, 22.5531];
const R: Position = [114.0679, 22.5631];

function sampleCollection(): FeatureCollection {
  const ring = [P, Q, R, P];
  const feature = (geometry: Geometry | null, props: Record<string, unknown>, extra: object = {}): Feature =>
    ({ type: 'Feature', geometry, properties: props, ...extra }) as Feature;
  return {
    type: 'FeatureCollection',
    bbox: [0, 0, 1, 1],
    features: [
      feature({ type: 'Point', coordinates: [P[0]!, P[1]!, 12.5] }, { name: '福田', nested: { a: [1, 2] } }, { id: 'pt', bbox: [0, 0, 0, 0] }),
      feature({ type: 'MultiPoint', coordinates: [P, Q] }, { name: 'mp' }),
      feature({ type: 'LineString', coordinates: [P, Q, R], bbox: [9, 9, 9, 9] }, { name: 'ls' }),
      feature({ type: 'MultiLineString', coordinates: [[P, Q], [Q, R]] }, { name: 'mls' }),
      feature({ type: 'Polygon', coordinates: [ring] }, { name: 'poly' }, { bbox: [0, 0, 5, 1, 1, 7] }),
      feature({ type: 'MultiPolygon', coordinates: [[ring], [ring]] }, { name: 'mpoly' }),
      feature({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: R }, { type: 'LineString', coordinates: [P, R] }] }, { name: 'gc' }),
      feature(null, { name: 'none' }, { bbox: [1, 2, 3, 4] }),
    ],
  };
}

describe('geojsonToWgs84', () => {
  it('converts every position of every geometry type into a new object, properties untouched', () => {
    const input = sampleCollection();
    const snapshot = structuredClone(input);
    const out = geojsonToWgs84(input, 'GCJ02');
    expect(input).toEqual(snapshot); // not mutated
    expect(out).not.toBe(input);
    const w = (p: Position) => toWgs84Point(p[0]!, p[1]!, 'GCJ02');
    const [pt, mp, ls, mls, poly, mpoly, gc, none] = out.features as Feature[];
    expect((pt!.geometry as Point).coordinates).toEqual([...w(P), 12.5]); // altitude kept
    expect(mp!.geometry).toEqual({ type: 'MultiPoint', coordinates: [w(P), w(Q)] });
    expect((ls!.geometry as { coordinates: unknown }).coordinates).toEqual([w(P), w(Q), w(R)]);
    expect(mls!.geometry).toEqual({ type: 'MultiLineString', coordinates: [[w(P), w(Q)], [w(Q), w(R)]] });
    const ring = [w(P), w(Q), w(R), w(P)];
    expect(poly!.geometry).toEqual({ type: 'Polygon', coordinates: [ring] });
    expect(mpoly!.geometry).toEqual({ type: 'MultiPolygon', coordinates: [[ring], [ring]] });
    expect(gc!.geometry).toEqual({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: w(R) }, { type: 'LineString', coordinates: [w(P), w(R)] }] });
    expect(none!.geometry).toBeNull();
    // Properties and other members: the same values, not copies.
    expect(pt!.properties).toBe(input.features[0]!.properties);
    expect(pt!.id).toBe('pt');
    expect(out.features.map((f) => f.properties!.name)).toEqual(['福田', 'mp', 'ls', 'mls', 'poly', 'mpoly', 'gc', 'none']);
  });

  it('recomputes bbox members from the converted positions, and drops those with nothing to bound', () => {
    const out = geojsonToWgs84(sampleCollection(), 'GCJ02');
    const w = [P, Q, R].map((p) => toWgs84Point(p[0]!, p[1]!, 'GCJ02'));
    const west = Math.min(...w.map((p) => p[0]));
    const south = Math.min(...w.map((p) => p[1]));
    const east = Math.max(...w.map((p) => p[0]));
    const north = Math.max(...w.map((p) => p[1]));
    expect(out.bbox).toEqual([west, south, east, north]);
    const [pt, , ls, , poly, , , none] = out.features;
    expect(pt!.bbox).toEqual([w[0]![0], w[0]![1], w[0]![0], w[0]![1]]);
    expect(ls!.geometry!.bbox).toEqual([west, south, east, north]);
    expect(poly!.bbox).toEqual([west, south, 5, east, north, 7]); // 3-D: z range kept
    expect(none!).not.toHaveProperty('bbox');
  });

  it('copies WGS-84 unchanged and refuses anything but a FeatureCollection', () => {
    const input = sampleCollection();
    const out = geojsonToWgs84(input, 'WGS84');
    expect(out).toEqual(input);
    expect(out.features[0]!.geometry).not.toBe(input.features[0]!.geometry);
    expect(() => geojsonToWgs84({ type: 'Feature' } as unknown as FeatureCollection, 'GCJ02')).toThrow(/FeatureCollection/);
  });
});

// ---------------------------------------------------------------------------
// TableRegistry with the Node engine

const CITY_ID = 'crstest';

function parquet(columns: { name: string; data: unknown[]; type: string }[]): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: columns as never }));
}

describe('TableRegistry converts GCJ-02 / BD-09 catalog files on load', () => {
  let engine: NodeEngine;
  const files = new Map<string, string | Uint8Array>();
  const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
    const body = files.get(String(input));
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body as unknown as BodyInit);
  }) as unknown as typeof fetch;

  const dataset = (path: string, format: 'geojson' | 'parquet', crs: Crs): DatasetFile => ({
    path,
    format,
    crs,
    provenance: { source: 'crs.test.ts', license: 'MIT', vintage: 2025, modelled: true, method: 'hand-written test data' },
  });

  // Facilities from Amap (GCJ-02) as FLOAT lon/lat, like scripts/data/facilities.ts writes them.
  const FAC_LON = [114.0579, 120.3826, 117.1205, 121.544];
  const FAC_LAT = [22.5431, 36.0671, 36.651, 29.8683];
  // Walking-network edges from Baidu (BD-09) as DOUBLE x1,y1,x2,y2; one edge lacks y2.
  const EDGES = [
    [114.0644, 22.5491, 114.0744, 22.5591],
    [120.3891, 36.0731, 120.3991, 36.0831],
    [117.127, 36.657, 117.137, null],
  ];

  const city: CityDef = {
    id: CITY_ID,
    name: { zh: '测试', en: 'Test' },
    bounds: [113, 22, 122, 37],
    center: [114, 22.5],
    zoom: 10,
    datasets: {
      parks: dataset('parks-gcj.geojson', 'geojson', 'GCJ02'),
      facilities: dataset('facilities-gcj.parquet', 'parquet', 'GCJ02'),
      walk_network: dataset('walk-bd.parquet', 'parquet', 'BD09'),
      air_hourly: dataset('air-bd.parquet', 'parquet', 'BD09'),
      half: dataset('half-gcj.parquet', 'parquet', 'GCJ02'),
      text_lon: dataset('text-lon-gcj.parquet', 'parquet', 'GCJ02'),
      geom_col: dataset('geom-col-gcj.parquet', 'parquet', 'GCJ02'),
      broken: dataset('broken-gcj.geojson', 'geojson', 'GCJ02'),
      wgs: dataset('facilities-wgs.parquet', 'parquet', 'WGS84'),
      unknown: dataset('unknown.parquet', 'parquet', 'EPSG3857' as Crs),
    },
  };

  beforeAll(async () => {
    engine = await createNodeEngine();
    files.set('parks-gcj.geojson', JSON.stringify(sampleCollection()));
    files.set(
      'facilities-gcj.parquet',
      parquet([
        { name: 'id', data: ['a', 'b', 'c', 'd'], type: 'STRING' },
        { name: 'lon', data: FAC_LON, type: 'FLOAT' },
        { name: 'lat', data: FAC_LAT, type: 'FLOAT' },
        { name: 'district', data: ['福田', '市南', '历下', '海曙'], type: 'STRING' },
      ]),
    );
    files.set(
      'walk-bd.parquet',
      parquet([
        { name: 'edge_id', data: [0, 1, 2], type: 'INT32' },
        { name: 'x1', data: EDGES.map((e) => e[0]), type: 'DOUBLE' },
        { name: 'y1', data: EDGES.map((e) => e[1]), type: 'DOUBLE' },
        { name: 'x2', data: EDGES.map((e) => e[2]), type: 'DOUBLE' },
        { name: 'y2', data: EDGES.map((e) => e[3]), type: 'DOUBLE' },
        { name: 'length_m', data: [1500, 1480, 900], type: 'FLOAT' },
      ]),
    );
    files.set(
      'air-bd.parquet',
      parquet([
        { name: 'station_id', data: ['s1', 's2'], type: 'STRING' },
        { name: 'pm25', data: [35, 12], type: 'FLOAT' },
      ]),
    );
    files.set('half-gcj.parquet', parquet([{ name: 'lon', data: [114.05], type: 'DOUBLE' }, { name: 'y', data: [22.5], type: 'DOUBLE' }]));
    files.set('text-lon-gcj.parquet', parquet([{ name: 'lon', data: ['114.05'], type: 'STRING' }, { name: 'lat', data: [22.5], type: 'DOUBLE' }]));
    files.set(
      'geom-col-gcj.parquet',
      parquet([
        { name: 'lon', data: [114.05], type: 'DOUBLE' },
        { name: 'lat', data: [22.5], type: 'DOUBLE' },
        { name: 'geometry', data: ['{"type":"Point","coordinates":[114.05,22.5]}'], type: 'STRING' },
      ]),
    );
    files.set('broken-gcj.geojson', '{"type": "FeatureCollection", "features": [');
    files.set(
      'facilities-wgs.parquet',
      parquet([
        { name: 'lon', data: FAC_LON, type: 'DOUBLE' },
        { name: 'lat', data: FAC_LAT, type: 'DOUBLE' },
      ]),
    );
  });

  afterAll(async () => {
    await engine?.close();
  });

  const registry = () => new TableRegistry(Promise.resolve(engine), (p) => p, fetchImpl);
  const rows = async (sql: string) => (await engine.query(sql)).toArray().map((r) => r.toJSON() as Record<string, unknown>);
  const ourTables = async () => (await engine.tables()).filter((t) => t.startsWith(`${CITY_ID}__`));

  it('GeoJSON: geometry text and bbox columns hold the WGS-84 coordinates', async () => {
    const name = await registry().ensure(city, 'parks');
    expect(name).toBe(tableName(CITY_ID, 'parks'));
    const got = await rows(`SELECT __fid, name, __geom, __gtype, __xmin, __ymin, __xmax, __ymax FROM "${name}" ORDER BY __fid`);
    const expected = geojsonToWgs84(sampleCollection(), 'GCJ02');
    expect(got.map((r) => r.name)).toEqual(expected.features.map((f) => f.properties!.name));
    got.forEach((r, i) => {
      const g = expected.features[i]!.geometry;
      expect(r.__geom === null ? null : JSON.parse(r.__geom as string)).toEqual(g);
    });
    const p = toWgs84Point(P[0]!, P[1]!, 'GCJ02');
    expect(JSON.parse(got[0]!.__geom as string).coordinates).toEqual([p[0], p[1], 12.5]);
    expect([got[0]!.__xmin, got[0]!.__ymin]).toEqual(p);
    expect(metres(P, [got[0]!.__xmin as number, got[0]!.__ymin as number])).toBeGreaterThan(100); // really moved
  });

  it('Parquet points (FLOAT lon/lat): converted, other columns, order and types kept', async () => {
    const name = await registry().ensure(city, 'facilities');
    const info = await engine.describe(name);
    expect(info.columns).toEqual([
      { name: 'id', type: 'VARCHAR' },
      { name: 'lon', type: 'FLOAT' },
      { name: 'lat', type: 'FLOAT' },
      { name: 'district', type: 'VARCHAR' },
    ]);
    const got = await rows(`SELECT * FROM "${name}"`);
    expect(got.map((r) => [r.id, r.district])).toEqual([['a', '福田'], ['b', '市南'], ['c', '历下'], ['d', '海曙']]);
    got.forEach((r, i) => {
      // What the file holds (float32), converted, stored back as FLOAT.
      const w = toWgs84Point(Math.fround(FAC_LON[i]!), Math.fround(FAC_LAT[i]!), 'GCJ02');
      expect([r.lon, r.lat]).toEqual([Math.fround(w[0]), Math.fround(w[1])]);
      const d = metres([FAC_LON[i]!, FAC_LAT[i]!], [r.lon as number, r.lat as number]);
      expect(d).toBeGreaterThan(100);
      expect(d).toBeLessThan(700);
    });
    expect(await ourTables()).not.toEqual(expect.arrayContaining([expect.stringContaining('crs_')]));
  });

  it('Parquet edges (BD-09 x1,y1,x2,y2): both ends converted; an incomplete end becomes NULL', async () => {
    const name = await registry().ensure(city, 'walk_network');
    const got = await rows(`SELECT * FROM "${name}"`);
    expect((await engine.describe(name)).columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'edge_id:INTEGER', 'x1:DOUBLE', 'y1:DOUBLE', 'x2:DOUBLE', 'y2:DOUBLE', 'length_m:FLOAT',
    ]);
    expect(got.map((r) => r.edge_id)).toEqual([0, 1, 2]);
    expect(got.map((r) => r.length_m)).toEqual([1500, 1480, 900]);
    for (let i = 0; i < 2; i++) {
      const e = EDGES[i] as number[];
      expect([got[i]!.x1, got[i]!.y1]).toEqual(toWgs84Point(e[0]!, e[1]!, 'BD09'));
      expect([got[i]!.x2, got[i]!.y2]).toEqual(toWgs84Point(e[2]!, e[3]!, 'BD09'));
    }
    expect([got[2]!.x1, got[2]!.y1]).toEqual(toWgs84Point(117.127, 36.657, 'BD09'));
    expect([got[2]!.x2, got[2]!.y2]).toEqual([null, null]);
  });

  it('refuses a BD-09 Parquet without coordinate columns, naming the file and what is missing, and leaves no table', async () => {
    const before = await engine.tables();
    const err = await registry().ensure(city, 'air_hourly').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as DataLoadError).path).toBe('air-bd.parquet');
    expect((err as Error).message).toMatch(/^air-bd\.parquet declares BD09 but has no coordinate columns to convert \(expected lon\/lat or x1,y1,x2,y2; it has station_id, pm25\)/);
    expect(await engine.tables()).toEqual(before);
    expect(await ourTables()).not.toContain(tableName(CITY_ID, 'air_hourly'));
  });

  it('refuses half a pair, a non-numeric coordinate column and unconverted position columns', async () => {
    const before = await engine.tables();
    const msg = async (id: string) => ((await registry().ensure(city, id).catch((e: unknown) => e)) as Error).message;
    expect(await msg('half')).toMatch(/half-gcj\.parquet declares GCJ02 but has a "lon" column without "lat"/);
    expect(await msg('text_lon')).toMatch(/text-lon-gcj\.parquet declares GCJ02 but its "lon" column is VARCHAR, not FLOAT or DOUBLE/);
    expect(await msg('geom_col')).toMatch(/geom-col-gcj\.parquet declares GCJ02 but has position column\(s\) geometry that are not converted/);
    expect(await engine.tables()).toEqual(before);
  });

  it('a GCJ-02 GeoJSON that is not JSON fails with the engine message; an unknown CRS fails before fetching', async () => {
    const err = await registry().ensure(city, 'broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as Error).message).toMatch(/^broken-gcj\.geojson: .*not valid JSON/);
    const calls = vi.mocked(fetchImpl).mock.calls.length;
    const unknown = await registry().ensure(city, 'unknown').catch((e: unknown) => e);
    expect((unknown as Error).message).toBe('unknown.parquet declares an unknown CRS "EPSG3857"; expected WGS84, GCJ02 or BD09');
    expect(vi.mocked(fetchImpl).mock.calls.length).toBe(calls);
  });

  it('WGS-84 files load exactly as before', async () => {
    const name = await registry().ensure(city, 'wgs');
    const got = await rows(`SELECT lon, lat FROM "${name}"`);
    expect(got.map((r) => [r.lon, r.lat])).toEqual(FAC_LON.map((x, i) => [x, FAC_LAT[i]]));
  });
});
