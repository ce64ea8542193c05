import { describe, expect, it } from 'vitest';
import type { CoverageModel } from './coverageModel';
import { computeCoverage, withExtraPark, type CoverageCells, type CoverageParks } from './parkCoverage';
import { applyScenario, drawnArea, ringProblem, scenarioFor, type DrawnRing } from './parkScenario';

// Cases in metres around (120°E, 36°N), as in parkCoverage.test.ts.
const LON0 = 120;
const LAT0 = 36;
const M = (6371008.8 * Math.PI) / 180;
const K = Math.cos((LAT0 * Math.PI) / 180);
const ll = (x: number, y: number): [number, number] => [LON0 + x / (M * K), LAT0 + y / M];
const square = (cx: number, cy: number, area: number): DrawnRing => {
  const h = Math.sqrt(area) / 2;
  return [ll(cx - h, cy - h), ll(cx + h, cy - h), ll(cx + h, cy + h), ll(cx - h, cy + h)];
};
const STEP = 500;

/** A 20 × 20 grid of 500 m cells, two districts split at x = 5 km, one existing 6000 m² park in the west. */
function model(): CoverageModel {
  const lon: number[] = [], lat: number[] = [], pop: number[] = [], district: string[] = [], ids: string[] = [];
  for (let i = 0; i < 20; i++)
    for (let j = 0; j < 20; j++) {
      const [x, y] = ll(i * STEP + STEP / 2, j * STEP + STEP / 2);
      lon.push(x);
      lat.push(y);
      pop.push(1000 + ((i * 7 + j * 13) % 5) * 200);
      district.push(i < 10 ? 'west' : 'east');
      ids.push(`c${i}-${j}`);
    }
  const cells: CoverageCells = { lon: Float64Array.from(lon), lat: Float64Array.from(lat), pop: Float64Array.from(pop), district, cellAreaM2: STEP * STEP };
  const existing = square(2500, 2500, 6000);
  const parks: CoverageParks = withExtraPark({ id: [], district: [], areaM2: new Float64Array(0), rings: [] }, existing, 'p1', 'west');
  return {
    parks,
    cells,
    cellIds: ids,
    stepLon: STEP / (M * K),
    stepLat: STEP / M,
    base: computeCoverage(parks, cells),
    districtNames: new Map(),
  };
}

describe('drawn-park scenario', () => {
  it('gives the same coverage as recomputing every park from scratch', () => {
    const m = model();
    const drawn = [square(7500, 7500, 6000), square(2600, 2600, 3000), square(9000, 1000, 1500)];
    const out = applyScenario(m, drawn);
    let all = m.parks;
    for (const r of drawn) all = withExtraPark(all, r);
    const full = computeCoverage(all, m.cells);
    expect([...out.result.covered]).toEqual([...full.covered]);
    expect(out.result.city.coveredPop).toBe(full.city.coveredPop);
    expect(out.result.city.parkAreaM2).toBeCloseTo(full.city.parkAreaM2, 3);
  });

  it('credits a drawn park to its district and marks only newly covered cells', () => {
    const m = model();
    const out = applyScenario(m, [square(7500, 7500, 6000)]);
    expect(out.drawn[0]).toMatchObject({ radiusM: 500, district: 'east' });
    expect(Math.abs(out.drawn[0]!.areaM2 / 6000 - 1)).toBeLessThan(0.01);
    const east = out.result.byDistrict.get('east')!;
    expect(east.parkAreaM2).toBe(out.drawn[0]!.areaM2);
    expect(out.result.byDistrict.get('west')!.coveredPop).toBe(m.base.byDistrict.get('west')!.coveredPop);
    const gained = [...out.newlyCovered].reduce((s, v) => s + v, 0);
    expect(gained).toBeGreaterThan(0);
    for (let i = 0; i < out.newlyCovered.length; i++) if (out.newlyCovered[i]) expect(m.base.covered[i]).toBe(0);
    expect(east.coveredPop).toBeGreaterThan(m.base.byDistrict.get('east')!.coveredPop);
  });

  it('a drawn 1500 m² park adds area but no coverage; overlapping parks never count twice', () => {
    const m = model();
    const small = applyScenario(m, [square(7500, 7500, 1500)]);
    expect(small.drawn[0]!.radiusM).toBeNull();
    expect(small.result.city.coveredPop).toBe(m.base.city.coveredPop);
    expect(small.result.city.parkAreaM2).toBeGreaterThan(m.base.city.parkAreaM2);
    const twice = applyScenario(m, [square(7500, 7500, 6000), square(7520, 7520, 6000)]);
    const once = applyScenario(m, [square(7500, 7500, 6000)]);
    expect(twice.result.city.coveredPop).toBe(once.result.city.coveredPop);
  });

  it('remembers the last scenario and rejects unusable rings', () => {
    const m = model();
    const r = [square(7500, 7500, 6000)];
    expect(scenarioFor(m, [])).toBeNull();
    expect(scenarioFor(m, r)).toBe(scenarioFor(m, JSON.parse(JSON.stringify(r))));
    expect(ringProblem([ll(0, 0), ll(10, 0)])).toBe('too-few');
    expect(ringProblem([ll(0, 0), ll(100, 100), ll(100, 0), ll(0, 100)])).toBe('self-intersecting');
    expect(ringProblem([ll(0, 0), ll(100, 0), ll(200, 0)])).toBe('no-area');
    expect(ringProblem(square(0, 0, 4000))).toBeNull();
    expect(Math.abs(drawnArea(square(0, 0, 4000)) / 4000 - 1)).toBeLessThan(0.01);
  });
});
