/**
 * The engine against real DuckDB-WASM in Node (blocking bindings, no mocks):
 * Parquet / GeoJSON / CSV loading, atomic replace on failure, bound
 * parameters, hostile names and values, extension autoload off.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node.ts';
import { quoteIdent } from '../../src/engine/sql.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/engine/mixed.geojson', import.meta.url));
const HOSTILE = 'a"; DROP TABLE x; --';
const XSS = '<img src=x onerror=alert(1)>';

const TS = [
  new Date('2024-03-01T00:15:00Z'),
  new Date('2024-03-01T00:45:00Z'),
  new Date('2024-03-01T01:10:00Z'),
  null,
  new Date('2024-03-02T23:59:59.999Z'),
  new Date('1999-12-31T23:00:00Z'),
];

function airParquet(): Uint8Array {
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'station', data: ['福田', 'Nanshan', null, XSS, `a'b"c`, 'Luohu'], type: 'STRING' },
      { name: 'pm25', data: [35, null, 80, 12, 55, 101], type: 'INT32' },
      { name: 'readings', data: [10n, 20n, null, 40n, 50n, 60n], type: 'INT64' },
      { name: 'ratio', data: [0.5, 0.25, null, 1.5, -2, 3], type: 'FLOAT' },
      { name: 'temp_c', data: [21.5, null, 19.25, 30.125, -1.5, 0], type: 'DOUBLE' },
      { name: 'ok', data: [true, false, null, true, true, false], type: 'BOOLEAN' },
      { name: 'ts', data: TS, type: 'TIMESTAMP' },
    ],
  });
  return new Uint8Array(buf);
}

/** Reject if `p` has not settled within `ms` (a hang is a failure, not a stuck test run). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function scalar(engine: NodeEngine, sql: string, params?: unknown[]): Promise<unknown> {
  const t = await engine.query(sql, params);
  const row = t.get(0);
  if (!row) throw new Error(`no rows from ${sql}`);
  return Object.values(row.toJSON())[0];
}

let engine: NodeEngine;
let instantiateMs = 0;

beforeAll(async () => {
  const t0 = performance.now();
  engine = await createNodeEngine();
  instantiateMs = performance.now() - t0;
});

afterAll(async () => {
  await engine?.close();
});

describe('node engine basics', () => {
  test('instantiates quickly enough and answers SQL', async () => {
    expect(instantiateMs).toBeLessThan(30_000);
    expect(await scalar(engine, 'SELECT 40 + 2 AS answer')).toBe(42);
  });

  test('extension autoload is off: read_parquet / read_json fail fast instead of hanging', async () => {
    await expect(within(engine.query("SELECT * FROM read_parquet('nowhere.parquet')"), 10_000, 'read_parquet')).rejects.toThrow(/parquet/i);
    await expect(within(engine.query("SELECT * FROM read_json('nowhere.json')"), 10_000, 'read_json')).rejects.toThrow(/json/i);
    const setting = await scalar(engine, "SELECT current_setting('autoload_known_extensions')");
    expect(setting).toBe(false);
    expect(await scalar(engine, "SELECT current_setting('autoinstall_known_extensions')")).toBe(false);
  });

  test('nothing can fetch an extension or reach outside: fails fast with a clear error', async () => {
    // timezone() lives in the ICU extension: with only autoload off it still tries to download it (hangs in Node).
    await expect(within(engine.query("SELECT timezone('Asia/Shanghai', TIMESTAMP '2025-01-01 00:00:00')"), 10_000, 'timezone()')).rejects.toThrow(/icu/i);
    await expect(within(engine.query('LOAD spatial'), 10_000, 'LOAD spatial')).rejects.toThrow(/disabled/i);
    await expect(within(engine.query("SELECT * FROM 'https://example.com/x.csv'"), 10_000, 'http path')).rejects.toThrow(/Permission Error/);
    await expect(within(engine.query("SELECT * FROM read_csv('/etc/passwd')"), 10_000, 'local file')).rejects.toThrow(/Permission Error/);
    await expect(within(engine.query("ATTACH 'other.db'"), 10_000, 'ATTACH')).rejects.toThrow(/Permission Error/);
    await expect(engine.query('SET enable_external_access = true')).rejects.toThrow(/Cannot change enable_external_access/);
    // The engine's own loaders still work.
    expect((await engine.loadCSV('lockdown_ok', 'a\n1\n')).rows).toBe(1);
    await engine.dropTable('lockdown_ok');
  });
});

describe('Parquet', () => {
  const bytes = airParquet();

  test('loads with the right types and counts', async () => {
    const info = await engine.loadParquet('air', bytes);
    expect(info.name).toBe('air');
    expect(info.rows).toBe(6);
    expect(info.columns).toEqual([
      { name: 'station', type: 'VARCHAR' },
      { name: 'pm25', type: 'INTEGER' },
      { name: 'readings', type: 'BIGINT' },
      { name: 'ratio', type: 'FLOAT' },
      { name: 'temp_c', type: 'DOUBLE' },
      { name: 'ok', type: 'BOOLEAN' },
      { name: 'ts', type: 'TIMESTAMP_MS' },
    ]);
    const t = await engine.query(
      `SELECT count(*) AS n, count(station) AS n_station, count(pm25) AS n_pm25, sum(pm25) AS pm25,
              sum(readings) AS readings, sum(ratio) AS ratio, avg(temp_c) AS temp, count(ts) AS n_ts,
              count(*) FILTER (WHERE ok) AS n_ok, count(ok) AS n_ok_known
       FROM air`,
    );
    expect(t.get(0)!.toJSON()).toEqual({
      n: 6, n_station: 5, n_pm25: 5, pm25: 283, readings: 180, ratio: 3.25,
      temp: (21.5 + 19.25 + 30.125 - 1.5 + 0) / 5, n_ts: 5, n_ok: 3, n_ok_known: 5,
    });
  });

  test('strings round-trip exactly, nulls stay null', async () => {
    const t = await engine.query('SELECT station, pm25, readings, ok, ts FROM air');
    const rows = t.toArray().map((r) => r.toJSON());
    expect(rows.map((r) => r.station)).toEqual(['福田', 'Nanshan', null, XSS, `a'b"c`, 'Luohu']);
    expect(rows.map((r) => r.pm25)).toEqual([35, null, 80, 12, 55, 101]);
    expect(rows.map((r) => r.readings)).toEqual([10, 20, null, 40, 50, 60]);
    expect(rows.map((r) => r.ok)).toEqual([true, false, null, true, true, false]);
    expect(rows.map((r) => r.ts)).toEqual(TS.map((d) => (d ? d.getTime() : null)));
  });

  test('timestamp arithmetic: date_trunc, intervals, date_diff', async () => {
    const hours = await engine.query(
      `SELECT epoch_ms(date_trunc('hour', ts)) AS h, count(*) AS n FROM air
       WHERE ts IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const expected = new Map<number, number>();
    for (const d of TS) {
      if (!d) continue;
      const h = Math.floor(d.getTime() / 3_600_000) * 3_600_000;
      expected.set(h, (expected.get(h) ?? 0) + 1);
    }
    expect(hours.toArray().map((r) => [r.h, r.n])).toEqual([...expected.entries()].sort((a, b) => a[0] - b[0]));

    const day = await scalar(engine, "SELECT epoch_ms(date_trunc('day', max(ts)) + INTERVAL 1 DAY) FROM air");
    expect(day).toBe(Date.UTC(2024, 2, 3));
    const minutes = await scalar(engine, "SELECT date_diff('minute', min(ts), max(ts)) FROM air WHERE ts >= TIMESTAMP '2024-01-01'");
    expect(minutes).toBe(Math.floor((TS[4]!.getTime() - TS[0]!.getTime()) / 60_000));
    // Milliseconds survive.
    expect(await scalar(engine, 'SELECT millisecond(max(ts)) FROM air')).toBe(59_999);
  });

  test('logical types reach DuckDB as DATE, TIMESTAMP_MS, DOUBLE and JSON text', async () => {
    const logical = new Uint8Array(
      parquetWriteBuffer({
        schema: [
          { name: 'root', num_children: 4 },
          { name: 'day', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DATE' },
          { name: 'us', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
          { name: 'dec', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', precision: 9, scale: 2 },
          { name: 'js', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'JSON' },
        ],
        columnData: [
          { name: 'day', data: [19782, null] },
          { name: 'us', data: [1_709_252_100_123_456n, null] },
          { name: 'dec', data: [12.34, null] },
          { name: 'js', data: [{ a: [1, 2] }, null] },
        ],
      }),
    );
    const info = await engine.loadParquet('logical', logical);
    expect(info.columns).toEqual([
      { name: 'day', type: 'DATE' },
      { name: 'us', type: 'TIMESTAMP_MS' },
      { name: 'dec', type: 'DOUBLE' },
      { name: 'js', type: 'VARCHAR' },
    ]);
    const r = (await engine.query("SELECT strftime(day, '%Y-%m-%d') AS d, epoch_ms(us) AS us, dec, js FROM logical WHERE day IS NOT NULL")).get(0)!.toJSON();
    expect(r).toEqual({ d: '2024-02-29', us: 1_709_252_100_123, dec: 12.34, js: '{"a":[1,2]}' });
    await engine.dropTable('logical');
  });

  test('a Uint8Array view into a larger buffer loads too', async () => {
    const padded = new Uint8Array(bytes.byteLength + 100);
    padded.set(bytes, 37);
    const info = await engine.loadParquet('air_view', padded.subarray(37, 37 + bytes.byteLength));
    expect(info.rows).toBe(6);
    await engine.dropTable('air_view');
  });

  test('failed loads throw clear errors and leave the old table intact', async () => {
    await engine.loadParquet('air', bytes);
    const before = await engine.query('SELECT * FROM air ORDER BY station');

    await expect(engine.loadParquet('air', bytes.subarray(0, Math.floor(bytes.byteLength / 2)))).rejects.toThrow(
      /could not load Parquet into table "air": truncated or corrupt Parquet file/,
    );
    await expect(engine.loadParquet('air', new Uint8Array(0))).rejects.toThrow(/empty file/);
    await expect(engine.loadParquet('air', new TextEncoder().encode('station,pm25\nA,1\n'))).rejects.toThrow(/not a Parquet file/);
    // Valid magic at both ends, garbage in between.
    const garbled = bytes.slice();
    garbled.fill(7, 4, garbled.byteLength - 4);
    await expect(engine.loadParquet('air', garbled)).rejects.toThrow(/could not load Parquet into table "air": could not read Parquet metadata/);

    const after = await engine.query('SELECT * FROM air ORDER BY station');
    expect(after.toArray().map((r) => r.toJSON())).toEqual(before.toArray().map((r) => r.toJSON()));
    // No half-made temp tables left behind.
    const leftovers = await scalar(engine, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '\\_\\_civic%' ESCAPE '\\'");
    expect(leftovers).toBe(0);
  });

  test('a successful load replaces the table', async () => {
    const small = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'only', data: [1, 2], type: 'INT32' }] }));
    const info = await engine.loadParquet('replace_me', bytes);
    expect(info.rows).toBe(6);
    const replaced = await engine.loadParquet('replace_me', small);
    expect(replaced).toEqual({ name: 'replace_me', rows: 2, columns: [{ name: 'only', type: 'INTEGER' }] });
    await engine.dropTable('replace_me');
  });
});

describe('GeoJSON', () => {
  const text = readFileSync(FIXTURE, 'utf8');

  test('one row per feature with properties, geometry text, type and bbox', async () => {
    const info = await engine.loadGeoJSON('places', text);
    expect(info.rows).toBe(5);
    expect(info.columns).toEqual([
      { name: '__fid', type: 'INTEGER' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'area_ha', type: 'DOUBLE' },
      { name: 'visitors', type: 'INTEGER' },
      { name: 'open', type: 'BOOLEAN' },
      { name: 'note', type: 'VARCHAR' },
      { name: HOSTILE, type: 'VARCHAR' },
      { name: 'mixed', type: 'VARCHAR' },
      { name: 'tags', type: 'VARCHAR' },
      { name: 'Name_1', type: 'VARCHAR' },
      { name: '__geom_1', type: 'VARCHAR' },
      { name: '__proto__', type: 'VARCHAR' },
      { name: '__geom', type: 'VARCHAR' },
      { name: '__gtype', type: 'VARCHAR' },
      { name: '__xmin', type: 'DOUBLE' },
      { name: '__ymin', type: 'DOUBLE' },
      { name: '__xmax', type: 'DOUBLE' },
      { name: '__ymax', type: 'DOUBLE' },
    ]);

    const t = await engine.query(`SELECT * FROM places ORDER BY __fid`);
    const rows = t.toArray().map((r) => r.toJSON());
    const source = JSON.parse(text).features as { properties: Record<string, unknown> | null; geometry: unknown }[];
    expect(rows.map((r) => r.__fid)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.map((r) => r.__gtype)).toEqual(['Polygon', 'MultiPolygon', 'Point', null, 'Point']);
    rows.forEach((r, i) => {
      const geometry = source[i]!.geometry;
      expect(r.__geom === null ? null : JSON.parse(r.__geom as string)).toEqual(geometry);
    });
    expect(rows[0]).toMatchObject({ name: '莲花山公园', area_ha: 194.5, visitors: 12000, open: true, note: XSS, [HOSTILE]: 'hostile name', mixed: '1', tags: '["park","hill"]' });
    expect(rows[0]).toMatchObject({ __xmin: 114.05, __ymin: 22.55, __xmax: 114.07, __ymax: 22.57 });
    expect(rows[1]).toMatchObject({
      note: `quote ' and " and \\ backslash; -- not a comment`,
      [HOSTILE]: "'); DROP TABLE x; --",
      mixed: 'one',
      Name_1: 'case twin',
      __geom_1: 'a property called __geom',
      __xmin: 120.1, __ymin: 36.0, __xmax: 120.4, __ymax: 36.3,
    });
    expect(rows[2]).toMatchObject({ note: '', mixed: 'true', visitors: 40, __xmin: 117.0, __xmax: 117.0 });
    expect(rows[3]).toMatchObject({ name: 'No geometry', __proto__: 'proto value', __geom: null, __xmin: null, __ymax: null });
    expect(rows[4]).toMatchObject({ name: null, __xmin: 121.55, __ymin: 29.87 });
  });

  test('hostile names are usable through quoteIdent and values bind as parameters', async () => {
    await engine.loadGeoJSON('places', text);
    const col = quoteIdent(HOSTILE);
    const t = await engine.query(`SELECT ${col} AS v FROM places WHERE note = ? ORDER BY __fid`, [XSS]);
    expect(t.toArray().map((r) => r.v)).toEqual(['hostile name']);
    const same = await engine.query(`SELECT __fid FROM places WHERE ${col} = $1`, ["'); DROP TABLE x; --"]);
    expect(same.toArray().map((r) => r.__fid)).toEqual([1]);
    expect(await engine.tables()).toContain('places');
  });

  test('a table named with hostile text works', async () => {
    const info = await engine.loadGeoJSON(HOSTILE, text);
    expect(info.name).toBe(HOSTILE);
    expect(await scalar(engine, `SELECT count(*) FROM ${quoteIdent(HOSTILE)}`)).toBe(5);
    expect(await engine.tables()).toContain(HOSTILE);
    await engine.dropTable(HOSTILE);
    expect(await engine.tables()).not.toContain(HOSTILE);
  });

  test('an empty FeatureCollection gives an empty table with the geometry columns', async () => {
    const info = await engine.loadGeoJSON('empty_fc', '{"type":"FeatureCollection","features":[]}');
    expect(info.rows).toBe(0);
    expect(info.columns.map((c) => c.name)).toEqual(['__fid', '__geom', '__gtype', '__xmin', '__ymin', '__xmax', '__ymax']);
    await engine.dropTable('empty_fc');
  });

  test('failed loads throw clear errors and leave the old table intact', async () => {
    await engine.loadGeoJSON('places', text);
    const before = await scalar(engine, 'SELECT count(*) FROM places');
    await expect(engine.loadGeoJSON('places', '{"type":"FeatureCollection","features":[')).rejects.toThrow(
      /could not load GeoJSON into table "places": not a GeoJSON FeatureCollection: the text is not valid JSON/,
    );
    await expect(engine.loadGeoJSON('places', '')).rejects.toThrow(/empty file/);
    await expect(engine.loadGeoJSON('places', '{"type":"Feature","properties":{},"geometry":null}')).rejects.toThrow(
      /not a GeoJSON FeatureCollection \(got type "Feature"\)/,
    );
    await expect(engine.loadGeoJSON('places', '[1,2,3]')).rejects.toThrow(/not a GeoJSON FeatureCollection/);
    await expect(
      engine.loadGeoJSON('places', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["x",1]}}]}'),
    ).rejects.toThrow(/invalid GeoJSON: feature 0: coordinate values must be finite numbers/);
    await expect(
      engine.loadGeoJSON('places', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[1,1]}}]}'),
    ).rejects.toThrow(/unknown geometry type "Circle"/);
    expect(await scalar(engine, 'SELECT count(*) FROM places')).toBe(before);
  });
});

describe('CSV', () => {
  test('loads via read_csv with header and delimiter options', async () => {
    const quoted = `"${HOSTILE.replace(/"/g, '""')}"`;
    const info = await engine.loadCSV('csv_semi', `district;pop;name\nFutian;1553225;"福田; centre"\nNanshan;1795826;${quoted}\n`, {
      header: true,
      delimiter: ';',
    });
    expect(info.rows).toBe(2);
    expect(info.columns.map((c) => c.name)).toEqual(['district', 'pop', 'name']);
    const t = await engine.query('SELECT * FROM csv_semi ORDER BY district');
    expect(t.toArray().map((r) => r.toJSON())).toEqual([
      { district: 'Futian', pop: 1553225, name: '福田; centre' },
      { district: 'Nanshan', pop: 1795826, name: HOSTILE },
    ]);
  });

  test('header: false names columns itself; hostile header names survive', async () => {
    const info = await engine.loadCSV('csv_nohead', '1,2\n3,4\n', { header: false });
    expect(info.rows).toBe(2);
    const hostile = await engine.loadCSV('csv_hostile', `"${HOSTILE.replace(/"/g, '""')}",ok\n1,2\n`, { header: true });
    expect(hostile.columns.map((c) => c.name)).toEqual([HOSTILE, 'ok']);
    expect(await scalar(engine, `SELECT ${quoteIdent(HOSTILE)} FROM csv_hostile`)).toBe(1);
  });

  test('failed loads leave the old table intact', async () => {
    await engine.loadCSV('csv_keep', 'a,b\n1,2\n');
    await expect(engine.loadCSV('csv_keep', '')).rejects.toThrow(/could not load CSV into table "csv_keep": empty file/);
    await expect(engine.loadCSV('csv_keep', 'a,b\n1,2\n', { delimiter: '' })).rejects.toThrow(/delimiter/);
    await expect(engine.loadCSV('csv_keep', 'a,b\n1,2\n', { delimiter: 'abcdefgh' })).rejects.toThrow(/could not load CSV into table "csv_keep"/);
    // Malformed (an unquoted field holding the delimiter and a quote): an error, not silently dropped rows.
    await expect(
      engine.loadCSV('csv_keep', `district;pop;name\nFutian;1;"x; y"\nNanshan;2;${HOSTILE}\n`, { header: true, delimiter: ';' }),
    ).rejects.toThrow(/could not load CSV into table "csv_keep": .*input\.csv/);
    expect((await engine.query('SELECT * FROM csv_keep')).toArray().map((r) => r.toJSON())).toEqual([{ a: 1, b: 2 }]);
  });
});

describe('queries', () => {
  test('bound parameters: ? and $n, strings never parsed as SQL', async () => {
    await engine.loadParquet('air', airParquet());
    expect(await scalar(engine, 'SELECT count(*) FROM air WHERE pm25 > ? AND ok = ?', [30, true])).toBe(2);
    expect(await scalar(engine, 'SELECT count(*) FROM air WHERE pm25 BETWEEN $1 AND $2', [12, 55])).toBe(3);
    const evil = "'; DROP TABLE air; --";
    expect(await scalar(engine, 'SELECT ? AS v', [evil])).toBe(evil);
    expect(await scalar(engine, 'SELECT count(*) FROM air WHERE station = ?', [XSS])).toBe(1);
    expect(await scalar(engine, 'SELECT ? IS NULL', [null])).toBe(true);
    expect(await scalar(engine, 'SELECT epoch_ms(?::TIMESTAMP)', [new Date('2024-03-01T00:15:00Z')])).toBe(TS[0]!.getTime());
    expect(await scalar(engine, 'SELECT ? + 1', [41n])).toBe(42);
    await expect(engine.query('SELECT ?', [{ a: 1 }])).rejects.toThrow(/parameter 1: unsupported type/);
    expect(await engine.tables()).toContain('air');
  });

  test('SQL errors are readable', async () => {
    await expect(engine.query('SELECT * FROM no_such_table')).rejects.toThrow(/Catalog Error: Table with name no_such_table does not exist/);
    await expect(engine.query('   ')).rejects.toThrow(/empty/);
  });

  test('tables(), describe() and dropTable()', async () => {
    await engine.loadCSV('to_drop', 'x\n1\n');
    expect(await engine.tables()).toContain('to_drop');
    expect(await engine.describe('to_drop')).toEqual({ name: 'to_drop', rows: 1, columns: [{ name: 'x', type: 'BIGINT' }] });
    await engine.dropTable('to_drop');
    expect(await engine.tables()).not.toContain('to_drop');
    await engine.dropTable('to_drop'); // dropping twice is fine
    await expect(engine.loadCSV('__civic_engine_x', 'x\n1\n')).rejects.toThrow(/reserved/);
    await expect(engine.loadCSV('', 'x\n1\n')).rejects.toThrow(/non-empty/);
  });

  test('concurrent calls are serialised: loads and queries never interleave', async () => {
    const bytes = airParquet();
    const [first, one, second, countBetween, third] = await Promise.all([
      engine.loadParquet('race', bytes),
      engine.query('SELECT 1 AS one'),
      engine.loadCSV('race', 'a\n1\n2\n3\n'),
      engine.query('SELECT count(*) AS n FROM race'),
      engine.loadParquet('race', bytes),
    ]);
    expect(first.rows).toBe(6);
    expect(one.get(0)!.one).toBe(1);
    expect(second.rows).toBe(3);
    expect(countBetween.get(0)!.n).toBe(3); // ran after the CSV load and before the last Parquet load
    expect(third.rows).toBe(6);
    expect(await scalar(engine, 'SELECT count(*) FROM race')).toBe(6);
    await engine.dropTable('race');
  });

  test('queryCancellable runs a query; cancel() with nothing running is false', async () => {
    const t = await engine.queryCancellable('SELECT 7 AS seven');
    expect(t.get(0)!.seven).toBe(7);
    expect(await engine.cancel()).toBe(false);
  });
});

describe('numbersAsDouble: false', () => {
  test('keeps BIGINT results as BigInt', async () => {
    // A second database in the same process: fine for the blocking bindings.
    const exact = await createNodeEngine({ numbersAsDouble: false });
    try {
      const n = await scalar(exact, 'SELECT 9007199254740993::BIGINT');
      expect(n).toBe(9007199254740993n);
    } finally {
      await exact.close();
    }
  });
});

describe('close', () => {
  test('a closed engine rejects further calls', async () => {
    const e = await createNodeEngine();
    await e.close();
    await expect(e.query('SELECT 1')).rejects.toThrow(/engine is closed/);
    await e.close(); // idempotent
  });
});
