/**
 * One IndexedDB object store, opened per call and closed after: the app
 * writes rarely (an import, a removal) and a long-lived connection would
 * block another tab's upgrade. Each store lives in a database of its own
 * (version 1, one store), so adding a store never needs a version bump
 * that older tabs would block.
 */
export interface IdbStore<T> {
  getAll(): Promise<T[]>;
  /** Replaces the whole store in one transaction (all or nothing). */
  replaceAll(items: readonly T[]): Promise<void>;
  put(item: T): Promise<void>;
  delete(key: IDBValidKey): Promise<void>;
  clear(): Promise<void>;
}

export function idbStore<T>(db: string, store: string, keyPath: string): IdbStore<T> {
  const open = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
      const req = indexedDB.open(db, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store, { keyPath });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    });
  async function tx<R>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<R> | void): Promise<R | undefined> {
    const conn = await open();
    try {
      return await new Promise<R | undefined>((resolve, reject) => {
        const t = conn.transaction(store, mode);
        const req = fn(t.objectStore(store));
        t.oncomplete = () => resolve(req ? req.result : undefined);
        t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
        t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
      });
    } finally {
      conn.close();
    }
  }
  return {
    getAll: async () => ((await tx<T[]>('readonly', (s) => s.getAll())) ?? []),
    replaceAll: async (items) => {
      await tx('readwrite', (s) => {
        s.clear();
        for (const i of items) s.put(i);
      });
    },
    put: async (item) => {
      await tx('readwrite', (s) => void s.put(item));
    },
    delete: async (key) => {
      await tx('readwrite', (s) => void s.delete(key));
    },
    clear: async () => {
      await tx('readwrite', (s) => void s.clear());
    },
  };
}
