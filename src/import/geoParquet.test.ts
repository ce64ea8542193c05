import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readParquetGeo } from './geoParquet';
import { geometryToWkb } from './wkb';

/** Without the engine: what is read from a GeoParquet before the engine gets its copy. */
const NAMES = { lon: /^lon$/i, lat: /^lat$/i, geometry: /^geometry$/i };
const point = geometryToWkb({ type: 'Point', coordinates: [117.02, 36.65] });
const file = (columns: { name: string; data: unknown[]; type: 'STRING' | 'BYTE_ARRAY' | 'DOUBLE' }[], geo?: unknown) =>
  new Uint8Array(parquetWriteBuffer({ columnData: columns, kvMetadata: geo === undefined ? undefined : [{ key: 'geo', value: JSON.stringify(geo) }] }));

describe('readParquetGeo', () => {
  it("gives the engine a copy of the same length whose `geo` key is renamed, schema and other metadata kept, and the column's own bytes", async () => {
    const bytes = file(
      [
        { name: 'name', data: ['趵突泉', 'geo'], type: 'STRING' },
        { name: 'geometry', data: [point, null], type: 'BYTE_ARRAY' },
      ],
      { version: '1.1.0', primary_column: 'geometry', columns: { geometry: { encoding: 'WKB', geometry_types: ['Point'] } } },
    );
    const original = bytes.slice();
    const geo = await readParquetGeo(bytes, NAMES);
    expect(geo.problems).toEqual([]);
    expect(geo.crs).toEqual({ kind: 'lonlat', name: 'OGC:CRS84' });
    expect(geo.wkb).toEqual({ column: 'geometry', values: [point, null] });
    expect(geo.bytes).not.toBe(bytes);
    expect(geo.bytes.byteLength).toBe(bytes.byteLength);
    expect([...bytes]).toEqual([...original]); // the caller's bytes are not patched
    const before = parquetMetadata(bytes, { geoparquet: false });
    const after = parquetMetadata(geo.bytes, { geoparquet: false });
    expect(after.key_value_metadata?.map((kv) => kv.key)).toEqual(before.key_value_metadata?.map((kv) => (kv.key === 'geo' ? 'ge~' : kv.key)));
    expect(after.schema).toEqual(before.schema);
  });

  it('looks for WKB by content only when there are no lon/lat columns, and leaves a file that is not Parquet to the engine', async () => {
    const plain = file([{ name: 'shape', data: [point], type: 'BYTE_ARRAY' }]);
    expect((await readParquetGeo(plain, NAMES)).wkb).toEqual({ column: 'shape', values: [point] });
    const withLonLat = file([
      { name: 'lon', data: [117], type: 'DOUBLE' },
      { name: 'lat', data: [36.6], type: 'DOUBLE' },
      { name: 'shape', data: [point], type: 'BYTE_ARRAY' },
    ]);
    const ll = await readParquetGeo(withLonLat, NAMES);
    expect(ll.wkb).toBeNull();
    expect(ll.bytes).toBe(withLonLat);
    const junk = new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await readParquetGeo(junk, NAMES)).toEqual({ bytes: junk, wkb: null, crs: null, problems: [] });
  });
});
