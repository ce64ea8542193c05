/**
 * Parquet → Arrow conversion on its own (no DuckDB): type mapping, nulls,
 * multiple row groups, and clear errors on bad bytes.
 */
import { describe, expect, test } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Table } from 'apache-arrow';
import { assertParquetBytes, parquetToArrow } from '../../src/engine/parquetToArrow.ts';

type Writable = Parameters<typeof parquetWriteBuffer>[0];

function write(opts: Writable): Uint8Array {
  return new Uint8Array(parquetWriteBuffer(opts));
}

function types(t: Table): Record<string, string> {
  return Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
}

function column(t: Table, name: string): unknown[] {
  const v = t.getChild(name);
  if (!v) throw new Error(`no column ${name}`);
  return [...v].map((x) => (x instanceof Uint8Array ? Array.from(x) : x));
}

describe('parquetToArrow', () => {
  test('basic types map to the Arrow types the engine promises, nulls kept', async () => {
    const t = await parquetToArrow(
      write({
        columnData: [
          { name: 's', data: ['a', null, '', '中文'], type: 'STRING' },
          { name: 'i', data: [1, null, -3, 2147483647], type: 'INT32' },
          { name: 'ri', data: new Int32Array([5, 6, 7, 8]), type: 'INT32', nullable: false },
          { name: 'l', data: [1n, null, -3n, 9007199254740993n], type: 'INT64' },
          { name: 'f', data: [1.5, null, -0.25, 3], type: 'FLOAT' },
          { name: 'd', data: new Float64Array([0.1, 0.2, 0.3, 1e300]), type: 'DOUBLE', nullable: false },
          { name: 'b', data: [true, null, false, true], type: 'BOOLEAN' },
          { name: 't', data: [new Date(0), null, new Date('2024-02-29T12:34:56.789Z'), new Date(-1)], type: 'TIMESTAMP' },
        ],
      }),
    );
    expect(t.numRows).toBe(4);
    expect(types(t)).toEqual({
      s: 'Utf8', i: 'Int32', ri: 'Int32', l: 'Int64', f: 'Float32', d: 'Float64', b: 'Bool', t: 'Timestamp<MILLISECOND>',
    });
    expect(column(t, 's')).toEqual(['a', null, '', '中文']);
    expect(column(t, 'i')).toEqual([1, null, -3, 2147483647]);
    expect(column(t, 'ri')).toEqual([5, 6, 7, 8]);
    expect(column(t, 'l')).toEqual([1n, null, -3n, 9007199254740993n]);
    expect(column(t, 'f')).toEqual([1.5, null, -0.25, 3]);
    expect(column(t, 'd')).toEqual([0.1, 0.2, 0.3, 1e300]);
    expect(column(t, 'b')).toEqual([true, null, false, true]);
    expect(column(t, 't')).toEqual([0, null, Date.parse('2024-02-29T12:34:56.789Z'), -1]);
  });

  test('logical types: micro/nano timestamps, DATE, DECIMAL, UINT_32, JSON, UUID, unannotated bytes', async () => {
    const bytes = write({
      schema: [
        { name: 'root', num_children: 8 },
        { name: 'us', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
        { name: 'ns', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } },
        { name: 'day', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DATE' },
        { name: 'dec', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', precision: 9, scale: 2 },
        { name: 'u32', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'UINT_32' },
        { name: 'js', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'JSON' },
        { name: 'id', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, repetition_type: 'OPTIONAL', logical_type: { type: 'UUID' } },
        { name: 'raw', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      ],
      columnData: [
        { name: 'us', data: [1_700_000_000_123_456n, null, -1_500n] },
        { name: 'ns', data: [1_700_000_000_123_456_789n, null, 0n] },
        { name: 'day', data: [19782, null, 0] },
        { name: 'dec', data: [12.34, null, -0.05] },
        { name: 'u32', data: [4294967295, null, 1] },
        { name: 'js', data: [{ a: [1, 2], b: 'x' }, null, 'str'] },
        { name: 'id', data: ['123e4567-e89b-12d3-a456-426614174000', null, '00000000-0000-0000-0000-000000000000'] },
        { name: 'raw', data: [new Uint8Array([104, 105]), null, new Uint8Array([0xff, 0x41])] },
      ],
    });
    const t = await parquetToArrow(bytes);
    expect(types(t)).toEqual({
      us: 'Timestamp<MILLISECOND>', ns: 'Timestamp<MILLISECOND>', day: 'Date32<DAY>', dec: 'Float64',
      u32: 'Int64', js: 'Utf8', id: 'Utf8', raw: 'Utf8',
    });
    // Micro/nanoseconds floor to milliseconds (also below the epoch).
    expect(column(t, 'us')).toEqual([1_700_000_000_123, null, -2]);
    expect(column(t, 'ns')).toEqual([1_700_000_000_123, null, 0]);
    expect(column(t, 'day')).toEqual([19782 * 86_400_000, null, 0]);
    expect(column(t, 'dec')).toEqual([12.34, null, -0.05]);
    expect(column(t, 'u32')).toEqual([4294967295n, null, 1n]);
    expect(column(t, 'js')).toEqual(['{"a":[1,2],"b":"x"}', null, '"str"']);
    expect(column(t, 'id')).toEqual(['123e4567-e89b-12d3-a456-426614174000', null, '00000000-0000-0000-0000-000000000000']);
    // Invalid UTF-8 in unannotated bytes becomes U+FFFD instead of poisoning DuckDB.
    expect(column(t, 'raw')).toEqual(['hi', null, '\uFFFDA']);
  });

  test('nested and geometry columns become JSON text', async () => {
    const bytes = write({
      columnData: [
        { name: 'geom', data: [{ type: 'Point', coordinates: [114.05, 22.55] }, null], type: 'GEOMETRY' },
        { name: 'n', data: [1, 2], type: 'INT32' },
      ],
    });
    const t = await parquetToArrow(bytes);
    expect(types(t)).toEqual({ geom: 'Utf8', n: 'Int32' });
    expect(JSON.parse(column(t, 'geom')[0] as string)).toEqual({ type: 'Point', coordinates: [114.05, 22.55] });
    expect(column(t, 'geom')[1]).toBeNull();
  });

  test('several row groups land at the right offsets', async () => {
    const n = 2500;
    const ids = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i));
    const names = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `row ${i}`));
    const t = await parquetToArrow(
      write({
        rowGroupSize: 600,
        columnData: [
          { name: 'id', data: ids, type: 'INT32' },
          { name: 'name', data: names, type: 'STRING' },
          { name: 'x', data: new Float64Array(n).map((_, i) => i / 2), type: 'DOUBLE', nullable: false },
        ],
      }),
    );
    expect(t.numRows).toBe(n);
    expect(column(t, 'id')).toEqual(ids);
    expect(column(t, 'name')).toEqual(names);
    expect(column(t, 'x')).toEqual(Array.from({ length: n }, (_, i) => i / 2));
    expect(t.getChild('id')!.nullCount).toBe(ids.filter((v) => v === null).length);
  });

  test('zero rows', async () => {
    const t = await parquetToArrow(write({ columnData: [{ name: 'a', data: [], type: 'STRING' }] }));
    expect(t.numRows).toBe(0);
    expect(types(t)).toEqual({ a: 'Utf8' });
  });

  test('bad bytes give clear errors', async () => {
    const good = write({ columnData: [{ name: 'a', data: [1, 2, 3], type: 'INT32' }] });
    expect(() => assertParquetBytes(good)).not.toThrow();
    await expect(parquetToArrow(new Uint8Array())).rejects.toThrow(/empty file \(0 bytes\)/);
    await expect(parquetToArrow(new TextEncoder().encode('{"type":"FeatureCollection"}'))).rejects.toThrow(/not a Parquet file/);
    await expect(parquetToArrow(good.subarray(0, good.byteLength - 10))).rejects.toThrow(/truncated or corrupt Parquet file/);
    const garbled = good.slice();
    garbled.fill(0xee, 4, garbled.byteLength - 4);
    await expect(parquetToArrow(garbled)).rejects.toThrow(/could not read Parquet metadata/);
  });
});
