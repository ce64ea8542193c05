import type { Layer } from '@deck.gl/core';
import type { Catalog, CityDef, LayerDef } from '../catalog/types';
import { layersForCity } from '../catalog/validate';
import type { TableRegistry } from '../catalog/tables';
import type { Engine } from '../engine/types';
import type { BaseTheme } from '../map/theme';
import type { AppState, Lang } from '../state/types';
import { uiScale } from '../ui/uiScale';
import { DRAW_ORDER, LAYER_MODULES } from './registry';
import type { Description, LayerContext, LayerModule, Legend } from './types';

export type LayerPhase = 'off' | 'loading' | 'ready' | 'error';

export interface LayerStatus {
  def: LayerDef;
  phase: LayerPhase;
  visible: boolean;
  error?: string;
  legend: Legend | null;
}

interface Slot {
  def: LayerDef;
  module: LayerModule<unknown> | null;
  /** Key of the newest request; older answers are dropped (latest wins). */
  requestedKey: string | null;
  cityId: string | null;
  data: unknown;
  error?: string;
  pending: boolean;
}

/**
 * Turns store state into deck.gl layers: loads the tables a visible layer
 * needs, runs its query when its data key changes, and re-renders the cheap
 * descriptors on every change. Hidden layers keep their data and are toggled
 * with `visible`, never removed.
 */
export class LayerController {
  private readonly slots = new Map<string, Slot>();
  private extra: Layer[] = [];
  private tool: Layer[] = [];
  private analysis: Layer[] = [];
  private user: Layer[] = [];
  private sqlResult: Layer[] = [];
  /** Tooltips of layers outside the catalog (the planner's tables, the console's result), by deck.gl layer id prefix. */
  private readonly describers = new Map<string, (object: unknown, lang: Lang) => Description | null>();

  constructor(
    private readonly catalog: Catalog,
    private readonly tables: TableRegistry,
    private readonly engine: Promise<Engine>,
    private readonly theme: () => BaseTheme,
    private readonly draw: (layers: Layer[]) => void,
    private readonly onStatus: () => void,
  ) {
    for (const def of catalog.layers) {
      this.slots.set(def.id, {
        def,
        module: (LAYER_MODULES[def.kind] as LayerModule<unknown> | undefined) ?? null,
        requestedKey: null,
        cityId: null,
        data: null,
        pending: false,
        error: LAYER_MODULES[def.kind] ? undefined : `unknown layer kind "${def.kind}"`,
      });
    }
  }

  private state!: AppState;

  city(state: AppState = this.state): CityDef {
    return this.catalog.cities.find((c) => c.id === state.city) ?? this.catalog.cities[0]!;
  }

  context(def: LayerDef, state: AppState = this.state): LayerContext {
    const city = this.city(state);
    const tables: Record<string, string> = {};
    for (const ds of def.datasets) tables[ds] = `${city.id}__${ds}`;
    return { city, def, tables, state, lang: state.lang, theme: this.theme(), scale: uiScale() };
  }

  /** Layers background decorations (district labels) draw above the thematic layers. */
  setExtraLayers(layers: Layer[]): void {
    this.extra = layers;
    this.render();
  }

  /** A tool's layers (a polygon being drawn): above everything else. */
  setToolLayers(layers: Layer[]): void {
    this.tool = layers;
    this.render();
  }

  /** The planner's imported tables (layers/userLayers.ts): over the thematic layers, under analysis results. */
  setUserLayers(layers: Layer[]): void {
    this.user = layers;
    this.render();
  }

  /** Analysis results drawn over the thematic layers (a clicked isochrone). */
  setAnalysisLayers(layers: Layer[]): void {
    this.analysis = layers;
    this.render();
  }

  /** The SQL console's result (layers/sqlResultLayer.ts): over the analysis results, under labels and tools. */
  setSqlResultLayers(layers: Layer[]): void {
    this.sqlResult = layers;
    this.render();
  }

  /** A layer's loaded data for the current city, or null. */
  dataOf(layerId: string): unknown {
    const slot = this.slots.get(layerId);
    return slot && slot.data !== null && slot.cityId === this.city().id ? slot.data : null;
  }

  sync(state: AppState): void {
    this.state = state;
    const city = this.city(state);
    const available = new Set(layersForCity(this.catalog, city.id).map((d) => d.id));
    for (const slot of this.slots.values()) {
      if (!slot.module || !available.has(slot.def.id)) continue;
      const visible = state.layers.includes(slot.def.id);
      const loadedHere = slot.cityId === city.id && slot.data !== null;
      if (!visible && !loadedHere) continue;
      const ctx = this.context(slot.def, state);
      // A remote dataset's years are part of what a layer reads (the clock may move into another year of the store).
      const key = slot.module.dataKey(ctx) + this.tables.remoteKey(ctx.city, slot.def.datasets);
      if (key !== slot.requestedKey) void this.request(slot, ctx, key);
    }
    this.render();
    this.onStatus();
  }

  private async request(slot: Slot, ctx: LayerContext, key: string): Promise<void> {
    slot.requestedKey = key;
    slot.pending = true;
    slot.error = undefined;
    this.onStatus();
    try {
      await Promise.all(ctx.def.datasets.map((ds) => this.tables.ensure(ctx.city, ds)));
      const engine = await this.engine;
      const t0 = performance.now();
      const data = await slot.module!.load(ctx, (q) => engine.query(q.sql, q.params));
      performance.measure(`layer:${slot.def.id}`, { start: t0 });
      if (slot.requestedKey !== key) return;
      slot.data = data;
      slot.cityId = ctx.city.id;
      slot.pending = false;
    } catch (e) {
      if (slot.requestedKey !== key) return;
      slot.pending = false;
      slot.error = (e as Error).message || String(e);
      // Forget the key so that turning the layer off and on retries it.
      slot.requestedKey = null;
      console.error(`[civic-atlas] layer ${slot.def.id}:`, e);
    }
    this.render();
    this.onStatus();
  }

  render(): void {
    if (!this.state) return;
    const city = this.city();
    const ordered = [...this.slots.values()].sort(
      (a, b) => DRAW_ORDER.indexOf(a.def.kind) - DRAW_ORDER.indexOf(b.def.kind),
    );
    const layers: Layer[] = [];
    for (const slot of ordered) {
      if (!slot.module || slot.data === null || slot.cityId !== city.id) continue;
      const ctx = this.context(slot.def);
      layers.push(...slot.module.render(slot.data, ctx, this.state.layers.includes(slot.def.id)));
    }
    this.draw([...layers, ...this.user, ...this.analysis, ...this.sqlResult, ...this.extra, ...this.tool]);
  }

  statuses(): LayerStatus[] {
    if (!this.state) return [];
    const city = this.city();
    return layersForCity(this.catalog, city.id).map((def) => {
      const slot = this.slots.get(def.id)!;
      const visible = this.state.layers.includes(def.id);
      const hasData = slot.data !== null && slot.cityId === city.id;
      const phase: LayerPhase = slot.error ? 'error' : slot.pending ? 'loading' : hasData ? 'ready' : 'off';
      const legend = slot.module ? slot.module.legend(hasData ? slot.data : null, this.context(def)) : null;
      return { def, phase, visible, error: slot.error, legend };
    });
  }

  /** The selected object's description, once its layer's data is loaded. */
  describeSelection(sel: { layer: string; id: string }): Description | null {
    const slot = this.slots.get(sel.layer);
    if (!slot?.module?.findObject || slot.data === null || slot.cityId !== this.city().id) return null;
    const obj = slot.module.findObject(slot.data, sel.id);
    return obj ? slot.module.describe(obj, this.context(slot.def)) : null;
  }

  /** How the objects of the deck.gl layer `prefix` (and its sublayers, `prefix-…`) are described (null: no longer). */
  setDescriber(prefix: string, fn: ((object: unknown, lang: Lang) => Description | null) | null): void {
    if (fn) this.describers.set(prefix, fn);
    else this.describers.delete(prefix);
  }

  /** An object of a layer outside the catalog, described by its owner's describer. */
  describeOther(deckLayerId: string, object: unknown): Description | null {
    for (const [prefix, fn] of this.describers) if (deckLayerId === prefix || deckLayerId.startsWith(`${prefix}-`)) return fn(object, this.state?.lang ?? 'zh');
    return null;
  }

  /** For the inspector and tooltip: the module and context behind a deck.gl layer id. */
  resolve(deckLayerId: string): { module: LayerModule<unknown>; ctx: LayerContext } | null {
    for (const slot of this.slots.values()) {
      if (slot.module && (deckLayerId === slot.def.id || deckLayerId.startsWith(`${slot.def.id}-`))) {
        return { module: slot.module, ctx: this.context(slot.def) };
      }
    }
    return null;
  }
}
