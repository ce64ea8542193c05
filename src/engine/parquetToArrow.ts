/**
 * Parquet bytes → Arrow table, in pure JS (hyparquet), column by column.
 *
 * DuckDB-WASM 1.32 has no built-in Parquet reader (it would download the
 * extension), so Parquet is decoded here and handed to DuckDB as an Arrow IPC
 * stream. Decoding is columnar: hyparquet's `onChunk` delivers one decoded
 * array per column chunk, which is copied into preallocated typed arrays
 * (./arrowColumns.ts); strings stay as UTF-8 bytes end to end.
 *
 * Type mapping (Parquet physical / logical → Arrow → DuckDB):
 * - BOOLEAN → Bool → BOOLEAN
 * - INT32 (incl. INT_8/16, UINT_8/16) → Int32 → INTEGER; UINT_32 → Int64 → BIGINT
 * - INT64 → Int64 → BIGINT; UINT_64 → Float64 → DOUBLE
 * - FLOAT → Float32 → FLOAT; DOUBLE → Float64 → DOUBLE; FLOAT16 → Float32
 * - DECIMAL (any physical type) → Float64 → DOUBLE
 * - BYTE_ARRAY (UTF8/STRING/ENUM/JSON or plain) → Utf8 → VARCHAR
 * - TIMESTAMP (millis, micros, nanos) and INT96 → TimestampMillisecond → TIMESTAMP_MS
 *   (micro/nanosecond precision is floored to milliseconds)
 * - DATE → DateDay → DATE
 * - UUID → Utf8 (canonical text); other FIXED_LEN_BYTE_ARRAY → Binary → BLOB
 * - GEOMETRY/GEOGRAPHY (WKB) → Utf8 holding GeoJSON geometry text
 * - nested (LIST, MAP, struct), VARIANT → Utf8 holding JSON text
 * Nulls are preserved in every kind.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import type { Table } from 'apache-arrow';
import { ColumnBuilder, buildTable, type ColumnKind } from './arrowColumns.ts';

const utf8Decoder = new TextDecoder('utf-8');

/** Wrap bytes as hyparquet's AsyncBuffer without copying the whole file. */
function asAsyncBuffer(bytes: Uint8Array): AsyncBuffer {
  const base = bytes.byteOffset;
  const buffer = bytes.buffer as ArrayBuffer;
  const length = bytes.byteLength;
  return {
    byteLength: length,
    slice(start: number, end?: number): ArrayBuffer {
      const s = Math.max(0, Math.min(length, start));
      const e = end === undefined ? length : Math.max(s, Math.min(length, end));
      return buffer.slice(base + s, base + e);
    },
  };
}

function hasMagic(bytes: Uint8Array, at: number): boolean {
  // "PAR1"
  return bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31;
}

/** Check the bytes look like a complete Parquet file; throws a clear Error otherwise. */
export function assertParquetBytes(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new Error('Parquet input must be a Uint8Array');
  if (bytes.byteLength === 0) throw new Error('empty file (0 bytes), not a Parquet file');
  if (bytes.byteLength < 12 || !hasMagic(bytes, 0)) {
    throw new Error('not a Parquet file (missing "PAR1" magic at the start)');
  }
  if (!hasMagic(bytes, bytes.byteLength - 4)) {
    throw new Error('truncated or corrupt Parquet file (missing "PAR1" magic at the end)');
  }
}

type Plan = { name: string; kind: ColumnKind; group: 'fast' | 'json'; sanitizeUtf8: boolean };

function isUnsignedInt(el: SchemaElement, bits: number): boolean {
  const lt = el.logical_type;
  return (
    el.converted_type === (bits === 32 ? 'UINT_32' : 'UINT_64') ||
    (lt?.type === 'INTEGER' && lt.bitWidth === bits && !lt.isSigned)
  );
}

function planColumn(node: SchemaTree): Plan {
  const el = node.element;
  const name = el.name;
  const lt = el.logical_type?.type;
  const ct = el.converted_type;
  if (node.children.length > 0 || lt === 'VARIANT' || lt === 'GEOMETRY' || lt === 'GEOGRAPHY') {
    return { name, kind: 'utf8', group: 'json', sanitizeUtf8: false };
  }
  const plan = (kind: ColumnKind, sanitizeUtf8 = false): Plan => ({ name, kind, group: 'fast', sanitizeUtf8 });
  if (ct === 'DECIMAL' || lt === 'DECIMAL') return plan('float64');
  if (ct === 'DATE' || lt === 'DATE') return plan('date_day');
  if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt === 'TIMESTAMP' || el.type === 'INT96') {
    return plan('timestamp_ms');
  }
  if (lt === 'FLOAT16') return plan('float32');
  if (lt === 'UUID') return plan('utf8');
  switch (el.type) {
    case 'BOOLEAN':
      return plan('bool');
    case 'INT32':
      return plan(isUnsignedInt(el, 32) ? 'int64' : 'int32');
    case 'INT64':
      return plan(isUnsignedInt(el, 64) ? 'float64' : 'int64');
    case 'FLOAT':
      return plan('float32');
    case 'DOUBLE':
      return plan('float64');
    case 'BYTE_ARRAY': {
      const annotated = ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt === 'STRING' || lt === 'ENUM' || lt === 'JSON';
      // Unannotated byte arrays may hold anything: re-decode so DuckDB gets valid UTF-8.
      return plan('utf8', !annotated);
    }
    case 'FIXED_LEN_BYTE_ARRAY':
      return plan('binary');
    default:
      return plan('utf8', true);
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Parsers for the fast path: keep raw bytes and integer epochs, never build Date or string objects. */
const FAST_PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => ms,
  timestampFromMicroseconds: (us: bigint) => floorDiv(us, 1000n),
  timestampFromNanoseconds: (ns: bigint) => floorDiv(ns, 1000000n),
  dateFromDays: (days: number) => days,
  stringFromBytes: (bytes: Uint8Array) => bytes,
  jsonFromBytes: (bytes: Uint8Array) => bytes,
};

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Uint8Array) return utf8Decoder.decode(value);
  return value;
}

function toJsonText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v, jsonReplacer) ?? null;
}

/** Decode a whole Parquet file into an Arrow table (see the module comment for the type mapping). */
export async function parquetToArrow(bytes: Uint8Array): Promise<Table> {
  assertParquetBytes(bytes);
  const file = asAsyncBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new Error(`could not read Parquet metadata: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const rows = Number(metadata.num_rows);
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`implausible Parquet row count ${metadata.num_rows}`);

  const plans = parquetSchema(metadata).children.map(planColumn);
  if (plans.length === 0) throw new Error('Parquet file has no columns');
  const builders = new Map<string, { plan: Plan; builder: ColumnBuilder }>();
  for (const plan of plans) {
    if (builders.has(plan.name)) throw new Error(`Parquet file has two columns named ${JSON.stringify(plan.name)}`);
    builders.set(plan.name, { plan, builder: new ColumnBuilder(plan.name, plan.kind, rows) });
  }

  const onChunk = ({ columnName, columnData, rowStart }: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }) => {
    const entry = builders.get(columnName);
    if (!entry) return;
    const { plan, builder } = entry;
    let values = columnData;
    if (rowStart + values.length > rows) values = Array.prototype.slice.call(values, 0, Math.max(0, rows - rowStart));
    if (plan.group === 'json') {
      for (let k = 0; k < values.length; k++) builder.set(rowStart + k, toJsonText(values[k]));
    } else if (plan.sanitizeUtf8) {
      for (let k = 0; k < values.length; k++) {
        const v = values[k];
        builder.set(rowStart + k, v instanceof Uint8Array ? utf8Decoder.decode(v) : v);
      }
    } else {
      builder.setChunk(rowStart, values);
    }
  };

  const fast = plans.filter((p) => p.group === 'fast').map((p) => p.name);
  const json = plans.filter((p) => p.group === 'json').map((p) => p.name);
  try {
    if (fast.length > 0) {
      await parquetRead({ file, metadata, columns: fast, parsers: FAST_PARSERS, onChunk });
    }
    if (json.length > 0) {
      // Nested and geometry columns: hyparquet's default parsers build JS values, stored as JSON text.
      await parquetRead({ file, metadata, columns: json, onChunk });
    }
  } catch (err) {
    throw new Error(`could not decode Parquet data: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return buildTable(
    plans.map((p) => builders.get(p.name)!.builder),
    rows,
  );
}
