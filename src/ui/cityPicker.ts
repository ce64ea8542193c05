import type { Catalog } from '../catalog/types';
import { t } from '../i18n';
import type { Lang } from '../state/types';
import { clear, h, keepingFocus } from './dom';

export function renderCityPicker(root: HTMLElement, catalog: Catalog, cityId: string, lang: Lang, onPick: (id: string) => void): void {
  keepingFocus(root, () => buildCityPicker(root, catalog, cityId, lang, onPick));
}

function buildCityPicker(root: HTMLElement, catalog: Catalog, cityId: string, lang: Lang, onPick: (id: string) => void): void {
  clear(root);
  const group = h('div', { class: 'city-picker', role: 'radiogroup', 'aria-label': t('city', lang) });
  for (const c of catalog.cities) {
    const selected = c.id === cityId;
    group.append(
      h(
        'button',
        {
          type: 'button',
          class: selected ? 'city-btn selected' : 'city-btn',
          role: 'radio',
          'aria-checked': selected ? 'true' : 'false',
          'data-city': c.id,
          click: () => onPick(c.id),
        },
        h('span', { class: 'city-zh' }, c.name.zh),
        h('span', { class: 'city-en' }, c.name.en),
      ),
    );
  }
  root.append(group);
}
