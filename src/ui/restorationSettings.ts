/**
 * The restoration layer's own controls: a before/after swipe compare of two
 * years (the "before" year chosen here, the "after" year is the clock's).
 */
import type { Lang } from '../state/types';
import { h } from './dom';

export interface RestorationSettingsProps {
  lang: Lang;
  /** The dataset's first and last year. */
  years: [number, number];
  compareYear: number | null;
  clockYear: number;
  onCompare(year: number | null): void;
}

export function restorationSettings(p: RestorationSettingsProps): HTMLElement {
  const zh = p.lang === 'zh';
  const on = p.compareYear !== null;
  const box = h('input', {
    type: 'checkbox',
    class: 'swipe-toggle',
    change: (e: Event) => p.onCompare((e.target as HTMLInputElement).checked ? defaultBefore(p) : null),
  });
  box.checked = on;
  const years: number[] = [];
  for (let y = p.years[0]; y <= p.years[1]; y++) years.push(y);
  const select = h(
    'select',
    { class: 'swipe-year', 'aria-label': zh ? '对比年份（左侧）' : 'Before year (left)', disabled: !on, change: (e: Event) => p.onCompare(Number((e.target as HTMLSelectElement).value)) },
    ...years.map((y) => {
      const o = h('option', { value: y }, String(y));
      o.selected = y === (p.compareYear ?? defaultBefore(p));
      return o;
    }),
  );
  return h(
    'div',
    { class: 'restoration-settings' },
    h('label', { class: 'surface-opt', title: zh ? '左右两侧分别显示两个年份的修复范围，拖动分隔线比较' : 'Two years side by side; drag the divider to compare' }, box, h('span', {}, zh ? '卷帘对比' : 'Swipe compare')),
    h('label', { class: 'swipe-year-label' }, h('span', {}, zh ? '左侧年份' : 'Left year'), select, h('span', { class: 'swipe-right' }, zh ? `右侧：时间轴 ${p.clockYear} 年` : `right: the clock, ${p.clockYear}`)),
  );
}

/** The first year, or the clock's year less five if that is later: a visible difference by default. */
function defaultBefore(p: RestorationSettingsProps): number {
  return Math.max(p.years[0], Math.min(p.clockYear - 5, p.years[1]));
}
