import { t } from '../i18n';
import type { Lang, Mode } from '../state/types';
import { h } from '../ui/dom';

/** The page frame all modes share; modes differ by which parts they show (CSS on the mode class). */
export interface Shell {
  root: HTMLElement;
  mapEl: HTMLElement;
  title: HTMLElement;
  cityPicker: HTMLElement;
  langBtn: HTMLButtonElement;
  layerPanel: HTMLElement;
  inspector: HTMLElement;
  timeBar: HTMLElement;
  /** Analysis charts above the time bar (planner view). */
  dock: HTMLElement;
  notices: HTMLElement;
  engineStatus: HTMLElement;
  /** Compact legend and provenance line (embeds). */
  legendBox: HTMLElement;
  footer: HTMLElement;
  /** Opens the export dialog (map PNG, features, district table); the app wires it. */
  exportBtn: HTMLButtonElement;
  fullViewLink: HTMLAnchorElement;
  /** Opens the share dialog; the app wires it once the catalog is loaded. */
  shareBtn: HTMLButtonElement;
  /** Opens the planner's SQL console (modes/planner/sqlConsole.ts); the app wires it. */
  sqlBtn: HTMLButtonElement;
  setMode(mode: Mode): void;
  /** Plain-text credit of the online base shown (embeds show it in the footer). */
  setBasemapCredit(text: string): void;
  /** Dark palette and whether the controls show, as classes the CSS reads. */
  setLook(dark: boolean, controls: boolean): void;
  setLang(lang: Lang): void;
  /** The open data pack's title on the packs button (null: the built-in data). */
  setPack(title: string | null): void;
}

export function createShell(root: HTMLElement, onLang: () => void, onEmbed: () => void, onPresent: () => void = () => {}, onStories: () => void = () => {}, onPacks: () => void = () => {}): Shell {
  const mapEl = h('div', { id: 'map', class: 'map', 'aria-label': 'map', role: 'region' });
  const title = h('div', { class: 'brand' });
  const cityPicker = h('div', { class: 'city-picker-wrap' });
  const langBtn = h('button', { type: 'button', class: 'lang-btn', click: onLang });
  const engineStatus = h('div', { class: 'engine-status', role: 'status' });
  const layerPanel = h('div', { class: 'layer-panel' });
  const inspector = h('aside', { class: 'inspector panel', 'aria-live': 'polite' });
  inspector.hidden = true;
  const timeBar = h('div', { class: 'time-bar panel', role: 'region' });
  const dock = h('section', { class: 'chart-dock panel', 'aria-label': 'charts' });
  const notices = h('div', { class: 'notices', 'aria-live': 'assertive' });
  // On small screens the layer panel is a drawer behind this button.
  const layersBtn = h('button', {
    type: 'button',
    class: 'layers-btn',
    'aria-expanded': 'false',
    click: () => {
      const open = root.classList.toggle('side-open');
      layersBtn.setAttribute('aria-expanded', String(open));
    },
  });
  // Embeds link to the full planner view of the same state, in a new tab.
  const fullViewLink = h('a', { class: 'full-view', target: '_blank', rel: 'noopener noreferrer', href: '#' });
  const embedBtn = h('button', { type: 'button', class: 'embed-btn', click: onEmbed });
  const presentBtn = h('button', { type: 'button', class: 'present-btn', click: onPresent });
  const storiesBtn = h('button', { type: 'button', class: 'stories-btn', click: onStories });
  const exportBtn = h('button', { type: 'button', class: 'export-btn', 'aria-haspopup': 'dialog' });
  const packsBtn = h('button', { type: 'button', class: 'packs-btn', click: onPacks });
  const shareBtn = h('button', { type: 'button', class: 'share-btn', 'aria-haspopup': 'dialog' });
  const sqlBtn = h('button', { type: 'button', class: 'sql-btn' }, 'SQL');
  let packTitle: string | null = null;
  let shellLang: Lang = 'zh';
  const writePacks = () => {
    const zh = shellLang === 'zh';
    packsBtn.textContent = packTitle ? `${zh ? '数据包：' : 'Pack: '}${packTitle}` : zh ? '数据包' : 'Packs';
    packsBtn.classList.toggle('packs-open', !!packTitle);
    packsBtn.title = zh ? '保存、打开数据包（离线放映）；清除本浏览器保存的数据' : 'Save and open data packs (for offline meetings); clear what this browser keeps';
  };
  const header = h('header', { class: 'topbar panel' }, title, cityPicker, layersBtn, langBtn, presentBtn, storiesBtn, packsBtn, exportBtn, shareBtn, sqlBtn, embedBtn, fullViewLink);
  const legendBox = h('div', { class: 'legend-box panel', 'aria-label': 'legend' });
  const footer = h('div', { class: 'embed-foot', role: 'contentinfo' });
  const side = h('nav', { class: 'side panel', 'aria-label': 'layers' }, layerPanel, engineStatus);
  // The top bar and the layers come first in the tab order, then the map; z-index (styles.css) keeps them over it.
  root.append(header, side, mapEl, dock, inspector, timeBar, legendBox, footer, notices);
  // The embed's footer carries the attribution (MapLibre's is hidden there), the online base's too.
  let footerLang: Lang = 'zh';
  let basemapCredit = '';
  const writeFooter = () => {
    footer.textContent = [t('modelledNote', footerLang), t('attribution', footerLang), basemapCredit].filter(Boolean).join(' ');
  };
  return {
    root,
    mapEl,
    title,
    cityPicker,
    langBtn,
    layerPanel,
    inspector,
    timeBar,
    dock,
    notices,
    engineStatus,
    legendBox,
    footer,
    exportBtn,
    fullViewLink,
    shareBtn,
    sqlBtn,
    setMode(mode) {
      for (const c of [...root.classList]) if (c.startsWith('mode-')) root.classList.remove(c);
      root.classList.add(`mode-${mode}`);
    },
    setPack(title) {
      packTitle = title;
      writePacks();
    },
    setBasemapCredit(text) {
      basemapCredit = text;
      writeFooter();
    },
    setLook(dark, controls) {
      root.classList.toggle('theme-dark', dark);
      root.classList.toggle('no-controls', !controls);
    },
    setLang(lang) {
      document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
      langBtn.textContent = t('language', lang);
      layersBtn.textContent = t('layers', lang);
      // MapLibre's canvas is the region "Map"; its container (with the map's controls) needs a name of its own.
      mapEl.setAttribute('aria-label', lang === 'zh' ? '地图与控件' : 'Map and its controls');
      timeBar.setAttribute('aria-label', t('time', lang));
      fullViewLink.textContent = t('fullView', lang);
      embedBtn.textContent = `</> ${t('embed', lang)}`;
      exportBtn.textContent = lang === 'zh' ? '导出' : 'Export';
      exportBtn.title = lang === 'zh' ? '导出地图图片（PNG）、当前筛选的要素（CSV、GeoJSON）和各区统计表' : 'Export the map as a PNG, the features as filtered (CSV, GeoJSON) and the district table';
      shareBtn.textContent = lang === 'zh' ? '分享' : 'Share';
      sqlBtn.title = lang === 'zh' ? 'SQL 控制台：用 SQL 只读查询已载入的表，结果可显示在地图上' : 'SQL console: read-only SQL over the loaded tables, results drawn on the map';
      shareBtn.title = lang === 'zh' ? '复制一个短链接，原样打开当前视图、图层、时间和方案' : 'Copy a short link that opens this view, layers, time and scenario as they are';
      presentBtn.textContent = lang === 'zh' ? '▶ 放映' : '▶ Present';
      presentBtn.title = lang === 'zh' ? '以本城故事放映（大屏）' : "Present this city's story (big screens)";
      storiesBtn.textContent = lang === 'zh' ? '故事' : 'Story';
      storiesBtn.title = lang === 'zh' ? '编辑放映故事' : 'Edit a presentation story';
      footerLang = lang;
      shellLang = lang;
      writePacks();
      writeFooter();
      title.replaceChildren(
        h('h1', { class: 'brand-title' }, t('appTitle', lang)),
        h('div', { class: 'brand-sub' }, t('appSubtitle', lang)),
      );
      document.title = `${t('appTitle', lang)} · ${lang === 'zh' ? 'Civic Atlas' : '城市环境图谱'}`;
    },
  };
}
