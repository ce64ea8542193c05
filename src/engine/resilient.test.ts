/**
 * The restart wrapper (./resilient.ts) over real DuckDB-WASM (Node engines)
 * that are made mortal: an engine can be killed (as a terminated worker: every
 * call in flight rejects, `whenDead` resolves), can die when it runs a marked
 * query, can stop answering pings, or can fail with a wasm trap. Journal
 * replay with the real TableRegistry and the real CNEMC import, exactly one
 * retry, calls queued during a restart, cancel, the watchdog, giving up.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { createNodeEngine } from './node.ts';
import {
  EngineUnavailableError,
  QueryCancelledError,
  createResilientEngine,
  isFatalEngineError,
  type EngineEvent,
  type ResilientEngine,
  type ResilientEngineOptions,
  type RestartableEngine,
} from './resilient.ts';
import { TableRegistry } from '../catalog/tables.ts';
import type { CityDef, DatasetFile } from '../catalog/types.ts';
import { AIR_IMPORT_JOURNAL_KEY, IMPORTED_HOURLY_TABLE, IMPORTED_STATIONS_TABLE, clearImportedAir, importAirFiles } from '../import/airImport.ts';

interface MortalOptions {
  /** A query whose SQL contains this never finishes on this engine… */
  hangOn?: string;
  /** …and kills the engine when it starts (as a worker crashing mid-query). */
  dieOnHang?: boolean;
  /** Pings are never answered. */
  deaf?: boolean;
  /** A query whose SQL contains this fails once with a wasm trap. */
  trapOn?: string;
  /** DuckDB's own cancel does nothing (the wrapper must restart the worker). */
  deafToCancel?: boolean;
}

type Mortal = RestartableEngine & { kill(reason?: string): void; attempts: string[]; id: number; killed: boolean };

let nextId = 0;

/** A Node engine that can die like the browser one: calls in flight reject, `whenDead` resolves, `failure()` tells. */
async function mortal(o: MortalOptions = {}): Promise<Mortal> {
  const inner = await createNodeEngine();
  let fatal: Error | null = null;
  let resolveDeath: (e: Error) => void = () => {};
  let rejectDead: (e: Error) => void = () => {};
  const whenDead = new Promise<Error>((r) => (resolveDeath = r));
  const dead = new Promise<never>((_, r) => (rejectDead = r));
  dead.catch(() => undefined);
  // One call at a time, as in DuckDB's worker: a call that hangs holds up the ones behind it.
  let tail: Promise<unknown> = Promise.resolve();
  const guard = <T>(p: Promise<T> | (() => Promise<T>)): Promise<T> => {
    if (fatal) return Promise.reject(fatal);
    const run = typeof p === 'function' ? p : () => p;
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return Promise.race([next, dead]);
  };
  let cancelHang: ((e: Error) => void) | null = null;
  let trapped = false;
  const self: Mortal = {
    id: ++nextId,
    attempts: [],
    killed: false,
    kill(reason = 'the worker was terminated') {
      if (fatal) return;
      fatal = new Error(reason);
      self.killed = true;
      rejectDead(fatal);
      resolveDeath(fatal);
    },
    whenDead,
    failure: () => fatal,
    ping: () => (o.deaf ? new Promise<void>(() => {}) : guard(Promise.resolve())),
    terminate: async () => {
      self.kill('terminated by the wrapper');
      await inner.close().catch(() => undefined);
    },
    loadParquet: (t, b) => guard(() => inner.loadParquet(t, b)),
    loadGeoJSON: (t, s) => guard(() => inner.loadGeoJSON(t, s)),
    loadCSV: (t, s, x) => guard(() => inner.loadCSV(t, s, x)),
    query(sql, params) {
      self.attempts.push(sql);
      if (o.trapOn && sql.includes(o.trapOn) && !trapped) {
        trapped = true;
        return Promise.reject(new Error('RuntimeError: memory access out of bounds'));
      }
      if (o.hangOn && sql.includes(o.hangOn)) {
        if (o.dieOnHang) setTimeout(() => self.kill('the worker crashed mid-query'), 20);
        return guard(() => new Promise<Table>(() => {}));
      }
      return guard(() => inner.query(sql, params));
    },
    queryCancellable(sql) {
      self.attempts.push(sql);
      if (o.hangOn && sql.includes(o.hangOn)) {
        return guard(() => new Promise<Table>((_, reject) => (cancelHang = reject)));
      }
      return guard(() => inner.queryCancellable(sql));
    },
    readOnlyQuery(sql, opts) {
      self.attempts.push(sql);
      if (o.hangOn && sql.includes(o.hangOn)) {
        // Like DuckDB's own cancel: the abort interrupts the query, unless the engine is deaf to it.
        return guard(() => new Promise<never>((_, reject) => {
          cancelHang = reject;
          if (!o.deafToCancel) opts?.signal?.addEventListener('abort', () => reject(new Error('INTERRUPT Error: Interrupted!')));
        }));
      }
      return guard(() => inner.readOnlyQuery(sql, opts));
    },
    async cancel() {
      if (o.deafToCancel) return false;
      if (!cancelHang) return false;
      cancelHang(new Error('INTERRUPT Error: Interrupted!'));
      cancelHang = null;
      return true;
    },
    tables: () => guard(() => inner.tables()),
    describe: (t) => guard(() => inner.describe(t)),
    dropTable: (t) => guard(() => inner.dropTable(t)),
    close: async () => {
      self.kill('engine is closed');
      await inner.close();
    },
  };
  return self;
}

/** A wrapper whose n-th engine (1-based) gets `plan[n]`. */
async function setup(plan: Record<number, MortalOptions> = {}, extra: Partial<ResilientEngineOptions<Mortal>> = {}) {
  const engines: Mortal[] = [];
  const events: EngineEvent[] = [];
  const engine = await createResilientEngine<Mortal>({
    create: async () => {
      const e = await mortal(plan[engines.length + 1] ?? {});
      engines.push(e);
      return e;
    },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  opened.push(engine);
  return { engine, engines, events };
}

const opened: ResilientEngine<Mortal>[] = [];
afterEach(async () => {
  for (const e of opened.splice(0)) await e.close().catch(() => undefined);
});

const n = async (engine: ResilientEngine<Mortal>, sql: string) => Number((await engine.query(sql)).get(0)?.n);

describe('restart after the worker died', () => {
  it('replays the journal in order on a fresh engine and retries the pending query there', async () => {
    const { engine, engines, events } = await setup({ 1: { hangOn: '/*slow*/' } });
    await engine.loadCSV('t', 'x\n1\n2\n3\n');
    engine.journal.record('catalog:t', (fresh) => fresh.loadCSV('t', 'x\n1\n2\n3\n').then(() => undefined));
    await engine.query('CREATE TABLE u AS SELECT 10 AS y');
    // u depends on nothing recorded: it is rebuilt only because its own step is recorded after t's.
    engine.journal.record('import:u', async (fresh) => {
      await fresh.query('CREATE TABLE u AS SELECT sum(x) * 10 AS y FROM t'); // needs t: order matters
    });
    expect(engine.journal.keys()).toEqual(['catalog:t', 'import:u']);

    const pending = engine.query('SELECT count(*)::DOUBLE AS n FROM t /*slow*/');
    await new Promise((r) => setTimeout(r, 30));
    expect(engine.activity().runningKind).toBe('query');
    engines[0]!.kill();
    const t = await pending;
    expect(Number(t.get(0)?.n)).toBe(3);
    expect(engines).toHaveLength(2);
    expect(engines[1]!.attempts.filter((s) => s.includes('/*slow*/'))).toHaveLength(1);
    expect(await n(engine, 'SELECT y::DOUBLE AS n FROM u')).toBe(60);
    expect(events.map((e) => e.kind)).toEqual(['stopped', 'restarted']);
    const done = events[1] as Extract<EngineEvent, { kind: 'restarted' }>;
    expect(done.cause).toBe('died');
    expect(done.rebuilt).toEqual(['catalog:t', 'import:u']);
    expect(done.failed).toEqual([]);
    expect(done.ms).toBeGreaterThanOrEqual(0);
    expect(engine.restarts()).toBe(1);
    expect(engine.current()).toBe(engines[1]);
  });

  it('restarts as soon as the worker dies, with nothing pending, and calls made meanwhile wait for it', async () => {
    const { engine, engines, events } = await setup();
    await engine.loadCSV('t', 'x\n1\n2\n');
    engine.journal.record('catalog:t', (fresh) => fresh.loadCSV('t', 'x\n1\n2\n').then(() => undefined));
    engines[0]!.kill();
    await new Promise((r) => setTimeout(r, 0));
    expect(events.map((e) => e.kind)).toEqual(['stopped']);
    expect(engine.activity().restarting).toBe(true);
    const results = await Promise.all([
      n(engine, 'SELECT count(*)::DOUBLE AS n FROM t'),
      n(engine, 'SELECT sum(x)::DOUBLE AS n FROM t'),
      engine.tables(),
    ]);
    expect(results).toEqual([2, 3, ['t']]);
    expect(engines).toHaveLength(2);
    expect(events.map((e) => e.kind)).toEqual(['stopped', 'restarted']);
    expect(engine.activity()).toMatchObject({ pending: 0, restarting: false, runningSince: null });
  });

  it('retries exactly once: a query that kills the engine twice fails with a clear error, and the next query works', async () => {
    const { engine, engines } = await setup({ 1: { hangOn: '/*boom*/', dieOnHang: true }, 2: { hangOn: '/*boom*/', dieOnHang: true } });
    const err = await engine.query('SELECT 1 /*boom*/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect((err as Error).message).toMatch(/stopped again while this was retried.*not retried a second time/);
    expect(engines[0]!.attempts.filter((s) => s.includes('/*boom*/'))).toHaveLength(1);
    expect(engines[1]!.attempts.filter((s) => s.includes('/*boom*/'))).toHaveLength(1);
    expect(await n(engine, 'SELECT 42::DOUBLE AS n')).toBe(42);
    expect(engines).toHaveLength(3);
  });

  it('never retries an ordinary SQL error, and never restarts for one', async () => {
    const { engine, engines, events } = await setup();
    await expect(engine.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    expect(engines).toHaveLength(1);
    expect(engines[0]!.attempts).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('treats a wasm trap as a dead database: restarts and retries', async () => {
    const { engine, engines, events } = await setup({ 1: { trapOn: '/*trap*/' } });
    expect(await n(engine, 'SELECT 7::DOUBLE AS n /*trap*/')).toBe(7);
    expect(engines).toHaveLength(2);
    expect(engines[0]!.killed).toBe(true);
    expect(events[0]).toMatchObject({ kind: 'stopped', cause: 'died' });
    expect(isFatalEngineError(new Error('Binder Error: column "unreachable" not found'))).toBe(false);
    expect(isFatalEngineError(new Error('unreachable'))).toBe(true);
    expect(isFatalEngineError(new Error('Out of Memory Error: could not allocate block of size 256 KiB'))).toBe(false);
    expect(isFatalEngineError(new Error('x', { cause: new Error('FATAL Error: database has been invalidated because of a previous fatal error') }))).toBe(true);
  });

  it('restarts a worker that stops answering pings while a query runs', async () => {
    const { engine, engines, events } = await setup({ 1: { hangOn: '/*stuck*/', deaf: true } }, { pingAfterMs: 40, unresponsiveMs: 150 });
    const t0 = Date.now();
    expect(await n(engine, 'SELECT 5::DOUBLE AS n /*stuck*/')).toBe(5);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(engines).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'stopped', cause: 'unresponsive' });
    expect((events[0] as { reason: string }).reason).toMatch(/did not answer/);
  });

  it('a failing journal step is reported, the restart completes, and forget() drops steps by key prefix', async () => {
    const { engine, engines, events } = await setup();
    engine.journal.record('catalog:a', (fresh) => fresh.query('CREATE TABLE a AS SELECT 1 AS v').then(() => undefined));
    engine.journal.record('air-import:1', async () => {
      throw new Error('file gone');
    });
    engine.journal.record('air-import:2', (fresh) => fresh.query('CREATE TABLE b AS SELECT 2 AS v').then(() => undefined));
    engine.journal.record('air-imports-other', (fresh) => fresh.query('CREATE TABLE c AS SELECT 3 AS v').then(() => undefined));
    engines[0]!.kill();
    expect(await engine.tables()).toEqual(['a', 'b', 'c']);
    const done = events[1] as Extract<EngineEvent, { kind: 'restarted' }>;
    expect(done.failed).toEqual([{ key: 'air-import:1', error: 'file gone' }]);
    expect(done.rebuilt).toEqual(['catalog:a', 'air-import:2', 'air-imports-other']);
    engine.journal.forget('air-import');
    expect(engine.journal.keys()).toEqual(['catalog:a', 'air-imports-other']);
    // Recording under an existing key replaces the step and moves it last.
    engine.journal.record('catalog:a', (fresh) => fresh.query('CREATE TABLE a AS SELECT 9 AS v').then(() => undefined));
    expect(engine.journal.keys()).toEqual(['air-imports-other', 'catalog:a']);
    engines[1]!.kill();
    expect(await n(engine, 'SELECT v::DOUBLE AS n FROM a')).toBe(9);
  });

  it('gives up after too many restarts in the window: every call then fails and says to reload', async () => {
    const { engine, engines, events } = await setup({}, { maxRestarts: 2, restartWindowMs: 60_000 });
    for (let i = 0; i < 2; i++) {
      engines[i]!.kill();
      expect(await n(engine, 'SELECT 1::DOUBLE AS n')).toBe(1);
    }
    engines[2]!.kill();
    await expect(engine.query('SELECT 1')).rejects.toThrow(/stopped 3 times.*reload the page/);
    await expect(engine.tables()).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(events.at(-1)).toMatchObject({ kind: 'restart-failed', gaveUp: true });
    expect(engines).toHaveLength(3);
  });
});

describe('cancel', () => {
  it('stops a plain query by restarting the worker; the query queued behind it still runs', async () => {
    const { engine, engines, events } = await setup({ 1: { hangOn: '/*long*/' } });
    await engine.loadCSV('t', 'x\n1\n');
    engine.journal.record('catalog:t', (fresh) => fresh.loadCSV('t', 'x\n1\n').then(() => undefined));
    const long = engine.query('SELECT 1 /*long*/').catch((e: unknown) => e);
    const behind = engine.query('SELECT count(*)::DOUBLE AS n FROM t');
    await new Promise((r) => setTimeout(r, 20));
    expect(await engine.cancel()).toBe(true);
    expect(await long).toBeInstanceOf(QueryCancelledError);
    expect(Number((await behind).get(0)?.n)).toBe(1);
    expect(engines).toHaveLength(2);
    // The cancelled query was not retried.
    expect(engines[1]!.attempts.filter((s) => s.includes('/*long*/'))).toHaveLength(0);
    expect(events.map((e) => [e.kind, 'cause' in e ? e.cause : null])).toEqual([
      ['stopped', 'cancel'],
      ['restarted', 'cancel'],
    ]);
  });

  it('stops a cancellable query with DuckDB’s own cancel, without a restart', async () => {
    const { engine, engines, events } = await setup({ 1: { hangOn: '/*long*/' } });
    const long = engine.queryCancellable('SELECT 1 /*long*/').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    expect(await engine.cancel()).toBe(true);
    const err = await long;
    expect(err).toBeInstanceOf(QueryCancelledError);
    expect(engines).toHaveLength(1);
    expect(events).toEqual([]);
    expect(await n(engine, 'SELECT 3::DOUBLE AS n')).toBe(3);
  });

  it('a read-only console query is cancelled by its own signal, without a restart; a refused one never reaches DuckDB', async () => {
    const { engine, engines, events } = await setup({ 1: { hangOn: '/*long*/' } });
    const ac = new AbortController();
    const long = engine.readOnlyQuery('SELECT 1 /*long*/', { signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    expect(await long).toBeInstanceOf(QueryCancelledError);
    expect(engines).toHaveLength(1);
    expect(events).toEqual([]);
    const r = await engine.readOnlyQuery('SELECT 42 AS n');
    expect(r.table.get(0)?.toJSON()).toEqual({ n: 42 });
    await expect(engine.readOnlyQuery('DROP TABLE t')).rejects.toMatchObject({ name: 'ReadOnlyRefusal', code: 'modify' });
    expect(engines[0]!.attempts.filter((s) => s.includes('/*long*/'))).toHaveLength(1);
  });

  it('restarts the worker when DuckDB does not stop a cancelled console query', async () => {
    const { engine, engines, events } = await setup({ 1: { hangOn: '/*long*/', deafToCancel: true } }, { cancelGraceMs: 50 });
    const ac = new AbortController();
    const long = engine.readOnlyQuery('SELECT 1 /*long*/', { signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    expect(await long).toBeInstanceOf(QueryCancelledError);
    await expect.poll(() => engines.length).toBe(2);
    expect(events.map((e) => e.kind)).toContain('stopped');
    expect((await engine.readOnlyQuery('SELECT 7 AS n')).table.get(0)?.toJSON()).toEqual({ n: 7 });
  });

  it('has nothing to cancel when nothing runs', async () => {
    const { engine } = await setup();
    expect(await engine.cancel()).toBe(false);
  });

  it('reports activity: what runs, since when, and the restart', async () => {
    const { engine, engines } = await setup({ 1: { hangOn: '/*long*/' } });
    const seen: string[] = [];
    const off = engine.onActivity(() => {
      const a = engine.activity();
      seen.push(a.restarting ? 'restarting' : a.runningKind ?? 'idle');
    });
    expect(engine.activity()).toEqual({ pending: 0, runningSince: null, runningKind: null, restarting: false, cancelling: false });
    const long = engine.query('SELECT 1 /*long*/');
    await new Promise((r) => setTimeout(r, 20));
    const a = engine.activity();
    expect(a.pending).toBe(1);
    expect(a.runningKind).toBe('query');
    expect(a.runningSince).not.toBeNull();
    engines[0]!.kill();
    await long;
    off();
    expect(seen).toContain('query');
    expect(seen).toContain('restarting');
    expect(seen.at(-1)).toBe('idle');
  });
});

describe('the tables the app had come back', () => {
  const file = (path: string): DatasetFile => ({
    path,
    format: 'geojson',
    crs: 'WGS84',
    provenance: { source: 'resilient.test.ts', license: 'MIT', vintage: 2025, modelled: true, method: 'hand-written test data' },
  });
  const city = {
    id: 'rtest',
    datasets: { parks: file('rtest/parks.geojson') },
  } as unknown as CityDef;
  const PARKS = JSON.stringify({
    type: 'FeatureCollection',
    features: [1, 2, 3].map((i) => ({ type: 'Feature', properties: { name: `公园${i}` }, geometry: { type: 'Point', coordinates: [117 + i / 100, 36.6] } })),
  });

  it('catalog tables are fetched and loaded again; one that cannot be is reported and loaded on the next ensure', async () => {
    const { engine, engines, events } = await setup();
    let online = true;
    const fetched: string[] = [];
    const fetchImpl = (async (url: RequestInfo | URL) => {
      fetched.push(String(url));
      if (!online) throw new Error('offline');
      return new Response(PARKS);
    }) as typeof fetch;
    const registry = new TableRegistry(Promise.resolve(engine), (p) => `/data/${p}`, fetchImpl);
    const name = await registry.ensure(city, 'parks');
    expect(engine.journal.keys()).toEqual([`catalog:${name}`]);
    engines[0]!.kill();
    expect(await n(engine, `SELECT count(*)::DOUBLE AS n FROM ${name}`)).toBe(3);
    expect(fetched).toEqual(['/data/rtest/parks.geojson', '/data/rtest/parks.geojson']);

    online = false;
    engines[1]!.kill();
    await expect(engine.query(`SELECT count(*) FROM ${name}`)).rejects.toThrow(/rtest__parks/);
    const done = events.at(-1) as Extract<EngineEvent, { kind: 'restarted' }>;
    expect(done.failed).toEqual([{ key: `catalog:${name}`, error: 'could not fetch rtest/parks.geojson: offline' }]);
    online = true;
    await registry.ensure(city, 'parks');
    expect(await n(engine, `SELECT count(*)::DOUBLE AS n FROM ${name}`)).toBe(3);
  });

  it('imported CNEMC files are imported again (same rows), and cleared imports stay cleared', async () => {
    const fixture = (f: string) => new Uint8Array(readFileSync(new URL(`../../tests/fixtures/cnemc/${f}`, import.meta.url)));
    const { engine, engines } = await setup();
    const outcome = await importAirFiles(engine, [
      { name: 'stations.gbk.csv', bytes: fixture('stations.gbk.csv') },
      { name: 'junk.csv', bytes: new Uint8Array([0, 1, 2, 255]) },
      { name: 'hourly.gbk.csv', bytes: fixture('hourly-2022-01-01T01.gbk.csv') },
    ]);
    expect(outcome.files.map((f) => f.ok)).toEqual([true, false, true]);
    expect(engine.journal.keys()).toEqual([`${AIR_IMPORT_JOURNAL_KEY}:${engine.journal.keys()[0]!.split(':')[1]}`]);
    const snapshot = async () => ({
      stations: (await engine.query(`SELECT * FROM ${IMPORTED_STATIONS_TABLE} ORDER BY id`)).toArray().map((r) => JSON.stringify(r)),
      hourly: (await engine.query(`SELECT * FROM ${IMPORTED_HOURLY_TABLE} ORDER BY station_id, ts`)).toArray().map((r) => JSON.stringify(r)),
    });
    const before = await snapshot();
    expect(before.stations.length).toBeGreaterThan(0);
    expect(before.hourly.length).toBeGreaterThan(0);
    engines[0]!.kill();
    expect(await snapshot()).toEqual(before);
    expect((await engine.tables()).filter((t) => t.startsWith('user__cnemc_work'))).toEqual([]);

    await clearImportedAir(engine);
    expect(engine.journal.keys()).toEqual([]);
    engines[1]!.kill();
    expect((await engine.tables()).filter((t) => t.startsWith('user__'))).toEqual([]);
  });
});
