import { describe, expect, it } from 'vitest';
import { clockSpan } from './clockSpan';
import type { Catalog, DatasetFile } from './types';

const file = (vintage: number, years?: [number, number]): DatasetFile => ({
  path: 'x.geojson',
  format: 'geojson',
  crs: 'WGS84',
  ...(years ? { years } : {}),
  provenance: { source: 's', license: 'CC0-1.0', vintage, modelled: true, method: 'm' },
});
const catalog = {
  version: 1,
  title: { zh: '', en: '' },
  defaultCity: 'a',
  layers: [],
  cities: [
    { id: 'a', name: { zh: '', en: '' }, bounds: [0, 0, 1, 1], center: [0, 0], zoom: 9, datasets: { districts: file(2017), air_hourly: file(2025), restoration: file(2025, [2015, 2024]) } },
    { id: 'b', name: { zh: '', en: '' }, bounds: [0, 0, 1, 1], center: [0, 0], zoom: 9, datasets: { districts: file(2017) } },
  ],
} as unknown as Catalog;

describe('clock span', () => {
  it('spans the air year in hour and day steps, and every dataset year in year steps', () => {
    expect(clockSpan(catalog, 'a', 'hour')).toEqual(['2025-01-01T00', '2025-12-31T23']);
    expect(clockSpan(catalog, 'a', 'day')).toEqual(['2025-01-01T00', '2025-12-31T23']);
    expect(clockSpan(catalog, 'a', 'year')).toEqual(['2015-01-01T00', '2025-12-31T23']);
  });
  it('follows imported readings, and has no span without time-aware data', () => {
    expect(clockSpan(catalog, 'a', 'hour', ['2022-01-01T01', '2022-01-03T23'])).toEqual(['2022-01-01T01', '2022-01-03T23']);
    expect(clockSpan(catalog, 'a', 'year', ['2022-01-01T01', '2022-01-03T23'])).toEqual(['2015-01-01T00', '2024-12-31T23']);
    expect(clockSpan(catalog, 'b', 'hour')).toBeNull();
    expect(clockSpan(catalog, 'b', 'year')).toBeNull();
    expect(clockSpan(catalog, 'zz', 'hour')).toBeNull();
  });
});
