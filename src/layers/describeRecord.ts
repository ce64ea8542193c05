/**
 * A row of the planner's own data (an imported table, a console result) as
 * the tooltip and inspector show it: its columns as text, the geometry and
 * the loaders' working columns left out, long values cut, a bounded number
 * of rows. The values come from files and queries, so nothing here is HTML:
 * the inspector renders every string as text.
 */
import type { Lang } from '../state/types';
import type { Description } from './types';

export const MAX_ROWS = 14;
const MAX_CHARS = 160;

const hidden = (k: string) => k.startsWith('__') || k === 'geometry';

function text(v: unknown, lang: Lang): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isFinite(v) ? v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumSignificantDigits: 8 }) : String(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  // Control characters would garble the tooltip's lines.
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.length > MAX_CHARS ? `${clean.slice(0, MAX_CHARS - 1)}…` : clean;
}

export function describeRecord(title: string, subtitle: string, record: Record<string, unknown>, lang: Lang): Description {
  const keys = Object.keys(record).filter((k) => !hidden(k));
  const rows: [string, string][] = keys.slice(0, MAX_ROWS).map((k) => [text(k, lang), text(record[k], lang)]);
  if (keys.length > MAX_ROWS) rows.push([lang === 'zh' ? '其余列' : 'More columns', String(keys.length - MAX_ROWS)]);
  return { title: text(title, lang), subtitle, rows };
}
