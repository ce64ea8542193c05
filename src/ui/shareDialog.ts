/**
 * The "Share" dialog: the whole state as one short link (state/shareLink.ts),
 * its length, what it brings back, and whether it names the data pack. There
 * is no server: the link carries the state itself, so nothing is uploaded.
 */
import './shareDialog.css';
import type { Catalog } from '../catalog/types';
import { loc } from '../i18n';
import { shareUrl } from '../state/shareLink';
import type { AppState, Lang } from '../state/types';
import { encodeUrlState } from '../state/urlCodec';
import { h } from './dom';
import { openModal, type Modal } from './modal';

export interface ShareDialogParams {
  lang: Lang;
  catalog: Catalog;
  /** What the link restores; its view is the camera on screen. */
  state: AppState;
  defaults: Pick<AppState, 'city' | 'lang' | 'mode'>;
  /** Origin and path of the app. */
  base: string;
  /** The open pack's title (null: the built-in data). */
  packTitle: string | null;
}

const S = {
  title: { zh: '分享链接', en: 'Share a link' },
  close: { zh: '关闭', en: 'Close' },
  intro: {
    zh: '此链接原样打开你现在看到的图谱。不上传任何内容：全部状态都在链接里。',
    en: 'This link opens the atlas exactly as you see it now. Nothing is uploaded: the whole state is in the link itself.',
  },
  link: { zh: '短链接', en: 'Short link' },
  copy: { zh: '复制链接', en: 'Copy link' },
  copied: { zh: '已复制到剪贴板', en: 'Copied to the clipboard' },
  selectHint: { zh: '已选中链接，按 Ctrl+C（⌘C）复制', en: 'The link is selected: press Ctrl+C (⌘C) to copy' },
  includes: { zh: '链接包含', en: 'The link includes' },
  city: { zh: '城市', en: 'City' },
  layers: { zh: '图层', en: 'Layers' },
  none: { zh: '无', en: 'none' },
  time: { zh: '时间', en: 'Time' },
  selection: { zh: '选中对象', en: 'Selection' },
  edits: { zh: '方案编辑', en: 'Scenario edits' },
  view: { zh: '地图视图', en: 'Map view' },
  withPack: { zh: '包含数据包名称', en: 'Include the data pack name' },
} satisfies Record<string, Record<Lang, string>>;

/** The scenario edits a link carries: drawn parks, added facilities and a walking point. */
export function scenarioEdits(s: Pick<AppState, 'drawnParks' | 'addedFacilities' | 'iso'>): number {
  return s.drawnParks.length + s.addedFacilities.length + (s.iso ? 1 : 0);
}

export function openShareDialog(host: HTMLElement, p: ShareDialogParams): Modal {
  const zh = p.lang === 'zh';
  const tr = (k: keyof typeof S) => S[k][p.lang];
  const modal = openModal(host, { kind: 'share', title: tr('title'), closeLabel: tr('close') });
  const id = (x: string) => `${modal.uid}-${x}`;

  const field = h('input', { type: 'text', class: 'share-link', id: id('link'), readonly: true, spellcheck: 'false', 'aria-describedby': id('len') });
  const length = h('p', { class: 'share-length', id: id('len') });
  const status = h('span', { class: 'share-status', role: 'status' });
  const packBox = h('input', { type: 'checkbox', class: 'share-pack', id: id('pack') });
  // A pack lives in one browser only, so by default a link (like an embed code) names the built-in data.
  packBox.checked = false;

  const refresh = () => {
    const state = { ...p.state, pack: packBox.checked ? p.state.pack : null };
    field.value = shareUrl(p.base, state, p.defaults);
    const plain = `${p.base}?${encodeUrlState(state, p.defaults)}`.length;
    length.textContent = zh
      ? `${field.value.length} 个字符（完整地址栏形式为 ${plain} 个字符）`
      : `${field.value.length} characters (the full address would be ${plain})`;
    status.textContent = '';
  };
  packBox.addEventListener('change', refresh);

  const copyBtn = h('button', { type: 'button', class: 'share-copy' }, tr('copy'));
  copyBtn.addEventListener('click', async () => {
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = tr('copied');
    } catch {
      // No clipboard permission (http, an iframe, an old browser): the text stays selected.
      status.textContent = document.execCommand('copy') ? tr('copied') : tr('selectHint');
    }
  });

  const s = p.state;
  const city = p.catalog.cities.find((c) => c.id === s.city);
  const layerNames = p.catalog.layers.filter((l) => s.layers.includes(l.id)).map((l) => loc(l.name, p.lang));
  const layerName = (id: string) => loc(p.catalog.layers.find((l) => l.id === id)?.name, p.lang) || id;
  const edits = scenarioEdits(s);
  const editParts = [
    s.drawnParks.length ? (zh ? `${s.drawnParks.length} 个绘制的公园` : `${s.drawnParks.length} drawn park${s.drawnParks.length === 1 ? '' : 's'}`) : '',
    s.addedFacilities.length ? (zh ? `${s.addedFacilities.length} 个新增设施` : `${s.addedFacilities.length} added facilit${s.addedFacilities.length === 1 ? 'y' : 'ies'}`) : '',
    s.iso ? (zh ? '1 个步行范围点' : 'a walking-range point') : '',
  ].filter(Boolean);
  const row = (label: string, value: string, key: string) => h('li', { 'data-share': key }, h('span', { class: 'share-key' }, `${label}${zh ? '：' : ': '}`), value);

  const includes = h(
    'ul',
    { class: 'share-includes' },
    row(tr('city'), city ? loc(city.name, p.lang) : s.city, 'city'),
    row(tr('layers'), layerNames.length ? layerNames.join(zh ? '、' : ', ') : tr('none'), 'layers'),
    row(tr('time'), timeText(s, zh), 'time'),
    row(tr('selection'), s.selection ? `${layerName(s.selection.layer)} · ${s.selection.id}` : tr('none'), 'selection'),
    row(tr('edits'), edits ? `${edits}${zh ? ' 项' : ''} (${editParts.join(zh ? '、' : ', ')})` : tr('none'), 'edits'),
    s.view ? row(tr('view'), zh ? `中心 ${s.view.lon.toFixed(4)}, ${s.view.lat.toFixed(4)}，缩放 ${s.view.zoom.toFixed(1)}` : `centre ${s.view.lon.toFixed(4)}, ${s.view.lat.toFixed(4)}, zoom ${s.view.zoom.toFixed(1)}`, 'view') : null,
  );

  const packPart = s.pack
    ? h(
        'div',
        { class: 'share-pack-opt' },
        h('label', { for: id('pack') }, packBox, ' ', `${tr('withPack')}${p.packTitle ? `${zh ? '：' : ': '}${p.packTitle}` : ''}`),
        h(
          'p',
          { class: 'share-note' },
          zh
            ? '带数据包名称的链接只能在已保存此数据包的浏览器中打开；在其他浏览器中会提示并显示内置数据。不勾选时，链接打开内置数据。'
            : 'A link with the pack name only works in a browser that has saved this pack; elsewhere it shows a notice and the built-in data. Left out, the link opens the built-in data.',
        ),
      )
    : null;

  modal.body.append(
    h('p', { class: 'share-intro' }, tr('intro')),
    h('label', { class: 'share-label', for: id('link') }, tr('link')),
    field,
    h('div', { class: 'share-row' }, copyBtn, status),
    length,
    h('h3', { class: 'share-head' }, tr('includes')),
    includes,
    ...(packPart ? [packPart] : []),
  );
  refresh();
  field.focus();
  field.select();
  return modal;
}

function timeText(s: AppState, zh: boolean): string {
  const [day, hour] = s.time.split('T') as [string, string];
  const at = s.step === 'year' ? day.slice(0, 4) : s.step === 'day' ? day : `${day} ${hour}:00`;
  const step = { hour: zh ? '按小时' : 'hourly', day: zh ? '按日' : 'daily', year: zh ? '按年' : 'yearly' }[s.step];
  const period = s.period ? (zh ? `，时段 ${s.period[0]} 至 ${s.period[1]}` : `, period ${s.period[0]} to ${s.period[1]}`) : '';
  return `${at} (${step})${period}`;
}
