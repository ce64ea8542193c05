/**
 * Air-quality monitoring stations: one in the most populous cell of every
 * non-county district (at least 3 km from the others), then picks weighted by
 * residents × min(1, density/8,000) (county districts only near their seat),
 * at least 3 km apart, and one background site (对照点) on
 * the uplands near the core. Each station carries an "urbanity" (0–1) that
 * scales its local emissions in the air model.
 */
import { cellDensity, randomPointInCell, type CityContext } from './context.ts';
import type { Feature } from './geojsonOut.ts';
import type { Pt } from './geo.ts';
import { NameMaker, shortDistrict } from './names.ts';
import { MASTER_SEED, Rng, WeightedSampler } from './prng.ts';

export interface Station {
  id: string;
  name: string;
  district: string;
  lon: number;
  lat: number;
  /** 0 (rural) … 1 (dense core), from local population density. */
  urbanity: number;
  background: boolean;
}

export const MIN_SPACING_M = 3000;

export function generateStations(ctx: CityContext): Station[] {
  const rng = new Rng(`${MASTER_SEED}/${ctx.cfg.id}/stations`);
  const names = new NameMaker(new Rng(`${MASTER_SEED}/${ctx.cfg.id}/stations-names`));
  const { pop, land } = ctx;
  const chosen: { cell: number; p: Pt; background: boolean }[] = [];
  const farEnough = (p: Pt, min: number): boolean => chosen.every((c) => land.frame.dist(c.p, p) >= min);
  const nTotal = ctx.cfg.stations;
  // 1. the most populous cell of each non-county district that is far enough from the others
  land.districts.forEach((d, di) => {
    if (d.cfg.cls === 'county' || chosen.length >= nTotal - 1) return;
    const cells = pop.cells.filter((i) => pop.district[i] === di).sort((a, b) => (pop.pop[b] as number) - (pop.pop[a] as number) || a - b);
    for (const cell of cells.slice(0, 400)) {
      const p = randomPointInCell(ctx, cell, rng.range(0.3, 0.7), rng.range(0.3, 0.7));
      if (farEnough(p, MIN_SPACING_M) && d.area.contains(p[0], p[1])) {
        chosen.push({ cell, p, background: false });
        break;
      }
    }
  });
  // 2. population-weighted, county districts only near their seat
  const w = new Float64Array(pop.rawDensity.length);
  const seats = pop.centres.filter((c) => c.main);
  for (const i of pop.cells) {
    const d = land.districts[pop.district[i] as number];
    if (!d) continue;
    if (d.cfg.cls === 'county') {
      const [x, y] = land.frame.toXY(...randomPointInCell(ctx, i, 0.5, 0.5));
      const seat = seats.find((c) => c.district === (pop.district[i] as number));
      if (!seat || Math.hypot(x - seat.xy[0], y - seat.xy[1]) > 4000) continue;
    }
    // Urban weighting: residents × min(1, density / 8,000 per km²).
    w[i] = (pop.pop[i] as number) * Math.min(1, cellDensity(ctx, i) / 8000);
  }
  const sampler = new WeightedSampler(w);
  for (let tries = 0; chosen.length < nTotal - 1 && tries < 20000; tries++) {
    const cell = sampler.sample(rng);
    const p = randomPointInCell(ctx, cell, rng.range(0.2, 0.8), rng.range(0.2, 0.8));
    const min = tries < 10000 ? MIN_SPACING_M : MIN_SPACING_M * 0.6;
    const d = land.districts[pop.district[cell] as number];
    if (farEnough(p, min) && d?.area.contains(p[0], p[1])) chosen.push({ cell, p, background: false });
  }
  // 3. background site on the uplands near the core
  const wb = new Float64Array(pop.rawDensity.length);
  const core = seats.filter((c) => land.districts[c.district]?.cfg.cls === 'core' || land.districts[c.district]?.cfg.cls === 'urban');
  for (let i = 0; i < wb.length; i++) {
    const h = pop.hill[i] as number;
    if ((pop.district[i] as number) < 0 || h < 0.3 || h > 0.8) continue;
    const [x, y] = land.frame.toXY(...randomPointInCell(ctx, i, 0.5, 0.5));
    let dmin = Infinity;
    for (const c of core) dmin = Math.min(dmin, Math.hypot(x - c.xy[0], y - c.xy[1]));
    if (dmin > 4000 && dmin < 25000) wb[i] = h;
  }
  const sb = new WeightedSampler(wb);
  if (sb.total > 0) {
    for (let tries = 0; tries < 2000; tries++) {
      const cell = sb.sample(rng);
      const p = randomPointInCell(ctx, cell, rng.range(0.3, 0.7), rng.range(0.3, 0.7));
      const d = land.districts[pop.district[cell] as number];
      if (farEnough(p, MIN_SPACING_M) && d?.area.contains(p[0], p[1])) {
        chosen.push({ cell, p, background: true });
        break;
      }
    }
  }
  const perDistrict = new Map<number, number>();
  const order = land.districts.map((_, i) => i);
  const sorted = chosen
    .map((c) => ({ ...c, di: pop.district[c.cell] as number }))
    .sort((a, b) => order.indexOf(a.di) - order.indexOf(b.di) || Number(a.background) - Number(b.background) || b.p[1] - a.p[1]);
  return sorted.map((c, k) => {
    const d = land.districts[c.di];
    if (!d) throw new Error('station outside districts');
    const ds = shortDistrict(d.cfg.name);
    const n = (perDistrict.get(c.di) ?? 0) + 1;
    perDistrict.set(c.di, n);
    const name = c.background ? `${ds}${names.hill()}对照点` : n === 1 ? `${ds}监测站` : `${ds}${names.place()}监测站`;
    const dens = cellDensity(ctx, c.cell);
    return {
      id: `${ctx.cfg.code}${String(k + 1).padStart(2, '0')}`,
      name: names.unique(name),
      district: d.id,
      lon: Math.round(c.p[0] * 1e5) / 1e5,
      lat: Math.round(c.p[1] * 1e5) / 1e5,
      urbanity: c.background ? 0 : Math.min(1, Math.sqrt(dens / 25000)),
      background: c.background,
    };
  });
}

export function stationFeatures(stations: Station[]): Feature[] {
  return stations.map((s) => ({
    type: 'Feature',
    properties: { id: s.id, name: s.name, district: s.district },
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
  }));
}
