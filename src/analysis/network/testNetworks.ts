/**
 * Hand-made networks for the network tests: written in metres in a local
 * frame around (117°E, 36.6°N), as src/analysis/parkCoverage.test.ts does.
 */
import type { EdgeArrays } from './graph';
import { seededRandom } from '../seededRandom';

export const LON0 = 117;
export const LAT0 = 36.6;
/** Metres per degree of latitude (spherical). */
export const M = (6371008.8 * Math.PI) / 180;

/** Local metres → [lon, lat]. */
export const ll = (x: number, y: number): [number, number] => [LON0 + x / (M * Math.cos((LAT0 * Math.PI) / 180)), LAT0 + y / M];

export type XY = [number, number];

/** Edges between metre points; length_m defaults to the straight length. */
export function net(nodes: XY[], edges: [number, number, number?][]): EdgeArrays {
  const m = edges.length;
  const e: EdgeArrays = {
    fromNode: new Int32Array(m),
    toNode: new Int32Array(m),
    x1: new Float64Array(m),
    y1: new Float64Array(m),
    x2: new Float64Array(m),
    y2: new Float64Array(m),
    lengthM: new Float64Array(m),
  };
  edges.forEach(([a, b, len], i) => {
    const [ax, ay] = nodes[a]!, [bx, by] = nodes[b]!;
    e.fromNode[i] = a;
    e.toNode[i] = b;
    [e.x1[i], e.y1[i]] = ll(ax, ay);
    [e.x2[i], e.y2[i]] = ll(bx, by);
    e.lengthM[i] = len ?? Math.hypot(bx - ax, by - ay);
  });
  return e;
}

/** A small seeded generator (mulberry32) for random test networks. */
export const rng = seededRandom;
