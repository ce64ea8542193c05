import type { Geometry } from 'geojson';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { useImportEngine } from './testStaging';
import { inspectUserFile, type Inspection } from './userImport';
import { geometryToWkb } from './wkb';

/** Real DuckDB-WASM (Node bindings): what the first step of an import finds in a planner's file. */
const t = useImportEngine('stage');

const utf8 = (s: string) => new TextEncoder().encode(s);
const inspect = (name: string, bytes: Uint8Array) => inspectUserFile(t.engine(), name, bytes, t.stageName());
const ok = (r: Awaited<ReturnType<typeof inspect>>): Inspection => {
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
};

describe('inspecting a planner file', () => {
  it('finds lon/lat columns in a CSV and says the coordinates are longitude/latitude in China', async () => {
    const r = ok(await inspect('parks.csv', utf8('id,名称,经度,纬度,面积\n1,泉城公园,117.02,36.65,12.5\n2,"趵突泉, 南门",117.01,36.66,3\n')));
    expect(r).toMatchObject({ format: 'csv', encoding: 'utf-8', rows: 2, geometry: { kind: 'lonlat', lon: '经度', lat: '纬度' }, coords: 'lonlat' });
    expect(r.extent).toEqual([117.01, 36.65, 117.02, 36.66]);
    expect(r.preview[1]!['名称']).toBe('趵突泉, 南门');
    expect(r.problems).toEqual([]);
  });

  it('reads GBK without being told, and says so', async () => {
    const gbk = new Uint8Array([...utf8('name,lon,lat\n'), 0xc8, 0xaa, 0xb3, 0xc7, ...utf8(',117.0,36.6\n')]); // 泉城
    const r = ok(await inspect('gbk.csv', gbk));
    expect(r.encoding).toBe('gbk');
    expect(r.preview[0]!.name).toBe('泉城');
    expect(r.problems.map((p) => p.code)).toEqual(['gbk']);
  });

  it('says plainly when the coordinates are projected metres, with their ranges', async () => {
    const r = ok(await inspect('proj.csv', utf8('x,y\n39512345.1,4061234.5\n39513345.1,4062234.5\n')));
    expect(r.coords).toBe('projected');
    const p = r.problems.find((q) => q.code === 'projected')!;
    expect(p.en).toContain('x 39,512,345–39,513,345');
    expect(p.zh).toContain('投影坐标');
  });

  it('spots swapped columns, missing values and WKT geometry', async () => {
    const sw = ok(await inspect('sw.csv', utf8('lon,lat\n36.6,117.0\n36.7,117.1\n')));
    expect(sw.coords).toBe('swapped');
    const miss = ok(await inspect('miss.csv', utf8('lon,lat\n117.0,36.6\n,36.7\nabc,36.8\n')));
    expect(miss.problems.find((p) => p.code === 'missing-coords')).toMatchObject({ level: 'warning', count: 2 });
    const wkt = ok(await inspect('wkt.csv', utf8('name;shape\nA;POLYGON((117 36, 117.1 36, 117.1 36.1, 117 36))\nB;POINT (117.05 36.05)\n')));
    expect(wkt.geometry).toEqual({ kind: 'wkt', column: 'shape' });
    expect(wkt.coords).toBe('lonlat');
  });

  it('GeoJSON: a bare Feature is accepted; null and mixed geometries are counted', async () => {
    const one = ok(await inspect('f.geojson', utf8(JSON.stringify({ type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Point', coordinates: [117, 36.6] } }))));
    expect(one).toMatchObject({ rows: 1, geometry: { kind: 'geojson' }, coords: 'lonlat' });
    const mixed = ok(
      await inspect(
        'm.geojson',
        utf8(
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [117, 36.6] } },
              { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[117, 36], [117.1, 36], [117.1, 36.1], [117, 36]]] } },
              { type: 'Feature', properties: {}, geometry: null },
            ],
          }),
        ),
      ),
    );
    expect(mixed.problems.map((p) => p.code).sort()).toEqual(['missing-coords', 'mixed-geometry', 'null-geometry']);
  });

  it('refuses what it cannot read, and leaves no table behind', async () => {
    const before = await t.engine().tables();
    for (const [name, bytes, code] of [
      ['empty.csv', new Uint8Array(0), 'format'],
      ['bad.geojson', utf8('{"type": "FeatureCollection", "features": [}'), 'json'],
      ['cut.parquet', new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'format'],
      ['header-only.csv', utf8('lon,lat\n'), 'no-rows'],
      ['x.json', utf8('{"hello": 1}'), 'not-geojson'],
    ] as const) {
      const r = await inspect(name, bytes);
      expect(r.ok, name).toBe(false);
      expect(r.problems[0]!.code, name).toBe(code);
    }
    expect(await t.engine().tables()).toEqual(before);
  });
});

/** A GeoParquet written here (hyparquet-writer): names, WKB geometry (null, or raw bytes for damaged values), and the `geo` metadata as given. */
function geoParquet(rows: [string, Geometry | Uint8Array | null][], geo: unknown, column = 'geometry'): Uint8Array {
  const wkb = rows.map(([, g]) => (g === null || g instanceof Uint8Array ? g : geometryToWkb(g)));
  const kv = geo === undefined ? undefined : [{ key: 'geo', value: typeof geo === 'string' ? geo : JSON.stringify(geo) }];
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'name', data: rows.map(([n]) => n), type: 'STRING' },
        { name: column, data: wkb, type: 'BYTE_ARRAY' },
      ],
      kvMetadata: kv,
    }),
  );
}
const geoMeta = (column: Record<string, unknown> = {}) => ({ version: '1.1.0', primary_column: 'geometry', columns: { geometry: { encoding: 'WKB', geometry_types: [], ...column } } });
const pt = (x: number, y: number): Geometry => ({ type: 'Point', coordinates: [x, y] });
const park: Geometry = {
  type: 'Polygon',
  coordinates: [
    [[117, 36.6], [117.1, 36.6], [117.1, 36.7], [117, 36.7], [117, 36.6]],
    [[117.02, 36.62], [117.04, 36.62], [117.04, 36.64], [117.02, 36.62]],
  ],
};
/** CGCS2000 / 3-degree Gauss-Kruger CM 117E, as GDAL writes it into GeoParquet (PROJJSON, shortened). */
const EPSG_4548 = { type: 'ProjectedCRS', name: 'CGCS2000 / 3-degree Gauss-Kruger CM 117E', id: { authority: 'EPSG', code: 4548 } };

describe('inspecting a GeoParquet', () => {
  it('finds the WKB column from the geo metadata: points and a polygon with a hole, previewed as shapes, no table left behind', async () => {
    const r = ok(await inspect('parks.parquet', geoParquet([['泉城公园', park], ['趵突泉', pt(117.02, 36.65)], ['千佛山', { ...park, coordinates: [park.coordinates[0]!] }]], geoMeta({ geometry_types: ['Polygon', 'Point'] }))));
    expect(r).toMatchObject({ format: 'parquet', rows: 3, geometry: { kind: 'wkb', column: 'geometry' }, coords: 'lonlat' });
    expect(r.columns).toEqual([
      { name: 'name', type: 'VARCHAR' },
      { name: 'geometry', type: 'BLOB' },
    ]);
    // As for GeoJSON, a shape counts by the centre of its bbox.
    [117.02, 36.65, 117.05, 36.65].forEach((v, i) => expect(r.extent![i]).toBeCloseTo(v, 9));
    expect(r.preview.map((p) => p.geometry)).toEqual(['POLYGON, 2 rings, 9 points (WKB 161 bytes)', 'POINT (117.02 36.65)', 'POLYGON, 1 ring, 5 points (WKB 93 bytes)']);
    expect(r.problems.map((p) => p.code)).toEqual(['mixed-geometry']);
    // The staged column holds the file's own bytes.
    const staged = (await t.engine().query(`SELECT geometry FROM ${r.stage} WHERE name = '趵突泉'`)).get(0)!.geometry as Uint8Array;
    expect([...staged]).toEqual([...geometryToWkb(pt(117.02, 36.65))]);
    const temp = await t.engine().query(`SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE temporary`);
    expect(Number(temp.get(0)!.n)).toBe(0);
  });

  it('a projected coordinate system (EPSG:4548) is refused by name, with the ranges, as for a CSV in metres', async () => {
    const r = ok(await inspect('gk.parquet', geoParquet([['A', pt(39512345.1, 4061234.5)], ['B', pt(39513345.1, 4062234.5)]], geoMeta({ crs: EPSG_4548 }))));
    expect(r.coords).toBe('projected');
    expect(r.problems.map((p) => p.code)).toEqual(['projected']);
    const p = r.problems[0]!;
    expect(p.level).toBe('error');
    expect(p.en).toContain('EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E)');
    expect(p.en).toContain('x 39,512,345–39,513,345');
    expect(p.zh).toContain('投影坐标');
    // The metadata is believed even when the numbers could pass for degrees.
    const small = ok(await inspect('merc.parquet', geoParquet([['A', pt(117, 36)]], geoMeta({ crs: 'EPSG:3857' }))));
    expect(small.coords).toBe('projected');
    expect(small.problems.find((q) => q.code === 'projected')).toMatchObject({ level: 'error', en: expect.stringContaining('EPSG:3857') });
  });

  it('other coordinate systems are named: CGCS2000 degrees read as WGS-84, an unknown or older one warned about', async () => {
    const crsOf = async (crs: unknown) => ok(await inspect('c.parquet', geoParquet([['A', pt(117, 36.6)]], geoMeta({ crs })))).problems.map((p) => [p.level, p.code, p.en]);
    expect(await crsOf({ type: 'GeographicCRS', name: 'WGS 84', id: { authority: 'EPSG', code: 4326 } })).toEqual([]);
    expect(await crsOf({ type: 'GeographicCRS', name: 'China Geodetic Coordinate System 2000', id: { authority: 'EPSG', code: 4490 } })).toEqual([['info', 'crs', expect.stringContaining('CGCS2000')]]);
    expect(await crsOf({ type: 'GeographicCRS', name: 'Xian 1980', id: { authority: 'EPSG', code: 4610 } })).toEqual([['warning', 'crs', expect.stringContaining('EPSG:4610 (Xian 1980): longitude/latitude, but not WGS-84')]]);
    expect(await crsOf(null)).toEqual([['warning', 'crs', expect.stringContaining('unknown (crs is null)')]]);
    expect(await crsOf('PROJCS["Some local grid",GEOGCS["x"]]')).toEqual([['error', 'projected', expect.stringContaining('Some local grid')]]);
  });

  it('geo metadata that is not JSON: said plainly, and the WKB column is found by its contents', async () => {
    const r = ok(await inspect('broken.parquet', geoParquet([['A', pt(117, 36.6)], ['B', pt(117.1, 36.7)]], '{"version": "1.1.0", "primary_column": "geometry", columns: {')));
    expect(r.geometry).toEqual({ kind: 'wkb', column: 'geometry' });
    expect(r.coords).toBe('lonlat');
    expect(r.problems.map((p) => [p.level, p.code])).toEqual([['warning', 'geo-metadata']]);
    expect(r.problems[0]!.en).toMatch(/^The GeoParquet "geo" metadata is not valid JSON \(.+\)\. It was ignored/);
    expect(r.problems[0]!.zh).toContain('不是有效的 JSON');
  });

  it('metadata for an encoding other than WKB, or a column the file lacks, is said; without metadata a WKB column is found by its contents', async () => {
    const arrow = ok(await inspect('a.parquet', geoParquet([['A', pt(117, 36.6)]], geoMeta({ encoding: 'point' }))));
    expect(arrow.problems.map((p) => p.code)).toEqual(['geo-metadata']);
    expect(arrow.problems[0]!.en).toContain('encoded as "point"; only WKB can be read');
    const undescribed = ok(await inspect('m.parquet', geoParquet([['A', pt(117, 36.6)]], { ...geoMeta(), primary_column: 'geom' }, 'the_geom')));
    expect(undescribed.problems[0]!.en).toContain('does not describe its primary geometry column');
    expect(undescribed.geometry).toEqual({ kind: 'wkb', column: 'the_geom' });
    const elsewhere = ok(await inspect('m.parquet', geoParquet([['A', pt(117, 36.6)]], geoMeta(), 'the_geom')));
    expect(elsewhere.problems[0]!.en).toContain('names the geometry column “geometry”, and the file has no such column');
    expect(elsewhere.geometry).toEqual({ kind: 'wkb', column: 'the_geom' });
    const none = ok(await inspect('n.parquet', geoParquet([['A', pt(117, 36.6)], ['B', null]], undefined, 'shape')));
    expect(none.geometry).toEqual({ kind: 'wkb', column: 'shape' });
    expect(none.problems.map((p) => p.code).sort()).toEqual(['missing-coords', 'null-geometry']);
    // Parquet's own GEOMETRY type (no geo metadata) is WKB too.
    const native = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'geom', data: [pt(117, 36.6), park], type: 'GEOMETRY' }] }));
    expect(ok(await inspect('g.parquet', native))).toMatchObject({ geometry: { kind: 'wkb', column: 'geom' }, coords: 'lonlat' });
  });

  it('a truncated WKB value is counted and named, and the rest of the file is read', async () => {
    const cut = geometryToWkb(park).slice(0, 40);
    const r = ok(await inspect('t.parquet', geoParquet([['A', pt(117, 36.6)], ['B', cut], ['C', park]], geoMeta())));
    expect(r.rows).toBe(3);
    const bad = r.problems.find((p) => p.code === 'invalid-wkb')!;
    expect(bad).toMatchObject({ level: 'warning', count: 1 });
    expect(bad.en).toContain('row 2: WKB is truncated or corrupt');
    expect(bad.zh).toContain('第 2 行');
    expect(r.problems.find((p) => p.code === 'missing-coords')).toMatchObject({ count: 1 });
    expect(r.preview[1]!.geometry).toBe('WKB 40 bytes: unreadable');
    // Every value unreadable: an error, as for broken WKT.
    const all = ok(await inspect('u.parquet', geoParquet([['A', cut]], geoMeta())));
    expect(all.problems.find((p) => p.code === 'invalid-wkb')!.level).toBe('error');
  });
});
