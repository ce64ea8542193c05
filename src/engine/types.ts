/**
 * The data engine's one narrow interface. Two implementations run the same
 * SQL through the same core (./core.ts): the browser one (./browser.ts,
 * DuckDB-WASM in a Worker) and the Node one (./node.ts, blocking bindings,
 * for tests and scripts).
 */
import type { Table } from 'apache-arrow';

export interface TableInfo {
  name: string;
  rows: number;
  /** In table order; `type` is DuckDB's type name, e.g. "VARCHAR", "DOUBLE", "TIMESTAMP_MS". */
  columns: { name: string; type: string }[];
}

export interface Engine {
  /** Parquet bytes → table (hyparquet decode → Arrow → IPC stream → insertArrowFromIPCStream). Replaces an existing table of that name atomically (load into a temp name, then swap) so a failed load leaves no half-made table and the old one intact. */
  loadParquet(table: string, bytes: Uint8Array): Promise<TableInfo>;
  /** GeoJSON FeatureCollection text → one row per feature: `__fid` (0-based int), every property as a column (names kept exactly, even hostile ones; quoted via quoteIdent), `__geom` (geometry as GeoJSON text), `__gtype` (geometry type), and bbox columns `__xmin,__ymin,__xmax,__ymax` (DOUBLE). Validates the text is a FeatureCollection. Same atomic replace. */
  loadGeoJSON(table: string, text: string): Promise<TableInfo>;
  /** CSV (UTF-8 text) via read_csv on a registered file. Same atomic replace. */
  loadCSV(table: string, text: string, opts?: { header?: boolean; delimiter?: string }): Promise<TableInfo>;
  /** Run SQL with optional bound positional parameters ($1 / ?), returning an Arrow Table. */
  query(sql: string, params?: unknown[]): Promise<Table>;
  tables(): Promise<string[]>;
  dropTable(table: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Present only on an engine that restarts itself after its worker died
   * (./resilient.ts). Code that creates tables records here how to create
   * them again, and the restarted engine replays that before it answers
   * anything else. Absent on the plain browser and Node engines: record with
   * `engine.journal?.record(…)`.
   */
  readonly journal?: LoadJournal;
}

/** Rebuilds some tables on a fresh engine (the raw one under the restart wrapper, which has no journal). */
export type RebuildStep = (engine: Engine) => Promise<void>;

/**
 * How to rebuild every table the session created, in the order they were
 * created. Steps hold what they need (a catalog path to fetch again, the
 * bytes of an imported file), never results.
 */
export interface LoadJournal {
  /** Remember `step` under `key`; a step already under that key is dropped and the new one goes to the end. */
  record(key: string, step: RebuildStep): void;
  /** Forget the step under `key` and every step whose key starts with `key + ':'`. */
  forget(key: string): void;
  /** Keys in replay order. */
  keys(): string[];
}

/** What both implementations add on top of {@link Engine}. */
export interface EngineExtras {
  /**
   * Like `query` without parameters, but cancellable with {@link cancel} while
   * it runs (browser: DuckDB's pending-query path; Node: runs synchronously,
   * so nothing can cancel it). One statement only.
   */
  queryCancellable(sql: string): Promise<Table>;
  /** Cancel the running `queryCancellable` call; true if one was cancelled. */
  cancel(): Promise<boolean>;
  /** Name and details of the table (rows, columns), or an error if it does not exist. */
  describe(table: string): Promise<TableInfo>;
  /**
   * One query typed by a person (the planner's SQL console), run so that it
   * cannot change anything (./readOnly.ts): refused with a ReadOnlyRefusal
   * unless it is one read-only statement, parsed by DuckDB as one SELECT, on
   * a connection of its own inside a transaction that is always rolled back.
   * At most `maxRows` rows come back (default 1000, at most 100 000);
   * `truncated` says there were more. Aborting `signal` cancels it (it
   * rejects with a QueryCancelledError); so does {@link cancel} while it runs.
   */
  readOnlyQuery(sql: string, opts?: ReadOnlyQueryOptions): Promise<ReadOnlyResult>;
}

export interface ReadOnlyQueryOptions {
  /** Row limit, 1…100 000 (default 1000). */
  maxRows?: number;
  signal?: AbortSignal;
}

export interface ReadOnlyResult {
  /** At most `maxRows` rows. */
  table: Table;
  /** The query had more rows than `maxRows`. */
  truncated: boolean;
  maxRows: number;
  /** The statement as run (a read-only PRAGMA becomes its table function). */
  sql: string;
  /** Time in the engine, ms. */
  ms: number;
}

export interface EngineOptions {
  /**
   * Return BIGINT / HUGEINT / DECIMAL results as Float64 instead of JS BigInt /
   * Arrow decimals (DuckDB-WASM's castBigIntToDouble / castDecimalToDouble).
   * Default true: counts and sums come back as plain numbers that charts,
   * deck.gl accessors and JSON.stringify accept. Integers above 2^53 lose
   * precision; set false when exact 64-bit integers matter.
   */
  numbersAsDouble?: boolean;
  /**
   * Keep DuckDB's external access on (default false: off, so no SQL can make
   * DuckDB fetch an extension, ATTACH a file or read a URL; the engine's own
   * loaders still work). Only for deployments that host DuckDB extensions
   * themselves. Cannot be changed after startup.
   */
  externalAccess?: boolean;
}
