/**
 * Parks: heavy-tailed sizes, placed where people live, classed by CJJ/T 85-2017.
 *
 * - City parks: count = PARKS_PER_10K × (residents of cells ≥ 1500/km²) / 10,000,
 *   plus, for Jinan, the seed's 394 new parks and street gardens. Sizes are
 *   bounded-Pareto (400 m² … 250 ha, tail index 0.55): mostly pocket parks, a
 *   few large parks. Placement probability ∝ density^γ (γ = 1 for small,
 *   0.8 for 1–10 ha, 0.5 for larger parks).
 * - Country/wetland parks (EG1): about one per 450 km² of land, 30–800 ha,
 *   in low-density land, preferring uplands and waterfronts.
 * - Hill parks (EG1, Jinan only): the seed's 126 hills brought into the city,
 *   5–300 ha, on modelled uplands within reach of the urban core.
 * Every polygon lies inside one district (all vertices and edge midpoints)
 * and parks do not overlap. area_m2 is turf.area of the written polygon.
 */
import type { District } from './boundaries.ts';
import { cellDensity, distanceTo, randomPointInCell, type CityContext } from './context.ts';
import type { Feature } from './geojsonOut.ts';
import type { Pt, Ring } from './geo.ts';
import { NameMaker, shortDistrict } from './names.ts';
import { MASTER_SEED, Rng, WeightedSampler } from './prng.ts';
import { blob, districtOfRing, Occupancy, rect, ringAreaTurf, ringRadius, scaleToArea } from './shapes.ts';

export const PARKS_PER_10K = 0.9;
export const POCKET_MIN_M2 = 400;
export const POCKET_MAX_M2 = 10_000;

export type ParkClass = 'G11' | 'G12' | 'G13' | 'G14' | 'EG1';

export interface Park {
  id: string;
  name: string;
  cls: ParkClass;
  areaM2: number;
  pocket: boolean;
  district: string;
  ring: Ring;
}

type Kind = 'city' | 'country' | 'hill';

interface Target {
  kind: Kind;
  areaM2: number;
}

export function isPocket(areaM2: number): boolean {
  return areaM2 >= POCKET_MIN_M2 && areaM2 <= POCKET_MAX_M2;
}

export function parkTargets(ctx: CityContext, rng: Rng): Target[] {
  const { pop, cfg } = ctx;
  let urbanPop = 0;
  for (const i of pop.cells) if (cellDensity(ctx, i) >= 1500) urbanPop += pop.pop[i] as number;
  const nCity = Math.round((PARKS_PER_10K * urbanPop) / 1e4) + (cfg.parks.newParks ?? 0);
  const landKm2 = ctx.land.districts.reduce((s, d) => s + d.areaKm2, 0);
  const nCountry = Math.max(3, Math.round(landKm2 / 450));
  const nHill = cfg.parks.hillParks ?? 0;
  const targets: Target[] = [];
  for (let i = 0; i < nCountry; i++) targets.push({ kind: 'country', areaM2: rng.boundedPareto(3e5, 8e6, 0.9) });
  for (let i = 0; i < nHill; i++) targets.push({ kind: 'hill', areaM2: rng.boundedPareto(5e4, 3e6, 0.75) });
  for (let i = 0; i < nCity; i++) targets.push({ kind: 'city', areaM2: rng.boundedPareto(POCKET_MIN_M2 * 1.05, 2.5e6, 0.55) });
  // Big ones first, so they find room.
  targets.sort((a, b) => b.areaM2 - a.areaM2);
  return targets;
}

function samplers(ctx: CityContext): Record<string, WeightedSampler> {
  const { pop } = ctx;
  const n = pop.rawDensity.length;
  const small = new Float64Array(n);
  const mid = new Float64Array(n);
  const large = new Float64Array(n);
  const country = new Float64Array(n);
  const hill = new Float64Array(n);
  const coreCentres = ctx.pop.centres.filter((c) => c.main && ['core', 'urban'].includes(ctx.land.districts[c.district]?.cfg.cls ?? ''));
  for (let i = 0; i < n; i++) {
    if ((pop.district[i] as number) < 0) continue;
    const d = cellDensity(ctx, i);
    const h = pop.hill[i] as number;
    if (d >= 600 && h < 0.5) {
      small[i] = d;
      mid[i] = Math.pow(d, 0.8);
      large[i] = Math.pow(d, 0.5);
    }
    if (d < 2500) {
      const cell = randomPointInCell(ctx, i, 0.5, 0.5);
      const water = Math.min(distanceTo(ctx, ctx.rivers, cell, 3000).d, distanceTo(ctx, ctx.coast, cell, 3000).d);
      country[i] = (0.25 + h) * (water < 2500 ? 2.5 : 1);
    }
    if (h > 0.3 && h < 0.97 && coreCentres.length) {
      const [x, y] = ctx.land.frame.toXY(...randomPointInCell(ctx, i, 0.5, 0.5));
      let dmin = Infinity;
      for (const c of coreCentres) dmin = Math.min(dmin, Math.hypot(x - c.xy[0], y - c.xy[1]));
      if (dmin < 30000) hill[i] = h * Math.exp(-dmin / 9000);
    }
  }
  return {
    small: new WeightedSampler(small),
    mid: new WeightedSampler(mid),
    large: new WeightedSampler(large),
    country: new WeightedSampler(country),
    hill: new WeightedSampler(hill),
  };
}

function shapeFor(t: Target, centre: Pt, d: District, ctx: CityContext, rng: Rng): Ring {
  const f = ctx.land.frame;
  if (t.kind !== 'city') return blob(centre, t.areaM2, f, rng, t.areaM2 > 1e6 ? 16 : 12, 2.2, 0.22);
  if (t.areaM2 < 1e4) {
    return rng.chance(0.6) ? rect(centre, t.areaM2, f, rng, d.cfg.streetAngle, 2.8) : blob(centre, t.areaM2, f, rng, 6, 1.8, 0.15);
  }
  if (t.areaM2 < 1e5) {
    return rng.chance(0.3) ? rect(centre, t.areaM2, f, rng, d.cfg.streetAngle, 2.2) : blob(centre, t.areaM2, f, rng, 8, 2, 0.18);
  }
  return blob(centre, t.areaM2, f, rng, t.areaM2 > 1e6 ? 14 : 10, 2.2, 0.2);
}

const G13_LARGE = ['植物园', '动物园', '遗址公园', '森林植物园', '湿地植物园'];
const G13_SMALL = ['儿童公园', '体育公园', '纪念公园', '雕塑公园', '科普公园', '文化公园'];

function classify(kind: Kind, areaM2: number, rng: Rng): ParkClass {
  if (kind !== 'city') return 'EG1';
  if (areaM2 < 1e4) return 'G14';
  if (areaM2 < 1e5) return rng.chance(0.15) ? 'G13' : 'G12';
  return rng.chance(0.2) ? 'G13' : 'G11';
}

export function generateParks(ctx: CityContext): Park[] {
  const rng = new Rng(`${MASTER_SEED}/${ctx.cfg.id}/parks`);
  const names = new NameMaker(new Rng(`${MASTER_SEED}/${ctx.cfg.id}/parks-names`));
  const targets = parkTargets(ctx, rng);
  const s = samplers(ctx);
  const occ = new Occupancy(ctx.land.frame);
  const placed: { t: Target; ring: Ring; d: District; centre: Pt }[] = [];
  for (const t of targets) {
    const sampler =
      t.kind === 'country' ? s.country : t.kind === 'hill' ? s.hill : t.areaM2 < 1e4 ? s.small : t.areaM2 < 1e5 ? s.mid : s.large;
    if (!sampler || sampler.total <= 0) continue;
    let area = t.areaM2;
    let done = false;
    for (let attempt = 0; attempt < 60 && !done; attempt++) {
      if (attempt > 0 && attempt % 15 === 0) area = Math.max(POCKET_MIN_M2 * 1.05, area * 0.7);
      const cell = sampler.sample(rng);
      const centre = randomPointInCell(ctx, cell, rng.next(), rng.next());
      const d = ctx.land.districts[ctx.pop.district[cell] as number];
      if (!d) continue;
      // Shapes come out a little off their target area: scale them onto it (pocket parks stay ≥ 400 m²).
      const ring = scaleToArea(shapeFor({ ...t, areaM2: area }, centre, d, ctx, rng), area, ctx.land.frame);
      const { centre: c, radius } = ringRadius(ring, ctx.land.frame);
      if (!occ.free(c, radius, 1.02)) continue;
      const inside = districtOfRing(ctx.land, ring);
      if (!inside) continue;
      occ.add(c, radius);
      placed.push({ t: { ...t, areaM2: area }, ring, d: inside, centre: c });
      done = true;
    }
  }

  const byDistrictCount = new Map<string, number>();
  const riverNames = ctx.riverLines.map((r) => r.name);
  const out: Omit<Park, 'id'>[] = placed.map((p) => {
    const areaM2 = Math.round(ringAreaTurf(p.ring));
    const cls = classify(p.t.kind, areaM2, rng);
    const ds = shortDistrict(p.d.cfg.name);
    let name: string;
    const water = distanceTo(ctx, ctx.rivers, p.centre, 1500);
    const coast = distanceTo(ctx, ctx.coast, p.centre, 2500);
    if (p.t.kind === 'hill') name = `${names.hill()}公园`;
    else if (p.t.kind === 'country') {
      if (water.d < 1500 || coast.d < 2500) name = `${names.place()}湿地公园`;
      else if ((ctx.hill(p.centre[0], p.centre[1]) ?? 0) > 0.35) name = `${names.place()}森林公园`;
      else name = `${names.place()}郊野公园`;
    } else if (cls === 'G14') {
      if (rng.chance(0.55)) {
        const k = (byDistrictCount.get(p.d.id) ?? 0) + 1;
        byDistrictCount.set(p.d.id, k);
        name = `${p.d.cfg.name}口袋公园${k}号`;
      } else name = `${names.place()}${rng.pick(['街头游园', '游园', '小游园', '街心花园'])}`;
    } else if (water.line >= 0 && water.d < 400 && areaM2 >= 5000) {
      name = `${riverNames[water.line] ?? ''}滨河公园${names.place()}段`;
    } else if (coast.line >= 0 && coast.d < 800 && areaM2 >= 5000) {
      name = `${names.place()}滨海公园`;
    } else if (cls === 'G12') {
      name = `${names.place()}${rng.chance(0.6) ? '社区公园' : '公园'}`;
    } else if (cls === 'G13') {
      name = areaM2 >= 1e5 ? `${ds}${rng.pick(G13_LARGE)}` : `${names.place()}${rng.pick(G13_SMALL)}`;
    } else {
      name = `${rng.chance(0.25) ? ds : names.place()}${rng.pick(['公园', '公园', '中央公园', '文化公园', '湖公园'])}`;
    }
    return {
      name: names.unique(name),
      cls,
      areaM2,
      pocket: isPocket(areaM2),
      district: p.d.id,
      ring: p.ring,
    };
  });
  const order = new Map(ctx.land.districts.map((d, i) => [d.id, i]));
  out.sort((a, b) => (order.get(a.district) ?? 0) - (order.get(b.district) ?? 0) || b.areaM2 - a.areaM2);
  return out.map((p, i) => ({ ...p, id: `${ctx.cfg.code}-P${String(i + 1).padStart(4, '0')}` }));
}

export function parkFeatures(parks: Park[]): Feature[] {
  return parks.map((p) => ({
    type: 'Feature',
    properties: { id: p.id, name: p.name, class: p.cls, area_m2: p.areaM2, pocket: p.pocket, district: p.district },
    geometry: { type: 'Polygon', coordinates: [p.ring] },
  }));
}
