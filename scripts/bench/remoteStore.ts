/**
 * Remote Parquet: what one city's data costs to read from a store of many
 * cities and years. Generates a modelled store (./remoteStoreData.ts: 100
 * cities × 5 years of hourly city air quality, hive city/year, monthly row
 * groups) into a temporary directory, serves it with a local HTTP server that
 * honours Range and counts bytes (./remoteServer.ts), and reads it in Node
 * through the app's own reader (src/engine/remoteParquet.ts) — one city-year,
 * one city-month, one city-year of two columns — against the baseline of
 * downloading the same city-year file whole, both decoded to Arrow, in the
 * same run. The store is deleted afterwards (REMOTE_STORE_KEEP=1 keeps it).
 *
 *   npm run bench:remote     (also the last part of npm run bench)
 *   REMOTE_STORE_CITIES=20 npx tsx scripts/bench/remoteStore.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetToArrow } from '../../src/engine/parquetToArrow';
import { readRemoteArrow, type RemoteReadOptions } from '../../src/engine/remoteParquet';
import type { RemoteSource } from '../../src/catalog/types';
import { serveRange } from './remoteServer';
import { cityIds, cstStart, writeAirStore } from './remoteStoreData';

const CITIES = Number(process.env.REMOTE_STORE_CITIES ?? 100);
const YEARS = [2021, 2022, 2023, 2024, 2025];
const SEED = 20251128;
const RUNS = 7;
const CITY = 'jinan';
const YEAR = 2023;

interface Measured {
  label: string;
  bytes: number;
  requests: number;
  ms: number;
  rows: number;
  rowGroups: string;
}

export interface RemoteStoreBench {
  cities: number;
  years: number[];
  files: number;
  storeBytes: number;
  storeRows: number;
  generateMs: number;
  fileBytes: number;
  queries: Measured[];
  baseline: Measured;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchRemoteStore(): Promise<RemoteStoreBench> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-remote-store-'));
  try {
    const t0 = performance.now();
    const store = writeAirStore(dir, { cities: cityIds(CITIES), years: YEARS, seed: SEED });
    const generateMs = performance.now() - t0;
    const server = await serveRange(dir);
    const hive: RemoteSource = { url: server.url, partitioning: 'hive', keys: ['city', 'year'], file: 'part.parquet' };
    const part = `city=${CITY}/year=${YEAR}`;
    try {
      const hours = (a: number, b: number) => (b - a) / 3600_000;
      const yearRows = hours(cstStart(YEAR), cstStart(YEAR + 1));
      const specs: { label: string; opts: RemoteReadOptions; rows: number }[] = [
        { label: `one city-year (${CITY} ${YEAR}, all 8 columns)`, opts: {}, rows: yearRows },
        { label: `one city-month (${CITY} ${YEAR}-03, all 8 columns)`, opts: { time: { column: 'ts', from: cstStart(YEAR, 2), to: cstStart(YEAR, 3) } }, rows: hours(cstStart(YEAR, 2), cstStart(YEAR, 3)) },
        { label: 'one city-year, 2 columns (ts, aqi)', opts: { columns: ['ts', 'aqi'] }, rows: yearRows },
      ];
      const remote = async ({ label, opts, rows }: (typeof specs)[number]): Promise<Measured> => {
        server.reset();
        const t = performance.now();
        const r = await readRemoteArrow(hive, [{ city: CITY, year: YEAR }], opts);
        const ms = performance.now() - t;
        if (r.table.numRows !== rows) throw new Error(`${label}: ${r.table.numRows} rows, expected ${rows}`);
        if (server.stats.bytes !== r.stats.bytes) throw new Error(`${label}: reader counted ${r.stats.bytes} bytes, server sent ${server.stats.bytes}`);
        return { label, bytes: r.stats.bytes, requests: r.stats.requests, ms, rows, rowGroups: `${r.rowGroups.read}/${r.rowGroups.total}` };
      };
      const whole = async (): Promise<Measured> => {
        server.reset();
        const t = performance.now();
        const body = new Uint8Array(await (await fetch(`${server.url}${part}/part.parquet`)).arrayBuffer());
        const table = await parquetToArrow(body);
        const ms = performance.now() - t;
        if (table.numRows !== yearRows) throw new Error('baseline decoded the wrong number of rows');
        return { label: 'whole-file GET', bytes: server.stats.bytes, requests: 1, ms, rows: yearRows, rowGroups: '12/12' };
      };
      // One round to warm up, then rounds that interleave each query with the baseline, so machine noise hits both alike.
      const samples = specs.map(() => [] as Measured[]);
      const base: Measured[] = [];
      for (let i = 0; i <= RUNS; i++) {
        for (const [k, spec] of specs.entries()) {
          const q = await remote(spec);
          const b = await whole();
          if (i > 0) {
            samples[k]!.push(q);
            base.push(b);
          }
        }
      }
      const summarise = (xs: Measured[]): Measured => ({ ...xs[0]!, ms: median(xs.map((x) => x.ms)) });
      const queries = samples.map(summarise);
      const baseline = summarise(base);
      return {
        cities: CITIES,
        years: YEARS,
        files: store.files,
        storeBytes: store.bytes,
        storeRows: store.rows,
        generateMs,
        fileBytes: store.fileBytes.get(part)!,
        queries,
        baseline,
      };
    } finally {
      await server.close();
    }
  } finally {
    if (process.env.REMOTE_STORE_KEEP) console.log(`store kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(3)} % (1/${Math.round(whole / part)})`;
const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(7)} KB`;

export function printRemoteStore(r: RemoteStoreBench): void {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(`\nRemote Parquet over HTTP range requests (src/engine/remoteParquet.ts, in Node), median of ${RUNS} rounds after a warm-up, each query interleaved with the baseline`);
  console.log(
    `  store: ${r.cities} modelled cities × ${r.years.length} years (${r.years[0]}–${r.years.at(-1)}) of hourly city air quality, hive city=/year=, ` +
      `row groups by month: ${r.files} files, ${mb(r.storeBytes)}, ${r.storeRows.toLocaleString('en')} rows (generated in ${(r.generateMs / 1000).toFixed(1)} s); ` +
      `served locally with Range`,
  );
  const b = r.baseline;
  for (const q of r.queries) {
    console.log(
      `  ${q.label.padEnd(46)} row groups ${q.rowGroups.padStart(5)}   fetched ${kb(q.bytes)} in ${q.requests} requests ${q.ms.toFixed(1).padStart(6)} ms   ` +
        `bytes/store ${share(q.bytes, r.storeBytes)}   ratio to baseline: bytes ${(q.bytes / b.bytes).toFixed(2)}×  time ${(q.ms / b.ms).toFixed(2)}×`,
    );
  }
  console.log(
    `  ${`baseline: the same city-year file, whole GET`.padEnd(46)} row groups ${b.rowGroups.padStart(5)}   fetched ${kb(b.bytes)} in 1 request  ${b.ms.toFixed(1).padStart(6)} ms   ` +
      `bytes/store ${share(b.bytes, r.storeBytes)}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) printRemoteStore(await benchRemoteStore());
