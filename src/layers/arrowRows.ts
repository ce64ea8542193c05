import type { Feature, Geometry } from 'geojson';
import type { Table } from 'apache-arrow';

/**
 * Arrow → plain rows for the small result sets layers draw (thousands of rows).
 * BigInt columns become numbers and Arrow timestamps become epoch ms, so
 * layer code never meets Arrow's wrapper types.
 */
export function tableRows<T = Record<string, unknown>>(table: Table): T[] {
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((n) => table.getChild(n)!);
  const out: T[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = plain(cols[c]!.get(i));
    out[i] = row as T;
  }
  return out;
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  return v;
}

/** Parses a GeoJSON geometry column value; a broken one is skipped, not fatal. */
export function parseGeometry(text: unknown): Geometry | null {
  if (typeof text !== 'string') return null;
  try {
    const g = JSON.parse(text) as Geometry;
    return g && typeof g.type === 'string' ? g : null;
  } catch {
    return null;
  }
}

export function hexToRgba(hex: string, alpha = 255): [number, number, number, number] {
  const h = hex.replace('#', '');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), alpha];
}

/**
 * Rows of a GeoJSON-backed table as features: every selected column but
 * `__geom` becomes a property. Rows whose geometry does not parse are skipped.
 */
export function tableFeatures<P>(table: Table): Feature<Geometry, P>[] {
  const out: Feature<Geometry, P>[] = [];
  for (const r of tableRows<Record<string, unknown>>(table)) {
    const geometry = parseGeometry(r.__geom);
    if (!geometry) continue;
    const { __geom, ...properties } = r;
    out.push({ type: 'Feature', geometry, properties: properties as P });
  }
  return out;
}
