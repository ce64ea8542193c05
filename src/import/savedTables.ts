/**
 * The planner's own tables (imported files and live sources), kept in this
 * browser so a reload brings them back. What is kept is the finished table
 * (WGS-84 GeoJSON with the mapped columns), not the file: the column
 * mapping and coordinate choices the planner made in the dialog are in it,
 * and restoring needs no dialog. The same record is what a data pack
 * carries (packs/format.ts `tables`).
 */
import { idbStore } from '../pwa/idb';
import type { TargetKind } from './userColumns';

/** Where a table came from, shown with it (the brief's "honest data"). */
export interface TableProvenance {
  source: { zh: string; en: string };
  license: string;
  /** Modelled or illustrative, not measured. */
  modelled: boolean;
  /** ISO time the data was fetched (live sources). */
  fetchedAt?: string;
  url?: string;
}

export interface KeptTable {
  /** The DuckDB table (user__…). */
  table: string;
  kind: TargetKind;
  /** The file it was imported from, or the live source's title. */
  file: string;
  provenance?: TableProvenance;
  /** The table as a GeoJSON FeatureCollection (text). */
  geojson: string;
  /** A facility table the life-circle checks use instead of the city's own facilities. */
  analysis?: boolean;
  savedAt: number;
}

/** Above this the oldest tables are no longer kept (they stay loaded in the page). */
export const SAVED_TABLES_CAP = 256 * 2 ** 20;

const store = idbStore<KeptTable>('civic-atlas-tables', 'tables', 'table');

/** Which tables to keep, newest first, within the cap (pure: tested in Node). */
export function tablesWithinCap(tables: readonly KeptTable[], cap = SAVED_TABLES_CAP): KeptTable[] {
  const out: KeptTable[] = [];
  let total = 0;
  for (const t of [...tables].sort((a, b) => b.savedAt - a.savedAt)) {
    if (total + t.geojson.length > cap) continue;
    out.push(t);
    total += t.geojson.length;
  }
  return out.sort((a, b) => a.savedAt - b.savedAt);
}

export const savedTables = {
  async list(): Promise<KeptTable[]> {
    return (await store.getAll()).sort((a, b) => a.savedAt - b.savedAt);
  },
  /** Keeps a table (replacing one of the same name), then trims the store to the cap. */
  async add(t: Omit<KeptTable, 'savedAt'>): Promise<void> {
    const all = [...(await this.list()).filter((k) => k.table !== t.table), { ...t, savedAt: Date.now() }];
    await store.replaceAll(tablesWithinCap(all));
  },
  remove: (table: string) => store.delete(table),
  clear: () => store.clear(),
};
