import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipPack, type PackContents } from '../../src/packs/format';

/** `npm run pack` (scripts/pack.ts) run as a child process, as a user runs it. Four tsx starts in all. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let tmp: string;

function pack(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'scripts/pack.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'civic-atlas-pack-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run pack', () => {
  let contents: PackContents;
  const csv = 'timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm2_5,o3\n2022-01-01T01:00:00,9001A,117.0,36.65,济南市,测试站,,50,31,92\n';

  beforeAll(() => {
    writeFileSync(join(tmp, 'hourly 2022.csv'), csv);
    const r = pack('--city', 'jinan', '--import', join(tmp, 'hourly 2022.csv'), '--o3', 'as-labelled', '--title', 'Jinan meeting', '--out', join(tmp, 'p.zip'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pack jinan-meeting: 1 city \(jinan\), \d+ files, 1 import, [\d.]+ MB → .*p\.zip\n$/);
    contents = unzipPack(readFileSync(join(tmp, 'p.zip')));
  });

  it('writes a pack of the city with its files byte for byte and its stories', () => {
    const { manifest, files } = contents;
    expect(manifest.cities).toEqual(['jinan']);
    expect(manifest.name).toBe('jinan-meeting');
    expect(manifest.title).toBe('Jinan meeting');
    expect(manifest.madeBy).toMatch(/^cli civic-atlas \d+\.\d+\.\d+/);
    const parks = files.get('data/cities/jinan/parks.geojson');
    expect(parks).toBeDefined();
    expect(Buffer.compare(Buffer.from(parks!), readFileSync(join(ROOT, 'data/cities/jinan/parks.geojson')))).toBe(0);
    expect([...files.keys()].some((p) => p.startsWith('data/cities/') && !p.startsWith('data/cities/jinan/'))).toBe(false);
    const stories = JSON.parse(Buffer.from(files.get('data/stories/index.json')!).toString('utf8')) as { stories: { city: string; path: string }[] };
    expect(stories.stories.map((s) => s.city)).toEqual(['jinan']);
    expect(files.has(`data/${stories.stories[0]!.path}`)).toBe(true);
  });

  it('carries an import under imports/ with its O3 columns', () => {
    expect(contents.manifest.imports).toEqual([{ path: 'imports/001-hourly_2022.csv', name: 'hourly 2022.csv', o3Columns: 'as-labelled' }]);
    expect(Buffer.from(contents.files.get('imports/001-hourly_2022.csv')!).toString('utf8')).toBe(csv);
  });

  it('refuses an unknown city with exit code 2 and writes nothing', () => {
    const r = pack('--city', 'jinan,atlantis', '--out', join(tmp, 'bad.zip'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown city "atlantis"/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(tmp, 'bad.zip'))).toBe(false);
  });

  it('refuses a catalog that names a file not on disk, naming the file, and writes nothing', () => {
    const data = join(tmp, 'data');
    mkdirSync(data);
    cpSync(join(ROOT, 'data/cities/jinan/districts.geojson'), join(data, 'cities/jinan/districts.geojson'));
    const catalog = JSON.parse(readFileSync(join(ROOT, 'data/catalog.json'), 'utf8')) as { cities: { id: string; surroundings?: string; datasets: Record<string, unknown> }[] };
    const jinan = catalog.cities.find((c) => c.id === 'jinan')!;
    delete jinan.surroundings;
    jinan.datasets = { districts: jinan.datasets.districts, parks: jinan.datasets.parks };
    writeFileSync(join(data, 'catalog.json'), JSON.stringify({ ...catalog, cities: [jinan] }));

    const r = pack('--data', data, '--city', 'jinan', '--no-stories', '--out', join(tmp, 'missing.zip'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cities\/jinan\/parks\.geojson/);
    expect(readdirSync(tmp).filter((f) => f.startsWith('missing.zip'))).toEqual([]);
  });

  it("makes the planner's own files into layers of the pack (columns guessed or given, GBK and GCJ-02 read, swapped lon/lat fixed), and refuses a file that cannot be one", () => {
    writeFileSync(
      join(tmp, 'parks.geojson'),
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '测试公园', code: 'P1' }, geometry: { type: 'Polygon', coordinates: [[[117, 36.65], [117.03, 36.65], [117.03, 36.67], [117, 36.65]]] } }] }),
    );
    // GBK: 名称,类型,纬度,经度 / 幼儿园,kindergarten,<lon>,<lat> (the longitude under 纬度).
    const gbk = Buffer.concat([
      Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x2c, 0xce, 0xb3, 0xb6, 0xc8, 0x2c, 0xbe, 0xad, 0xb6, 0xc8, 0x0a]),
      Buffer.from([0xd3, 0xd7, 0xb6, 0xf9, 0xd4, 0xb0]),
      Buffer.from(',kindergarten,117.0263,36.6613\n'),
    ]);
    writeFileSync(join(tmp, 'facilities.csv'), gbk);
    const ok = pack('--city', 'jinan', '--no-stories', '--file', join(tmp, 'parks.geojson'), '--kind', 'park', '--map', 'id=code', '--file', join(tmp, 'facilities.csv'), '--kind', 'facility', '--crs', 'GCJ02', '--out', join(tmp, 'tables.zip'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/2 tables \(user__parks, user__facilities\)/);
    const { manifest, files } = unzipPack(readFileSync(join(tmp, 'tables.zip')));
    expect(manifest.tables!.map((t) => [t.table, t.kind, t.file, t.rows])).toEqual([
      ['user__parks', 'park', 'parks.geojson', 1],
      ['user__facilities', 'facility', 'facilities.csv', 1],
    ]);
    const parks = JSON.parse(Buffer.from(files.get('tables/user__parks.geojson')!).toString('utf8'));
    expect(parks.features[0].properties).toMatchObject({ id: 'P1', name: '测试公园' });
    const fac = JSON.parse(Buffer.from(files.get('tables/user__facilities.geojson')!).toString('utf8'));
    expect(fac.features[0].properties).toMatchObject({ name: '幼儿园', category: 'kindergarten' });
    // Swapped back, and moved from GCJ-02 to WGS-84 (about 600 m west).
    const [lon, lat] = fac.features[0].geometry.coordinates as [number, number];
    expect(lon).toBeGreaterThan(117.018);
    expect(lon).toBeLessThan(117.022);
    expect(lat).toBeGreaterThan(36.66);

    writeFileSync(join(tmp, 'metres.csv'), 'x,y,name\n39512345,4061234,A\n');
    const bad = pack('--city', 'jinan', '--no-stories', '--file', join(tmp, 'metres.csv'), '--kind', 'facility', '--out', join(tmp, 'metres.zip'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/metres\.csv cannot be made a facility layer/);
    expect(bad.stderr).toMatch(/projected/i);
    expect(existsSync(join(tmp, 'metres.zip'))).toBe(false);
    expect(pack('--city', 'jinan', '--file', join(tmp, 'parks.geojson'), '--kind', 'rocket').stderr).toMatch(/unknown --kind "rocket"/);
  }, 60_000);

  it('fetches live sources for each city into the pack with their provenance, here from recorded answers (--replay), and stops on a source that fails', () => {
    const replay = join(tmp, 'replay');
    mkdirSync(replay);
    const live = join(ROOT, 'tests/fixtures/live');
    cpSync(join(live, 'overpass-parks-jinan.json'), join(replay, 'osm-parks.json'));
    cpSync(join(live, 'datav-370200_full.json'), join(replay, 'datav-boundaries.json'));
    const ok = pack('--city', 'qingdao', '--no-stories', '--live', 'osm-parks,datav-boundaries', '--replay', replay, '--out', join(tmp, 'live.zip'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/osm-parks for qingdao: \d+ records/);
    const { manifest, files } = unzipPack(readFileSync(join(tmp, 'live.zip')));
    expect(manifest.tables!.map((t) => [t.table, t.kind, t.provenance?.modelled])).toEqual([
      ['user__osm_parks_qingdao', 'park', false],
      ['user__datav_boundaries_qingdao', 'boundary', false],
    ]);
    expect(manifest.tables![0]!.provenance!.license).toMatch(/ODbL/);
    expect(manifest.tables![0]!.provenance!.url).toMatch(/^https:\/\/overpass-api\.de\/api\/interpreter\?data=/);
    const districts = JSON.parse(Buffer.from(files.get('tables/user__datav_boundaries_qingdao.geojson')!).toString('utf8'));
    expect(districts.features.map((f: { properties: { name: string } }) => f.properties.name)).toContain('市南区');

    // A source without a recorded answer fails like a source that is down: exit 2, nothing written.
    const bad = pack('--city', 'qingdao', '--no-stories', '--live', 'osm-facilities', '--replay', replay, '--out', join(tmp, 'live-bad.zip'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/osm-facilities for qingdao: cannot read the recorded answer of osm-facilities/);
    expect(existsSync(join(tmp, 'live-bad.zip'))).toBe(false);
  }, 60_000);
});
