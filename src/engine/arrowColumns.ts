/**
 * Columnar builders that write straight into typed arrays and make Arrow
 * `Data` without going through per-row objects or Arrow's generic builders.
 * Shared by the Parquet and GeoJSON loaders.
 */
import {
  Binary,
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';

export type ColumnKind =
  | 'bool'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'utf8'
  | 'binary'
  | 'timestamp_ms'
  | 'date_day';

const encoder = new TextEncoder();

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'bool': return new Bool();
    case 'int32': return new Int32();
    case 'int64': return new Int64();
    case 'float32': return new Float32();
    case 'float64': return new Float64();
    case 'utf8': return new Utf8();
    case 'binary': return new Binary();
    case 'timestamp_ms': return new TimestampMillisecond();
    case 'date_day': return new DateDay();
  }
}

type Fixed = Int32Array | Float32Array | Float64Array | BigInt64Array;

/** A single column of a known length, filled by index (any order). */
export class ColumnBuilder {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly length: number;
  private validity: Uint8Array | null = null;
  private nulls = 0;
  private fixed: Fixed | null = null;
  private bits: Uint8Array | null = null; // bool values
  private refs: (Uint8Array | string | null)[] | null = null; // utf8/binary values

  constructor(name: string, kind: ColumnKind, length: number) {
    this.name = name;
    this.kind = kind;
    this.length = length;
    switch (kind) {
      case 'int32':
      case 'date_day':
        this.fixed = new Int32Array(length);
        break;
      case 'float32':
        this.fixed = new Float32Array(length);
        break;
      case 'float64':
        this.fixed = new Float64Array(length);
        break;
      case 'int64':
      case 'timestamp_ms':
        this.fixed = new BigInt64Array(length);
        break;
      case 'bool':
        this.bits = new Uint8Array((length + 7) >> 3);
        break;
      case 'utf8':
      case 'binary':
        this.refs = new Array<Uint8Array | string | null>(length).fill(null);
        break;
    }
  }

  setNull(i: number): void {
    if (!this.validity) {
      this.validity = new Uint8Array((this.length + 7) >> 3).fill(0xff);
    }
    const byte = i >> 3;
    const mask = 1 << (i & 7);
    if (this.validity[byte]! & mask) {
      this.validity[byte]! &= ~mask;
      this.nulls++;
    }
    if (this.refs) this.refs[i] = null;
  }

  /** Set row `i`. null/undefined → SQL NULL; other values are coerced to the column's kind. */
  set(i: number, v: unknown): void {
    if (v === null || v === undefined) {
      this.setNull(i);
      return;
    }
    switch (this.kind) {
      case 'int32':
      case 'date_day':
      case 'float32':
      case 'float64': {
        const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v);
        (this.fixed as Int32Array | Float32Array | Float64Array)[i] = n;
        return;
      }
      case 'int64':
      case 'timestamp_ms': {
        let b: bigint;
        if (typeof v === 'bigint') b = v;
        else if (typeof v === 'number') {
          if (!Number.isFinite(v)) { this.setNull(i); return; }
          b = BigInt(Math.trunc(v));
        } else if (v instanceof Date) {
          const t = v.getTime();
          if (Number.isNaN(t)) { this.setNull(i); return; }
          b = BigInt(t);
        } else b = BigInt(String(v));
        (this.fixed as BigInt64Array)[i] = b;
        return;
      }
      case 'bool':
        if (v) this.bits![i >> 3]! |= 1 << (i & 7);
        else this.bits![i >> 3]! &= ~(1 << (i & 7));
        return;
      case 'utf8':
      case 'binary':
        this.refs![i] = v instanceof Uint8Array ? v : typeof v === 'string' ? v : String(v);
        return;
    }
  }

  /** Fill rows `start…` from a decoded chunk (typed array or array with nulls). */
  setChunk(start: number, values: ArrayLike<unknown>): void {
    const n = values.length;
    const f = this.fixed;
    // Fast path: typed input with no nulls and a compatible element type.
    if (f && ArrayBuffer.isView(values)) {
      const sameBig = f instanceof BigInt64Array && values instanceof BigInt64Array;
      const bothNumeric = !(f instanceof BigInt64Array) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array);
      if (sameBig || bothNumeric) {
        (f as Float64Array).set(values as unknown as Float64Array, start);
        return;
      }
    }
    if (f instanceof Float64Array || f instanceof Float32Array || (f instanceof Int32Array)) {
      for (let k = 0; k < n; k++) {
        const v = values[k];
        if (v === null || v === undefined) this.setNull(start + k);
        else f[start + k] = typeof v === 'number' ? v : Number(v);
      }
      return;
    }
    for (let k = 0; k < n; k++) this.set(start + k, values[k]);
  }

  finish(): { field: Field; data: Data } {
    const type = arrowType(this.kind);
    const length = this.length;
    const nullCount = this.nulls;
    const nullBitmap = nullCount > 0 ? this.validity! : undefined;
    let data: Data;
    if (this.fixed) {
      data = makeData({ type, length, nullCount, nullBitmap, data: this.fixed } as never);
    } else if (this.bits) {
      data = makeData({ type: type as Bool, length, nullCount, nullBitmap, data: this.bits });
    } else {
      const { offsets, bytes } = packStrings(this.refs!);
      data = makeData({ type: type as Utf8, length, nullCount, nullBitmap, valueOffsets: offsets, data: bytes });
    }
    // Free the JS-side references early; the Data keeps the typed arrays.
    this.refs = null;
    return { field: new Field(this.name, type, true), data };
  }
}

/** Concatenate UTF-8 values (bytes or strings) into Arrow's offsets + data buffers. */
function packStrings(values: (Uint8Array | string | null)[]): { offsets: Int32Array; bytes: Uint8Array } {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  // First guess at the size: exact for bytes, a lower bound for strings.
  let guess = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) guess += typeof v === 'string' ? v.length : v.byteLength;
  }
  let bytes: Uint8Array = new Uint8Array(Math.max(16, guess));
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) {
      if (typeof v === 'string') {
        // Worst case three bytes per UTF-16 unit.
        const need = pos + v.length * 3;
        if (need > bytes.length) bytes = grow(bytes, need);
        pos += encoder.encodeInto(v, bytes.subarray(pos)).written;
      } else {
        const need = pos + v.byteLength;
        if (need > bytes.length) bytes = grow(bytes, need);
        bytes.set(v, pos);
        pos += v.byteLength;
      }
    }
    if (pos > 0x7fffffff) throw new Error('string column exceeds 2 GiB');
    offsets[i + 1] = pos;
  }
  return { offsets, bytes: bytes.subarray(0, pos) };
}

function grow(buf: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, Math.ceil(buf.length * 1.5)));
  next.set(buf);
  return next;
}

/** Assemble finished columns into one Arrow table (a single record batch). */
export function buildTable(columns: ColumnBuilder[], length: number): Table {
  const finished = columns.map((c) => c.finish());
  const schema = new Schema(finished.map((f) => f.field));
  const struct = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: finished.map((f) => f.data),
  });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}
