import { PARTITION_KEYS } from './types';
import type { Catalog, CityDef, Crs, DatasetFile, FieldDef, LayerDef, Localized, PartitionKey, Provenance, RemoteSource } from './types';

/**
 * Validates `data/catalog.json` entry by entry. A malformed city, dataset or
 * layer is dropped and reported; the rest of the catalog stays usable, so one
 * bad edit never takes the whole dashboard down.
 */

export interface CatalogProblem {
  /** JSON path of the offending entry, e.g. "cities[2].datasets.parks". */
  path: string;
  message: string;
}

export interface ValidatedCatalog {
  catalog: Catalog | null;
  problems: CatalogProblem[];
}

const CRS: readonly Crs[] = ['WGS84', 'GCJ02', 'BD09'];
const FORMATS = ['geojson', 'parquet'] as const;
const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'timestamp', 'geometry'];
const ID = /^[a-z0-9][a-z0-9_-]*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A path relative to data/ that cannot leave it (no "..", no scheme, not absolute). */
const isDataPath = (p: unknown): p is string => isStr(p) && !p.includes('..') && !/^[a-z]+:/i.test(p) && !p.startsWith('/');
/** Problems about remote data reach people who may read either language. */
const bi = (en: string, zh: string) => `${en} · ${zh}`;

class Checker {
  constructor(readonly problems: CatalogProblem[]) {}
  fail(path: string, message: string): false {
    this.problems.push({ path, message });
    return false;
  }
  localized(v: unknown, path: string): v is Localized {
    if (isObj(v) && isStr(v.zh) && isStr(v.en)) return true;
    return this.fail(path, 'must be an object with non-empty "zh" and "en" strings');
  }
}

export function validateCatalog(raw: unknown): ValidatedCatalog {
  const problems: CatalogProblem[] = [];
  const c = new Checker(problems);
  if (!isObj(raw)) {
    c.fail('', 'the catalog is not a JSON object');
    return { catalog: null, problems };
  }
  if (raw.version !== 1) c.fail('version', `unsupported catalog version ${JSON.stringify(raw.version)} (expected 1)`);
  const title = c.localized(raw.title, 'title') ? raw.title : { zh: '城市环境图谱', en: 'Civic Atlas' };

  const layers: LayerDef[] = [];
  const layerList = Array.isArray(raw.layers) ? raw.layers : (c.fail('layers', 'must be an array'), []);
  layerList.forEach((l, i) => {
    const layer = checkLayer(c, l, `layers[${i}]`);
    if (!layer) return;
    if (layers.some((x) => x.id === layer.id)) c.fail(`layers[${i}].id`, `duplicate layer id "${layer.id}"`);
    else layers.push(layer);
  });

  const cities: CityDef[] = [];
  const cityList = Array.isArray(raw.cities) ? raw.cities : (c.fail('cities', 'must be an array'), []);
  cityList.forEach((x, i) => {
    const city = checkCity(c, x, `cities[${i}]`);
    if (!city) return;
    if (cities.some((y) => y.id === city.id)) c.fail(`cities[${i}].id`, `duplicate city id "${city.id}"`);
    else cities.push(city);
  });

  if (cities.length === 0) {
    c.fail('cities', 'no usable city in the catalog');
    return { catalog: null, problems };
  }
  let defaultCity = raw.defaultCity;
  if (!isStr(defaultCity) || !cities.some((x) => x.id === defaultCity)) {
    c.fail('defaultCity', `"${String(defaultCity)}" is not a usable city; using "${cities[0]!.id}"`);
    defaultCity = cities[0]!.id;
  }
  return {
    catalog: { version: 1, title: title as Localized, defaultCity: defaultCity as string, cities, layers },
    problems,
  };
}

function checkCity(c: Checker, v: unknown, path: string): CityDef | null {
  if (!isObj(v)) return (c.fail(path, 'must be an object'), null);
  if (!isStr(v.id) || !ID.test(v.id)) return (c.fail(`${path}.id`, 'must be a lower-case id like "shenzhen"'), null);
  if (!c.localized(v.name, `${path}.name`)) return null;
  const b = (Array.isArray(v.bounds) && v.bounds.length === 4 && v.bounds.every(isNum) ? v.bounds : null) as number[] | null;
  if (!b || b[0]! >= b[2]! || b[1]! >= b[3]! || Math.abs(b[0]!) > 180 || Math.abs(b[1]!) > 90) {
    return (c.fail(`${path}.bounds`, 'must be [west, south, east, north] in degrees'), null);
  }
  const ctr = v.center;
  if (!Array.isArray(ctr) || ctr.length !== 2 || !ctr.every(isNum)) return (c.fail(`${path}.center`, 'must be [lon, lat]'), null);
  if (!isNum(v.zoom) || v.zoom < 0 || v.zoom > 22) return (c.fail(`${path}.zoom`, 'must be a number 0–22'), null);
  if (!isObj(v.datasets)) return (c.fail(`${path}.datasets`, 'must be an object of dataset id → file'), null);
  const datasets: Record<string, DatasetFile> = {};
  for (const [id, d] of Object.entries(v.datasets)) {
    const file = checkDataset(c, d, `${path}.datasets.${id}`);
    if (file) datasets[id] = file;
  }
  if (datasets.districts?.remote) {
    c.fail(`${path}.datasets.districts.remote`, bi('districts must be a local file: the base map draws them before the data engine starts', '行政区必须是本地文件：底图在数据引擎启动之前就要绘制它'));
    delete datasets.districts;
  }
  if (!datasets.districts) return (c.fail(`${path}.datasets.districts`, 'every city needs a usable "districts" dataset'), null);
  // Optional base-map context: a bad path drops only the surroundings, never the city.
  let surroundings: string | undefined;
  if (isDataPath(v.surroundings)) surroundings = v.surroundings;
  else if (v.surroundings !== undefined) c.fail(`${path}.surroundings`, 'must be a relative path inside data/');
  return {
    id: v.id,
    name: v.name as Localized,
    bounds: b as CityDef['bounds'],
    center: ctr as CityDef['center'],
    zoom: v.zoom,
    ...(surroundings !== undefined ? { surroundings } : {}),
    datasets,
  };
}

function checkDataset(c: Checker, v: unknown, path: string): DatasetFile | null {
  if (!isObj(v)) return (c.fail(path, 'must be an object'), null);
  let remote: RemoteSource | null = null;
  if (v.remote !== undefined) {
    if (v.path !== undefined) return (c.fail(`${path}.path`, bi('give either "path" or "remote", not both', '"path" 与 "remote" 只能给出其一')), null);
    remote = checkRemote(c, v.remote, `${path}.remote`);
    if (!remote) return null;
    if (v.format !== 'parquet') return (c.fail(`${path}.format`, bi('a remote dataset must be "parquet"', '远程数据集必须是 "parquet" 格式')), null);
  } else if (!isDataPath(v.path)) {
    return (c.fail(`${path}.path`, 'must be a relative path inside data/'), null);
  }
  if (!FORMATS.includes(v.format as (typeof FORMATS)[number])) return (c.fail(`${path}.format`, 'must be "geojson" or "parquet"'), null);
  if (!CRS.includes(v.crs as Crs)) return (c.fail(`${path}.crs`, 'must be "WGS84", "GCJ02" or "BD09"'), null);
  const prov = checkProvenance(c, v.provenance, `${path}.provenance`);
  if (!prov) return null;
  let years: [number, number] | undefined;
  if (v.years !== undefined) {
    const y = v.years;
    if (Array.isArray(y) && y.length === 2 && y.every((n) => Number.isInteger(n) && n >= 1900 && n <= 2100) && y[0] <= y[1]) years = [y[0], y[1]];
    else c.fail(`${path}.years`, 'must be [first year, last year], whole years from 1900 to 2100');
  }
  return {
    path: remote ? remote.url : (v.path as string),
    ...(remote ? { remote } : {}),
    format: v.format as DatasetFile['format'],
    crs: v.crs as Crs,
    bytes: isNum(v.bytes) ? v.bytes : undefined,
    rows: isNum(v.rows) ? v.rows : undefined,
    ...(years ? { years } : {}),
    provenance: prov,
  };
}

/** An absolute http(s) URL without credentials (they would end up in every message and log), or null. */
function httpUrl(v: unknown): URL | null {
  if (!isStr(v)) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return null;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password ? u : null;
}

/** `remote`: a URL of one Parquet file, or `{ url, partitioning: "hive", keys, file }`. */
function checkRemote(c: Checker, v: unknown, path: string): RemoteSource | null {
  const o = typeof v === 'string' ? { url: v } : v;
  if (!isObj(o)) {
    return (c.fail(path, bi('must be an http(s) URL or an object { url, partitioning, keys, file }', '必须是 http(s) 网址，或 { url, partitioning, keys, file } 对象')), null);
  }
  const u = httpUrl(o.url);
  if (!u) {
    return (c.fail(`${path}.url`, bi('must be an absolute http:// or https:// URL without a user name or password', '必须是完整的 http:// 或 https:// 网址，且不含用户名和密码')), null);
  }
  if (o.timeColumn !== undefined && !isStr(o.timeColumn)) return (c.fail(`${path}.timeColumn`, bi('must be a column name', '必须是列名')), null);
  const time = isStr(o.timeColumn) ? { timeColumn: o.timeColumn } : {};
  if (o.partitioning === undefined) {
    if (o.keys !== undefined || o.file !== undefined) {
      return (c.fail(`${path}.partitioning`, bi('"keys" and "file" need "partitioning": "hive"', '"keys" 和 "file" 需要 "partitioning": "hive"')), null);
    }
    return { url: o.url as string, ...time };
  }
  if (o.partitioning !== 'hive') return (c.fail(`${path}.partitioning`, bi('must be "hive" (or left out for one file)', '只能是 "hive"（单个文件则省略）')), null);
  if (u.search || u.hash) return (c.fail(`${path}.url`, bi('a partitioned store\'s URL cannot carry a query or fragment', '分区存储的网址不能带查询参数或片段')), null);
  const keys = o.keys;
  const known = PARTITION_KEYS.map((k) => `"${k}"`).join(', ');
  if (!Array.isArray(keys) || keys.length === 0) {
    return (c.fail(`${path}.keys`, bi(`must list the partition keys in path order, from ${known}`, `必须按路径顺序列出分区键（可用 ${known}）`)), null);
  }
  const unknown = keys.filter((k) => !PARTITION_KEYS.includes(k as PartitionKey));
  if (unknown.length) {
    return (c.fail(`${path}.keys`, bi(`unknown partition key ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known: ${known}`, `未知的分区键 ${unknown.map((k) => JSON.stringify(k)).join('、')}；可用 ${known}`)), null);
  }
  if (new Set(keys).size !== keys.length) return (c.fail(`${path}.keys`, bi('lists a key twice', '分区键重复')), null);
  const file = o.file ?? 'part.parquet';
  if (!isStr(file) || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(file)) {
    return (c.fail(`${path}.file`, bi('must be a plain file name such as "part.parquet"', '必须是简单的文件名，如 "part.parquet"')), null);
  }
  const url = (o.url as string).endsWith('/') ? (o.url as string) : `${o.url as string}/`;
  return { url, partitioning: 'hive', keys: keys as PartitionKey[], file, ...time };
}

function checkProvenance(c: Checker, v: unknown, path: string): Provenance | null {
  if (!isObj(v)) return (c.fail(path, 'every file must declare its provenance'), null);
  if (!isStr(v.source)) return (c.fail(`${path}.source`, 'is required'), null);
  if (!isStr(v.license)) return (c.fail(`${path}.license`, 'is required'), null);
  if (!isNum(v.vintage) || v.vintage < 1900 || v.vintage > 2100) return (c.fail(`${path}.vintage`, 'must be a year'), null);
  if (typeof v.modelled !== 'boolean') return (c.fail(`${path}.modelled`, 'must be true or false'), null);
  if (v.modelled && !isStr(v.method)) return (c.fail(`${path}.method`, 'modelled data must say how it was modelled'), null);
  const strings = (x: unknown) => (Array.isArray(x) ? x.filter(isStr) : undefined);
  return {
    source: v.source,
    license: v.license,
    vintage: v.vintage,
    modelled: v.modelled,
    method: isStr(v.method) ? v.method : undefined,
    citations: strings(v.citations),
    caveats: strings(v.caveats),
  };
}

function checkLayer(c: Checker, v: unknown, path: string): LayerDef | null {
  if (!isObj(v)) return (c.fail(path, 'must be an object'), null);
  if (!isStr(v.id) || !ID.test(v.id)) return (c.fail(`${path}.id`, 'must be a lower-case id'), null);
  if (!isStr(v.kind)) return (c.fail(`${path}.kind`, 'is required'), null);
  if (!c.localized(v.name, `${path}.name`) || !c.localized(v.description, `${path}.description`)) return null;
  if (!Array.isArray(v.datasets) || !v.datasets.every(isStr) || v.datasets.length === 0) {
    return (c.fail(`${path}.datasets`, 'must list at least one dataset id'), null);
  }
  const fields: Record<string, FieldDef[]> = {};
  if (isObj(v.fields)) {
    for (const [ds, list] of Object.entries(v.fields)) {
      if (!Array.isArray(list)) continue;
      fields[ds] = list.filter(
        (f): f is FieldDef => isObj(f) && isStr(f.name) && FIELD_TYPES.includes(f.type as string),
      );
    }
  }
  return {
    id: v.id,
    kind: v.kind,
    name: v.name as Localized,
    description: v.description as Localized,
    datasets: v.datasets as string[],
    fields,
    defaultVisible: v.defaultVisible !== false,
  };
}

/** Layers a city can show: every dataset the layer reads must be in that city. */
export function layersForCity(catalog: Catalog, cityId: string): LayerDef[] {
  const city = catalog.cities.find((x) => x.id === cityId);
  if (!city) return [];
  return catalog.layers.filter((l) => l.datasets.every((d) => d in city.datasets));
}
