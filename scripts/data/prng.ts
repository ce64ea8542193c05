/**
 * Seeded pseudo-random numbers and smooth noise. Everything the data model
 * draws goes through here, so `npm run data` writes the same bytes every run.
 *
 * - `hashSeed` turns a string ("civic-atlas/shenzhen/parks") into 128 bits
 *   (cyrb128), so every city and generator has its own independent stream.
 * - `Rng` is sfc32 (small fast counter generator), uniform in [0, 1).
 * - `valueNoise2d` is lattice value noise with smoothstep interpolation and
 *   octaves (fBm), used for terrain-like fields (hills) and density texture.
 */

export const MASTER_SEED = 'civic-atlas-2025';

/** cyrb128: string → four 32-bit seeds. */
export function hashSeed(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = hashSeed(seed);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[this.int(items.length)] as T;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /**
   * Bounded Pareto (power-law) draw on [xmin, xmax] with tail index alpha:
   * P(X > x) ∝ x^-alpha. Used for heavy-tailed park and site sizes.
   */
  boundedPareto(xmin: number, xmax: number, alpha: number): number {
    const u = this.next();
    const la = Math.pow(xmin, alpha);
    const ha = Math.pow(xmax, alpha);
    return Math.pow(-(u * ha - u * la - ha) / (ha * la), -1 / alpha);
  }
}

/** Cumulative weights for repeated weighted sampling (binary search). */
export class WeightedSampler {
  private readonly cum: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] ?? 0;
      s += w > 0 ? w : 0;
      this.cum[i] = s;
    }
    this.total = s;
  }

  /** Index drawn with probability proportional to its weight. */
  sample(rng: Rng): number {
    if (this.total <= 0) throw new Error('no positive weights to sample');
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cum[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Integer lattice hash → [0, 1). */
function latticeValue(seed: number, ix: number, iy: number): number {
  let h = Math.imul(ix, 374761393) ^ Math.imul(iy, 668265263) ^ Math.imul(seed, 1274126177);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/**
 * Value noise with `octaves` octaves, in [0, 1] (approximately, mean 0.5).
 * x, y are in lattice units of the first octave.
 */
export function makeNoise2d(seedStr: string, octaves = 4, persistence = 0.5): (x: number, y: number) => number {
  const seed = hashSeed(seedStr)[0] | 0;
  return (x: number, y: number) => {
    let amp = 1;
    let freq = 1;
    let sum = 0;
    let norm = 0;
    for (let o = 0; o < octaves; o++) {
      const px = x * freq + o * 17.31;
      const py = y * freq - o * 9.73;
      const ix = Math.floor(px);
      const iy = Math.floor(py);
      const fx = smooth(px - ix);
      const fy = smooth(py - iy);
      const s = seed + o * 7919;
      const v00 = latticeValue(s, ix, iy);
      const v10 = latticeValue(s, ix + 1, iy);
      const v01 = latticeValue(s, ix, iy + 1);
      const v11 = latticeValue(s, ix + 1, iy + 1);
      const v = (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
      sum += v * amp;
      norm += amp;
      amp *= persistence;
      freq *= 2;
    }
    return sum / norm;
  };
}
