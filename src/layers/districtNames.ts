import { quoteIdent } from '../engine/sql';
import { tableRows } from './arrowRows';
import type { RunQuery } from './types';

export type DistrictNames = Map<string, { zh: string; en: string }>;

/** District id → display names from a districts table; empty without one or on failure (ids are shown instead: names are a nicety). */
export async function districtNames(query: RunQuery, table: string | undefined): Promise<DistrictNames> {
  const names: DistrictNames = new Map();
  if (!table) return names;
  try {
    const t = await query({ sql: `SELECT id, name, name_en FROM ${quoteIdent(table)}` });
    for (const r of tableRows<Record<string, unknown>>(t)) names.set(String(r.id), { zh: String(r.name), en: String(r.name_en ?? r.name) });
  } catch {
    /* see above */
  }
  return names;
}
