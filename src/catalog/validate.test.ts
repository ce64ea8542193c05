import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { layersForCity, validateCatalog } from './validate';

const prov = { source: 'test', license: 'CC0-1.0', vintage: 2025, modelled: true, method: 'seeded model' };
const file = (path: string) => ({ path, format: 'geojson', crs: 'WGS84', provenance: prov });
const good = () => ({
  version: 1,
  title: { zh: '城市环境图谱', en: 'Civic Atlas' },
  defaultCity: 'a',
  cities: [
    { id: 'a', name: { zh: '甲', en: 'A' }, bounds: [113, 22, 115, 23], center: [114, 22.5], zoom: 10, datasets: { districts: file('a/d.geojson'), parks: file('a/p.geojson') } },
    { id: 'b', name: { zh: '乙', en: 'B' }, bounds: [120, 36, 121, 37], center: [120.5, 36.5], zoom: 10, datasets: { districts: file('b/d.geojson') } },
  ],
  layers: [
    { id: 'parks', kind: 'parks', name: { zh: '公园', en: 'Parks' }, description: { zh: '公园', en: 'Parks' }, datasets: ['parks'], fields: {}, defaultVisible: true },
  ],
});

describe('catalog validation', () => {
  it('accepts a well-formed catalog', () => {
    const { catalog, problems } = validateCatalog(good());
    expect(problems).toEqual([]);
    expect(catalog!.cities.map((c) => c.id)).toEqual(['a', 'b']);
    expect(layersForCity(catalog!, 'a').map((l) => l.id)).toEqual(['parks']);
    expect(layersForCity(catalog!, 'b')).toEqual([]);
  });

  it('drops a malformed entry, reports where, and keeps the rest', () => {
    const raw = good();
    (raw.cities[0]!.datasets.parks as { provenance: unknown }).provenance = { source: 'x', license: 'y', vintage: 2025, modelled: true };
    const { catalog, problems } = validateCatalog(raw);
    expect(problems).toEqual([{ path: 'cities[0].datasets.parks.provenance.method', message: 'modelled data must say how it was modelled' }]);
    expect(Object.keys(catalog!.cities[0]!.datasets)).toEqual(['districts']);
    expect(catalog!.cities).toHaveLength(2);
  });

  it('requires provenance on every file', () => {
    const raw = good();
    delete (raw.cities[1]!.datasets.districts as { provenance?: unknown }).provenance;
    const { catalog, problems } = validateCatalog(raw);
    expect(problems.map((p) => p.path)).toContain('cities[1].datasets.districts');
    expect(problems.map((p) => p.path)).toContain('cities[1].datasets.districts');
    expect(catalog!.cities.map((c) => c.id)).toEqual(['a']);
  });

  it('rejects paths that leave data/ and unknown coordinate systems', () => {
    const raw = good();
    raw.cities[0]!.datasets.parks = { ...file('../secret'), crs: 'WGS84' };
    (raw.cities[0]!.datasets as Record<string, unknown>).x = { ...file('x.geojson'), crs: 'EPSG:3857' };
    const { problems } = validateCatalog(raw);
    expect(problems.map((p) => p.path)).toEqual(['cities[0].datasets.parks.path', 'cities[0].datasets.x.crs']);
  });

  it('keeps a city\'s surroundings path and drops only a bad one', () => {
    const raw = good();
    (raw.cities[0] as Record<string, unknown>).surroundings = 'cities/a/surroundings.geojson';
    (raw.cities[1] as Record<string, unknown>).surroundings = '../outside.geojson';
    const { catalog, problems } = validateCatalog(raw);
    expect(problems).toEqual([{ path: 'cities[1].surroundings', message: 'must be a relative path inside data/' }]);
    expect(catalog!.cities[0]!.surroundings).toBe('cities/a/surroundings.geojson');
    expect(catalog!.cities[1]).not.toHaveProperty('surroundings');
    expect(catalog!.cities.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('falls back when the default city is unusable and fails cleanly on garbage', () => {
    const raw = { ...good(), defaultCity: 'zzz' };
    const { catalog, problems } = validateCatalog(raw);
    expect(catalog!.defaultCity).toBe('a');
    expect(problems[0]!.path).toBe('defaultCity');
    expect(validateCatalog('nope').catalog).toBeNull();
    expect(validateCatalog({ version: 1, cities: [], layers: [] }).catalog).toBeNull();
  });

  const real = resolve(__dirname, '../../data/catalog.json');
  it.skipIf(!existsSync(real))('validates the committed data/catalog.json without problems', () => {
    const { catalog, problems } = validateCatalog(JSON.parse(readFileSync(real, 'utf8')));
    expect(problems).toEqual([]);
    expect(catalog!.cities.map((c) => c.id).sort()).toEqual(['jinan', 'ningbo', 'qingdao', 'shenzhen']);
    for (const city of catalog!.cities) {
      expect(layersForCity(catalog!, city.id).map((l) => l.id).sort()).toEqual(['air', 'lifecircle', 'parkcoverage', 'parks', 'restoration']);
      for (const [id, f] of Object.entries(city.datasets)) {
        expect(existsSync(resolve(__dirname, '../../data', f.path)), `${city.id}.${id}`).toBe(true);
        if (f.provenance.modelled) expect(f.provenance.method, `${city.id}.${id}`).toBeTruthy();
      }
      if (city.surroundings) expect(existsSync(resolve(__dirname, '../../data', city.surroundings)), `${city.id}.surroundings`).toBe(true);
    }
  });
});

describe('remote datasets in the catalog', () => {
  const hive = { url: 'https://data.example.org/air/', partitioning: 'hive', keys: ['city', 'year'], file: 'part.parquet' };
  const remote = (r: unknown, extra: Record<string, unknown> = {}) => ({ remote: r, format: 'parquet', crs: 'WGS84', years: [2021, 2025], provenance: prov, ...extra });
  const withAir = (entry: unknown) => {
    const raw = good();
    (raw.cities[0]!.datasets as Record<string, unknown>).air_hourly = entry;
    return validateCatalog(raw);
  };

  it('accepts a hive store and a single remote file, keeping provenance and the URL as the path', () => {
    const { catalog, problems } = withAir(remote(hive));
    expect(problems).toEqual([]);
    const air = catalog!.cities[0]!.datasets.air_hourly!;
    expect(air.remote).toEqual(hive);
    expect(air.path).toBe(hive.url);
    expect(air.provenance.modelled).toBe(true);
    const one = withAir(remote('http://127.0.0.1:8080/jinan-2024.parquet?sig=abc'));
    expect(one.problems).toEqual([]);
    expect(one.catalog!.cities[0]!.datasets.air_hourly!.remote).toEqual({ url: 'http://127.0.0.1:8080/jinan-2024.parquet?sig=abc' });
    const noSlash = withAir(remote({ url: 'https://d.org/air', partitioning: 'hive', keys: ['city'] }));
    expect(noSlash.catalog!.cities[0]!.datasets.air_hourly!.remote).toEqual({ url: 'https://d.org/air/', partitioning: 'hive', keys: ['city'], file: 'part.parquet' });
  });

  const refused: [string, unknown, string, RegExp][] = [
    ['ftp URL', remote({ ...hive, url: 'ftp://data.example.org/air/' }), 'remote.url', /http:\/\/ or https:\/\/.*· 必须是/],
    ['relative URL', remote({ ...hive, url: 'air/' }), 'remote.url', /absolute/],
    ['credentials in the URL', remote({ ...hive, url: 'https://me:secret@data.example.org/air/' }), 'remote.url', /user name or password/],
    ['unknown key', remote({ ...hive, keys: ['city', 'region'] }), 'remote.keys', /unknown partition key "region".*未知的分区键/],
    ['a key twice', remote({ ...hive, keys: ['city', 'city'] }), 'remote.keys', /twice/],
    ['no keys', remote({ ...hive, keys: [] }), 'remote.keys', /must list the partition keys/],
    ['another partitioning', remote({ ...hive, partitioning: 'directory' }), 'remote.partitioning', /must be "hive"/],
    ['keys without partitioning', remote({ url: hive.url, keys: ['city'] }), 'remote.partitioning', /need "partitioning": "hive"/],
    ['a file name with a path', remote({ ...hive, file: '../x.parquet' }), 'remote.file', /plain file name/],
    ['a query on a store', remote({ ...hive, url: 'https://d.org/air/?x=1' }), 'remote.url', /query or fragment/],
    ['path and remote', remote(hive, { path: 'cities/a/air.parquet' }), 'path', /either "path" or "remote".*只能给出其一/],
    ['GeoJSON', remote(hive, { format: 'geojson' }), 'format', /must be "parquet"/],
    ['not an object', remote(42), 'remote', /http\(s\) URL or an object/],
    ['no provenance', remote(hive, { provenance: undefined }), 'provenance', /provenance/],
  ];
  it.each(refused)('refuses %s with a bilingual problem and drops only that dataset', (_what, entry, where, message) => {
    const { catalog, problems } = withAir(entry);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe(`cities[0].datasets.air_hourly.${where}`.replace(/\.$/, ''));
    expect(problems[0]!.message).toMatch(message);
    expect(Object.keys(catalog!.cities[0]!.datasets)).toEqual(['districts', 'parks']);
  });

  it('keeps districts local: the base map draws them before the engine starts', () => {
    const raw = good();
    raw.cities[1]!.datasets.districts = remote(hive) as never;
    const { catalog, problems } = validateCatalog(raw);
    expect(problems.map((p) => p.path)).toEqual(['cities[1].datasets.districts.remote', 'cities[1].datasets.districts']);
    expect(catalog!.cities.map((c) => c.id)).toEqual(['a']);
  });

  const committed = resolve(__dirname, '../../data/catalog.json');
  it.skipIf(!existsSync(committed))('the default data stays offline: no committed entry is remote', () => {
    const raw = JSON.parse(readFileSync(committed, 'utf8')) as { cities: { datasets: Record<string, Record<string, unknown>> }[] };
    for (const c of raw.cities) for (const d of Object.values(c.datasets)) expect(d.remote).toBeUndefined();
    for (const c of validateCatalog(raw).catalog!.cities) for (const d of Object.values(c.datasets)) expect(d.path).not.toMatch(/^[a-z]+:/i);
  });
});
