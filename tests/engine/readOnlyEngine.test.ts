/**
 * The SQL console's read-only queries against real DuckDB-WASM in Node: a
 * table stays exactly as it was whatever the console is asked to do, at
 * each of the three guards (statement checks, DuckDB's own parser through
 * query(), the rolled-back transaction), and SELECTs work with a row limit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node.ts';
import { ReadOnlyRefusal, runRolledBack, wrapReadOnly } from '../../src/engine/readOnly.ts';

let engine: NodeEngine;
const PARKS = 'shenzhen__parks';
const USER = 'user__my_parks';

/** The whole table as JSON, to compare before and after. */
async function snapshot(table: string): Promise<string> {
  const t = await engine.query(`SELECT * FROM "${table}" ORDER BY id`);
  const info = await engine.describe(table);
  return JSON.stringify({ rows: t.toArray().map((r) => r.toJSON()), columns: info.columns });
}

beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.query(`CREATE TABLE ${PARKS} AS SELECT range::INTEGER AS id, 'park ' || range AS name, (range * 1000)::DOUBLE AS area_m2, 114.05 + range / 100 AS lon, 22.54 + range / 200 AS lat FROM range(2500)`);
  await engine.query(`CREATE TABLE ${USER} AS SELECT * FROM ${PARKS} WHERE id < 3`);
});
afterAll(async () => {
  await engine?.close();
});

describe('readOnlyQuery', () => {
  test('a SELECT works, with the row limit applied by the engine and said', async () => {
    const r = await engine.readOnlyQuery(`SELECT id, name, lon, lat FROM "${PARKS}" ORDER BY id`, { maxRows: 100 });
    expect(r.table.numRows).toBe(100);
    expect(r.truncated).toBe(true);
    expect(r.maxRows).toBe(100);
    expect(r.table.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'lon', 'lat']);
    expect(r.table.get(0)!.toJSON()).toMatchObject({ id: 0, name: 'park 0' });
    expect(r.table.get(99)!.toJSON()).toMatchObject({ id: 99 });

    const all = await engine.readOnlyQuery(`SELECT count(*) AS n FROM ${PARKS}`);
    expect(all.truncated).toBe(false);
    expect(all.maxRows).toBe(1000);
    expect(all.table.get(0)!.toJSON()).toEqual({ n: 2500 });

    const exact = await engine.readOnlyQuery(`SELECT * FROM ${USER}`, { maxRows: 3 });
    expect([exact.table.numRows, exact.truncated]).toEqual([3, false]);
  });

  test('DESCRIBE, SUMMARIZE, SHOW TABLES, a read-only PRAGMA and a CTE run', async () => {
    expect((await engine.readOnlyQuery(`DESCRIBE ${PARKS}`)).table.numRows).toBe(5);
    expect((await engine.readOnlyQuery(`SUMMARIZE ${USER}`)).table.numRows).toBe(5);
    const shown = (await engine.readOnlyQuery('SHOW TABLES')).table.toArray().map((r) => r.name);
    expect(shown).toEqual(expect.arrayContaining([PARKS, USER]));
    const info = await engine.readOnlyQuery(`PRAGMA table_info('${PARKS}')`);
    expect(info.table.toArray().map((r) => r.name)).toEqual(['id', 'name', 'area_m2', 'lon', 'lat']);
    const cte = await engine.readOnlyQuery(`WITH big AS (SELECT * FROM ${PARKS} WHERE area_m2 >= 2000000) SELECT count(*) AS n FROM big`);
    expect(cte.table.get(0)!.toJSON()).toEqual({ n: 500 });
  });

  test.each([
    `CREATE TABLE evil AS SELECT * FROM ${PARKS}`,
    `INSERT INTO ${PARKS} VALUES (9999, 'x', 1, 2, 3)`,
    `UPDATE ${PARKS} SET name = 'gone'`,
    `DELETE FROM ${PARKS}`,
    `DROP TABLE ${PARKS}`,
    `DROP TABLE ${USER}`,
    `ALTER TABLE ${PARKS} RENAME TO renamed`,
    `ALTER TABLE ${PARKS} DROP COLUMN name`,
    `TRUNCATE ${USER}`,
    `SELECT 1; DROP TABLE ${PARKS}`,
    `WITH x AS (SELECT 1) DELETE FROM ${PARKS}`,
    `ATTACH ':memory:' AS other`,
    `SET threads = 1`,
    `CHECKPOINT`,
    `SELECT * FROM checkpoint()`,
  ])('%s is refused and changes nothing', async (sql) => {
    const before = [await snapshot(PARKS), await snapshot(USER), await engine.tables()];
    const err = await engine.readOnlyQuery(sql).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReadOnlyRefusal);
    expect((err as ReadOnlyRefusal).text.zh.length).toBeGreaterThan(0);
    expect([await snapshot(PARKS), await snapshot(USER), await engine.tables()]).toEqual(before);
  });

  test("DuckDB's own parser refuses what the text checks let through: the statement reaches it as a string", async () => {
    const before = await snapshot(PARKS);
    // Straight through the wrapper, as if the checks had missed them.
    for (const sql of [`DROP TABLE ${PARKS}`, `DELETE FROM ${PARKS}`, `SELECT 1) LIMIT 1; DROP TABLE ${PARKS}; SELECT * FROM (SELECT 1`, `SELECT 1'); DROP TABLE ${PARKS}; --`]) {
      await expect(engine.query(wrapReadOnly(sql, 10))).rejects.toThrow(/Parser Error/);
    }
    expect(await snapshot(PARKS)).toBe(before);
    expect(await engine.tables()).toContain(PARKS);
  });

  test('the transaction guard on its own: writes inside it are rolled back', async () => {
    const before = [await snapshot(PARKS), await snapshot(USER)];
    const conn = { run: (sql: string) => engine.query(sql) };
    for (const sql of [
      `DELETE FROM ${PARKS}`,
      `UPDATE ${USER} SET name = 'gone'`,
      `INSERT INTO ${PARKS} VALUES (9999, 'x', 1, 2, 3)`,
      `ALTER TABLE ${USER} ADD COLUMN extra INTEGER`,
      `DROP TABLE ${USER}`,
      `CREATE TABLE evil AS SELECT 1 AS x`,
    ]) {
      await runRolledBack(conn, () => engine.query(sql));
    }
    // A failure inside is rolled back too, and its error comes out.
    await expect(runRolledBack(conn, async () => {
      await engine.query(`DELETE FROM ${PARKS}`);
      await engine.query('SELECT * FROM no_such_table');
    })).rejects.toThrow(/no_such_table/);
    expect([await snapshot(PARKS), await snapshot(USER)]).toEqual(before);
    expect(await engine.tables()).not.toContain('evil');
  });

  test('errors come back cleaned, the wrapper out of sight, and the engine keeps working', async () => {
    const syntax = await engine.readOnlyQuery('SELCT 1').catch((e: Error) => e);
    expect(syntax).toBeInstanceOf(Error);
    expect((syntax as Error).message).toMatch(/^Parser Error: syntax error at or near "SELCT"/);
    expect((syntax as Error).message).not.toContain('query(');
    const missing = await engine.readOnlyQuery('SELECT * FROM no_such_table').catch((e: Error) => e);
    expect((missing as Error).message).toMatch(/Catalog Error: .*no_such_table/);
    expect((missing as Error).message).not.toContain('LIMIT 1001');
    // After the errors the console's connection is out of its transaction: the next query runs.
    expect((await engine.readOnlyQuery(`SELECT count(*) AS n FROM ${USER}`)).table.get(0)!.toJSON()).toEqual({ n: 3 });
    // The main connection was never in the console's transaction.
    await engine.query('CREATE TABLE after_console AS SELECT 1 AS x');
    expect(await engine.tables()).toContain('after_console');
    await engine.dropTable('after_console');
  });

  test('an aborted signal cancels before the query runs', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(engine.readOnlyQuery('SELECT 1', { signal: ac.signal })).rejects.toMatchObject({ name: 'QueryCancelledError' });
  });

  test('hostile text in values and names stays text', async () => {
    const r = await engine.readOnlyQuery(`SELECT '<img src=x onerror=alert(1)>' AS "a""b", NULL AS n`);
    expect(r.table.get(0)!.toJSON()).toEqual({ 'a"b': '<img src=x onerror=alert(1)>', n: null });
  });
});
