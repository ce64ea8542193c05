/**
 * A planner's drawn parks ("what if a park went here?") applied to a city's
 * coverage. Only the drawn parks are indexed: each cell's class is the better
 * of its base class and what the drawn parks give it, so a scenario costs
 * a few milliseconds however many parks the city has, and the result is the
 * same as recomputing everything (tested).
 */
import { area as turfArea, kinks, polygon as turfPolygon } from '@turf/turf';
import { parkServiceRadius } from '../standards/parks';
import type { CoverageModel } from './coverageModel';
import { coverageClasses, summarizeCoverage, withExtraPark, type CoverageParks, type CoverageResult } from './parkCoverage';

/** An open ring of [lon, lat] vertices, as drawn (≥ 3 vertices). */
export type DrawnRing = [number, number][];

export interface DrawnParkInfo {
  areaM2: number;
  /** 500 or 300 (m), or null when too small to count. */
  radiusM: number | null;
  /** The district its area is attributed to (of the cell nearest its centre; '' when far from every cell). */
  district: string;
}

export interface ScenarioOutcome {
  result: CoverageResult;
  /** Cells that the drawn parks bring into coverage (base class 0, now > 0). */
  newlyCovered: Uint8Array;
  drawn: DrawnParkInfo[];
}

/** Why a drawn ring cannot be a park, or null when it can. */
export function ringProblem(ring: DrawnRing): 'too-few' | 'self-intersecting' | 'no-area' | null {
  if (ring.length < 3) return 'too-few';
  const closed = [...ring, ring[0]!];
  const poly = turfPolygon([closed]);
  if (kinks(poly).features.length > 0) return 'self-intersecting';
  return turfArea(poly) < 1 ? 'no-area' : null;
}

export function drawnArea(ring: DrawnRing): number {
  return ring.length < 3 ? 0 : turfArea(turfPolygon([[...ring, ring[0]!]]));
}

function nearestCellDistrict(model: CoverageModel, lon: number, lat: number): string {
  const { cells } = model;
  const k = Math.cos((lat * Math.PI) / 180);
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < cells.lon.length; i++) {
    const dx = (cells.lon[i]! - lon) * k;
    const dy = cells.lat[i]! - lat;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  // Farther than about two cells from any populated cell: no district to credit.
  const limit = 2 * Math.max(model.stepLat, model.stepLon * k);
  return best >= 0 && Math.sqrt(bestD) <= limit ? cells.district[best]! : '';
}

const EMPTY: CoverageParks = { id: [], district: [], areaM2: new Float64Array(0), rings: [] };

export function applyScenario(model: CoverageModel, rings: DrawnRing[]): ScenarioOutcome {
  let drawnParks = EMPTY;
  let allParks = model.parks;
  const drawn: DrawnParkInfo[] = [];
  rings.forEach((ring, k) => {
    const cx = ring.reduce((s, c) => s + c[0], 0) / ring.length;
    const cy = ring.reduce((s, c) => s + c[1], 0) / ring.length;
    const district = nearestCellDistrict(model, cx, cy);
    drawnParks = withExtraPark(drawnParks, ring, `scenario-${k + 1}`, district);
    allParks = withExtraPark(allParks, ring, `scenario-${k + 1}`, district);
    const areaM2 = drawnParks.areaM2[k]!;
    drawn.push({ areaM2, radiusM: parkServiceRadius(areaM2), district });
  });
  const extra = coverageClasses(drawnParks, model.cells);
  const base = model.base.covered;
  const covered = new Uint8Array(base.length);
  const newlyCovered = new Uint8Array(base.length);
  for (let i = 0; i < base.length; i++) {
    covered[i] = Math.max(base[i]!, extra[i]!);
    newlyCovered[i] = base[i] === 0 && extra[i]! > 0 ? 1 : 0;
  }
  return { result: { covered, ...summarizeCoverage(allParks, model.cells, covered) }, newlyCovered, drawn };
}

const memo = new WeakMap<CoverageModel, { key: string; outcome: ScenarioOutcome }>();

/** `applyScenario`, remembered for the last scenario of each model (render and describe ask often). */
export function scenarioFor(model: CoverageModel, rings: DrawnRing[]): ScenarioOutcome | null {
  if (!rings.length) return null;
  const key = JSON.stringify(rings);
  const hit = memo.get(model);
  if (hit?.key === key) return hit.outcome;
  const outcome = applyScenario(model, rings);
  memo.set(model, { key, outcome });
  return outcome;
}
