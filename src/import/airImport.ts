/**
 * Planner-facing import of the real China air-quality archive (CNEMC formats)
 * into the engine, and the SQL that lets the air-quality layer draw it.
 *
 * - {@link classifyCsv} sniffs a file's header row: CNEMC station list,
 *   per-hour readings, or neither.
 * - {@link importAirFiles} imports a batch of files one by one. A station
 *   list replaces {@link IMPORTED_STATIONS_TABLE}; hourly files are merged
 *   into {@link IMPORTED_HOURLY_TABLE} (the newer file wins per
 *   station/hour). A failed file changes nothing and is reported; the other
 *   files still import. Every problem and known error comes back as a
 *   {@link Message} in Chinese and English.
 * - {@link importedAirSql} gives two SELECT statements (stations and
 *   hourly readings of one city) in the shape the air layer draws.
 *
 * No DOM here: the dialog is ../ui/importDialog.ts.
 *
 * On an engine that restarts after its worker died (../engine/resilient.ts),
 * each import is recorded in the engine's journal with the files that made
 * it into the tables (their bytes, as given: not copied, so the caller must
 * not reuse them) and the o3 layout; a restart imports them again in the
 * same order, which rebuilds the same tables. {@link clearImportedAir}
 * forgets them.
 */
import type { Engine } from '../engine/types.ts';
import { cleanErrorMessage, quoteIdent } from '../engine/sql.ts';
import { utcMsToClock } from '../state/clock.ts';
import { importHourlyReadings, importStationList, normalizeHeader, type O3Layout } from './cnemc.ts';
import { decodeText } from './encoding.ts';

export type { O3Layout } from './cnemc.ts';

/** Where an imported station list lives (replaced by each newer list). */
export const IMPORTED_STATIONS_TABLE = 'user__cnemc_stations';
/** Where imported hourly readings accumulate (one row per station and hour; schema of importHourlyReadings). */
export const IMPORTED_HOURLY_TABLE = 'user__cnemc_hourly';
/** Files above this size are refused (the whole file is decoded in memory). */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

export type AirFileKind = 'stations' | 'hourly' | 'unknown';

export interface Message {
  level: 'error' | 'warning' | 'info';
  zh: string;
  en: string;
}

export interface AirFileResult {
  name: string;
  kind: AirFileKind;
  /** true: the file's rows are in the imported tables now. */
  ok: boolean;
  rows?: number;
  /** 'utf-8' or 'gbk', when the file could be decoded. */
  encoding?: string;
  messages: Message[];
}

export interface AirImportOutcome {
  /** One entry per input file, in input order. */
  files: AirFileResult[];
  /** Distinct stations in the imported tables after this import (all cities). */
  stations: number;
  /** Distinct hours in the imported hourly table after this import. */
  hours: number;
  /** First and last imported hour as app clock strings ('YYYY-MM-DDTHH', China Standard Time), or null without hourly data. */
  span: [string, string] | null;
}

export interface AirImportOptions {
  /** How to read the o3 / o3_24h headers of hourly files (see cnemc.ts HourlyOptions). Default 'swapped' (the public scrape). */
  o3Columns?: O3Layout;
  /** Called before each file (index 0-based) and once more with index === total while merging. */
  onProgress?: (index: number, total: number, name: string) => void;
}

// ───────────────────────────── sniffing ─────────────────────────────

const N = (xs: string[]) => new Set(xs.map(normalizeHeader));
const POLLUTANT_HEADERS = N(['pm2_5', 'pm25', 'pm2.5', 'pm10', 'o3', 'o3_24h', 'o3_8h', 'no2', 'so2', 'co', 'aqi', '细颗粒物', '可吸入颗粒物', '臭氧', '二氧化氮', '二氧化硫', '一氧化碳']);
const HOURLY_KEY_HEADERS = N(['stationcode', 'station_code', 'timepoint', 'time_point', 'datetime', '时间', '时间点', '监测时间', 'positionname', '监测点编码', '站点编码', '站点代码']);
const STATION_ONLY_HEADERS = N(['对照点', '是否对照点', '地级行政区', '省级行政区', '监测点编码', '监测点名称']);
const STATION_CODE_HEADERS = N(['站点编码', '站点代码', 'stationcode', 'station_code', 'code', 'id', '站点名称', 'station_name', 'positionname']);
const COORD_HEADERS = N(['经度', '纬度', 'longitude', 'latitude', 'lon', 'lat', 'lng']);

interface Sniffed {
  kind: AirFileKind;
  headers: string[];
  /** The other well-known archive layout: one row per city/pollutant/hour, one column per station. */
  wide: boolean;
}

/** The header row's bytes: up to the first line feed (0x0A never occurs inside a GBK or UTF-8 multibyte character). */
function headerBytes(bytes: Uint8Array): Uint8Array {
  const limit = Math.min(bytes.length, 64 * 1024);
  for (let i = 0; i < limit; i++) if (bytes[i] === 0x0a) return bytes.subarray(0, i);
  return bytes.subarray(0, limit);
}

function splitHeader(line: string): string[] {
  const delims = [',', '\t', ';', '|'];
  const count = (d: string) => line.split(d).length;
  const delim = delims.reduce((best, d) => (count(d) > count(best) ? d : best), ',');
  return line
    .replace(/\r$/, '')
    .split(delim)
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"').trim())
    .filter((c) => c.length > 0);
}

function sniff(bytes: Uint8Array): Sniffed {
  let line: string;
  try {
    line = decodeText(headerBytes(bytes)).text;
  } catch {
    return { kind: 'unknown', headers: [], wide: false };
  }
  const headers = splitHeader(line);
  const norm = new Set(headers.map(normalizeHeader));
  const has = (set: Set<string>) => [...set].filter((x) => norm.has(x)).length;
  const wide = norm.has('date') && norm.has('hour') && norm.has('type');
  if (wide) return { kind: 'unknown', headers, wide };
  if (has(POLLUTANT_HEADERS) >= 1 && has(HOURLY_KEY_HEADERS) >= 1) return { kind: 'hourly', headers, wide };
  if (has(POLLUTANT_HEADERS) === 0 && (has(STATION_ONLY_HEADERS) >= 1 || (has(STATION_CODE_HEADERS) >= 1 && has(COORD_HEADERS) >= 1))) {
    return { kind: 'stations', headers, wide };
  }
  return { kind: 'unknown', headers, wide };
}

/**
 * What a CSV holds, from its header row: a CNEMC station list (监测点编码,
 * 经度, 纬度, 对照点…), an hourly readings file (stationcode/timepoint plus
 * pollutant columns pm2_5, o3_24h…), or 'unknown' (anything else, binary
 * data included). Only the first line is decoded.
 */
export function classifyCsv(name: string, bytes: Uint8Array): AirFileKind {
  void name;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || binaryKind(bytes) !== null) return 'unknown';
  return sniff(bytes).kind;
}

/** 'xlsx' / 'xls' / 'binary' when the bytes are evidently not text, else null. */
function binaryKind(bytes: Uint8Array): 'xlsx' | 'xls' | 'binary' | null {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'xls';
  // UTF-16 has NULs too, but decodeText explains that case better.
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return null;
  const n = Math.min(b.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const x = b[i]!;
    if (x === 0) return 'binary';
    if (x < 0x09 || (x > 0x0d && x < 0x20 && x !== 0x1b)) control++;
  }
  return control > n * 0.01 ? 'binary' : null;
}

// ───────────────────────────── messages ─────────────────────────────

const COLUMN_LABELS: Record<string, { zh: string; en: string }> = {
  id: { zh: '监测点编码', en: 'station code (监测点编码)' },
  name: { zh: '监测点名称', en: 'station name (监测点名称)' },
  city: { zh: '城市', en: 'city (城市)' },
  lon: { zh: '经度', en: 'longitude (经度)' },
  lat: { zh: '纬度', en: 'latitude (纬度)' },
  background: { zh: '对照点', en: 'background-site flag (对照点)' },
  station: { zh: '站点编码（stationcode）', en: 'station code (stationcode)' },
  time: { zh: '时间（timepoint，或文件名中的小时，如 2022-01-01T00）', en: 'time (timepoint, or an hour in the file name such as 2022-01-01T00)' },
  pm25: { zh: 'PM2.5（pm2_5）', en: 'PM2.5 (pm2_5)' },
  pm10: { zh: 'PM10（pm10）', en: 'PM10 (pm10)' },
  o3: { zh: 'O3（o3）', en: 'O3 (o3)' },
  o3_24h: { zh: 'o3_24h', en: 'o3_24h' },
  no2: { zh: 'NO2（no2）', en: 'NO2 (no2)' },
  so2: { zh: 'SO2（so2）', en: 'SO2 (so2)' },
  co: { zh: 'CO（co）', en: 'CO (co)' },
};

const O3_NAMES = {
  swapped: { zh: '“公开归档（o3 与 o3_24h 互换）”', en: '"public archive (o3 and o3_24h swapped)"' },
  'as-labelled': { zh: '“按列名”', en: '"as labelled"' },
} as const;

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Top-level "key (…)" items of a missing-columns list, and the text after "; the file has: ". */
function parseMissing(list: string): { keys: string[]; has: string } | null {
  const keys: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ',' || ch === ';')) {
      keys.push(list.slice(start, i).trim());
      start = i + 1;
      if (ch === ';') {
        const rest = list.slice(i + 1).trim();
        const m = /^the file has: ([\s\S]*)$/.exec(rest);
        return { keys: keys.map((k) => k.replace(/\s*\([\s\S]*$/, '')), has: m ? m[1]! : rest };
      }
    }
  }
  return null;
}

function missingColumnsMessage(detail: string): Message | null {
  const m = /missing required columns? ([\s\S]*)$/.exec(detail);
  if (!m) return null;
  const parsed = parseMissing(m[1]!);
  if (!parsed || parsed.keys.length === 0 || parsed.keys.some((k) => !(k in COLUMN_LABELS))) return null;
  const zhCols = parsed.keys.map((k) => COLUMN_LABELS[k]!.zh).join('、');
  const enCols = parsed.keys.map((k) => COLUMN_LABELS[k]!.en).join(', ');
  const has = clip(parsed.has, 200);
  const o3Hint = parsed.keys.includes('o3_24h') && /swapped scrape layout/.test(m[1]!);
  return {
    level: 'error',
    zh: `缺少必需的列：${zhCols}。文件中的列：${has}${o3Hint ? `。若文件没有 o3_24h 列，请将 O3 列布局改为${O3_NAMES['as-labelled'].zh}` : ''}`,
    en: `Missing required column${parsed.keys.length > 1 ? 's' : ''}: ${enCols}. The file has: ${has}${o3Hint ? `. If the file has no o3_24h column, set the O3 column layout to ${O3_NAMES['as-labelled'].en}` : ''}`,
  };
}

/** Our own refusals, thrown inside importAirFiles and translated by {@link messageForError}. */
class ImportRefusal extends Error {
  constructor(readonly msg: Message) {
    super(msg.en);
  }
}

/** The message for a file over {@link MAX_FILE_BYTES} (the dialog uses it without reading such a file). */
export function tooLargeMessage(size: number): Message {
  const mb = (size / 1024 / 1024).toFixed(0);
  return {
    level: 'error',
    zh: `文件过大（${mb} MB，上限 200 MB），未导入。请拆分为较小的文件（例如每小时一个文件）。`,
    en: `File too large (${mb} MB; the limit is 200 MB), not imported. Split it into smaller files (e.g. one file per hour).`,
  };
}

/** A result entry for a file refused before reading because of its size. */
export function tooLargeResult(name: string, size: number): AirFileResult {
  return { name, kind: 'unknown', ok: false, messages: [tooLargeMessage(size)] };
}

const EMPTY_FILE: Message = { level: 'error', zh: '文件为空，未导入。', en: 'The file is empty; nothing imported.' };
const NO_ROWS: Message = {
  level: 'error',
  zh: '文件中没有可用的数据行（只有表头，或所有行都缺少编码、时间或坐标），未导入。',
  en: 'The file has no usable rows (only a header, or every row lacks a code, time or coordinates); nothing imported.',
};

function notCsvMessage(kind: 'xlsx' | 'xls' | 'binary'): Message {
  if (kind === 'binary') {
    return { level: 'error', zh: '这不是 CSV 文本文件（含二进制数据），未导入。', en: 'This is not a CSV text file (it contains binary data); nothing imported.' };
  }
  return {
    level: 'error',
    zh: '这是 Excel 工作簿，不是 CSV 文件。请在 Excel 中“另存为 CSV”后再导入。',
    en: 'This is an Excel workbook, not a CSV file. Save it as CSV in Excel and import that.',
  };
}

function unknownFormatMessage(s: Sniffed): Message {
  if (s.wide) {
    return {
      level: 'error',
      zh: '这是另一种归档格式（date、hour、type 加每个站点一列），暂不支持。请使用每小时一个文件、每行一个站点的格式（列 timepoint、stationcode、pm2_5…）。',
      en: 'This is the other archive layout (date, hour, type and one column per station), which is not supported. Use the one-file-per-hour layout with one row per station (columns timepoint, stationcode, pm2_5…).',
    };
  }
  const head = s.headers.length ? clip(s.headers.join(', '), 200) : '—';
  return {
    level: 'error',
    zh: `无法识别：既不是国控站点列表（监测点编码、经度、纬度…），也不是小时数据（stationcode、timepoint、pm2_5…）。表头：${head}`,
    en: `Not recognised: neither a CNEMC station list (监测点编码, 经度, 纬度…) nor an hourly readings file (stationcode, timepoint, pm2_5…). Header: ${head}`,
  };
}

const UTF16: Message = {
  level: 'error',
  zh: '文件为 UTF-16 编码（Excel“Unicode 文本”）。请另存为 UTF-8 或 GBK 编码的 CSV 后重试。',
  en: 'The file is UTF-16 encoded (Excel "Unicode text"). Save it as a UTF-8 or GBK CSV and try again.',
};
const GBK_INFO: Message = { level: 'info', zh: '检测到 GBK 编码，已自动转换。', en: 'GBK encoding detected and converted.' };

/**
 * One "CODE: English sentence" problem from cnemc.ts → both languages.
 * Unknown codes keep the English text in both.
 */
export function messageForProblem(problem: string): Message {
  const code = /^([A-Z0-9_]+):\s*([\s\S]*)$/.exec(problem);
  const text = code ? code[2]! : problem;
  const nums = [...text.matchAll(/\d+/g)].map((m) => m[0]);
  const n = nums[0] ?? '?';
  switch (code?.[1]) {
    case 'DROPPED_INVALID_COORDINATES': {
      const m = /^(\d+) of (\d+) stations[\s\S]*?left out: ([\s\S]*)$/.exec(text);
      if (!m) break;
      return {
        level: 'warning',
        zh: `${m[2]} 个站点中有 ${m[1]} 个没有有效坐标（或缺少编码），未导入：${clip(m[3]!)}`,
        en: `${m[1]} of ${m[2]} stations had no valid coordinates (or no code) and were left out: ${clip(m[3]!)}`,
      };
    }
    case 'DUPLICATE_STATION_CODES':
      return { level: 'warning', zh: `${n} 个监测点编码重复出现；地图上每个编码只显示一个站点。`, en: `${n} station codes appear more than once; the map shows one station per code.` };
    case 'UNKNOWN_BACKGROUND_FLAG':
      return { level: 'warning', zh: `${n} 个站点的“对照点”标记不是 Y/N，已保留。`, en: `${n} stations have a background-site flag other than Y/N; kept.` };
    case 'CLOSED_STATIONS':
      return {
        level: 'info',
        zh: `${n} 个站点名称中标有“停运”，已保留，但通常没有读数。`,
        en: `${n} stations are marked 停运 (out of service) in their name; kept, but they usually have no readings.`,
      };
    case 'SHARED_COORDINATES':
      return {
        level: 'warning',
        zh: `${n} 组坐标被多个站点共用，这些站点在地图上会重叠。`,
        en: `${n} coordinate pairs are shared by more than one station; those stations overlap on the map.`,
      };
    case 'DROPPED_ROWS':
      return { level: 'warning', zh: `${n} 行缺少站点编码或无法读取时间，已略过。`, en: `${n} rows had no station code or no readable hour and were left out.` };
    case 'DUPLICATE_READINGS':
      return { level: 'info', zh: `${n} 个站点小时重复出现，保留了最后一行。`, en: `${n} station-hours appeared more than once; the last row was kept.` };
    case 'O3_LAYOUT_SUSPECT': {
      const m = /in (\d+) of (\d+) rows/.exec(text);
      const other = /o3Columns: '(swapped|as-labelled)'/.exec(text)?.[1] as O3Layout | undefined;
      if (!m || !other) break;
      return {
        level: 'warning',
        zh: `${m[2]} 行中有 ${m[1]} 行的小时或 8 小时 O3 高于 24 小时最大值：文件可能采用另一种 O3 列布局。请改选${O3_NAMES[other].zh}后重新导入。`,
        en: `In ${m[1]} of ${m[2]} rows hourly or 8-hour O3 exceeds the 24-hour maximum: the files may use the other O3 column layout. Choose ${O3_NAMES[other].en} and import again.`,
      };
    }
  }
  return { level: 'warning', zh: `注意：${problem}`, en: problem };
}

/**
 * An error thrown while importing one file → both languages. Known causes
 * (missing columns, UTF-16, empty or unreadable CSV) are translated; any
 * other text is kept in English, prefixed 导入失败： in Chinese.
 */
export function messageForError(err: unknown, fileName?: string): Message {
  if (err instanceof ImportRefusal) return err.msg;
  let text = cleanErrorMessage(err);
  for (const prefix of ['station list: ', fileName !== undefined ? `hourly file ${JSON.stringify(fileName)}: ` : null]) {
    if (prefix && text.startsWith(prefix) && /^missing required column/.test(text.slice(prefix.length))) {
      const msg = missingColumnsMessage(text.slice(prefix.length));
      if (msg) return msg;
    }
  }
  if (/missing required column/.test(text)) {
    const msg = missingColumnsMessage(text);
    if (msg) return msg;
  }
  if (/UTF-16 encoded/.test(text)) return UTF16;
  if (/cannot decode GBK/.test(text)) {
    return {
      level: 'error',
      zh: '此浏览器无法解码 GBK 文本。请将文件另存为 UTF-8 后重试。',
      en: 'This browser cannot decode GBK text. Save the file as UTF-8 and try again.',
    };
  }
  if (/: empty file$/.test(text)) return EMPTY_FILE;
  // Internal table names mean nothing to a planner.
  text = text.replace(/ into table "[^"]*"/g, '');
  if (/^could not load CSV/.test(text)) {
    const detail = clip(text.replace(/^could not load CSV:\s*/, ''), 300);
    return { level: 'error', zh: `无法按 CSV 读取该文件（格式或分隔符不正确？）。详细信息：${detail}`, en: `Could not read the file as CSV (wrong format or delimiter?). Details: ${detail}` };
  }
  return { level: 'error', zh: `导入失败：${clip(text, 400)}`, en: clip(text, 400) };
}

// ───────────────────────────── import ─────────────────────────────

let counter = 0;
let importCounter = 0;
/** Journal key prefix of the imports (../engine/types.ts LoadJournal). */
export const AIR_IMPORT_JOURNAL_KEY = 'air-import';
const work = (what: string) => `user__cnemc_work_${what}_${Date.now().toString(36)}_${++counter}`;

async function drop(engine: Engine, tables: string[]): Promise<void> {
  for (const t of tables) await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(t)}`).catch(() => undefined);
}

async function num(engine: Engine, sql: string): Promise<number> {
  const v = (await engine.query(sql)).get(0)?.n;
  return v === null || v === undefined ? 0 : Number(v);
}

/** Refuse what cannot be a CSV before any decoding. */
function precheck(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new ImportRefusal({ level: 'error', zh: '无法读取文件内容。', en: 'The file content could not be read.' });
  if (bytes.length > MAX_FILE_BYTES) throw new ImportRefusal(tooLargeMessage(bytes.length));
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  if (i === bytes.length) throw new ImportRefusal(EMPTY_FILE);
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) throw new ImportRefusal(UTF16);
  const bin = binaryKind(bytes);
  if (bin) throw new ImportRefusal(notCsvMessage(bin));
}

/**
 * Import CNEMC files. Each file is classified and imported on its own:
 * - station list → replaces {@link IMPORTED_STATIONS_TABLE} (the last good list wins);
 * - hourly file → staged, then all good files of this call are merged into
 *   {@link IMPORTED_HOURLY_TABLE} together with what is already there, the
 *   newer file winning per station and hour (one CREATE OR REPLACE statement:
 *   if the merge fails the old table stays as it was);
 * - anything else, or a file that fails → reported in its entry, nothing changed.
 * Never throws for a bad file; throws only if the engine itself is unusable.
 */
export async function importAirFiles(
  engine: Engine,
  files: { name: string; bytes: Uint8Array }[],
  opts: AirImportOptions = {},
): Promise<AirImportOutcome> {
  const o3Columns = opts.o3Columns ?? 'swapped';
  const results: AirFileResult[] = [];
  const batch = work('batch');
  let batchFiles: AirFileResult[] = [];
  const H = quoteIdent(IMPORTED_HOURLY_TABLE);
  // For a restart: the files of this call whose rows are in the tables now, by input position.
  const journalKey = `${AIR_IMPORT_JOURNAL_KEY}:${++importCounter}`;
  const kept = new Map<number, { name: string; bytes: Uint8Array }>();
  const batchIndex = new Map<AirFileResult, number>();
  const keep = (indices: number[]) => {
    if (!engine.journal) return;
    for (const i of indices) kept.set(i, files[i]!);
    const again = [...kept.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
    engine.journal.record(journalKey, async (fresh) => {
      const outcome = await importAirFiles(fresh, again, { o3Columns });
      const lost = outcome.files.filter((f) => !f.ok).map((f) => f.name);
      if (lost.length > 0) throw new Error(`could not import ${lost.join(', ')} again`);
    });
  };
  try {
    for (const [i, file] of files.entries()) {
      const name = String(file?.name ?? '');
      opts.onProgress?.(i, files.length, name);
      const entry: AirFileResult = { name, kind: 'unknown', ok: false, messages: [] };
      results.push(entry);
      const stage = work(`file${i}`);
      try {
        precheck(file.bytes);
        const sniffed = sniff(file.bytes);
        entry.kind = sniffed.kind;
        if (sniffed.kind === 'unknown') throw new ImportRefusal(unknownFormatMessage(sniffed));
        if (sniffed.kind === 'stations') {
          const r = await importStationList(engine, file.bytes, stage);
          entry.encoding = r.encoding;
          if (r.encoding === 'gbk') entry.messages.push(GBK_INFO);
          if (r.rows === 0) throw new ImportRefusal(NO_ROWS);
          await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(IMPORTED_STATIONS_TABLE)} AS SELECT * FROM ${quoteIdent(stage)} ORDER BY id`);
          keep([i]);
          entry.ok = true;
          entry.rows = r.rows;
          entry.messages.push(...r.problems.map(messageForProblem));
        } else {
          const r = await importHourlyReadings(engine, [file], stage, { o3Columns });
          entry.encoding = r.encodings[0];
          if (r.encodings[0] === 'gbk') entry.messages.push(GBK_INFO);
          if (r.rows === 0) throw new ImportRefusal(NO_ROWS);
          const rows = `SELECT *, ${i}::INTEGER AS __file_order FROM ${quoteIdent(stage)}`;
          if (batchFiles.length === 0) await engine.query(`CREATE TABLE ${quoteIdent(batch)} AS ${rows}`);
          else await engine.query(`INSERT INTO ${quoteIdent(batch)} BY NAME ${rows}`);
          batchFiles.push(entry);
          batchIndex.set(entry, i);
          entry.ok = true;
          entry.rows = r.rows;
          entry.messages.push(...r.problems.map(messageForProblem));
        }
      } catch (err) {
        entry.ok = false;
        delete entry.rows;
        entry.messages.push(messageForError(err, name));
      } finally {
        await drop(engine, [stage]);
      }
    }
    if (batchFiles.length > 0) {
      opts.onProgress?.(files.length, files.length, '');
      const exists = (await engine.tables()).includes(IMPORTED_HOURLY_TABLE);
      const union = exists
        ? `SELECT *, -1::INTEGER AS __file_order FROM ${H} UNION ALL BY NAME SELECT * FROM ${quoteIdent(batch)}`
        : `SELECT * FROM ${quoteIdent(batch)}`;
      try {
        await engine.query(
          `CREATE OR REPLACE TABLE ${H} AS
           SELECT * EXCLUDE (__file_order) FROM (${union})
           QUALIFY row_number() OVER (PARTITION BY station_id, ts ORDER BY __file_order DESC) = 1
           ORDER BY station_id, ts`,
        );
        keep(batchFiles.map((e) => batchIndex.get(e)!));
      } catch (err) {
        const msg = messageForError(err);
        for (const e of batchFiles) {
          e.ok = false;
          delete e.rows;
          e.messages.push(msg);
        }
      }
      batchFiles = [];
    }
  } finally {
    await drop(engine, [batch]);
  }
  return { files: results, ...(await importedSummary(engine)) };
}

/** Stations, hours and span of what is imported now. */
export async function importedSummary(engine: Engine): Promise<Omit<AirImportOutcome, 'files'>> {
  const tables = await engine.tables();
  const hasS = tables.includes(IMPORTED_STATIONS_TABLE);
  const hasH = tables.includes(IMPORTED_HOURLY_TABLE);
  const S = quoteIdent(IMPORTED_STATIONS_TABLE);
  const H = quoteIdent(IMPORTED_HOURLY_TABLE);
  const ids = [hasS ? `SELECT id FROM ${S}` : null, hasH ? `SELECT station_id FROM ${H}` : null].filter(Boolean).join(' UNION ');
  const stations = ids ? await num(engine, `SELECT count(*)::DOUBLE AS n FROM (${ids})`) : 0;
  if (!hasH) return { stations, hours: 0, span: null };
  const t = (await engine.query(
    `SELECT count(DISTINCT ts)::DOUBLE AS hours, epoch_ms(min(ts))::DOUBLE AS t0, epoch_ms(max(ts))::DOUBLE AS t1 FROM ${H}`,
  )).get(0);
  const hours = Number(t?.hours ?? 0);
  const span: [string, string] | null = t && t.t0 !== null && t.t1 !== null ? [utcMsToClock(Number(t.t0)), utcMsToClock(Number(t.t1))] : null;
  return { stations, hours, span };
}

/** Drop the imported tables (and any work table a crashed import left behind). */
export async function clearImportedAir(engine: Engine): Promise<void> {
  // First, so that a restart in the middle does not bring them back.
  engine.journal?.forget(AIR_IMPORT_JOURNAL_KEY);
  const tables = await engine.tables();
  for (const t of tables) {
    if (t === IMPORTED_STATIONS_TABLE || t === IMPORTED_HOURLY_TABLE || t.startsWith('user__cnemc_')) await engine.dropTable(t);
  }
}

// ───────────────────────────── SQL for the air layer ─────────────────────────────

/** A SQL string literal (the city name comes from the catalog, but be exact anyway). */
function sqlString(s: string): string {
  if (s.includes('\u0000')) throw new Error('city name must not contain a NUL character');
  return `'${s.replace(/'/g, "''")}'`;
}

/** Coordinates accepted from hourly files (same box as the station-list importer: mainland China and islands). */
const BBOX = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 };

/**
 * Two SELECT statements for the air layer, for one city ('深圳' or '深圳市'):
 * - `stations`: id VARCHAR, name VARCHAR, district VARCHAR, lon DOUBLE, lat DOUBLE —
 *   station-list rows whose 地级行政区 (else 城市) contains the city name
 *   (closed stations kept; district = the county-level 城市 when it differs
 *   from the city, e.g. 莱芜 under 济南, else ''), plus stations that only
 *   the hourly files know (their `city` column, latest name and coordinates);
 * - `hourly`: station_id VARCHAR, ts TIMESTAMP (UTC), pm25, pm10, o3, no2, so2, co DOUBLE
 *   for those stations (no rows when no hourly file was imported).
 * Plain SQL without parameters or a trailing semicolon, usable as a
 * subquery: `FROM (${sql}) s`. null when nothing imported matches the city.
 */
export async function importedAirSql(engine: Engine, cityNameZh: string): Promise<{ stations: string; hourly: string } | null> {
  const key = String(cityNameZh ?? '').trim().replace(/市$/, '');
  if (key.length === 0) throw new Error('importedAirSql: empty city name');
  const tables = await engine.tables();
  const hasS = tables.includes(IMPORTED_STATIONS_TABLE);
  const hasH = tables.includes(IMPORTED_HOURLY_TABLE);
  if (!hasS && !hasH) return null;
  const lit = sqlString(key);
  const S = quoteIdent(IMPORTED_STATIONS_TABLE);
  const H = quoteIdent(IMPORTED_HOURLY_TABLE);
  const fromList = `SELECT CAST(id AS VARCHAR) AS id, CAST(coalesce(name, id) AS VARCHAR) AS name,
      CAST(CASE WHEN city IS NOT NULL AND NOT contains(city, ${lit}) THEN city ELSE '' END AS VARCHAR) AS district,
      CAST(lon AS DOUBLE) AS lon, CAST(lat AS DOUBLE) AS lat
    FROM ${S}
    WHERE contains(coalesce(prefecture, city, ''), ${lit}) AND lon IS NOT NULL AND lat IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY closed ASC NULLS LAST, name) = 1`;
  const fromHourly = `SELECT id, name, district, lon, lat FROM (
      SELECT CAST(station_id AS VARCHAR) AS id,
        CAST(coalesce(arg_max(station_name, ts) FILTER (WHERE station_name IS NOT NULL), station_id) AS VARCHAR) AS name,
        CAST('' AS VARCHAR) AS district,
        CAST(arg_max(lon, ts) FILTER (WHERE lon IS NOT NULL AND lat IS NOT NULL) AS DOUBLE) AS lon,
        CAST(arg_max(lat, ts) FILTER (WHERE lon IS NOT NULL AND lat IS NOT NULL) AS DOUBLE) AS lat
      FROM ${H}
      WHERE contains(coalesce(city, ''), ${lit})${hasS ? ` AND NOT EXISTS (SELECT 1 FROM ${S} l WHERE l.id = station_id)` : ''}
      GROUP BY station_id)
    WHERE lon BETWEEN ${BBOX.minLon} AND ${BBOX.maxLon} AND lat BETWEEN ${BBOX.minLat} AND ${BBOX.maxLat}`;
  const parts = [hasS ? fromList : null, hasH ? fromHourly : null].filter(Boolean).map((p) => `SELECT * FROM (${p})`);
  const stations = `SELECT id, name, district, lon, lat FROM (${parts.join('\n    UNION ALL\n    ')}) ORDER BY id`;
  const hourly = hasH
    ? `SELECT CAST(h.station_id AS VARCHAR) AS station_id, h.ts, h.pm25, h.pm10, h.o3, h.no2, h.so2, h.co
    FROM ${H} h WHERE h.station_id IN (SELECT id FROM (${stations}))
    ORDER BY h.station_id, h.ts`
    : `SELECT CAST(NULL AS VARCHAR) AS station_id, CAST(NULL AS TIMESTAMP) AS ts, CAST(NULL AS DOUBLE) AS pm25, CAST(NULL AS DOUBLE) AS pm10,
      CAST(NULL AS DOUBLE) AS o3, CAST(NULL AS DOUBLE) AS no2, CAST(NULL AS DOUBLE) AS so2, CAST(NULL AS DOUBLE) AS co WHERE false`;
  const n = await num(engine, `SELECT count(*)::DOUBLE AS n FROM (${stations})`);
  return n > 0 ? { stations, hourly } : null;
}

/** How many imported stations the air layer would draw for this city (0 when none). */
export async function importedStationsForCity(engine: Engine, cityNameZh: string): Promise<number> {
  const sql = await importedAirSql(engine, cityNameZh);
  if (!sql) return 0;
  return num(engine, `SELECT count(*)::DOUBLE AS n FROM (${sql.stations})`);
}
