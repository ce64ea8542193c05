/**
 * Polygon shapes for modelled sites (parks, restoration) and a placer that
 * keeps them inside one district and apart from each other.
 */
import * as turf from '@turf/turf';
import type { CityLand, District } from './boundaries.ts';
import { SpatialHash, type LocalFrame, type Pt, type Ring } from './geo.ts';
import type { Rng } from './prng.ts';

const r5 = (v: number): number => Math.round(v * 1e5) / 1e5;

/** Closes the ring, rounds to 5 decimals, removes repeats. */
export function finishRing(ring: Pt[]): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const q: Pt = [r5(p[0]), r5(p[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  const first = out[0] as Pt;
  const last = out[out.length - 1] as Pt;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  // counter-clockwise outer ring (RFC 7946)
  let s = 0;
  for (let k = 0; k + 1 < out.length; k++) s += ((out[k + 1] as Pt)[0] - (out[k] as Pt)[0]) * ((out[k + 1] as Pt)[1] + (out[k] as Pt)[1]);
  return s > 0 ? out.reverse() : out;
}

/**
 * An irregular blob of about `areaM2`: an ellipse (aspect 1–`maxAspect`,
 * random rotation) with radial jitter on `n` vertices.
 */
export function blob(centre: Pt, areaM2: number, frame: LocalFrame, rng: Rng, n: number, maxAspect = 2, jitter = 0.18): Ring {
  const aspect = rng.range(1, maxAspect);
  const r0 = Math.sqrt(areaM2 / Math.PI);
  const a = r0 * Math.sqrt(aspect);
  const b = r0 / Math.sqrt(aspect);
  const rot = rng.range(0, Math.PI);
  const [cx, cy] = frame.toXY(centre[0], centre[1]);
  const pts: Pt[] = [];
  const phase = rng.range(0, (2 * Math.PI) / n);
  for (let i = 0; i < n; i++) {
    const t = phase + (2 * Math.PI * (i + rng.range(-0.25, 0.25))) / n;
    const k = 1 + jitter * rng.range(-1, 1);
    const ex = a * Math.cos(t) * k;
    const ey = b * Math.sin(t) * k;
    const x = cx + ex * Math.cos(rot) - ey * Math.sin(rot);
    const y = cy + ex * Math.sin(rot) + ey * Math.cos(rot);
    pts.push(frame.toLonLat(x, y));
  }
  return finishRing(pts);
}

/** A rectangle-ish quadrilateral of about `areaM2` (street gardens, brownfield plots). */
export function rect(centre: Pt, areaM2: number, frame: LocalFrame, rng: Rng, angleDeg: number, maxAspect = 2.5): Ring {
  const aspect = rng.range(1, maxAspect);
  const w = Math.sqrt(areaM2 * aspect);
  const h = areaM2 / w;
  const rot = ((angleDeg + rng.range(-6, 6)) * Math.PI) / 180;
  const [cx, cy] = frame.toXY(centre[0], centre[1]);
  const corners: [number, number][] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ];
  const pts = corners.map(([ex, ey]) => {
    const jx = ex * (1 + rng.range(-0.06, 0.06));
    const jy = ey * (1 + rng.range(-0.06, 0.06));
    return frame.toLonLat(cx + jx * Math.cos(rot) - jy * Math.sin(rot), cy + jx * Math.sin(rot) + jy * Math.cos(rot));
  });
  return finishRing(pts);
}

/**
 * A strip of width `widthM` on one side (`side` = +1 left, −1 right) of a
 * polyline, e.g. a river bank or a coastal band. Returns null if degenerate.
 */
export function strip(line: Pt[], widthM: number, side: number, frame: LocalFrame, offsetM = 0): Ring | null {
  if (line.length < 2) return null;
  const xy = line.map((p) => frame.toXY(p[0], p[1]));
  const normals: Pt[] = xy.map((_, i) => {
    const a = xy[Math.max(0, i - 1)] as Pt;
    const b = xy[Math.min(xy.length - 1, i + 1)] as Pt;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    return [(-dy / len) * side, (dx / len) * side];
  });
  const inner = xy.map((p, i) => frame.toLonLat(p[0] + (normals[i] as Pt)[0] * offsetM, p[1] + (normals[i] as Pt)[1] * offsetM));
  const outer = xy.map((p, i) =>
    frame.toLonLat(p[0] + (normals[i] as Pt)[0] * (offsetM + widthM), p[1] + (normals[i] as Pt)[1] * (offsetM + widthM)),
  );
  const ring = finishRing([...inner, ...outer.reverse()]);
  return ring.length >= 4 ? ring : null;
}

/** Scales a ring about its vertex centroid so its area becomes about `areaM2`. */
export function scaleToArea(ring: Ring, areaM2: number, frame: LocalFrame): Ring {
  const a = ringAreaTurf(ring);
  if (!(a > 0)) return ring;
  const k = Math.sqrt(areaM2 / a);
  const n = ring.length - 1;
  let cx = 0;
  let cy = 0;
  const xy = ring.slice(0, n).map((p) => frame.toXY(p[0], p[1]));
  for (const [x, y] of xy) {
    cx += x / n;
    cy += y / n;
  }
  return finishRing(xy.map(([x, y]) => frame.toLonLat(cx + (x - cx) * k, cy + (y - cy) * k)));
}

export function ringAreaTurf(ring: Ring): number {
  return turf.area(turf.polygon([ring]));
}

/** The district containing every vertex of the ring (and its edge midpoints), or null. */
export function districtOfRing(land: CityLand, ring: Ring): District | null {
  const first = ring[0] as Pt;
  const d = land.districts.find((x) => x.area.contains(first[0], first[1]));
  if (!d) return null;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Pt;
    const b = ring[i + 1] as Pt;
    if (!d.area.contains(a[0], a[1])) return null;
    if (!d.area.contains((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)) return null;
  }
  return d;
}

/** Keeps placed sites apart: circles (centre, radius) in metres. */
export class Occupancy {
  private readonly hash = new SpatialHash(2000);
  private readonly radii: number[] = [];
  private maxR = 0;
  constructor(private readonly frame: LocalFrame) {}

  free(centre: Pt, radiusM: number, gapFactor = 1): boolean {
    const [x, y] = this.frame.toXY(centre[0], centre[1]);
    for (const id of this.hash.within(x, y, radiusM + this.maxR)) {
      const d = Math.hypot((this.hash.xs[id] as number) - x, (this.hash.ys[id] as number) - y);
      if (d < (radiusM + (this.radii[id] as number)) * gapFactor) return false;
    }
    return true;
  }

  add(centre: Pt, radiusM: number): void {
    const [x, y] = this.frame.toXY(centre[0], centre[1]);
    this.hash.add(x, y);
    this.radii.push(radiusM);
    this.maxR = Math.max(this.maxR, radiusM);
  }
}

/** Radius of the smallest circle around the ring's first vertex-centroid (metres). */
export function ringRadius(ring: Ring, frame: LocalFrame): { centre: Pt; radius: number } {
  let sx = 0;
  let sy = 0;
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    sx += (ring[i] as Pt)[0];
    sy += (ring[i] as Pt)[1];
  }
  const centre: Pt = [sx / n, sy / n];
  let r = 0;
  for (let i = 0; i < n; i++) r = Math.max(r, frame.dist(centre, ring[i] as Pt));
  return { centre, radius: r };
}
