/**
 * Exported features as GeoJSON and CSV, with their provenance: a top-level
 * `civicAtlas` member in the GeoJSON (RFC 7946 §6.1 foreign member), `#`
 * comment lines before the CSV header. Pure: what is gathered from the
 * engine and the layers is in ./gather.ts.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { toCsv, type CsvValue } from '../charts/csv';

export interface DatasetProvenance {
  dataset: string;
  source: string;
  license: string;
  /** null: not known (a planner's own file). */
  vintage: number | null;
  /** null: not declared (a planner's own file: Civic Atlas cannot tell). */
  modelled: boolean | null;
  method?: string;
}

export interface ExportedLayer {
  id: string;
  name: string;
  /** What of the layer is exported, in words (the filter applied). */
  filter: string;
  provenance: DatasetProvenance[];
  features: Feature<Geometry | null, Record<string, unknown>>[];
}

export interface ExportMeta {
  city: string;
  /** The app clock, China Standard Time. */
  time: string;
  exportedAt: string;
  appUrl: string;
}

export function featureCollection(layers: ExportedLayer[], meta: ExportMeta): FeatureCollection<Geometry | null> & { civicAtlas: unknown } {
  return {
    type: 'FeatureCollection',
    civicAtlas: {
      ...meta,
      crs: 'WGS84 (EPSG:4326)',
      modelled: layers.some((l) => l.provenance.some((p) => p.modelled)),
      layers: layers.map((l) => ({ id: l.id, name: l.name, filter: l.filter, count: l.features.length, provenance: l.provenance })),
    },
    // Each feature names its layer: several layers share one collection.
    features: layers.flatMap((l) => l.features.map((f) => ({ ...f, properties: { layer: l.id, ...f.properties } }))),
  };
}

/** A point that stands for a geometry in a table: the point itself, else the centre of its bounding box. */
export function representativePoint(g: Geometry | null): [number, number] | null {
  if (!g) return null;
  if (g.type === 'Point') return [g.coordinates[0]!, g.coordinates[1]!];
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  if (g.type === 'GeometryCollection') g.geometries.forEach((x) => visit('coordinates' in x ? x.coordinates : []));
  else visit(g.coordinates);
  return Number.isFinite(w) ? [(w + e) / 2, (s + n) / 2] : null;
}

function cell(v: unknown): CsvValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/**
 * One table of every exported feature: `layer`, the union of the layers'
 * properties in first-seen order, and a representative lon/lat (the
 * geometry itself is in the GeoJSON). Provenance goes first as `#` lines.
 */
export function featuresCsv(layers: ExportedLayer[], meta: ExportMeta): string {
  const keys: string[] = [];
  for (const l of layers) for (const f of l.features) for (const k of Object.keys(f.properties ?? {})) if (!keys.includes(k) && k !== 'layer') keys.push(k);
  const header = ['layer', ...keys, 'lon', 'lat'];
  const rows: CsvValue[][] = [];
  for (const l of layers)
    for (const f of l.features) {
      const p = representativePoint(f.geometry);
      rows.push([l.id, ...keys.map((k) => cell(f.properties?.[k])), p ? round(p[0]) : null, p ? round(p[1]) : null]);
    }
  return provenanceComment(layers, meta) + toCsv(header, rows);
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** `#` lines a CSV reader told to skip comments passes over; a spreadsheet shows them as the first rows. */
export function provenanceComment(layers: ExportedLayer[], meta: ExportMeta): string {
  const lines = [`# Civic Atlas export · ${meta.city} · ${meta.time} (China Standard Time) · exported ${meta.exportedAt}`, `# ${meta.appUrl.replace(/,/g, '%2C')}`, '# CRS: WGS84 (EPSG:4326)'];
  for (const l of layers) {
    lines.push(`# ${l.id} (${l.name}): ${l.features.length} features; ${l.filter}`);
    for (const p of l.provenance) lines.push(`#   ${p.dataset}: ${p.source}; licence ${p.license}; vintage ${p.vintage ?? 'unknown'}; ${p.modelled === null ? 'not declared (supplied by the user)' : p.modelled ? 'MODELLED (not measured)' : 'measured/surveyed'}`);
  }
  return lines.map((l) => `${commentSafe(l)}\r\n`).join('');
}

/**
 * A comment line stays one field of one row: no line breaks, quotes or
 * commas (fullwidth instead), and nothing after a ';' (the separator of
 * European spreadsheets) that starts a formula.
 */
export function commentSafe(line: string): string {
  return line
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/,/g, '，')
    .replace(/"/g, "'")
    .replace(/;(\s*)(?=[=+\-@])/g, ";$1'");
}
