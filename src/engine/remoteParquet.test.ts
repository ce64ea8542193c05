/**
 * The remote Parquet reader against a small modelled store (3 cities × 2
 * years, monthly row groups) served by a local HTTP server that counts what
 * it sends: the right rows, bit for bit, for far fewer bytes than the store.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import type { RemoteSource } from '../catalog/types';
import { serveRange, type RangeServer } from '../../scripts/bench/remoteServer';
import { cstStart, writeAirStore, type StoreSummary } from '../../scripts/bench/remoteStoreData';
import { parquetToArrow } from './parquetToArrow';
import { readFooter, writeFooter } from './parquetSubset';
import { newStats, partitionUrl, readRemoteArrow, readRemoteParquet, RemoteParquetError } from './remoteParquet';

let dir: string;
let store: StoreSummary;
let server: RangeServer;
let noRange: RangeServer;
let noHead: RangeServer;
const hive = (url: string): RemoteSource => ({ url, partitioning: 'hive', keys: ['city', 'year'], file: 'part.parquet' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-remote-test-'));
  store = writeAirStore(dir, { cities: ['jinan', 'qingdao', 'city-005'], years: [2023, 2024], seed: 9 });
  writeFileSync(join(dir, 'notes.txt'), 'not a Parquet file, but long enough to look at its end');
  [server, noRange, noHead] = await Promise.all([serveRange(dir), serveRange(dir, { ranges: false }), serveRange(dir, { head: false })]);
});

afterAll(async () => {
  await Promise.all([server, noRange, noHead].map((s) => s?.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** The file as hyparquet reads it from disk: the reference the remote read must equal. */
async function local(part: string, columns?: string[]): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(join(dir, part, 'part.parquet'));
  return parquetReadObjects({ file, columns });
}

const fileSize = (part: string) => store.fileBytes.get(part)!;

describe('remote Parquet over HTTP range requests', () => {
  it('builds hive partition URLs and refuses a missing key value', () => {
    expect(partitionUrl(hive('https://x.org/air/'), { city: 'jinan', year: 2023 }).url).toBe('https://x.org/air/city=jinan/year=2023/part.parquet');
    expect(partitionUrl(hive('https://x.org/air'), { city: 'a b', year: 2023 }).url).toBe('https://x.org/air/city=a%20b/year=2023/part.parquet');
    expect(partitionUrl({ url: 'https://x.org/one.parquet' }, {}).url).toBe('https://x.org/one.parquet');
    expect(() => partitionUrl(hive('https://x.org/air/'), { city: 'jinan' })).toThrow(/partition key "year"/);
  });

  it('reads one city-year exactly, fetching no more than that file and a fraction of the store', async () => {
    server.reset();
    const r = await readRemoteArrow(hive(server.url), [{ city: 'jinan', year: 2023 }]);
    expect(r.rows).toBe(8760);
    expect(r.rowGroups).toEqual({ read: 12, total: 12 });
    const want = await local('city=jinan/year=2023');
    expect(r.table.numRows).toBe(want.length);
    for (const col of ['pm25', 'o3', 'co', 'aqi']) {
      expect(Array.from(r.table.getChild(col)!.toArray() as ArrayLike<number>), col).toEqual(want.map((x) => x[col]));
    }
    expect(Number(r.table.getChild('ts')!.get(0))).toBe(cstStart(2023));
    // HEAD, the footer's tail, one run of chunks.
    expect(r.stats.requests).toBe(3);
    expect(server.stats.bytes).toBe(r.stats.bytes);
    expect(r.stats.bytes).toBeLessThanOrEqual(fileSize('city=jinan/year=2023'));
    expect(r.stats.bytes).toBeLessThan(store.bytes / 4);
    expect(server.stats.paths.every((p) => p === '/city=jinan/year=2023/part.parquet')).toBe(true);
  });

  it('fetches one row group for one month and only the columns asked for', async () => {
    const size = fileSize('city=qingdao/year=2024');
    const march = await readRemoteArrow(hive(server.url), [{ city: 'qingdao', year: 2024 }], {
      time: { column: 'ts', from: cstStart(2024, 2), to: cstStart(2024, 3) },
    });
    expect(march.rowGroups).toEqual({ read: 1, total: 12 });
    expect(march.rows).toBe(31 * 24);
    const ts = Array.from(march.table.getChild('ts')!.toArray() as BigInt64Array, Number);
    expect(Math.min(...ts)).toBe(cstStart(2024, 2));
    expect(Math.max(...ts)).toBe(cstStart(2024, 3) - 3600_000);
    expect(march.stats.bytes).toBeLessThan(size / 3);

    const two = await readRemoteArrow(hive(server.url), [{ city: 'qingdao', year: 2024 }], { columns: ['ts', 'aqi'], tailBytes: 4096 });
    expect(two.table.schema.fields.map((f) => f.name)).toEqual(['ts', 'aqi']);
    expect(Array.from(two.table.getChild('aqi')!.toArray() as Int32Array)).toEqual((await local('city=qingdao/year=2024', ['aqi'])).map((x) => x.aqi));
    expect(two.stats.bytes).toBeLessThan(size / 2);
  });

  it('joins several years into one file, in order, and totals bytes across reads', async () => {
    const stats = newStats();
    const r = await readRemoteParquet(hive(server.url), [{ city: 'city-005', year: 2023 }, { city: 'city-005', year: 2024 }], { stats });
    const t = await parquetToArrow(r.bytes);
    expect(t.numRows).toBe(8760 + 8784);
    expect(r.partitions).toEqual(['city=city-005/year=2023', 'city=city-005/year=2024']);
    const ts = t.getChild('ts')!.toArray() as BigInt64Array;
    expect(Number(ts[0])).toBe(cstStart(2023));
    expect(Number(ts[ts.length - 1])).toBe(cstStart(2025) - 3600_000);
    expect(stats.files).toBe(2);
    expect(stats.fileBytes).toBe(fileSize('city=city-005/year=2023') + fileSize('city=city-005/year=2024'));
    expect(stats.bytes).toBeLessThanOrEqual(stats.fileBytes);
  });

  it('falls back to the whole file when the server ignores Range, and says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const r = await readRemoteArrow(hive(noRange.url), [{ city: 'jinan', year: 2024 }], { time: { column: 'ts', from: cstStart(2024, 5), to: cstStart(2024, 6) } });
      expect(r.rows).toBe(30 * 24);
      expect(r.stats.fullDownloads).toBe(1);
      expect(r.stats.bytes).toBe(fileSize('city=jinan/year=2024'));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/range requests.*服务器不支持/);
    } finally {
      warn.mockRestore();
    }
  });

  it('learns the size from a ranged GET when HEAD is refused', async () => {
    const r = await readRemoteParquet(hive(noHead.url), [{ city: 'jinan', year: 2023 }], { columns: ['aqi'] });
    expect(r.rows).toBe(8760);
    expect(noHead.stats.kinds.HEAD).toBeGreaterThan(0);
  });

  it('names a missing partition, bad columns and network failures, in both languages', async () => {
    const err = await readRemoteParquet(hive(server.url), [{ city: 'jinan', year: 2023 }, { city: 'nowhere', year: 2023 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteParquetError);
    expect((err as RemoteParquetError).code).toBe('not-found');
    expect((err as RemoteParquetError).message).toContain('city=nowhere/year=2023');
    expect((err as RemoteParquetError).zh).toContain('存储中没有分区 city=nowhere/year=2023');

    const cols = await readRemoteParquet(hive(server.url), [{ city: 'jinan', year: 2023 }], { columns: ['pm1'] }).catch((e: unknown) => e);
    expect((cols as RemoteParquetError).code).toBe('bad-input');
    expect((cols as RemoteParquetError).message).toMatch(/no column pm1/);

    const failing: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const net = await readRemoteParquet(hive('https://elsewhere.example/air/'), [{ city: 'jinan', year: 2023 }], { fetch: failing }).catch((e: unknown) => e);
    expect((net as RemoteParquetError).code).toBe('network');
    expect((net as RemoteParquetError).message).toContain('CORS');
    expect((net as RemoteParquetError).zh).toContain('跨域');

    const notParquet = await readRemoteParquet({ url: `${server.url}notes.txt` }, [{}]).catch((e: unknown) => e);
    expect((notParquet as RemoteParquetError).code).toBe('not-parquet');
    expect((notParquet as RemoteParquetError).zh).toContain('不是可读的 Parquet 文件');
  });

  it('writes a footer back byte for byte', () => {
    const bytes = readFileSync(join(dir, 'city=jinan/year=2023/part.parquet'));
    const len = bytes.readUInt32LE(bytes.length - 8);
    const footer = new Uint8Array(bytes.subarray(bytes.length - 8 - len, bytes.length - 8));
    expect(writeFooter(readFooter(footer))).toEqual(footer);
  });
});
