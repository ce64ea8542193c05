/**
 * The planner's imported files, kept in this browser (IndexedDB) so an
 * accidental reload does not lose them: the files are imported again on
 * start, through the same code path as the dialog. Only files that imported
 * without error are kept; the whole store is capped, oldest first out; the
 * dialog's "remove imported data" clears it.
 */
import { idbStore } from '../pwa/idb';

export interface SavedFile {
  name: string;
  bytes: Uint8Array;
  o3Columns: 'swapped' | 'as-labelled';
  savedAt: number;
}

/** Above this the oldest files are dropped from the store (they stay loaded in the page). */
export const SAVED_IMPORTS_CAP = 256 * 2 ** 20;

const store = idbStore<SavedFile>('civic-atlas', 'imports', 'name');

/** Which files to keep, newest first, within the cap (pure: tested in Node). */
export function withinCap(files: SavedFile[], cap = SAVED_IMPORTS_CAP): SavedFile[] {
  const out: SavedFile[] = [];
  let total = 0;
  for (const f of [...files].sort((a, b) => b.savedAt - a.savedAt)) {
    if (total + f.bytes.length > cap) continue;
    out.push(f);
    total += f.bytes.length;
  }
  return out.sort((a, b) => a.savedAt - b.savedAt);
}

export const savedImports = {
  async list(): Promise<SavedFile[]> {
    return (await store.getAll()).sort((a, b) => a.savedAt - b.savedAt);
  },
  /** Adds (or replaces, by name) files, then trims the store to the cap. */
  async add(files: { name: string; bytes: Uint8Array }[], o3Columns: SavedFile['o3Columns']): Promise<void> {
    const now = Date.now();
    const all = [...(await this.list()).filter((f) => !files.some((n) => n.name === f.name)), ...files.map((f, i) => ({ ...f, o3Columns, savedAt: now + i }))];
    await store.replaceAll(withinCap(all));
  },
  async clear(): Promise<void> {
    await store.clear();
  },
};
