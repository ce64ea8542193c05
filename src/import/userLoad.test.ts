import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { useImportEngine } from './testStaging';
import { loadUserTable } from './userLoad';

/** Real DuckDB (Node): staged rows become a WGS-84 table the layers can read. */
const t = useImportEngine('load_stage');
const stage = t.stage;
const rows = async (table: string) => (await t.engine().query(`SELECT * EXCLUDE (__geom) FROM ${table} ORDER BY __fid`)).toArray().map((r) => r.toJSON());

describe('loading a mapped file', () => {
  it('GCJ-02 readings (swapped columns, CST times) become WGS-84 points with UTC times', async () => {
    const wgs: [number, number][] = [[117.0, 36.65], [117.1, 36.7]];
    const gcj = wgs.map((p) => gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number]);
    // Latitude first: the inspection finds them swapped.
    const ins = await stage('r.csv', `站点,lat,lon,时间,pm25\nA,${gcj[0]![0]},${gcj[0]![1]},2024-03-01 08:00,35\nB,${gcj[1]![0]},${gcj[1]![1]},2024/3/1 9:00,x\n`);
    expect(ins.coords).toBe('swapped');
    const r = await loadUserTable(t.engine(), ins, { kind: 'stations', mapping: { id: '站点', time: '时间', value: 'pm25' }, crs: 'GCJ02', swap: true, table: 'user__readings' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r).toMatchObject({ kept: 2, left: 0 });
    const out = await rows('user__readings');
    expect(out.map((o) => [o.id, o.value, o.time])).toEqual([
      ['A', 35, '2024-03-01T00:00:00Z'],
      ['B', null, '2024-03-01T01:00:00Z'],
    ]);
    out.forEach((o, i) => {
      expect(o.__xmin as number).toBeCloseTo(wgs[i]![0], 5);
      expect(o.__ymin as number).toBeCloseTo(wgs[i]![1], 5);
    });
  });

  it('WKT parks: polygons kept, a point and broken WKT left out and counted, a repeated id dropped', async () => {
    const ins = await stage(
      'p.csv',
      'id;name;wkt\n1;A;POLYGON((117 36, 117.1 36, 117.1 36.1, 117 36))\n2;B;POINT (117 36)\n3;C;POLYGON((117 36, 117.1\n1;D;MULTIPOLYGON (((118 36, 118.1 36, 118 36.1, 118 36)))\n4;E;MULTIPOLYGON (((118 37, 118.1 37, 118 37.1, 118 37)))\n',
    );
    const r = await loadUserTable(t.engine(), ins, { kind: 'park', mapping: { id: 'id', name: 'name' }, crs: 'WGS84', table: 'user__parks' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r).toMatchObject({ kept: 2, left: 3 });
    expect((await rows('user__parks')).map((o) => [o.name, o.__gtype])).toEqual([
      ['A', 'Polygon'],
      ['E', 'MultiPolygon'],
    ]);
    expect(r.problems.find((p) => p.code === 'left-out')!.en).toBe('Imported 2 rows; left out 3 (2 without usable geometry of the right kind, 1 repeating an id).');
  });

  it('refuses with the reasons when the mapping does not fit, and creates nothing', async () => {
    const ins = await stage('q.csv', 'name,lon,lat\nA,117,36.6\n');
    const r = await loadUserTable(t.engine(), ins, { kind: 'park', mapping: { name: 'name' }, crs: 'WGS84', table: 'user__nope' });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['wrong-geometry']);
    expect(await t.engine().tables()).not.toContain('user__nope');
  });
});
