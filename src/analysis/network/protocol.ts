/**
 * Messages between the app and the walking-network worker. Edge and facility
 * columns travel as typed arrays (transferred, not copied); results are small.
 */
import type { EdgeArrays } from './graph';

export interface FacilityColumns {
  id: string[];
  type: string[];
  name: string[];
  lon: Float64Array;
  lat: Float64Array;
}

export type NetworkRequest =
  | { type: 'load'; key: string; edges: EdgeArrays; facilities: FacilityColumns }
  | { type: 'isochrone'; id: number; key: string; lon: number; lat: number; thresholdsM: number[] }
  /** The network node each point stands on (its nearest street's nearer end, within maxM; -1 for none). */
  | { type: 'nodes'; id: number; key: string; lon: Float64Array; lat: Float64Array; maxM: number }
  /** Network metres from each point to every node within maxM (sparse). */
  | { type: 'reach'; id: number; key: string; points: { lon: number; lat: number }[]; maxM: number };

export interface Reach {
  /** Whether the point is near a street at all. */
  snapped: boolean;
  nodes: Int32Array;
  distM: Float32Array;
}

export interface NearestFacility {
  type: string;
  /** Walking metres to the nearest of this type, or null when none within the largest threshold. */
  distM: number | null;
  name: string | null;
}

export interface IsochroneResult {
  /** The click on the network, or null when no walkable street is near it. */
  snap: { lon: number; lat: number; offsetM: number } | null;
  areas: { thresholdM: number; polygons: number[][][][] }[];
  nearest: NearestFacility[];
  /** Time spent in the worker, ms (snap + search + facilities + areas). */
  ms: number;
}

export type NetworkResponse =
  | { type: 'loaded'; key: string; nodes: number; edges: number }
  | { type: 'result'; id: number; result: IsochroneResult }
  | { type: 'nodes'; id: number; nodes: Int32Array }
  | { type: 'reach'; id: number; reach: Reach[] }
  | { type: 'error'; id?: number; key?: string; message: string };
