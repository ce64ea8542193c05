import maplibregl, { type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import type { CityDef } from '../catalog/types';
import type { ViewState } from '../state/types';
import { offlineStyle, DISTRICTS_SOURCE } from './offlineStyle';
import { CJK_FONT_FAMILY, type BaseTheme } from './theme';

export interface MapViewOptions {
  container: HTMLElement;
  theme: BaseTheme;
  city: CityDef;
  view: ViewState | null;
  attribution: string;
  cooperativeGestures?: boolean;
  onViewChange: (v: ViewState) => void;
  onHover: (info: PickingInfo) => void;
  onClick: (info: PickingInfo) => void;
}

export interface MapView {
  map: MlMap;
  overlay: MapboxOverlay;
  setDistricts(fc: FeatureCollection): void;
  setLayers(layers: Layer[]): void;
  showCity(city: CityDef, animate: boolean): void;
  jumpTo(v: ViewState): void;
  currentView(): ViewState;
  setAttribution(text: string): void;
}

/**
 * Room the floating panels take, so a city is framed in the visible part of
 * the map. Planner panels on wide screens; almost none on small embeds.
 */
export function framePadding(el: HTMLElement): { top: number; bottom: number; left: number; right: number } {
  const w = el.clientWidth;
  if (w >= 900) return { top: 96, bottom: 72, left: Math.min(360, w * 0.3), right: 64 };
  return { top: 70, bottom: 60, left: 16, right: 16 };
}

export function createMapView(o: MapViewOptions): MapView {
  const map = new maplibregl.Map({
    container: o.container,
    style: offlineStyle(o.theme),
    bounds: o.view ? undefined : o.city.bounds,
    fitBoundsOptions: { padding: framePadding(o.container), maxZoom: o.city.zoom + 1 },
    center: o.view ? [o.view.lon, o.view.lat] : undefined,
    zoom: o.view?.zoom,
    bearing: o.view?.bearing ?? 0,
    pitch: o.view?.pitch ?? 0,
    maxPitch: 60,
    attributionControl: false,
    localIdeographFontFamily: CJK_FONT_FAMILY,
    cooperativeGestures: o.cooperativeGestures ?? false,
    // Tests and exports read the canvas back; the cost is small at these sizes.
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
  });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
  let attribution = new maplibregl.AttributionControl({ compact: false, customAttribution: o.attribution });
  map.addControl(attribution, 'bottom-right');

  const overlay = new MapboxOverlay({
    interleaved: true,
    layers: [],
    onHover: o.onHover,
    onClick: o.onClick,
    getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
  });
  map.addControl(overlay);

  const currentView = (): ViewState => {
    const c = map.getCenter();
    return { lon: c.lng, lat: c.lat, zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
  };
  map.on('moveend', () => o.onViewChange(currentView()));

  let pendingDistricts: FeatureCollection | null = null;
  const applyDistricts = () => {
    const src = map.getSource(DISTRICTS_SOURCE) as GeoJSONSource | undefined;
    if (src && pendingDistricts) {
      src.setData(pendingDistricts);
      pendingDistricts = null;
    }
  };
  map.on('load', applyDistricts);

  return {
    map,
    overlay,
    setDistricts(fc) {
      pendingDistricts = fc;
      if (map.isStyleLoaded()) applyDistricts();
    },
    setLayers(layers) {
      overlay.setProps({ layers });
    },
    showCity(city, animate) {
      const cam = map.cameraForBounds(city.bounds, { padding: framePadding(o.container), maxZoom: city.zoom + 1 });
      const opts = {
        center: cam?.center ?? ([city.center[0], city.center[1]] as [number, number]),
        zoom: cam?.zoom ?? city.zoom,
        bearing: 0,
        pitch: 0,
      };
      if (animate) map.flyTo({ ...opts, duration: 1800, essential: true });
      else map.jumpTo(opts);
    },
    jumpTo(v) {
      map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom, bearing: v.bearing, pitch: v.pitch });
    },
    currentView,
    setAttribution(text) {
      map.removeControl(attribution);
      attribution = new maplibregl.AttributionControl({ compact: false, customAttribution: text });
      map.addControl(attribution, 'bottom-right');
    },
  };
}
