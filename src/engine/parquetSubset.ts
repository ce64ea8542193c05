/**
 * A new Parquet file made of some row groups and columns of others, built
 * from the original column-chunk bytes and a rewritten footer.
 *
 * Why not decode and re-encode: the engine's one Parquet entry point takes a
 * file's bytes (`Engine.loadParquet`, decoded in the browser's decode worker),
 * so handing it the fetched chunks as they came keeps the data bit for bit,
 * costs no encoder in the app and no CPU on the page.
 *
 * The footer is Thrift compact protocol. It is read here into a tree that
 * keeps every field's wire type, so fields this code does not know (newer
 * writers' statistics, geospatial metadata…) are written back unchanged; only
 * what must change is touched: the schema and column orders (pruned columns),
 * row counts, and every byte offset. Page and bloom-filter indexes point into
 * the original file and are dropped.
 */

const STOP = 0, TRUE = 1, FALSE = 2, BYTE = 3, I16 = 4, I32 = 5, I64 = 6, DOUBLE = 7, BINARY = 8, LIST = 9, SET = 10, STRUCT = 12;

export type TValue = boolean | number | bigint | Uint8Array | TList | TStruct;
export interface TList { elem: number; items: TValue[] }
export interface TField { type: number; value: TValue }
/** Field id → field, for one Thrift struct. */
export type TStruct = Map<number, TField>;

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('Parquet footer ends early');
    return this.bytes[this.pos++]!;
  }
  varint(): bigint {
    let out = 0n, shift = 0n, b: number;
    do {
      b = this.byte();
      out |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    return out;
  }
  zigzag(): bigint {
    const v = this.varint();
    return (v >> 1n) ^ -(v & 1n);
  }
  value(type: number): TValue {
    switch (type) {
      case TRUE: return true;
      case FALSE: return false;
      case BYTE: return (this.byte() << 24) >> 24;
      case I16: case I32: return Number(this.zigzag());
      case I64: return this.zigzag();
      case DOUBLE: {
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case BINARY: {
        const n = Number(this.varint());
        if (this.pos + n > this.bytes.length) throw new Error('Parquet footer ends early');
        const v = this.bytes.slice(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case LIST: case SET: {
        const h = this.byte();
        const elem = h & 0x0f;
        const size = h >> 4 === 15 ? Number(this.varint()) : h >> 4;
        const items: TValue[] = [];
        for (let i = 0; i < size; i++) items.push(elem === TRUE || elem === FALSE ? this.byte() === 1 : this.value(elem));
        return { elem, items };
      }
      case STRUCT: return this.struct();
      default: throw new Error(`Parquet footer has Thrift type ${type}, which Parquet does not use`);
    }
  }
  struct(): TStruct {
    const s: TStruct = new Map();
    let fid = 0;
    for (;;) {
      const h = this.byte();
      const type = h & 0x0f;
      if (type === STOP) return s;
      fid = h >> 4 ? fid + (h >> 4) : Number(this.zigzag());
      const value = this.value(type);
      s.set(fid, { type: type === FALSE ? TRUE : type, value });
    }
  }
}

class Writer {
  private out: number[] = [];
  byte(b: number): void {
    this.out.push(b & 0xff);
  }
  varint(v: bigint): void {
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }
  zigzag(v: bigint): void {
    this.varint(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
  }
  value(type: number, v: TValue): void {
    switch (type) {
      case BYTE: return this.byte(v as number);
      case I16: case I32: return this.zigzag(BigInt(v as number));
      case I64: return this.zigzag(v as bigint);
      case DOUBLE: {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setFloat64(0, v as number, true);
        return b.forEach((x) => this.byte(x));
      }
      case BINARY: {
        const b = v as Uint8Array;
        this.varint(BigInt(b.length));
        return b.forEach((x) => this.byte(x));
      }
      case LIST: case SET: {
        const { elem, items } = v as TList;
        if (items.length < 15) this.byte((items.length << 4) | elem);
        else {
          this.byte(0xf0 | elem);
          this.varint(BigInt(items.length));
        }
        for (const it of items) {
          if (elem === TRUE || elem === FALSE) this.byte(it ? 1 : 2);
          else this.value(elem, it);
        }
        return;
      }
      case STRUCT: return this.struct(v as TStruct);
      default: throw new Error(`cannot write Thrift type ${type}`);
    }
  }
  struct(s: TStruct): void {
    let last = 0;
    for (const fid of [...s.keys()].sort((a, b) => a - b)) {
      const f = s.get(fid)!;
      const type = f.type === TRUE || f.type === FALSE ? (f.value ? TRUE : FALSE) : f.type;
      const delta = fid - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(fid));
      }
      if (type !== TRUE && type !== FALSE) this.value(type, f.value);
      last = fid;
    }
    this.byte(STOP);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Thrift compact bytes of a FileMetaData (without length and magic) → tree. */
export function readFooter(bytes: Uint8Array): TStruct {
  return new Reader(bytes).struct();
}

export function writeFooter(s: TStruct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.bytes();
}

const i64 = (v: bigint | number): TField => ({ type: I64, value: BigInt(v) });
const num = (s: TStruct, fid: number): bigint => {
  const v = s.get(fid)?.value;
  return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : 0n;
};
const list = (s: TStruct, fid: number): TList | undefined => s.get(fid)?.value as TList | undefined;

/** The bytes one column chunk occupies in its file (as hyparquet reads it: from the dictionary page when there is one). */
export function chunkRange(columnChunk: TStruct): { start: number; end: number } {
  const md = columnChunk.get(3)?.value as TStruct | undefined;
  if (!md) throw new Error('Parquet column chunk without metadata');
  const dict = num(md, 11);
  const start = dict > 0n ? dict : num(md, 9);
  return { start: Number(start), end: Number(start + num(md, 7)) };
}

/** One source file's part of the subset. */
export interface SubsetPart {
  footer: TStruct;
  /** Row groups to keep, in file order. */
  rowGroups: number[];
  /** Leaf column indexes to keep, in schema order (the same in every part). */
  columns: number[];
  /** Bytes of chunk (rowGroups[i], columns[j]) at [i][j], as {@link chunkRange} gives. */
  chunk(rowGroup: number, column: number): Uint8Array;
}

/**
 * A Parquet file holding the given row groups and columns of one or more
 * files with the same schema, in order. The schema, key-value metadata and
 * writer name are the first part's; pruning columns needs a flat schema
 * (every column a top-level leaf), which the caller checks.
 */
export function assembleSubset(parts: SubsetPart[]): Uint8Array {
  const first = parts[0];
  if (!first) throw new Error('nothing to assemble');
  if (first.footer.has(8) || first.footer.has(9)) throw new Error('encrypted Parquet files are not supported');
  const blobs: Uint8Array[] = [];
  let offset = 4; // after the leading "PAR1"
  let rows = 0n;
  const rowGroups: TStruct[] = [];
  for (const part of parts) {
    const groups = list(part.footer, 4)?.items as TStruct[] | undefined ?? [];
    for (const g of part.rowGroups) {
      const rg = groups[g];
      if (!rg) throw new Error(`row group ${g} does not exist`);
      const chunks = list(rg, 1)?.items as TStruct[];
      const out: TStruct[] = [];
      let compressed = 0n, uncompressed = 0n;
      const groupStart = offset;
      for (const c of part.columns) {
        const cc = chunks[c];
        if (!cc) throw new Error(`column ${c} missing from row group ${g}`);
        const bytes = part.chunk(g, c);
        const { start, end } = chunkRange(cc);
        if (bytes.length !== end - start) throw new Error(`column chunk ${g}/${c}: got ${bytes.length} bytes, expected ${end - start}`);
        const delta = BigInt(offset - start);
        const md = new Map(cc.get(3)!.value as TStruct);
        md.set(9, i64(num(md, 9) + delta));
        if (num(md, 11) > 0n) md.set(11, i64(num(md, 11) + delta));
        for (const fid of [10, 14, 15]) md.delete(fid); // index page, bloom filter: in the original file only
        const copy: TStruct = new Map(cc);
        for (const fid of [4, 5, 6, 7]) copy.delete(fid); // offset and column indexes, likewise
        copy.set(2, i64(offset));
        copy.set(3, { type: STRUCT, value: md });
        out.push(copy);
        compressed += num(md, 7);
        uncompressed += num(md, 6);
        blobs.push(bytes);
        offset += bytes.length;
      }
      const next: TStruct = new Map(rg);
      next.set(1, { type: LIST, value: { elem: STRUCT, items: out } });
      next.set(2, i64(uncompressed));
      next.set(5, i64(groupStart));
      next.set(6, i64(compressed));
      next.delete(4); // sorting columns name leaf indexes that pruning renumbers
      next.delete(7);
      rowGroups.push(next);
      rows += num(rg, 3);
    }
  }
  const footer: TStruct = new Map(first.footer);
  const schema = list(first.footer, 2)!;
  const leaves = (schema.items as TStruct[]).slice(1);
  if (first.columns.length !== leaves.filter((e) => e.has(1)).length) {
    const root = new Map(schema.items[0] as TStruct);
    root.set(5, { type: I32, value: first.columns.length });
    footer.set(2, { type: LIST, value: { elem: STRUCT, items: [root, ...first.columns.map((c) => leaves[c]!)] } });
    const orders = list(first.footer, 7);
    if (orders) footer.set(7, { type: LIST, value: { elem: orders.elem, items: first.columns.map((c) => orders.items[c]!) } });
  }
  footer.set(3, i64(rows));
  footer.set(4, { type: LIST, value: { elem: STRUCT, items: rowGroups } });
  const meta = writeFooter(footer);
  const out = new Uint8Array(offset + meta.length + 8);
  const magic = [0x50, 0x41, 0x52, 0x31];
  out.set(magic, 0);
  let at = 4;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  out.set(meta, at);
  new DataView(out.buffer).setUint32(at + meta.length, meta.length, true);
  out.set(magic, at + meta.length + 4);
  return out;
}
