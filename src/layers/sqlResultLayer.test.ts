import { describe, expect, test } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { displayCell, resultCsv, resultData, sortedOrder, type ResultData } from '../ui/sqlResultData';
import { findResultGeometry, resultFeatures, sqlResultLayer, SQL_RESULT_LAYER_ID } from './sqlResultLayer';
import { isInternalTable } from '../modes/planner/sqlConsole';

const data = (columns: [string, 'number' | 'text'][], rows: (number | string | null)[][]): ResultData => ({
  columns: columns.map(([name, kind]) => ({ name, kind, type: kind === 'number' ? 'Float64' : 'Utf8' })),
  rows,
});

describe('where a console result has positions', () => {
  test('lon/lat-like columns, a __geom column, or edge ends', () => {
    expect(findResultGeometry(data([['name', 'text'], ['Lon', 'number'], ['lat', 'number']], []))).toEqual({ kind: 'points', lon: 1, lat: 2 });
    expect(findResultGeometry(data([['经度', 'number'], ['纬度', 'number']], []))).toEqual({ kind: 'points', lon: 0, lat: 1 });
    expect(findResultGeometry(data([['__xmin', 'number'], ['__ymin', 'number'], ['__geom', 'text']], []))).toEqual({ kind: 'geojson', column: 2 });
    expect(findResultGeometry(data([['x1', 'number'], ['y1', 'number'], ['x2', 'number'], ['y2', 'number']], []))).toMatchObject({ kind: 'lines' });
    // Text that merely carries the name is not a coordinate.
    expect(findResultGeometry(data([['lon', 'text'], ['lat', 'text']], []))).toBeNull();
    expect(findResultGeometry(data([['n', 'number']], []))).toBeNull();
  });

  test('features and bounds; bad rows are counted and left off', () => {
    const d = data(
      [['lon', 'number'], ['lat', 'number']],
      [[114.05, 22.54], [114.1, 22.6], [null, 22.5], [999, 22.5]],
    );
    const f = resultFeatures(d, findResultGeometry(d)!);
    expect(f.features.features).toHaveLength(2);
    expect(f.skipped).toBe(2);
    expect(f.bounds).toEqual([114.05, 22.54, 114.1, 22.6]);
    const g = data([['__geom', 'text']], [[JSON.stringify({ type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 4], [1, 2]]] })], ['not json'], [null]]);
    const fg = resultFeatures(g, { kind: 'geojson', column: 0 });
    expect([fg.features.features.length, fg.skipped, fg.bounds]).toEqual([1, 2, [1, 2, 3, 4]]);
    expect(resultFeatures(data([['lon', 'number'], ['lat', 'number']], []), { kind: 'points', lon: 0, lat: 1 }).bounds).toBeNull();
  });

  test('the layer has its own stable id', () => {
    expect(sqlResultLayer({ type: 'FeatureCollection', features: [] }).id).toBe(SQL_RESULT_LAYER_ID);
  });
});

describe('result rows', () => {
  test('from Arrow: numbers, text, null; display, sort with nulls last, CSV with formulas defused', () => {
    const t = tableFromArrays({ name: ['b', '=HYPERLINK("x")', null, 'a'], n: Float64Array.from([2, 10, 1, Number.NaN]) });
    const d = resultData(t);
    expect(d.columns.map((c) => [c.name, c.kind])).toEqual([['name', 'text'], ['n', 'number']]);
    expect(d.rows[2]).toEqual([null, 1]);
    expect(sortedOrder(d, 0, 'asc')).toEqual([1, 3, 0, 2]);
    expect(sortedOrder(d, 1, 'desc').slice(0, 3)).toEqual([1, 0, 2]);
    expect(displayCell(1234567.5, 'number', 'en')).toBe('1,234,567.5');
    expect(displayCell(22.543219, 'number', 'zh')).toBe('22.543219');
    expect(displayCell(null, 'text', 'zh')).toBe('NULL');
    expect(displayCell(Date.UTC(2024, 2, 1, 8, 5, 0), 'time', 'zh')).toBe('2024-03-01 08:05:00');
    const csv = resultCsv(d);
    expect(csv.split('\r\n')[0]).toBe('name,n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")",10`);
    expect(csv.split('\r\n')[3]).toBe(',1');
  });
});

describe('tables the console hides', () => {
  test.each([
    ['user__stage_3', true],
    ['user__cnemc_work_batch_lq2_7', true],
    ['shenzhen__population__crs_stage_2', true],
    ['user__cnemc_stations__build_lq2x_4', true],
    ['user__parks__stage', true],
    ['__civic_engine_load_x_1', true],
    ['shenzhen__parks', false],
    ['user__parks', false],
    ['user__cnemc_hourly', false],
    ['user__stage_plans', false],
  ])('%s → %s', (name, hidden) => {
    expect(isInternalTable(name)).toBe(hidden);
  });
});
