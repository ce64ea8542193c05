/**
 * The planner's dialogs that reach beyond one panel: importing the CNEMC
 * archive (which re-points the air layer and charts at the imported rows) and
 * the story editor (which previews slides on the map and presents the draft).
 */
import { hasImportedAir, setImportedAir } from '../air/sources';
import type { Catalog } from '../catalog/types';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import { importAirFiles, importedAirSql } from '../import/airImport';
import { savedImports } from '../import/savedImports';
import type { MapView } from '../map/mapView';
import type { Store } from '../state/store';
import { openAirImportDialog } from '../ui/importDialog';
import { openPackDialog } from '../ui/packDialog';
import { buildPack, type PackManifest, type StoryIndex } from '../packs/format';
import { fetchRemoteDataset, remoteYears, yearsShown } from '../catalog/remoteDataset';
import { fetchData, packRoot } from '../packs/store';
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
  /** Tells the user something (a notice). */
  notify?: (title: string, lines: string[]) => void;
  /** The data pack the app shows (null: the built-in data). */
  pack: PackManifest | null;
  /** The planner's own tables, for a pack (modes/planner/userData.ts). */
  userTables: () => NonNullable<Parameters<typeof buildPack>[0]['tables']>;
}

async function bytesOf(url: string): Promise<Uint8Array> {
  const res = await fetchData(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return new Uint8Array(await res.arrayBuffer());
}

export function plannerTools(d: PlannerToolDeps): { openImport(): void; openStories(): void; openPacks(): void; restoreImports(): Promise<number> } {
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

  /** The imported files to carry: the open pack's, or those kept in this browser. */
  async function importsToKeep(): Promise<{ name: string; bytes: Uint8Array; o3Columns: 'swapped' | 'as-labelled' }[]> {
    if (d.pack) {
      const root = new URL(packRoot(d.pack.name), document.baseURI).href;
      return Promise.all(d.pack.imports.map(async (f) => ({ name: f.name, o3Columns: f.o3Columns, bytes: await bytesOf(root + f.path) })));
    }
    return savedImports.list().catch(() => []);
  }

  return {
    openPacks() {
      openPackDialog(d.root, {
        lang: store.get().lang,
        catalog,
        city: store.get().city,
        current: d.pack,
        userTables: () => d.userTables().length,
        importedFiles: async () => (d.pack ? d.pack.imports.length : (await savedImports.list().catch(() => [])).length),
        build: async (o) => {
          let stories: StoryIndex | null = null;
          try {
            stories = JSON.parse(new TextDecoder().decode(await bytesOf(d.dataUrl('stories/index.json')))) as StoryIndex;
          } catch {
            stories = null; // a pack without stories still presents its layers
          }
          return buildPack({
            ...o,
            catalog,
            stories,
            read: (path) => bytesOf(d.dataUrl(path)),
            imports: o.withImports ? await importsToKeep() : [],
            tables: o.withTables ? d.userTables() : [],
            // A remote store would not answer in the meeting room: the years on screen travel in the pack.
            remote: async (city, _ds, file) => {
              const shown = remoteYears(file, yearsShown(store.get()));
              const years = shown.length ? shown : remoteYears(file);
              return { bytes: await fetchRemoteDataset(city, file, years, (...a) => fetch(...a)), years };
            },
            madeBy: 'browser civic-atlas',
          });
        },
        open: (name) => {
          const q = new URLSearchParams(location.search);
          if (name) q.set('pack', name);
          else q.delete('pack');
          // Another catalog: the city and layers of the link may not exist there (the app then uses the pack's defaults).
          location.search = q.toString();
        },
      });
    },
    openImport() {
      openAirImportDialog(d.root, {
        lang: store.get().lang,
        engine: d.engine,
        cityName: cityDef().name,
        hasImported: hasImportedAir(),
        onImported: (o, imported) => {
          void useImported(o.span);
          // Kept in this browser so a reload does not lose them (restoreImports).
          savedImports.add(imported.files, imported.o3Columns).catch((e: Error) => console.warn(`[civic-atlas] could not keep the imported files: ${e.message}`));
        },
        onClear: () => {
          savedImports.clear().catch((e: Error) => console.warn(`[civic-atlas] could not clear the kept files: ${e.message}`));
          for (const c of catalog.cities) setImportedAir(c.id, null);
          store.set({ time: d.clockSpan(store.get().city)?.[1] ?? store.get().time, period: null });
          d.refreshAir();
        },
      });
    },
    /** Imports again the files kept from before a reload; resolves to how many files came back. */
    async restoreImports() {
      let saved: { name: string; bytes: Uint8Array; o3Columns: 'swapped' | 'as-labelled' }[] = [];
      try {
        saved = await importsToKeep();
      } catch (e) {
        // No IndexedDB here (a sandboxed frame, private mode): nothing was kept. A pack's file missing: say so.
        if (d.pack) d.notify?.(store.get().lang === 'zh' ? '未能载入数据包中的导入文件' : "Could not load the pack's imported files", [(e as Error).message]);
        return 0;
      }
      if (!saved.length) return 0;
      const e = await d.engine;
      let span: [string, string] | null = null;
      let back = 0;
      for (const o3Columns of ['swapped', 'as-labelled'] as const) {
        const files = saved.filter((f) => f.o3Columns === o3Columns);
        if (!files.length) continue;
        const o = await importAirFiles(e, files, { o3Columns });
        back += o.files.filter((f) => f.ok).length;
        // The span is of everything imported so far: the last batch's covers all.
        if (o.span) span = o.span;
      }
      if (back) {
        await useImported(span);
        const zh = store.get().lang === 'zh';
        if (d.pack) d.notify?.(zh ? `已载入数据包中的 ${back} 个导入文件` : `Loaded ${back} imported file${back > 1 ? 's' : ''} from the pack`, []);
        else
          d.notify?.(zh ? `已恢复上次导入的 ${back} 个文件` : `Restored ${back} imported file${back > 1 ? 's' : ''} from before the reload`, [
            zh ? '这些文件保存在本浏览器中（不会上传）；在“导入监测数据”中可移除。' : 'They are kept in this browser (never uploaded); remove them under “Import monitoring files”.',
          ]);
      }
      return back;
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
