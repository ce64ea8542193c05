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
