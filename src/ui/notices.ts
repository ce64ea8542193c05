import { t } from '../i18n';
import type { Lang } from '../state/types';
import { h } from './dom';

export type NoticeLevel = 'info' | 'warning' | 'error';

/**
 * Messages the user must see (bad catalog entries, failed files, engine
 * start-up). Each says what went wrong; nothing already on screen is removed.
 */
export function createNotices(root: HTMLElement, lang: () => Lang) {
  const shown = new Map<string, HTMLElement>();
  return {
    show(key: string, level: NoticeLevel, title: string, lines: string[] = []) {
      shown.get(key)?.remove();
      const more = lines.length > 5 ? lines.length - 5 : 0;
      const el = h(
        'div',
        { class: `notice notice-${level}`, role: level === 'error' ? 'alert' : 'status', 'data-notice': key },
        h('div', { class: 'notice-title' }, title),
        lines.length ? h('ul', {}, ...lines.slice(0, 5).map((l) => h('li', {}, l))) : null,
        more ? h('div', { class: 'notice-more' }, lang() === 'zh' ? `另有 ${more} 条` : `and ${more} more`) : null,
        h('button', { type: 'button', class: 'notice-close', click: () => this.hide(key) }, t('dismiss', lang())),
      );
      shown.set(key, el);
      root.append(el);
    },
    hide(key: string) {
      shown.get(key)?.remove();
      shown.delete(key);
    },
  };
}
