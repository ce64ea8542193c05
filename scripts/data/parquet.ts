/**
 * Parquet writer: a thin typed layer over hyparquet-writer (pure JS, snappy).
 *
 * - Explicit schema: strings are UTF8 byte arrays, measurements FLOAT (not
 *   DOUBLE), timestamps INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true).
 * - Column encodings are chosen for size: integer ids DELTA_BINARY_PACKED,
 *   floats BYTE_STREAM_SPLIT unless a dictionary wins (hyparquet-writer keeps
 *   a dictionary only when it at least halves the column).
 * - One row group per file unless `rowGroupSize` is given: the files are
 *   small and read whole by the app.
 */
import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

export type ColumnKind = 'STRING' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'TIMESTAMP' | 'BOOLEAN';

export interface OutColumn {
  name: string;
  kind: ColumnKind;
  /** Values; null marks a missing value (column becomes OPTIONAL). */
  data: ArrayLike<unknown>;
  /** Force an encoding, e.g. 'DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT', 'RLE_DICTIONARY', 'PLAIN'. */
  encoding?: string;
}

export interface ParquetTable {
  columns: OutColumn[];
  rowGroupSize?: number;
  /** Key/value metadata, e.g. provenance of the file. */
  metadata?: Record<string, string>;
}

function hasNull(data: ArrayLike<unknown>): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] === null || data[i] === undefined) return true;
  return false;
}

function schemaElement(col: OutColumn, optional: boolean): Record<string, unknown> {
  const repetition_type = optional ? 'OPTIONAL' : 'REQUIRED';
  switch (col.kind) {
    case 'STRING':
      return { name: col.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
    case 'TIMESTAMP':
      return {
        name: col.name,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        repetition_type,
      };
    default:
      return { name: col.name, type: col.kind, repetition_type };
  }
}

function defaultEncoding(col: OutColumn): string | undefined {
  if (col.encoding) return col.encoding;
  if (col.kind === 'TIMESTAMP' || col.kind === 'INT64') return 'DELTA_BINARY_PACKED';
  return undefined; // let hyparquet-writer decide (dictionary when it wins, else PLAIN)
}

/** Column values as the writer wants them (BigInt for INT64/TIMESTAMP). */
function physicalData(col: OutColumn): unknown[] {
  const out = new Array<unknown>(col.data.length);
  for (let i = 0; i < col.data.length; i++) {
    const v = col.data[i];
    if (v === null || v === undefined) out[i] = null;
    else if (col.kind === 'TIMESTAMP' || col.kind === 'INT64') out[i] = BigInt(v as number);
    else out[i] = v;
  }
  return out;
}

export function parquetBytes(table: ParquetTable): Uint8Array {
  const n = table.columns[0]?.data.length ?? 0;
  for (const c of table.columns) {
    if (c.data.length !== n) throw new Error(`column ${c.name} has ${c.data.length} rows, expected ${n}`);
  }
  const optional = table.columns.map((c) => hasNull(c.data));
  const schema = [
    { name: 'root', num_children: table.columns.length },
    ...table.columns.map((c, i) => schemaElement(c, optional[i] as boolean)),
  ];
  const columnData = table.columns.map((c, i) => {
    const enc = defaultEncoding(c);
    return {
      name: c.name,
      data: physicalData(c),
      nullable: optional[i],
      ...(enc ? { encoding: enc } : {}),
    };
  });
  const buf = parquetWriteBuffer({
    // hyparquet-writer's own types are looser than ours; the schema above is explicit.
    columnData: columnData as never,
    schema: schema as never,
    codec: 'SNAPPY',
    statistics: true,
    rowGroupSize: table.rowGroupSize ?? Math.max(1, n),
    createdBy: 'civic-atlas scripts/data (hyparquet-writer)',
    kvMetadata: table.metadata
      ? Object.entries(table.metadata).map(([key, value]) => ({ key, value }))
      : undefined,
  });
  return new Uint8Array(buf);
}

/** Writes the file; returns its size in bytes. */
export function writeParquet(path: string, table: ParquetTable): number {
  const bytes = parquetBytes(table);
  writeFileSync(path, bytes);
  return bytes.byteLength;
}
