import { describe, expect, it } from 'vitest';
import { sortRows, type TableColumn, type TableRow } from './sortableTable';

const COLS: TableColumn[] = [
  { key: 'name', label: '区', numeric: false },
  { key: 'area', label: '面积', numeric: true },
];

const row = (id: string, name: string | null, area: number | string | null, total = false): TableRow => ({
  id,
  values: [name, area],
  display: [name ?? '', String(area ?? '—')],
  total,
});

const ids = (rows: TableRow[]) => rows.map((r) => r.id);

describe('sortRows', () => {
  const rows = [row('ft', '福田区', 120.5), row('ns', '南山区', 980), row('ba', '宝安区', 75), row('lh', '罗湖区', 310)];

  it('sorts numbers numerically in both directions', () => {
    expect(ids(sortRows(rows, COLS, { key: 'area', dir: 'asc' }))).toEqual(['ba', 'ft', 'lh', 'ns']);
    expect(ids(sortRows(rows, COLS, { key: 'area', dir: 'desc' }))).toEqual(['ns', 'lh', 'ft', 'ba']);
  });

  it('sorts Chinese names in pinyin order', () => {
    // bǎo'ān, fútián, luóhú, nánshān
    expect(ids(sortRows(rows, COLS, { key: 'name', dir: 'asc' }))).toEqual(['ba', 'ft', 'lh', 'ns']);
    expect(ids(sortRows(rows, COLS, { key: 'name', dir: 'desc' }))).toEqual(['ns', 'lh', 'ft', 'ba']);
  });

  it('compares numbers inside names by value', () => {
    const r = [row('a', '第10区', 1), row('b', '第2区', 1), row('c', 'District 1', 1)];
    const order = ids(sortRows(r, COLS, { key: 'name', dir: 'asc' }));
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('a'));
  });

  it('puts missing values last whatever the direction', () => {
    const r = [row('x', null, null), row('a', '福田区', 2), row('y', '', NaN), row('b', '南山区', 1), row('z', '罗湖区', '')];
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'asc' }))).toEqual(['b', 'a', 'x', 'y', 'z']);
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'desc' }))).toEqual(['a', 'b', 'x', 'y', 'z']);
    expect(ids(sortRows(r, COLS, { key: 'name', dir: 'asc' }))).toEqual(['a', 'z', 'b', 'x', 'y']);
    expect(ids(sortRows(r, COLS, { key: 'name', dir: 'desc' }))).toEqual(['b', 'z', 'a', 'x', 'y']);
  });

  it('parses numbers given as strings in a numeric column', () => {
    const r = [row('a', 'a', '10'), row('b', 'b', '9.5'), row('c', 'c', 'n/a')];
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'desc' }))).toEqual(['a', 'b', 'c']);
  });

  it('is stable: ties keep their input order in both directions', () => {
    const r = [row('1', 'a', 5), row('2', 'b', 3), row('3', 'c', 5), row('4', 'd', 3)];
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'asc' }))).toEqual(['2', '4', '1', '3']);
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'desc' }))).toEqual(['1', '3', '2', '4']);
  });

  it('pins total rows last in their input order', () => {
    const r = [row('t1', '全市', 9999, true), ...rows, row('t2', '合计', 0, true)];
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'desc' }))).toEqual(['ns', 'lh', 'ft', 'ba', 't1', 't2']);
    expect(ids(sortRows(r, COLS, { key: 'area', dir: 'asc' }))).toEqual(['ba', 'ft', 'lh', 'ns', 't1', 't2']);
    expect(ids(sortRows(r, COLS, null))).toEqual(['ft', 'ns', 'ba', 'lh', 't1', 't2']);
  });

  it('keeps input order without a sort or with an unknown key, and does not mutate', () => {
    const before = ids(rows);
    expect(ids(sortRows(rows, COLS, null))).toEqual(before);
    expect(ids(sortRows(rows, COLS, { key: 'nope', dir: 'asc' }))).toEqual(before);
    sortRows(rows, COLS, { key: 'area', dir: 'asc' });
    expect(ids(rows)).toEqual(before);
  });
});
