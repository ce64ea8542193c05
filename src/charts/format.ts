/**
 * Bilingual labels and number formats shared by the charts. Pure (Intl only),
 * so they are unit-tested in node. Times are shown in China Standard Time
 * whatever the viewer's own time zone: the data and the app clock are CST.
 */
import type { Lang } from '../state/types';

/** UTC+8, no daylight saving. Add to a UTC epoch and read with UTC getters to get CST. */
export const CST_OFFSET_MS = 8 * 3600_000;

export const NO_VALUE = '—';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

const formats = new Map<string, Intl.NumberFormat>();

/** Fixed decimals so that columns of numbers line up; '—' for null or NaN. */
export function fmtNum(v: number | null | undefined, lang: Lang, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NO_VALUE;
  const key = `${lang}:${digits}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(key, f);
  }
  // −0 after rounding reads as a glitch.
  const s = f.format(v);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** A 0..1 share as "93.4 %". */
export function fmtShare(share: number | null | undefined, lang: Lang, digits = 1): string {
  return share === null || share === undefined || !Number.isFinite(share) ? NO_VALUE : `${fmtNum(share * 100, lang, digits)} %`;
}

/** Month 1..12: "3月" / "Mar". */
export function monthLabel(month: number, lang: Lang): string {
  return lang === 'zh' ? `${month}月` : (MONTHS_EN[month - 1] ?? String(month));
}

/** Weekday Monday = 0 … Sunday = 6. */
export function weekdayLabel(mon0: number, lang: Lang): string {
  return WEEKDAYS[lang][mon0] ?? '';
}

/** Calendar parts of a UTC epoch in CST. */
export function cstParts(ms: number): { y: number; m: number; d: number; h: number; min: number } {
  const t = new Date(ms + CST_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), min: t.getUTCMinutes() };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2025年1月5日 14:00" / "5 Jan 2025 14:00"; the hour is left out for whole-day steps. */
export function fmtCstTime(ms: number, lang: Lang, withHour = true): string {
  const { y, m, d, h, min } = cstParts(ms);
  const hm = withHour ? ` ${pad2(h)}:${pad2(min)}` : '';
  return lang === 'zh' ? `${y}年${m}月${d}日${hm}` : `${d} ${monthLabel(m, 'en')} ${y}${hm}`;
}

/** A 'YYYY-MM-DD' day with its weekday: "2025年1月5日 周日" / "Sun 5 Jan 2025". */
export function fmtDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wd = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return lang === 'zh' ? `${y}年${m}月${d}日 ${weekdayLabel(wd, 'zh')}` : `${weekdayLabel(wd, 'en')} ${d} ${monthLabel(m, 'en')} ${y}`;
}

/** Axis tick label of a CST instant, as coarse as the tick spacing allows. */
export function fmtTick(ms: number, lang: Lang, unit: 'month' | 'day' | 'hour'): string {
  const { y, m, d, h } = cstParts(ms);
  if (unit === 'month') {
    if (m === 1) return lang === 'zh' ? `${y}年` : String(y);
    return monthLabel(m, lang);
  }
  if (unit === 'day' || h === 0) return lang === 'zh' ? `${m}月${d}日` : `${d} ${monthLabel(m, 'en')}`;
  return `${pad2(h)}:00`;
}
