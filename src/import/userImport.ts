/**
 * The first step of importing a planner's own file (GeoJSON, Parquet, CSV in
 * UTF-8 or GBK): read it into a staging table and say what is in it, before
 * the planner maps its columns. The staging table lives under a `user__stage`
 * name; nothing the app already shows is touched, and a file that cannot be
 * read leaves no table behind (the engine's loads are atomic).
 *
 * What the inspection finds: the columns and their types, a preview, where
 * the geometry is (GeoJSON geometry, lon/lat columns, a WKT column, a WKB
 * column of a GeoParquet), the extent, and whether the coordinates look like
 * longitude/latitude, projected metres, swapped, or broken, with messages in
 * both languages that list the first problems and how many there are.
 *
 * A GeoParquet's geometry is read before the engine sees the file
 * (./geoParquet.ts) and put into the staged table as its own bytes, a BLOB
 * (./wkbStaging.ts).
 *
 *   const r = await inspectUserFile(engine, file.name, bytes, 'user__stage_1');
 *   if (!r.ok) show(r.problems);  // nothing was loaded
 */
import type { Engine, TableInfo } from '../engine/types';
import { quoteIdent } from '../engine/sql';
import { decodeText } from './encoding';
import { crsProblem, readParquetGeo } from './geoParquet';
import { sniffFile, type UserFormat } from './sniff';
import { wkbSummary } from './wkb';
import { invalidWkbProblems, stageWkb, wkbKinds, type WkbStaged } from './wkbStaging';

export interface ImportProblem {
  level: 'error' | 'warning' | 'info';
  /** A stable code for tests and for the dialog to react to (e.g. 'projected'). */
  code: string;
  zh: string;
  en: string;
  /** How many rows it concerns, when it concerns rows. */
  count?: number;
}

/** Where the geometry is. `wkb`: a BLOB column of Well-Known Binary (a GeoParquet's geometry column). */
export type GeometrySource = { kind: 'geojson' } | { kind: 'lonlat'; lon: string; lat: string } | { kind: 'wkt'; column: string } | { kind: 'wkb'; column: string } | { kind: 'none' };

export interface Inspection {
  ok: true;
  format: UserFormat;
  encoding: 'utf-8' | 'gbk' | null;
  stage: string;
  rows: number;
  columns: TableInfo['columns'];
  /** Up to 5 rows, values as plain JS (strings are shown as text, never as HTML). */
  preview: Record<string, unknown>[];
  geometry: GeometrySource;
  /** [west, south, east, north] of the valid coordinates, or null. */
  extent: [number, number, number, number] | null;
  /** What the coordinates look like. */
  coords: 'lonlat' | 'projected' | 'swapped' | 'none';
  problems: ImportProblem[];
}

export type InspectResult = Inspection | { ok: false; problems: ImportProblem[] };

const LON = /^(lon|lng|long|longitude|x|经度|東經|东经|wgs84_lon|lon_wgs84)$/i;
const LAT = /^(lat|latitude|y|纬度|北纬|wgs84_lat|lat_wgs84)$/i;
const WKT_NAME = /^(wkt|geometry|geom|the_geom|shape|几何|坐标串)$/i;
const WKT_VALUE = /^\s*(SRID=\d+;)?\s*(MULTI)?(POINT|LINESTRING|POLYGON)\s*(Z\s*)?\(/i;

/** Columns the engine adds to a GeoJSON table (engine/types.ts loadGeoJSON); `__geom` is the geometry and stays listed. */
const ENGINE_COLUMNS = new Set(['__fid', '__gtype', '__xmin', '__ymin', '__xmax', '__ymax']);

const fail = (code: string, zh: string, en: string): InspectResult => ({ ok: false, problems: [{ level: 'error', code, zh, en }] });
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Reads `bytes` into `stage` and inspects it. */
export async function inspectUserFile(engine: Engine, name: string, bytes: Uint8Array, stage: string): Promise<InspectResult> {
  const sniffed = sniffFile(name, bytes);
  if (!sniffed.format) return { ok: false, problems: [{ level: 'error', code: 'format', ...sniffed.problem! }] };
  const format = sniffed.format;
  let encoding: Inspection['encoding'] = null;
  let info: TableInfo;
  const problems: ImportProblem[] = [];
  // Read before the engine load: the browser engine takes the bytes' buffer away to its worker.
  const geo = format === 'parquet' ? await readParquetGeo(bytes, { lon: LON, lat: LAT, geometry: WKT_NAME }) : null;
  if (geo) problems.push(...geo.problems);
  try {
    if (format === 'parquet') info = await engine.loadParquet(stage, geo?.bytes ?? bytes);
    else {
      let text: string;
      try {
        ({ text, encoding } = decodeText(bytes));
      } catch (e) {
        return fail('encoding', `无法识别文件的文字编码：${(e as Error).message}`, `The file's text encoding could not be read: ${(e as Error).message}`);
      }
      if (encoding === 'gbk') problems.push({ level: 'info', code: 'gbk', zh: '文件为 GBK 编码，已自动转换。', en: 'The file is GBK encoded; it was converted.' });
      if (format === 'geojson') {
        const fc = asFeatureCollection(text);
        if ('problem' in fc) return { ok: false, problems: [fc.problem] };
        info = await engine.loadGeoJSON(stage, fc.text);
      } else info = await engine.loadCSV(stage, text);
    }
  } catch (e) {
    const m = readError((e as Error).message, format);
    return fail('unreadable', m.zh, m.en);
  }
  if (info.rows === 0) {
    await engine.dropTable(stage).catch(() => undefined);
    return fail('no-rows', '文件中没有数据行。', 'The file has no data rows.');
  }
  let wkb: WkbStaged | null = null;
  if (geo?.wkb) {
    try {
      const column = geo.wkb.column;
      wkb = await stageWkb(engine, stage, info, column, geo.wkb.values);
      info = { ...info, columns: info.columns.map((c) => (c.name === column ? { ...c, type: 'BLOB' } : c)) };
    } catch (e) {
      await engine.dropTable(stage).catch(() => undefined);
      return fail('unreadable', `无法读取 GeoParquet 的几何列“${geo.wkb.column}”。技术细节：${(e as Error).message}`, `The GeoParquet geometry column “${geo.wkb.column}” could not be read: ${(e as Error).message}`);
    }
  }
  try {
    const columns = info.columns.filter((c) => !(format === 'geojson' && ENGINE_COLUMNS.has(c.name)));
    const geometry: GeometrySource = wkb ? { kind: 'wkb', column: wkb.column } : await findGeometry(engine, stage, format, info);
    const checked = await checkCoordinates(engine, stage, geometry, info.rows, wkb?.points);
    let { coords } = checked;
    problems.push(...checked.found);
    if (geometry.kind === 'none')
      problems.push({
        level: 'warning',
        code: 'no-geometry',
        zh: `没有找到坐标：没有经度/纬度列（lon/lat、经度/纬度），也没有 WKT${format === 'parquet' ? '/WKB' : ''} 几何列。可在下一步指定，或作为不含位置的表导入。`,
        en: `No coordinates found: no longitude/latitude columns (lon/lat, 经度/纬度) and no ${format === 'parquet' ? 'WKT or WKB' : 'WKT'} geometry column. Choose them in the next step, or import it as a table without locations.`,
      });
    if (geometry.kind === 'geojson') problems.push(...(await checkGeoJsonGeometry(engine, stage, info.rows)));
    if (wkb) {
      problems.push(...geometryKindProblems(wkbKinds(wkb), info.rows), ...invalidWkbProblems(wkb, info.rows));
      if (geo?.crs && crsProblem(geo.crs, problems)) coords = 'projected';
    }
    const preview = (await engine.query(`SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(stage)} LIMIT 5`)).toArray().map((r) => readable(r.toJSON() as Record<string, unknown>, geometry));
    return { ok: true, format, encoding, stage, rows: info.rows, columns, preview, geometry, extent: checked.extent, coords, problems };
  } finally {
    if (wkb) await engine.query(`DROP TABLE IF EXISTS ${wkb.points}`).catch(() => undefined);
  }
}

/** Preview values as text a planner reads: a WKB value as its shape, other bytes as their size, never the raw bytes. */
function readable(row: Record<string, unknown>, g: GeometrySource): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array) row[k] = g.kind === 'wkb' && k === g.column ? wkbSummary(v) : `BLOB ${v.byteLength} bytes`;
  return row;
}

/** The engine's reason a load failed, as a planner reads it: without the staging table's name, the known causes in their language. */
function readError(raw: string, format: UserFormat): { zh: string; en: string } {
  const what = { parquet: 'Parquet', geojson: 'GeoJSON', csv: 'CSV' }[format];
  const detail = raw.replace(/^could not load \w+ into table "[^"]*":\s*/i, '').replace(/^invalid GeoJSON:\s*/i, '');
  const feature = /feature (\d+)/i.exec(detail)?.[1];
  const at = feature !== undefined ? { zh: `（第 ${Number(feature) + 1} 个要素）`, en: ` (feature ${Number(feature) + 1})` } : { zh: '', en: '' };
  if (format === 'parquet' && /metadata|magic|footer|thrift|page|buffer/i.test(detail))
    return { zh: 'Parquet 文件已损坏，或并非 Parquet 文件。请重新导出。', en: `The Parquet file is damaged, or is not Parquet at all. Export it again. (Details: ${detail})` };
  if (format === 'geojson' && /coordinate/i.test(detail))
    return { zh: `GeoJSON 的坐标必须是数字${at.zh}：有的坐标是文字、空值或无穷大。`, en: `GeoJSON coordinates must be numbers${at.en}: some are text, empty or infinite.` };
  return { zh: `无法读取该 ${what} 文件。技术细节：${detail}`, en: `The ${what} file could not be read: ${detail}` };
}

/** A FeatureCollection's text, or why the text is not GeoJSON. A single Feature or geometry is wrapped. */
function asFeatureCollection(text: string): { text: string } | { problem: ImportProblem } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = (e as Error).message;
    return { problem: { level: 'error', code: 'json', zh: `不是有效的 JSON：${m}`, en: `Not valid JSON: ${m}` } };
  }
  const o = raw as { type?: unknown; features?: unknown };
  if (o && o.type === 'FeatureCollection' && Array.isArray(o.features)) return { text };
  if (o && o.type === 'Feature') return { text: JSON.stringify({ type: 'FeatureCollection', features: [o] }) };
  if (o && typeof o.type === 'string' && /^(Multi)?(Point|LineString|Polygon)$|^GeometryCollection$/.test(o.type))
    return { text: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: o }] }) };
  return { problem: { level: 'error', code: 'not-geojson', zh: 'JSON 文件不是 GeoJSON（需要 FeatureCollection、Feature 或几何对象）。', en: 'The JSON file is not GeoJSON (a FeatureCollection, Feature or geometry is needed).' } };
}

async function findGeometry(engine: Engine, stage: string, format: UserFormat, info: TableInfo): Promise<GeometrySource> {
  if (format === 'geojson') return { kind: 'geojson' };
  const names = info.columns.map((c) => c.name);
  const lon = names.find((n) => LON.test(n.trim()));
  const lat = names.find((n) => LAT.test(n.trim()));
  if (lon && lat) return { kind: 'lonlat', lon, lat };
  const textCols = info.columns.filter((c) => c.type === 'VARCHAR').map((c) => c.name);
  const byName = textCols.find((n) => WKT_NAME.test(n.trim()));
  for (const c of byName ? [byName, ...textCols.filter((n) => n !== byName)] : textCols) {
    const t = await engine.query(`SELECT ${quoteIdent(c)} AS v FROM ${quoteIdent(stage)} WHERE ${quoteIdent(c)} IS NOT NULL LIMIT 5`);
    const vals = t.toArray().map((r) => String(r.v));
    if (vals.length && vals.every((v) => WKT_VALUE.test(v))) return { kind: 'wkt', column: c };
  }
  return { kind: 'none' };
}

/** SQL for x and y of each row (the first vertex for WKT; the bbox centre for GeoJSON and, from the table of points, WKB). */
function xySql(g: GeometrySource): { x: string; y: string } | null {
  if (g.kind === 'wkb') return { x: 'x', y: 'y' };
  if (g.kind === 'lonlat') return { x: `TRY_CAST(${quoteIdent(g.lon)} AS DOUBLE)`, y: `TRY_CAST(${quoteIdent(g.lat)} AS DOUBLE)` };
  // Halved before adding: a coordinate near the largest double would overflow the sum.
  if (g.kind === 'geojson') return { x: '(__xmin / 2 + __xmax / 2)', y: '(__ymin / 2 + __ymax / 2)' };
  if (g.kind === 'wkt') {
    const first = `regexp_extract(${quoteIdent(g.column)}, '\\(+\\s*(-?[0-9.eE+-]+)\\s+(-?[0-9.eE+-]+)', ['x', 'y'])`;
    return { x: `TRY_CAST(${first}.x AS DOUBLE)`, y: `TRY_CAST(${first}.y AS DOUBLE)` };
  }
  return null;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 1e4) / 1e4));

/** `points`: for WKB, the (quoted) table of each row's point, made by stageWkb (./wkbStaging.ts), since SQL cannot read WKB here. */
async function checkCoordinates(engine: Engine, stage: string, g: GeometrySource, rows: number, points?: string) {
  const found: ImportProblem[] = [];
  const xy = xySql(g);
  if (!xy) return { extent: null, coords: 'none' as const, found };
  const finite = (e: string) => `(${e} IS NOT NULL AND isfinite(${e}))`;
  const t = await engine.query(
    `WITH p AS (SELECT ${xy.x} AS x, ${xy.y} AS y FROM ${points ?? quoteIdent(stage)})
     SELECT count(*) FILTER (WHERE NOT (${finite('x')} AND ${finite('y')}))::DOUBLE AS missing,
            count(*) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND (abs(x) > 180 OR abs(y) > 90))::DOUBLE AS outside,
            count(*) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND abs(x) <= 180 AND abs(y) <= 90)::DOUBLE AS inside,
            count(*) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND x BETWEEN 3 AND 54 AND y BETWEEN 73 AND 136)::DOUBLE AS swapped,
            count(*) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND abs(x) <= 180 AND abs(y) <= 90 AND NOT (x BETWEEN 73 AND 136 AND y BETWEEN 3 AND 54))::DOUBLE AS abroad,
            min(x) FILTER (WHERE ${finite('x')} AND ${finite('y')}) AS ax0, max(x) FILTER (WHERE ${finite('x')} AND ${finite('y')}) AS ax1,
            min(y) FILTER (WHERE ${finite('x')} AND ${finite('y')}) AS ay0, max(y) FILTER (WHERE ${finite('x')} AND ${finite('y')}) AS ay1,
            min(x) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND abs(x) <= 180 AND abs(y) <= 90) AS x0, max(x) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND abs(x) <= 180 AND abs(y) <= 90) AS x1,
            min(y) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND abs(x) <= 180 AND abs(y) <= 90) AS y0, max(y) FILTER (WHERE ${finite('x')} AND ${finite('y')} AND abs(x) <= 180 AND abs(y) <= 90) AS y1
     FROM p`,
  );
  const r = t.get(0)!.toJSON() as Record<string, number | null>;
  const missing = num(r.missing) ?? 0;
  const outside = num(r.outside) ?? 0;
  const inside = num(r.inside) ?? 0;
  const swapped = num(r.swapped) ?? 0;
  const abroad = num(r.abroad) ?? 0;
  // The extent of the coordinates that can be longitude/latitude; the ranges of all of them for the projected message.
  const [x0, x1, y0, y1] = [num(r.x0), num(r.x1), num(r.y0), num(r.y1)];
  const [ax0, ax1, ay0, ay1] = [num(r.ax0)!, num(r.ax1)!, num(r.ay0)!, num(r.ay1)!];
  if (missing > 0) {
    const dms = g.kind === 'lonlat' && (await looksLikeDms(engine, stage, g.lon));
    found.push({
      level: missing === rows ? 'error' : 'warning',
      code: 'missing-coords',
      count: missing,
      zh:
        `${missing} 行没有可用的坐标（空值、非数字或无穷大）${missing === rows ? '：全部行都没有' : '，这些行将被跳过'}。` +
        (dms ? '这些值看起来是度分秒格式（如 117°01′12″E）：请换算为十进制度（如 117.02）。' : ''),
      en:
        `${missing} row${missing > 1 ? 's have' : ' has'} no usable coordinates (empty, not a number, or infinite)${missing === rows ? ': that is every row' : missing > 1 ? '; they will be left out' : '; it will be left out'}.` +
        (dms ? ` The values look like degrees-minutes-seconds (117°01'12"E): convert them to decimal degrees (117.02).` : ''),
    });
  }
  if (g.kind === 'wkt') {
    const bad = await invalidWkt(engine, stage, g.column);
    if (bad.count > 0)
      found.push({
        level: bad.count === rows ? 'error' : 'warning',
        code: 'invalid-wkt',
        count: bad.count,
        zh: `${bad.count} 行的 WKT 几何无效（括号不配对，或坐标不是成对的数字），将被跳过。例如：${bad.examples.join('；')}`,
        en: `${bad.count} row${bad.count > 1 ? 's have' : ' has'} invalid WKT (unbalanced parentheses, or coordinates that are not pairs of numbers); they will be left out. For example: ${bad.examples.join('; ')}`,
      });
  }
  if (inside + outside === 0) return { extent: null, coords: 'none' as const, found };
  const extent: [number, number, number, number] | null = inside > 0 ? [x0!, y0!, x1!, y1!] : null;
  if (swapped > (inside + outside) / 2) {
    found.push({
      level: 'error',
      code: 'swapped',
      count: swapped,
      zh: '经度与纬度似乎颠倒了：经度列的值像纬度（3–54），纬度列的值像经度（73–136）。请在下一步交换这两列。',
      en: 'Longitude and latitude look swapped: the longitude values look like latitudes (3–54) and the latitudes like longitudes (73–136). Swap the two columns in the next step.',
    });
    return { extent, coords: 'swapped' as const, found };
  }
  if (outside > inside) {
    found.push({
      level: 'error',
      code: 'projected',
      count: outside,
      zh: `坐标超出经纬度范围（x ${fmt(ax0)}–${fmt(ax1)}，y ${fmt(ay0)}–${fmt(ay1)}）：这是投影坐标（单位通常为米，例如 CGCS2000 高斯-克吕格或 Web 墨卡托），不是经纬度。请先在 GIS 软件中转换为经纬度（WGS-84、GCJ-02 或 BD-09）再导入。`,
      en: `The coordinates are outside longitude/latitude ranges (x ${fmt(ax0)}–${fmt(ax1)}, y ${fmt(ay0)}–${fmt(ay1)}): these are projected coordinates (usually metres, e.g. CGCS2000 Gauss–Krüger or Web Mercator), not longitude/latitude. Convert them to longitude/latitude (WGS-84, GCJ-02 or BD-09) in a GIS first.`,
    });
    return { extent: [ax0, ay0, ax1, ay1] as [number, number, number, number], coords: 'projected' as const, found };
  }
  if (outside > 0)
    found.push({ level: 'warning', code: 'out-of-range', count: outside, zh: `${outside} 行的坐标超出经纬度范围，将被跳过。`, en: `${outside} row${outside > 1 ? 's have' : ' has'} coordinates outside longitude/latitude ranges; they will be left out.` });
  if (abroad > 0)
    found.push({
      level: 'warning',
      code: 'outside-china',
      count: abroad,
      zh: `${abroad} 行的位置不在中国范围内（经度 73–136、纬度 3–54），请检查坐标。`,
      en: `${abroad} row${abroad > 1 ? 's lie' : ' lies'} outside China (longitude 73–136, latitude 3–54); check the coordinates.`,
    });
  return { extent, coords: 'lonlat' as const, found };
}

/** Whether the text of a coordinate column reads as degrees-minutes-seconds (117°01'12"E, 117度1分12秒). */
async function looksLikeDms(engine: Engine, stage: string, column: string): Promise<boolean> {
  const c = quoteIdent(column);
  const t = await engine.query(
    `SELECT count(*) FILTER (WHERE regexp_matches(CAST(${c} AS VARCHAR), '\\d+\\s*[°度]\\s*\\d+\\s*[''′’分]'))::DOUBLE AS n FROM (SELECT ${c} FROM ${quoteIdent(stage)} WHERE ${c} IS NOT NULL LIMIT 50)`,
  );
  return Number(t.get(0)!.n) > 0;
}

/**
 * WKT values that cannot be shapes: parentheses that do not pair up, or a
 * coordinate that is not 2 or 3 numbers (a missing comma, text for a number).
 * Checked on every row, not just the first vertex.
 */
async function invalidWkt(engine: Engine, stage: string, column: string): Promise<{ count: number; examples: string[] }> {
  const c = quoteIdent(column);
  const num = '-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?';
  const bad = `(length(regexp_replace(v, '[^(]', '', 'g')) <> length(regexp_replace(v, '[^)]', '', 'g'))
     OR NOT list_bool_and(list_transform(list_filter(string_split_regex(regexp_replace(v, '^[^(]*', ''), '[(),]'), x -> trim(x) <> ''),
                                         x -> regexp_full_match(trim(x), '${num}\\s+${num}(\\s+${num})?'))))`;
  const t = await engine.query(
    `WITH w AS (SELECT CAST(${c} AS VARCHAR) AS v FROM ${quoteIdent(stage)} WHERE ${c} IS NOT NULL)
     SELECT (SELECT count(*) FROM w WHERE ${bad})::DOUBLE AS n, (SELECT list(left(v, 40)) FROM (SELECT v FROM w WHERE ${bad} LIMIT 3)) AS ex`,
  );
  const row = t.get(0)!.toJSON() as { n: number; ex: { toArray(): string[] } | null };
  return { count: Number(row.n), examples: row.ex ? [...row.ex.toArray()].map(String) : [] };
}

async function checkGeoJsonGeometry(engine: Engine, stage: string, rows: number): Promise<ImportProblem[]> {
  const t = await engine.query(`SELECT coalesce(__gtype, 'none') AS g, count(*)::DOUBLE AS n FROM ${quoteIdent(stage)} GROUP BY 1 ORDER BY 2 DESC`);
  return geometryKindProblems(
    t.toArray().map((r) => ({ g: String(r.g), n: Number(r.n) })),
    rows,
  );
}

/** Null and mixed geometries, from the count of each geometry type ('none' for no geometry), most frequent first. */
function geometryKindProblems(kinds: { g: string; n: number }[], rows: number): ImportProblem[] {
  const out: ImportProblem[] = [];
  const none = kinds.find((k) => k.g === 'none' || k.g === 'null')?.n ?? 0;
  if (none)
    out.push({ level: none === rows ? 'error' : 'warning', code: 'null-geometry', count: none, zh: `${none} 个要素没有几何，将被跳过。`, en: `${none} feature${none > 1 ? 's have' : ' has'} no geometry; ${none > 1 ? 'they' : 'it'} will be left out.` });
  const family = (g: string) => g.replace(/^Multi/, '');
  const families = [...new Set(kinds.filter((k) => k.g !== 'none' && k.g !== 'null').map((k) => family(k.g)))];
  if (families.length > 1) {
    const list = kinds.filter((k) => k.g !== 'none' && k.g !== 'null').map((k) => `${k.g} ${k.n}`).join(', ');
    out.push({ level: 'warning', code: 'mixed-geometry', zh: `几何类型混杂（${list}）：导入时只保留所选图层类型需要的一类。`, en: `Mixed geometry types (${list}): only the kind the chosen layer needs is kept.` });
  }
  return out;
}
