import { describe, expect, it } from 'vitest';
import { FACILITY_TYPES } from '../standards/lifeCircle';
import { applyFacilityScenario, lifeCircleShares, type ScenarioCell } from './lifeCircleScenario';

/** A cell with every type at 200 m except the given ones. */
const cell = (district: string, pop: number, except: Record<string, number | null> = {}): ScenarioCell => {
  const distances: Record<string, number | null> = {};
  for (const t of FACILITY_TYPES) distances[t.id] = t.id in except ? except[t.id]! : 200;
  return { pop, district, distances, c5: false, c10: false, c15: false };
};

describe('added facilities', () => {
  it('completes the 5-minute circle of cells the new kindergarten reaches, and no others', () => {
    // Three cells missing a kindergarten within 300 m; they stand on nodes 1, 2 and 3.
    const cells = [cell('a', 100, { kindergarten: 800 }), cell('a', 300, { kindergarten: null }), cell('b', 600, { kindergarten: 400 })];
    const nodes = Int32Array.from([1, 2, 3]);
    const reach = [{ snapped: true, nodes: Int32Array.from([1, 2, 3, 9]), distM: Float32Array.from([120, 280.4, 350, 10]) }];
    const out = applyFacilityScenario(cells, nodes, [{ type: 'kindergarten', lon: 0, lat: 0 }], reach);
    expect(out.cells.map((c) => c.distances.kindergarten)).toEqual([120, 280, 350]);
    expect(out.cells.map((c) => [c.c5, c.c10, c.c15])).toEqual([[true, true, true], [true, true, true], [false, true, true]]);
    expect(out.changed).toBe(3);
    // A farther facility never makes a cell worse.
    const worse = applyFacilityScenario(cells, nodes, [{ type: 'kindergarten', lon: 0, lat: 0 }], [{ snapped: true, nodes: Int32Array.from([3]), distM: Float32Array.from([900]) }]);
    expect(worse.cells[2]!.distances.kindergarten).toBe(400);
    expect(worse.cells[2]).toBe(cells[2]);
  });

  it('ignores a facility far from any street and cells without a node; shares per district and city', () => {
    const cells = [cell('a', 100), cell('b', 300, { market: null })];
    const out = applyFacilityScenario(cells, Int32Array.from([-1, 5]), [{ type: 'market', lon: 0, lat: 0 }], [{ snapped: false, nodes: new Int32Array(0), distM: new Float32Array(0) }]);
    expect(out.unplaced).toBe(1);
    expect(out.cells).toEqual(cells);
    const s = lifeCircleShares([{ ...cells[0]!, c5: true, c10: true, c15: true }, { ...cells[1]!, c5: true }]);
    expect(s.city).toEqual({ 5: 1, 10: 0.25, 15: 0.25 });
    expect(s.byDistrict.get('b')).toEqual({ 5: 1, 10: 0, 15: 0 });
  });
});
