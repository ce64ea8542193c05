/**
 * GeoJSON validation and flattening on its own (no DuckDB).
 */
import { describe, expect, test } from 'vitest';
import { geojsonToArrow, geojsonToRows } from '../../src/engine/geojsonRows.ts';

const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (properties: unknown, geometry: unknown = null) => ({ type: 'Feature', properties, geometry });

describe('geojsonToRows', () => {
  test('column types are inferred over all features', () => {
    const { columns, rows } = geojsonToRows(
      fc([
        feature({ i: 1, big: 2 ** 40, f: 1, b: true, s: 'x', o: { k: [1] }, m: 1, n: null }),
        feature({ i: -5, big: 3, f: 2.5, b: false, s: 'y', o: [1, 'a'], m: 'two' }),
        feature({}),
      ]),
    );
    const kinds = Object.fromEntries(columns.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      __fid: 'int32', i: 'int32', big: 'int64', f: 'float64', b: 'bool', s: 'utf8', o: 'utf8', m: 'utf8', n: 'utf8',
      __geom: 'utf8', __gtype: 'utf8', __xmin: 'float64', __ymin: 'float64', __xmax: 'float64', __ymax: 'float64',
    });
    expect(rows[0]).toEqual([0, 1, 2 ** 40, 1, true, 'x', '{"k":[1]}', '1', null, null, null, null, null, null, null]);
    expect(rows[1]).toEqual([1, -5, 3, 2.5, false, 'y', '[1,"a"]', 'two', null, null, null, null, null, null, null]);
    expect(rows[2]).toEqual([2, null, null, null, null, null, null, null, null, null, null, null, null, null, null]);
  });

  test('bbox covers nested coordinates and GeometryCollections; 3D positions are fine', () => {
    const { rows } = geojsonToRows(
      fc([
        feature({}, { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2, 3] }, { type: 'LineString', coordinates: [[-1, 5], [4, -2]] }] }),
        feature({}, { type: 'MultiPoint', coordinates: [] }),
      ]),
    );
    expect(rows[0]!.slice(2)).toEqual(['GeometryCollection', -1, -2, 4, 5]);
    // An empty geometry keeps its text and type but has no bbox.
    expect(rows[1]!.slice(1)).toEqual(['{"type":"MultiPoint","coordinates":[]}', 'MultiPoint', null, null, null, null]);
  });

  test('names that collide case-insensitively get suffixes; others are kept byte for byte', () => {
    const { columns } = geojsonToRows(fc([feature({ NAME: 1, name: 2, Name_1: 3, __FID: 4, ' spaced ': 5, 'é"\'': 6 })]));
    expect(columns.map((c) => [c.name, c.property])).toEqual([
      ['__fid', undefined], ['NAME', 'NAME'], ['name_1', 'name'], ['Name_1_1', 'Name_1'], ['__FID_1', '__FID'],
      [' spaced ', ' spaced '], ['é"\'', 'é"\''], ['__geom', undefined], ['__gtype', undefined],
      ['__xmin', undefined], ['__ymin', undefined], ['__xmax', undefined], ['__ymax', undefined],
    ]);
  });

  test('a BOM at the start is accepted', () => {
    expect(geojsonToRows('\uFEFF' + fc([feature({ a: 1 })])).rows).toHaveLength(1);
  });

  test.each([
    ['', /empty file/],
    ['   \n', /empty file/],
    ['{"type":"FeatureCollection","features":[', /not valid JSON/],
    ['null', /not a GeoJSON FeatureCollection \(got null\)/],
    ['[]', /not a GeoJSON FeatureCollection \(got an array\)/],
    ['{"type":"Point","coordinates":[1,2]}', /not a GeoJSON FeatureCollection \(got type "Point"\)/],
    ['{"type":"FeatureCollection"}', /"features" is not an array/],
    [fc([1]), /feature 0 is not a GeoJSON Feature \(got a number\)/],
    [fc([{ type: 'feature', properties: {}, geometry: null }]), /feature 0 is not a GeoJSON Feature/],
    [fc([feature([1, 2])]), /feature 0: "properties" must be an object or null, got an array/],
    [fc([feature({}), feature({}, 'POINT(1 2)')]), /feature 1: geometry must be an object or null, got a string/],
    [fc([feature({}, { type: 'Point', coordinates: [1] })]), /feature 0: a position must be an array of at least 2 numbers/],
    [fc([feature({}, { type: 'Polygon', coordinates: [[1, 2]] })]), /feature 0: a position must be an array/],
    [fc([feature({}, { type: 'LineString', coordinates: [[1, null]] })]), /coordinate values must be finite numbers/],
    [fc([feature({}, { type: 'LineString' })]), /LineString needs a "coordinates" array/],
    [fc([feature({}, { type: 'GeometryCollection' })]), /needs a "geometries" array/],
    [fc([feature({}, { type: 'Circle', coordinates: [1, 2] })]), /unknown geometry type "Circle"/],
  ])('rejects %j', (text, message) => {
    expect(() => geojsonToRows(text)).toThrow(message);
  });
});

describe('geojsonToArrow', () => {
  test('builds Arrow columns of the inferred types', () => {
    const t = geojsonToArrow(fc([feature({ n: 1, s: '<img src=x onerror=alert(1)>' }, { type: 'Point', coordinates: [114.1, 22.6] })]));
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      '__fid:Int32', 'n:Int32', 's:Utf8', '__geom:Utf8', '__gtype:Utf8', '__xmin:Float64', '__ymin:Float64', '__xmax:Float64', '__ymax:Float64',
    ]);
    expect(t.get(0)!.toJSON()).toEqual({
      __fid: 0, n: 1, s: '<img src=x onerror=alert(1)>', __geom: '{"type":"Point","coordinates":[114.1,22.6]}', __gtype: 'Point',
      __xmin: 114.1, __ymin: 22.6, __xmax: 114.1, __ymax: 22.6,
    });
  });
});
