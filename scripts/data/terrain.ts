/**
 * Hillness: a 0–1 field standing in for terrain we do not have (no DEM is
 * bundled). Named upland anchors (cities.ts) give broad Gaussian ranges;
 * two octaves of value noise add scattered small hills everywhere. Used to
 * thin out population, place mountain parks and mountain restoration.
 */
import type { CityCfg } from './cities.ts';
import type { LocalFrame } from './geo.ts';
import { makeNoise2d, MASTER_SEED } from './prng.ts';

export type HillFn = (lon: number, lat: number) => number;

export function makeHillness(city: CityCfg, frame: LocalFrame): HillFn {
  const broad = makeNoise2d(`${MASTER_SEED}/${city.id}/hills-broad`, 3, 0.5);
  const small = makeNoise2d(`${MASTER_SEED}/${city.id}/hills-small`, 2, 0.45);
  const warpX = makeNoise2d(`${MASTER_SEED}/${city.id}/hills-warp-x`, 3, 0.5);
  const warpY = makeNoise2d(`${MASTER_SEED}/${city.id}/hills-warp-y`, 3, 0.5);
  const anchors = city.uplands.map((u) => ({ xy: frame.toXY(u.lon, u.lat), r: u.radiusKm * 1000, s: u.strength }));
  return (lon, lat) => {
    const [x, y] = frame.toXY(lon, lat);
    // Domain warping (±3.5 km) makes the upland outlines ragged instead of circular.
    const wx = x + (warpX(x / 7000, y / 7000) - 0.5) * 7000;
    const wy = y + (warpY(x / 7000, y / 7000) - 0.5) * 7000;
    let a = 0;
    for (const an of anchors) {
      const d2 = ((wx - an.xy[0]) ** 2 + (wy - an.xy[1]) ** 2) / (an.r * an.r);
      if (d2 < 9) a = Math.max(a, an.s * Math.exp(-d2));
    }
    const nb = broad(x / 9000, y / 9000);
    const ns = small(x / 2600, y / 2600);
    const h = a * (0.45 + 1.1 * nb) + Math.max(0, ns - 0.66) * 2.6;
    return Math.max(0, Math.min(1, h));
  };
}
