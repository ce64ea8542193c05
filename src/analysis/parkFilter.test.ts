import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../engine/node';
import { binEdge, binOf, districtQuery, histogramQuery, matchQuery, NO_PARK_FILTER, parseParkFilter, type ParkFilter } from './parkFilter';

let engine: NodeEngine;
const feature = (id: string, district: string, area: number) => ({ type: 'Feature', properties: { id, name: id, district, area_m2: area }, geometry: { type: 'Point', coordinates: [117, 36.6] } });
beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.loadGeoJSON(
    'c__parks',
    JSON.stringify({ type: 'FeatureCollection', features: [feature('a', 'd1', 500), feature('b', 'd1', 5_000), feature('c', 'd2', 50_000), feature('d', 'd2', 2_000_000), feature('e', 'd1', 450)] }),
  );
  await engine.loadGeoJSON('c__districts', JSON.stringify({ type: 'FeatureCollection', features: ['d1', 'd2', 'd3'].map((id) => ({ type: 'Feature', properties: { id, name: `区${id}`, name_en: id.toUpperCase() }, geometry: { type: 'Point', coordinates: [117, 36.6] } })) }));
}, 60_000);
afterAll(async () => {
  await engine?.close();
});

const rows = async (q: { sql: string; params?: unknown[] }) => (await engine.query(q.sql, q.params)).toArray().map((r) => r.toJSON() as Record<string, unknown>);

describe('parks cross-filter', () => {
  it('bins park areas by quarter decades, the same in SQL and in TypeScript', async () => {
    expect(binOf(500)).toBe(0);
    expect(binOf(5_000)).toBe(4);
    expect(binEdge(4)).toBeCloseTo(3162.28, 1);
    expect(binOf(1e12)).toBe(19);
    const h = await rows(histogramQuery('c__parks', NO_PARK_FILTER));
    expect(h).toEqual([{ bin: 0, n: 2 }, { bin: 4, n: 1 }, { bin: 8, n: 1 }, { bin: 15, n: 1 }]);
    for (const a of [450, 500, 5_000, 50_000, 2_000_000]) expect(h.some((r) => r.bin === binOf(a))).toBe(true);
  });

  it('each view leaves out its own filter: the histogram follows the districts, the bars follow the sizes, the map both', async () => {
    const f: ParkFilter = { area: [1_000, 100_000], districts: ['d2'] };
    expect(await rows(histogramQuery('c__parks', f))).toEqual([{ bin: 8, n: 1 }, { bin: 15, n: 1 }]);
    const bars = await rows(districtQuery('c__parks', 'c__districts', f));
    expect(bars.map((r) => [r.id, r.n])).toEqual([['d1', 1], ['d2', 1], ['d3', 0]]);
    expect(bars.find((r) => r.id === 'd1')!.area).toBe(5_000);
    expect((await rows(matchQuery('c__parks', f))).map((r) => r.id)).toEqual(['c']);
    expect((await rows(matchQuery('c__parks', NO_PARK_FILTER))).length).toBe(5);
  });

  it('values are bound, not spliced: a hostile district id matches nothing and breaks nothing', async () => {
    const f: ParkFilter = { area: null, districts: ["d1') OR 1=1 --"] };
    expect(await rows(matchQuery('c__parks', f))).toEqual([]);
  });

  it('reads its URL form strictly', () => {
    expect(parseParkFilter('400,10000', 'jinan-lixia,jinan-lixia')).toEqual({ area: [400, 10000], districts: ['jinan-lixia'] });
    expect(parseParkFilter(null, null)).toEqual(NO_PARK_FILTER);
    expect(parseParkFilter('9,1', null)).toBeNull();
    expect(parseParkFilter('a,b', null)).toBeNull();
    expect(parseParkFilter(null, '<x>,ok')).toEqual({ area: null, districts: ['ok'] });
  });
});
