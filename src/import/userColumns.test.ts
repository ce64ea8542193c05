import { describe, expect, it } from 'vitest';
import { checkMapping, guessMapping, timeSql } from './userColumns';
import { useImportEngine } from './testStaging';

/** Real DuckDB (Node): a mapping of columns checked against the staged rows. */
const t = useImportEngine('cols');
const stage = t.stage;
const codes = (ps: { code: string }[]) => ps.map((p) => p.code);

describe('mapping a file to a layer kind', () => {
  it('guesses columns from their names, Chinese and English', () => {
    expect(guessMapping([{ name: '监测点编码' }, { name: '监测点名称' }, { name: 'timepoint' }, { name: 'pm2_5' }, { name: '经度' }])).toEqual({ id: '监测点编码', name: '监测点名称', time: 'timepoint', value: 'pm2_5' });
    expect(guessMapping([{ name: 'FID' }, { name: '类型' }])).toEqual({ id: 'FID', category: '类型' });
  });

  it('reads times in several formats and zones as UTC, China Standard Time by default', async () => {
    const res = await t.engine().query(
      `SELECT v, strftime(${timeSql('v')}, '%Y-%m-%d %H:%M') AS utc FROM (VALUES ('2024-03-01 08:00'), ('2024/3/1 8:00'), ('2024-03-01T08:00:00+08:00'), ('2024-03-01T00:00:00Z'), ('1709251200'), ('1709251200000'), ('2024年3月1日 8时'), ('2024030108'), ('2024'), ('yesterday')) t(v)`,
    );
    expect(res.toArray().map((r) => [r.v, r.utc])).toEqual([
      ['2024-03-01 08:00', '2024-03-01 00:00'],
      ['2024/3/1 8:00', '2024-03-01 00:00'],
      ['2024-03-01T08:00:00+08:00', '2024-03-01 00:00'],
      ['2024-03-01T00:00:00Z', '2024-03-01 00:00'],
      ['1709251200', '2024-03-01 00:00'],
      ['1709251200000', '2024-03-01 00:00'],
      ['2024年3月1日 8时', '2024-03-01 00:00'],
      ['2024030108', '2024-03-01 00:00'],
      ['2024', '2023-12-31 16:00'],
      ['yesterday', null],
    ]);
  });

  it('readings: station id, time and value are required; repeated station ids are fine; bad values and times are counted with examples', async () => {
    const ins = await stage('r.csv', 'station,lon,lat,time,pm25\nA,117,36.6,2024-03-01 08:00,35\nA,117,36.6,2024-03-01 09:00,n/a\nB,117.1,36.7,soon,40\nB,117.1,36.7,2024-03-01 09:00,\n');
    expect(codes(await checkMapping(t.engine(), ins, 'stations', { id: 'station' }))).toEqual(['missing-column']);
    const ps = await checkMapping(t.engine(), ins, 'stations', { id: 'station', time: 'time', value: 'pm25' });
    expect(codes(ps)).toEqual(['non-numeric', 'bad-time', 'time-span']);
    expect(ps[0]).toMatchObject({ level: 'warning', count: 1 });
    expect(ps[0]!.en).toContain('e.g. n/a');
    expect(ps[1]!.zh).toContain('（如 soon）');
    expect(ps[2]!.en).toBe('Times run from 2024-03-01 08:00 to 2024-03-01 09:00 (China Standard Time; times without a zone are read as China Standard Time).');
  });

  it('parks need polygons: points are refused, mixed files keep the polygons; duplicate ids are named', async () => {
    const pts = await stage('p.csv', 'id,name,lon,lat\n1,A,117,36.6\n1,B,117.1,36.7\n');
    const ps = await checkMapping(t.engine(), pts, 'park', { id: 'id', name: 'name' });
    expect(codes(ps)).toEqual(['wrong-geometry', 'duplicate-id']);
    expect(ps[0]).toMatchObject({ level: 'error', en: 'parks need polygons, and the file has only points.' });
    expect(ps[1]!.en).toBe('1 id appears more than once (e.g. 1); the first row of each is kept.');
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'P' }, geometry: { type: 'Polygon', coordinates: [[[117, 36], [117.1, 36], [117.1, 36.1], [117, 36]]] } },
        { type: 'Feature', properties: { name: 'Q' }, geometry: { type: 'Point', coordinates: [117, 36] } },
      ],
    };
    const mixed = await stage('m.geojson', JSON.stringify(fc));
    const mp = await checkMapping(t.engine(), mixed, 'park', { name: 'name' });
    expect(mp.find((p) => p.code === 'wrong-geometry')).toMatchObject({ level: 'warning', count: 1 });
    expect(codes(await checkMapping(t.engine(), mixed, 'park', { name: 'nope' }))).toEqual(['unknown-column']);
  });
});
