/**
 * Rules over the GB 50180-2018 life-circle tables of ./lifeCircle.ts (kept in
 * a separate file: lifeCircle.ts's ids and tables are a contract with the
 * data build). Adds the rest of standards.md's life-circle tables (distance
 * range of the 15-minute tier, the residential block, per-type radii, public
 * green space per tier) and the completeness rule in JS and in SQL.
 *
 * Completeness (as documented in lifeCircle.ts): a tier is complete at a place
 * when every facility type of that tier and of the lower tiers is reachable
 * within that tier's walking distance. A distance that is null, undefined,
 * NaN, infinite or negative means "not reachable"; a distance equal to the
 * tier distance counts (≤).
 */
import { quoteIdent } from '../engine/sql.ts';
import { TIERS, distanceColumn, tierDistance, typesRequiredFor, type TierId } from './lifeCircle.ts';

/**
 * GB 50180-2018 walking distances as ranges (standards.md): 15-minute
 * 800–1000 m (TIERS uses 1000), 10-minute 500 m, 5-minute 300 m.
 */
export const TIER_DISTANCE_RANGE_M: Readonly<Record<TierId, readonly [number, number]>> = {
  15: [800, 1000],
  10: [500, 500],
  5: [300, 300],
};

/** GB 50180-2018 居住街坊 (residential block): no walking distance, 1,000–3,000 residents. */
export const RESIDENTIAL_BLOCK = {
  name: { zh: '居住街坊', en: 'Residential block' },
  residents: [1000, 3000] as const,
  verify: false,
} as const;

/**
 * Indicative per-type radii (m) named in standards.md, all flagged
 * "(verify the radii)". Informational: completeness uses the tier distance.
 */
export const FACILITY_RADII_M: Readonly<Record<string, { radiusM: number; verify: true }>> = {
  junior_middle_school: { radiusM: 1000, verify: true },
  health_centre: { radiusM: 1000, verify: true },
  primary_school: { radiusM: 500, verify: true },
  kindergarten: { radiusM: 300, verify: true },
  health_station: { radiusM: 300, verify: true },
  fitness_small: { radiusM: 300, verify: true },
};

export interface TierGreenSpace {
  tier: TierId;
  /** Public green space per person, m² (≥). */
  perCapitaM2: number;
  /** Smallest residential-area park, ha (≥). */
  minParkHa: number;
  verify: boolean;
}

/**
 * GB 50180-2018 public green space per tier (standards.md): 15-minute
 * ≥ 2.0 m²/person with a park ≥ 5 ha; 10-minute ≥ 1.0 with a park ≥ 1 ha;
 * 5-minute ≥ 1.0 with a park ≥ 0.4 ha (verify the 5-minute figures).
 */
export const TIER_GREEN_SPACE: Readonly<Record<TierId, TierGreenSpace>> = {
  15: { tier: 15, perCapitaM2: 2.0, minParkHa: 5, verify: false },
  10: { tier: 10, perCapitaM2: 1.0, minParkHa: 1, verify: false },
  5: { tier: 5, perCapitaM2: 1.0, minParkHa: 0.4, verify: true },
};

/** Does a tier's catchment meet GB 50180's public green space figures? Null when a value is missing. */
export function meetsTierGreenSpace(
  tier: TierId,
  perCapitaM2: number | null | undefined,
  largestParkHa: number | null | undefined,
): { pass: boolean | null; perCapita: boolean | null; park: boolean | null; rule: TierGreenSpace } {
  const rule = TIER_GREEN_SPACE[tier];
  const ok = (v: number | null | undefined, min: number) => (typeof v === 'number' && Number.isFinite(v) ? v >= min : null);
  const perCapita = ok(perCapitaM2, rule.perCapitaM2);
  const park = ok(largestParkHa, rule.minParkHa);
  const pass = perCapita === false || park === false ? false : perCapita === null || park === null ? null : true;
  return { pass, perCapita, park, rule };
}

/** How a distance was measured; a straight-line buffer is only a labelled fallback (standards.md). */
export type DistanceMethod = 'network' | 'buffer';
export const DISTANCE_METHOD_LABELS: Readonly<Record<DistanceMethod, { zh: string; en: string }>> = {
  network: { zh: '沿步行路网距离', en: 'Walking-network distance' },
  buffer: { zh: '直线缓冲（近似，会跨越河流、铁路和快速路高估可达范围）', en: 'Straight-line buffer (fallback: over-counts across rivers, rail lines and expressways)' },
};

const TIER_IDS: readonly TierId[] = TIERS.map((t) => t.id);

function reachable(d: number | null | undefined, limit: number): boolean {
  return typeof d === 'number' && Number.isFinite(d) && d >= 0 && d <= limit;
}

export interface TierCompleteness {
  tier: TierId;
  distanceM: number;
  complete: boolean;
  /** Required types not reachable within the tier distance (including missing distances). */
  missing: string[];
}

/**
 * Which tiers are complete at a place, from the network distance (m) to the
 * nearest facility of each type (keys: facility type ids). `overrides` changes
 * tier distances (e.g. { 15: 800 }).
 */
export function completeTiers(
  distances: Readonly<Record<string, number | null | undefined>>,
  overrides?: Partial<Record<TierId, number>>,
): { complete: TierId[]; byTier: Record<TierId, TierCompleteness> } {
  const byTier = {} as Record<TierId, TierCompleteness>;
  const complete: TierId[] = [];
  for (const tier of TIER_IDS) {
    const distanceM = tierDistance(tier, overrides);
    const missing = typesRequiredFor(tier)
      .filter((t) => !reachable(distances[t.id], distanceM))
      .map((t) => t.id);
    byTier[tier] = { tier, distanceM, complete: missing.length === 0, missing };
    if (missing.length === 0) complete.push(tier);
  }
  return { complete, byTier };
}

/**
 * A DuckDB BOOLEAN expression (never NULL): is `tier` complete for a row whose
 * columns `d_<type>` hold network distances in metres? Same rule as
 * {@link completeTiers}. `columnFor` maps a type id to its column name
 * (default `distanceColumn`); names are quoted. `qualifier` (already-quoted
 * SQL, e.g. `c`) prefixes every column.
 */
export function lifeCircleCompletenessSqlExpr(
  tier: TierId,
  overrides?: Partial<Record<TierId, number>>,
  opts: { columnFor?: (typeId: string) => string; qualifier?: string } = {},
): string {
  const limit = tierDistance(tier, overrides);
  if (!Number.isFinite(limit)) throw new Error(`tier distance must be finite: ${limit}`);
  const colOf = opts.columnFor ?? distanceColumn;
  const parts = typesRequiredFor(tier).map((t) => {
    const col = (opts.qualifier ? `${opts.qualifier}.` : '') + quoteIdent(colOf(t.id));
    const x = `CAST(${col} AS DOUBLE)`;
    return `COALESCE(isfinite(${x}) AND ${x} >= 0 AND ${x} <= ${limit}, false)`;
  });
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
}

/** VARCHAR[] expression of the type ids missing for `tier` (same rule), in FACILITY_TYPES order. */
export function lifeCircleMissingTypesSqlExpr(
  tier: TierId,
  overrides?: Partial<Record<TierId, number>>,
  opts: { columnFor?: (typeId: string) => string; qualifier?: string } = {},
): string {
  const limit = tierDistance(tier, overrides);
  const colOf = opts.columnFor ?? distanceColumn;
  const hits = typesRequiredFor(tier).map((t) => {
    const col = (opts.qualifier ? `${opts.qualifier}.` : '') + quoteIdent(colOf(t.id));
    const x = `CAST(${col} AS DOUBLE)`;
    return `CASE WHEN NOT COALESCE(isfinite(${x}) AND ${x} >= 0 AND ${x} <= ${limit}, false) THEN '${t.id.replace(/'/g, "''")}' END`;
  });
  if (hits.length === 0) return 'CAST([] AS VARCHAR[])';
  return `(CASE WHEN concat_ws(',', ${hits.join(', ')}) = '' THEN CAST([] AS VARCHAR[]) ELSE string_split(concat_ws(',', ${hits.join(', ')}), ',') END)`;
}
