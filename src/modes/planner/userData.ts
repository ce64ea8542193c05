/**
 * The planner's own imported tables in the running app: the import dialog
 * (ui/fileImportDialog.ts) adds them, the map draws them (layers/userLayers.ts,
 * through the controller's user slot), the layer panel lists them under
 * "Your data", and removing one drops its table and its journal entry.
 */
import type { Engine } from '../../engine/types';
import { KIND_RULES } from '../../import/userColumns';
import type { LayerController } from '../../layers/controller';
import { readUserTable, userLayers, type UserTable } from '../../layers/userLayers';
import type { Lang } from '../../state/types';
import { openFileImportDialog } from '../../ui/fileImportDialog';

export function createUserData(d: { root: HTMLElement; engine: Promise<Engine>; controller: LayerController; lang(): Lang; onChange(): void; onError(message: string): void }) {
  const tables: UserTable[] = [];
  const redraw = () => {
    d.controller.setUserLayers(userLayers(tables));
    d.onChange();
  };
  return {
    /** For the layer panel. */
    list(lang: Lang) {
      return tables.map((u) => ({ table: u.table, file: u.file, kindLabel: KIND_RULES[u.kind].label[lang], rows: u.features.features.length }));
    },
    openImport() {
      openFileImportDialog(d.root, {
        lang: d.lang(),
        engine: d.engine,
        onLoaded: (table, kind, file) => {
          void (async () => {
            try {
              tables.push(await readUserTable(await d.engine, table, kind, file));
              redraw();
            } catch (e) {
              d.onError((e as Error).message);
            }
          })();
        },
      });
    },
    async remove(table: string) {
      const i = tables.findIndex((u) => u.table === table);
      if (i < 0) return;
      tables.splice(i, 1);
      redraw();
      const e = await d.engine;
      e.journal?.forget(`user-table:${table}`);
      await e.dropTable(table).catch(() => undefined);
    },
  };
}
