import type { LayerStatus } from '../layers/controller';
import { loc } from '../i18n';
import type { Lang } from '../state/types';
import { clear, h, rgbaCss } from './dom';
import { dataBadge } from './provenance';
import { liveLine } from './legend';

/**
 * The compact legend embeds show: one line per visible layer with its swatches
 * and its modelled badge, so the public always sees what is modelled.
 */
export function renderLegendBox(root: HTMLElement, statuses: LayerStatus[], modelled: (layerId: string) => boolean, lang: Lang): void {
  if (!root.dataset.wired) {
    root.dataset.wired = '1';
    root.setAttribute('role', 'button');
    // As a button its name is what it shows (the layers and swatches), not a fixed word that hides them.
    root.removeAttribute('aria-label');
    root.tabIndex = 0;
    const toggle = () => root.classList.toggle('expanded');
    root.addEventListener('click', toggle);
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') toggle();
    });
  }
  clear(root);
  const visible = statuses.filter((s) => s.visible && s.legend);
  root.hidden = visible.length === 0;
  for (const s of visible) {
    const items = s.legend!.items.map((item) => {
      const sw = h('span', { class: `swatch swatch-${item.shape ?? 'square'}`, title: item.label });
      sw.style.background = rgbaCss(item.color);
      return h('span', { class: 'lb-item' }, sw, h('span', { class: 'lb-label' }, item.label));
    });
    root.append(
      h(
        'div',
        { class: 'lb-layer', 'data-legend': s.def.id },
        h(
          'div',
          { class: 'lb-head' },
          h('span', { class: 'lb-title' }, loc(s.def.name, lang), h('span', { class: 'lb-toggle', 'aria-hidden': 'true' }, '▸')),
          dataBadge(modelled(s.def.id), lang),
        ),
        s.legend!.live !== undefined ? liveLine(s.legend!.live, s.def.id) : null,
        h('div', { class: 'lb-items' }, ...items),
      ),
    );
  }
}
