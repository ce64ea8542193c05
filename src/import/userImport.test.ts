import { describe, expect, it } from 'vitest';
import { useImportEngine } from './testStaging';
import { inspectUserFile, type Inspection } from './userImport';

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
