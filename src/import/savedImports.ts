/**
 * The planner's imported files, kept in this browser (IndexedDB) so an
 * accidental reload does not lose them: the files are imported again on
 * start, through the same code path as the dialog. Only files that imported
 * without error are kept; the whole store is capped, oldest first out; the
 * dialog's "remove imported data" clears it.
 */
export interface SavedFile {
  name: string;
  bytes: Uint8Array;
  o3Columns: 'swapped' | 'as-labelled';
  savedAt: number;
}

const DB = 'civic-atlas';
const STORE = 'imports';
/** Above this the oldest files are dropped from the store (they stay loaded in the page). */
export const SAVED_IMPORTS_CAP = 256 * 2 ** 20;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'name' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

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
    return ((await tx<SavedFile[]>('readonly', (s) => s.getAll())) ?? []).sort((a, b) => a.savedAt - b.savedAt);
  },
  /** Adds (or replaces, by name) files, then trims the store to the cap. */
  async add(files: { name: string; bytes: Uint8Array }[], o3Columns: SavedFile['o3Columns']): Promise<void> {
    const now = Date.now();
    const all = [...(await this.list()).filter((f) => !files.some((n) => n.name === f.name)), ...files.map((f, i) => ({ ...f, o3Columns, savedAt: now + i }))];
    const keep = withinCap(all);
    await tx('readwrite', (s) => {
      s.clear();
      for (const f of keep) s.put(f);
    });
  },
  async clear(): Promise<void> {
    await tx('readwrite', (s) => s.clear());
  },
};
