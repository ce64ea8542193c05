/**
 * The interpolated air-quality surface as a deck.gl BitmapLayer, and the
 * stepped level colours it is painted with.
 */
import { BitmapLayer } from '@deck.gl/layers';
import { aqiLevel } from '../standards/aqi';
import type { IdwGrid, Rgba } from '../air/idw';

/** Alpha of the surface: streets and labels of the basemap must stay readable through it. */
export const SURFACE_ALPHA = 150;

const LEVEL_RGBA = new Map<string, Rgba>();

/**
 * HJ 633-2012 level colour of an AQI or IAQI value (IAQI uses the same
 * 0–500 levels), stepped like the station markers rather than a smooth ramp,
 * so a cell and the marker it surrounds never disagree about the level.
 * A module-level function on purpose: colourize builds its colour table once
 * per function identity.
 */
export function aqiSurfaceColour(v: number): Rgba {
  const hex = aqiLevel(Math.max(0, v)).colour;
  let c = LEVEL_RGBA.get(hex);
  if (!c) {
    const h = parseInt(hex.slice(1), 16);
    c = [(h >> 16) & 255, (h >> 8) & 255, h & 255, SURFACE_ALPHA];
    LEVEL_RGBA.set(hex, c);
  }
  return c;
}

/**
 * `rgba` is colourize's output for `grid` (row 0 = north).
 *
 * Image: deck.gl 9.x documents `{ width, height, data }`, but its createTexture
 * reads the size from `data` for that form and creates a texture with a NaN
 * mip count, which samples as opaque black (visgl/deck.gl#10371, fix pending
 * in #10539). A real ImageData goes through the browser-object path and
 * works; it wraps the same buffer (no copy). The plain object is only a
 * fallback where there is no DOM (unit tests), where nothing is drawn.
 *
 * Call once per step with a fresh ImageData: deck.gl compares `image` by
 * identity, so a new wrapper is what makes it upload the new pixels.
 *
 * Projection: the grid's rows are evenly spaced in Web Mercator y (see
 * air/idw.ts) and with rectangular `bounds` deck.gl draws one quad whose
 * texture coordinates are linear in Mercator, so rows land exactly. On a globe
 * view (which tessellates in lon/lat) rows would drift by up to ~1 % of the
 * city's height; the app only uses Web Mercator.
 *
 * Linear filtering smooths the 500 m cells; the grid's `bleed` pairs keep it
 * from fading the edge of the surface towards black.
 */
export function surfaceLayer(
  id: string,
  grid: IdwGrid,
  rgba: Uint8ClampedArray<ArrayBuffer>,
  visible: boolean,
  opacity = 1,
): BitmapLayer {
  const { width, height } = grid;
  if (rgba.length !== width * height * 4) throw new RangeError('surfaceLayer: raster does not match the grid');
  const image = typeof ImageData !== 'undefined' ? new ImageData(rgba, width, height) : { width, height, data: rgba };
  return new BitmapLayer({
    id,
    image,
    bounds: grid.bounds,
    visible,
    opacity,
    pickable: false,
    textureParameters: { minFilter: 'linear', magFilter: 'linear' },
    // A flat sheet under the stations: it must not write depth, or with the
    // map pitched the markers and labels at the same height z-fight with it.
    parameters: { depthWriteEnabled: false, depthCompare: 'always' },
  });
}
