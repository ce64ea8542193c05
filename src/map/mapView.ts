import maplibregl, { type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import type { CityDef } from '../catalog/types';
import type { ViewState } from '../state/types';
import { offlineStyle, DISTRICTS_SOURCE } from './offlineStyle';
import { CJK_FONT_FAMILY, type BaseTheme } from './theme';
import { uiScale } from '../ui/uiScale';

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
  /** The browser dropped the GL context (sleep, GPU reset, too many tabs). */
  onContextLost?: () => void;
  /** The context is back (MapLibre's own layers are restored; deck.gl's are not). */
  onContextRestored?: () => void;
}

export interface MapView {
  map: MlMap;
  overlay: MapboxOverlay;
  setDistricts(fc: FeatureCollection): void;
  setLayers(layers: Layer[]): void;
  /**
   * Runs `fn` right after the next map frame is drawn (deck.gl draws inside
   * MapLibre's frame), so DOM changes made there reach the screen in the same
   * frame as the layers; or after `fallbackMs` if no frame comes.
   */
  afterNextFrame(fn: () => void, fallbackMs?: number): void;
  showCity(city: CityDef, animate: boolean): void;
  jumpTo(v: ViewState): void;
  currentView(): ViewState;
  setAttribution(text: string): void;
  applyTheme(theme: BaseTheme): void;
}

/**
 * Room the floating panels take, so a city is framed in the visible part of
 * the map. Planner panels on wide screens; almost none on small embeds.
 */
export function framePadding(el: HTMLElement): { top: number; bottom: number; left: number; right: number } {
  const w = el.clientWidth;
  const s = uiScale();
  // The open chart dock covers the lower part of the map in the planner view.
  const dock = el.parentElement?.classList.contains('dock-open') && el.parentElement.classList.contains('mode-planner') ? 300 : 0;
  if (w >= 900 && el.clientHeight > 520) return { top: 96 * s, bottom: (72 + dock) * s, left: Math.min(360 * s, w * 0.3), right: 64 * s };
  return { top: 56, bottom: 50, left: 12, right: 12 };
}

/**
 * The catalog's centre and zoom frame a city's urban core on a 1440×900
 * planner screen; scale the zoom to the part of this screen the panels leave
 * free, so an embed or a 4K wall frames the same area.
 */
export function cityCamera(city: CityDef, el: HTMLElement): { center: [number, number]; zoom: number; padding: ReturnType<typeof framePadding> } {
  const padding = framePadding(el);
  const freeW = Math.max(120, el.clientWidth - padding.left - padding.right);
  const freeH = Math.max(120, el.clientHeight - padding.top - padding.bottom);
  const scale = Math.min(freeW / 1016, freeH / 732) / uiScale();
  return { center: [city.center[0], city.center[1]], zoom: Math.max(3, city.zoom + Math.log2(scale)), padding };
}

export function createMapView(o: MapViewOptions): MapView {
  const cam = cityCamera(o.city, o.container);
  const map = new maplibregl.Map({
    container: o.container,
    style: offlineStyle(o.theme),
    center: o.view ? [o.view.lon, o.view.lat] : cam.center,
    zoom: o.view?.zoom ?? cam.zoom,
    bearing: o.view?.bearing ?? 0,
    pitch: o.view?.pitch ?? 0,
    maxPitch: 60,
    attributionControl: false,
    localIdeographFontFamily: CJK_FONT_FAMILY,
    cooperativeGestures: o.cooperativeGestures ?? false,
    // Tests and exports read the canvas back; the cost is small at these sizes.
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  // The centre is always that of the area the panels leave free, so a view
  // saved in the URL and restored later frames the same place.
  map.setPadding(cam.padding);
  map.jumpTo({ center: o.view ? [o.view.lon, o.view.lat] : cam.center });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
  const compact = () => o.container.clientWidth < 760;
  let attribution = new maplibregl.AttributionControl({ compact: compact(), customAttribution: o.attribution });
  map.addControl(attribution, 'bottom-right');

  const overlay = new MapboxOverlay({
    interleaved: true,
    layers: [],
    onHover: o.onHover,
    getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
  });
  // deck.gl sets up its GL state on the map's context when added; doing that
  // after the base map's first paint keeps the first paint as fast as MapLibre's own.
  map.once('load', () => map.addControl(overlay));

  // MapLibre rebuilds its own GL state when a lost context comes back; deck.gl
  // does not (its buffers, programs and luma.gl device belong to the dead
  // context, and re-attaching a fresh overlay to the restored context was
  // seen to leave the whole canvas blank in Chromium). The app is told, and
  // rebuilds from its state (see app.ts).
  map.on('webglcontextlost', () => o.onContextLost?.());
  map.on('webglcontextrestored', () => o.onContextRestored?.());

  const currentView = (): ViewState => {
    const c = map.getCenter();
    return { lon: c.lng, lat: c.lat, zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
  };
  map.on('moveend', () => o.onViewChange(currentView()));
  // Clicks pick through MapLibre's own click event: deck.gl's interleaved
  // onClick was seen to stop firing in a framed page after programmatic
  // camera moves, while picking at the point kept working.
  map.on('click', (e) => {
    let info: PickingInfo | null = null;
    try {
      info = overlay.pickObject({ x: e.point.x, y: e.point.y, radius: 3 });
    } catch {
      // deck.gl is not set up yet (a click before the first paint): nothing to pick.
    }
    o.onClick(info ?? ({ x: e.point.x, y: e.point.y, object: null, layer: null } as unknown as PickingInfo));
  });

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
    afterNextFrame(fn, fallbackMs = 400) {
      let done = false;
      const run = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        map.off('render', run);
        fn();
      };
      const timer = setTimeout(run, fallbackMs);
      map.on('render', run);
      map.triggerRepaint();
    },
    showCity(city, animate) {
      const opts = { ...cityCamera(city, o.container), bearing: 0, pitch: 0 };
      if (animate) map.flyTo({ ...opts, duration: 1800, essential: true });
      else map.jumpTo(opts);
    },
    jumpTo(v) {
      map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom, bearing: v.bearing, pitch: v.pitch });
    },
    currentView,
    applyTheme(theme) {
      // Repaint in place: a new style would drop the district data and flash.
      const paint: [string, string, string][] = [
        ['background', 'background-color', theme.outside],
        ['land', 'fill-color', theme.land],
        ['district-lines', 'line-color', theme.districtLine],
        ['city-outline', 'line-color', theme.cityLine],
      ];
      const apply = () => paint.forEach(([layer, prop, value]) => map.setPaintProperty(layer, prop, value));
      if (map.isStyleLoaded()) apply();
      else map.once('load', apply);
    },
    setAttribution(text) {
      map.removeControl(attribution);
      attribution = new maplibregl.AttributionControl({ compact: compact(), customAttribution: text });
      map.addControl(attribution, 'bottom-right');
    },
  };
}
