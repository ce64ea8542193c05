/**
 * Initial map view per city: centred on the dense urban core (population-
 * weighted 5th–95th percentiles of cells ≥ 8,000/km²), zoomed so that the
 * wider urban area (2nd–98th percentiles of cells ≥ 3,000/km²) fits a
 * 1440×900 viewport with 12 % padding, clamped to zoom 9.5–10.5.
 */
import { type CityPopulation, density } from './population.ts';

export const VIEWPORT = { width: 1440, height: 900, padding: 0.12 };
export const ZOOM_RANGE: [number, number] = [9.5, 10.5];

function weightedQuantile(values: number[], weights: number[], q: number): number {
  const idx = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (const i of idx) {
    acc += weights[i] as number;
    if (acc >= q * total) return values[i] as number;
  }
  return values[idx[idx.length - 1] as number] as number;
}

const mercY = (lat: number): number => {
  const r = (lat * Math.PI) / 180;
  return (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
};

/** Population-weighted quantile box [w, s, e, n] of cells at or above minDensity. */
export function coreBox(p: CityPopulation, minDensity: number, q: number): [number, number, number, number] {
  const lons: number[] = [];
  const lats: number[] = [];
  const w: number[] = [];
  for (const i of p.cells) {
    if (density(p, i) < minDensity) continue;
    lons.push(p.grid.centreLon(i % p.grid.nx));
    lats.push(p.grid.centreLat(Math.floor(i / p.grid.nx)));
    w.push(p.pop[i] as number);
  }
  return [weightedQuantile(lons, w, q), weightedQuantile(lats, w, q), weightedQuantile(lons, w, 1 - q), weightedQuantile(lats, w, 1 - q)];
}

export function coreView(p: CityPopulation): {
  center: [number, number];
  zoom: number;
  core: [number, number, number, number];
  rawZoom: number;
} {
  const dense = coreBox(p, 8000, 0.05);
  const core = coreBox(p, 3000, 0.02);
  const center: [number, number] = [
    Math.round(((dense[0] + dense[2]) / 2) * 1e4) / 1e4,
    Math.round(((dense[1] + dense[3]) / 2) * 1e4) / 1e4,
  ];
  // Fit the wider core symmetrically around the centre.
  const halfDx = Math.max(center[0] - core[0], core[2] - center[0]) / 360;
  const halfDy = Math.max(Math.abs(mercY(core[1]) - mercY(center[1])), Math.abs(mercY(core[3]) - mercY(center[1])));
  const usableW = VIEWPORT.width * (1 - 2 * VIEWPORT.padding);
  const usableH = VIEWPORT.height * (1 - 2 * VIEWPORT.padding);
  const rawZoom = Math.log2(Math.min(usableW / (256 * 2 * halfDx), usableH / (256 * 2 * halfDy)));
  const zoom = Math.round(Math.min(ZOOM_RANGE[1], Math.max(ZOOM_RANGE[0], rawZoom)) * 10) / 10;
  return { center, zoom, core, rawZoom };
}
