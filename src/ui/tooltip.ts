import type { Description } from '../layers/types';
import { clear, h } from './dom';

/** Hover tooltip. Built from text nodes only: a hostile property value shows as text. */
export function createTooltip(parent: HTMLElement) {
  const el = h('div', { class: 'tooltip', role: 'tooltip' });
  el.hidden = true;
  parent.append(el);
  return {
    show(d: Description, x: number, y: number) {
      clear(el);
      el.append(h('div', { class: 'tt-title' }, d.title));
      if (d.subtitle) el.append(h('div', { class: 'tt-sub' }, d.subtitle));
      const rows = d.rows.slice(0, 4);
      if (rows.length) el.append(h('table', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))));
      el.hidden = false;
      const pad = 14;
      const w = el.offsetWidth;
      const ph = parent.clientWidth;
      el.style.left = `${Math.min(x + pad, ph - w - 4)}px`;
      el.style.top = `${y + pad}px`;
    },
    hide() {
      el.hidden = true;
    },
    element: el,
  };
}
