/**
 * An engine that outlives its worker. It implements the same interface over
 * a factory of engines (the browser one in the app) and:
 *
 * - notices a dead engine: its `whenDead` signal (browser: the worker was
 *   terminated or crashed, seen through a Web Lock, or reported an error), a
 *   call failing with an error that means the database itself is broken
 *   ({@link isFatalEngineError}), or a worker that has not answered a ping
 *   for `unresponsiveMs` while a call was running;
 * - then reports it (`stopped`), creates a fresh engine, replays the
 *   {@link LoadJournal} on it (every step that created a table, in order:
 *   catalog loads fetch their file again, imports re-import the files the
 *   user gave), reports `restarted` and only then lets calls through again;
 * - retries the calls that were running or queued on the dead engine once on
 *   the new one. A call whose retry also meets a dead engine is rejected with
 *   an {@link EngineUnavailableError}; ordinary SQL errors are never retried.
 *   Calls made during a restart wait for it.
 * - cancels the running call on request ({@link ResilientEngine.cancel}):
 *   DuckDB's own cancel for `queryCancellable`, otherwise (a plain query
 *   blocks the worker until it is done) by restarting the worker; the
 *   cancelled call rejects with a {@link QueryCancelledError}, the others
 *   are retried on the new engine.
 *
 * After `maxRestarts` restarts within `restartWindowMs` it gives up: every
 * call rejects with an {@link EngineUnavailableError} that says to reload.
 *
 *   const engine = await createResilientEngine({ create: () => createBrowserEngine(), onEvent: (e) => … });
 *   engine.journal.record('catalog:parks', (fresh) => loadParksInto(fresh));
 */
import type { Table } from 'apache-arrow';
import type { CoreEngine } from './core.ts';
import type { LoadJournal, ReadOnlyResult, RebuildStep, TableInfo } from './types.ts';

/** What the wrapper needs of the engines it creates: the shared core, and (optionally) how they report their death. */
export interface RestartableEngine extends CoreEngine {
  /** Resolves with the cause once the engine can no longer answer. */
  readonly whenDead?: Promise<Error>;
  /** That cause, or null while the engine works. */
  failure?(): Error | null;
  /** A round trip to the worker. */
  ping?(): Promise<void>;
  /** Stop at once, without waiting for queued work. */
  terminate?(): Promise<void>;
}

/** Why an engine was given up: it died, it stopped answering, or the user cancelled a call it was running. */
export type StopCause = 'died' | 'unresponsive' | 'cancel';

export type EngineEvent =
  /** The engine stopped; a restart has begun. */
  | { kind: 'stopped'; cause: StopCause; reason: string }
  /**
   * A fresh engine runs, with the journal replayed: `ms` in all, `startMs` of
   * it to start the engine; `rebuilt` / `failed`: journal keys whose step
   * did / could not rebuild its tables.
   */
  | { kind: 'restarted'; cause: StopCause; ms: number; startMs: number; rebuilt: string[]; failed: { key: string; error: string }[] }
  /** A restart failed; `gaveUp`: no more will be tried, every call now fails. */
  | { kind: 'restart-failed'; error: string; gaveUp: boolean };

/** What kind of call is running: the query status line words itself by it. */
export type CallKind = 'query' | 'load' | 'other';

export interface EngineActivity {
  /** Calls waiting for or running on the engine. */
  pending: number;
  /** `performance.now()` when the call the engine is running now started, or null when none runs. */
  runningSince: number | null;
  runningKind: CallKind | null;
  /** A restart is under way (calls wait for it). */
  restarting: boolean;
  /** A cancel has been asked for and is not done yet. */
  cancelling: boolean;
}

export interface ResilientEngineOptions<E extends RestartableEngine> {
  /** Creates a fresh engine (called once at start and once per restart). */
  create(): Promise<E>;
  /** Restart events, e.g. for a notice ({@link ../ui/queryStatus.ts} words them). */
  onEvent?(event: EngineEvent): void;
  /** Ping the worker once a call has run this long (default 5000 ms; 0: never). */
  pingAfterMs?: number;
  /**
   * A ping unanswered this long means the worker hangs (default 90 000 ms).
   * A plain query blocks DuckDB's worker until it is done, so a ping waits
   * behind it: this must be longer than the longest legitimate statement. A
   * worker that died is noticed at once by other means; this is for one that
   * lives but never answers again.
   */
  unresponsiveMs?: number;
  /** How long {@link ResilientEngine.cancel} gives DuckDB's own cancel before it restarts the worker (default 1500 ms). */
  cancelGraceMs?: number;
  /** Give up after this many restarts within `restartWindowMs` (default 3 within 120 000 ms). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Errors that mean the database is broken rather than the SQL wrong (default {@link isFatalEngineError}). */
  isFatal?(err: unknown): boolean;
}

export interface ResilientEngine<E extends RestartableEngine = RestartableEngine> extends CoreEngine {
  readonly journal: LoadJournal;
  /**
   * Stop the call the engine is running now; true if there was one. It
   * rejects with a {@link QueryCancelledError}. Calls queued behind it run as
   * usual (after a restart, when stopping needed one).
   */
  cancel(): Promise<boolean>;
  activity(): EngineActivity;
  /** Called whenever {@link activity} may have changed; returns an unsubscribe function. */
  onActivity(listener: () => void): () => void;
  /** Restart events (as `onEvent`); returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** The engine in use now (null while none is running), e.g. for a test to terminate its worker. */
  current(): E | null;
  /** Restarts so far. */
  restarts(): number;
}

/** The call was cancelled by the user. */
export class QueryCancelledError extends Error {
  constructor(message = 'the query was cancelled') {
    super(message);
    this.name = 'QueryCancelledError';
  }
}

/** The engine could not be brought back (or died again while retrying the call). */
export class EngineUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineUnavailableError';
  }
}

/**
 * Errors after which the database cannot be trusted: DuckDB invalidated it
 * after an internal error, or the wasm trapped (out-of-bounds memory access,
 * `unreachable`). Out-of-memory errors are not among them: DuckDB recovers
 * from those, and a restart would fail the same way.
 */
export function isFatalEngineError(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = err; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (/database has been invalidated|\bRuntimeError\b|memory access out of bounds|unreachable (code )?executed|^(Error: )?unreachable$|\bAborted\(/i.test(text)) return true;
    if (!(e instanceof Error)) break;
  }
  return false;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The journal: steps in replay order, one per key. */
function createJournal(): LoadJournal & { entries(): { key: string; step: RebuildStep }[] } {
  let entries: { key: string; step: RebuildStep }[] = [];
  const matches = (k: string, key: string) => k === key || k.startsWith(`${key}:`);
  return {
    record(key, step) {
      if (typeof key !== 'string' || key.length === 0) throw new Error('journal key must be a non-empty string');
      if (typeof step !== 'function') throw new Error('journal step must be a function');
      entries = entries.filter((e) => e.key !== key);
      entries.push({ key, step });
    },
    forget(key) {
      entries = entries.filter((e) => !matches(e.key, key));
    },
    keys: () => entries.map((e) => e.key),
    entries: () => entries,
  };
}

interface Slot<E> {
  engine: E;
  dead: Error | null;
  /** Rejects with the cause when the slot dies (calls race it). */
  died: Promise<never>;
  kill(err: Error): void;
  /** When the unanswered ping was sent, or null. */
  pingSince: number | null;
}

interface Call<E> {
  kind: CallKind;
  cancellable: boolean;
  /** The slot it runs on now, and since when. */
  slot: Slot<E> | null;
  started: number | null;
  cancelled: boolean;
  settled: boolean;
  onSettled: (() => void)[];
}

/** Start the first engine (rejects if it cannot start) and wrap it. */
export async function createResilientEngine<E extends RestartableEngine>(opts: ResilientEngineOptions<E>): Promise<ResilientEngine<E>> {
  const pingAfterMs = opts.pingAfterMs ?? 5000;
  const unresponsiveMs = opts.unresponsiveMs ?? 90_000;
  const cancelGraceMs = opts.cancelGraceMs ?? 1500;
  const maxRestarts = opts.maxRestarts ?? 3;
  const restartWindowMs = opts.restartWindowMs ?? 120_000;
  const isFatal = opts.isFatal ?? isFatalEngineError;

  const journal = createJournal();
  const eventListeners = new Set<(e: EngineEvent) => void>();
  const activityListeners = new Set<() => void>();
  const calls = new Set<Call<E>>();
  const restartTimes: number[] = [];
  let restartCount = 0;
  let current: Slot<E> | null = null;
  let restarting: Promise<Slot<E>> | null = null;
  let gaveUp: EngineUnavailableError | null = null;
  let cancelling = false;
  let closed = false;
  let watchdog: ReturnType<typeof setInterval> | null = null;

  const emit = (event: EngineEvent) => {
    try {
      opts.onEvent?.(event);
    } catch {
      // a listener's problem is not the engine's
    }
    for (const l of [...eventListeners]) {
      try {
        l(event);
      } catch {
        // same
      }
    }
  };
  const notify = () => {
    for (const l of [...activityListeners]) {
      try {
        l();
      } catch {
        // same
      }
    }
  };

  function makeSlot(engine: E): Slot<E> {
    let reject: (err: Error) => void = () => {};
    const died = new Promise<never>((_, r) => {
      reject = r;
    });
    died.catch(() => undefined);
    const slot: Slot<E> = {
      engine,
      dead: null,
      died,
      pingSince: null,
      kill(err) {
        if (slot.dead) return;
        slot.dead = err;
        reject(err);
      },
    };
    engine.whenDead?.then((err) => stop(slot, err, 'died'));
    return slot;
  }

  /** Give up `slot`: mark it dead, stop its engine, and (if it was the one in use) restart. */
  function stop(slot: Slot<E>, err: Error, cause: StopCause): void {
    if (slot.dead) return;
    slot.kill(err);
    const engine = slot.engine;
    void (engine.terminate ? engine.terminate() : engine.close()).catch(() => undefined);
    if (slot === current && !closed) {
      emit({ kind: 'stopped', cause, reason: err.message });
      void restart(cause).catch(() => undefined);
    }
    notify();
  }

  /** A dead slot's cause (asking the engine too: it may know before its `whenDead` reaction ran). */
  function deadCause(slot: Slot<E>, err?: unknown): Error | null {
    if (slot.dead) return slot.dead;
    const failure = slot.engine.failure?.();
    if (failure) stop(slot, failure, 'died');
    else if (err !== undefined && isFatal(err)) stop(slot, err instanceof Error ? err : new Error(String(err)), 'died');
    return slot.dead;
  }

  function restart(cause: StopCause): Promise<Slot<E>> {
    if (restarting) return restarting;
    if (gaveUp) return Promise.reject(gaveUp);
    const p = (async (): Promise<Slot<E>> => {
      notify();
      for (;;) {
        const t = now();
        while (restartTimes.length > 0 && t - restartTimes[0]! > restartWindowMs) restartTimes.shift();
        if (restartTimes.length >= maxRestarts) {
          gaveUp = new EngineUnavailableError(
            `the database worker stopped ${restartTimes.length + 1} times within ${Math.round(restartWindowMs / 1000)} s; it is not restarted again (reload the page)`,
          );
          emit({ kind: 'restart-failed', error: gaveUp.message, gaveUp: true });
          throw gaveUp;
        }
        restartTimes.push(t);
        restartCount++;
        let slot: Slot<E>;
        try {
          slot = makeSlot(await opts.create());
        } catch (err) {
          const e = new EngineUnavailableError(`the database could not be restarted: ${message(err)}`, { cause: err });
          emit({ kind: 'restart-failed', error: e.message, gaveUp: false });
          throw e;
        }
        if (closed) {
          void slot.engine.close().catch(() => undefined);
          throw new Error('engine is closed');
        }
        const startMs = Math.round(now() - t);
        // Replay the journal, including steps recorded while this runs (by calls that finished on the old engine).
        const done = new Set<RebuildStep>();
        const rebuilt: string[] = [];
        const failed: { key: string; error: string }[] = [];
        for (;;) {
          const next = journal.entries().find((e) => !done.has(e.step));
          if (!next || slot.dead) break;
          done.add(next.step);
          try {
            await Promise.race([next.step(slot.engine), slot.died]);
            rebuilt.push(next.key);
          } catch (err) {
            if (deadCause(slot, err)) break;
            failed.push({ key: next.key, error: message(err) });
          }
        }
        if (slot.dead) continue; // died while rebuilding: another try, within the limit
        current = slot;
        emit({ kind: 'restarted', cause, ms: Math.round(now() - t), startMs, rebuilt, failed });
        return slot;
      }
    })();
    restarting = p;
    p.then(
      () => {
        restarting = null;
        notify();
      },
      () => {
        restarting = null;
        notify();
      },
    );
    return p;
  }

  function slotForCall(): Promise<Slot<E>> {
    if (closed) return Promise.reject(new Error('engine is closed'));
    if (restarting) return restarting;
    if (current && !deadCause(current)) return Promise.resolve(current);
    if (gaveUp) return Promise.reject(gaveUp);
    return restart('died');
  }

  function runningCalls(slot: Slot<E> | null): Call<E>[] {
    return [...calls].filter((c) => slot !== null && c.slot === slot && c.started !== null).sort((a, b) => a.started! - b.started!);
  }

  function tick(): void {
    const slot = current;
    const running = runningCalls(slot);
    if (!slot || slot.dead || running.length === 0) {
      if (calls.size === 0 && watchdog) {
        clearInterval(watchdog);
        watchdog = null;
      }
      return;
    }
    const t = now();
    if (slot.pingSince !== null) {
      if (t - slot.pingSince >= unresponsiveMs) {
        stop(slot, new Error(`the database worker did not answer for ${Math.round((t - slot.pingSince) / 1000)} s`), 'unresponsive');
      }
    } else if (slot.engine.ping && t - running[0]!.started! >= pingAfterMs) {
      const since = t;
      slot.pingSince = since;
      const answered = () => {
        if (slot.pingSince === since) slot.pingSince = null;
      };
      slot.engine.ping().then(answered, answered);
    }
  }

  function watch(): void {
    if (watchdog || pingAfterMs <= 0 || closed) return;
    watchdog = setInterval(tick, Math.max(10, Math.min(1000, pingAfterMs / 2, unresponsiveMs / 4)));
    (watchdog as { unref?: () => void }).unref?.();
  }

  async function runOn<T>(slot: Slot<E>, call: Call<E>, fn: (e: E) => Promise<T>): Promise<T> {
    call.slot = slot;
    call.started = now();
    notify();
    watch();
    try {
      return await Promise.race([fn(slot.engine), slot.died]);
    } finally {
      call.slot = null;
      call.started = null;
    }
  }

  function cancelledError(err: unknown): QueryCancelledError {
    const e = new QueryCancelledError();
    (e as { cause?: unknown }).cause = err;
    return e;
  }

  /**
   * Stop `target`, a call running on `slot`: DuckDB's own cancel when the
   * call can take it, else (or if it has not settled within the grace time)
   * a restart of the worker.
   */
  async function stopCall(slot: Slot<E>, target: Call<E>): Promise<boolean> {
    target.cancelled = true;
    cancelling = true;
    notify();
    try {
      if (target.cancellable) {
        const settled = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), cancelGraceMs);
          target.onSettled.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        await slot.engine.cancel().catch(() => false);
        if (await settled) return true;
      }
      // A plain query holds the worker until it is done: the one way to stop it is to stop the worker.
      if (!target.settled && !slot.dead) stop(slot, new QueryCancelledError('a query was cancelled; the database worker is restarted to stop it'), 'cancel');
      return true;
    } finally {
      cancelling = false;
      notify();
    }
  }

  /** Run `fn` on the engine in use; once more on a fresh engine if that one died under it. `signal` cancels this call. */
  async function call<T>(kind: CallKind, fn: (e: E) => Promise<T>, cancellable = false, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new QueryCancelledError();
    const c: Call<E> = { kind, cancellable, slot: null, started: null, cancelled: false, settled: false, onSettled: [] };
    calls.add(c);
    notify();
    // The engine below hears the signal too and drops the call if it has not begun. Only the call
    // the engine is running now (the first dispatched: it runs calls in order) may need stopping.
    const onAbort = () => {
      c.cancelled = true;
      const slot = c.slot;
      if (slot && !slot.dead && runningCalls(slot)[0] === c) void stopCall(slot, c);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let slot = await slotForCall();
      try {
        return await runOn(slot, c, fn);
      } catch (err) {
        if (c.cancelled) throw cancelledError(err);
        if (!deadCause(slot, err)) throw err;
      }
      // The engine died under this call: once more, on the restarted one.
      slot = await slotForCall();
      try {
        return await runOn(slot, c, fn);
      } catch (err) {
        if (c.cancelled) throw cancelledError(err);
        const cause = deadCause(slot, err);
        if (cause) {
          throw new EngineUnavailableError(`the database worker stopped again while this was retried after a restart (${cause.message}); it is not retried a second time`, {
            cause: err,
          });
        }
        throw err;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      c.settled = true;
      calls.delete(c);
      for (const f of c.onSettled) f();
      notify();
    }
  }

  const first = makeSlot(await opts.create());
  current = first;

  const engine: ResilientEngine<E> = {
    journal: { record: journal.record, forget: journal.forget, keys: journal.keys },

    loadParquet: (table, bytes) => call<TableInfo>('load', (e) => e.loadParquet(table, bytes)),
    loadGeoJSON: (table, text) => call<TableInfo>('load', (e) => e.loadGeoJSON(table, text)),
    loadCSV: (table, text, o) => call<TableInfo>('load', (e) => e.loadCSV(table, text, o)),
    query: (sql, params) => call<Table>('query', (e) => e.query(sql, params)),
    queryCancellable: (sql) => call<Table>('query', (e) => e.queryCancellable(sql), true),
    readOnlyQuery: (sql, o) => call<ReadOnlyResult>('query', (e) => e.readOnlyQuery(sql, o), true, o?.signal),
    tables: () => call<string[]>('other', (e) => e.tables()),
    describe: (table) => call<TableInfo>('other', (e) => e.describe(table)),
    dropTable: (table) => call<void>('other', (e) => e.dropTable(table)),

    async cancel() {
      const slot = current;
      if (!slot || slot.dead || closed) return false;
      const target = runningCalls(slot).find((c) => !c.cancelled);
      if (!target) return false;
      return stopCall(slot, target);
    },

    async close() {
      if (closed) return;
      closed = true;
      if (watchdog) clearInterval(watchdog);
      watchdog = null;
      const slot = current;
      current = null;
      await restarting?.catch(() => undefined);
      const last = current as Slot<E> | null;
      for (const s of [slot, last]) if (s && !s.dead) await s.engine.close();
    },

    activity() {
      const running = runningCalls(current)[0] ?? null;
      return {
        pending: calls.size,
        runningSince: running?.started ?? null,
        runningKind: running?.kind ?? null,
        restarting: restarting !== null,
        cancelling,
      };
    },
    onActivity(listener) {
      activityListeners.add(listener);
      return () => activityListeners.delete(listener);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    current: () => (current && !current.dead ? current.engine : null),
    restarts: () => restartCount,
  };
  return engine;
}
