/**
 * Ecological restoration sites (2015–2025).
 *
 * Types and where they go:
 * - mountain  (山体修复/复绿): blobs of 1–40 ha on modelled uplands near the city;
 * - wetland   : blobs of 3–80 ha near rivers/coast or in low-density land;
 * - river     (河道整治): strips on one bank (30–100 m wide, 0.5–3 km long) along the
 *               city's schematic river(s) and modelled creeks;
 * - coast     (海岸/海湾整治, coastal cities only): inland strips (40–200 m) along
 *               the modelled coastline;
 * - brownfield(棕地变公园): rectangles of 1–15 ha in dense urban cells.
 * Counts per type follow the city's weights (cities.ts). Jinan's total area is
 * calibrated to the seed's "建绿复绿近600万平方米" by rescaling target sizes.
 */
import { douglasPeucker, type District } from './boundaries.ts';
import { cellDensity, distanceTo, randomPointInCell, type CityContext } from './context.ts';
import type { Feature } from './geojsonOut.ts';
import type { Pt, Ring } from './geo.ts';
import { NameMaker } from './names.ts';
import { MASTER_SEED, Rng, WeightedSampler } from './prng.ts';
import { blob, districtOfRing, Occupancy, rect, ringAreaTurf, ringRadius, strip } from './shapes.ts';

export const RESTORATION_TYPES = ['mountain', 'wetland', 'river', 'coast', 'brownfield'] as const;
export type RestorationType = (typeof RESTORATION_TYPES)[number];

export interface Site {
  id: string;
  name: string;
  type: RestorationType;
  year: number;
  areaM2: number;
  district: string;
  ring: Ring;
}

interface Creek {
  name: string;
  points: Pt[];
}

/** Modelled creeks: meandering random walks (3–10 km) from populated cells, stopped at the city edge. */
export function modelCreeks(ctx: CityContext, rng: Rng, names: NameMaker, n: number): Creek[] {
  const weights = new Float64Array(ctx.pop.rawDensity.length);
  for (const i of ctx.pop.cells) weights[i] = Math.min(cellDensity(ctx, i), 8000);
  const sampler = new WeightedSampler(weights);
  const creeks: Creek[] = [];
  const suffix = ctx.cfg.id === 'shenzhen' ? ['河', '河', '涌'] : ctx.cfg.id === 'ningbo' ? ['河', '江', '浦'] : ['河', '河', '沟'];
  for (let k = 0; k < n * 5 && creeks.length < n; k++) {
    const start = randomPointInCell(ctx, sampler.sample(rng), rng.next(), rng.next());
    let [x, y] = ctx.land.frame.toXY(start[0], start[1]);
    let heading = rng.range(0, 2 * Math.PI);
    const len = rng.range(3000, 10000);
    const pts: Pt[] = [start];
    for (let s = 0; s < len; s += 150) {
      heading += rng.normal() * 0.22;
      x += Math.cos(heading) * 150;
      y += Math.sin(heading) * 150;
      const p = ctx.land.frame.toLonLat(x, y);
      if (!ctx.land.land.contains(p[0], p[1])) break;
      pts.push(p);
    }
    if (pts.length >= 12) creeks.push({ name: `${names.place()}${rng.pick(suffix)}`, points: pts });
  }
  return creeks;
}

/** A piece of `lengthM` metres from startIdx on, simplified (Douglas–Peucker, ~4 m) to keep files small. */
function subLine(points: Pt[], startIdx: number, lengthM: number, ctx: CityContext): Pt[] {
  const out: Pt[] = [points[startIdx] as Pt];
  let acc = 0;
  for (let i = startIdx + 1; i < points.length && acc < lengthM; i++) {
    acc += ctx.land.frame.dist(points[i - 1] as Pt, points[i] as Pt);
    out.push(points[i] as Pt);
  }
  return douglasPeucker(out, 4 / ctx.land.frame.my, ctx.land.frame.mx / ctx.land.frame.my);
}

function densified(points: Pt[], ctx: CityContext, step = 50): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as Pt;
    const b = points[i + 1] as Pt;
    const n = Math.max(1, Math.ceil(ctx.land.frame.dist(a, b) / step));
    for (let k = 0; k < n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  const last = points[points.length - 1];
  if (last) out.push(last);
  return out;
}

/** Picks how many sites of each type (largest remainder on the weights). */
export function typeCounts(ctx: CityContext): Record<RestorationType, number> {
  const w = { ...ctx.cfg.restoration.weights };
  if (!ctx.cfg.coastal || ctx.land.coast.length === 0) delete w.coast;
  const total = Object.values(w).reduce((s, v) => s + (v ?? 0), 0);
  const n = ctx.cfg.restoration.count;
  const counts = { mountain: 0, wetland: 0, river: 0, coast: 0, brownfield: 0 } as Record<RestorationType, number>;
  const rem: [RestorationType, number][] = [];
  let assigned = 0;
  for (const t of RESTORATION_TYPES) {
    const exact = (n * (w[t] ?? 0)) / total;
    counts[t] = Math.floor(exact);
    assigned += counts[t];
    rem.push([t, exact - counts[t]]);
  }
  rem.sort((a, b) => b[1] - a[1]);
  for (let i = 0; assigned < n; i++, assigned++) counts[(rem[i % rem.length] as [RestorationType, number])[0]]++;
  return counts;
}

interface Target {
  type: RestorationType;
  /** Area for blobs/rects; length for strips. */
  size: number;
  width: number;
}

function targets(ctx: CityContext, rng: Rng): Target[] {
  const counts = typeCounts(ctx);
  const out: Target[] = [];
  for (const t of RESTORATION_TYPES) {
    for (let i = 0; i < counts[t]; i++) {
      if (t === 'mountain') out.push({ type: t, size: rng.boundedPareto(1e4, 4e5, 0.8), width: 0 });
      else if (t === 'wetland') out.push({ type: t, size: rng.boundedPareto(3e4, 8e5, 0.8), width: 0 });
      else if (t === 'brownfield') out.push({ type: t, size: rng.boundedPareto(1e4, 1.5e5, 0.9), width: 0 });
      else if (t === 'river') out.push({ type: t, size: rng.range(500, 3000), width: rng.range(30, 100) });
      else out.push({ type: t, size: rng.range(500, 3000), width: rng.range(40, 200) });
    }
  }
  return out;
}

function yearOf(rng: Rng): number {
  // More recent years slightly more likely (programmes ramp up).
  const w = Array.from({ length: 11 }, (_, i) => 1 + 0.12 * i);
  return 2015 + new WeightedSampler(w).sample(rng);
}

function place(ctx: CityContext, tg: Target[], scale: number, seed: string): { t: Target; ring: Ring; d: District; label: string }[] {
  const rng = new Rng(seed);
  const names = new NameMaker(new Rng(`${seed}/names`));
  const n = ctx.pop.rawDensity.length;
  const wMountain = new Float64Array(n);
  const wWetland = new Float64Array(n);
  const wBrown = new Float64Array(n);
  const mains = ctx.pop.centres.filter((c) => c.main);
  for (let i = 0; i < n; i++) {
    if ((ctx.pop.district[i] as number) < 0) continue;
    const h = ctx.pop.hill[i] as number;
    const d = cellDensity(ctx, i);
    const p = randomPointInCell(ctx, i, 0.5, 0.5);
    const [x, y] = ctx.land.frame.toXY(p[0], p[1]);
    let dmin = Infinity;
    for (const c of mains) dmin = Math.min(dmin, Math.hypot(x - c.xy[0], y - c.xy[1]));
    if (h > 0.25 && h < 0.92) wMountain[i] = h * Math.exp(-dmin / 15000);
    if (d < 3000) {
      const water = Math.min(distanceTo(ctx, ctx.rivers, p, 3000).d, distanceTo(ctx, ctx.coast, p, 3000).d);
      wWetland[i] = (water < 2000 ? 4 : 0.3) * (1 - h);
    }
    if (d >= 3000 && h < 0.4) wBrown[i] = Math.sqrt(d);
  }
  const sMountain = new WeightedSampler(wMountain);
  const sWetland = new WeightedSampler(wWetland);
  const sBrown = new WeightedSampler(wBrown);
  const creeks = modelCreeks(ctx, rng, names, ctx.cfg.id === 'shenzhen' ? 22 : 14);
  const waterLines: Creek[] = [
    ...ctx.riverLines.map((r) => ({ name: r.name, points: densified(r.points, ctx) })),
    ...creeks.map((c) => ({ name: c.name, points: densified(c.points, ctx) })),
  ];
  const coastLines = ctx.land.coast.map((l) => densified(l, ctx)).filter((l) => l.length >= 6);
  const coastLen = coastLines.map((l) => l.length);
  const coastSampler = coastLines.length ? new WeightedSampler(coastLen) : null;
  const occ = new Occupancy(ctx.land.frame);
  const out: { t: Target; ring: Ring; d: District; label: string }[] = [];
  const f = ctx.land.frame;
  for (const t of tg) {
    for (let attempt = 0; attempt < 80; attempt++) {
      let ring: Ring | null = null;
      let label = '';
      if (t.type === 'mountain' || t.type === 'wetland' || t.type === 'brownfield') {
        const s = t.type === 'mountain' ? sMountain : t.type === 'wetland' ? sWetland : sBrown;
        if (s.total <= 0) break;
        const cell = s.sample(rng);
        const c = randomPointInCell(ctx, cell, rng.next(), rng.next());
        const area = t.size * scale;
        const dist = ctx.land.districts[ctx.pop.district[cell] as number];
        ring =
          t.type === 'brownfield'
            ? rect(c, area, f, rng, dist?.cfg.streetAngle ?? 0, 2)
            : blob(c, area, f, rng, area > 2e5 ? 12 : 9, 2.4, 0.25);
        label = t.type === 'mountain' ? names.hill() : names.place();
      } else if (t.type === 'river') {
        // Main rivers get half of the river sites, creeks the rest.
        const li = rng.chance(0.5) ? rng.int(Math.max(1, ctx.riverLines.length)) : rng.int(waterLines.length);
        const line = waterLines[li] as Creek;
        if (line.points.length < 6) continue;
        const start = rng.int(Math.max(1, line.points.length - 4));
        const sub = subLine(line.points, start, t.size, ctx);
        // One bank: a strip starting 5 m from the centre line (rivers can be district borders).
        ring = strip(sub, t.width * scale, rng.chance(0.5) ? 1 : -1, f, 5);
        label = `${line.name}|${names.place()}`;
      } else {
        if (!coastSampler) break;
        const line = coastLines[coastSampler.sample(rng)] as Pt[];
        const start = rng.int(Math.max(1, line.length - 4));
        const sub = subLine(line, start, t.size, ctx);
        if (sub.length < 3) continue;
        // Inland side: the one where a point 30 m off the first segment is on land.
        const a = f.toXY((sub[0] as Pt)[0], (sub[0] as Pt)[1]);
        const b = f.toXY((sub[1] as Pt)[0], (sub[1] as Pt)[1]);
        const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
        const test = f.toLonLat((a[0] + b[0]) / 2 - ((b[1] - a[1]) / len) * 30, (a[1] + b[1]) / 2 + ((b[0] - a[0]) / len) * 30);
        const side = ctx.land.land.contains(test[0], test[1]) ? 1 : -1;
        ring = strip(sub, t.width * scale, side, f, 15);
        label = names.place();
      }
      if (!ring || ring.length < 4) continue;
      const { centre, radius } = ringRadius(ring, f);
      if (!occ.free(centre, radius, t.type === 'river' || t.type === 'coast' ? 0.55 : 1)) continue;
      const d = districtOfRing(ctx.land, ring);
      if (!d) continue;
      occ.add(centre, radius);
      out.push({ t, ring, d, label });
      break;
    }
  }
  return out;
}

function siteName(type: RestorationType, label: string, cityId: string, rng: Rng): string {
  switch (type) {
    case 'mountain':
      return `${label}${rng.pick(['破损山体修复', '山体复绿工程', '山体生态修复'])}`;
    case 'wetland':
      return `${label}${rng.pick(['湿地修复', '湿地生态修复工程', '湿地保护与恢复'])}`;
    case 'river': {
      const [river, place] = label.split('|');
      if (cityId === 'shenzhen') return `${river}${rng.pick([`碧道（${place}段）`, `${place}段黑臭水体治理`, `${place}段综合整治`])}`;
      return `${river}${rng.pick([`${place}段综合整治`, `${place}段生态修复`, `${place}段河道整治`])}`;
    }
    case 'coast':
      return `${label}${rng.pick(['海岸带生态修复', '岸线整治修复', '海湾综合整治', '滨海湿地修复'])}`;
    case 'brownfield':
      return `${label}${rng.pick(['旧厂区棕地改造公园', '工业遗址公园', '老厂房更新绿地'])}`;
  }
}

export function generateRestoration(ctx: CityContext): Site[] {
  const seed = `${MASTER_SEED}/${ctx.cfg.id}/restoration`;
  const tg = targets(ctx, new Rng(`${seed}/targets`));
  const goal = ctx.cfg.restoration.totalAreaM2;
  let scale = 1;
  let placed = place(ctx, tg, scale, seed);
  if (goal) {
    // Rescale target sizes until the total hits the seed figure (±1 %).
    for (let it = 0; it < 8; it++) {
      const total = placed.reduce((s, p) => s + ringAreaTurf(p.ring), 0);
      if (Math.abs(total - goal) / goal < 0.01) break;
      scale *= goal / total;
      placed = place(ctx, tg, scale, seed);
    }
  }
  const rng = new Rng(`${seed}/attrs`);
  const names = new NameMaker(new Rng(`${seed}/unique`));
  const sites = placed.map((p) => ({
    name: names.unique(siteName(p.t.type, p.label, ctx.cfg.id, rng)),
    type: p.t.type,
    year: yearOf(rng),
    areaM2: Math.round(ringAreaTurf(p.ring)),
    district: p.d.id,
    ring: p.ring,
  }));
  const order = new Map(ctx.land.districts.map((d, i) => [d.id, i]));
  sites.sort((a, b) => (order.get(a.district) ?? 0) - (order.get(b.district) ?? 0) || a.year - b.year || b.areaM2 - a.areaM2);
  return sites.map((s, i) => ({ ...s, id: `${ctx.cfg.code}-R${String(i + 1).padStart(3, '0')}` }));
}

export function restorationFeatures(sites: Site[]): Feature[] {
  return sites.map((s) => ({
    type: 'Feature',
    properties: { id: s.id, name: s.name, type: s.type, year: s.year, area_m2: s.areaM2, district: s.district },
    geometry: { type: 'Polygon', coordinates: [s.ring] },
  }));
}
