/**
 * Population on a 500 m grid over the city's land.
 *
 * Density (persons/km²) at a cell centre p, before the global scale:
 *   U(p) = Σ_centres peak_c · exp(-(d/r_c)^1.5)       urban cores and sub-centres
 *   B(p) = rural base of the district's urban class       villages
 *   T(p) = exp(0.45 · (2·noise − 1))                       texture
 *   density = (U + B) · T · (1 − hill)²,   0 where hill > 0.72 (uninhabited uplands)
 * Centres are each district's own centre point (from the boundary file) with
 * its class peak, plus sub-centres placed at random inside the district
 * (about one per 60 km² in core/urban districts, fewer in suburban/county ones).
 * One global scale makes Jinan's total 10,000,000 (seed); the same scale is
 * applied to the other cities, so their totals are model outputs, not census figures.
 */
import type { CityCfg, UrbanClass } from './cities.ts';
import type { CityLand } from './boundaries.ts';
import { Grid, rasterize, type Pt } from './geo.ts';
import { makeNoise2d, MASTER_SEED, Rng } from './prng.ts';
import type { HillFn } from './terrain.ts';

export const CELL_M = 500;
export const JINAN_TOTAL = 10_000_000;

export interface ClassParams {
  /** Peak density of the district's main centre, persons/km². */
  peak: number;
  /** Decay length of the main centre, km. */
  rKm: number;
  /** Rural/background density, persons/km². */
  base: number;
  /** Sub-centres per km² of district, and their maximum number. */
  subPerKm2: number;
  subMax: number;
  /** Sub-centre peak as a fraction of the class peak (uniform in range). */
  subFrac: [number, number];
}

export const CLASS_PARAMS: Record<UrbanClass, ClassParams> = {
  core: { peak: 28000, rKm: 4.0, base: 1200, subPerKm2: 1 / 40, subMax: 4, subFrac: [0.35, 0.65] },
  urban: { peak: 18000, rKm: 3.5, base: 600, subPerKm2: 1 / 45, subMax: 12, subFrac: [0.3, 0.6] },
  suburban: { peak: 10000, rKm: 2.8, base: 300, subPerKm2: 1 / 120, subMax: 10, subFrac: [0.25, 0.5] },
  county: { peak: 7000, rKm: 2.2, base: 220, subPerKm2: 1 / 150, subMax: 12, subFrac: [0.2, 0.45] },
};

/** Sub-centres far from the district centre are smaller: × max(0.25, exp(-d / 18 km)). */
export const SUB_DECAY_KM = 18;

export interface Centre {
  xy: Pt;
  peak: number;
  r: number;
  district: number;
  main: boolean;
}

export interface CityPopulation {
  grid: Grid;
  /** District index per grid cell, -1 outside the city. */
  district: Int32Array;
  /** Unscaled density per grid cell (persons/km² before the global scale). */
  rawDensity: Float64Array;
  hill: Float32Array;
  centres: Centre[];
  /** Filled by applyScale. */
  scale: number;
  /** Persons per grid cell (integer), after applyScale. */
  pop: Int32Array;
  /** Indices of grid cells with pop > 0, row-major (south→north, west→east). */
  cells: number[];
  total: number;
}

export function buildCentres(city: CityCfg, land: CityLand, rng: Rng): Centre[] {
  const centres: Centre[] = [];
  land.districts.forEach((d, di) => {
    const p = CLASS_PARAMS[d.cfg.cls];
    centres.push({ xy: land.frame.toXY(d.centre[0], d.centre[1]), peak: p.peak, r: p.rKm * 1000, district: di, main: true });
    const nSub = Math.min(p.subMax, Math.max(1, Math.round(d.areaKm2 * p.subPerKm2)));
    const main = land.frame.toXY(d.centre[0], d.centre[1]);
    const bb = d.area.bbox;
    let placed = 0;
    for (let tries = 0; placed < nSub && tries < nSub * 60; tries++) {
      const lon = rng.range(bb[0], bb[2]);
      const lat = rng.range(bb[1], bb[3]);
      if (!d.area.contains(lon, lat)) continue;
      const xy = land.frame.toXY(lon, lat);
      const dist = Math.hypot(xy[0] - main[0], xy[1] - main[1]) / 1000;
      centres.push({
        xy,
        peak: p.peak * rng.range(p.subFrac[0], p.subFrac[1]) * Math.max(0.25, Math.exp(-dist / SUB_DECAY_KM)),
        r: rng.range(1100, 2200),
        district: di,
        main: false,
      });
      placed++;
    }
  });
  return centres;
}

export function buildPopulation(city: CityCfg, land: CityLand, hill: HillFn): CityPopulation {
  const rng = new Rng(`${MASTER_SEED}/${city.id}/population`);
  const grid = new Grid(land.frame, land.bbox, CELL_M);
  const n = grid.nx * grid.ny;
  const district = new Int32Array(n).fill(-1);
  land.districts.forEach((d, i) => rasterize(grid, d.geom, district, i));
  const centres = buildCentres(city, land, rng);
  const texture = makeNoise2d(`${MASTER_SEED}/${city.id}/texture`, 3, 0.55);
  const rawDensity = new Float64Array(n);
  const hillArr = new Float32Array(n);
  for (let row = 0; row < grid.ny; row++) {
    const lat = grid.centreLat(row);
    for (let col = 0; col < grid.nx; col++) {
      const i = grid.index(row, col);
      const di = district[i] as number;
      if (di < 0) continue;
      const lon = grid.centreLon(col);
      const [x, y] = land.frame.toXY(lon, lat);
      let u = 0;
      for (const c of centres) {
        const dx = x - c.xy[0];
        const dy = y - c.xy[1];
        const d2 = dx * dx + dy * dy;
        const lim = 5 * c.r;
        if (d2 > lim * lim) continue;
        u += c.peak * Math.exp(-Math.pow(Math.sqrt(d2) / c.r, 1.5));
      }
      const cls = (land.districts[di] as { cfg: { cls: UrbanClass } }).cfg.cls;
      const b = CLASS_PARAMS[cls].base;
      const t = Math.exp(0.45 * (2 * texture(x / 1500, y / 1500) - 1));
      const h = hill(lon, lat);
      hillArr[i] = h;
      rawDensity[i] = h > 0.72 ? 0 : (u + b) * t * (1 - h) * (1 - h);
    }
  }
  return {
    grid,
    district,
    rawDensity,
    hill: hillArr,
    centres,
    scale: 1,
    pop: new Int32Array(n),
    cells: [],
    total: 0,
  };
}

/** Unscaled total persons (density × cell area). */
export function rawTotal(p: CityPopulation): number {
  const cellKm2 = (CELL_M / 1000) ** 2;
  let s = 0;
  for (let i = 0; i < p.rawDensity.length; i++) s += (p.rawDensity[i] as number) * cellKm2;
  return s;
}

/**
 * Integer persons per cell = round(density × scale × cell area). With a
 * target total (Jinan), rounding is by largest remainder so the sum is exact.
 */
export function applyScale(p: CityPopulation, scale: number, targetTotal?: number): void {
  const cellKm2 = (CELL_M / 1000) ** 2;
  p.scale = scale;
  const exact = new Float64Array(p.rawDensity.length);
  let sum = 0;
  for (let i = 0; i < exact.length; i++) {
    const v = (p.rawDensity[i] as number) * scale * cellKm2;
    exact[i] = v;
    const r = Math.round(v);
    p.pop[i] = r;
    sum += r;
  }
  if (targetTotal !== undefined && sum !== targetTotal) {
    const diff = targetTotal - sum;
    const step = diff > 0 ? 1 : -1;
    // Cells whose rounding moved them furthest from the exact value get the correction first.
    const order: number[] = [];
    for (let i = 0; i < exact.length; i++) if ((exact[i] as number) > 0.5) order.push(i);
    order.sort((a, b) => {
      const ra = ((exact[a] as number) - (p.pop[a] as number)) * step;
      const rb = ((exact[b] as number) - (p.pop[b] as number)) * step;
      return rb - ra || a - b;
    });
    for (let k = 0; k < Math.abs(diff); k++) {
      const i = order[k % order.length] as number;
      p.pop[i] = (p.pop[i] as number) + step;
    }
  }
  p.cells = [];
  p.total = 0;
  for (let i = 0; i < exact.length; i++) {
    const v = p.pop[i] as number;
    if (v > 0) {
      p.cells.push(i);
      p.total += v;
    }
  }
}

/** Density in persons/km² (after scaling). */
export function density(p: CityPopulation, i: number): number {
  return (p.rawDensity[i] as number) * p.scale;
}

export function cellId(code: string, p: CityPopulation, i: number): string {
  const row = Math.floor(i / p.grid.nx);
  const col = i % p.grid.nx;
  return `${code}-${String(row).padStart(3, '0')}-${String(col).padStart(3, '0')}`;
}

export function districtPopulations(p: CityPopulation, nDistricts: number): number[] {
  const out = new Array<number>(nDistricts).fill(0);
  for (const i of p.cells) {
    const d = p.district[i] as number;
    out[d] = (out[d] ?? 0) + (p.pop[i] as number);
  }
  return out;
}
