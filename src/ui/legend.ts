import type { Legend } from '../layers/types';
import { h, rgbaCss } from './dom';

export function legendView(legend: Legend, layerId?: string): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    h('div', { class: 'legend-title' }, legend.title),
    legend.live !== undefined ? liveLine(legend.live, layerId) : null,
    h(
      'ul',
      { class: 'legend-items' },
      ...legend.items.map((item) => {
        const swatch = h('span', { class: `swatch swatch-${item.shape ?? 'square'}` });
        swatch.style.background = rgbaCss(item.color);
        return h('li', {}, swatch, h('span', {}, item.label));
      }),
    ),
    legend.note ? h('div', { class: 'legend-note' }, legend.note) : null,
  );
}

/** The clock-following line; `updateLiveLegends` rewrites its text in place on every step. */
export function liveLine(text: string, layerId?: string): HTMLElement {
  return h('div', { class: 'legend-live', 'data-live': layerId ?? '', 'aria-live': 'off' }, text);
}

export function updateLiveLegends(root: ParentNode, layerId: string, text: string): void {
  for (const el of root.querySelectorAll<HTMLElement>(`.legend-live[data-live="${CSS.escape(layerId)}"]`)) {
    if (el.textContent !== text) el.textContent = text;
  }
}
