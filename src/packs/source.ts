/**
 * Where the app reads its catalog and files from: the built-in data/ or a
 * pack saved in this browser (`?pack=<name>`). Chosen once at start; a pack
 * that is not here gets a message and the built-in data is shown instead.
 */
import type { PackManifest } from './format';
import { packRoot, savedManifest } from './store';

export interface DataSource {
  /** The open pack, or null for the built-in data. */
  pack: PackManifest | null;
  /** URL of a file named in the catalog (a path relative to data/). */
  urlOf(path: string): string;
  /** Why the pack asked for is not shown, in both languages; null when all is well. */
  problem: { zh: string; en: string } | null;
}

const under = (base: string) => (path: string) => new URL(base + path, document.baseURI).href;

export async function openDataSource(name: string | null): Promise<DataSource> {
  const builtIn = { pack: null, urlOf: under('data/'), problem: null };
  if (!name) return builtIn;
  let manifest: PackManifest | null = null;
  try {
    manifest = await savedManifest(name);
  } catch {
    manifest = null;
  }
  if (!manifest)
    return {
      ...builtIn,
      problem: {
        zh: `本浏览器中没有名为“${name}”的数据包（可能已被删除，或在另一台设备上保存）。现显示内置数据。`,
        en: `This browser has no data pack named “${name}” (it may have been deleted, or saved on another device). Showing the built-in data.`,
      },
    };
  return { pack: manifest, urlOf: under(`${packRoot(manifest.name)}data/`), problem: null };
}
