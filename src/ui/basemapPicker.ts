import type { IControl } from 'maplibre-gl';
import { BASEMAP_IDS, BASEMAPS, tiandituKey, type BasemapId } from '../map/basemaps';
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import './basemapPicker.css';

export interface PickerState {
  lang: Lang;
  /** What the user asked for (the store's basemap). */
  requested: BasemapId;
  /** What is on screen (the offline base after a fallback). */
  shown: BasemapId;
  /** A request is loading. */
  loading: boolean;
}

export interface PickerHandlers {
  onPick(id: BasemapId): void;
  /** A new Tianditu key was saved (or cleared: null). */
  onKey(key: string | null): void;
}

const T = {
  button: { zh: '底图', en: 'Base map' },
  title: { zh: '底图', en: 'Base map' },
  online: {
    zh: '在线底图从所选服务商加载地图瓦片，只在你选择后联网；加载失败时自动回到离线底图。',
    en: 'Online base maps load tiles from the chosen provider, only once you choose one; if one fails, the offline base comes back.',
  },
  shown: { zh: '显示中', en: 'shown' },
  loading: { zh: '加载中…', en: 'loading…' },
  failed: { zh: '不可用，显示离线底图', en: 'unavailable; offline base shown' },
  key: { zh: '天地图密钥（tk）', en: 'Tianditu key (tk)' },
  keyNote: { zh: '只保存在本浏览器，不会进入链接或导出。', en: 'Kept only in this browser; never in a link or an export.' },
  keySave: { zh: '保存', en: 'Save' },
  keyClear: { zh: '清除', en: 'Clear' },
  keyBad: { zh: '密钥应为 32 位十六进制字符。', en: 'A key is 32 hexadecimal characters.' },
  keySet: { zh: '已保存密钥', en: 'Key saved' },
} as const;

/**
 * The base-map switcher: a MapLibre control under the zoom buttons that
 * opens a list of bases. Online ones say what they load from; Tianditu asks
 * for the user's own key, which stays in this browser.
 */
export class BasemapPicker implements IControl {
  private root = h('div', { class: 'maplibregl-ctrl maplibregl-ctrl-group basemap-picker' });
  private open = false;
  private state: PickerState = { lang: 'zh', requested: 'offline', shown: 'offline', loading: false };
  private keyProblem = false;
  private focusOnRender = false;

  constructor(private readonly handlers: PickerHandlers) {
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.open) {
        this.setOpen(false);
        (this.root.querySelector('.basemap-toggle') as HTMLElement | null)?.focus();
      }
    });
    document.addEventListener('pointerdown', (e) => {
      if (this.open && !this.root.contains(e.target as Node)) this.setOpen(false);
    });
  }

  onAdd(): HTMLElement {
    this.render();
    return this.root;
  }

  onRemove(): void {
    this.root.remove();
  }

  /** Called on every store change (each clock step while playing): redraws only when something it shows changed. */
  update(state: PickerState): void {
    const s = this.state;
    if (s.lang === state.lang && s.requested === state.requested && s.shown === state.shown && s.loading === state.loading) return;
    this.state = state;
    this.render();
  }

  private setOpen(open: boolean) {
    this.focusOnRender = open && !this.open;
    this.open = open;
    this.render();
  }

  private render() {
    const { lang, requested, shown, loading } = this.state;
    // A redraw replaces the elements: keep the keyboard where it was (on the chosen base).
    const active = document.activeElement;
    const hadFocus = !!active && this.root.contains(active) && !(active as HTMLElement).classList.contains('basemap-key');
    clear(this.root);
    this.root.classList.toggle('open', this.open);
    this.root.append(
      h(
        'button',
        {
          type: 'button',
          class: 'basemap-toggle',
          title: T.button[lang],
          'aria-label': `${T.button[lang]}: ${BASEMAPS[shown].name[lang]}`,
          'aria-expanded': String(this.open),
          'aria-controls': 'basemap-list',
          click: () => this.setOpen(!this.open),
        },
        h('span', { class: 'basemap-icon', 'aria-hidden': 'true' }),
      ),
    );
    if (!this.open) {
      if (hadFocus) (this.root.querySelector('.basemap-toggle') as HTMLElement | null)?.focus();
      return;
    }
    const list = h('fieldset', { class: 'basemap-list', id: 'basemap-list' }, h('legend', {}, T.title[lang]));
    for (const id of BASEMAP_IDS) {
      const def = BASEMAPS[id];
      const status =
        id !== requested ? null : loading ? T.loading[lang] : shown !== requested ? T.failed[lang] : id !== 'offline' ? T.shown[lang] : null;
      list.append(
        h(
          'label',
          { class: `basemap-option${id === requested ? ' chosen' : ''}${id === requested && shown !== requested && !loading ? ' failed' : ''}`, 'data-basemap': id },
          h('input', { type: 'radio', name: 'basemap', value: id, checked: id === requested, change: () => this.handlers.onPick(id) }),
          h('span', { class: 'basemap-name' }, def.name[lang]),
          h('span', { class: 'basemap-note' }, def.note[lang]),
          status ? h('span', { class: 'basemap-status' }, status) : null,
        ),
      );
      if (def.key === 'tianditu' && id === requested) list.append(this.keyField(lang));
    }
    list.append(h('p', { class: 'basemap-online-note' }, T.online[lang]));
    this.root.append(list);
    // Opening moves focus into the list, so the keyboard can choose at once (only then: a redraw must not steal focus).
    if (this.focusOnRender || hadFocus) {
      this.focusOnRender = false;
      queueMicrotask(() => (list.querySelector('input:checked') as HTMLElement | null)?.focus());
    }
  }

  private keyField(lang: Lang): HTMLElement {
    const has = !!tiandituKey.get();
    const input = h('input', {
      type: 'password',
      class: 'basemap-key',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: has ? T.keySet[lang] : '0123…cdef',
      'aria-label': T.key[lang],
      'aria-invalid': this.keyProblem ? 'true' : undefined,
      maxlength: 64,
    });
    const save = () => {
      const v = input.value.trim();
      if (!tiandituKey.valid(v)) {
        this.keyProblem = true;
        this.render();
        return;
      }
      this.keyProblem = false;
      this.handlers.onKey(v);
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') save();
    });
    return h(
      'div',
      { class: 'basemap-key-field' },
      h('label', {}, T.key[lang], input),
      h('button', { type: 'button', click: save }, T.keySave[lang]),
      has ? h('button', { type: 'button', click: () => this.handlers.onKey(null) }, T.keyClear[lang]) : null,
      h('p', { class: this.keyProblem ? 'basemap-key-bad' : 'basemap-key-note' }, this.keyProblem ? T.keyBad[lang] : T.keyNote[lang]),
    );
  }
}
