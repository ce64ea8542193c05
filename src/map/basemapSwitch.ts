import type { Map as MlMap, StyleSpecification } from 'maplibre-gl';
import { BASEMAPS, type BasemapId } from './basemaps';
import { composeStyle, isBasemapSource } from './basemapStyle';
import { BasemapWatch, fetchStyle, WATCH_DEFAULTS, type WatchOptions } from './basemapWatch';
import type { BaseTheme } from './theme';

export interface BasemapRequest {
  id: BasemapId;
  theme: BaseTheme;
  dark: boolean;
  lang: 'zh' | 'en';
  /** Tianditu's key, from this browser's storage. */
  key?: string | null;
}

export interface BasemapFailure {
  requested: BasemapId;
  /** Why, in plain words (English; the UI adds its own sentence around it). */
  detail: string;
  kind: 'needs-key' | 'style' | 'tiles' | 'timeout';
}

/**
 * Puts a basemap on the map and keeps it honest: an online base that cannot
 * be loaded is replaced by the offline base and reported, so the map is
 * never left blank. The latest request wins; an older one still loading is
 * dropped silently.
 */
export function createBasemapSwitch(
  map: MlMap,
  onShown: (shown: BasemapId, failure: BasemapFailure | null) => void,
  opts: WatchOptions = WATCH_DEFAULTS,
) {
  let token = 0;
  let watch: BasemapWatch | null = null;
  let shown: BasemapId = 'offline';
  let last: BasemapRequest | null = null;
  const remoteStyles = new Map<string, StyleSpecification>();

  map.on('error', (e: { sourceId?: string; error?: Error }) => {
    if (isBasemapSource(e.sourceId)) {
      watch?.tileError(shortError(e.error?.message ?? 'tile failed'));
      return;
    }
    // A listener silences MapLibre's own logging: keep it for everything else.
    console.error(e.error ?? e);
  });
  map.on('sourcedata', (e: { sourceId?: string; tile?: unknown }) => {
    if (e.tile && isBasemapSource(e.sourceId)) watch?.tileLoaded();
  });

  const apply = (style: StyleSpecification) => map.setStyle(style, { diff: false });

  function fallBack(req: BasemapRequest, failure: BasemapFailure) {
    watch?.cancel();
    watch = null;
    apply(composeStyle({ def: BASEMAPS.offline, theme: req.theme, dark: req.dark, lang: req.lang }));
    shown = 'offline';
    onShown('offline', failure);
  }

  async function request(req: BasemapRequest): Promise<void> {
    const my = ++token;
    last = req;
    watch?.cancel();
    watch = null;
    const def = BASEMAPS[req.id];
    if (def.key && !req.key) return fallBack(req, { requested: req.id, kind: 'needs-key', detail: 'no key' });
    let remote: StyleSpecification | undefined;
    if (def.kind === 'style') {
      const url = def.styleUrl(req.dark);
      try {
        remote = remoteStyles.get(url) ?? ((await fetchStyle(url, opts.timeoutMs)) as StyleSpecification);
        remoteStyles.set(url, remote);
      } catch (e) {
        if (my === token) fallBack(req, { requested: req.id, kind: 'style', detail: (e as Error).message });
        return;
      }
      if (my !== token) return;
    }
    if (def.kind !== 'offline') {
      watch = new BasemapWatch((o) => {
        if (my !== token || o.ok) return;
        fallBack(req, { requested: req.id, kind: o.reason === 'timeout' ? 'timeout' : 'tiles', detail: o.detail });
      }, opts);
    }
    apply(composeStyle({ def, theme: req.theme, dark: req.dark, lang: req.lang, key: req.key ?? undefined, remote }));
    shown = def.id;
    onShown(def.id, null);
  }

  return {
    request,
    /** The base on screen now (the offline one after a fallback). */
    shown: () => shown,
    /** The last request (to re-ask with a new theme or language). */
    last: () => last,
  };
}

export type BasemapSwitch = ReturnType<typeof createBasemapSwitch>;

/** A tile error as the user reads it: the provider's host, not a URL with a key in it. */
export function shortError(message: string): string {
  return message.replace(/https?:\/\/([^/\s?#]+)[^\s]*/g, '$1').replace(/^AJAXError:\s*/, '').slice(0, 160);
}
