/**
 * The state the app starts in: what the address asked for, checked against
 * the catalog (a city or layer it does not have is dropped with a console
 * warning), and the defaults for the rest.
 */
import { NO_PARK_FILTER } from '../analysis/parkFilter';
import type { Catalog } from '../catalog/types';
import type { AppState, Lang, TimeStep } from './types';

export function initialState(
  fromUrl: Partial<AppState>,
  catalog: Catalog,
  opts: { lang: Lang; pack: string | null; span: (cityId: string, step: TimeStep) => [string, string] | null },
): AppState {
  let city = fromUrl.city ?? catalog.defaultCity;
  if (!catalog.cities.some((c) => c.id === city)) {
    console.warn(`[civic-atlas] unknown city "${city}" in the URL; showing ${catalog.defaultCity}`);
    city = catalog.defaultCity;
  }
  const knownLayers = new Set(catalog.layers.map((l) => l.id));
  const layers = (fromUrl.layers ?? catalog.layers.filter((l) => l.defaultVisible).map((l) => l.id)).filter((id) => {
    if (knownLayers.has(id)) return true;
    console.warn(`[civic-atlas] unknown layer "${id}" in the URL`);
    return false;
  });
  const span = opts.span(city, fromUrl.step ?? 'hour');
  return {
    city,
    layers,
    view: fromUrl.view ?? null,
    // The newest hour of the data: what a visitor most likely came to see.
    time: fromUrl.time ?? span?.[1] ?? '2025-12-31T23',
    lang: opts.lang,
    mode: fromUrl.mode ?? 'planner',
    theme: fromUrl.theme ?? 'auto',
    basemap: fromUrl.basemap ?? 'offline',
    pack: opts.pack,
    pollutant: fromUrl.pollutant ?? 'aqi',
    controls: fromUrl.controls ?? true,
    step: fromUrl.step ?? 'hour',
    period: fromUrl.period ?? null,
    surface: fromUrl.surface ?? false,
    airMap: fromUrl.airMap ?? 'clock',
    dock: fromUrl.dock !== undefined ? fromUrl.dock : null,
    story: fromUrl.story ?? null,
    slide: fromUrl.slide ?? 1,
    selection: fromUrl.selection ?? null,
    drawnParks: fromUrl.drawnParks ?? [],
    parkFilter: fromUrl.parkFilter ?? NO_PARK_FILTER,
    compareYear: fromUrl.compareYear ?? null,
    swipe: fromUrl.swipe ?? 0.5,
    iso: fromUrl.iso ?? null,
    facTypes: fromUrl.facTypes ?? [],
    isoDistances: fromUrl.isoDistances ?? null,
    addedFacilities: fromUrl.addedFacilities ?? [],
  };
}
