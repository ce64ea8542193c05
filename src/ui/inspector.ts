import type { Description } from '../layers/types';
import { t } from '../i18n';
import type { Lang } from '../state/types';
import { append, clear, h } from './dom';

/** Click inspector: every property of the picked feature, as text. */
export function renderInspector(root: HTMLElement, d: Description | null, lang: Lang, onClose: () => void): void {
  clear(root);
  root.hidden = !d;
  if (!d) return;
  append(root, [
    h(
      'div',
      { class: 'inspector-head' },
      h('h2', { class: 'panel-title' }, t('inspector', lang)),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('close', lang), click: onClose }, '×'),
    ),
    h('div', { class: 'inspector-title' }, d.title),
    d.subtitle ? h('div', { class: 'inspector-sub' }, d.subtitle) : null,
    h('table', { class: 'inspector-table' }, ...d.rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))),
  ]);
}
