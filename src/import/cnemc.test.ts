import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../engine/node.ts';
import { hourFromFileName, importHourlyReadings, importStationList } from './cnemc.ts';

// Invented stations and values in the real layouts (see tests/fixtures/cnemc/README.md).
const GBK_STATIONS = new Uint8Array(readFileSync(new URL('../../tests/fixtures/cnemc/stations.gbk.csv', import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

const HOURLY_HEADER =
  'timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h';
// In the scrape layout: the `o3` column is the 24 h maximum (90), `o3_24h` the hourly value (4).
const HOUR0 = [
  HOURLY_HEADER,
  '2022-01-01T00:00:00,9001A,121.5,29.87,宁波市,示范公园,"颗粒物(PM10),细颗粒物(PM2.5)",66,81,86,29,55,90,4,78,42,72,63,9,18,1.1,1',
  '2022-01-01T00:00:00,9002A,121.9,29.6,宁波市,山顶(对照点),,,-99,—,,-999,95,35,,,-9999,40,abc,5,0.4,0.5',
].join('\n');
const HOUR1 = [
  HOURLY_HEADER,
  '2022-01-01T01:00:00,9001A,121.5,29.87,宁波市,示范公园,,50,60,85,31,54,92,10,70,42,60,63,8,18,1.0,1',
  '2022-01-01T01:00:00,9002A,121.9,29.6,宁波市,山顶(对照点),,30,20,40,12,20,95,33,60,50,15,40,4,5,0.3,0.5',
].join('\n');

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine?.close();
});

const rows = async (sql: string) => (await engine.query(sql)).toArray().map((r) => r.toJSON() as Record<string, unknown>);
const workTables = async () => (await engine.tables()).filter((t) => t.includes('__'));

describe('importStationList', () => {
  it('reads the GBK list, normalises columns and drops invalid coordinates', async () => {
    const r = await importStationList(engine, GBK_STATIONS, 'stations');
    expect(r).toMatchObject({ table: 'stations', rows: 4, dropped: 2, encoding: 'gbk' });
    expect(r.problems.find((p) => p.startsWith('DROPPED_INVALID_COORDINATES'))).toMatch(/9004A, 9005A/);
    expect(r.problems.some((p) => p.startsWith('CLOSED_STATIONS: 1 '))).toBe(true);
    const t = await rows('SELECT * FROM stations ORDER BY id');
    expect(t.map((x) => x.id)).toEqual(['9001A', '9002A', '9003A', '9006A']);
    expect(t[0]).toEqual({ id: '9001A', name: '示范公园', city: '宁波', lon: 121.5001, lat: 29.8702, background: false, closed: false, province: '浙江省', prefecture: '宁波市' });
    expect(t[1]).toMatchObject({ background: true, closed: false });
    expect(t[2]).toMatchObject({ name: '旧厂房(停运190101)', background: true, closed: true });
    // Laiwu stations belong to Jinan now: prefecture says so even though city says 莱芜.
    expect(t[3]).toMatchObject({ city: '莱芜', prefecture: '济南市' });
    const types = await rows(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'stations' AND column_name IN ('lon', 'lat', 'background')`);
    expect(Object.fromEntries(types.map((x) => [x.column_name, x.data_type]))).toEqual({ lon: 'DOUBLE', lat: 'DOUBLE', background: 'BOOLEAN' });
    expect(await workTables()).toEqual([]);
  });

  it('reads the same list as UTF-8 and keeps a hostile name as plain text', async () => {
    const hostile = `x'); DROP TABLE stations; --"`;
    const csv = `监测点编码,监测点名称,城市,经度,纬度,对照点\n9101A,"${hostile.replace(/"/g, '""')}",宁波,121.1,29.1,N\n`;
    const r = await importStationList(engine, utf8(csv), 'stations_u8');
    expect(r).toMatchObject({ rows: 1, dropped: 0, encoding: 'utf-8', problems: [] });
    expect(await rows('SELECT id, name, province FROM stations_u8')).toEqual([{ id: '9101A', name: hostile, province: null }]);
    expect(await engine.tables()).toContain('stations');
  });

  it('names the missing columns and leaves no table behind', async () => {
    const csv = '监测点编码,监测点名称,城市,纬度\n9201A,甲,宁波,29.1\n';
    await expect(importStationList(engine, utf8(csv), 'stations_bad')).rejects.toThrow(/missing required columns lon \(经度.*background \(对照点/);
    expect(await engine.tables()).not.toContain('stations_bad');
    expect(await workTables()).toEqual([]);
  });
});

describe('importHourlyReadings', () => {
  const files = [
    { name: 'cnemc-hourly-2022-01-01T00.csv', bytes: utf8(HOUR0) },
    { name: 'cnemc-hourly-2022-01-01T01.csv', bytes: utf8(HOUR1) },
  ];

  it('two hourly files → two hours per station, ts in UTC, o3 un-swapped, sentinels NULL', async () => {
    const r = await importHourlyReadings(engine, files, 'hourly');
    expect(r).toMatchObject({ table: 'hourly', rows: 4, stations: 2, hours: 2, dropped: 0, o3Columns: 'swapped', problems: [] });
    const t = await rows(`SELECT station_id, strftime(ts, '%Y-%m-%d %H:%M') AS ts, pm25, pm10, pm10_24h, o3, o3_24h, o3_8h, no2, so2, co, aqi, primary_pollutant, station_name FROM hourly ORDER BY station_id, ts`);
    expect(t.map((x) => `${x.station_id} ${x.ts}`)).toEqual(['9001A 2021-12-31 16:00', '9001A 2021-12-31 17:00', '9002A 2021-12-31 16:00', '9002A 2021-12-31 17:00']);
    // 2022-01-01T00 in China Standard Time is 2021-12-31 16:00 UTC.
    expect(t[0]).toMatchObject({ pm25: 29, o3: 4, o3_24h: 90, o3_8h: 78, co: 1.1, aqi: 66, primary_pollutant: '颗粒物(PM10),细颗粒物(PM2.5)', station_name: '示范公园' });
    // −99 / −999 / −9999, "—", "abc" and empty cells are missing, never 0.
    expect(t[2]).toMatchObject({ pm10: null, pm10_24h: null, pm25: null, no2: null, so2: null, aqi: null, o3: 35, o3_24h: 95, o3_8h: null });
    const ts = await rows(`SELECT data_type FROM information_schema.columns WHERE table_name = 'hourly' AND column_name = 'ts'`);
    expect(ts[0]!.data_type).toBe('TIMESTAMP');
  });

  it("o3Columns: 'as-labelled' takes the headers at their word and flags the swapped data", async () => {
    const r = await importHourlyReadings(engine, files, 'hourly_lab', { o3Columns: 'as-labelled' });
    expect(r.problems.some((p) => p.startsWith('O3_LAYOUT_SUSPECT'))).toBe(true);
    expect(await rows(`SELECT o3, o3_24h FROM hourly_lab WHERE station_id = '9001A' ORDER BY ts LIMIT 1`)).toEqual([{ o3: 90, o3_24h: 4 }]);
  });

  it('takes the hour from the file name when there is no time column; Chinese headers work', async () => {
    const csv = '监测点编码,监测点名称,PM2.5,PM10,O3,O3_24h,NO2,SO2,CO\n9301A,乙,12,20,80,30,10,3,0.6\n';
    const r = await importHourlyReadings(engine, [{ name: 'sites/2022010105.csv', bytes: utf8(csv) }], 'hourly_zh');
    expect(r).toMatchObject({ rows: 1, hours: 1 });
    expect(await rows(`SELECT station_id, strftime(ts, '%Y-%m-%d %H') AS ts, pm25, o3, o3_24h, station_name FROM hourly_zh`)).toEqual([
      { station_id: '9301A', ts: '2021-12-31 21', pm25: 12, o3: 30, o3_24h: 80, station_name: '乙' },
    ]);
    expect(hourFromFileName('cnemc-hourly-2022-01-01T00-4cities.csv')).toBe('2022-01-01 00:00:00');
    expect(hourFromFileName('china_sites_20220101.csv')).toBeNull();
    expect(hourFromFileName('2022-02-30T01.csv')).toBeNull();
  });

  it('a file missing required columns → clear error, no table or work table left, old table intact', async () => {
    const bad = 'timepoint,stationcode,pm2_5,pm10,o3,no2\n2022-01-01T02:00:00,9001A,1,2,3,4\n';
    const err = await importHourlyReadings(engine, [files[0]!, { name: 'broken.csv', bytes: utf8(bad) }], 'hourly').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/hourly file "broken.csv": missing required columns so2 \(.*, co \(.*, o3_24h \(.*the file has: timepoint/);
    await expect(importHourlyReadings(engine, [{ name: 'x.csv', bytes: utf8(bad) }], 'hourly_new')).rejects.toThrow(/missing required/);
    expect(await engine.tables()).not.toContain('hourly_new');
    expect(await workTables()).toEqual([]);
    expect(await rows('SELECT count(*)::INT AS n FROM hourly')).toEqual([{ n: 4 }]);
  });

  it('a hostile station name and file name stay text; duplicates keep the last file', async () => {
    const hostile = `'; DROP TABLE hourly; --`;
    const csv = `${HOURLY_HEADER}\n2022-01-01T00:00:00,9001A,121.5,29.87,宁波市,"${hostile}",,1,2,3,4,5,6,7,8,9,10,11,12,13,1.5,1.6\n`;
    const r = await importHourlyReadings(engine, [files[0]!, { name: `evil'); DROP TABLE hourly; --.csv`, bytes: utf8(csv) }], 'hourly_dup');
    expect(r).toMatchObject({ rows: 2, stations: 2, hours: 1 });
    expect(r.problems.some((p) => p.startsWith('DUPLICATE_READINGS: 1 '))).toBe(true);
    expect(await rows(`SELECT station_name, source_file, pm25, o3 FROM hourly_dup WHERE station_id = '9001A'`)).toEqual([
      { station_name: hostile, source_file: `evil'); DROP TABLE hourly; --.csv`, pm25: 4, o3: 7 },
    ]);
    expect(await engine.tables()).toContain('hourly');
  });
});
