import { NO_PARK_FILTER, type ParkFilter } from '../analysis/parkFilter';
import type { BasemapId } from '../map/basemaps';

export type Mode = 'planner' | 'present' | 'kiosk' | 'embed';
export type Lang = 'zh' | 'en';
/** 'auto': light, except dark in the presenter and kiosk modes. */
export type ThemeName = 'auto' | 'light' | 'dark';
export type AirMetric = 'aqi' | 'pm25' | 'pm10' | 'o3' | 'no2' | 'so2' | 'co';
/**
 * How the clock steps and what time-aware layers show: hourly values, daily
 * AQI (HJ 633-2012), or whole years (restoration completed by that year; the
 * clock then spans every dataset's years).
 */
/** See AppState.airMap. */
export type AirMapView = 'clock' | 'period';
export type TimeStep = 'hour' | 'day' | 'year';
/** Which analysis view the dock shows (null: dock closed). */
export type DockTab = 'station' | 'calendar' | 'monthly' | 'cities' | 'districts' | 'parkfilter' | 'restoration';

export interface ViewState {
  lon: number;
  lat: number;
  zoom: number;
  bearing: number;
  pitch: number;
}

/** A drawn polygon: an open ring of [lon, lat] vertices (5 decimals, about 1 m). */
export type DrawnRing = [number, number][];

export interface Selection {
  layer: string;
  id: string;
}

/** What the user chose. Everything else is derived from it and the catalog. */
export interface AppState {
  city: string;
  /** Visible layer ids, in catalog order. */
  layers: string[];
  /** null: the city's default camera. */
  view: ViewState | null;
  /** The app clock, local China Standard Time, hour precision: "2025-01-15T08". */
  time: string;
  lang: Lang;
  mode: Mode;
  theme: ThemeName;
  /** What the air-quality layer colours stations by: the AQI or one pollutant's IAQI. */
  pollutant: AirMetric;
  step: TimeStep;
  /** A chosen range of days (CST, inclusive) for charts, city comparison and looped playback; null: the data's whole span. */
  period: [string, string] | null;
  /** The air layer's interpolated surface (inverse-distance weighting) is drawn. */
  surface: boolean;
  /**
   * What the air layer's stations show: the value at the clock, or each
   * station's mean over `period` (asked of DuckDB; brushing the station series
   * turns it on). 'period' without a period shows the clock.
   */
  airMap: AirMapView;
  dock: DockTab | null;
  /** Presenter: the story shown (a story id, or 'draft' for the editor's draft); null: the city's own. */
  story: string | null;
  /** Presenter: 1-based slide number. */
  slide: number;
  /**
   * Swipe compare of restoration: the "before" year, shown left of a
   * draggable divider, against the clock's year on the right; null: off.
   */
  compareYear: number | null;
  /** Where the swipe divider stands: 0..1 of the map's width from the left. */
  swipe: number;
  /** Facilities a planner added as a scenario (life-circle completeness recomputed with them); per city. */
  addedFacilities: { type: string; lon: number; lat: number }[];
  /** Facility types shown on the life-circle layer; empty: all. */
  facTypes: string[];
  /** Walking distances (m) of the 5/10/15-minute isochrones and checklist; null: the standard's 300/500/1000. */
  isoDistances: [number, number, number] | null;
  /** A clicked point whose walking isochrones and facility checklist are shown; null: none. */
  iso: [number, number] | null;
  /** Parks a planner drew as a scenario (park coverage with them added); per city, cleared when the city changes. */
  drawnParks: DrawnRing[];
  /** The parks cross-filter (size range brushed, districts picked in the dock); per city. */
  parkFilter: ParkFilter;
  /**
   * The base under the layers: the offline one (default), or an online one
   * the user opted into (see map/basemaps.ts). The map falls back to the
   * offline base when it cannot load; this keeps what was asked for.
   */
  basemap: BasemapId;
  /** A data pack saved in this browser whose catalog and files the app shows instead of the built-in data (packs/store.ts); null: the built-in data. Read once at start. */
  pack: string | null;
  /** Whether the city and layer controls are shown (embeds may hide them). */
  controls: boolean;
  selection: Selection | null;
}

export const MODES: readonly Mode[] = ['planner', 'present', 'kiosk', 'embed'];
export const LANGS: readonly Lang[] = ['zh', 'en'];
export const THEMES: readonly ThemeName[] = ['auto', 'light', 'dark'];
export const TIME_STEPS: readonly TimeStep[] = ['hour', 'day', 'year'];
export const DOCK_TABS: readonly DockTab[] = ['station', 'calendar', 'monthly', 'cities', 'districts', 'parkfilter', 'restoration'];
export const AIR_METRICS: readonly AirMetric[] = ['aqi', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co'];

/**
 * The patch that moves the app to another city: the city's default camera,
 * and nothing that only makes sense in the old city (selection, drawn parks,
 * added facilities, a clicked isochrone point).
 */
export function cityPatch(city: string): Partial<AppState> {
  return { city, view: null, selection: null, drawnParks: [], iso: null, addedFacilities: [], parkFilter: NO_PARK_FILTER };
}
