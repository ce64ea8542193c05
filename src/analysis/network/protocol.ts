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
  | { type: 'isochrone'; id: number; key: string; lon: number; lat: number; thresholdsM: number[] };

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
  | { type: 'error'; id?: number; key?: string; message: string };
