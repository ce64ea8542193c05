/**
 * The second step of importing a planner's file: which layer kind it feeds
 * and which of its columns hold the id, name, value, time and category. The
 * rules per kind are data ({@link KIND_RULES}); {@link guessMapping} proposes
 * columns from their names; {@link checkMapping} checks a mapping against
 * the staged rows and says, in both languages, what is missing or wrong and
 * how many rows it concerns: duplicate ids, values that are not numbers,
 * times it cannot read, geometry of the wrong kind.
 *
 * Times: ISO 8601 with an offset or Z is read as given; a time without a zone
 * is China Standard Time (UTC+8), the zone of every source this app knows;
 * Unix seconds and milliseconds are read too, except that 10 digits reading
 * as a valid YYYYMMDDHH (the archive's timepoint style) are that: as Unix
 * seconds they would be 2030–2033. {@link timeSql} gives the SQL
 * that turns a column into UTC timestamps, for the load step to use.
 */
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';
import type { ImportProblem, Inspection } from './userImport';
import { wkbType } from './wkb';

export type TargetKind = 'park' | 'restoration' | 'stations' | 'facility' | 'boundary' | 'population' | 'network';
export type Role = 'id' | 'name' | 'value' | 'time' | 'category';
export type GeometryFamily = 'point' | 'line' | 'polygon';
export type ColumnMapping = Partial<Record<Role, string>>;

interface KindRule {
  label: { zh: string; en: string };
  geometry: GeometryFamily[];
  required: Role[];
}

/** What each layer kind needs (README: "Bringing your own data"). */
export const KIND_RULES: Record<TargetKind, KindRule> = {
  park: { label: { zh: '公园绿地', en: 'parks' }, geometry: ['polygon'], required: ['name'] },
  restoration: { label: { zh: '生态修复项目', en: 'restoration sites' }, geometry: ['polygon', 'point'], required: ['name', 'time'] },
  stations: { label: { zh: '监测站读数', en: 'station readings' }, geometry: ['point'], required: ['id', 'time', 'value'] },
  facility: { label: { zh: '生活圈设施', en: 'life-circle facilities' }, geometry: ['point'], required: ['category'] },
  boundary: { label: { zh: '行政边界', en: 'boundaries' }, geometry: ['polygon'], required: ['name'] },
  population: { label: { zh: '人口', en: 'population' }, geometry: ['point', 'polygon'], required: ['value'] },
  network: { label: { zh: '步行路网', en: 'walking network' }, geometry: ['line'], required: [] },
};

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  id: { zh: '编号', en: 'id' },
  name: { zh: '名称', en: 'name' },
  value: { zh: '数值', en: 'value' },
  time: { zh: '时间', en: 'time' },
  category: { zh: '类别', en: 'category' },
};

const GUESS: Record<Role, RegExp> = {
  id: /^(id|code|编号|代码|站点编码|监测点编码|stationcode|station_code|station_id|fid)$/i,
  name: /^(name|名称|站点名称|监测点名称|公园名称|项目名称|title)$/i,
  value: /^(value|数值|值|pm2_?5|pm10|aqi|o3|no2|so2|co|pop|population|人口|count)$/i,
  time: /^(time|date|datetime|timestamp|timepoint|时间|日期|年份|year|completed|完成时间)$/i,
  category: /^(category|type|kind|class|类别|类型|种类|分类)$/i,
};

/** Columns whose names say what they hold (the planner confirms or changes them). */
export function guessMapping(columns: { name: string }[]): ColumnMapping {
  const out: ColumnMapping = {};
  for (const role of Object.keys(GUESS) as Role[]) {
    const hit = columns.find((c) => GUESS[role].test(c.name.trim()));
    if (hit) out[role] = hit.name;
  }
  return out;
}

const ZONE_LESS_FORMATS = [
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%d %H:%M',
  '%Y-%m-%dT%H:%M:%S',
  '%Y-%m-%dT%H:%M',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d %H:%M',
  '%Y-%m-%d',
  '%Y/%m/%d',
  '%Y%m%d%H',
  '%Y%m%d',
  '%Y年%m月%d日 %H时',
  '%Y年%m月%d日 %H:%M',
  '%Y年%m月%d日',
];

/**
 * SQL turning text column `col` into a UTC TIMESTAMP (NULL when unreadable):
 * an offset or Z is honoured; a time without one is China Standard Time;
 * 10 digits are Unix seconds and 13 milliseconds; a bare year is 1 January.
 */
export function timeSql(col: string): string {
  const v = `trim(CAST(${col} AS VARCHAR))`;
  const formats = `[${ZONE_LESS_FORMATS.map((f) => `'${f}'`).join(', ')}]`;
  return `CASE
    WHEN ${col} IS NULL THEN NULL
    WHEN regexp_full_match(${v}, '\\d{13}') THEN make_timestamp(CAST(${v} AS BIGINT) * 1000)
    WHEN regexp_full_match(${v}, '(19|20)\\d{8}') AND try_strptime(${v}, '%Y%m%d%H') IS NOT NULL THEN try_strptime(${v}, '%Y%m%d%H') - INTERVAL 8 HOUR
    WHEN regexp_full_match(${v}, '\\d{10}') THEN make_timestamp(CAST(${v} AS BIGINT) * 1000000)
    WHEN regexp_full_match(${v}, '\\d{4}') THEN make_timestamp(CAST(${v} AS INTEGER), 1, 1, 0, 0, 0) - INTERVAL 8 HOUR
    WHEN regexp_full_match(${v}, '.*\\d([+-]\\d{2}(:?\\d{2})?|Z)') THEN CAST(TRY_CAST(${v} AS TIMESTAMPTZ) AS TIMESTAMP)
    ELSE try_strptime(${v}, ${formats}) - INTERVAL 8 HOUR
  END`;
}

const family = (gtype: string): GeometryFamily | null =>
  /point/i.test(gtype) ? 'point' : /linestring/i.test(gtype) ? 'line' : /polygon/i.test(gtype) ? 'polygon' : null;
const FAMILY_NAME: Record<GeometryFamily, { zh: string; en: string }> = {
  point: { zh: '点', en: 'points' },
  line: { zh: '线', en: 'lines' },
  polygon: { zh: '面', en: 'polygons' },
};

async function examples(engine: Engine, sql: string): Promise<string[]> {
  return (await engine.query(sql)).toArray().map((r) => String(Object.values(r.toJSON())[0]).slice(0, 40));
}

/** Checks a mapping for `kind` against the staged rows. An error means it cannot be loaded as asked. */
export async function checkMapping(engine: Engine, ins: Inspection, kind: TargetKind, mapping: ColumnMapping): Promise<ImportProblem[]> {
  const rule = KIND_RULES[kind];
  const out: ImportProblem[] = [];
  const T = quoteIdent(ins.stage);
  const known = new Set(ins.columns.map((c) => c.name));
  for (const [role, col] of Object.entries(mapping) as [Role, string][]) {
    if (col && !known.has(col)) out.push({ level: 'error', code: 'unknown-column', zh: `没有名为“${col}”的列。`, en: `There is no column named “${col}”.` });
  }
  const missing = rule.required.filter((r) => !mapping[r]);
  if (missing.length)
    out.push({
      level: 'error',
      code: 'missing-column',
      zh: `导入为${rule.label.zh}需要指定：${missing.map((r) => ROLE_NAMES[r].zh).join('、')}列。`,
      en: `Importing as ${rule.label.en} needs the ${missing.map((r) => ROLE_NAMES[r].en).join(', ')} column${missing.length > 1 ? 's' : ''}.`,
    });
  if (out.some((p) => p.level === 'error')) return out;

  // Geometry of the kind the layer draws.
  const shapes: Record<GeometryFamily, number> = { point: 0, line: 0, polygon: 0 };
  if (ins.geometry.kind === 'lonlat') shapes.point = ins.rows;
  else if (ins.geometry.kind === 'wkb') {
    // The type is in a WKB value's first 5 bytes (byte order, type); SQL has no WKB reader here, so only those leave the engine.
    const head = `${quoteIdent(ins.geometry.column)}[1:5]`;
    for (const r of (await engine.query(`SELECT ${head} AS h, count(*)::DOUBLE AS n FROM ${T} WHERE ${quoteIdent(ins.geometry.column)} IS NOT NULL GROUP BY 1`)).toArray()) {
      const f = r.h instanceof Uint8Array ? family(wkbType(r.h) ?? '') : null;
      if (f) shapes[f] += Number(r.n);
    }
  }
  else if (ins.geometry.kind === 'geojson' || ins.geometry.kind === 'wkt') {
    const g = ins.geometry.kind === 'geojson' ? '__gtype' : `regexp_extract(upper(CAST(${quoteIdent(ins.geometry.column)} AS VARCHAR)), '(POINT|LINESTRING|POLYGON)')`;
    for (const r of (await engine.query(`SELECT ${g} AS g, count(*)::DOUBLE AS n FROM ${T} GROUP BY 1`)).toArray()) {
      const f = family(String(r.g ?? ''));
      if (f) shapes[f] += Number(r.n);
    }
  }
  const fitting = rule.geometry.reduce((s, f) => s + shapes[f], 0);
  const other = (Object.keys(shapes) as GeometryFamily[]).filter((f) => !rule.geometry.includes(f) && shapes[f] > 0);
  const needs = { zh: rule.geometry.map((f) => FAMILY_NAME[f].zh).join('或'), en: rule.geometry.map((f) => FAMILY_NAME[f].en).join(' or ') };
  if (ins.geometry.kind === 'none')
    out.push({ level: 'error', code: 'no-geometry', zh: `${rule.label.zh}需要位置（${needs.zh}），但文件中没有坐标。`, en: `${rule.label.en} need locations (${needs.en}), and the file has no coordinates.` });
  else if (fitting === 0)
    out.push({
      level: 'error',
      code: 'wrong-geometry',
      zh: `${rule.label.zh}需要${needs.zh}，但文件中只有${other.map((f) => FAMILY_NAME[f].zh).join('、')}。`,
      en: `${rule.label.en} need ${needs.en}, and the file has only ${other.map((f) => FAMILY_NAME[f].en).join(', ')}.`,
    });
  else if (other.length) {
    const n = other.reduce((s, f) => s + shapes[f], 0);
    out.push({ level: 'warning', code: 'wrong-geometry', count: n, zh: `${n} 个要素不是${needs.zh}，将被跳过。`, en: `${n} feature${n > 1 ? 's are' : ' is'} not ${needs.en}; left out.` });
  }

  if (mapping.id) {
    const c = quoteIdent(mapping.id);
    const dup = `SELECT ${c} AS v FROM ${T} WHERE ${c} IS NOT NULL GROUP BY 1 HAVING count(*) > 1`;
    const n = Number((await engine.query(`SELECT count(*)::DOUBLE AS n FROM (${dup})`)).get(0)!.n);
    // Readings repeat their station id by design; only kinds with one row per thing need unique ids.
    if (n > 0 && kind !== 'stations') {
      const ex = await examples(engine, `${dup} ORDER BY 1 LIMIT 3`);
      out.push({ level: 'warning', code: 'duplicate-id', count: n, zh: `${n} 个编号重复出现（如 ${ex.join('、')}），只保留每个编号的第一行。`, en: `${n} id${n > 1 ? 's appear' : ' appears'} more than once (e.g. ${ex.join(', ')}); the first row of each is kept.` });
    }
  }
  if (mapping.value) {
    const c = quoteIdent(mapping.value);
    const bad = `FROM ${T} WHERE ${c} IS NOT NULL AND trim(CAST(${c} AS VARCHAR)) <> '' AND (TRY_CAST(${c} AS DOUBLE) IS NULL OR NOT isfinite(TRY_CAST(${c} AS DOUBLE)))`;
    const n = Number((await engine.query(`SELECT count(*)::DOUBLE AS n ${bad}`)).get(0)!.n);
    if (n > 0) {
      const ex = await examples(engine, `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v ${bad} LIMIT 3`);
      out.push({ level: n === ins.rows ? 'error' : 'warning', code: 'non-numeric', count: n, zh: `数值列“${mapping.value}”有 ${n} 个值不是数字（如 ${ex.join('、')}），这些值按空值处理。`, en: `${n} value${n > 1 ? 's' : ''} in “${mapping.value}” ${n > 1 ? 'are' : 'is'} not a number (e.g. ${ex.join(', ')}); treated as empty.` });
    }
  }
  if (mapping.time) {
    const c = quoteIdent(mapping.time);
    const t = timeSql(c);
    const r = (
      await engine.query(
        `SELECT count(*) FILTER (WHERE ${c} IS NOT NULL AND (${t}) IS NULL)::DOUBLE AS bad, count(*) FILTER (WHERE (${t}) IS NOT NULL)::DOUBLE AS good,
                strftime(min(${t}) + INTERVAL 8 HOUR, '%Y-%m-%d %H:%M') AS t0, strftime(max(${t}) + INTERVAL 8 HOUR, '%Y-%m-%d %H:%M') AS t1 FROM ${T}`,
      )
    ).get(0)!.toJSON() as { bad: number; good: number; t0: string | null; t1: string | null };
    const bad = Number(r.bad);
    if (bad > 0) {
      const ex = await examples(engine, `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${T} WHERE ${c} IS NOT NULL AND (${t}) IS NULL LIMIT 3`);
      out.push({
        level: Number(r.good) === 0 ? 'error' : 'warning',
        code: 'bad-time',
        count: bad,
        zh: `时间列“${mapping.time}”有 ${bad} 个值无法识别（如 ${ex.join('、')}）。可用格式：2024-03-01 08:00、2024/3/1 8:00、带时区的 ISO 8601、Unix 时间戳。`,
        en: `${bad} time${bad > 1 ? 's' : ''} in “${mapping.time}” could not be read (e.g. ${ex.join(', ')}). Readable: 2024-03-01 08:00, 2024/3/1 8:00, ISO 8601 with a zone, Unix timestamps.`,
      });
    }
    if (Number(r.good) > 0)
      out.push({ level: 'info', code: 'time-span', zh: `时间从 ${r.t0} 到 ${r.t1}（北京时间；未注明时区的时间按北京时间读取）。`, en: `Times run from ${r.t0} to ${r.t1} (China Standard Time; times without a zone are read as China Standard Time).` });
  }
  return out;
}
