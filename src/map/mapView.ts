import maplibregl, { type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import type { CityDef } from '../catalog/types';
import type { ViewState } from '../state/types';
import { offlineStyle, DISTRICTS_SOURCE, SURROUNDINGS_SOURCE, themePaint } from './offlineStyle';
import { CJK_FONT_FAMILY, type BaseTheme } from './theme';
import { BASEMAPS, type BasemapId, type Datum } from './basemaps';
import { createBasemapSwitch, type BasemapFailure, type BasemapRequest } from './basemapSwitch';
import { gcjToWgs, shiftFeatureCollection, wgsToGcj } from './gcj';
import { gcjShiftExtension } from '../layers/gcjShift';
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
  /** The base on screen changed; `failure` says why an online base was replaced by the offline one. */
  onBasemapShown?: (shown: BasemapId, failure: BasemapFailure | null) => void;
}

export interface MapView {
  map: MlMap;
  overlay: MapboxOverlay;
  setDistricts(fc: FeatureCollection): void;
  /** The land around the city (offline base only). */
  setSurroundings(fc: FeatureCollection | null): void;
  setLayers(layers: Layer[]): void;
  /** What is drawn at a screen point now (null: nothing, or deck.gl not set up yet). */
  pickAt(x: number, y: number): PickingInfo | null;
  /** Asks for a basemap; an online one that fails falls back to the offline base (onBasemapShown). */
  setBasemap(req: BasemapRequest): Promise<void>;
  /** The datum of the base on screen: GCJ-02 under Amap, when every overlay is drawn shifted. */
  datum(): Datum;
  /** A screen point as WGS-84 [lon, lat] (shifted back from GCJ-02 under Amap). */
  toData(x: number, y: number): [number, number];
  /** A WGS-84 [lon, lat] as a screen point, where it is drawn on the current base. */
  toScreen(lonLat: [number, number]): { x: number; y: number };
  /** Frames a WGS-84 box [west, south, east, north]. */
  fitBounds(box: [number, number, number, number], options: import('maplibre-gl').FitBoundsOptions): void;
  /** Flies (or jumps) to a WGS-84 camera. */
  flyTo(v: ViewState, durationMs: number): void;
  /**
   * Runs `fn` right after the next map frame is drawn (deck.gl draws inside
   * MapLibre's frame), so DOM changes made there reach the screen in the same
   * frame as the layers; or after `fallbackMs` if no frame comes.
   */
  afterNextFrame(fn: () => void, fallbackMs?: number): void;
  showCity(city: CityDef, animate: boolean): void;
  /**
   * The app moved to another city: panning is kept within the land the
   * offline base has around it (so its clipped edge never passes for a
   * coast), released while the camera flies there.
   */
  setCity(city: CityDef): void;
  jumpTo(v: ViewState): void;
  currentView(): ViewState;
  setAttribution(text: string): void;
  /** The credits the map shows now (the online base's, which may be HTML, then the app's), for exports. */
  credits(): string[];
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

/**
 * How far the camera may pan: the city's bounds and 80 % of their size on
 * each side, inside the land the offline base draws around the city (the
 * data build clips it at 100 %).
 */
export function panBounds(city: CityDef): [[number, number], [number, number]] {
  const [w, s, e, n] = city.bounds;
  const dx = (e - w) * 0.8;
  const dy = (n - s) * 0.8;
  return [[w - dx, s - dy], [e + dx, n + dy]];
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
  let boundsFor = o.city;
  const keepWithin = () => map.setMaxBounds(panBounds(boundsFor));
  keepWithin();
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

  // Under a GCJ-02 base the map's own coordinates are GCJ-02; everything the
  // app stores, queries and exports stays WGS-84, converted at this edge.
  let datum: Datum = 'wgs84';
  const toMap = (p: [number, number]): [number, number] => (datum === 'gcj02' ? wgsToGcj(p) : p);
  const fromMap = (p: [number, number]): [number, number] => (datum === 'gcj02' ? gcjToWgs(p) : p);
  const currentView = (): ViewState => {
    const c = map.getCenter();
    const [lon, lat] = fromMap([c.lng, c.lat]);
    return { lon, lat, zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
  };
  map.on('moveend', () => o.onViewChange(currentView()));
  // Clicks pick through MapLibre's own click event: deck.gl's interleaved
  // onClick was seen to stop firing in a framed page after programmatic
  // camera moves, while picking at the point kept working.
  const pickAt = (x: number, y: number): PickingInfo | null => {
    try {
      return overlay.pickObject({ x, y, radius: 3 });
    } catch {
      return null; // deck.gl is not set up yet (before the first paint): nothing to pick.
    }
  };
  map.on('click', (e) => {
    const info = pickAt(e.point.x, e.point.y);
    o.onClick(info ?? ({ x: e.point.x, y: e.point.y, object: null, layer: null } as unknown as PickingInfo));
  });

  // The base's own GeoJSON: kept here, because a new basemap style starts
  // with empty sources and must be given them again once it has loaded.
  const baseData: Record<string, FeatureCollection | null> = { [DISTRICTS_SOURCE]: null, [SURROUNDINGS_SOURCE]: null };
  const applyData = () => {
    // Not isStyleLoaded(): at 'style.load' the (empty) sources are still loading, yet can take data.
    if (!map.style) return;
    for (const [id, fc] of Object.entries(baseData)) {
      const src = map.getSource(id) as GeoJSONSource | undefined;
      if (src) src.setData(fc ? (datum === 'gcj02' ? shiftFeatureCollection(fc, 'toGcj') : fc) : { type: 'FeatureCollection', features: [] });
    }
  };
  map.on('style.load', applyData);
  map.on('load', applyData);

  let layers: Layer[] = [];
  const drawLayers = () =>
    overlay.setProps({
      layers:
        datum === 'gcj02'
          ? layers.map((l) => l.clone({ extensions: [...(l.props.extensions ?? []), gcjShiftExtension], gcjShift: true } as never))
          : layers,
    });

  let theme = o.theme;
  const basemaps = createBasemapSwitch(map, (shown, failure) => {
    const next = BASEMAPS[shown].datum;
    if (next !== datum) {
      // Keep the same place under the same screen point across the datum change.
      const v = currentView();
      datum = next;
      const [lng, lat] = toMap([v.lon, v.lat]);
      map.jumpTo({ center: [lng, lat] });
      drawLayers();
    }
    const extra = BASEMAPS[shown].attribution;
    attributionExtra = extra;
    setAttributionNow();
    o.onBasemapShown?.(shown, failure);
  });
  let attributionText = o.attribution;
  let attributionExtra = '';
  const setAttributionNow = () => {
    map.removeControl(attribution);
    attribution = new maplibregl.AttributionControl({ compact: compact(), customAttribution: [attributionExtra, attributionText].filter(Boolean) });
    map.addControl(attribution, 'bottom-right');
  };

  return {
    map,
    overlay,
    setDistricts(fc) {
      baseData[DISTRICTS_SOURCE] = fc;
      applyData();
    },
    setSurroundings(fc) {
      baseData[SURROUNDINGS_SOURCE] = fc;
      applyData();
    },
    setLayers(next) {
      layers = next;
      drawLayers();
    },
    pickAt,
    setBasemap: (req) => basemaps.request(req),
    datum: () => datum,
    toData(x, y) {
      const p = map.unproject([x, y]);
      return fromMap([p.lng, p.lat]);
    },
    toScreen(lonLat) {
      return map.project(toMap(lonLat));
    },
    fitBounds([w, s, e, n], options) {
      map.fitBounds([toMap([w, s]), toMap([e, n])], options);
    },
    flyTo(v, durationMs) {
      const camera = { center: toMap([v.lon, v.lat]), zoom: v.zoom, bearing: v.bearing, pitch: v.pitch };
      if (durationMs > 0) map.flyTo({ ...camera, duration: durationMs, essential: true });
      else map.jumpTo(camera);
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
    setCity(city) {
      boundsFor = city;
      map.setMaxBounds(null);
      // After the flight (or the jump) that follows, whichever comes.
      map.once('idle', () => {
        if (boundsFor === city) keepWithin();
      });
    },
    showCity(city, animate) {
      const cam = cityCamera(city, o.container);
      const opts = { ...cam, center: toMap(cam.center), bearing: 0, pitch: 0 };
      if (animate) map.flyTo({ ...opts, duration: 1800, essential: true });
      else map.jumpTo(opts);
    },
    jumpTo(v) {
      map.jumpTo({ center: toMap([v.lon, v.lat]), zoom: v.zoom, bearing: v.bearing, pitch: v.pitch });
    },
    currentView,
    applyTheme(next) {
      theme = next;
      // Repaint in place: a new style would drop the district data and flash.
      const apply = () => {
        for (const [layer, prop, value] of themePaint(theme)) if (map.getLayer(layer)) map.setPaintProperty(layer, prop, value);
      };
      if (map.isStyleLoaded()) apply();
      else map.once('style.load', apply);
    },
    setAttribution(text) {
      attributionText = text;
      setAttributionNow();
    },
    credits: () => [attributionExtra, attributionText].filter(Boolean),
  };
}
