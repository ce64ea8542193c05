/**
 * The planner's own tables in the running app: imported files (the dialog,
 * ui/fileImportDialog.ts) and live sources. The map draws them
 * (layers/userLayers.ts, through the controller's user slot), the layer
 * panel lists them under "Your data", and each is kept in this browser
 * (import/savedTables.ts) so a reload brings it back; a data pack carries
 * them too, and opening a pack shows the pack's tables instead of the
 * browser's. Removing one drops its table, its journal entry and the kept
 * copy.
 */
import type { Engine } from '../../engine/types';
import { savedTables, type KeptTable, type TableProvenance } from '../../import/savedTables';
import { KIND_RULES, type TargetKind } from '../../import/userColumns';
import { FACILITY_TYPES } from '../../standards/lifeCircle';
import type { LayerController } from '../../layers/controller';
import { describeUserFeature, readUserTable, userLayerId, userLayers, type UserTable } from '../../layers/userLayers';
import type { DatasetProvenance, ExportedLayer } from '../../export/features';
import type { ProvenanceEntry } from '../../export/compose';
import type { PackManifest } from '../../packs/format';
import { fetchData, packRoot } from '../../packs/store';
import type { Lang } from '../../state/types';
import { openFileImportDialog } from '../../ui/fileImportDialog';
import type { UserTableListing } from '../../ui/layerPanel';

type Origin = 'file' | 'live' | 'pack';
type Shown = UserTable & { origin: Origin; provenance?: TableProvenance; analysis?: boolean };

/** A planner's table's provenance for exports: a live source's own, or "supplied by the user" for a file (its year unknown). */
function userProvenance(u: Shown, lang: Lang): DatasetProvenance {
  const zh = lang === 'zh';
  const p = u.provenance;
  if (p) {
    const year = p.fetchedAt ? Number(p.fetchedAt.slice(0, 4)) : NaN;
    return { dataset: u.table, source: p.source[lang], license: p.license, vintage: Number.isFinite(year) ? year : null, modelled: p.modelled };
  }
  return { dataset: u.table, source: zh ? `使用者导入的文件 ${u.file}` : `file imported by the user, ${u.file}`, license: zh ? '由使用者提供' : 'supplied by the user', vintage: null, modelled: null };
}

const LIFE_CIRCLE_TYPES = new Set(FACILITY_TYPES.map((t) => t.id));
/** Rows whose category is one of the life-circle facility types (what the checks can use). */
const usableFacilities = (u: UserTable) => u.features.features.filter((f) => LIFE_CIRCLE_TYPES.has(String(f.properties?.category))).length;

/** Loads a finished table (kept or from a pack) and records it so a restarted DuckDB worker gets it back. */
async function loadFinished(engine: Engine, table: string, geojson: string): Promise<void> {
  await engine.loadGeoJSON(table, geojson);
  engine.journal?.record(`user-table:${table}`, async (fresh) => {
    await fresh.loadGeoJSON(table, geojson);
  });
}

export function createUserData(d: {
  root: HTMLElement;
  engine: Promise<Engine>;
  controller: LayerController;
  /** The open data pack: its tables are shown instead of those kept in this browser. */
  pack: PackManifest | null;
  lang(): Lang;
  onChange(): void;
  onError(message: string): void;
  /** The facility table the life-circle checks use changed. */
  onAnalysisChange?(): void;
}) {
  const tables: Shown[] = [];
  let described: string[] = [];
  const redraw = () => {
    d.controller.setUserLayers(userLayers(tables));
    for (const id of described) d.controller.setDescriber(id, null);
    described = tables.map((u) => userLayerId(u.table));
    for (const u of tables) d.controller.setDescriber(userLayerId(u.table), (o, lang) => describeUserFeature(u, o, lang));
    d.onChange();
  };
  const show = (u: Shown) => {
    const i = tables.findIndex((t) => t.table === u.table);
    if (i >= 0) tables.splice(i, 1, u);
    else tables.push(u);
    redraw();
  };
  /** Shows a table already in DuckDB, and keeps it in this browser. */
  const adopt = async (table: string, kind: TargetKind, file: string, origin: Origin, provenance?: TableProvenance) => {
    const u = await readUserTable(await d.engine, table, kind, file);
    show({ ...u, origin, provenance });
    // In a pack the kept copy is for later, outside the pack: a reload of the pack shows the pack as it was made.
    await savedTables.add({ table, kind, file, provenance, geojson: JSON.stringify(u.features) }).catch((e: Error) => console.warn(`[civic-atlas] could not keep ${table}: ${e.message}`));
  };

  return {
    /** For the layer panel. */
    list(lang: Lang): UserTableListing[] {
      return tables.map((u) => ({
        table: u.table,
        file: u.file,
        kindLabel: KIND_RULES[u.kind].label[lang],
        rows: u.features.features.length,
        origin: u.origin,
        provenance: u.provenance,
        analysis: u.kind === 'facility' ? { on: !!u.analysis, usable: usableFacilities(u) } : undefined,
      }));
    },
    /** The tables as the export writes them: every feature, with where it came from. */
    forExport(lang: Lang): ExportedLayer[] {
      return tables.map((u) => ({
        id: userLayerId(u.table),
        name: `${lang === 'zh' ? '你的数据' : 'Your data'}: ${u.file}`,
        filter: lang === 'zh' ? '全部要素' : 'all features',
        provenance: [userProvenance(u, lang)],
        features: u.features.features.map((f) => ({ ...f, properties: { ...(f.properties ?? {}) } })),
      }));
    },
    /** For the exported image's provenance line. */
    imageProvenance(lang: Lang): ProvenanceEntry[] {
      return tables.map((u) => {
        const { dataset: _d, method: _m, ...p } = userProvenance(u, lang);
        return { layer: `${lang === 'zh' ? '你的数据' : 'Your data'}: ${u.file}`, ...p };
      });
    },
    /** The tables to put in a data pack, as kept. */
    forPack(): Pick<KeptTable, 'table' | 'kind' | 'file' | 'provenance' | 'geojson' | 'analysis'>[] {
      return tables.map((u) => ({ table: u.table, kind: u.kind, file: u.file, provenance: u.provenance, geojson: JSON.stringify(u.features), analysis: u.analysis }));
    },
    /** The facility table the life-circle checks use instead of the city's, or null. */
    analysisFacilities(): { table: string; file: string } | null {
      const u = tables.find((t) => t.analysis && t.kind === 'facility');
      return u ? { table: u.table, file: u.file } : null;
    },
    /** Uses a facility table for the life-circle checks (one at a time), or stops using it; kept with the table. */
    setAnalysis(table: string, on: boolean) {
      for (const u of tables) {
        const next = on ? u.table === table : u.table === table ? false : !!u.analysis;
        if (next === !!u.analysis) continue;
        u.analysis = next;
        if (u.origin !== 'pack')
          void savedTables.add({ table: u.table, kind: u.kind, file: u.file, provenance: u.provenance, geojson: JSON.stringify(u.features), analysis: next }).catch(() => undefined);
      }
      redraw();
      d.onAnalysisChange?.();
    },
    count: () => tables.length,
    /**
     * The map's credits for what is drawn of the planner's: each live
     * source's licence once (ODbL asks for the credit on the map), and that
     * the planner's own files are theirs.
     */
    credits(lang: Lang): string {
      const licences = [...new Set(tables.filter((u) => u.provenance).map((u) => u.provenance!.license.split(';')[0]!.trim()))];
      const files = tables.some((u) => !u.provenance) ? [lang === 'zh' ? '你的文件' : 'your files'] : [];
      return [...licences, ...files].join(' · ');
    },
    openImport() {
      openFileImportDialog(d.root, {
        lang: d.lang(),
        engine: d.engine,
        onLoaded: (table, kind, file) => void adopt(table, kind, file, 'file').catch((e: Error) => d.onError(e.message)),
      });
    },
    /** Tables taken by this session: to pick a free name. */
    names: () => tables.map((t) => t.table),
    /** A finished table from a live source: loaded, shown, kept. */
    async addLive(k: Omit<KeptTable, 'savedAt'>): Promise<void> {
      await loadFinished(await d.engine, k.table, k.geojson);
      show({ table: k.table, kind: k.kind, file: k.file, features: JSON.parse(k.geojson), origin: 'live', provenance: k.provenance });
      await savedTables.add(k).catch((e: Error) => console.warn(`[civic-atlas] could not keep ${k.table}: ${e.message}`));
    },
    /**
     * Brings back the open pack's tables, or those kept in this browser.
     * Resolves to how many came back; one that fails is reported and the
     * others still load.
     */
    async restore(): Promise<number> {
      const engine = await d.engine;
      const failed: string[] = [];
      const load = async (k: Omit<KeptTable, 'savedAt'>, origin: Origin) => {
        try {
          await loadFinished(engine, k.table, k.geojson);
          show({ table: k.table, kind: k.kind, file: k.file, features: JSON.parse(k.geojson), origin, provenance: k.provenance, analysis: k.analysis });
        } catch (e) {
          failed.push(`${k.file}: ${(e as Error).message}`);
        }
      };
      if (d.pack) {
        const root = new URL(packRoot(d.pack.name), document.baseURI).href;
        for (const t of d.pack.tables ?? []) {
          const res = await fetchData(root + t.path).catch(() => null);
          if (!res?.ok) failed.push(`${t.file}: ${t.path} ${res ? res.status : ''}`.trim());
          else await load({ ...t, geojson: await res.text() }, 'pack');
        }
      } else {
        const kept = await savedTables.list().catch(() => [] as KeptTable[]); // no IndexedDB here: nothing was kept
        for (const k of kept) await load(k, k.provenance ? 'live' : 'file');
      }
      if (failed.length) d.onError(failed.slice(0, 3).join('; '));
      if (tables.some((t) => t.analysis)) d.onAnalysisChange?.();
      return tables.length;
    },
    async remove(table: string) {
      const i = tables.findIndex((u) => u.table === table);
      if (i < 0) return;
      const [gone] = tables.splice(i, 1);
      redraw();
      if (gone!.analysis) d.onAnalysisChange?.();
      await savedTables.remove(table).catch(() => undefined);
      const e = await d.engine;
      e.journal?.forget(`user-table:${table}`);
      await e.dropTable(table).catch(() => undefined);
    },
  };
}
