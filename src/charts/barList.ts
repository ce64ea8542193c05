/**
 * Horizontal bars as a list of buttons: one per item, its bar's length the
 * item's value, pressed items highlighted and the others faint when any is
 * pressed. Buttons, so the keyboard and screen readers reach every bar; the
 * label and value are text. `update` keeps the buttons (and focus) and moves
 * only the bars.
 */
import { formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { clear, h } from '../ui/dom';
import './charts.css';

export interface BarItem {
  id: string;
  label: string;
  value: number;
}

export interface BarListProps {
  items: BarItem[];
  pressed: string[];
  lang: Lang;
  colour: string;
  /** Accessible name of the list. */
  label: string;
  unit: string;
  onToggle(id: string): void;
}

export interface BarListHandle {
  update(items: BarItem[], pressed: string[]): void;
  destroy(): void;
}

export function renderBarList(el: HTMLElement, p: BarListProps): BarListHandle {
  clear(el);
  const list = h('div', { class: 'ca-barlist', role: 'group', 'aria-label': p.label });
  el.append(list);
  const rows = new Map<string, { btn: HTMLButtonElement; bar: HTMLElement; value: HTMLElement }>();
  const update = (items: BarItem[], pressed: string[]) => {
    const max = Math.max(1, ...items.map((i) => i.value));
    const any = pressed.length > 0;
    for (const it of items) {
      let r = rows.get(it.id);
      if (!r) {
        const bar = h('span', { class: 'ca-bar' });
        const value = h('span', { class: 'ca-bar-value' });
        const btn = h('button', { type: 'button', class: 'ca-bar-row', 'data-id': it.id, click: () => p.onToggle(it.id) }, h('span', { class: 'ca-bar-label' }, it.label), h('span', { class: 'ca-bar-track' }, bar), value);
        r = { btn, bar, value };
        rows.set(it.id, r);
      }
      list.append(r.btn); // in the items' order
      const on = pressed.includes(it.id);
      r.btn.setAttribute('aria-pressed', String(on));
      r.btn.classList.toggle('ca-bar-faint', any && !on);
      r.bar.style.width = `${(100 * it.value) / max}%`;
      r.bar.style.background = p.colour;
      r.value.textContent = `${formatNumber(it.value, p.lang)} ${p.unit}`;
      r.btn.dataset.value = String(it.value);
    }
    for (const [id, r] of rows) if (!items.some((i) => i.id === id)) (r.btn.remove(), rows.delete(id));
  };
  update(p.items, p.pressed);
  return { update, destroy: () => clear(el) };
}
