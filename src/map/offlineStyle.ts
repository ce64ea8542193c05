import type { StyleSpecification } from 'maplibre-gl';
import type { BaseTheme } from './theme';

/**
 * The offline base, drawn only from what the app ships: the city's districts
 * as land, the neighbouring land around it (surroundings.geojson), water
 * wherever neither is, and a soft shore line along the coast. No tiles,
 * glyphs, sprites or fonts are requested; district names are drawn by
 * deck.gl's TextLayer with local fonts (see layers/districtLabels.ts).
 *
 * The shore is a wide line along every land edge drawn *under* the land
 * fills: where two land polygons meet, the fills cover it on both sides, so
 * it only shows where land meets water, without computing a coastline.
 */
export const DISTRICTS_SOURCE = 'districts';
export const SURROUNDINGS_SOURCE = 'surroundings';

/** Layers drawn over any base, online or offline: the city's district and outer boundaries. */
export const OVERLAY_LAYER_IDS = ['district-lines', 'city-outline'];

const empty = () => ({ type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } });

export function offlineStyle(theme: BaseTheme): StyleSpecification {
  return {
    version: 8,
    name: 'civic-atlas-offline',
    sources: { [DISTRICTS_SOURCE]: empty(), [SURROUNDINGS_SOURCE]: empty() },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': theme.outside } },
      ...(['surroundings', 'districts'] as const).map((src) => ({
        id: `shore-${src}`,
        type: 'line' as const,
        source: src === 'districts' ? DISTRICTS_SOURCE : SURROUNDINGS_SOURCE,
        layout: { 'line-join': 'round' as const },
        paint: {
          'line-color': theme.shore,
          'line-width': ['interpolate', ['linear'], ['zoom'], 7, 2, 11, 6, 15, 14] as unknown as number,
          'line-blur': ['interpolate', ['linear'], ['zoom'], 7, 1, 11, 4, 15, 10] as unknown as number,
        },
      })),
      {
        id: 'surroundings-land',
        type: 'fill',
        source: SURROUNDINGS_SOURCE,
        paint: { 'fill-color': theme.landAlt, 'fill-antialias': true },
      },
      {
        id: 'land',
        type: 'fill',
        source: DISTRICTS_SOURCE,
        paint: { 'fill-color': theme.land, 'fill-antialias': true },
      },
      {
        id: 'surroundings-lines',
        type: 'line',
        source: SURROUNDINGS_SOURCE,
        paint: {
          'line-color': theme.neighbourLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 12, 1.2],
        },
      },
      {
        id: 'district-lines',
        type: 'line',
        source: DISTRICTS_SOURCE,
        paint: {
          'line-color': theme.districtLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 12, 1.4, 15, 2.2],
          'line-dasharray': [3, 2],
        },
      },
      {
        id: 'city-outline',
        type: 'line',
        source: DISTRICTS_SOURCE,
        paint: {
          'line-color': theme.cityLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 12, 1.6],
          'line-opacity': 0.35,
        },
      },
    ],
  };
}

/** Paint properties that follow the theme, for repainting in place (a new style would drop the data and flash). */
export function themePaint(theme: BaseTheme): [layer: string, prop: string, value: string][] {
  return [
    ['background', 'background-color', theme.outside],
    ['shore-surroundings', 'line-color', theme.shore],
    ['shore-districts', 'line-color', theme.shore],
    ['surroundings-land', 'fill-color', theme.landAlt],
    ['land', 'fill-color', theme.land],
    ['surroundings-lines', 'line-color', theme.neighbourLine],
    ['district-lines', 'line-color', theme.districtLine],
    ['city-outline', 'line-color', theme.cityLine],
  ];
}
