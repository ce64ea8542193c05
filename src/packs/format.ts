/**
 * Data packs: the catalog and every file it names, for some cities, plus the
 * planner's imported files, as one zip a presenter carries into a meeting
 * room with no network. The same pack is built in the browser (saved to
 * Cache Storage, ./store.ts) and on the command line (scripts/pack.ts). No
 * DOM here: it runs under Node in the tests and the CLI.
 *
 * Layout (paths inside the zip, and under `packs/<name>/` of the app once
 * saved in the browser, where the service worker serves them):
 *
 *   pack.json                 the manifest ({@link PackManifest})
 *   data/catalog.json         the catalog, limited to the pack's cities
 *   data/cities/<id>/…        the files the catalog names (same paths as data/)
 *   data/stories/index.json   the stories of those cities, and their files
 *   imports/<n>-<file>        planner imports (CNEMC CSV), imported again on load
 *   tables/<table>.geojson    the planner's own tables (imported files, live
 *                             sources) as finished WGS-84 GeoJSON ({@link PackTable})
 *
 * fflate does the zip: small, maintained, synchronous, and it reports each
 * entry's size before inflating it, so an oversized or hostile zip is
 * refused before it takes memory.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { Catalog, CityDef, DatasetFile, RemoteSource } from '../catalog/types';
import type { KeptTable, TableProvenance } from '../import/savedTables';
import { KIND_RULES, type TargetKind } from '../import/userColumns';
import { validateCatalog } from '../catalog/validate';
import { PACK_NAME } from '../pwa/cacheNames';

export const PACK_FORMAT = 'civic-atlas-pack';
export const PACK_VERSION = 1;
/** A pack larger than this (all files, unzipped) is refused. */
export const MAX_PACK_BYTES = 1024 * 2 ** 20;
export const MAX_PACK_FILES = 2000;

export type O3Columns = 'swapped' | 'as-labelled';

export interface PackImport {
  /** Path in the pack (imports/…). */
  path: string;
  /** The file's name as the planner imported it. */
  name: string;
  o3Columns: O3Columns;
}

/** A planner's table in a pack: loaded as it is, no dialog (import/savedTables.ts). */
export interface PackTable {
  /** tables/<table>.geojson */
  path: string;
  table: string;
  kind: TargetKind;
  file: string;
  rows: number;
  provenance?: TableProvenance;
  /** Used by the life-circle checks instead of the city's facilities. */
  analysis?: boolean;
}

export interface PackManifest {
  format: typeof PACK_FORMAT;
  version: typeof PACK_VERSION;
  /** Letters, digits, . _ - (it names a cache and a URL segment). */
  name: string;
  /** What the presenter called it; plain text, shown escaped. */
  title: string;
  /** ISO time the pack was made. */
  created: string;
  /** Who made it: "browser" or "cli", with the app version. */
  madeBy: string;
  cities: string[];
  /** Every file of the pack except pack.json, with its size. */
  files: { path: string; bytes: number }[];
  /** Planner imports, in the order to import them again. */
  imports: PackImport[];
  /** The planner's own tables (absent in packs made before they existed). */
  tables?: PackTable[];
}

export interface PackMessage {
  zh: string;
  en: string;
}

/** A path inside a pack: relative, forward slashes, no "..", only plain characters. */
export function isPackPath(p: unknown): boolean {
  return (
    typeof p === 'string' &&
    p.length > 0 &&
    p.length <= 240 &&
    !p.startsWith('/') &&
    !p.split('/').some((seg) => seg === '' || seg === '.' || seg === '..') &&
    /^[A-Za-z0-9._\-/]+$/.test(p)
  );
}

/** A pack name made from what the user typed: lower case, safe characters, at most 64. */
export function packNameFrom(title: string): string {
  const s = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 48);
  return s || 'pack';
}

/** The catalog limited to `cities` (in catalog order); the default city is the first kept. */
export function packCatalog(catalog: Catalog, cities: readonly string[]): Catalog {
  const kept = catalog.cities.filter((c) => cities.includes(c.id));
  if (!kept.length) throw new Error(`none of ${cities.join(', ')} is in the catalog`);
  return { ...catalog, defaultCity: kept.some((c) => c.id === catalog.defaultCity) ? catalog.defaultCity : kept[0]!.id, cities: kept };
}

/** Paths (relative to data/) of every file the catalog names: datasets and surroundings. */
export function catalogFiles(catalog: Catalog): string[] {
  const out = new Set<string>();
  for (const c of catalog.cities) {
    if (c.surroundings) out.add(c.surroundings);
    // A remote dataset is not a file of data/: buildPack copies its years in first (localiseRemote).
    for (const ds of Object.values(c.datasets)) if (!ds.remote) out.add(ds.path);
  }
  return [...out];
}

export interface StoryIndex {
  version: number;
  stories: { id: string; city: string; path: string; title: unknown }[];
}

/** The stories index limited to `cities`. */
export function packStories(index: StoryIndex, cities: readonly string[]): StoryIndex {
  return { ...index, stories: index.stories.filter((s) => cities.includes(s.city) && isPackPath(`data/${s.path}`)) };
}

/** The import's path in a pack: its order and a safe version of its name. */
export function importPath(i: number, name: string): string {
  const safe = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-80) || 'file';
  return `imports/${String(i + 1).padStart(3, '0')}-${safe}`;
}

/** Some years of a remote dataset, read for a pack (catalog/remoteDataset.ts `fetchRemoteDataset`). */
export interface RemoteSnapshot {
  bytes: Uint8Array;
  years: number[];
}

/**
 * The catalog with each remote dataset replaced by a local copy of the years
 * `snapshot` reads: a pack must work with no network, and the store's URL
 * would not answer in the meeting room. The provenance says what was copied,
 * from where and when. Without `snapshot` remote entries stay as they are.
 */
async function localiseRemote(catalog: Catalog, files: Map<string, Uint8Array>, snapshot: ((city: CityDef, datasetId: string, file: DatasetFile & { remote: RemoteSource }) => Promise<RemoteSnapshot>) | undefined, now: Date): Promise<Catalog> {
  if (!snapshot) return catalog;
  const cities: CityDef[] = [];
  for (const city of catalog.cities) {
    const datasets: Record<string, DatasetFile> = {};
    for (const [id, file] of Object.entries(city.datasets)) {
      if (!file.remote) {
        datasets[id] = file;
        continue;
      }
      const snap = await snapshot(city, id, { ...file, remote: file.remote });
      if (!snap.years.length) throw new Error(`${city.id}/${id}: no year of the remote store to copy`);
      // Its own name: never one a local entry of the catalog could have.
      const path = `cities/${city.id}/${id}.remote-copy.parquet`;
      if (!isPackPath(`data/${path}`)) throw new Error(`cannot place ${city.id}/${id} in a pack`);
      files.set(`data/${path}`, snap.bytes);
      const { remote, ...rest } = file;
      const y = [Math.min(...snap.years), Math.max(...snap.years)] as [number, number];
      const note = `copied into the pack on ${now.toISOString().slice(0, 10)}: ${snap.years.join(', ')} of ${remote.url}`;
      datasets[id] = { ...rest, path, years: y, provenance: { ...file.provenance, method: file.provenance.method ? `${file.provenance.method}; ${note}` : note } };
    }
    cities.push({ ...city, datasets });
  }
  return { ...catalog, cities };
}

export interface PackContents {
  manifest: PackManifest;
  /** path → bytes, pack.json included. */
  files: Map<string, Uint8Array>;
}

/**
 * Assembles a pack: the catalog limited to `cities`, every file it names
 * (read through `read`, a path relative to data/), their stories, and the
 * imports given. `read` failing for a file fails the whole pack (a pack
 * that misses a file would break in the meeting room, where it cannot be
 * fixed).
 */
export async function buildPack(opts: {
  name: string;
  title: string;
  catalog: Catalog;
  cities: readonly string[];
  read(dataPath: string): Promise<Uint8Array>;
  /** The stories index, or null to leave stories out. */
  stories: StoryIndex | null;
  imports?: { name: string; bytes: Uint8Array; o3Columns: O3Columns }[];
  tables?: Pick<KeptTable, 'table' | 'kind' | 'file' | 'provenance' | 'geojson' | 'analysis'>[];
  /** Reads the years of a remote dataset to copy into the pack; absent: remote datasets stay remote. */
  remote?: (city: CityDef, datasetId: string, file: DatasetFile & { remote: RemoteSource }) => Promise<RemoteSnapshot>;
  madeBy: string;
  now?: Date;
}): Promise<PackContents> {
  if (!PACK_NAME.test(opts.name)) throw new Error(`invalid pack name ${JSON.stringify(opts.name)}`);
  const files = new Map<string, Uint8Array>();
  const catalog = await localiseRemote(packCatalog(opts.catalog, opts.cities), files, opts.remote, opts.now ?? new Date());
  files.set('data/catalog.json', strToU8(JSON.stringify(catalog, null, 1)));
  for (const p of catalogFiles(catalog)) {
    if (!isPackPath(`data/${p}`)) throw new Error(`the catalog names a file a pack cannot hold: ${p}`);
    if (!files.has(`data/${p}`)) files.set(`data/${p}`, await opts.read(p));
  }
  if (opts.stories) {
    const index = packStories(opts.stories, catalog.cities.map((c) => c.id));
    files.set('data/stories/index.json', strToU8(JSON.stringify(index, null, 1)));
    for (const s of index.stories) files.set(`data/${s.path}`, await opts.read(s.path));
  }
  const imports: PackImport[] = (opts.imports ?? []).map((f, i) => {
    const path = importPath(i, f.name);
    files.set(path, f.bytes);
    return { path, name: f.name.slice(0, 200), o3Columns: f.o3Columns };
  });
  const tables: PackTable[] = (opts.tables ?? []).map((t) => {
    if (!USER_TABLE.test(t.table)) throw new Error(`not a planner's table: ${t.table}`);
    const path = `tables/${t.table}.geojson`;
    const bytes = strToU8(t.geojson);
    files.set(path, bytes);
    const rows = (JSON.parse(t.geojson) as { features?: unknown[] }).features?.length ?? 0;
    return { path, table: t.table, kind: t.kind, file: t.file.slice(0, 200), rows, ...(t.provenance ? { provenance: t.provenance } : {}), ...(t.analysis ? { analysis: true } : {}) };
  });
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    name: opts.name,
    title: opts.title.slice(0, 200) || opts.name,
    created: (opts.now ?? new Date()).toISOString(),
    madeBy: opts.madeBy,
    cities: catalog.cities.map((c) => c.id),
    files: [...files].map(([path, b]) => ({ path, bytes: b.length })),
    imports,
    tables,
  };
  files.set('pack.json', strToU8(JSON.stringify(manifest, null, 1)));
  return { manifest, files };
}

/** Parquet and zip-like files gain nothing from deflate; text does. */
const STORED = /\.(parquet|zip|png|jpg|gz)$/i;

export function zipPack(files: Map<string, Uint8Array>): Uint8Array {
  const z: Zippable = {};
  // pack.json first, so a reader can see what the zip is before the rest.
  const order = [...files.keys()].sort((a, b) => (a === 'pack.json' ? -1 : b === 'pack.json' ? 1 : 0));
  for (const p of order) z[p] = [files.get(p)!, { level: STORED.test(p) ? 0 : 6 }];
  return zipSync(z);
}

export class PackError extends Error {
  constructor(readonly messages: PackMessage[]) {
    super(messages.map((m) => m.en).join('; '));
    this.name = 'PackError';
  }
}

const msg = (zh: string, en: string): PackMessage => ({ zh, en });

/** Checks a parsed pack.json; the problems say what is wrong in both languages. */
export function validateManifest(raw: unknown): { manifest: PackManifest | null; problems: PackMessage[] } {
  const problems: PackMessage[] = [];
  const o = raw as Partial<PackManifest> | null;
  if (!o || typeof o !== 'object' || o.format !== PACK_FORMAT) return { manifest: null, problems: [msg('pack.json 不是城市环境图谱的数据包清单', 'pack.json is not a Civic Atlas pack manifest')] };
  if (o.version !== PACK_VERSION) problems.push(msg(`数据包版本 ${String(o.version)} 不受支持（本应用读取版本 ${PACK_VERSION}）`, `pack version ${String(o.version)} is not supported (this app reads version ${PACK_VERSION})`));
  if (typeof o.name !== 'string' || !PACK_NAME.test(o.name)) problems.push(msg('数据包名称无效（只能包含字母、数字、. _ -）', 'the pack name is invalid (letters, digits, . _ - only)'));
  if (!Array.isArray(o.cities) || !o.cities.every((c) => typeof c === 'string')) problems.push(msg('缺少城市列表', 'the list of cities is missing'));
  if (!Array.isArray(o.files) || !o.files.every((f) => f && isPackPath(f.path) && Number.isSafeInteger(f.bytes) && f.bytes >= 0))
    problems.push(msg('文件列表无效（路径必须是包内的相对路径）', 'the file list is invalid (paths must be relative and stay inside the pack)'));
  if (!Array.isArray(o.imports) || !o.imports.every((f) => f && isPackPath(f.path) && f.path.startsWith('imports/') && typeof f.name === 'string' && (f.o3Columns === 'swapped' || f.o3Columns === 'as-labelled')))
    problems.push(msg('导入文件列表无效', 'the list of imported files is invalid'));
  if (o.tables !== undefined && !(Array.isArray(o.tables) && o.tables.every(isPackTable)))
    problems.push(msg('数据包中“你的数据”图层列表无效', "the list of the planner's tables is invalid"));
  if (problems.length) return { manifest: null, problems };
  const m = o as PackManifest;
  const listed = new Set(m.files.map((f) => f.path));
  const unlisted = (m.tables ?? []).filter((t) => !listed.has(t.path));
  if (unlisted.length) return { manifest: null, problems: [msg(`图层文件不在文件列表中：${unlisted[0]!.path}`, `a table's file is not in the file list: ${unlisted[0]!.path}`)] };
  return {
    manifest: { ...m, tables: m.tables ?? [], title: typeof m.title === 'string' && m.title ? m.title.slice(0, 200) : m.name, created: String(m.created ?? ''), madeBy: String(m.madeBy ?? '') },
    problems,
  };
}

const USER_TABLE = /^user__[a-z0-9_]{1,60}$/;
const text = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

function isPackTable(t: unknown): t is PackTable {
  const o = t as PackTable | null;
  if (!o || typeof o !== 'object') return false;
  const p = o.provenance;
  return (
    typeof o.table === 'string' &&
    USER_TABLE.test(o.table) &&
    o.path === `tables/${o.table}.geojson` &&
    Object.hasOwn(KIND_RULES, o.kind) &&
    text(o.file, 200) &&
    Number.isSafeInteger(o.rows) &&
    (o.analysis === undefined || typeof o.analysis === 'boolean') &&
    (p === undefined || (!!p && typeof p === 'object' && text(p.source?.zh, 300) && text(p.source?.en, 300) && text(p.license, 300) && typeof p.modelled === 'boolean' && (p.fetchedAt === undefined || text(p.fetchedAt, 40)) && (p.url === undefined || text(p.url, 2000))))
  );
}

/**
 * Reads a pack zip, refusing before inflating anything: entries outside the
 * manifest or with unsafe paths, more than {@link MAX_PACK_FILES} entries,
 * more than `maxBytes` unzipped. Then checks the manifest against the files
 * and the catalog against the validator, and that every file the catalog
 * names is there. Throws {@link PackError} with every problem found.
 */
export function unzipPack(zip: Uint8Array, maxBytes = MAX_PACK_BYTES): PackContents {
  const problems: PackMessage[] = [];
  let total = 0;
  let entries = 0;
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(zip, {
      filter: (f) => {
        entries++;
        if (f.name.endsWith('/')) return false; // directory entries
        if (!isPackPath(f.name)) {
          problems.push(msg(`跳过了不安全的路径：${f.name.slice(0, 80)}`, `skipped an unsafe path: ${f.name.slice(0, 80)}`));
          return false;
        }
        total += f.originalSize;
        if (entries > MAX_PACK_FILES || total > maxBytes) throw new PackError([tooBig(maxBytes)]);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof PackError) throw e;
    throw new PackError([msg(`不是有效的 zip 文件（${(e as Error).message}）`, `not a valid zip file (${(e as Error).message})`)]);
  }
  const files = new Map(Object.entries(raw));
  const head = files.get('pack.json');
  if (!head) throw new PackError([msg('zip 中没有 pack.json：这不是城市环境图谱的数据包', 'the zip has no pack.json: it is not a Civic Atlas pack'), ...problems]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(head));
  } catch (e) {
    throw new PackError([msg(`pack.json 不是有效的 JSON（${(e as Error).message}）`, `pack.json is not valid JSON (${(e as Error).message})`)]);
  }
  const { manifest, problems: mp } = validateManifest(parsed);
  if (!manifest) throw new PackError([...mp, ...problems]);
  for (const f of manifest.files) {
    const b = files.get(f.path);
    if (!b) problems.push(msg(`缺少文件 ${f.path}`, `missing file ${f.path}`));
    else if (b.length !== f.bytes) problems.push(msg(`文件 ${f.path} 的大小不符（${b.length}，清单中为 ${f.bytes}）`, `file ${f.path} has ${b.length} bytes, the manifest says ${f.bytes}`));
  }
  const catalogBytes = files.get('data/catalog.json');
  if (!catalogBytes) problems.push(msg('缺少 data/catalog.json', 'data/catalog.json is missing'));
  else {
    let cat: unknown = null;
    try {
      cat = JSON.parse(strFromU8(catalogBytes));
    } catch (e) {
      problems.push(msg(`data/catalog.json 不是有效的 JSON（${(e as Error).message}）`, `data/catalog.json is not valid JSON (${(e as Error).message})`));
    }
    if (cat) {
      const v = validateCatalog(cat);
      if (!v.catalog) problems.push(msg('数据包中的目录无效', 'the catalog in the pack is invalid'));
      for (const p of v.problems.slice(0, 5)) problems.push(msg(`目录 ${p.path}：${p.message}`, `catalog ${p.path}: ${p.message}`));
      if (v.catalog) for (const p of catalogFiles(v.catalog)) if (!files.has(`data/${p}`)) problems.push(msg(`目录引用的文件不在包中：${p}`, `the catalog names a file the pack lacks: ${p}`));
    }
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const p of files.keys()) if (p !== 'pack.json' && !listed.has(p)) files.delete(p); // extras are ignored, never served
  if (problems.length) throw new PackError(problems);
  return { manifest, files };
}

function tooBig(maxBytes: number): PackMessage {
  const mb = Math.round(maxBytes / 2 ** 20);
  return msg(
    `数据包解压后超过 ${mb} MB，已拒绝。请减少城市或文件，或把大文件改为 Parquet。`,
    `the pack unzips to more than ${mb} MB and was refused. Use fewer cities or files, or Parquet for large ones.`,
  );
}
