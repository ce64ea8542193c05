/**
 * 15-minute life circles, GB 50180-2018 《城市居住区规划设计标准》.
 * Tiers, walking distances and the facility types each tier requires, as data.
 * Source table: ../shared/docs/standards.md ("15-minute life circles").
 * Facility type ids are a contract with the data build (scripts/data) and the
 * `facilities` / `lifecircle` datasets: rename only together.
 */

export type TierId = 5 | 10 | 15;

export interface Tier {
  id: TierId;
  name: { zh: string; en: string };
  /** Default walking distance along the network, metres (60 m/min planning speed). */
  distanceM: number;
  /** Residents the tier is planned for (GB 50180 table 3.0.4). */
  residents: [number, number];
  /** Figures marked (verify) in standards.md: shown as such in the UI. */
  verify: boolean;
}

export const WALKING_SPEED_M_PER_MIN = 60;

export const TIERS: readonly Tier[] = [
  { id: 5, name: { zh: '五分钟生活圈', en: '5-minute circle' }, distanceM: 300, residents: [5000, 12000], verify: true },
  { id: 10, name: { zh: '十分钟生活圈', en: '10-minute circle' }, distanceM: 500, residents: [15000, 25000], verify: true },
  { id: 15, name: { zh: '十五分钟生活圈', en: '15-minute circle' }, distanceM: 1000, residents: [50000, 100000], verify: false },
];

export interface FacilityType {
  id: string;
  tier: TierId;
  name: { zh: string; en: string };
  /** Whether the standards.md radius for this type is flagged (verify). */
  verify: boolean;
}

/** Indicative sets per tier (standards.md; radii flagged "verify the radii"). */
export const FACILITY_TYPES: readonly FacilityType[] = [
  { id: 'kindergarten', tier: 5, name: { zh: '幼儿园/托儿所', en: 'Kindergarten & nursery' }, verify: true },
  { id: 'health_station', tier: 5, name: { zh: '社区卫生服务站', en: 'Community health station' }, verify: true },
  { id: 'elderly_daycare', tier: 5, name: { zh: '老年人日间照料中心', en: 'Elderly day care' }, verify: true },
  { id: 'fitness_small', tier: 5, name: { zh: '小型运动场地/室外健身', en: 'Small sports ground & outdoor fitness' }, verify: true },
  { id: 'community_service', tier: 5, name: { zh: '社区服务站', en: 'Community service station' }, verify: true },
  { id: 'convenience_shop', tier: 5, name: { zh: '便利店', en: 'Convenience shop' }, verify: true },
  { id: 'primary_school', tier: 10, name: { zh: '小学', en: 'Primary school' }, verify: true },
  { id: 'sports_mid', tier: 10, name: { zh: '中型多功能运动场地', en: 'Mid-size sports ground' }, verify: true },
  { id: 'market', tier: 10, name: { zh: '菜市场/生鲜超市', en: 'Market or fresh-food supermarket' }, verify: true },
  { id: 'bus_stop', tier: 10, name: { zh: '公交车站', en: 'Bus stop' }, verify: true },
  { id: 'junior_middle_school', tier: 15, name: { zh: '初中', en: 'Junior middle school' }, verify: false },
  { id: 'health_centre', tier: 15, name: { zh: '社区卫生服务中心', en: 'Community health service centre' }, verify: false },
  { id: 'sports_large', tier: 15, name: { zh: '大型多功能运动场地', en: 'Large sports ground' }, verify: true },
  { id: 'culture_centre', tier: 15, name: { zh: '文化活动中心', en: 'Culture centre' }, verify: true },
  { id: 'elderly_home', tier: 15, name: { zh: '养老院', en: 'Elderly care home' }, verify: true },
  { id: 'street_service_centre', tier: 15, name: { zh: '街道服务中心', en: 'Street-level service centre' }, verify: true },
  { id: 'transit_station', tier: 15, name: { zh: '公交首末站/轨道站点', en: 'Bus terminus or metro station' }, verify: true },
];

/**
 * A tier is complete at a place when every facility type of that tier and of
 * the lower tiers is reachable within that tier's walking distance
 * ("each tier must also have the lower tiers' facilities").
 */
export function typesRequiredFor(tier: TierId): FacilityType[] {
  return FACILITY_TYPES.filter((t) => t.tier <= tier);
}

export function tierDistance(tier: TierId, overrides?: Partial<Record<TierId, number>>): number {
  const t = TIERS.find((x) => x.id === tier);
  if (!t) throw new Error(`unknown tier ${tier}`);
  return overrides?.[tier] ?? t.distanceM;
}

/** Column name holding the network distance (m) from a cell to the nearest facility of a type. */
export function distanceColumn(typeId: string): string {
  return `d_${typeId}`;
}
