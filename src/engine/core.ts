/**
 * The engine logic both implementations share: loading (Parquet, GeoJSON,
 * CSV) with atomic replace, queries with bound parameters, table listing.
 * An implementation only supplies an {@link EngineAdapter}: the handful of
 * DuckDB-WASM calls that differ between the blocking Node bindings and the
 * async worker bindings.
 */
import { tableToIPC, type Table } from 'apache-arrow';
import type { Engine, EngineExtras, ReadOnlyResult, TableInfo } from './types.ts';
import { checkReadOnlySql, clampMaxRows, consoleError, runRolledBack, wrapReadOnly } from './readOnly.ts';
import { QueryCancelledError } from './resilient.ts';
import { INTERNAL_PREFIX, bindValue, checkTableName, cleanErrorMessage, engineError, quoteIdent } from './sql.ts';
import { parquetToArrow } from './parquetToArrow.ts';
import { geojsonToArrow } from './geojsonRows.ts';

export interface EngineAdapter {
  /** Run SQL text (one or more statements); the result of the last one. */
  run(sql: string): Promise<Table>;
  /** Prepare one statement, run it with these (already normalised) parameters, close it. */
  runPrepared(sql: string, params: (string | number | boolean | null)[]): Promise<Table>;
  /** Create table `name` from an Arrow IPC stream (fails if it exists). May take ownership of `ipc`. */
  insertArrowIPC(name: string, ipc: Uint8Array): Promise<void>;
  /** Register an in-memory file DuckDB can read by this name. */
  registerFileText(name: string, text: string): Promise<void>;
  dropFile(name: string): Promise<void>;
  /**
   * Decode a file to an Arrow IPC stream somewhere else (the browser uses a
   * worker so the page stays responsive). Optional: without it, decoding runs
   * inline with ./parquetToArrow.ts and ./geojsonRows.ts.
   */
  decodeToIPC?(input: DecodeInput): Promise<Uint8Array>;
  /** Run one statement so that {@link cancel} can interrupt it. Optional. */
  runCancellable?(sql: string): Promise<Table>;
  /** Cancel what runCancellable is running. Optional. */
  cancel?(): Promise<boolean>;
  /**
   * Another connection to the same database, for the SQL console: its
   * transactions (always rolled back) never touch this connection's state.
   * Optional: without it the console runs on this connection.
   */
  openConnection?(): Promise<AdapterConnection>;
  /** Disconnect and release the database. */
  close(): Promise<void>;
}

/** A second connection ({@link EngineAdapter.openConnection}). */
export interface AdapterConnection {
  run(sql: string): Promise<Table>;
  runCancellable?(sql: string): Promise<Table>;
  cancel?(): Promise<boolean>;
  close(): Promise<void>;
}

export type DecodeInput = { kind: 'parquet'; bytes: Uint8Array } | { kind: 'geojson'; text: string };

/** Decode a Parquet or GeoJSON input to an Arrow IPC stream (the same code runs in the browser's decode worker). */
export async function decodeToIPC(input: DecodeInput): Promise<Uint8Array> {
  const table = input.kind === 'parquet' ? await parquetToArrow(input.bytes) : geojsonToArrow(input.text);
  return tableToIPC(table, 'stream');
}

/** The only directory DuckDB may read once external access is off: where the engine registers its CSV files. */
export const ENGINE_FILE_DIR = `/${INTERNAL_PREFIX}files/`;

/**
 * Statements every engine runs first. Without the first two, Parquet/JSON/
 * spatial calls try to download extensions (and hang forever in Node).
 * They are not enough on their own: some functions (e.g. `timezone()`, which
 * lives in the ICU extension) still try to fetch their extension from
 * extensions.duckdb.org — an outside request in the browser, a hang in Node.
 * Switching external access off stops that (and ATTACH, http(s) paths,
 * arbitrary files) with a fast "Permission Error"; the engine's own CSV files
 * stay readable through allowed_directories.
 */
export const SETUP_STATEMENTS = [
  'SET autoload_known_extensions = false',
  'SET autoinstall_known_extensions = false',
] as const;
export const LOCKDOWN_STATEMENTS = [
  `SET allowed_directories = ['${ENGINE_FILE_DIR}']`,
  'SET enable_external_access = false',
] as const;

export interface CoreOptions {
  /**
   * Leave DuckDB's external access on (default false). Only for deployments
   * that serve DuckDB extensions themselves (SET custom_extension_repository);
   * with it on, some SQL can make requests outside the app's origin (and hang
   * in Node). It cannot be switched back on after startup.
   */
  externalAccess?: boolean;
}

export type CoreEngine = Engine & EngineExtras;

export async function createEngineCore(adapter: EngineAdapter, options: CoreOptions = {}): Promise<CoreEngine> {
  for (const stmt of SETUP_STATEMENTS) await adapter.run(stmt);
  if (!options.externalAccess) for (const stmt of LOCKDOWN_STATEMENTS) await adapter.run(stmt);

  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  let counter = 0;
  const uid = Math.random().toString(36).slice(2, 8);
  const tempName = (what: string) => `${INTERNAL_PREFIX}${what}_${uid}_${++counter}`;

  /** Run `fn` after everything queued before it: keeps multi-statement sequences (swap) uninterleaved. */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('engine is closed'));
    const p = tail.then(fn, fn);
    tail = p.catch(() => undefined);
    return p;
  }

  // The console's connection, opened on first use and dropped if a rollback ever fails.
  let consoleConn: Promise<AdapterConnection> | null = null;
  let consoleRunning = false;
  const mainAsConnection: AdapterConnection = {
    run: (q) => adapter.run(q),
    runCancellable: adapter.runCancellable && ((q) => adapter.runCancellable!(q)),
    cancel: adapter.cancel && (() => adapter.cancel!()),
    close: async () => {},
  };
  const openConsole = (): Promise<AdapterConnection> => {
    if (!consoleConn) {
      consoleConn = adapter.openConnection ? adapter.openConnection() : Promise.resolve(mainAsConnection);
      consoleConn.catch(() => (consoleConn = null));
    }
    return consoleConn;
  };

  async function runConsole(statement: string, maxRows: number, signal: AbortSignal | undefined): Promise<ReadOnlyResult> {
    const conn = await openConsole();
    const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
    consoleRunning = true;
    try {
      // One row over the limit tells whether the result was cut.
      const wrapped = wrapReadOnly(statement, maxRows + 1);
      const table = await runRolledBack(conn, () => (conn.runCancellable ? conn.runCancellable(wrapped) : conn.run(wrapped)));
      const truncated = table.numRows > maxRows;
      const ms = (typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0;
      return { table: truncated ? table.slice(0, maxRows) : table, truncated, maxRows, sql: statement, ms };
    } catch (err) {
      if ((err as { rollbackFailed?: boolean }).rollbackFailed) {
        consoleConn = null;
        if (conn !== mainAsConnection) await conn.close().catch(() => undefined);
      }
      if (signal?.aborted) throw Object.assign(new QueryCancelledError(), { cause: err });
      throw consoleError(err);
    } finally {
      consoleRunning = false;
    }
  }

  async function describeTable(table: string): Promise<TableInfo> {
    const cols = await adapter.runPrepared(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_name = ?
       ORDER BY ordinal_position`,
      [table],
    );
    const columns = cols.toArray().map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
    if (columns.length === 0) {
      // information_schema matches names exactly; fall back to DuckDB's case-insensitive lookup.
      const t = await adapter.run(`DESCRIBE ${quoteIdent(table)}`);
      columns.push(...t.toArray().map((r) => ({ name: String(r.column_name), type: String(r.column_type) })));
    }
    const count = await adapter.run(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(table)}`);
    const rows = Number(count.get(0)?.n ?? 0);
    return { name: table, rows, columns };
  }

  async function dropQuietly(table: string): Promise<void> {
    try {
      await adapter.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    } catch {
      // best effort
    }
  }

  /** Replace `table` by the fully loaded `tmp` in one transaction. */
  async function swapIn(tmp: string, table: string): Promise<void> {
    await adapter.run('BEGIN TRANSACTION');
    try {
      await adapter.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      await adapter.run(`ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(table)}`);
      await adapter.run('COMMIT');
    } catch (err) {
      try {
        await adapter.run('ROLLBACK');
      } catch {
        // no transaction left to roll back
      }
      throw err;
    }
  }

  /** Load into a temp table with `create`, then swap; on any failure the old table stays and the temp one goes. */
  async function loadVia(table: string, what: string, create: (tmp: string) => Promise<void>): Promise<TableInfo> {
    const tmp = tempName('load');
    try {
      await create(tmp);
      await swapIn(tmp, table);
    } catch (err) {
      await dropQuietly(tmp);
      throw engineError(`could not load ${what} into table ${JSON.stringify(table)}`, err);
    }
    return describeTable(table);
  }

  async function loadDecoded(table: string, what: string, input: DecodeInput): Promise<TableInfo> {
    checkTableName(table);
    let ipc: Uint8Array;
    try {
      ipc = adapter.decodeToIPC ? await adapter.decodeToIPC(input) : await decodeToIPC(input);
    } catch (err) {
      throw engineError(`could not load ${what} into table ${JSON.stringify(table)}`, err);
    }
    return exclusive(() => loadVia(table, what, (tmp) => adapter.insertArrowIPC(tmp, ipc)));
  }

  const engine: CoreEngine = {
    async loadParquet(table, bytes) {
      if (!(bytes instanceof Uint8Array)) throw new Error('loadParquet: bytes must be a Uint8Array');
      return loadDecoded(table, 'Parquet', { kind: 'parquet', bytes });
    },

    async loadGeoJSON(table, text) {
      if (typeof text !== 'string') throw new Error('loadGeoJSON: text must be a string');
      return loadDecoded(table, 'GeoJSON', { kind: 'geojson', text });
    },

    async loadCSV(table, text, opts = {}) {
      checkTableName(table);
      if (typeof text !== 'string') throw new Error('CSV input must be text');
      if (text.trim().length === 0) {
        throw new Error(`could not load CSV into table ${JSON.stringify(table)}: empty file`);
      }
      const { header, delimiter } = opts;
      if (delimiter !== undefined && (typeof delimiter !== 'string' || delimiter.length === 0)) {
        throw new Error('CSV delimiter must be a non-empty string');
      }
      return exclusive(async () => {
        const file = `${ENGINE_FILE_DIR}${tempName('csv')}.csv`;
        await adapter.registerFileText(file, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        try {
          // Only fixed SQL text here; the file name and every option are bound parameters.
          // skip = 0: otherwise DuckDB's sniffer may silently treat leading rows as junk and drop them.
          const args: string[] = ['?', 'skip = 0'];
          const params: (string | boolean)[] = [file];
          if (header !== undefined) {
            args.push('header = ?');
            params.push(Boolean(header));
          }
          if (delimiter !== undefined) {
            args.push('delim = ?');
            params.push(delimiter);
          }
          return await loadVia(table, 'CSV', async (tmp) => {
            try {
              await adapter.runPrepared(`CREATE TABLE ${quoteIdent(tmp)} AS SELECT * FROM read_csv(${args.join(', ')})`, params);
            } catch (err) {
              // Name the input, not the engine's internal file name.
              throw new Error(cleanErrorMessage(err).split(file).join('input.csv'), { cause: err });
            }
          });
        } finally {
          await adapter.dropFile(file).catch(() => undefined);
        }
      });
    },

    async query(sql, params) {
      if (typeof sql !== 'string' || sql.trim().length === 0) return Promise.reject(new Error('query: SQL text is empty'));
      let bound: (string | number | boolean | null)[] | null = null;
      try {
        if (params && params.length > 0) bound = params.map(bindValue);
      } catch (err) {
        return Promise.reject(err);
      }
      return exclusive(async () => {
        try {
          return bound ? await adapter.runPrepared(sql, bound) : await adapter.run(sql);
        } catch (err) {
          throw engineError('', err);
        }
      });
    },

    async queryCancellable(sql) {
      if (typeof sql !== 'string' || sql.trim().length === 0) return Promise.reject(new Error('query: SQL text is empty'));
      return exclusive(async () => {
        try {
          return adapter.runCancellable ? await adapter.runCancellable(sql) : await adapter.run(sql);
        } catch (err) {
          throw engineError('', err);
        }
      });
    },

    async readOnlyQuery(sql, opts = {}) {
      const check = checkReadOnlySql(sql);
      if (!check.ok) return Promise.reject(check.refusal);
      const maxRows = clampMaxRows(opts.maxRows);
      const { signal } = opts;
      if (signal?.aborted) return Promise.reject(new QueryCancelledError());
      let started = false;
      const run = exclusive(async () => {
        started = true;
        if (signal?.aborted) throw new QueryCancelledError();
        return runConsole(check.sql, maxRows, signal);
      });
      if (!signal) return run;
      return new Promise<ReadOnlyResult>((resolve, reject) => {
        // Queued: give up at once. Running: ask DuckDB to stop it, and let the call settle as it does.
        const onAbort = () => (started ? void engine.cancel() : reject(new QueryCancelledError()));
        signal.addEventListener('abort', onAbort, { once: true });
        run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },

    async cancel() {
      // Deliberately not queued: it must reach the worker while the query runs.
      const target = consoleRunning && consoleConn ? await consoleConn.catch(() => null) : adapter;
      if (closed || !target?.cancel) return false;
      try {
        return await target.cancel();
      } catch {
        return false;
      }
    },

    async tables() {
      return exclusive(async () => {
        const t = await adapter.run(
          `SELECT table_name FROM information_schema.tables
           WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_type = 'BASE TABLE'
           ORDER BY table_name`,
        );
        return t
          .toArray()
          .map((r) => String(r.table_name))
          .filter((n) => !n.toLowerCase().startsWith(INTERNAL_PREFIX));
      });
    },

    async describe(table) {
      checkTableName(table);
      return exclusive(async () => {
        try {
          return await describeTable(table);
        } catch (err) {
          throw engineError(`could not describe table ${JSON.stringify(table)}`, err);
        }
      });
    },

    async dropTable(table) {
      checkTableName(table);
      return exclusive(async () => {
        try {
          await adapter.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
        } catch (err) {
          throw engineError(`could not drop table ${JSON.stringify(table)}`, err);
        }
      });
    },

    async close() {
      if (closed) return;
      // Let queued work finish (or fail), then shut down.
      const pending = tail;
      closed = true;
      await pending;
      const conn = consoleConn ? await consoleConn.catch(() => null) : null;
      if (conn && conn !== mainAsConnection) await conn.close().catch(() => undefined);
      try {
        await adapter.close();
      } catch (err) {
        throw new Error(`could not close the engine: ${cleanErrorMessage(err)}`, { cause: err });
      }
    },
  };
  return engine;
}
