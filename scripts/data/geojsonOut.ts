/**
 * GeoJSON writer: compact, coordinates rounded (5 decimals ≈ 1.1 m), one
 * feature per line so diffs of the committed files stay readable.
 */
import { writeFileSync } from 'node:fs';
import type { MultiPoly, Pt, Ring } from './geo.ts';

export type Geometry =
  | { type: 'Point'; coordinates: Pt }
  | { type: 'Polygon'; coordinates: Ring[] }
  | { type: 'MultiPolygon'; coordinates: MultiPoly };

export interface Feature {
  type: 'Feature';
  properties: Record<string, string | number | boolean | null>;
  geometry: Geometry;
}

const r = (v: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

export function roundGeometry(g: Geometry, digits = 5): Geometry {
  const rp = (p: Pt): Pt => [r(p[0], digits), r(p[1], digits)];
  const rr = (ring: Ring): Ring => {
    const out: Ring = [];
    for (const p of ring.map(rp)) {
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  };
  if (g.type === 'Point') return { type: 'Point', coordinates: rp(g.coordinates) };
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(rr) };
  return { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(rr)) };
}

/** Single-polygon multipolygons are written as Polygon. */
export function multiToGeometry(mp: MultiPoly): Geometry {
  if (mp.length === 1) return { type: 'Polygon', coordinates: mp[0] as Ring[] };
  return { type: 'MultiPolygon', coordinates: mp };
}

export function featureCollectionText(features: Feature[], digits = 5): string {
  const lines = features.map((f) =>
    JSON.stringify({ type: 'Feature', properties: f.properties, geometry: roundGeometry(f.geometry, digits) }),
  );
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

/** Writes the file; returns its size in bytes. */
export function writeGeoJson(path: string, features: Feature[], digits = 5): number {
  const text = featureCollectionText(features, digits);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}
