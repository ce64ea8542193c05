/**
 * Initial map view per city: the centre and zoom that fit the urban core
 * (population-weighted 5th–95th percentiles of dense cells) in a 1440×900
 * viewport with padding, clamped to zoom 9.5–10.5.
 */
import { type CityPopulation, density } from './population.ts';

export const VIEWPORT = { width: 1440, height: 900, padding: 0.12 };
export const ZOOM_RANGE: [number, number] = [9.5, 10.5];

function weightedQuantile(values: number[], weights: number[], q: number): number {
  const idx = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
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

export function coreView(p: CityPopulation, minDensity = 8000): { center: [number, number]; zoom: number; core: [number, number, number, number]; rawZoom: number } {
  const lons: number[] = [];
  const lats: number[] = [];
  const w: number[] = [];
  for (const i of p.cells) {
    if (density(p, i) < minDensity) continue;
    lons.push(p.grid.centreLon(i % p.grid.nx));
    lats.push(p.grid.centreLat(Math.floor(i / p.grid.nx)));
    w.push(p.pop[i] as number);
  }
  const core: [number, number, number, number] = [
    weightedQuantile(lons, w, 0.05),
    weightedQuantile(lats, w, 0.05),
    weightedQuantile(lons, w, 0.95),
    weightedQuantile(lats, w, 0.95),
  ];
  const center: [number, number] = [
    Math.round(((core[0] + core[2]) / 2) * 1e4) / 1e4,
    Math.round(((core[1] + core[3]) / 2) * 1e4) / 1e4,
  ];
  const dx = (core[2] - core[0]) / 360;
  const dy = Math.abs(mercY(core[3]) - mercY(core[1]));
  const usableW = VIEWPORT.width * (1 - 2 * VIEWPORT.padding);
  const usableH = VIEWPORT.height * (1 - 2 * VIEWPORT.padding);
  const z = Math.log2(Math.min(usableW / (256 * dx), usableH / (256 * dy)));
  const zoom = Math.round(Math.min(ZOOM_RANGE[1], Math.max(ZOOM_RANGE[0], z)) * 10) / 10;
  return { center, zoom, core, rawZoom: z };
}
