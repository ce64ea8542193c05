/**
 * Everything Civic Atlas keeps in this browser besides the app itself, and
 * one way to clear it all: the planner's imported files (IndexedDB), the
 * story editor's draft, the planner's own tables (IndexedDB), saved data packs, the Tianditu key and the memory
 * budget setting. The offline copy of the app (the service worker's build
 * caches) is not user data and is left alone: it is replaced by the next
 * version and dropped with the site's data in the browser's settings.
 */
import { BUDGET_STORAGE } from '../import/memoryBudget';
import { savedImports } from '../import/savedImports';
import { savedTables } from '../import/savedTables';
import { KEY_STORAGE } from '../map/basemaps';
import { DRAFT_KEY } from '../modes/present/storyDraft';
import { dropPack, listPacks } from './packs';

/** localStorage keys the app writes (story draft, Tianditu key, memory budget). */
export const LOCAL_KEYS = [DRAFT_KEY, KEY_STORAGE, BUDGET_STORAGE];

export interface LocalDataSummary {
  imports: number;
  /** The planner's own tables (imported files, live sources). */
  tables: number;
  packs: string[];
  storyDraft: boolean;
  settings: number;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // sandboxed frame, storage blocked
  }
}

/** What is kept now (to say what "clear" will remove). */
export async function localDataSummary(): Promise<LocalDataSummary> {
  const ls = storage();
  const imports = await savedImports.list().then((l) => l.length, () => 0);
  const tables = await savedTables.list().then((l) => l.length, () => 0);
  const packs = await listPacks().catch(() => []);
  return {
    imports,
    tables,
    packs,
    storyDraft: !!ls?.getItem(DRAFT_KEY),
    settings: LOCAL_KEYS.slice(1).filter((k) => ls?.getItem(k) !== null && ls?.getItem(k) !== undefined).length,
  };
}

/** Clears it all; resolves to what there was. Each part is tried even if another fails. */
export async function clearLocalData(): Promise<LocalDataSummary> {
  const before = await localDataSummary();
  const errors: string[] = [];
  await savedImports.clear().catch((e: Error) => errors.push(e.message));
  await savedTables.clear().catch((e: Error) => errors.push(e.message));
  for (const p of before.packs) await dropPack(p).catch((e: Error) => errors.push(e.message));
  const ls = storage();
  for (const k of LOCAL_KEYS) ls?.removeItem(k);
  if (errors.length) throw new Error(errors.join('; '));
  return before;
}
