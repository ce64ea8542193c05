/**
 * A clicked walking isochrone on the map: the 15-, 10- and 5-minute areas
 * (largest first, so the nearer ones draw on top) and the click's point on
 * the network. Cheap descriptors rebuilt from a worker result; not a catalog
 * layer (it has no data of its own), so the app hands them to the controller.
 */
import { PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { IsochroneResult } from '../analysis/network/protocol';
import type { RGBA } from './types';

/** By threshold rank, nearest first: dark to light, one hue, so the rings read as distance. */
const FILLS: RGBA[] = [
  [84, 39, 143, 120],
  [117, 107, 177, 95],
  [158, 154, 200, 80],
];
const LINES: RGBA[] = [
  [63, 0, 125, 255],
  [84, 39, 143, 230],
  [117, 107, 177, 210],
];

interface Area {
  rank: number;
  polygon: number[][][];
}

export function isochroneLayers(result: IsochroneResult | null, scale = 1): Layer[] {
  if (!result?.snap) return [];
  const sorted = [...result.areas].sort((a, b) => a.thresholdM - b.thresholdM);
  const areas: Area[] = [];
  // Largest first in draw order.
  for (let rank = sorted.length - 1; rank >= 0; rank--) for (const polygon of sorted[rank]!.polygons) areas.push({ rank, polygon });
  return [
    new PolygonLayer<Area>({
      id: 'isochrone-areas',
      data: areas,
      getPolygon: (d) => d.polygon as unknown as [number, number][][],
      getFillColor: (d) => FILLS[Math.min(d.rank, FILLS.length - 1)]!,
      getLineColor: (d) => LINES[Math.min(d.rank, LINES.length - 1)]!,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5 * scale,
      stroked: true,
      filled: true,
      pickable: false,
      parameters: { depthCompare: 'always', depthWriteEnabled: false },
    }),
    new ScatterplotLayer<{ p: [number, number] }>({
      id: 'isochrone-origin',
      data: [{ p: [result.snap.lon, result.snap.lat] }],
      getPosition: (d) => d.p,
      getRadius: 7 * scale,
      radiusUnits: 'pixels',
      getFillColor: [255, 255, 255, 255],
      getLineColor: [63, 0, 125, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3 * scale,
      pickable: false,
      parameters: { depthCompare: 'always', depthWriteEnabled: false },
    }),
  ];
}
