import type { StyleSpecification } from 'maplibre-gl';
import type { BaseTheme } from './theme';

/**
 * The offline base: land from the district polygons over a neutral ground,
 * district outlines and a stronger city outline. No tiles, glyphs, sprites or
 * fonts are requested; district names are drawn by deck.gl's TextLayer with
 * local fonts (see layers/districtLabels.ts), so no glyph server is needed.
 */
export const DISTRICTS_SOURCE = 'districts';

export function offlineStyle(theme: BaseTheme): StyleSpecification {
  return {
    version: 8,
    name: 'civic-atlas-offline',
    sources: {
      [DISTRICTS_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': theme.outside } },
      {
        id: 'land',
        type: 'fill',
        source: DISTRICTS_SOURCE,
        paint: { 'fill-color': theme.land, 'fill-antialias': true },
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
