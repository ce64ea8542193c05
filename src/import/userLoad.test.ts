import gcoord from 'gcoord';
import type { Geometry } from 'geojson';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { useImportEngine } from './testStaging';
import { inspectUserFile, type Inspection } from './userImport';
import { loadUserTable } from './userLoad';
import { geometryToWkb } from './wkb';

/** Real DuckDB (Node): staged rows become a WGS-84 table the layers can read. */
const t = useImportEngine('load_stage');
const stage = t.stage;
const rows = async (table: string) => (await t.engine().query(`SELECT * EXCLUDE (__geom) FROM ${table} ORDER BY __fid`)).toArray().map((r) => r.toJSON());

describe('loading a mapped file', () => {
  it('GCJ-02 readings (swapped columns, CST times) become WGS-84 points with UTC times', async () => {
    const wgs: [number, number][] = [[117.0, 36.65], [117.1, 36.7]];
    const gcj = wgs.map((p) => gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number]);
    // Latitude first: the inspection finds them swapped.
    const ins = await stage('r.csv', `站点,lat,lon,时间,pm25\nA,${gcj[0]![0]},${gcj[0]![1]},2024-03-01 08:00,35\nB,${gcj[1]![0]},${gcj[1]![1]},2024/3/1 9:00,x\n`);
    expect(ins.coords).toBe('swapped');
    const r = await loadUserTable(t.engine(), ins, { kind: 'stations', mapping: { id: '站点', time: '时间', value: 'pm25' }, crs: 'GCJ02', swap: true, table: 'user__readings' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r).toMatchObject({ kept: 2, left: 0 });
    const out = await rows('user__readings');
    expect(out.map((o) => [o.id, o.value, o.time])).toEqual([
      ['A', 35, '2024-03-01T00:00:00Z'],
      ['B', null, '2024-03-01T01:00:00Z'],
    ]);
    out.forEach((o, i) => {
      expect(o.__xmin as number).toBeCloseTo(wgs[i]![0], 5);
      expect(o.__ymin as number).toBeCloseTo(wgs[i]![1], 5);
    });
  });

  it('WKT parks: polygons kept, a point and broken WKT left out and counted, a repeated id dropped', async () => {
    const ins = await stage(
      'p.csv',
      'id;name;wkt\n1;A;POLYGON((117 36, 117.1 36, 117.1 36.1, 117 36))\n2;B;POINT (117 36)\n3;C;POLYGON((117 36, 117.1\n1;D;MULTIPOLYGON (((118 36, 118.1 36, 118 36.1, 118 36)))\n4;E;MULTIPOLYGON (((118 37, 118.1 37, 118 37.1, 118 37)))\n',
    );
    const r = await loadUserTable(t.engine(), ins, { kind: 'park', mapping: { id: 'id', name: 'name' }, crs: 'WGS84', table: 'user__parks' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r).toMatchObject({ kept: 2, left: 3 });
    expect((await rows('user__parks')).map((o) => [o.name, o.__gtype])).toEqual([
      ['A', 'Polygon'],
      ['E', 'MultiPolygon'],
    ]);
    expect(r.problems.find((p) => p.code === 'left-out')!.en).toBe('Imported 2 rows; left out 3 (2 without usable geometry of the right kind, 1 repeating an id).');
  });

  it('refuses with the reasons when the mapping does not fit, and creates nothing', async () => {
    const ins = await stage('q.csv', 'name,lon,lat\nA,117,36.6\n');
    const r = await loadUserTable(t.engine(), ins, { kind: 'park', mapping: { name: 'name' }, crs: 'WGS84', table: 'user__nope' });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['wrong-geometry']);
    expect(await t.engine().tables()).not.toContain('user__nope');
  });
});

/** Stages a GeoParquet (hyparquet-writer) whose geometry column holds the given WKB, as the dialog would. */
async function stageGeoParquet(columns: Record<string, unknown[]>, wkb: (Uint8Array | null)[]): Promise<Inspection> {
  const geo = { version: '1.1.0', primary_column: 'geometry', columns: { geometry: { encoding: 'WKB', geometry_types: [] } } };
  const bytes = parquetWriteBuffer({
    columnData: [...Object.entries(columns).map(([name, data]) => ({ name, data, type: typeof data[0] === 'number' ? ('DOUBLE' as const) : ('STRING' as const) })), { name: 'geometry', data: wkb, type: 'BYTE_ARRAY' }],
    kvMetadata: [{ key: 'geo', value: JSON.stringify(geo) }],
  });
  const r = await inspectUserFile(t.engine(), 'g.parquet', new Uint8Array(bytes), t.stageName());
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

describe('loading a GeoParquet', () => {
  const shell = [[117, 36.6], [117.1, 36.6], [117.1, 36.7], [117, 36.7], [117, 36.6]];
  const hole = [[117.02, 36.62], [117.04, 36.62], [117.04, 36.64], [117.02, 36.62]];

  it('parks: a polygon with a hole (big-endian, Z dropped) and a multipolygon kept; a point and a truncated value left out and counted', async () => {
    const withZ: Geometry = { type: 'Polygon', coordinates: [shell.map(([x, y]) => [x!, y!, 12]), hole.map(([x, y]) => [x!, y!, 12])] };
    const multi: Geometry = { type: 'MultiPolygon', coordinates: [[[[118, 37], [118.1, 37], [118, 37.1], [118, 37]]]] };
    const ins = await stageGeoParquet({ name: ['A', 'B', 'C', 'D'] }, [geometryToWkb(withZ, true), geometryToWkb({ type: 'Point', coordinates: [117, 36.6] }), geometryToWkb(multi).slice(0, 30), geometryToWkb(multi)]);
    expect(ins.geometry).toEqual({ kind: 'wkb', column: 'geometry' });
    const r = await loadUserTable(t.engine(), ins, { kind: 'park', mapping: { name: 'name' }, crs: 'WGS84', table: 'user__geoparks' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r).toMatchObject({ kept: 2, left: 2 });
    expect(r.problems.find((p) => p.code === 'wrong-geometry')).toMatchObject({ level: 'warning', count: 1 });
    const out = (await t.engine().query('SELECT name, __gtype AS g, __geom AS geom FROM user__geoparks ORDER BY __fid')).toArray().map((o) => o.toJSON());
    expect(out.map((o) => [o.name, o.g])).toEqual([
      ['A', 'Polygon'],
      ['D', 'MultiPolygon'],
    ]);
    expect(JSON.parse(String(out[0]!.geom))).toEqual({ type: 'Polygon', coordinates: [shell, hole] });
    expect(r.problems.find((p) => p.code === 'left-out')!.en).toBe('Imported 2 rows; left out 2 (2 without usable geometry of the right kind).');
  });

  it('points in GCJ-02 become WGS-84; a null geometry is left out', async () => {
    const wgs: [number, number] = [117.02, 36.65];
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const ins = await stageGeoParquet({ category: ['school', 'clinic'] }, [geometryToWkb({ type: 'Point', coordinates: gcj }), null]);
    const r = await loadUserTable(t.engine(), ins, { kind: 'facility', mapping: { category: 'category' }, crs: 'GCJ02', table: 'user__geofacilities' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r).toMatchObject({ kept: 1, left: 1 });
    const o = (await rows('user__geofacilities'))[0]!;
    expect(o.category).toBe('school');
    expect(o.__xmin as number).toBeCloseTo(wgs[0], 5);
    expect(o.__ymin as number).toBeCloseTo(wgs[1], 5);
  });

  it('a boundary of 40,000 vertices (WKB larger than one batch) comes through whole', async () => {
    const n = 40_000;
    const shell = Array.from({ length: n }, (_, i) => [117 + 0.1 * Math.cos((2 * Math.PI * i) / n), 36.6 + 0.1 * Math.sin((2 * Math.PI * i) / n)]);
    shell.push(shell[0]!);
    const big: Geometry = { type: 'Polygon', coordinates: [shell] };
    const ins = await stageGeoParquet({ name: ['济南', '小'] }, [geometryToWkb(big), geometryToWkb({ type: 'Polygon', coordinates: [[[117, 36], [117.1, 36], [117, 36.1], [117, 36]]] })]);
    expect(ins.problems).toEqual([]);
    expect(ins.preview[0]!.geometry).toBe(`POLYGON, 1 ring, ${n + 1} points (WKB ${geometryToWkb(big).byteLength} bytes)`);
    const r = await loadUserTable(t.engine(), ins, { kind: 'boundary', mapping: { name: 'name' }, crs: 'WGS84', table: 'user__geobig' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.kept).toBe(2);
    const geom = JSON.parse(String((await t.engine().query("SELECT __geom AS g FROM user__geobig WHERE name = '济南'")).get(0)!.g));
    expect(geom).toEqual(big);
  });

  it('a file large enough to be staged in several parts keeps every row with its own geometry', async () => {
    const n = 20_000; // about 1.5 MB of hex and coordinates: several batches (wkbStaging.ts CHUNK_CHARS)
    const xs = Array.from({ length: n }, (_, i) => 116.5 + (i % 1000) / 1000);
    const ys = Array.from({ length: n }, (_, i) => 36 + Math.floor(i / 1000) / 1000);
    const ins = await stageGeoParquet(
      { id: Array.from({ length: n }, (_, i) => `p${i}`), people: Array.from({ length: n }, (_, i) => i) },
      xs.map((x, i) => geometryToWkb({ type: 'Point', coordinates: [x, ys[i]!] })),
    );
    expect(ins).toMatchObject({ rows: n, coords: 'lonlat', problems: [] });
    const r = await loadUserTable(t.engine(), ins, { kind: 'population', mapping: { id: 'id', value: 'people' }, crs: 'WGS84', table: 'user__geomany' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.kept).toBe(n);
    const check = await t.engine().query(`SELECT count(*)::DOUBLE AS n FROM user__geomany WHERE __xmin <> 116.5 + (CAST(substr(id, 2) AS INTEGER) % 1000) / 1000 OR __ymin <> 36 + (CAST(substr(id, 2) AS INTEGER) // 1000) / 1000`);
    expect(Number(check.get(0)!.n)).toBe(0);
  }, 120_000);
});
