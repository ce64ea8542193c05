import type { CoverageCells } from '../../src/analysis/parkCoverage';

/** Every k-th cell: a deterministic sample spread over the city, for a baseline too slow to run on all cells. */
export const every = (n: number, frac: number): number[] =>
  Array.from({ length: Math.ceil(n * frac) }, (_, j) => Math.min(n - 1, Math.floor(j / frac)));

export function subset(cells: CoverageCells, idx: number[]): CoverageCells {
  return {
    lon: Float64Array.from(idx, (i) => cells.lon[i]!),
    lat: Float64Array.from(idx, (i) => cells.lat[i]!),
    pop: Float64Array.from(idx, (i) => cells.pop[i]!),
    district: idx.map((i) => cells.district[i]!),
    cellAreaM2: cells.cellAreaM2,
  };
}
