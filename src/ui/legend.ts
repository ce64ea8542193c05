import type { Legend } from '../layers/types';
import { h, rgbaCss } from './dom';

export function legendView(legend: Legend): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    h('div', { class: 'legend-title' }, legend.title),
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
