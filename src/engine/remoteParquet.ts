/**
 * Remote Parquet over HTTP range requests: of a (possibly hive-partitioned)
 * store, only the partitions asked for are touched, of each only the footer
 * and the column chunks of the row groups that can match are fetched, and the
 * result is one Parquet file (./parquetSubset.ts) for `Engine.loadParquet`,
 * or Arrow through ./parquetToArrow.ts.
 *
 * Per file: a HEAD for its size (a ranged GET when HEAD is refused), one
 * ranged GET for the tail holding the footer (a second only when the footer
 * is larger), and one ranged GET per run of adjacent chunks wanted, so a whole
 * year of a file written in monthly row groups is a single request (less what
 * the tail already holds). A server
 * that ignores Range answers with the whole file: it is used as it is, counted,
 * and a console warning says so. Every failure is a bilingual
 * {@link RemoteParquetError}.
 */
import { parquetSchema, type FileMetaData, type Statistics } from 'hyparquet';
import type { Table } from 'apache-arrow';
import type { PartitionKey, RemoteSource } from '../catalog/types.ts';
import { assembleSubset, chunkRange, type SubsetPart, type TStruct } from './parquetSubset.ts';
import { parquetToArrow } from './parquetToArrow.ts';
import { RemoteFile, RemoteParquetError, newStats, type Ctx, type FetchStats } from './remoteFile.ts';

export { RemoteParquetError, newStats, type FetchStats, type RemoteErrorCode } from './remoteFile.ts';

export type PartitionValues = Partial<Record<PartitionKey, string | number>>;

export interface RemoteReadOptions {
  /** Top-level columns to keep (all when absent); needs a flat schema. */
  columns?: string[];
  /**
   * Keep only row groups whose min/max of `column` can fall in [from, to)
   * (ms since the epoch, UTC). A file without the column is an error, or
   * read unpruned with `ifPresent`.
   */
  time?: { column: string; from: number; to: number; ifPresent?: boolean };
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Added to as requests complete, so a caller can watch or total several reads. */
  stats?: FetchStats;
  /** Bytes read from the end of each file in the hope the footer fits (default 8 KiB: a year in monthly row groups of eight columns has a 7 KB footer). */
  tailBytes?: number;
}

export interface RemoteReadResult {
  /** A Parquet file holding the kept row groups and columns of every partition, in order. */
  bytes: Uint8Array;
  rows: number;
  rowGroups: { read: number; total: number };
  partitions: string[];
  stats: FetchStats;
}

/** `url` of the file holding one partition: `<url>/city=jinan/year=2023/part.parquet` for a hive store. */
export function partitionUrl(store: RemoteSource, values: PartitionValues): { url: string; label: string } {
  if (store.partitioning !== 'hive') return { url: store.url, label: store.url };
  const segs = (store.keys ?? []).map((k) => {
    const v = values[k];
    if (v === undefined || v === '') {
      throw new RemoteParquetError('bad-input', `no value for partition key "${k}" of ${store.url}`, `未给出 ${store.url} 的分区键“${k}”的值`, store.url);
    }
    return `${k}=${encodeURIComponent(String(v))}`;
  });
  const base = store.url.endsWith('/') ? store.url : `${store.url}/`;
  return { url: `${base}${segs.join('/')}/${store.file ?? 'part.parquet'}`, label: segs.join('/') };
}

function toMs(v: Statistics['min']): number | null {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return null;
}

/** Kept leaf indexes, the leaf descriptions to compare across partitions, and kept row groups. */
function plan(meta: FileMetaData, opts: RemoteReadOptions, url: string, label: string): { columns: number[]; shape: string; rowGroups: number[] } {
  const tree = parquetSchema(meta);
  const names = tree.children.map((c) => c.element.name);
  const flat = tree.children.every((c) => c.children.length === 0);
  const bad = (en: string, zh: string) => new RemoteParquetError('bad-input', `${url} (partition ${label}): ${en}`, `${url}（分区 ${label}）：${zh}`, url);
  let columns = names.map((_, i) => i);
  if (opts.columns) {
    if (!flat) throw bad('choosing columns needs a flat schema (no nested columns)', '只有扁平结构（无嵌套列）的文件才能选择列');
    const missing = opts.columns.filter((c) => !names.includes(c));
    if (missing.length) throw bad(`no column ${missing.join(', ')} (it has ${names.join(', ')})`, `没有列 ${missing.join('、')}（现有 ${names.join('、')}）`);
    columns = columns.filter((i) => opts.columns!.includes(names[i]!));
  }
  let rowGroups = meta.row_groups.map((_, i) => i);
  if (opts.time) {
    const { column, from, to } = opts.time;
    const ti = flat ? names.indexOf(column) : -1;
    if (ti < 0 && !opts.time.ifPresent) throw bad(`no time column "${column}" to filter by`, `没有可用于筛选的时间列“${column}”`);
    if (ti >= 0) rowGroups = rowGroups.filter((g) => {
      const s = meta.row_groups[g]!.columns[ti]?.meta_data?.statistics;
      const lo = toMs(s?.min_value ?? s?.min);
      const hi = toMs(s?.max_value ?? s?.max);
      // Without statistics a row group might match: keep it.
      return lo === null || hi === null || (hi >= from && lo < to);
    });
  }
  const leaves = meta.schema.filter((e) => e.type);
  const kept = flat ? columns : leaves.map((_, i) => i);
  const shape = JSON.stringify(
    kept.map((i) => [leaves[i]!.name, leaves[i]!.type, leaves[i]!.converted_type, leaves[i]!.repetition_type, leaves[i]!.logical_type]),
    (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
  );
  return { columns: kept, shape, rowGroups };
}

async function readPartition(ctx: Ctx, store: RemoteSource, values: PartitionValues, opts: RemoteReadOptions) {
  const { url, label } = partitionUrl(store, values);
  const file = await RemoteFile.open(ctx, url, label);
  const { raw, meta } = await file.footer(opts.tailBytes ?? 8 * 1024);
  const p = plan(meta, opts, url, label);
  const groups = ((raw.get(4)?.value as { items: TStruct[] } | undefined)?.items ?? []);
  // Runs of adjacent chunks become one request each.
  const wanted = p.rowGroups.flatMap((g) => p.columns.map((c) => ({ g, c, ...chunkRange(((groups[g]!.get(1)!.value as { items: TStruct[] }).items)[c]!) })));
  const runs: { start: number; end: number }[] = [];
  for (const w of wanted) {
    const last = runs[runs.length - 1];
    if (last && last.end === w.start) last.end = w.end;
    else runs.push({ start: w.start, end: w.end });
  }
  const fetched = await Promise.all(runs.map(async (r) => ({ ...r, bytes: await file.read(r.start, r.end) })));
  const chunks = new Map<string, Uint8Array>();
  for (const w of wanted) {
    const r = fetched.find((x) => w.start >= x.start && w.end <= x.end)!;
    chunks.set(`${w.g}/${w.c}`, r.bytes.subarray(w.start - r.start, w.end - r.start));
  }
  const part: SubsetPart = { footer: raw, rowGroups: p.rowGroups, columns: p.columns, chunk: (g, c) => chunks.get(`${g}/${c}`)! };
  const rows = p.rowGroups.reduce((n, g) => n + Number(meta.row_groups[g]!.num_rows), 0);
  return { part, rows, shape: p.shape, label, url, total: meta.row_groups.length };
}

/**
 * Read the given partitions of a store (one `{}` for a single-file store),
 * keeping the row groups and columns `opts` asks for, as one Parquet file.
 * Partitions must share one schema (for the columns kept).
 */
export async function readRemoteParquet(store: RemoteSource, partitions: PartitionValues[], opts: RemoteReadOptions = {}): Promise<RemoteReadResult> {
  const ctx: Ctx = { fetch: opts.fetch ?? ((...a) => fetch(...a)), signal: opts.signal, stats: opts.stats ?? newStats() };
  if (partitions.length === 0) throw new RemoteParquetError('bad-input', `no partition of ${store.url} was asked for`, `未指定要读取的 ${store.url} 分区`, store.url);
  const reads = await Promise.all(partitions.map((v) => readPartition(ctx, store, v, opts)));
  const first = reads[0]!;
  for (const r of reads.slice(1)) {
    if (r.shape !== first.shape) {
      throw new RemoteParquetError('schema', `partition ${r.label} has other columns than ${first.label} (${r.url})`, `分区 ${r.label} 的列与 ${first.label} 不同（${r.url}）`, r.url);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = assembleSubset(reads.map((r) => r.part));
  } catch (e) {
    throw new RemoteParquetError('not-parquet', `${first.url}: ${(e as Error).message}`, `${first.url}：无法读取 Parquet 结构（${(e as Error).message}）`, first.url, { cause: e });
  }
  return {
    bytes,
    rows: reads.reduce((n, r) => n + r.rows, 0),
    rowGroups: { read: reads.reduce((n, r) => n + r.part.rowGroups.length, 0), total: reads.reduce((n, r) => n + r.total, 0) },
    partitions: reads.map((r) => r.label),
    stats: ctx.stats,
  };
}

/** The same read, decoded to Arrow (for callers outside the engine, e.g. Node scripts). */
export async function readRemoteArrow(store: RemoteSource, partitions: PartitionValues[], opts: RemoteReadOptions = {}): Promise<RemoteReadResult & { table: Table }> {
  const r = await readRemoteParquet(store, partitions, opts);
  return { ...r, table: await parquetToArrow(r.bytes) };
}
