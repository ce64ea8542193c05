/**
 * The parks cross-filter: a range of park areas (brushed on the size
 * histogram) and a set of districts (picked on the district bars). Each view
 * is a client of DuckDB: it asks for its own aggregate under every filter but
 * its own (so a brushed histogram still shows what is outside the brush), and
 * the map asks which parks match all of them. Only SQL here, with values
 * bound, never concatenated.
 */
import { quoteIdent } from '../engine/sql';
import type { QuerySpec } from '../layers/types';

export interface ParkFilter {
  /** Park area in m², inclusive; null: any size. */
  area: [number, number] | null;
  /** District ids; empty: every district. */
  districts: string[];
}

export const NO_PARK_FILTER: ParkFilter = { area: null, districts: [] };

export const isFiltering = (f: ParkFilter) => f.area !== null || f.districts.length > 0;

/**
 * Histogram bins: a quarter decade each from 10^2.5 m² (about 316 m², below
 * the smallest pocket park of 400 m²) to 10^7.5 m² (31.6 km², above the
 * largest country park): park sizes span five orders of magnitude.
 */
export const BIN_LOG_START = 2.5;
export const BIN_LOG_STEP = 0.25;
export const BIN_COUNT = 20;
export const binEdge = (i: number) => 10 ** (BIN_LOG_START + i * BIN_LOG_STEP);

/** The bin a park area falls in (clamped to the first and last). */
export function binOf(areaM2: number): number {
  const i = Math.floor((Math.log10(Math.max(areaM2, 1)) - BIN_LOG_START) / BIN_LOG_STEP);
  return Math.min(BIN_COUNT - 1, Math.max(0, i));
}

type Dimension = 'area' | 'districts';

/** The WHERE clause of every filter except `except`, with its bound values. */
export function filterWhere(f: ParkFilter, except?: Dimension): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.area && except !== 'area') {
    parts.push('area_m2 BETWEEN ? AND ?');
    params.push(f.area[0], f.area[1]);
  }
  if (f.districts.length && except !== 'districts') {
    parts.push(`district IN (${f.districts.map(() => '?').join(', ')})`);
    params.push(...f.districts);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Parks per size bin, under the district filter. */
export function histogramQuery(parks: string, f: ParkFilter): QuerySpec {
  const w = filterWhere(f, 'area');
  const bin = `LEAST(${BIN_COUNT - 1}, GREATEST(0, CAST(floor((log10(GREATEST(area_m2, 1)) - ${BIN_LOG_START}) / ${BIN_LOG_STEP}) AS INTEGER)))`;
  return { sql: `SELECT ${bin} AS bin, count(*)::INTEGER AS n FROM ${quoteIdent(parks)} ${w.sql} GROUP BY bin ORDER BY bin`, params: w.params };
}

/** Every district with its park count and area under the size filter (districts without parks too). */
export function districtQuery(parks: string, districts: string, f: ParkFilter): QuerySpec {
  const w = filterWhere(f, 'districts');
  return {
    sql: `SELECT d.id, d.name, CAST(coalesce(d.name_en, d.name) AS VARCHAR) AS name_en, count(p.id)::INTEGER AS n, coalesce(sum(p.area_m2), 0)::DOUBLE AS area
          FROM ${quoteIdent(districts)} d LEFT JOIN (SELECT id, district, area_m2 FROM ${quoteIdent(parks)} ${w.sql}) p ON p.district = d.id
          GROUP BY d.id, d.name, d.name_en ORDER BY n DESC, d.id`,
    params: w.params,
  };
}

/** The ids of the parks that pass every filter. */
export function matchQuery(parks: string, f: ParkFilter): QuerySpec {
  const w = filterWhere(f);
  return { sql: `SELECT id FROM ${quoteIdent(parks)} ${w.sql}`, params: w.params };
}

/** For the URL: "pa=min,max" and "pd=id,id" (ids are catalog district ids). */
export function parseParkFilter(area: string | null, districts: string | null): ParkFilter | null {
  let a: [number, number] | null = null;
  if (area !== null) {
    const v = area.split(',').map(Number);
    if (v.length !== 2 || !v.every((x) => Number.isFinite(x) && x >= 0) || v[0]! > v[1]!) return null;
    a = [v[0]!, v[1]!];
  }
  const d = districts === null ? [] : districts.split(',').filter((x) => /^[a-z0-9_-]{1,64}$/.test(x));
  return { area: a, districts: [...new Set(d)].slice(0, 64) };
}
