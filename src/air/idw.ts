/**
 * Inverse-distance-weighted air-quality surface, clipped to the city's districts.
 *
 * Everything that depends only on geometry (cell centres, the land mask, each
 * cell's K nearest stations and their weights) is computed once per city by
 * {@link buildIdwGrid}; a clock step then costs one weighted sum per cell
 * ({@link interpolate}) and one table look-up per pixel ({@link colourize}),
 * with no allocation, so playback at 16 steps/s leaves the frame to the map.
 *
 * Rows are spaced evenly in Web Mercator y, not in latitude: deck.gl's
 * BitmapLayer maps a rectangular `bounds` onto a single quad in Mercator space,
 * so a Mercator-regular raster lands every row exactly where its cells are.
 */
import type { FeatureCollection, Position } from 'geojson';

export type Bounds = [west: number, south: number, east: number, north: number];
export type Rgba = [number, number, number, number];

export interface IdwGrid {
  width: number;
  height: number;
  bounds: Bounds;
  /** Cell-centre longitude per column (west → east). */
  lons: Float64Array;
  /** Cell-centre latitude per row, row 0 = north (image order). */
  lats: Float64Array;
  /** Per raster cell (row * width + col): 1 if its centre is inside a district. */
  inside: Uint8Array;
  /** Raster index of each inside cell; the order of `nbr` / `weight`. */
  cells: Uint32Array;
  /** Neighbours per inside cell. */
  k: number;
  /** Station index of the K nearest stations of each inside cell (cells.length * k). */
  nbr: Uint16Array;
  /** Un-normalised IDW weight 1/d^p (d in km) matching `nbr`. */
  weight: Float32Array;
  stationCount: number;
  /** Pairs (outside cell, inside neighbour) whose colour bleeds out; see colourize. */
  bleed: Uint32Array;
  /** Ground size of a cell at the central latitude, after the maxCells cap. */
  cellMetres: number;
}

export interface IdwGridOptions {
  bounds: Bounds;
  boundary: FeatureCollection;
  stations: [number, number][];
  cellMetres?: number;
  maxCells?: number;
  power?: number;
  neighbours?: number;
}

const R = 6371008.8;
const RAD = Math.PI / 180;
/** A cell centre this close (m) to a station takes its value: the weight swamps every other in float64. */
const SNAP_METRES = 0.01;
const SNAP_WEIGHT = 1e30;

const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2));
const invMercY = (y: number) => (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD;

export function buildIdwGrid(opts: IdwGridOptions): IdwGrid {
  const [west, south, east, north] = opts.bounds;
  const { stations, cellMetres = 500, maxCells = 120_000, power = 2, neighbours = 8 } = opts;
  if (!(east > west && north > south)) throw new RangeError('buildIdwGrid: empty bounds');
  if (stations.length > 65535) throw new RangeError('buildIdwGrid: too many stations');

  // Mercator is conformal: a cell of dλ radians is square on the ground when
  // its Mercator height is also dλ, whatever the latitude.
  const spanX = (east - west) * RAD;
  const yN = mercY(north);
  const spanY = yN - mercY(south);
  const d = cellMetres / (R * Math.cos(((south + north) / 2) * RAD));
  let width = Math.max(1, Math.round(spanX / d));
  let height = Math.max(1, Math.round(spanY / d));
  if (width * height > maxCells) {
    const f = Math.sqrt((width * height) / maxCells);
    width = Math.max(1, Math.floor(width / f));
    height = Math.max(1, Math.floor(height / f));
  }
  const lons = Float64Array.from({ length: width }, (_, c) => west + ((c + 0.5) * (east - west)) / width);
  const lats = Float64Array.from({ length: height }, (_, r) => invMercY(yN - ((r + 0.5) * spanY) / height));

  const bounds: Bounds = [west, south, east, north];
  const inside = rasteriseMask(opts.boundary, { width, height, bounds, lats });
  const cells = Uint32Array.from(inside.keys()).filter((i) => inside[i]);
  const count = cells.length;

  // K nearest by insertion into a sorted top-K: n ≤ ~20, so this beats any
  // spatial index. Stations arrive in index order and only a strictly nearer
  // one moves ahead, so ties keep the lower index: the result is deterministic.
  const n = stations.length;
  const k = Math.min(Math.max(1, Math.floor(neighbours)), n);
  const nbr = new Uint16Array(count * k);
  const weight = new Float32Array(count * k);
  const kx = new Float64Array(n);
  const sLon = Float64Array.from(stations, (p) => p[0]);
  const sLat = Float64Array.from(stations, (p) => p[1]);
  const bestD = new Float64Array(k);
  const bestI = new Uint16Array(k);
  const M = R * RAD;
  let row = -1;
  for (let ci = 0; ci < count; ci++) {
    const cell = cells[ci]!;
    const lat = lats[Math.floor(cell / width)]!;
    const lon = lons[cell % width]!;
    // Equirectangular at the pair's mean latitude (< 0.1 % error over 100 km);
    // the cosine depends only on the row, so it is refreshed once per row.
    if (Math.floor(cell / width) !== row) {
      row = Math.floor(cell / width);
      for (let s = 0; s < n; s++) kx[s] = Math.cos(((lat + sLat[s]!) / 2) * RAD) * M;
    }
    let m = 0;
    for (let s = 0; s < n; s++) {
      const dx = (lon - sLon[s]!) * kx[s]!;
      const dy = (lat - sLat[s]!) * M;
      const dist = Math.sqrt(dx * dx + dy * dy);
      if (m === k && !(dist < bestD[k - 1]!)) continue;
      let j = m < k ? m++ : k - 1;
      for (; j > 0 && bestD[j - 1]! > dist; j--) (bestD[j] = bestD[j - 1]!), (bestI[j] = bestI[j - 1]!);
      bestD[j] = dist;
      bestI[j] = s;
    }
    for (let j = 0; j < k; j++) {
      nbr[ci * k + j] = bestI[j]!;
      // Kilometres keep 1/d^p well inside float32 range for any city-scale distance.
      const km = bestD[j]! / 1000;
      weight[ci * k + j] = km < SNAP_METRES / 1000 ? SNAP_WEIGHT : power === 2 ? 1 / (km * km) : Math.pow(km, -power);
    }
  }

  return {
    width, height, bounds, lons, lats, inside, cells, k, nbr, weight, stationCount: n,
    bleed: bleedPairs(inside, width, height),
    cellMetres: (R * Math.cos(((south + north) / 2) * RAD) * spanX) / width,
  };
}

/**
 * Inside mask by scanline even–odd fill, one polygon at a time (holes are
 * rings of the same polygon). Per-polygon parity, OR-ed together, keeps a
 * sliver where two simplified districts overlap from cancelling to a hole.
 * Measured against turf.booleanPointInPolygon per cell in scripts/bench/idw.mts.
 */
export function rasteriseMask(
  boundary: FeatureCollection,
  grid: Pick<IdwGrid, 'width' | 'height' | 'bounds' | 'lats'>,
): Uint8Array {
  const { width, height, bounds, lats } = grid;
  const dx = (bounds[2] - bounds[0]) / width;
  const x0 = bounds[0] + dx / 2;
  const mask = new Uint8Array(width * height);
  let xs = new Float64Array(64);
  const fillPolygon = (rings: Position[][]) => {
    const ys = rings.flat().map((p) => p[1]!);
    const [lo, hi] = ys.reduce(([l, h], y) => [Math.min(l, y), Math.max(h, y)], [Infinity, -Infinity]);
    if (xs.length < ys.length) xs = new Float64Array(ys.length);
    for (let r = 0; r < height; r++) {
      const y = lats[r]!;
      if (y < lo || y > hi) continue;
      let m = 0;
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i] as [number, number];
          const [xj, yj] = ring[j] as [number, number];
          if (yi > y !== yj > y) xs[m++] = xi + ((y - yi) * (xj - xi)) / (yj - yi);
        }
      }
      xs.subarray(0, m).sort();
      // A centre on [xa, xb) is inside; c ≥ (xa − x0)/dx and c < (xb − x0)/dx.
      for (let i = 0; i + 1 < m; i += 2) {
        const c0 = Math.max(0, Math.ceil((xs[i]! - x0) / dx));
        const c1 = Math.min(width, Math.ceil((xs[i + 1]! - x0) / dx));
        mask.fill(1, r * width + c0, r * width + Math.max(c0, c1));
      }
    }
  };
  for (const f of boundary.features) {
    const g = f.geometry;
    if (g?.type === 'Polygon') fillPolygon(g.coordinates);
    else if (g?.type === 'MultiPolygon') for (const p of g.coordinates) fillPolygon(p);
  }
  return mask;
}

/**
 * Linear texture filtering mixes a coloured texel with its transparent
 * neighbour's RGB; if that RGB is black the coast gets a dark rim. Each outside
 * cell touching an inside one therefore borrows that cell's RGB (alpha 0).
 */
function bleedPairs(inside: Uint8Array, width: number, height: number): Uint32Array {
  const pairs: number[] = [];
  const offsets = [[0, -1], [0, 1], [-1, 0], [1, 0], [-1, -1], [1, -1], [-1, 1], [1, 1]] as const;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (inside[r * width + c]) continue;
      const hit = offsets.find(([oc, or]) => c + oc >= 0 && c + oc < width && r + or >= 0 && r + or < height
        && inside[(r + or) * width + c + oc]);
      if (hit) pairs.push(r * width + c, (r + hit[1]) * width + c + hit[0]);
    }
  }
  return Uint32Array.from(pairs);
}

/**
 * Σ w·v / Σ w over each inside cell's neighbours whose value is finite, so an
 * offline station drops out and the rest renormalise. NaN outside the mask or
 * when no neighbour reports.
 */
export function interpolate(grid: IdwGrid, values: Float32Array, out?: Float32Array): Float32Array {
  const { cells, nbr, weight, k } = grid;
  if (values.length < grid.stationCount) throw new RangeError('interpolate: one value per station');
  const field = out ?? new Float32Array(grid.width * grid.height);
  if (field.length !== grid.width * grid.height) throw new RangeError('interpolate: out has the wrong size');
  field.fill(NaN);
  for (let ci = 0, o = 0; ci < cells.length; ci++) {
    let sw = 0;
    let swv = 0;
    for (let j = 0; j < k; j++, o++) {
      const v = values[nbr[o]!]!;
      // v − v is 0 only for finite v: one test rejects NaN and ±Infinity.
      if (v - v === 0) {
        const w = weight[o]!;
        sw += w;
        swv += w * v;
      }
    }
    field[cells[ci]!] = sw > 0 ? swv / sw : NaN;
  }
  return field;
}

/** Colour table resolution: 1/16 of a unit over [0, 512), enough for AQI / IAQI (0–500). */
const LUT_SCALE = 16;
const LUT_SIZE = 512 * LUT_SCALE + 1;
const luts = new WeakMap<(v: number) => Rgba, Uint32Array>();
/** Per output raster, its 32-bit view: one store per pixel, and no allocation per step. */
const words = new WeakMap<Uint8ClampedArray, Uint32Array>();
/** Clears the alpha byte of a pixel word whatever the platform's endianness. */
const RGB_ONLY = new Uint32Array(new Uint8Array([255, 255, 255, 0]).buffer)[0]!;

function lutFor(colour: (v: number) => Rgba): Uint32Array {
  let lut = luts.get(colour);
  if (!lut) {
    const bytes = new Uint8ClampedArray(LUT_SIZE * 4);
    for (let i = 0; i < LUT_SIZE; i++) bytes.set(colour(i / LUT_SCALE), i * 4);
    lut = new Uint32Array(bytes.buffer);
    luts.set(colour, lut);
  }
  return lut;
}

/**
 * RGBA raster in image order (row 0 = north), transparent where the field is
 * NaN or outside the mask. Colours come from a table built once per colour
 * function (keep the function's identity stable): the value is rounded UP to
 * the next 1/16, so a step function whose breakpoints are multiples of 1/16
 * and belong to the lower step (HJ 633: 50 is 优, 50.01 is 良) is reproduced
 * exactly; a continuous ramp is off by < 1/16 unit. Values outside [0, 512]
 * call the function directly.
 */
export function colourize(
  grid: IdwGrid,
  field: Float32Array,
  colour: (v: number) => Rgba,
  out?: Uint8ClampedArray<ArrayBuffer>,
): Uint8ClampedArray<ArrayBuffer> {
  const n = grid.width * grid.height;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  if (rgba.length !== n * 4 || field.length !== n) throw new RangeError('colourize: wrong raster size');
  if (rgba.byteOffset % 4) throw new RangeError('colourize: out must be 4-byte aligned');
  const px = words.get(rgba) ?? new Uint32Array(rgba.buffer, rgba.byteOffset, n);
  words.set(rgba, px);
  const lut = lutFor(colour);
  const { inside, bleed } = grid;
  for (let i = 0; i < n; i++) {
    const v = field[i]!;
    if (!inside[i] || v !== v) px[i] = 0;
    else if (v >= 0 && v <= 512) px[i] = lut[Math.ceil(v * LUT_SCALE)]!;
    else rgba.set(colour(v), i * 4);
  }
  for (let p = 0; p < bleed.length; p += 2) {
    const src = px[bleed[p + 1]!]!;
    if (src) px[bleed[p]!] = src & RGB_ONLY;
  }
  return rgba;
}

/** Raster index of the cell containing [lon, lat] (for hover read-outs), or -1. */
export function cellAt(grid: IdwGrid, lon: number, lat: number): number {
  const [west, south, east, north] = grid.bounds;
  if (!(lon >= west && lon < east && lat > south && lat <= north)) return -1;
  const c = Math.floor(((lon - west) / (east - west)) * grid.width);
  const yN = mercY(north);
  const r = Math.floor(((yN - mercY(lat)) / (yN - mercY(south))) * grid.height);
  return Math.min(grid.height - 1, r) * grid.width + Math.min(grid.width - 1, c);
}
