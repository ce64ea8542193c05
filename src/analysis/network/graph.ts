/**
 * The walking network in a compact form for searches: nodes with positions,
 * undirected edges as a CSR adjacency (offsets + targets + weights in typed
 * arrays), so a city's network is a few megabytes that move to a worker
 * without copying (transferable buffers) and a search touches no objects.
 */

/** Edges as columns, as they come out of the network table (one row per edge). */
export interface EdgeArrays {
  fromNode: Int32Array;
  toNode: Int32Array;
  /** WGS-84 ends of each edge (straight segments). */
  x1: Float64Array;
  y1: Float64Array;
  x2: Float64Array;
  y2: Float64Array;
  /** Walking length, m (the file's length_m; may exceed the straight distance). */
  lengthM: Float64Array;
}

export interface WalkGraph {
  nodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  /** Neighbours of node i: entries offsets[i] .. offsets[i + 1] - 1 of targets / weights / edgeOf. */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
  /** The edge (row) each adjacency entry comes from. */
  edgeOf: Int32Array;
  edges: EdgeArrays;
}

/**
 * Builds the undirected CSR graph. Node ids are the file's from/to ids and
 * must be 0..n-1 (the data build numbers them so); a node's position is taken
 * from the first edge that names it. Self-loops and non-finite lengths are skipped.
 */
export function buildGraph(e: EdgeArrays): WalkGraph {
  const m = e.fromNode.length;
  let n = 0;
  for (let i = 0; i < m; i++) n = Math.max(n, e.fromNode[i]! + 1, e.toNode[i]! + 1);
  const nodeLon = new Float64Array(n).fill(NaN);
  const nodeLat = new Float64Array(n).fill(NaN);
  const degree = new Int32Array(n + 1);
  const usable = (i: number) => e.fromNode[i] !== e.toNode[i] && Number.isFinite(e.lengthM[i]!) && e.lengthM[i]! >= 0 && e.fromNode[i]! >= 0 && e.toNode[i]! >= 0;
  for (let i = 0; i < m; i++) {
    const a = e.fromNode[i]!, b = e.toNode[i]!;
    if (a >= 0 && Number.isNaN(nodeLon[a]!)) {
      nodeLon[a] = e.x1[i]!;
      nodeLat[a] = e.y1[i]!;
    }
    if (b >= 0 && Number.isNaN(nodeLon[b]!)) {
      nodeLon[b] = e.x2[i]!;
      nodeLat[b] = e.y2[i]!;
    }
    if (!usable(i)) continue;
    degree[a + 1]!++;
    degree[b + 1]!++;
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i + 1]!;
  const total = offsets[n]!;
  const targets = new Int32Array(total);
  const weights = new Float32Array(total);
  const edgeOf = new Int32Array(total);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < m; i++) {
    if (!usable(i)) continue;
    const a = e.fromNode[i]!, b = e.toNode[i]!, w = e.lengthM[i]!;
    let k = fill[a]!++;
    targets[k] = b;
    weights[k] = w;
    edgeOf[k] = i;
    k = fill[b]!++;
    targets[k] = a;
    weights[k] = w;
    edgeOf[k] = i;
  }
  return { nodeCount: n, nodeLon, nodeLat, offsets, targets, weights, edgeOf, edges: e };
}
