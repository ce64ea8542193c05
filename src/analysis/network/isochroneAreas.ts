/**
 * Walking isochrones as areas: turns the per-node network distances of a
 * bounded search into filled polygons, one MultiPolygon per threshold.
 *
 * Model. A point p belongs to the area of threshold T when some point q of a
 * street can be walked to within T and p lies within `reachM` of q with
 * d(q) + |p − q| ≤ T (the walk to the street plus the straight step off it fit
 * the budget). So a fully reached street gets a band of half-width reachM
 * (the block frontage), and the band tapers to nothing where the street's
 * reach runs out, ending exactly at the threshold along the street.
 *
 * Method. For each threshold T a field on a local metric grid,
 *   ψ_T(p) = min over street points q of  |p − q| + max(d(q), T − reachM),
 * has ψ_T ≤ T exactly on that area (flooring d at T − reachM caps the step off
 * the street at reachM). ψ_T is 1-Lipschitz — a distance-like field, linear
 * across the band edges — so marching squares' linear interpolation puts the
 * boundary where it belongs instead of snapping it to cell centres. The
 * minimum over each straight edge is solved in closed form per grid cell (no
 * sampling along the edge): along an edge the network distance is
 * d(s) = a + k·|s − s0| from each anchor (the from-node, the to-node, and
 * the snapped click if the edge is the start edge), with k = length_m /
 * straight length, and |p − q(s)| + max(a + k·u, F) is convex in u, minimised
 * at a clamped projection (flat part) or at u* = u_p − k·h/√(1 − k²) (sloped
 * part; for k ≥ 1 the low end of the part). Cells are visited only within
 * reachM + 1 cell of the reached part of each edge (a boundary crossing lies
 * between an inside cell, ≤ reachM from a reached point, and its 4-neighbour,
 * ≤ reachM + 1 cell from it, so both carry true values); the rest keep a
 * large finite value.
 *
 * d3.contours marks cells whose value is ≥ the threshold, so the field is
 * contoured negated: −ψ_T ≥ −T. Contour coordinates are in cell units with
 * the value of column i at x = i + 0.5 (x = i is the left edge of column i),
 * so x_m = gridX0 + (cx − 0.5)·cellM, and likewise for y (rows run north).
 */
import { contours } from 'd3';
import type { WalkGraph } from './graph';

export interface IsochroneArea {
  thresholdM: number;
  /** GeoJSON MultiPolygon coordinates, WGS-84 [lon, lat], rings closed */
  polygons: number[][][][];
}

export interface AreaOptions {
  /** grid resolution, m (default 25) */
  cellM?: number;
  /** how far off the network a reached street reaches, m (default 60: the block frontage) */
  reachM?: number;
}

const EARTH_R = 6371008.8;
const DEG = Math.PI / 180;
/** Largest grid; the cell grows past `cellM` when the reached area needs more. */
const MAX_CELLS = 1_000_000;
/** Field value of cells no street reaches (finite: d3 interpolates neighbours). */
const FAR = 1e9;

/**
 * Walking isochrones drawn as areas: every point within `reachM` of a street
 * reached within a threshold (walk to the street + straight step off it ≤ the
 * threshold), merged into polygons per threshold. Results come in the order of
 * `thresholdsM`; a non-positive or non-finite threshold gives empty polygons.
 * `dist` = network metres per node (Infinity where not reached);
 * `start` optionally the snapped click: its edge is partially reached from the
 * click point itself (distance |t − t'| × length along that edge), not only from its end nodes.
 * Exterior rings are counter-clockwise, holes clockwise (RFC 7946).
 */
export function isochroneAreas(
  g: WalkGraph,
  dist: Float32Array,
  thresholdsM: number[],
  start?: { edge: number; t: number } | null,
  opts?: AreaOptions,
): IsochroneArea[] {
  const out: IsochroneArea[] = thresholdsM.map((thresholdM) => ({ thresholdM, polygons: [] }));
  let maxT = 0;
  for (const t of thresholdsM) if (Number.isFinite(t) && t > maxT) maxT = t;
  if (maxT <= 0) return out;
  let cell = opts?.cellM !== undefined && Number.isFinite(opts.cellM) && opts.cellM > 0 ? opts.cellM : 25;
  const reach = opts?.reachM !== undefined && Number.isFinite(opts.reachM) && opts.reachM >= 0 ? opts.reachM : 60;

  const E = g.edges;
  const m = E.fromNode.length;
  const n = Math.min(g.nodeCount, dist.length);
  const dAt = (v: number): number => (v >= 0 && v < n ? dist[v]! : Infinity);

  // ---- the start edge (click), if usable
  let sEdge = -1;
  let sT = 0;
  if (start && Number.isInteger(start.edge) && start.edge >= 0 && start.edge < m && Number.isFinite(start.t)) {
    const L = E.lengthM[start.edge]!;
    if (Number.isFinite(L) && L >= 0) {
      sEdge = start.edge;
      sT = Math.min(1, Math.max(0, start.t));
    }
  }

  // ---- reached nodes; the local frame's origin
  let lon0 = NaN;
  let lat0 = NaN;
  let reachedNodes = 0;
  let best = Infinity;
  let adjTotal = 0;
  for (let v = 0; v < n; v++) {
    const d = dist[v]!;
    if (!(d < maxT)) continue;
    reachedNodes++;
    adjTotal += g.offsets[v + 1]! - g.offsets[v]!;
    if (d < best && Number.isFinite(g.nodeLon[v]!) && Number.isFinite(g.nodeLat[v]!)) {
      best = d;
      lon0 = g.nodeLon[v]!;
      lat0 = g.nodeLat[v]!;
    }
  }
  if (sEdge >= 0) {
    const lon = E.x1[sEdge]! + sT * (E.x2[sEdge]! - E.x1[sEdge]!);
    const lat = E.y1[sEdge]! + sT * (E.y2[sEdge]! - E.y1[sEdge]!);
    if (Number.isFinite(lon) && Number.isFinite(lat)) {
      lon0 = lon;
      lat0 = lat;
    } else sEdge = -1;
  }
  if (!Number.isFinite(lon0) || (reachedNodes === 0 && sEdge < 0)) return out;
  const kx = EARTH_R * Math.cos(lat0 * DEG) * DEG;
  const ky = EARTH_R * DEG;

  // ---- edges touching the reached set (each once), plus the start edge
  const list = new Int32Array(adjTotal + 1);
  let cnt = 0;
  let startListed = false;
  for (let u = 0; u < n; u++) {
    if (!(dist[u]! < maxT)) continue;
    for (let j = g.offsets[u]!, end = g.offsets[u + 1]!; j < end; j++) {
      const v = g.targets[j]!;
      if (dAt(v) < maxT && v < u) continue; // taken from v's side
      const e = g.edgeOf[j]!;
      list[cnt++] = e;
      if (e === sEdge) startListed = true;
    }
  }
  if (sEdge >= 0 && !startListed) list[cnt++] = sEdge;

  // Per listed edge: local metres of the ends, straight length, slope k, anchors.
  const ax = new Float64Array(cnt), ay = new Float64Array(cnt);
  const ux = new Float64Array(cnt), uy = new Float64Array(cnt);
  const len = new Float64Array(cnt), slope = new Float64Array(cnt);
  const dFrom = new Float64Array(cnt), dTo = new Float64Array(cnt);
  const sClick = new Float64Array(cnt).fill(NaN); // click position along the edge, m
  let keep = 0;
  for (let i = 0; i < cnt; i++) {
    const e = list[i]!;
    const x1 = (E.x1[e]! - lon0) * kx, y1 = (E.y1[e]! - lat0) * ky;
    const x2 = (E.x2[e]! - lon0) * kx, y2 = (E.y2[e]! - lat0) * ky;
    if (!(Number.isFinite(x1) && Number.isFinite(y1) && Number.isFinite(x2) && Number.isFinite(y2))) continue;
    const l = Math.hypot(x2 - x1, y2 - y1);
    const L = E.lengthM[e]!;
    ax[keep] = x1;
    ay[keep] = y1;
    len[keep] = l;
    ux[keep] = l > 0 ? (x2 - x1) / l : 1;
    uy[keep] = l > 0 ? (y2 - y1) / l : 0;
    // A walking length shorter than the straight line is a data slip: walk it at ≥ 0 cost.
    slope[keep] = l > 0 && Number.isFinite(L) && L > 0 ? L / l : 0;
    dFrom[keep] = dAt(E.fromNode[e]!);
    dTo[keep] = dAt(E.toNode[e]!);
    if (e === sEdge) sClick[keep] = sT * l;
    keep++;
  }
  cnt = keep;

  // ---- grid bbox: reached parts of the edges (largest threshold) + band
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const span = new Float64Array(2);
  for (let i = 0; i < cnt; i++) {
    if (!reachedSpan(i, maxT, span)) continue;
    for (let q = 0; q < 2; q++) {
      const x = ax[i]! + ux[i]! * span[q]!, y = ay[i]! + uy[i]! * span[q]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (!(minX <= maxX && minY <= maxY)) return out;
  let w = 0, h = 0, gx0 = 0, gy0 = 0, band = 0;
  for (;;) {
    band = reach + 1.05 * cell;
    const pad = band + cell;
    gx0 = minX - pad;
    gy0 = minY - pad;
    w = Math.ceil((maxX + pad - gx0) / cell) + 1;
    h = Math.ceil((maxY + pad - gy0) / cell) + 1;
    if (w * h <= MAX_CELLS) break;
    cell *= Math.sqrt((w * h) / MAX_CELLS) * 1.02;
  }

  const field = new Float32Array(w * h);
  const contour = contours().size([w, h]);
  const invX = 1 / kx, invY = 1 / ky;

  for (let ti = 0; ti < thresholdsM.length; ti++) {
    const T = thresholdsM[ti]!;
    if (!(Number.isFinite(T) && T > 0)) continue;
    const F = T - reach;
    field.fill(FAR);
    let any = false;
    for (let i = 0; i < cnt; i++) {
      if (!reachedSpan(i, T, span)) continue;
      any = true;
      rasterEdge(i, T, F, span[0]!, span[1]!);
    }
    if (!any) continue;
    for (let c = 0; c < field.length; c++) field[c] = -field[c]!;
    const mp = contour.contour(field as unknown as number[], -T);
    out[ti]!.polygons = toLonLat(mp.coordinates);
  }
  return out;

  /** The s-interval [span0, span1] of edge i reached below T (hull of all anchors' reach); false if none. */
  function reachedSpan(i: number, T: number, s: Float64Array): boolean {
    const l = len[i]!, k = slope[i]!;
    let lo = Infinity, hi = -Infinity;
    const a = dFrom[i]!;
    if (a < T) {
      lo = 0;
      hi = k > 0 ? Math.min(l, (T - a) / k) : l;
    }
    const b = dTo[i]!;
    if (b < T) {
      hi = l;
      lo = Math.min(lo, k > 0 ? Math.max(0, l - (T - b) / k) : 0);
    }
    const c = sClick[i]!;
    if (c === c) {
      const r = k > 0 ? T / k : l;
      lo = Math.min(lo, Math.max(0, c - r));
      hi = Math.max(hi, Math.min(l, c + r));
    }
    if (!(lo <= hi)) return false;
    s[0] = lo;
    s[1] = hi;
    return true;
  }

  /** field = min(field, ψ_T) over cells within `band` of the reached part [s0, s1] of edge i. */
  function rasterEdge(i: number, T: number, F: number, s0: number, s1: number): void {
    const x0 = ax[i]!, y0 = ay[i]!, dx = ux[i]!, dy = uy[i]!, l = len[i]!, k = slope[i]!;
    const a = dFrom[i]!, b = dTo[i]!, c = sClick[i]!;
    const px0 = x0 + dx * s0, py0 = y0 + dy * s0, px1 = x0 + dx * s1, py1 = y0 + dy * s1;
    const c0 = Math.max(0, Math.floor((Math.min(px0, px1) - band - gx0) / cell));
    const c1 = Math.min(w - 1, Math.ceil((Math.max(px0, px1) + band - gx0) / cell));
    const r0 = Math.max(0, Math.floor((Math.min(py0, py1) - band - gy0) / cell));
    const r1 = Math.min(h - 1, Math.ceil((Math.max(py0, py1) + band - gy0) / cell));
    const band2 = band * band;
    const deep = T - 1.05 * cell;
    // Whole edge under the floor F (the common case inside a large isochrone): ψ = F + distance to it.
    const flat = (a < T && a + k * l <= F) || (b < T && b + k * l <= F) || (a < T && b < T && (a + b + k * l) / 2 <= F);
    // For k < 1 the sloped part's optimum sits k·h/√(1 − k²) behind the projection.
    const lean = k < 1 ? k / Math.sqrt(1 - k * k) : Infinity;
    for (let r = r0; r <= r1; r++) {
      const py = gy0 + r * cell - y0;
      const row = r * w;
      for (let col = c0; col <= c1; col++) {
        const idx = row + col;
        // Deep inside already: ψ is 1-Lipschitz, so every 4-neighbour is inside
        // too and this cell's exact value can never shape a boundary.
        if (field[idx]! <= deep) continue;
        const px = gx0 + col * cell - x0;
        const sp = px * dx + py * dy; // projection along the edge, m from its from-end
        const hh = px * dy - py * dx;
        const h2 = hh * hh;
        // Skip cells farther than the band from the reached part.
        const sc = sp < s0 ? s0 : sp > s1 ? s1 : sp;
        if ((sp - sc) * (sp - sc) + h2 > band2) continue;
        if (flat) {
          const v = F + Math.sqrt((sp - sc) * (sp - sc) + h2);
          if (v < field[idx]!) field[idx] = v;
          continue;
        }
        const hAbs = Math.abs(hh);
        let best = FAR;
        if (a < T) best = Math.min(best, piece(sp, h2, hAbs, a, k, l, F, lean));
        if (b < T) best = Math.min(best, piece(l - sp, h2, hAbs, b, k, l, F, lean));
        if (c === c) {
          best = Math.min(best, piece(sp - c, h2, hAbs, 0, k, l - c, F, lean));
          best = Math.min(best, piece(c - sp, h2, hAbs, 0, k, c, F, lean));
        }
        if (best < field[idx]!) field[idx] = best;
      }
    }
  }

  /** Contour rings (cell units) → lon/lat, closed, degenerate rings dropped, RFC 7946 winding. */
  function toLonLat(polys: number[][][][]): number[][][][] {
    const res: number[][][][] = [];
    for (const poly of polys) {
      const rings: number[][][] = [];
      for (let ri = 0; ri < poly.length; ri++) {
        const ring = poly[ri]!;
        const pts: number[][] = [];
        for (const p of ring) {
          const x = gx0 + (p[0]! - 0.5) * cell, y = gy0 + (p[1]! - 0.5) * cell;
          const lon = lon0 + x * invX, lat = lat0 + y * invY;
          if (!(Number.isFinite(lon) && Number.isFinite(lat))) continue;
          const prev = pts[pts.length - 1];
          if (prev && prev[0] === lon && prev[1] === lat) continue;
          pts.push([lon, lat]);
        }
        const first = pts[0];
        if (!first) {
          if (ri === 0) break;
          continue;
        }
        const last = pts[pts.length - 1]!;
        if (last[0] !== first[0] || last[1] !== first[1]) pts.push([first[0]!, first[1]!]);
        const sa = signedArea(pts);
        if (pts.length < 4 || !(Math.abs(sa) > 1e-6 * cell * cell * invX * invY)) {
          if (ri === 0) break; // no exterior, no polygon
          continue;
        }
        // Exterior counter-clockwise, holes clockwise.
        if ((ri === 0) !== sa > 0) pts.reverse();
        rings.push(pts);
      }
      if (rings.length > 0) res.push(rings);
    }
    return res;
  }
}

/**
 * min over u ∈ [0, U] of √((u − up)² + h²) + max(a + k·u, F): the reach of one
 * anchor along one direction of an edge (u = metres from the anchor).
 */
function piece(up: number, h2: number, hAbs: number, a: number, k: number, U: number, F: number, lean: number): number {
  if (U < 0) return FAR;
  // Where the network distance rises past the floor F.
  const uF = k > 0 ? (F - a) / k : a <= F ? Infinity : -Infinity;
  let best = FAR;
  if (uF >= 0) {
    // Flat part u ∈ [0, min(U, uF)]: F + distance, nearest point.
    const hi = uF < U ? uF : U;
    const u = up < 0 ? 0 : up > hi ? hi : up;
    const du = u - up;
    best = F + Math.sqrt(du * du + h2);
  }
  if (uF <= U) {
    // Sloped part u ∈ [max(0, uF), U]: a + k·u + distance (convex).
    const lo = uF > 0 ? uF : 0;
    // k ≥ 1: walking the street is never cheaper than cutting across, so the low end.
    let u = lean === Infinity ? lo : up - lean * hAbs;
    u = u < lo ? lo : u > U ? U : u;
    const du = u - up;
    const v = a + k * u + Math.sqrt(du * du + h2);
    if (v < best) best = v;
  }
  return best;
}

function signedArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return s / 2;
}
