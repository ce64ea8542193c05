import type { Catalog } from '../catalog/types';
import type { MapView } from '../map/mapView';
import type { Player } from '../state/player';
import type { Store } from '../state/store';
import { cityPatch } from '../state/types';
import { createEmbedBridge, type EmbedBridge } from './embed/bridge';
import { readAllowedOrigins } from './embed/config';
import { HOST_MESSAGE_TYPES } from './embed/protocol';

/**
 * Connects the postMessage API (modes/embed) to the store, the map and the
 * player when the app runs framed in embed mode. Every command becomes a
 * store change or a camera move, exactly what the URL could have said.
 */
export function startEmbedApi(deps: { catalog: Catalog; store: Store; view: MapView; player: Player }): EmbedBridge | null {
  if (window.parent === window) return null;
  const { catalog, store, view, player } = deps;
  const layerOrder = catalog.layers.map((l) => l.id);
  const bridge = createEmbedBridge({
    window,
    parent: window.parent,
    allowedOrigins: readAllowedOrigins(location.search),
    cities: catalog.cities.map((c) => c.id),
    layers: layerOrder,
    capabilities: [...HOST_MESSAGE_TYPES],
    target: {
      setCity: (city) => store.set(cityPatch(city)),
      setLayers: (ids) => store.set({ layers: layerOrder.filter((id) => ids.includes(id)) }),
      setView: (v, animate) => view.flyTo(v, animate ? 1500 : 0),
      setTime: (time) => store.set({ time }),
      play: (speed) => player.play(speed),
      pause: () => player.pause(),
      setLanguage: (lang) => store.set({ lang }),
    },
  });
  store.subscribe((s, prev) => {
    if (s.view && s.view !== prev.view) bridge.viewChanged(s.view);
  });
  bridge.ready();
  return bridge;
}
