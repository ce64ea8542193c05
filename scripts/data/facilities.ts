/**
 * Facilities of the GB 50180-2018 life-circle types (ids from
 * src/standards/lifeCircle.ts), placed on the walking network.
 *
 * Planned facilities cluster, as the standard intends (配套设施集中布局):
 * - centres of three levels are placed first, on network nodes drawn with
 *   probability ∝ density^γ, at least a minimum spacing apart: community
 *   centres (5-minute level), neighbourhood centres (10-minute) and street
 *   centres (15-minute); the count of each is a rate per 10,000 residents of
 *   the networked area;
 * - each centre gets each facility type of its level with a type-specific
 *   probability, on a node within the level's radius of the centre;
 * - every type also gets independent "extra" facilities (rate per 10,000,
 *   minimum spacing between same-type facilities) — shops and bus stops come
 *   only this way.
 * Points are offset 8–30 m from their node (a plot by the street). Dense
 * cores get more, and more complete, sets of facilities than the periphery.
 */
import { FACILITY_TYPES } from '../../src/standards/lifeCircle.ts';
import { cellDensity, type CityContext } from './context.ts';
import { SpatialHash } from './geo.ts';
import { NameMaker, shortDistrict } from './names.ts';
import type { Network } from './network.ts';
import type { ParquetTable } from './parquet.ts';
import { MASTER_SEED, Rng, WeightedSampler } from './prng.ts';

export type CentreLevel = 'community' | 'neighbourhood' | 'street';

export const CENTRE_LEVELS: Record<CentreLevel, { rate: number; minSpacingM: number; gamma: number; radiusM: number }> = {
  community: { rate: 2.0, minSpacingM: 280, gamma: 1, radiusM: 80 },
  neighbourhood: { rate: 0.7, minSpacingM: 500, gamma: 0.9, radiusM: 150 },
  street: { rate: 0.26, minSpacingM: 1000, gamma: 0.8, radiusM: 250 },
};

export interface FacilityRule {
  /** Centre level this type belongs to, and the chance a centre has one. */
  level?: CentreLevel;
  p?: number;
  /** Independent facilities per 10,000 residents of the networked area. */
  extraRate: number;
  /** Minimum distance between independent facilities of this type, m. */
  minSpacingM: number;
  /** Exponent on density in the placement weight of independent facilities. */
  gamma: number;
  /** Name templates; {p} = place name, {d} = district short name. */
  names: string[];
}

export const FACILITY_RULES: Record<string, FacilityRule> = {
  kindergarten: { level: 'community', p: 0.8, extraRate: 0.6, minSpacingM: 250, gamma: 1, names: ['{p}幼儿园', '{p}托育园', '{d}{p}幼儿园'] },
  health_station: { level: 'community', p: 0.9, extraRate: 0.2, minSpacingM: 300, gamma: 1, names: ['{p}社区卫生服务站', '{p}社区健康服务站'] },
  elderly_daycare: { level: 'community', p: 0.85, extraRate: 0.1, minSpacingM: 300, gamma: 1, names: ['{p}社区日间照料中心', '{p}长者服务站'] },
  fitness_small: { level: 'community', p: 0.85, extraRate: 1.2, minSpacingM: 180, gamma: 0.9, names: ['{p}健身广场', '{p}社区健身点', '{p}口袋运动场'] },
  community_service: { level: 'community', p: 0.97, extraRate: 0.1, minSpacingM: 300, gamma: 1, names: ['{p}社区服务站', '{p}社区党群服务中心'] },
  convenience_shop: { extraRate: 4.5, minSpacingM: 70, gamma: 1, names: ['{p}便利店', '{p}便民超市', '{p}小卖部'] },
  primary_school: { level: 'neighbourhood', p: 0.95, extraRate: 0.1, minSpacingM: 450, gamma: 0.9, names: ['{d}{p}小学', '{p}小学', '{p}实验小学'] },
  sports_mid: { level: 'neighbourhood', p: 0.85, extraRate: 0.1, minSpacingM: 550, gamma: 0.8, names: ['{p}运动场', '{p}全民健身中心', '{p}体育公园运动场'] },
  market: { level: 'neighbourhood', p: 0.95, extraRate: 0.4, minSpacingM: 350, gamma: 1, names: ['{p}菜市场', '{p}农贸市场', '{p}生鲜超市'] },
  bus_stop: { extraRate: 3.2, minSpacingM: 250, gamma: 0.6, names: ['{p}路口', '{p}站', '{p}路公交站'] },
  junior_middle_school: { level: 'street', p: 0.95, extraRate: 0.15, minSpacingM: 800, gamma: 0.8, names: ['{d}{p}中学', '{p}初级中学', '{p}实验中学'] },
  health_centre: { level: 'street', p: 0.95, extraRate: 0.05, minSpacingM: 1000, gamma: 0.8, names: ['{p}街道社区卫生服务中心', '{d}{p}社区卫生服务中心'] },
  sports_large: { level: 'street', p: 0.8, extraRate: 0.04, minSpacingM: 1500, gamma: 0.6, names: ['{d}体育中心', '{p}体育场', '{p}全民健身中心'] },
  culture_centre: { level: 'street', p: 0.9, extraRate: 0.03, minSpacingM: 1200, gamma: 0.7, names: ['{p}街道文化活动中心', '{d}{p}文化中心'] },
  elderly_home: { level: 'street', p: 0.85, extraRate: 0.12, minSpacingM: 900, gamma: 0.7, names: ['{p}养老院', '{p}颐养院', '{d}{p}敬老院'] },
  street_service_centre: { level: 'street', p: 0.98, extraRate: 0, minSpacingM: 1200, gamma: 0.8, names: ['{p}街道便民服务中心', '{p}街道党群服务中心'] },
  transit_station: { level: 'street', p: 0.9, extraRate: 0.45, minSpacingM: 700, gamma: 0.8, names: ['{p}地铁站', '{p}公交首末站', '{p}公交枢纽站'] },
};

export interface Facility {
  id: string;
  type: string;
  name: string;
  lon: number;
  lat: number;
  district: string;
  /** Network node it is attached to. */
  node: number;
}

/** Nodes drawn ∝ weight, at least minSpacing apart, up to `target`. */
function spacedNodes(net: Network, weights: Float64Array, target: number, minSpacingM: number, rng: Rng): number[] {
  if (target <= 0) return [];
  const sampler = new WeightedSampler(weights);
  if (sampler.total <= 0) return [];
  const placed = new SpatialHash(Math.max(200, minSpacingM));
  const out: number[] = [];
  for (let tries = 0; out.length < target && tries < target * 30; tries++) {
    const node = sampler.sample(rng);
    const x = net.x[node] as number;
    const y = net.y[node] as number;
    if (placed.nearest(x, y, minSpacingM) >= 0) continue;
    placed.add(x, y);
    out.push(node);
  }
  return out;
}

export function generateFacilities(ctx: CityContext, net: Network): Facility[] {
  const { pop, land } = ctx;
  const g = pop.grid;
  const nNodes = net.lon.length;
  const nodeCell = new Int32Array(nNodes);
  const nodeDensity = new Float64Array(nNodes);
  for (let i = 0; i < nNodes; i++) {
    const row = g.rowOf(net.lat[i] as number);
    const col = g.colOf(net.lon[i] as number);
    const cell = row >= 0 && col >= 0 && row < g.ny && col < g.nx ? g.index(row, col) : -1;
    nodeCell[i] = cell;
    nodeDensity[i] = cell >= 0 ? cellDensity(ctx, cell) : 0;
  }
  // Residents served by the network: cells that contain at least one node.
  const covered = new Set<number>();
  for (let i = 0; i < nNodes; i++) if ((nodeCell[i] as number) >= 0) covered.add(nodeCell[i] as number);
  let served = 0;
  for (const c of covered) served += pop.pop[c] as number;
  const nodeHash = new SpatialHash(250);
  for (let i = 0; i < nNodes; i++) nodeHash.add(net.x[i] as number, net.y[i] as number);

  const rng = new Rng(`${MASTER_SEED}/${ctx.cfg.id}/facilities`);
  const names = new NameMaker(new Rng(`${MASTER_SEED}/${ctx.cfg.id}/facilities/names`));
  const out: Facility[] = [];
  const add = (type: string, node: number): void => {
    const rule = FACILITY_RULES[type] as FacilityRule;
    const x = net.x[node] as number;
    const y = net.y[node] as number;
    const ang = rng.range(0, 2 * Math.PI);
    const off = rng.range(8, 30);
    const [lon, lat] = land.frame.toLonLat(x + Math.cos(ang) * off, y + Math.sin(ang) * off);
    const cell = nodeCell[node] as number;
    const d = land.districts[cell >= 0 ? (pop.district[cell] as number) : -1];
    if (!d) return;
    const tpl = rng.pick(rule.names);
    const name = names.unique(tpl.replace('{p}', names.place()).replace('{d}', shortDistrict(d.cfg.name)));
    out.push({ id: '', type, name, lon: Math.fround(lon), lat: Math.fround(lat), district: d.id, node });
  };

  // 1. Centres and their facilities.
  for (const level of ['street', 'neighbourhood', 'community'] as CentreLevel[]) {
    const lv = CENTRE_LEVELS[level];
    const weights = Float64Array.from(nodeDensity, (d) => Math.pow(d, lv.gamma));
    const factor = ctx.cfg.facilities?.centreRateFactor ?? 1;
    const centres = spacedNodes(net, weights, Math.round((lv.rate * factor * served) / 1e4), lv.minSpacingM, rng);
    const members = FACILITY_TYPES.filter((t) => FACILITY_RULES[t.id]?.level === level);
    for (const c of centres) {
      const near = nodeHash.within(net.x[c] as number, net.y[c] as number, lv.radiusM);
      for (const t of members) {
        const tf = ctx.cfg.facilities?.typeFactors?.[t.id] ?? 1;
        if (!rng.chance(Math.min(1, (FACILITY_RULES[t.id]?.p ?? 0) * tf))) continue;
        add(t.id, near.length ? (near[rng.int(near.length)] as number) : c);
      }
    }
  }
  // 2. Independent facilities.
  for (const t of FACILITY_TYPES) {
    const rule = FACILITY_RULES[t.id];
    if (!rule) throw new Error(`no facility rule for ${t.id}`);
    const trng = new Rng(`${MASTER_SEED}/${ctx.cfg.id}/facilities/${t.id}`);
    const weights = Float64Array.from(nodeDensity, (d) => Math.pow(d, rule.gamma));
    const tf = ctx.cfg.facilities?.typeFactors?.[t.id] ?? 1;
    const target = Math.round((rule.extraRate * tf * served) / 1e4);
    for (const node of spacedNodes(net, weights, target, rule.minSpacingM, trng)) add(t.id, node);
  }

  // Ids per type in a stable spatial order (south → north).
  const typeOrder = new Map(FACILITY_TYPES.map((t, i) => [t.id, i]));
  out.sort((a, b) => (typeOrder.get(a.type) ?? 0) - (typeOrder.get(b.type) ?? 0) || a.lat - b.lat || a.lon - b.lon);
  const counters = new Map<string, number>();
  for (const f of out) {
    const k = (counters.get(f.type) ?? 0) + 1;
    counters.set(f.type, k);
    f.id = `${ctx.cfg.code}-${f.type}-${String(k).padStart(4, '0')}`;
  }
  return out;
}

export function facilitiesTable(fac: Facility[]): ParquetTable {
  return {
    columns: [
      { name: 'id', kind: 'STRING', data: fac.map((f) => f.id), encoding: 'DELTA_BYTE_ARRAY' },
      { name: 'type', kind: 'STRING', data: fac.map((f) => f.type) },
      { name: 'name', kind: 'STRING', data: fac.map((f) => f.name) },
      { name: 'lon', kind: 'FLOAT', data: fac.map((f) => f.lon), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'lat', kind: 'FLOAT', data: fac.map((f) => f.lat), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'district', kind: 'STRING', data: fac.map((f) => f.district) },
    ],
  };
}
