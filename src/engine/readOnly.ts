/**
 * What the planner's SQL console may run, and how the engine runs it so that
 * nothing can change: three independent guards, any one of which is enough
 * for the statements we know of.
 *
 * 1. {@link checkReadOnlySql}: a scan of the text (strings, quoted names and
 *    comments skipped) that refuses, with a reason in both languages, more
 *    than one statement and every statement that is not a query (writes,
 *    DDL, ATTACH, COPY, SET, PRAGMA other than the read-only ones, CALL,
 *    transactions…) and the few table functions with side effects.
 * 2. {@link wrapReadOnly}: the statement goes to DuckDB as a *string* inside
 *    `SELECT * FROM query('…') LIMIT n`: DuckDB's own parser then accepts
 *    exactly one SELECT statement, whatever the scan missed, and the row
 *    limit is applied by the engine.
 * 3. {@link runRolledBack}: on its own connection, inside BEGIN TRANSACTION …
 *    ROLLBACK, so even a statement that got past both leaves no trace.
 */
import { cleanErrorMessage } from './sql.ts';

export type Bilingual = { zh: string; en: string };

export type RefusalCode =
  | 'empty'
  | 'multiple'
  | 'modify'
  | 'database'
  | 'files'
  | 'extensions'
  | 'settings'
  | 'maintenance'
  | 'call'
  | 'transaction'
  | 'prepare'
  | 'explain'
  | 'side-effect'
  | 'not-a-query'
  | 'nul';

const REASONS: Record<RefusalCode, Bilingual> = {
  empty: { zh: '请输入一条 SQL 查询。', en: 'Type an SQL query.' },
  multiple: { zh: '一次只能运行一条语句（分号后还有内容）。', en: 'Run one statement at a time (there is more after a semicolon).' },
  modify: { zh: '控制台是只读的：不能创建、修改或删除表和数据。', en: 'The console is read-only: it cannot create, change or delete tables or rows.' },
  database: { zh: '控制台不能挂载、卸载或切换数据库（ATTACH / DETACH / USE）。', en: 'The console cannot attach, detach or switch databases (ATTACH / DETACH / USE).' },
  files: { zh: '控制台不能读写文件（COPY / EXPORT / IMPORT）。', en: 'The console cannot read or write files (COPY / EXPORT / IMPORT).' },
  extensions: { zh: '控制台不能安装或加载扩展（INSTALL / LOAD）。', en: 'The console cannot install or load extensions (INSTALL / LOAD).' },
  settings: { zh: '控制台不能更改数据库设置（SET / RESET / PRAGMA）。查看表结构可用 DESCRIBE 表名 或 PRAGMA table_info(\'表名\')。', en: "The console cannot change database settings (SET / RESET / PRAGMA). For a table's columns use DESCRIBE name or PRAGMA table_info('name')." },
  maintenance: { zh: '控制台不能执行维护命令（CHECKPOINT / VACUUM / ANALYZE）。', en: 'The console cannot run maintenance commands (CHECKPOINT / VACUUM / ANALYZE).' },
  call: { zh: '控制台不运行 CALL；只读的表函数请写成 SELECT * FROM 函数(…)。', en: 'The console does not run CALL; write read-only table functions as SELECT * FROM fn(…).' },
  transaction: { zh: '控制台自行管理事务（每条查询都在只读事务中运行并回滚）。', en: 'The console manages transactions itself (every query runs in a transaction that is rolled back).' },
  prepare: { zh: '控制台不支持 PREPARE / EXECUTE。', en: 'The console does not support PREPARE / EXECUTE.' },
  explain: { zh: '控制台暂不支持 EXPLAIN。', en: 'The console does not support EXPLAIN.' },
  'side-effect': { zh: '该函数会改变数据库状态，控制台中不能使用。', en: 'That function changes the database; it cannot be used in the console.' },
  'not-a-query': { zh: '控制台只运行查询（SELECT、WITH、FROM、VALUES、DESCRIBE、SHOW、SUMMARIZE）。', en: 'The console only runs queries (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE).' },
  nul: { zh: '查询中含有 NUL 字符。', en: 'The query contains a NUL character.' },
};

/** A statement the console will not run; `text` says why in both languages. */
export class ReadOnlyRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly text: Bilingual = REASONS[code],
    readonly keyword?: string,
  ) {
    super(`${text.en}${keyword ? ` (${keyword})` : ''}`);
    this.name = 'ReadOnlyRefusal';
  }
}

export type ReadOnlyCheck = { ok: true; sql: string } | { ok: false; refusal: ReadOnlyRefusal };

const QUERY = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'DESCRIBE', 'DESC', 'SHOW', 'SUMMARIZE']);
const GROUPS: [RefusalCode, string[]][] = [
  ['modify', ['INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'MERGE', 'UPSERT', 'REPLACE', 'COMMENT', 'PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER']],
  ['database', ['ATTACH', 'DETACH', 'USE']],
  ['files', ['COPY', 'EXPORT', 'IMPORT']],
  ['extensions', ['INSTALL', 'LOAD', 'FORCE']],
  ['settings', ['SET', 'RESET', 'PRAGMA']],
  ['maintenance', ['CHECKPOINT', 'VACUUM', 'ANALYZE']],
  ['call', ['CALL']],
  ['transaction', ['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE']],
  ['prepare', ['PREPARE', 'EXECUTE', 'DEALLOCATE']],
  ['explain', ['EXPLAIN']],
];
const GROUP_OF = new Map(GROUPS.flatMap(([code, words]) => words.map((w) => [w, code] as const)));
/** Table or scalar functions that write: refused wherever they appear. */
const SIDE_EFFECT_FUNCTIONS = new Set(['checkpoint', 'force_checkpoint', 'nextval', 'setval']);
/** PRAGMAs that only read; run as their table-function form (`PRAGMA table_info('t')` → `SELECT * FROM pragma_table_info('t')`). */
const READ_PRAGMAS = new Set(['table_info', 'show', 'storage_info', 'database_size', 'version', 'platform']);

interface Token {
  kind: 'word' | 'quoted' | 'open' | 'close' | 'semi' | 'other';
  /** Upper-case for words, the unquoted name for quoted identifiers. */
  text: string;
  start: number;
  end: number;
  depth: number;
}

/** Tokens of `sql`, skipping whitespace, comments and string literals (which can hold any keyword). */
function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  const n = sql.length;
  const isWordStart = (c: string) => /[A-Za-z_\u0080-\uffff]/.test(c);
  const isWord = (c: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      // Block comments nest in DuckDB's (PostgreSQL's) grammar.
      let level = 0;
      do {
        if (sql.startsWith('/*', i)) (level++, (i += 2));
        else if (sql.startsWith('*/', i)) (level--, (i += 2));
        else i++;
      } while (i < n && level > 0);
    } else if (c === "'") {
      // E'…' strings take backslash escapes; plain strings only double the quote.
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !isWord(sql[i - 2]!));
      const start = i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      out.push({ kind: 'other', text: "'", start, end: i, depth });
    } else if (c === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))![0];
      const close = sql.indexOf(tag, i + tag.length);
      const start = i;
      i = close < 0 ? n : close + tag.length;
      out.push({ kind: 'other', text: '$', start, end: i, depth });
    } else if (c === '"') {
      const start = i++;
      let name = '';
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') (name += '"', (i += 2));
        else if (sql[i] === '"') break;
        else name += sql[i++];
      }
      i++;
      out.push({ kind: 'quoted', text: name, start, end: i, depth });
    } else if (isWordStart(c)) {
      const start = i;
      while (i < n && isWord(sql[i]!)) i++;
      out.push({ kind: 'word', text: sql.slice(start, i).toUpperCase(), start, end: i, depth });
    } else if (c === '(') {
      out.push({ kind: 'open', text: c, start: i, end: ++i, depth: depth++ });
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      out.push({ kind: 'close', text: c, start: i, end: ++i, depth });
    } else if (c === ';') {
      out.push({ kind: 'semi', text: c, start: i, end: ++i, depth });
    } else {
      out.push({ kind: 'other', text: c, start: i, end: ++i, depth });
    }
  }
  return out;
}

const refuse = (code: RefusalCode, keyword?: string): ReadOnlyCheck => ({ ok: false, refusal: new ReadOnlyRefusal(code, REASONS[code], keyword) });

/**
 * Is `sql` one read-only query? On success `sql` is the statement to run:
 * trimmed, trailing semicolons dropped, a read-only PRAGMA turned into its
 * table function.
 */
export function checkReadOnlySql(sql: string): ReadOnlyCheck {
  if (typeof sql !== 'string') return refuse('empty');
  if (sql.includes('\u0000')) return refuse('nul');
  const tokens = tokenize(sql);
  // Statements are what lies between semicolons; empty ones (";;", a trailing ";") do not count.
  const statements: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'semi') statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  const real = statements.filter((s) => s.length > 0);
  if (real.length === 0) return refuse('empty');
  if (real.length > 1) return refuse('multiple');
  const st = real[0]!;
  const text = sql.slice(st[0]!.start, st[st.length - 1]!.end);

  for (let k = 0; k < st.length - 1; k++) {
    const t = st[k]!;
    if ((t.kind === 'word' || t.kind === 'quoted') && st[k + 1]!.kind === 'open' && SIDE_EFFECT_FUNCTIONS.has(t.text.toLowerCase())) return refuse('side-effect', t.text.toLowerCase());
  }

  const first = st[0]!;
  if (first.kind === 'open') return { ok: true, sql: text }; // (SELECT …)
  if (first.kind !== 'word') return refuse('not-a-query');
  const kw = first.text;
  if (kw === 'PRAGMA') {
    const name = st[1];
    if (name?.kind === 'word' && READ_PRAGMAS.has(name.text.toLowerCase())) {
      const rest = sql.slice(name.end, st[st.length - 1]!.end).trim();
      if (rest === '' || (st[2]?.kind === 'open' && st[2].depth === 0 && st[st.length - 1]!.kind === 'close' && st[st.length - 1]!.depth === 0)) {
        return { ok: true, sql: `SELECT * FROM pragma_${name.text.toLowerCase()}${rest || '()'}` };
      }
    }
    if (name?.kind === 'word' && name.text === 'SHOW_TABLES' && st.length === 2) return { ok: true, sql: 'SHOW TABLES' };
    return refuse('settings', 'PRAGMA');
  }
  if (QUERY.has(kw)) {
    // A CTE can front a write in DuckDB (WITH x AS (…) INSERT …): look at the statement's own level.
    if (kw === 'WITH') {
      const write = st.find((t) => t.depth === 0 && t.kind === 'word' && (t.text === 'INSERT' || t.text === 'UPDATE' || t.text === 'DELETE'));
      if (write) return refuse('modify', write.text);
    }
    return { ok: true, sql: text };
  }
  const group = GROUP_OF.get(kw);
  // A word we do not know (a typo such as SELCT) goes to DuckDB, whose parser names the error
  // precisely; guards 2 and 3 still hold for it.
  return group ? refuse(group, kw) : { ok: true, sql: text };
}

/** `s` as an SQL string literal. Standard strings end only at an undoubled quote (DuckDB has no backslash escapes outside E'…'). */
export function sqlStringLiteral(s: string): string {
  if (s.includes('\u0000')) throw new ReadOnlyRefusal('nul');
  return `'${s.replace(/'/g, "''")}'`;
}

/** The text the engine runs: DuckDB parses the statement itself (one SELECT only) and fetches at most `limit` rows. */
export function wrapReadOnly(statement: string, limit: number): string {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`row limit must be a positive integer, not ${limit}`);
  return `SELECT * FROM query(${sqlStringLiteral(statement)}) LIMIT ${limit}`;
}

/** What {@link runRolledBack} needs of a connection. */
export interface SqlRunner<T> {
  run(sql: string): Promise<T>;
}

/**
 * `fn` inside BEGIN TRANSACTION … ROLLBACK on `conn`: whatever it did is
 * undone, whether it succeeded, failed or was cancelled. Rejects with
 * `rollbackFailed` set when the rollback itself failed (the caller should
 * then stop using the connection).
 */
export async function runRolledBack<T, R>(conn: SqlRunner<T>, fn: () => Promise<R>): Promise<R> {
  await conn.run('BEGIN TRANSACTION');
  let result: { ok: true; value: R } | { ok: false; error: unknown };
  try {
    result = { ok: true, value: await fn() };
  } catch (error) {
    result = { ok: false, error };
  }
  try {
    await conn.run('ROLLBACK');
  } catch (err) {
    throw Object.assign(new Error(`could not roll back the console's transaction: ${cleanErrorMessage(err)}`, { cause: err }), { rollbackFailed: true });
  }
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * DuckDB's message for a console query, without the wrapper: the "LINE 1:
 * SELECT * FROM query('…')" excerpt points into text the planner did not
 * write. DuckDB's own refusal of a non-SELECT becomes a {@link ReadOnlyRefusal}.
 */
export function consoleError(err: unknown): Error {
  if (err instanceof ReadOnlyRefusal) return err;
  const message = cleanErrorMessage(err);
  if (/Expected a single SELECT statement/i.test(message)) return new ReadOnlyRefusal('not-a-query');
  const cut = message.search(/\n\s*LINE \d+:/);
  const clean = (cut >= 0 ? message.slice(0, cut) : message).trim();
  return new Error(clean || message, { cause: err });
}

/** Default and largest row limits of the console. */
export const DEFAULT_MAX_ROWS = 1000;
export const MAX_ROWS_LIMIT = 100_000;

/** A row limit within 1…{@link MAX_ROWS_LIMIT} (default {@link DEFAULT_MAX_ROWS}). */
export function clampMaxRows(n: unknown): number {
  const v = typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : DEFAULT_MAX_ROWS;
  return Math.min(MAX_ROWS_LIMIT, Math.max(1, v));
}

/** The wording of a refusal, for a UI that did not get the error object (e.g. a code from a test). */
export function refusalText(code: RefusalCode): Bilingual {
  return REASONS[code];
}
