/**
 * GeoParquet (https://geoparquet.org): the `geo` key of a Parquet file's
 * metadata names the WKB geometry column and its coordinate system. It is read
 * here, with hyparquet, before the engine sees the file, because the engine's
 * Parquet decoder would decode that column itself and drop the whole file at
 * one truncated value, or at a `geo` that is not JSON. So the geometry comes
 * out of the file here as plain bytes, and the engine gets a copy with the
 * `geo` key renamed; ./wkbStaging.ts then puts the bytes into the staged table.
 * Without usable metadata, a binary column whose values read as WKB is used.
 *
 *   const geo = await readParquetGeo(bytes, { lon: LON, lat: LAT, geometry: WKT_NAME });
 *   await engine.loadParquet(stage, geo.bytes);  // geo.wkb: the column and its values
 */
import { parquetMetadata, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaElement } from 'hyparquet';
import type { ImportProblem } from './userImport';
import { wkbToGeometry } from './wkb';

/** Patterns for column names, the caller's: a file with longitude and latitude columns is not searched for WKB, and geometry-like names are tried first. */
export interface ColumnNames {
  lon: RegExp;
  lat: RegExp;
  geometry: RegExp;
}

export interface ParquetGeo {
  /** The file for the engine: with the `geo` key renamed when there is one (see the module comment). */
  bytes: Uint8Array;
  /** The WKB column and its values, row by row, read from the file. */
  wkb: { column: string; values: (Uint8Array | null)[] } | null;
  /** The coordinate system the metadata declares for it, or null without usable metadata. */
  crs: CrsVerdict | null;
  problems: ImportProblem[];
}

function asyncBuffer(bytes: Uint8Array): AsyncBuffer {
  return { byteLength: bytes.byteLength, slice: (start, end) => bytes.slice(start, end).buffer };
}

const geoProblem = (zh: string, en: string): ImportProblem => ({ level: 'warning', code: 'geo-metadata', zh, en });
/** Quoted and cut short: the text comes from the file. */
const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * The GeoParquet facts of a Parquet file: its `geo` metadata, the WKB column
 * (the metadata's primary column, or else a binary column whose values read
 * as WKB, when the file has no lon/lat columns), and that column's values.
 * A file whose footer cannot be read is left to the engine, which says why.
 */
export async function readParquetGeo(bytes: Uint8Array, names: ColumnNames): Promise<ParquetGeo> {
  const out: ParquetGeo = { bytes, wkb: null, crs: null, problems: [] };
  let meta: FileMetaData;
  try {
    meta = parquetMetadata(bytes, { geoparquet: false });
  } catch {
    return out;
  }
  const leaves = parquetSchema(meta).children.filter((c) => c.children.length === 0).map((c) => c.element);
  const raw = meta.key_value_metadata?.find((kv) => kv.key === 'geo')?.value;
  let column: string | null = null;
  if (raw !== undefined) {
    const declared = readGeoMetadata(raw, leaves);
    if ('problem' in declared) out.problems.push(declared.problem);
    else ({ column, crs: out.crs } = declared);
    out.bytes = renameGeoKey(bytes) ?? bytes;
  }
  const file = asyncBuffer(bytes);
  const rows = Number(meta.num_rows);
  if (!Number.isSafeInteger(rows) || rows <= 0) return out;
  const leafNames = leaves.map((e) => e.name.trim());
  if (!column && !(leafNames.some((n) => names.lon.test(n)) && leafNames.some((n) => names.lat.test(n)))) column = await sniffWkbColumn(file, meta, leaves, names.geometry);
  if (!column) return out;
  try {
    out.wkb = { column, values: await readBinaryColumn(file, meta, column, rows) };
  } catch {
    // A column hyparquet cannot read: the engine's load of the same file says what is wrong with it.
  }
  return out;
}

/** The primary WKB column and coordinate system of a `geo` value, or why it cannot be used. */
function readGeoMetadata(raw: string, leaves: SchemaElement[]): { column: string; crs: CrsVerdict } | { problem: ImportProblem } {
  const ignored = { zh: '已忽略该元数据，改为按列的内容查找几何。', en: 'It was ignored, and the geometry was looked for in the columns instead.' };
  let geo: unknown;
  try {
    geo = JSON.parse(raw);
  } catch (e) {
    return { problem: geoProblem(`GeoParquet 的 geo 元数据不是有效的 JSON（${(e as Error).message}）。${ignored.zh}`, `The GeoParquet "geo" metadata is not valid JSON (${(e as Error).message}). ${ignored.en}`) };
  }
  const o = geo as { primary_column?: unknown; columns?: unknown } | null;
  const cols = o && typeof o === 'object' && o.columns && typeof o.columns === 'object' ? (o.columns as Record<string, unknown>) : null;
  if (!cols) return { problem: geoProblem(`GeoParquet 的 geo 元数据没有说明几何列（缺少 columns）。${ignored.zh}`, `The GeoParquet "geo" metadata describes no geometry column (no "columns"). ${ignored.en}`) };
  const keys = Object.keys(cols);
  const primary = typeof o!.primary_column === 'string' ? o!.primary_column : keys.length === 1 ? keys[0]! : null;
  const c = primary !== null ? (cols[primary] as { encoding?: unknown; crs?: unknown } | undefined) : undefined;
  if (primary === null || !c || typeof c !== 'object')
    return { problem: geoProblem(`GeoParquet 的 geo 元数据没有说明主几何列（primary_column）。${ignored.zh}`, `The GeoParquet "geo" metadata does not describe its primary geometry column (primary_column). ${ignored.en}`) };
  if (String(c.encoding).toUpperCase() !== 'WKB')
    return {
      problem: geoProblem(
        `GeoParquet 的几何列“${primary}”的编码是 ${shown(String(c.encoding))}，目前只能读取 WKB 编码。请用 GDAL/QGIS 以 WKB 编码重新导出（GeoParquet 默认即为 WKB）。`,
        `The GeoParquet geometry column “${primary}” is encoded as ${shown(String(c.encoding))}; only WKB can be read. Export it again with WKB encoding (GDAL's and QGIS's default).`,
      ),
    };
  const el = leaves.find((e) => e.name === primary);
  if (!el || el.type !== 'BYTE_ARRAY')
    return {
      problem: geoProblem(
        `GeoParquet 的 geo 元数据指向几何列“${primary}”，但文件中${el ? '该列不是二进制列' : '没有这一列'}。${ignored.zh}`,
        `The GeoParquet "geo" metadata names the geometry column “${primary}”, and the file ${el ? 'has it, but not as a binary column' : 'has no such column'}. ${ignored.en}`,
      ),
    };
  return { column: primary, crs: crsVerdict('crs' in c, c.crs) };
}

const FOOTER_GEO_KEY = [0x18, 0x03, 0x67, 0x65, 0x6f]; // Thrift compact: KeyValue field 1 (binary), length 3, "geo"

/**
 * A copy of the file whose `geo` metadata key reads `ge~`, so the engine's
 * decoder reads the geometry column as plain bytes instead of decoding it (or
 * failing on a `geo` that is not JSON). Same length, so the footer stays valid;
 * a candidate is kept only when the patched footer parses with the key gone
 * and every column as it was. Null when no candidate does.
 */
function renameGeoKey(bytes: Uint8Array): Uint8Array | null {
  const n = bytes.byteLength;
  if (n < 12) return null;
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset + n - 8, 4).getUint32(0, true);
  const start = Math.max(4, n - 8 - footerLength);
  const names = (m: FileMetaData) => m.schema.map((e) => `${e.name}:${e.type}`).join('\n');
  let before: string;
  try {
    before = names(parquetMetadata(bytes, { geoparquet: false }));
  } catch {
    return null;
  }
  const copy = bytes.slice();
  // From the end: the file's key/value metadata comes after the schema and the row groups in the footer.
  for (let i = n - 8 - FOOTER_GEO_KEY.length; i >= start; i--) {
    if (!FOOTER_GEO_KEY.every((b, k) => copy[i + k] === b)) continue;
    copy[i + 4] = 0x7e; // "geo" → "ge~"
    try {
      const m = parquetMetadata(copy, { geoparquet: false });
      if (!m.key_value_metadata?.some((kv) => kv.key === 'geo') && names(m) === before) return copy;
    } catch {
      // not the key after all
    }
    copy[i + 4] = 0x6f;
  }
  return null;
}

/** A top-level binary column (unannotated, or Parquet's own GEOMETRY type) whose first values read as WKB; geometry-like names first. */
async function sniffWkbColumn(file: AsyncBuffer, meta: FileMetaData, leaves: SchemaElement[], geometryName: RegExp): Promise<string | null> {
  const binary = leaves.filter((e) => e.type === 'BYTE_ARRAY' && ((!e.converted_type && !e.logical_type) || e.logical_type?.type === 'GEOMETRY' || e.logical_type?.type === 'GEOGRAPHY'));
  binary.sort((a, b) => Number(geometryName.test(b.name.trim())) - Number(geometryName.test(a.name.trim())));
  for (const e of binary.slice(0, 8)) {
    let sample: (Uint8Array | null)[];
    try {
      sample = await readBinaryColumn(file, meta, e.name, Math.min(20, Number(meta.num_rows)));
    } catch {
      continue;
    }
    const present = sample.filter((v): v is Uint8Array => v !== null);
    const readOk = present.filter((v) => {
      try {
        wkbToGeometry(v);
        return true;
      } catch {
        return false;
      }
    }).length;
    // Mostly, not all: one truncated value among the first rows should not hide the column.
    if (readOk > 0 && readOk >= 0.8 * present.length) return e.name;
  }
  return null;
}

/** The bytes of a column, row by row (null for nulls), for rows [0, rows). */
async function readBinaryColumn(file: AsyncBuffer, meta: FileMetaData, column: string, rows: number): Promise<(Uint8Array | null)[]> {
  const out: (Uint8Array | null)[] = new Array(rows).fill(null);
  const keep = (b: Uint8Array) => b;
  await parquetRead({
    file,
    metadata: meta,
    columns: [column],
    rowEnd: rows,
    utf8: false,
    geoparquet: false,
    parsers: { geometryFromBytes: keep, geographyFromBytes: keep, stringFromBytes: keep },
    onChunk: ({ columnData, rowStart }) => {
      for (let k = 0; k < columnData.length && rowStart + k < rows; k++) {
        const v = columnData[k];
        out[rowStart + k] = v instanceof Uint8Array ? v : null;
      }
    },
  });
  return out;
}

// ---- The coordinate system a GeoParquet declares

export interface CrsVerdict {
  /** lonlat: WGS-84 (OGC:CRS84, EPSG:4326); cgcs2000: China's (EPSG:4490), within a metre of it. */
  kind: 'lonlat' | 'cgcs2000' | 'geographic' | 'projected' | 'unknown';
  name: string;
}

const WGS84_IDS = new Set(['OGC:CRS84', 'EPSG:4326', 'OGC:CRS84H', 'EPSG:4979']);
/** Geographic systems a file from China (or made by a GIS default) may declare. */
const GEOGRAPHIC_EPSG = new Set([4214, 4610, 4269, 4258, 4283, 4167, 4612, 4674, 4617, 4619, 4230, 4267]);
/** Projected EPSG codes seen in Chinese and web data: Web Mercator, UTM, CGCS2000/Xian 1980/Beijing 1954 Gauss–Krüger. */
const projectedEpsg = (c: number) =>
  c === 3857 || c === 900913 || c === 3395 || (c >= 32601 && c <= 32660) || (c >= 32701 && c <= 32760) || (c >= 4491 && c <= 4554) || (c >= 2327 && c <= 2442) || (c >= 21413 && c <= 21483);

/** What a GeoParquet column's `crs` says: absent is OGC:CRS84 (the spec's default), null is unknown; PROJJSON, or a code or WKT as text. */
function crsVerdict(present: boolean, crs: unknown): CrsVerdict {
  if (!present) return { kind: 'lonlat', name: 'OGC:CRS84' };
  if (crs === null || crs === undefined) return { kind: 'unknown', name: 'null' };
  type Ref = { authority?: unknown; code?: unknown };
  let type = '';
  let id = '';
  let label = '';
  if (typeof crs === 'string') {
    // "EPSG:4547", "urn:ogc:def:crs:EPSG::4547", or WKT ending in its ID["EPSG",4547] / AUTHORITY["EPSG","4547"].
    const m = /^\s*(EPSG|OGC|ESRI)::?(\w+)\s*$/i.exec(crs) ?? /^urn:ogc:def:crs:(EPSG|OGC):[^:]*:(\w+)$/i.exec(crs.trim()) ?? /(?:ID|AUTHORITY)\["(EPSG|ESRI)",\s*"?(\d+)"?\]\]*\s*$/i.exec(crs);
    if (m) id = `${m[1]!.toUpperCase()}:${m[2]!.toUpperCase()}`;
    type = /^\s*(PROJCRS|PROJCS|PROJECTEDCRS)\[/i.test(crs) ? 'ProjectedCRS' : /^\s*(GEOGCRS|GEOGCS|GEODCRS|GEOGRAPHICCRS)\[/i.test(crs) ? 'GeographicCRS' : '';
    label = /^\s*\w+\["([^"]*)"/.exec(crs)?.[1] ?? (id ? '' : crs);
  } else if (typeof crs === 'object') {
    let o = crs as { type?: unknown; name?: unknown; id?: Ref; ids?: Ref[]; source_crs?: unknown };
    if (o.type === 'BoundCRS' && o.source_crs && typeof o.source_crs === 'object') o = o.source_crs as typeof o;
    type = typeof o.type === 'string' ? o.type : '';
    label = typeof o.name === 'string' ? o.name : '';
    const ref = o.id ?? (Array.isArray(o.ids) ? o.ids[0] : undefined);
    if (ref && ref.authority !== undefined && ref.code !== undefined) id = `${String(ref.authority).toUpperCase()}:${String(ref.code).toUpperCase()}`;
  }
  label = label.length > 80 ? `${label.slice(0, 80)}…` : label;
  const name = id && label ? `${id} (${label})` : id || label || 'PROJJSON without a name';
  const epsg = Number(/^EPSG:(\d+)$/.exec(id)?.[1] ?? NaN);
  if (WGS84_IDS.has(id)) return { kind: 'lonlat', name };
  if (id === 'EPSG:4490') return { kind: 'cgcs2000', name };
  if (type === 'ProjectedCRS' || projectedEpsg(epsg) || id === 'ESRI:102100') return { kind: 'projected', name };
  if (type === 'GeographicCRS' || type === 'GeodeticCRS' || GEOGRAPHIC_EPSG.has(epsg) || /^OGC:CRS(27|83)$/.test(id)) return { kind: 'geographic', name };
  return { kind: 'unknown', name };
}

/**
 * Adds what the declared coordinate system means to `problems`; true when it
 * is projected (the import stops there: a projected 'projected' problem names it,
 * joined to the coordinate check's own when that found metres too).
 */
export function crsProblem(crs: CrsVerdict, problems: ImportProblem[]): boolean {
  const name = crs.name;
  if (crs.kind === 'lonlat') return false;
  if (crs.kind === 'projected') {
    const said = { zh: `GeoParquet 元数据声明的坐标系是 ${name}`, en: `The GeoParquet metadata declares the coordinate system ${name}` };
    const p = problems.find((q) => q.code === 'projected');
    if (p) Object.assign(p, { zh: `${said.zh}。${p.zh}`, en: `${said.en}. ${p.en}` });
    else
      problems.push({
        level: 'error',
        code: 'projected',
        zh: `${said.zh}，这是投影坐标（单位通常为米），不是经纬度。请先在 GIS 软件中转换为经纬度（WGS-84、GCJ-02 或 BD-09）再导入。`,
        en: `${said.en}: projected coordinates (usually metres), not longitude/latitude. Convert them to longitude/latitude (WGS-84, GCJ-02 or BD-09) in a GIS first.`,
      });
    return true;
  }
  if (crs.kind === 'cgcs2000')
    problems.push({ level: 'info', code: 'crs', zh: `坐标系为 CGCS2000 经纬度（${name}），与 WGS-84 相差不到 1 米，按 WGS-84 读取。`, en: `The coordinate system is CGCS2000 longitude/latitude (${name}), within a metre of WGS-84; it is read as WGS-84.` });
  else if (crs.kind === 'geographic')
    problems.push({
      level: 'warning',
      code: 'crs',
      zh: `坐标系为 ${name}：是经纬度，但不是 WGS-84。将按 WGS-84 读取，位置可能偏差数十至上百米；如需准确，请先在 GIS 软件中转换为 WGS-84。`,
      en: `The coordinate system is ${name}: longitude/latitude, but not WGS-84. It is read as WGS-84, which can be tens to a hundred metres off; convert it to WGS-84 in a GIS for accuracy.`,
    });
  else
    problems.push({
      level: 'warning',
      code: 'crs',
      zh: name === 'null' ? 'GeoParquet 元数据说坐标系未知（crs 为 null），已按坐标数值检查。' : `无法识别 GeoParquet 元数据中的坐标系 ${name}，已按坐标数值检查。`,
      en: name === 'null' ? 'The GeoParquet metadata says the coordinate system is unknown (crs is null); the coordinates were checked by their values.' : `The coordinate system in the GeoParquet metadata, ${name}, is not one this app knows; the coordinates were checked by their values.`,
    });
  return false;
}
