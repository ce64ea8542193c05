/** The SQL console's words, zh and en, and how its errors read. */
import type { Lang } from '../state/types';

export const S = {
  title: { zh: 'SQL 控制台', en: 'SQL console' },
  readOnly: { zh: '只读', en: 'Read-only' },
  readOnlyTitle: {
    zh: '查询在只读事务中运行并回滚：内置表和你导入的表都不会被修改。',
    en: 'Queries run in a read-only transaction that is rolled back: neither the built-in tables nor yours can be changed.',
  },
  close: { zh: '关闭 SQL 控制台', en: 'Close the SQL console' },
  resize: { zh: '拖动或用 ↑↓ 键调整控制台高度', en: 'Drag or use ↑↓ to resize the console' },
  editor: { zh: 'SQL 查询（Ctrl/⌘ + Enter 运行）', en: 'SQL query (Ctrl/⌘ + Enter runs it)' },
  placeholder: { zh: '例如：SELECT name, area_m2 FROM "shenzhen__parks" ORDER BY area_m2 DESC LIMIT 20', en: 'e.g. SELECT name, area_m2 FROM "shenzhen__parks" ORDER BY area_m2 DESC LIMIT 20' },
  run: { zh: '▶ 运行', en: '▶ Run' },
  runTitle: { zh: '运行查询（Ctrl/⌘ + Enter）', en: 'Run the query (Ctrl/⌘ + Enter)' },
  cancel: { zh: '取消', en: 'Cancel' },
  limit: { zh: '行数上限', en: 'Row limit' },
  examples: { zh: '示例查询…', en: 'Example queries…' },
  history: { zh: '最近的查询…', en: 'Recent queries…' },
  noHistory: { zh: '（尚无查询记录）', en: '(no queries yet)' },
  running: { zh: '查询运行中…', en: 'Running…' },
  tables: { zh: '表', en: 'Tables' },
  builtIn: { zh: '内置数据', en: 'Built-in data' },
  yours: { zh: '你的数据', en: 'Your data' },
  notLoaded: { zh: '尚未载入（点击载入）', en: 'Not loaded yet (click to load)' },
  loadTitle: { zh: '把这张表载入数据引擎，以便查询', en: 'Load this table into the data engine to query it' },
  loadingTables: { zh: '正在读取表…', en: 'Reading the tables…' },
  insertTitle: { zh: '在编辑器中写入 SELECT * … LIMIT 100', en: 'Put SELECT * … LIMIT 100 in the editor' },
  columnsOf: { zh: '列', en: 'columns' },
  copyCsv: { zh: '复制 CSV', en: 'Copy CSV' },
  downloadCsv: { zh: '下载 CSV', en: 'Download CSV' },
  copied: { zh: '已复制到剪贴板', en: 'Copied to the clipboard' },
  copyFailed: { zh: '无法复制（浏览器不允许），请用“下载 CSV”', en: 'Could not copy (the browser does not allow it); use Download CSV' },
  noMap: { zh: '无坐标列，未上地图', en: 'No coordinates: not on the map' },
  noMapTitle: {
    zh: '结果中有 lon/lat（经度/纬度）数值列、__geom（GeoJSON 文本）列或 x1,y1,x2,y2 时，会显示在地图上',
    en: 'A result is drawn on the map when it has numeric lon/lat columns, a __geom (GeoJSON text) column or x1,y1,x2,y2',
  },
  clearMap: { zh: '从地图清除', en: 'Clear from map' },
  cleared: { zh: '已从地图清除', en: 'Cleared from the map' },
  cancelled: { zh: '查询已取消。', en: 'The query was cancelled.' },
  failed: { zh: '查询出错：', en: 'The query failed: ' },
  unavailable: { zh: '数据引擎不可用：', en: 'The data engine is unavailable: ' },
  rows: { zh: (n: string) => `${n} 行`, en: (n: string) => `${n} row${n === '1' ? '' : 's'}` },
  truncated: {
    zh: (n: string, max: string) => `显示前 ${n} 行：结果超过行数上限 ${max}，已截断`,
    en: (n: string, max: string) => `First ${n} rows: the result has more than the ${max}-row limit and was cut`,
  },
  rowCount: { zh: (n: string) => `${n} 行`, en: (n: string) => `${n} rows` },
  onMap: {
    zh: (n: string, skipped: string) => `地图上显示 ${n} 个要素${skipped !== '0' ? `（${skipped} 行无有效坐标）` : ''}`,
    en: (n: string, skipped: string) => `${n} feature${n === '1' ? '' : 's'} on the map${skipped !== '0' ? ` (${skipped} rows without valid coordinates)` : ''}`,
  },
} as const;

/** Keys of the plain (not parameterised) strings. */
export type TextKey = { [K in keyof typeof S]: (typeof S)[K]['zh'] extends string ? K : never }[keyof typeof S];

export const fmtInt = (n: number, lang: Lang) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');

/** An error of a console query as one line in `lang`: a refusal's own words, a cancel, or DuckDB's message with context. */
export function errorText(e: unknown, lang: Lang): string {
  const err = e as { name?: string; message?: string; text?: { zh: string; en: string } } | null;
  if (err?.name === 'ReadOnlyRefusal' && err.text) return err.text[lang];
  if (err?.name === 'QueryCancelledError') return S.cancelled[lang];
  const msg = err?.message ?? String(e);
  if (err?.name === 'EngineUnavailableError') return S.unavailable[lang] + msg;
  return S.failed[lang] + msg;
}
