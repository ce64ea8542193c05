import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/types';
import { buildPack, importPath, isPackPath, packNameFrom, PackError, unzipPack, zipPack, type StoryIndex } from './format';

const DATA = resolve(__dirname, '../../data');
const catalog = JSON.parse(readFileSync(resolve(DATA, 'catalog.json'), 'utf8')) as Catalog;
const stories = JSON.parse(readFileSync(resolve(DATA, 'stories/index.json'), 'utf8')) as StoryIndex;
const read = async (p: string) => new Uint8Array(readFileSync(resolve(DATA, p)));
/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array | undefined, b: Uint8Array) => !!a && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

async function jinanPack() {
  return buildPack({
    name: 'jinan-meeting',
    title: '济南 汇报',
    catalog,
    cities: ['jinan'],
    read,
    stories,
    imports: [{ name: '站点列表 stations.csv', bytes: strToU8('监测点编码,监测点名称\n1,A\n'), o3Columns: 'swapped' }],
    madeBy: 'test',
    now: new Date('2026-11-28T08:00:00Z'),
  });
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    return (e as PackError).messages.map((m) => m.en);
  }
  throw new Error('expected a PackError');
}

describe('data packs', () => {
  it('hold the catalog limited to the chosen cities, every file it names, their stories and the imports', async () => {
    const { manifest, files } = await jinanPack();
    const cat = JSON.parse(strFromU8(files.get('data/catalog.json')!)) as Catalog;
    expect(cat.cities.map((c) => c.id)).toEqual(['jinan']);
    expect(cat.defaultCity).toBe('jinan');
    expect(cat.layers.length).toBe(catalog.layers.length);
    for (const ds of Object.values(cat.cities[0]!.datasets)) expect(same(files.get(`data/${ds.path}`), await read(ds.path)), ds.path).toBe(true);
    expect(files.has('data/cities/jinan/surroundings.geojson')).toBe(true);
    expect([...files.keys()].some((p) => p.includes('shenzhen'))).toBe(false);
    expect(JSON.parse(strFromU8(files.get('data/stories/index.json')!)).stories.map((s: { city: string }) => s.city)).toEqual(['jinan']);
    expect(files.has('data/stories/jinan.json')).toBe(true);
    expect(manifest.imports).toEqual([{ path: 'imports/001-stations.csv', name: '站点列表 stations.csv', o3Columns: 'swapped' }]);
    expect(manifest.files.find((f) => f.path === 'data/cities/jinan/air-hourly.parquet')!.bytes).toBeGreaterThan(1000);
    expect(manifest).toMatchObject({ format: 'civic-atlas-pack', version: 1, name: 'jinan-meeting', title: '济南 汇报', cities: ['jinan'], created: '2026-11-28T08:00:00.000Z' });
  });

  it('zip and unzip to the same files', async () => {
    const { files } = await jinanPack();
    const back = unzipPack(zipPack(files));
    expect([...back.files.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [p, b] of files) expect(same(back.files.get(p), b), p).toBe(true);
    expect(back.manifest.cities).toEqual(['jinan']);
  });

  it('refuses what is not a pack, says why in both languages, and never serves what the manifest does not list', async () => {
    const { files } = await jinanPack();
    expect(errorsOf(() => unzipPack(strToU8('not a zip at all')))[0]).toMatch(/^not a valid zip file/);
    expect(errorsOf(() => unzipPack(new Uint8Array(0)))[0]).toMatch(/^not a valid zip file/);
    expect(errorsOf(() => unzipPack(zipSync({ 'a.txt': strToU8('x') })))).toEqual(['the zip has no pack.json: it is not a Civic Atlas pack']);
    expect(errorsOf(() => unzipPack(zipSync({ 'pack.json': strToU8('{oops') })))[0]).toMatch(/^pack\.json is not valid JSON/);
    // A path that climbs out, and a file missing from the zip.
    const evil = new Map(files);
    evil.delete('data/cities/jinan/parks.geojson');
    const z = zipSync({ ...Object.fromEntries(evil), '../../etc/passwd': strToU8('root') });
    const errs = errorsOf(() => unzipPack(z));
    expect(errs).toContain('missing file data/cities/jinan/parks.geojson');
    expect(errs).toContain('the catalog names a file the pack lacks: cities/jinan/parks.geojson');
    // A file whose size does not match the manifest.
    const changed = new Map(files);
    changed.set('data/stories/jinan.json', strToU8('{}'));
    expect(errorsOf(() => unzipPack(zipPack(changed)))[0]).toMatch(/^file data\/stories\/jinan\.json has 2 bytes, the manifest says \d+/);
    // Too big unzipped: refused before inflating.
    expect(errorsOf(() => unzipPack(zipPack(files), 1000))[0]).toMatch(/unzips to more than 0 MB/);
    // Extra files are dropped.
    const extra = unzipPack(zipSync({ ...Object.fromEntries(files), 'data/extra.js': strToU8('alert(1)') }));
    expect(extra.files.has('data/extra.js')).toBe(false);
    // A manifest with a hostile name.
    const m = JSON.parse(strFromU8(files.get('pack.json')!));
    const bad = new Map(files).set('pack.json', strToU8(JSON.stringify({ ...m, name: '../x<script>' })));
    expect(errorsOf(() => unzipPack(zipPack(bad)))).toContain('the pack name is invalid (letters, digits, . _ - only)');
  });

  it('copy the shown years of a remote dataset in as a local file, saying so in its provenance', async () => {
    const jinan = catalog.cities.find((c) => c.id === 'jinan')!;
    const remote = { url: 'https://example.org/air/', partitioning: 'hive' as const, keys: ['city' as const, 'year' as const], file: 'part.parquet' };
    const { path: _p, ...air } = jinan.datasets.air_hourly!;
    const withRemote: Catalog = { ...catalog, cities: catalog.cities.map((c) => (c.id === 'jinan' ? { ...c, datasets: { ...c.datasets, air_hourly: { ...air, path: remote.url, remote, years: [2021, 2025] } } } : c)) };
    const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3]);
    const asked: string[] = [];
    const { files } = await buildPack({
      name: 'remote', title: 'r', catalog: withRemote, cities: ['jinan'], read, stories: null, madeBy: 'test', now: new Date('2026-11-28T10:00:00Z'),
      remote: async (city, ds, file) => {
        asked.push(`${city.id}/${ds}@${file.remote.url}`);
        return { bytes, years: [2023, 2024] };
      },
    });
    expect(asked).toEqual(['jinan/air_hourly@https://example.org/air/']);
    const back = unzipPack(zipPack(files));
    const entry = (JSON.parse(strFromU8(back.files.get('data/catalog.json')!)) as Catalog).cities[0]!.datasets.air_hourly!;
    expect(entry.remote).toBeUndefined();
    expect(entry.path).toBe('cities/jinan/air_hourly.remote-copy.parquet');
    expect(entry.years).toEqual([2023, 2024]);
    expect(entry.provenance.method).toContain('copied into the pack on 2026-11-28: 2023, 2024 of https://example.org/air/');
    expect(entry.provenance.modelled).toBe(jinan.datasets.air_hourly!.provenance.modelled);
    expect(same(back.files.get('data/cities/jinan/air_hourly.remote-copy.parquet'), bytes)).toBe(true);
    // The local files are still those of data/, and a store that yields no year fails the pack rather than leaving a hole.
    expect(same(back.files.get(`data/${jinan.datasets.parks!.path}`), await read(jinan.datasets.parks!.path))).toBe(true);
    await expect(buildPack({ name: 'remote', title: 'r', catalog: withRemote, cities: ['jinan'], read, stories: null, madeBy: 't', remote: async () => ({ bytes, years: [] }) })).rejects.toThrow(/no year of the remote store/);
  });

  it("carry the planner's own tables as finished GeoJSON with their kind and provenance, and refuse a table entry that is not one", async () => {
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'P1', name: '公园' }, geometry: { type: 'Point', coordinates: [117, 36.6] } }] });
    const provenance = { source: { zh: 'OpenStreetMap', en: 'OpenStreetMap' }, license: 'ODbL 1.0', modelled: false, fetchedAt: '2026-11-28T08:00:00Z' };
    const { manifest, files } = await buildPack({
      name: 'tables',
      title: 't',
      catalog,
      cities: ['jinan'],
      read,
      stories: null,
      tables: [
        { table: 'user__parks', kind: 'park', file: 'parks.geojson', geojson },
        { table: 'user__osm_parks', kind: 'park', file: 'OSM', geojson, provenance },
      ],
      madeBy: 'test',
    });
    expect(manifest.tables).toEqual([
      { path: 'tables/user__parks.geojson', table: 'user__parks', kind: 'park', file: 'parks.geojson', rows: 1 },
      { path: 'tables/user__osm_parks.geojson', table: 'user__osm_parks', kind: 'park', file: 'OSM', rows: 1, provenance },
    ]);
    const back = unzipPack(zipPack(files));
    expect(back.manifest.tables).toEqual(manifest.tables);
    expect(strFromU8(back.files.get('tables/user__parks.geojson')!)).toBe(geojson);

    const m = JSON.parse(strFromU8(files.get('pack.json')!));
    const withTables = (tables: unknown) => new Map(files).set('pack.json', strToU8(JSON.stringify({ ...m, tables })));
    const invalid = "the list of the planner's tables is invalid";
    expect(errorsOf(() => unzipPack(zipPack(withTables([{ ...m.tables[0], table: 'parks; DROP TABLE x', path: 'tables/x.geojson' }]))))).toContain(invalid);
    expect(errorsOf(() => unzipPack(zipPack(withTables([{ ...m.tables[0], kind: 'rocket' }]))))).toContain(invalid);
    expect(errorsOf(() => unzipPack(zipPack(withTables([{ ...m.tables[1], provenance: { ...provenance, modelled: 'no' } }]))))).toContain(invalid);
    expect(errorsOf(() => unzipPack(zipPack(withTables([{ ...m.tables[0], table: 'user__other', path: 'tables/user__other.geojson' }]))))).toEqual([
      "a table's file is not in the file list: tables/user__other.geojson",
    ]);
    // A pack made before tables existed reads as having none.
    const { tables: _, ...old } = m;
    expect(unzipPack(zipPack(new Map(files).set('pack.json', strToU8(JSON.stringify(old))))).manifest.tables).toEqual([]);
    await expect(buildPack({ name: 'x', title: 'x', catalog, cities: ['jinan'], read, stories: null, tables: [{ table: 'parks', kind: 'park', file: 'f', geojson }], madeBy: 't' })).rejects.toThrow(/not a planner's table/);
  });

  it('names and paths are safe whatever was typed', () => {
    expect(packNameFrom('Jinan Meeting 2026!')).toBe('jinan-meeting-2026');
    expect(packNameFrom('济南汇报')).toBe('pack');
    expect(importPath(0, '../../évil name.csv')).toBe('imports/001-evil_name.csv');
    expect(isPackPath('data/cities/jinan/parks.geojson')).toBe(true);
    for (const p of ['/etc/passwd', '../x', 'a//b', 'a/./b', 'a\\b', 'data/<x>.json', '']) expect(isPackPath(p), p).toBe(false);
  });
});
