import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { BasemapDef } from './basemaps';
import { offlineStyle, OVERLAY_LAYER_IDS } from './offlineStyle';
import type { BaseTheme } from './theme';

/** Ids of everything a provider's style brings in start with this, so they never collide with ours. */
export const BASEMAP_PREFIX = 'bm:';

export interface ComposeInput {
  def: BasemapDef;
  theme: BaseTheme;
  dark: boolean;
  lang: 'zh' | 'en';
  /** Tianditu's key (raster basemaps that need one). */
  key?: string;
  /** The provider's style document, already fetched (style basemaps). */
  remote?: StyleSpecification;
}

/**
 * The map's whole style: the offline base, or a provider's base under our
 * district outlines. The district source and the outline layers keep their
 * ids whatever the base, so the map's own code (setData, repaint on theme)
 * does not care which base is on. The offline land fill and surroundings
 * are dropped under an online base: the provider draws land and water.
 */
export function composeStyle(input: ComposeInput): StyleSpecification {
  const offline = offlineStyle(input.theme);
  if (input.def.kind === 'offline') return offline;
  const overlays = offline.layers.filter((l) => OVERLAY_LAYER_IDS.includes(l.id));
  const background: LayerSpecification = { id: 'background', type: 'background', paint: { 'background-color': input.theme.outside } };
  const sources: Record<string, SourceSpecification> = { ...offline.sources };
  const base: LayerSpecification[] = [];
  const style: StyleSpecification = { version: 8, name: `civic-atlas-${input.def.id}`, sources, layers: [] };

  const def = input.def;
  if (def.kind === 'raster') {
    const dim = input.dark && def.dimInDark;
    def.tiles(input.key ?? '', input.lang).forEach((tiles, i) => {
      const id = `${BASEMAP_PREFIX}${def.id}-${i}`;
      sources[id] = { type: 'raster', tiles, tileSize: 256, maxzoom: def.maxzoom };
      base.push({
        id,
        type: 'raster',
        source: id,
        paint: dim ? { 'raster-brightness-max': 0.55, 'raster-saturation': -0.4, 'raster-contrast': 0.1 } : {},
      });
    });
  } else if (input.remote) {
    const r = input.remote;
    for (const [id, src] of Object.entries(r.sources ?? {})) {
      // Attribution is ours (basemaps.ts): a provider's HTML never reaches the page.
      const { attribution: _drop, ...rest } = src as SourceSpecification & { attribution?: string };
      sources[`${BASEMAP_PREFIX}${id}`] = rest as SourceSpecification;
    }
    for (const layer of r.layers ?? []) {
      const l = { ...layer, id: `${BASEMAP_PREFIX}${layer.id}` } as LayerSpecification & { source?: string };
      if (typeof l.source === 'string') l.source = `${BASEMAP_PREFIX}${l.source}`;
      base.push(l);
    }
    if (r.glyphs) style.glyphs = r.glyphs;
    if (r.sprite) style.sprite = r.sprite;
  }
  // A provider's style paints its own ground; a raster base gets ours under tiles still loading.
  style.layers = [...(base.some((l) => l.type === 'background') ? [] : [background]), ...base, ...overlays];
  return style;
}

/** Whether a MapLibre source id belongs to the online base (for load/error watching). */
export function isBasemapSource(id: string | undefined): boolean {
  return !!id && id.startsWith(BASEMAP_PREFIX);
}
