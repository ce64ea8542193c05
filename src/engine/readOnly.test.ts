/**
 * The console's statement checks on their own (pure; the engine's behaviour
 * with real DuckDB is in tests/engine/readOnlyEngine.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { checkReadOnlySql, clampMaxRows, consoleError, ReadOnlyRefusal, sqlStringLiteral, wrapReadOnly, type RefusalCode } from './readOnly.ts';

const code = (sql: string): RefusalCode | 'ok' => {
  const r = checkReadOnlySql(sql);
  return r.ok ? 'ok' : r.refusal.code;
};

describe('checkReadOnlySql', () => {
  test.each([
    'SELECT 1',
    'select * from "shenzhen__parks" limit 100',
    'WITH big AS (SELECT * FROM t WHERE area_m2 > 5000) SELECT count(*) FROM big',
    'FROM jinan__stations',
    'VALUES (1, 2)',
    'TABLE t',
    'DESCRIBE t',
    'SHOW TABLES',
    'SUMMARIZE t',
    '(SELECT 1) UNION ALL (SELECT 2)',
    "SELECT 'DROP TABLE t; DELETE FROM t' AS s",
    'SELECT "delete", "update" FROM t',
    '-- a comment; DROP TABLE t\nSELECT 1',
    '/* DROP TABLE t; */ SELECT 1',
    '/* nested /* DROP */ still comment; */ SELECT 1',
    "SELECT E'it\\'s; DROP TABLE t' AS s",
    'SELECT $$; DROP TABLE t$$ AS s',
    'SELECT 1;',
    'SELECT 1;;  ',
    // Unknown first words go to DuckDB, which names the syntax error (and refuses anything but one SELECT).
    'SELCT 1',
  ])('allows %s', (sql) => {
    expect(code(sql)).toBe('ok');
  });

  test.each<[string, RefusalCode]>([
    ['', 'empty'],
    ['  ;  -- nothing', 'empty'],
    ['SELECT 1; SELECT 2', 'multiple'],
    ["SELECT 1; DROP TABLE t", 'multiple'],
    ["SELECT ';' ; DELETE FROM t", 'multiple'],
    ['DROP TABLE shenzhen__parks', 'modify'],
    ['drop table if exists t', 'modify'],
    ['DELETE FROM t', 'modify'],
    ['INSERT INTO t VALUES (1)', 'modify'],
    ['UPDATE t SET a = 1', 'modify'],
    ['CREATE TABLE x AS SELECT 1', 'modify'],
    ['CREATE TEMP VIEW v AS SELECT 1', 'modify'],
    ['ALTER TABLE t RENAME TO u', 'modify'],
    ['TRUNCATE t', 'modify'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'modify'],
    ['WITH x AS (SELECT 1) DELETE FROM t', 'modify'],
    ["ATTACH ':memory:' AS m", 'database'],
    ['DETACH m', 'database'],
    ['USE m', 'database'],
    ["COPY t TO 'out.csv'", 'files'],
    ["EXPORT DATABASE 'dir'", 'files'],
    ["IMPORT DATABASE 'dir'", 'files'],
    ['INSTALL spatial', 'extensions'],
    ['LOAD spatial', 'extensions'],
    ['FORCE INSTALL spatial', 'extensions'],
    ['SET threads = 1', 'settings'],
    ['RESET threads', 'settings'],
    ['PRAGMA enable_profiling', 'settings'],
    ["PRAGMA table_info('t'); DROP TABLE t", 'multiple'],
    ['CHECKPOINT', 'maintenance'],
    ['VACUUM', 'maintenance'],
    ['CALL checkpoint()', 'side-effect'],
    ["CALL pragma_table_info('t')", 'call'],
    ['SELECT * FROM checkpoint()', 'side-effect'],
    ['SELECT * FROM "force_checkpoint"()', 'side-effect'],
    ["SELECT nextval('s')", 'side-effect'],
    ['BEGIN TRANSACTION', 'transaction'],
    ['COMMIT', 'transaction'],
    ['ROLLBACK', 'transaction'],
    ['PREPARE p AS SELECT 1', 'prepare'],
    ['EXPLAIN SELECT 1', 'explain'],
    ['PIVOT t ON a USING sum(b)', 'modify'],
    ['SELECT 1\u0000', 'nul'],
    ['42', 'not-a-query'],
  ])('refuses %j (%s)', (sql, want) => {
    expect(code(sql)).toBe(want);
  });

  test('every refusal says why in both languages', () => {
    const r = checkReadOnlySql('DROP TABLE t');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal).toBeInstanceOf(ReadOnlyRefusal);
    expect(r.refusal.text.zh).toContain('只读');
    expect(r.refusal.text.en).toContain('read-only');
    expect(r.refusal.keyword).toBe('DROP');
  });

  test('read-only PRAGMAs run as their table functions; the statement is trimmed', () => {
    expect(checkReadOnlySql("PRAGMA table_info('shenzhen__parks');")).toEqual({ ok: true, sql: "SELECT * FROM pragma_table_info('shenzhen__parks')" });
    expect(checkReadOnlySql('PRAGMA version')).toEqual({ ok: true, sql: 'SELECT * FROM pragma_version()' });
    expect(checkReadOnlySql('pragma show_tables')).toEqual({ ok: true, sql: 'SHOW TABLES' });
    expect(checkReadOnlySql('  SELECT 1 ; ')).toEqual({ ok: true, sql: 'SELECT 1' });
  });
});

describe('wrapping and messages', () => {
  test('the statement goes to DuckDB as one string literal', () => {
    expect(sqlStringLiteral("a'b")).toBe("'a''b'");
    expect(wrapReadOnly("SELECT 'x'", 11)).toBe("SELECT * FROM query('SELECT ''x''') LIMIT 11");
    expect(() => wrapReadOnly('SELECT 1', 0)).toThrow();
    expect(() => sqlStringLiteral('a\u0000')).toThrow(ReadOnlyRefusal);
  });

  test('row limits are clamped', () => {
    expect(clampMaxRows(undefined)).toBe(1000);
    expect(clampMaxRows(0)).toBe(1);
    expect(clampMaxRows(250.7)).toBe(250);
    expect(clampMaxRows(1e9)).toBe(100_000);
    expect(clampMaxRows(NaN)).toBe(1000);
  });

  test("DuckDB's messages lose the wrapper's excerpt; its own refusal becomes a ReadOnlyRefusal", () => {
    const e = consoleError(new Error('Parser Error: syntax error at or near "SELCT"\n\nLINE 1: SELECT * FROM query(\'SELCT 1\') LIMIT 1001\n                      ^'));
    expect(e.message).toBe('Parser Error: syntax error at or near "SELCT"');
    expect(consoleError(new Error('Parser Error: Expected a single SELECT statement'))).toBeInstanceOf(ReadOnlyRefusal);
  });
});
