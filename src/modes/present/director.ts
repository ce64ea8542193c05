import type { MapView } from '../../map/mapView';
import type { Player } from '../../state/player';
import type { Store } from '../../state/store';
import type { AppState } from '../../state/types';
import type { Slide } from './story';

/** Length of the camera flight between slides. */
export const FLY_MS = 2500;
/** show() stops waiting for the layers this long after the flight (a layer that never loads must not stall a kiosk). */
export const SETTLE_TIMEOUT_MS = 10_000;

/** What a slide's omitted settings mean: the app's defaults, so a slide looks the same whichever slide came before. */
export const SLIDE_DEFAULTS = { pollutant: 'aqi', step: 'hour', surface: false, period: null, airMap: 'clock' } as const satisfies Partial<AppState>;

export interface DirectorDeps {
  store: Store;
  view: MapView;
  player: Player;
  /** Resolves when every visible layer has drawn and the map is idle (AtlasHandle.settled). */
  settled: () => Promise<void>;
  /** Catalog layer order; the slide's layer ids are stored in it (optional: else the slide's order). */
  layerOrder?: readonly string[];
}

export interface Director {
  /**
   * Puts a slide on screen: store first (one change, so layers switch together
   * in one frame), then the camera, then — once the layers have drawn — time
   * playback if the slide asks for it. Resolves when the slide is settled, or
   * early when a newer show() took over (the latest call always wins).
   */
  show(slide: Slide, opts: { animate: boolean }): Promise<void>;
}

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** The store patch that makes the atlas show a slide. */
export function slidePatch(slide: Slide, layerOrder?: readonly string[]): Partial<AppState> {
  const s = slide.settings ?? {};
  const wanted = new Set(slide.layers);
  const layers = layerOrder ? layerOrder.filter((id) => wanted.has(id)) : [...slide.layers];
  // Ids unknown to the catalog (validateStory reports them) are kept at the end: the controller ignores them.
  if (layerOrder) for (const id of slide.layers) if (!layerOrder.includes(id)) layers.push(id);
  const patch: Partial<AppState> = {
    city: slide.city,
    layers,
    view: { ...slide.camera },
    pollutant: s.pollutant ?? SLIDE_DEFAULTS.pollutant,
    step: s.step ?? SLIDE_DEFAULTS.step,
    surface: s.surface ?? SLIDE_DEFAULTS.surface,
    period: s.period === undefined ? SLIDE_DEFAULTS.period : s.period,
    airMap: s.airMap ?? SLIDE_DEFAULTS.airMap,
    selection: null,
    // A slide shows what it says: no planner's what-if parks.
    drawnParks: [],
    compareYear: s.compare ?? null,
    basemap: s.basemap ?? 'offline',
    swipe: 0.5,
    iso: null,
    facTypes: [],
    isoDistances: null,
    addedFacilities: [],
  };
  if (slide.time) patch.time = slide.time;
  return patch;
}

/** Zoom to add so a camera framed at 1920×1080 frames the same area on this screen. */
export function screenZoomOffset(height = typeof window === 'undefined' ? 1080 : window.innerHeight): number {
  return Math.max(-2, Math.min(2, Math.log2(Math.max(1, height) / 1080)));
}

export function createDirector(deps: DirectorDeps): Director {
  const { store, view, player } = deps;
  let run = 0;
  // One wait at a time: settled() polls until the layers are ready, and a kiosk
  // calls show() every few seconds for days; never stack those waits up.
  let settling: Promise<void> | null = null;
  const settledOnce = (): Promise<void> => {
    settling ??= deps.settled().finally(() => {
      settling = null;
    });
    return settling;
  };

  return {
    async show(slide, opts) {
      const mine = ++run;
      // The previous slide's playback must not move the clock under this one.
      player.pause();
      // Ends a flight in progress (its moveend lands before this slide's view does).
      view.map.stop();
      // Slides are framed for a 1920×1080 screen: a 4K wall or a small window shows the same area.
      const c = { ...slide.camera, zoom: slide.camera.zoom + screenZoomOffset() };
      store.set({ ...slidePatch(slide, deps.layerOrder), view: c });
      const animate = opts.animate && !prefersReducedMotion();
      if (animate) {
        view.flyTo(c, FLY_MS);
      } else view.jumpTo(c);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, (animate ? FLY_MS : 0) + SETTLE_TIMEOUT_MS);
      });
      try {
        await Promise.race([settledOnce().catch(() => {}), timeout]);
      } finally {
        clearTimeout(timer);
      }
      if (mine !== run) return;
      if (slide.play) player.play(slide.play.speed);
    },
  };
}
