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
