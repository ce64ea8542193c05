import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../engine/node.ts';
import {
  IMPORTED_HOURLY_TABLE,
  IMPORTED_STATIONS_TABLE,
  classifyCsv,
  clearImportedAir,
  importAirFiles,
  importedAirSql,
  importedStationsForCity,
  messageForError,
  messageForProblem,
  tooLargeResult,
  type AirImportOutcome,
  type Message,
} from './airImport.ts';

// Invented stations and values in the real layouts (see tests/fixtures/cnemc/README.md).
const fixture = (f: string) => new Uint8Array(readFileSync(new URL(`../../tests/fixtures/cnemc/${f}`, import.meta.url)));
const GBK_STATIONS = fixture('stations.gbk.csv'); // 宁波/济南 stations 9001A–9006A, 2 without coordinates, 1 closed
const GBK_HOUR1 = fixture('hourly-2022-01-01T01.gbk.csv'); // 9001A, 9002A (宁波市), 9401A, 9402A (深圳市)
const utf8 = (s: string) => new TextEncoder().encode(s);

const HOURLY_HEADER =
  'timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h';
const HOUR0 = [
  HOURLY_HEADER,
  '2022-01-01T00:00:00,9001A,121.5001,29.8702,宁波市,示范公园,,66,81,86,29,55,90,4,78,42,72,63,9,18,1.1,1',
  '2022-01-01T00:00:00,9002A,121.9003,29.6004,宁波市,山顶(对照点),,52,48,60,36,50,95,35,70,40,40,40,5,6,0.4,0.5',
  '2022-01-01T00:00:00,9401A,114.0501,22.5502,深圳市,莲花试验点,,45,40,44,28,30,61,21,50,40,36,40,5,6,0.6,0.7',
].join('\n');
const SZ_STATIONS = [
  '监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区',
  '9401A,莲花试验点,深圳,114.0501,22.5502,N,广东省,深圳市',
  '9403A,"<img src=x onerror=alert(1)>",深圳,114.1003,22.6004,N,广东省,深圳市',
  '9404A,旧站(停运200101),深圳,114.2005,22.7006,Y,广东省,深圳市',
  '9501A,海边试验点,即墨,120.4507,36.3908,N,山东省,青岛市',
].join('\n');

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine?.close();
});

const rows = async (sql: string) => (await engine.query(sql)).toArray().map((r) => r.toJSON() as Record<string, unknown>);
const count = async (table: string) => Number((await rows(`SELECT count(*)::DOUBLE AS n FROM ${table}`))[0]!.n);
const workTables = async () => (await engine.tables()).filter((t) => t !== IMPORTED_HOURLY_TABLE && t !== IMPORTED_STATIONS_TABLE);
const bilingual = (m: Message) => {
  expect(m.zh.length).toBeGreaterThan(0);
  expect(m.en.length).toBeGreaterThan(0);
  expect(m.zh).toMatch(/[\u4e00-\u9fff]/);
};

describe('classifyCsv', () => {
  it('tells station lists, hourly files and garbage apart', () => {
    expect(classifyCsv('stations.gbk.csv', GBK_STATIONS)).toBe('stations');
    expect(classifyCsv('list.csv', utf8(SZ_STATIONS))).toBe('stations');
    expect(classifyCsv('x.csv', utf8('\ufeffid,name,city,lon,lat,background\n1,a,b,1,2,N\n'))).toBe('stations');
    expect(classifyCsv('h.csv', utf8(HOUR0))).toBe('hourly');
    expect(classifyCsv('h.gbk.csv', GBK_HOUR1)).toBe('hourly');
    expect(classifyCsv('zh.csv', utf8('监测点编码,监测点名称,PM2.5,PM10,O3,O3_24h,NO2,SO2,CO\n9301A,乙,1,2,3,4,5,6,0.1\n'))).toBe('hourly');
    // Too few columns to import, but clearly meant as hourly data: the import then names what is missing.
    expect(classifyCsv('partial.csv', utf8('timepoint,stationcode,pm2_5\n2022-01-01T00:00:00,9001A,3\n'))).toBe('hourly');
    expect(classifyCsv('junk.bin', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255, 254, 10, 0]))).toBe('unknown');
    expect(classifyCsv('book.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]))).toBe('unknown');
    expect(classifyCsv('empty.csv', new Uint8Array(0))).toBe('unknown');
    expect(classifyCsv('text.csv', utf8('hello,world\n1,2\n'))).toBe('unknown');
    // The other archive layout (one column per station) is not this one.
    expect(classifyCsv('china_sites_20220101.csv', utf8('date,hour,type,1001A,1002A\n20220101,0,PM2.5,10,12\n'))).toBe('unknown');
  });
});

describe('importAirFiles', () => {
  let first: AirImportOutcome;

  it('imports a GBK station list and two hourly files (one GBK), reporting each file', async () => {
    const progress: string[] = [];
    first = await importAirFiles(
      engine,
      [
        { name: 'stations.gbk.csv', bytes: GBK_STATIONS },
        { name: 'cnemc-hourly-2022-01-01T00.csv', bytes: utf8(HOUR0) },
        { name: 'cnemc-hourly-2022-01-01T01.csv', bytes: GBK_HOUR1 },
      ],
      { onProgress: (i, n, name) => progress.push(`${i}/${n} ${name}`) },
    );
    expect(progress).toEqual(['0/3 stations.gbk.csv', '1/3 cnemc-hourly-2022-01-01T00.csv', '2/3 cnemc-hourly-2022-01-01T01.csv', '3/3 ']);
    const [s, h0, h1] = first.files;
    expect(s).toMatchObject({ kind: 'stations', ok: true, rows: 4, encoding: 'gbk' });
    expect(h0).toMatchObject({ kind: 'hourly', ok: true, rows: 3, encoding: 'utf-8', messages: [] });
    expect(h1).toMatchObject({ kind: 'hourly', ok: true, rows: 4, encoding: 'gbk' });
    // GBK noted; dropped and closed stations translated.
    expect(s!.messages.map((m) => m.level)).toEqual(['info', 'warning', 'info']);
    expect(s!.messages[0]).toMatchObject({ zh: expect.stringContaining('GBK'), en: expect.stringContaining('GBK') });
    expect(s!.messages[1]!.zh).toMatch(/^6 个站点中有 2 个没有有效坐标.*9004A, 9005A/);
    expect(s!.messages[1]!.en).toMatch(/^2 of 6 stations had no valid coordinates.*9004A, 9005A/);
    expect(s!.messages[2]!.zh).toMatch(/1 个站点名称中标有“停运”/);
    expect(h1!.messages).toEqual([expect.objectContaining({ level: 'info', zh: expect.stringContaining('GBK') })]);
    // 9001A 9002A 9003A 9006A from the list, 9401A 9402A only in hourly files.
    expect(first).toMatchObject({ stations: 6, hours: 2, span: ['2022-01-01T00', '2022-01-01T01'] });
    expect(await count(IMPORTED_HOURLY_TABLE)).toBe(7);
    expect(await count(IMPORTED_STATIONS_TABLE)).toBe(4);
    expect(await rows(`SELECT station_name, strftime(ts, '%Y-%m-%d %H') AS ts, pm25, o3 FROM ${IMPORTED_HOURLY_TABLE} WHERE station_id = '9402A'`)).toEqual([
      { station_name: '南山试验点', ts: '2021-12-31 17', pm25: 20, o3: 25 },
    ]);
    expect(await workTables()).toEqual([]);
  });

  it('merges a later hourly import: the newer file wins per station and hour, other hours stay', async () => {
    const newer = `${HOURLY_HEADER}\n2022-01-01T01:00:00,9001A,121.5001,29.8702,宁波市,示范公园,,99,99,99,77,99,99,12,99,99,99,99,9,9,1.9,1.9\n2022-01-01T02:00:00,9001A,121.5001,29.8702,宁波市,示范公园,,1,2,3,4,5,6,7,8,9,10,11,12,13,1.4,1.5\n`;
    const o = await importAirFiles(engine, [{ name: 'fix-2022-01-01T01.csv', bytes: utf8(newer) }]);
    expect(o.files[0]).toMatchObject({ ok: true, rows: 2 });
    expect(o).toMatchObject({ stations: 6, hours: 3, span: ['2022-01-01T00', '2022-01-01T02'] });
    expect(await count(IMPORTED_HOURLY_TABLE)).toBe(8);
    expect(await rows(`SELECT strftime(ts, '%H') AS h, pm25 FROM ${IMPORTED_HOURLY_TABLE} WHERE station_id = '9001A' ORDER BY ts`)).toEqual([
      { h: '16', pm25: 29 },
      { h: '17', pm25: 77 },
      { h: '18', pm25: 4 },
    ]);
  });

  it('malformed files fail one by one with zh+en messages; earlier imports and good files in the same batch survive', async () => {
    const before = await rows(`SELECT * FROM ${IMPORTED_HOURLY_TABLE} ORDER BY station_id, ts`);
    const stationsBefore = await rows(`SELECT * FROM ${IMPORTED_STATIONS_TABLE} ORDER BY id`);
    const good = `${HOURLY_HEADER}\n2022-01-01T03:00:00,9002A,121.9003,29.6004,宁波市,山顶(对照点),,1,2,3,4,5,6,7,8,9,10,11,12,13,0.4,0.5\n`;
    const o = await importAirFiles(engine, [
      { name: 'broken-2022-01-01T04.csv', bytes: utf8('timepoint,stationcode,pm2_5,pm10,o3,no2\n2022-01-01T04:00:00,9001A,1,2,3,4\n') },
      { name: 'junk.csv', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255, 254, 10, 0, 0, 33]) },
      { name: 'book.xlsx', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, 8, 0]) },
      { name: 'list-no-coords.csv', bytes: utf8('监测点编码,监测点名称,城市,纬度\n9201A,甲,宁波,29.1\n') },
      { name: 'header-only.csv', bytes: utf8('监测点编码,监测点名称,城市,经度,纬度,对照点\n') },
      { name: 'empty.csv', bytes: utf8('\ufeff \r\n') },
      { name: 'utf16.csv', bytes: new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]) },
      { name: 'notes.csv', bytes: utf8('hello,world\n1,2\n') },
      { name: 'good-2022-01-01T03.csv', bytes: utf8(good) },
    ]);
    expect(o.files.map((f) => [f.name, f.kind, f.ok])).toEqual([
      ['broken-2022-01-01T04.csv', 'hourly', false],
      ['junk.csv', 'unknown', false],
      ['book.xlsx', 'unknown', false],
      ['list-no-coords.csv', 'stations', false],
      ['header-only.csv', 'stations', false],
      ['empty.csv', 'unknown', false],
      ['utf16.csv', 'unknown', false],
      ['notes.csv', 'unknown', false],
      ['good-2022-01-01T03.csv', 'hourly', true],
    ]);
    for (const f of o.files.slice(0, 8)) {
      const err = f.messages.at(-1)!;
      expect(err.level).toBe('error');
      bilingual(err);
      expect(f.rows).toBeUndefined();
    }
    const [broken, junk, xlsx, noCoords, headerOnly, empty, utf16, notes] = o.files.map((f) => f.messages.at(-1)!);
    expect(broken!.zh).toMatch(/^缺少必需的列：SO2（so2）、CO（co）、o3_24h。文件中的列：timepoint, stationcode/);
    expect(broken!.en).toMatch(/^Missing required columns: SO2 \(so2\), CO \(co\), o3_24h\. The file has: timepoint/);
    expect(broken!.zh).toContain('按列名');
    expect(junk!.zh).toContain('不是 CSV');
    expect(junk!.en).toContain('not a CSV');
    expect(xlsx!.en).toContain('Excel');
    expect(noCoords!.zh).toBe('缺少必需的列：经度、对照点。文件中的列：监测点编码, 监测点名称, 城市, 纬度');
    expect(noCoords!.en).toMatch(/^Missing required columns: longitude \(经度\), background-site flag \(对照点\)\./);
    expect(headerOnly!.en).toMatch(/no usable rows/);
    expect(empty!.en).toMatch(/empty/);
    expect(utf16!.zh).toMatch(/UTF-16/);
    expect(notes!.zh).toMatch(/^无法识别/);
    // The tables are what they were, plus the one good file.
    expect(await rows(`SELECT * FROM ${IMPORTED_STATIONS_TABLE} ORDER BY id`)).toEqual(stationsBefore);
    const after = await rows(`SELECT * FROM ${IMPORTED_HOURLY_TABLE} ORDER BY station_id, ts`);
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((r) => r.source_file !== 'good-2022-01-01T03.csv')).toEqual(before);
    expect(o).toMatchObject({ hours: 4, span: ['2022-01-01T00', '2022-01-01T03'] });
    expect(await workTables()).toEqual([]);
  });

  it('a later station list replaces the earlier one; hostile names stay plain text', async () => {
    const o = await importAirFiles(engine, [{ name: '深圳站点.csv', bytes: utf8(SZ_STATIONS) }]);
    expect(o.files[0]).toMatchObject({ kind: 'stations', ok: true, rows: 4, encoding: 'utf-8' });
    expect(o.files[0]!.messages.map((m) => m.en)).toEqual([expect.stringContaining('停运')]);
    expect((await rows(`SELECT id FROM ${IMPORTED_STATIONS_TABLE} ORDER BY id`)).map((r) => r.id)).toEqual(['9401A', '9403A', '9404A', '9501A']);
    expect(await rows(`SELECT name FROM ${IMPORTED_STATIONS_TABLE} WHERE id = '9403A'`)).toEqual([{ name: '<img src=x onerror=alert(1)>' }]);
  });

  it('importedAirSql: one city only, the air layer’s columns, list first then hourly-only stations', async () => {
    const sql = (await importedAirSql(engine, '深圳'))!;
    expect(sql).not.toBeNull();
    const st = await rows(sql.stations);
    // 9401A, 9403A, 9404A (closed, kept) from the list; 9402A only in the hourly files.
    expect(st).toEqual([
      { id: '9401A', name: '莲花试验点', district: '', lon: 114.0501, lat: 22.5502 },
      { id: '9402A', name: '南山试验点', district: '', lon: 113.9503, lat: 22.5304 },
      { id: '9403A', name: '<img src=x onerror=alert(1)>', district: '', lon: 114.1003, lat: 22.6004 },
      { id: '9404A', name: '旧站(停运200101)', district: '', lon: 114.2005, lat: 22.7006 },
    ]);
    const types = async (q: string) => Object.fromEntries((await rows(`DESCRIBE ${q}`)).map((r) => [r.column_name, r.column_type]));
    expect(await types(sql.stations)).toEqual({ id: 'VARCHAR', name: 'VARCHAR', district: 'VARCHAR', lon: 'DOUBLE', lat: 'DOUBLE' });
    expect(await types(sql.hourly)).toEqual({
      station_id: 'VARCHAR', ts: 'TIMESTAMP', pm25: 'DOUBLE', pm10: 'DOUBLE', o3: 'DOUBLE', no2: 'DOUBLE', so2: 'DOUBLE', co: 'DOUBLE',
    });
    const hr = await rows(`SELECT station_id, strftime(ts, '%Y-%m-%d %H') AS ts, pm25, o3 FROM (${sql.hourly})`);
    expect(hr).toEqual([
      { station_id: '9401A', ts: '2021-12-31 16', pm25: 28, o3: 21 },
      { station_id: '9401A', ts: '2021-12-31 17', pm25: 25, o3: 20 },
      { station_id: '9402A', ts: '2021-12-31 17', pm25: 20, o3: 25 },
    ]);
    // '深圳市' works too; the air layer's join: stations with and without a reading at one hour.
    expect(await importedStationsForCity(engine, '深圳市')).toBe(4);
    const at = await rows(
      `SELECT s.id, r.pm25 FROM (${sql.stations}) s LEFT JOIN (${sql.hourly}) r ON r.station_id = s.id AND epoch_ms(r.ts) = ${Date.UTC(2021, 11, 31, 17)} ORDER BY s.id`,
    );
    expect(at).toEqual([
      { id: '9401A', pm25: 25 },
      { id: '9402A', pm25: 20 },
      { id: '9403A', pm25: null },
      { id: '9404A', pm25: null },
    ]);
    // Qingdao: list only (即墨 is a district of 青岛市 now), no readings.
    const qd = (await importedAirSql(engine, '青岛'))!;
    expect(await rows(qd.stations)).toEqual([{ id: '9501A', name: '海边试验点', district: '即墨', lon: 120.4507, lat: 36.3908 }]);
    expect(await rows(qd.hourly)).toEqual([]);
    // Ningbo is no longer in the station list, but the hourly files carry its stations.
    expect((await rows((await importedAirSql(engine, '宁波'))!.stations)).map((r) => r.id)).toEqual(['9001A', '9002A']);
    expect(await importedAirSql(engine, '上海')).toBeNull();
    expect(await importedStationsForCity(engine, '上海')).toBe(0);
    // A hostile "city name" is a literal, not SQL.
    expect(await importedAirSql(engine, `深圳') OR 1=1 --`)).toBeNull();
  });

  it('hourly files only: importedAirSql falls back to the hourly table; clearImportedAir removes everything', async () => {
    await clearImportedAir(engine);
    expect(await engine.tables()).toEqual([]);
    expect(await importedAirSql(engine, '深圳')).toBeNull();
    const o = await importAirFiles(engine, [{ name: 'cnemc-hourly-2022-01-01T01.csv', bytes: GBK_HOUR1 }], { o3Columns: 'as-labelled' });
    expect(o).toMatchObject({ stations: 4, hours: 1, span: ['2022-01-01T01', '2022-01-01T01'] });
    expect(await engine.tables()).toEqual([IMPORTED_HOURLY_TABLE]);
    // as-labelled on swapped data: flagged, and translated pointing at the dialog's other choice.
    const o3 = o.files[0]!.messages.find((m) => m.en.includes('O3'))!;
    expect(o3.level).toBe('warning');
    expect(o3.zh).toMatch(/^4 行中有 4 行.*公开归档/);
    expect(o3.en).toMatch(/^In 4 of 4 rows .*public archive/);
    const sql = (await importedAirSql(engine, '深圳'))!;
    expect(await rows(sql.stations)).toEqual([
      { id: '9401A', name: '莲花试验点', district: '', lon: 114.0501, lat: 22.5502 },
      { id: '9402A', name: '南山试验点', district: '', lon: 113.9503, lat: 22.5304 },
    ]);
    expect(await rows(`SELECT station_id, o3 FROM (${sql.hourly})`)).toEqual([
      { station_id: '9401A', o3: 60 },
      { station_id: '9402A', o3: 55 },
    ]);
    expect(await importedStationsForCity(engine, '济南')).toBe(0);
  });
});

describe('messages', () => {
  it('translates problem codes and falls back to English for unknown ones', () => {
    expect(messageForProblem('SHARED_COORDINATES: 1 coordinate pairs are used by more than one station')).toMatchObject({ level: 'warning', zh: expect.stringMatching(/^1 组坐标/) });
    expect(messageForProblem('DUPLICATE_STATION_CODES: 3 station codes appear more than once').zh).toMatch(/^3 个监测点编码重复/);
    expect(messageForProblem('DROPPED_ROWS: 5 rows had no station code or no readable hour and were left out').en).toMatch(/^5 rows/);
    expect(messageForProblem('SOMETHING_NEW: a thing happened')).toEqual({ level: 'warning', zh: '注意：SOMETHING_NEW: a thing happened', en: 'SOMETHING_NEW: a thing happened' });
  });

  it('unknown errors keep the English text, prefixed 导入失败： in Chinese; too-large files are refused', () => {
    expect(messageForError(new Error('disk on fire'))).toEqual({ level: 'error', zh: '导入失败：disk on fire', en: 'disk on fire' });
    const big = tooLargeResult('huge.csv', 300 * 1024 * 1024);
    expect(big).toMatchObject({ name: 'huge.csv', ok: false });
    expect(big.messages[0]!.zh).toMatch(/300 MB.*200 MB/);
    expect(big.messages[0]!.en).toMatch(/too large \(300 MB/);
  });
});
