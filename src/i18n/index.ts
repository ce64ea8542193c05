import type { Lang } from '../state/types';
import { STRINGS, type StringKey } from './strings';
import type { Localized } from '../catalog/types';

export function t(key: StringKey, lang: Lang): string {
  return STRINGS[key][lang];
}

export function loc(value: Localized | undefined, lang: Lang): string {
  return value ? value[lang] || value.zh : '';
}

export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A file size as people read it: "2.7 MB", "48 KB". */
export function formatBytes(bytes: number, lang: Lang): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${formatNumber(mb, lang, 1)} MB` : `${formatNumber(Math.max(1, Math.round(bytes / 1024)), lang)} KB`;
}
