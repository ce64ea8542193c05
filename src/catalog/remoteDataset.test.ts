/**
 * A catalog dataset with `remote` through the TableRegistry and the real Node
 * engine: the city's partition and the years asked for become a table, and
 * nothing else of the store crosses the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveRange, type RangeServer } from '../../scripts/bench/remoteServer';
import { writeAirStore, type StoreSummary } from '../../scripts/bench/remoteStoreData';
import { createNodeEngine, type NodeEngine } from '../engine/node';
import { remoteRequest, remoteYears, yearsShown } from './remoteDataset';
import { DataLoadError, TableRegistry } from './tables';
import type { CityDef, DatasetFile, RemoteSource } from './types';

const prov = { source: 'remoteDataset.test.ts', license: 'CC0-1.0', vintage: 2024, modelled: true, method: 'scripts/bench/remoteStoreData.ts' };
const remoteFile = (remote: RemoteSource, years?: [number, number]): DatasetFile => ({ path: remote.url, remote, format: 'parquet', crs: 'WGS84', ...(years ? { years } : {}), provenance: prov });
const cityWith = (id: string, file: DatasetFile): CityDef => ({ id, name: { zh: id, en: id }, bounds: [116, 36, 118, 37], center: [117, 36.6], zoom: 9, datasets: { air_hourly: file } });

describe('which part of a remote store a city needs', () => {
  const hive: RemoteSource = { url: 'https://x.org/air/', partitioning: 'hive', keys: ['city', 'year'], file: 'part.parquet' };
  it('defaults to the vintage year, keeps asked years inside the declared span', () => {
    expect(remoteYears(remoteFile(hive))).toEqual([2024]);
    expect(remoteYears(remoteFile(hive, [2019, 2023]))).toEqual([2023]);
    expect(remoteYears(remoteFile(hive, [2021, 2025]), [2025, 2021, 2025, 2030])).toEqual([2021, 2025]);
  });
  it('follows the years on screen: the clock, and the years a period touches', () => {
    expect(yearsShown({ time: '2024-03-01T08', period: null, step: 'hour' })).toEqual([2024]);
    expect(yearsShown({ time: '2024-01-02T08', period: ['2023-12-20', '2024-01-10'], step: 'day' })).toEqual([2023, 2024]);
    // The year step ignores the period (the clock spans years there); a garbled period adds nothing.
    expect(yearsShown({ time: '2022-12-31T23', period: ['2023-12-20', '2024-01-10'], step: 'year' })).toEqual([2022]);
    expect(yearsShown({ time: '2022-12-31T23', period: ['1000-01-01', '9999-01-01'], step: 'day' })).toEqual([2022]);
  });
  it('asks for one partition per year, or prunes one file by the time column', () => {
    const city = cityWith('jinan', remoteFile(hive));
    expect(remoteRequest(city, hive, [2023, 2024]).partitions).toEqual([{ city: 'jinan', year: 2023 }, { city: 'jinan', year: 2024 }]);
    const byCity: RemoteSource = { ...hive, keys: ['city'], timeColumn: 'time' };
    const r = remoteRequest(city, byCity, [2024]);
    expect(r.partitions).toEqual([{ city: 'jinan' }]);
    expect(r.time).toMatchObject({ column: 'time', from: Date.UTC(2023, 11, 31, 16), to: Date.UTC(2024, 11, 31, 16) });
  });
});

describe('TableRegistry loads a remote dataset', () => {
  let dir: string;
  let store: StoreSummary;
  let server: RangeServer;
  let engine: NodeEngine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-remote-registry-'));
    store = writeAirStore(dir, { cities: ['jinan', 'qingdao'], years: [2023, 2024], seed: 3 });
    server = await serveRange(dir);
    engine = await createNodeEngine();
  });

  afterAll(async () => {
    await engine?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hive = (): RemoteSource => ({ url: server.url, partitioning: 'hive', keys: ['city', 'year'], file: 'part.parquet' });

  it('loads the vintage year of the city only, then other years in its place', async () => {
    const registry = new TableRegistry(Promise.resolve(engine), () => 'unused', (...a) => fetch(...a));
    const city = cityWith('jinan', remoteFile(hive(), [2023, 2024]));
    server.reset();
    const name = await registry.ensure(city, 'air_hourly');
    const count = async () => (await engine.query(`SELECT count(*)::INT AS n, min(year(ts + INTERVAL 8 HOUR))::INT AS y0, max(year(ts + INTERVAL 8 HOUR))::INT AS y1 FROM ${name}`)).get(0)!.toJSON();
    expect(await count()).toEqual({ n: 8784, y0: 2024, y1: 2024 });
    expect(new Set(server.stats.paths)).toEqual(new Set(['/city=jinan/year=2024/part.parquet']));
    expect(server.stats.bytes).toBeLessThanOrEqual(store.fileBytes.get('city=jinan/year=2024')!);
    expect(server.stats.bytes).toBeLessThan(store.bytes / 3);
    const described = await engine.describe(name);
    expect(described.columns.map((c) => c.name)).toEqual(['ts', 'pm25', 'pm10', 'no2', 'so2', 'co', 'o3', 'aqi']);

    // The same years again: no request at all.
    server.reset();
    await registry.ensure(city, 'air_hourly', { years: [2024] });
    expect(server.stats.requests).toBe(0);

    await registry.ensure(city, 'air_hourly', { years: [2023, 2024] });
    expect(await count()).toEqual({ n: 8760 + 8784, y0: 2023, y1: 2024 });
    expect(server.stats.paths.some((p) => p.includes('qingdao'))).toBe(false);
  });

  it('follows the app’s years when not told, keys layers by them, and says when a table was loaded again', async () => {
    const registry = new TableRegistry(Promise.resolve(engine), () => 'unused', (...a) => fetch(...a));
    const city = cityWith('qingdao', remoteFile(hive(), [2023, 2024]));
    let shown = [2023];
    registry.followYears(() => shown);
    const loaded: string[] = [];
    registry.onRemoteLoaded((c, ds) => loaded.push(`${c}/${ds}`));
    expect(registry.remoteKey(city, ['air_hourly', 'districts'])).toBe('air_hourly@2023');
    server.reset();
    const name = await registry.ensure(city, 'air_hourly');
    const years = async () => (await engine.query(`SELECT DISTINCT year(ts + INTERVAL 8 HOUR)::INT AS y FROM ${name} ORDER BY y`)).toArray().map((r) => r.y);
    expect(await years()).toEqual([2023]);
    expect(new Set(server.stats.paths)).toEqual(new Set(['/city=qingdao/year=2023/part.parquet']));
    expect(loaded).toEqual(['qingdao/air_hourly']);
    // The clock moves into 2024: the key changes, the next ensure loads 2024 in place and says so.
    shown = [2024];
    expect(registry.remoteKey(city, ['air_hourly'])).toBe('air_hourly@2024');
    await registry.ensure(city, 'air_hourly');
    expect(await years()).toEqual([2024]);
    expect(loaded).toEqual(['qingdao/air_hourly', 'qingdao/air_hourly']);
    // A year outside the store falls back to nothing loaded rather than another year: the key says so.
    shown = [2030];
    expect(registry.remoteKey(city, ['air_hourly'])).toBe('air_hourly@');
    // Local datasets never take part.
    expect(registry.remoteKey({ ...city, datasets: { parks: { ...remoteFile(hive()), remote: undefined } } }, ['parks'])).toBe('');
  });

  it('fails with a message in both languages for a missing partition or years outside the store', async () => {
    const registry = new TableRegistry(Promise.resolve(engine), () => 'unused', (...a) => fetch(...a));
    const missing = cityWith('weifang', remoteFile(hive()));
    const err = await registry.ensure(missing, 'air_hourly').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as DataLoadError).message).toContain('city=weifang/year=2024');
    expect((err as DataLoadError).zh).toContain('存储中没有分区');

    const outside = cityWith('jinan', remoteFile(hive(), [2023, 2024]));
    const none = await registry.ensure(outside, 'air_hourly', { years: [2030] }).catch((e: unknown) => e);
    expect((none as DataLoadError).zh).toContain('都不在该存储中');
    // A failed load is forgotten: the next ensure tries again and succeeds.
    expect(await registry.ensure(outside, 'air_hourly', { years: [2023] })).toBe('jinan__air_hourly');
  });
});
