/**
 * The Node implementation: DuckDB-WASM's blocking bindings (same wasm, same
 * SQL as the browser), for unit tests and scripts. Not for the browser bundle.
 *
 *   const engine = await createNodeEngine();
 *   await engine.loadParquet('air', fs.readFileSync('data/…/air.parquet'));
 *   const t = await engine.query('SELECT count(*) AS n FROM air WHERE pm25 > ?', [35]);
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import type { EngineOptions } from './types.ts';
import { createEngineCore, type CoreEngine, type EngineAdapter } from './core.ts';

type BlockingModule = typeof import('@duckdb/duckdb-wasm/blocking');

export type NodeEngine = CoreEngine;

/** Paths of the Node bundles inside node_modules/@duckdb/duckdb-wasm/dist. */
export function nodeBundlePaths(): { mvp: { mainModule: string; mainWorker: string }; eh: { mainModule: string; mainWorker: string } } {
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  return {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
}

/** Instantiate DuckDB-WASM in this Node process (about 1–2 s) and wrap it in the shared engine core. */
export async function createNodeEngine(opts: EngineOptions = {}): Promise<NodeEngine> {
  const require = createRequire(import.meta.url);
  const duckdb = require('@duckdb/duckdb-wasm/blocking') as BlockingModule;
  const db = await duckdb.createDuckDB(nodeBundlePaths(), new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  const asDouble = opts.numbersAsDouble ?? true;
  db.open({ query: { castBigIntToDouble: asDouble, castDecimalToDouble: asDouble } });
  const conn = db.connect();

  const adapter: EngineAdapter = {
    async run(sql: string): Promise<Table> {
      return conn.query(sql);
    },
    async runPrepared(sql, params) {
      const stmt = conn.prepare(sql);
      try {
        return stmt.query(...params);
      } finally {
        stmt.close();
      }
    },
    async insertArrowIPC(name, ipc) {
      conn.insertArrowFromIPCStream(ipc, { name, create: true });
    },
    async registerFileText(name, text) {
      db.registerFileText(name, text);
    },
    async dropFile(name) {
      db.dropFile(name);
    },
    async openConnection() {
      // Blocking bindings: a query runs to its end before anything else, so there is nothing to cancel.
      const c = db.connect();
      return {
        run: async (sql: string) => c.query(sql),
        close: async () => c.close(),
      };
    },
    async close() {
      conn.close();
      db.reset();
    },
  };
  return createEngineCore(adapter, { externalAccess: opts.externalAccess ?? false });
}
