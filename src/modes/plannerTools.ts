/**
 * The planner's dialogs that reach beyond one panel: importing the CNEMC
 * archive (which re-points the air layer and charts at the imported rows) and
 * the story editor (which previews slides on the map and presents the draft).
 */
import { hasImportedAir, setImportedAir } from '../air/sources';
import type { Catalog } from '../catalog/types';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import { importedAirSql } from '../import/airImport';
import type { MapView } from '../map/mapView';
import type { Store } from '../state/store';
import { openAirImportDialog } from '../ui/importDialog';
import { screenZoomOffset, slidePatch } from './present/director';
import { openStoryEditor } from './present/editor';
import { knownIds, loadStories } from './presentMode';

export interface PlannerToolDeps {
  root: HTMLElement;
  catalog: Catalog;
  store: Store;
  view: MapView;
  engine: Promise<Engine>;
  dataUrl: (path: string) => string;
  /** The clock's span for a city (the imported hours when there are some). */
  clockSpan: (cityId: string) => [string, string] | null;
  /** Re-runs the layers and panels after the air source changed. */
  refreshAir: () => void;
}

export function plannerTools(d: PlannerToolDeps): { openImport(): void; openStories(): void } {
  const { catalog, store } = d;
  const cityDef = () => catalog.cities.find((c) => c.id === store.get().city)!;

  /** Points every city with imported stations at them, and the clock into their span. */
  async function useImported(span: [string, string] | null) {
    const e = await d.engine;
    for (const c of catalog.cities) {
      const sql = await importedAirSql(e, c.name.zh);
      // The archive's background sites carry 对照点 in their names, like the model's.
      setImportedAir(c.id, sql ? { stations: `SELECT *, name LIKE '%对照点%' AS background FROM (${sql.stations})`, hourly: sql.hourly } : null, span);
    }
    const sp = d.clockSpan(store.get().city);
    if (sp && (store.get().time < sp[0] || store.get().time > sp[1])) store.set({ time: sp[1], period: null });
    d.refreshAir();
  }

  return {
    openImport() {
      openAirImportDialog(d.root, {
        lang: store.get().lang,
        engine: d.engine,
        cityName: cityDef().name,
        hasImported: hasImportedAir(),
        onImported: (o) => void useImported(o.span),
        onClear: () => {
          for (const c of catalog.cities) setImportedAir(c.id, null);
          store.set({ time: d.clockSpan(store.get().city)?.[1] ?? store.get().time, period: null });
          d.refreshAir();
        },
      });
    },
    openStories() {
      openStoryEditor(d.root, {
        lang: store.get().lang,
        state: () => store.get(),
        // Slides are framed for 1920×1080 (director.ts): record and preview them that way.
        view: () => {
          const v = store.get().view ?? d.view.currentView();
          return { ...v, zoom: v.zoom - screenZoomOffset() };
        },
        known: knownIds(catalog),
        cityName: (id) => loc(catalog.cities.find((c) => c.id === id)?.name ?? { zh: id, en: id }, store.get().lang),
        shipped: async (cityId) => (await loadStories({ catalog, dataUrl: d.dataUrl, onProblem: () => {} })).find((x) => x.city === cityId) ?? null,
        onShowSlide: (slide) => {
          store.set(slidePatch(slide, catalog.layers.map((l) => l.id)));
          d.view.jumpTo({ ...slide.camera, zoom: slide.camera.zoom + screenZoomOffset() });
        },
        onPresent: () => store.set({ mode: 'present', story: 'draft', slide: 1, dock: null }),
      });
    },
  };
}
