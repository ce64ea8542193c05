import type { CityDef } from '../catalog/types';
import type { LayerStatus } from '../layers/controller';
import { loc, t } from '../i18n';
import type { TableProvenance } from '../import/savedTables';
import type { Lang } from '../state/types';
import { clear, h, keepingFocus } from './dom';
import { legendView } from './legend';
import { dataBadge, provenanceDetails } from './provenance';

/** One of the planner's tables as the panel lists it (modes/planner/userData.ts). */
export interface UserTableListing {
  table: string;
  file: string;
  kindLabel: string;
  rows: number;
  origin: 'file' | 'live' | 'pack';
  provenance?: TableProvenance;
  /** Facility tables: whether the life-circle checks use it, and how many rows have a life-circle type. */
  analysis?: { on: boolean; usable: number };
}

export interface LayerPanelProps {
  city: CityDef;
  statuses: LayerStatus[];
  lang: Lang;
  onToggle: (layerId: string, on: boolean) => void;
  /** Per-layer settings shown under a visible layer (e.g. the pollutant of the air layer). */
  settings?: (layerId: string, kind: string) => HTMLElement | null;
  /** The planner's imported tables, listed under "Your data". */
  userTables?: UserTableListing[];
  /** Opens the live sources dialog (planner only). */
  onFetchLive?: () => void;
  /** Uses (or stops using) a facility table for the life-circle checks. */
  onUserAnalysis?: (table: string, on: boolean) => void;
  /** Opens the import of a planner's own file (planner only). */
  onImportFile?: () => void;
  onRemoveUserTable?: (table: string) => void;
}

/** Layer list: toggle, modelled badge, status, legend and provenance per layer. */
export function renderLayerPanel(root: HTMLElement, p: LayerPanelProps): void {
  keepingFocus(root, () => buildLayerPanel(root, p));
}

function buildLayerPanel(root: HTMLElement, p: LayerPanelProps): void {
  // Keep which provenance blocks are open across re-renders.
  const open = new Set([...root.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset.layer));
  clear(root);
  root.append(h('h2', { class: 'panel-title' }, t('layers', p.lang)));
  for (const s of p.statuses) {
    const files = s.def.datasets.flatMap((id) => (p.city.datasets[id] ? [{ id, file: p.city.datasets[id]! }] : []));
    const modelled = files.some((f) => f.file.provenance.modelled);
    const inputId = `layer-toggle-${s.def.id}`;
    const checkbox = h('input', {
      type: 'checkbox',
      id: inputId,
      'data-layer': s.def.id,
      change: (e: Event) => p.onToggle(s.def.id, (e.target as HTMLInputElement).checked),
      // Space toggles a checkbox natively; Enter does here too, as on the panel's buttons.
      keydown: (e: Event) => {
        if ((e as KeyboardEvent).key !== 'Enter') return;
        e.preventDefault();
        (e.target as HTMLInputElement).click();
      },
    });
    checkbox.checked = s.visible;
    const status =
      s.phase === 'loading'
        ? h('span', { class: 'layer-status loading', role: 'status' }, t('loadingLayer', p.lang))
        : s.phase === 'error'
          ? h('span', { class: 'layer-status error', role: 'alert' }, `${t('layerFailed', p.lang)}: ${s.error ?? ''}`)
          : null;
    const details = provenanceDetails(files, p.lang);
    details.dataset.layer = s.def.id;
    if (open.has(s.def.id)) details.open = true;
    root.append(
      h(
        'section',
        { class: `layer-card${s.visible ? ' on' : ''}`, 'data-layer-card': s.def.id, 'data-phase': s.phase },
        h(
          'div',
          { class: 'layer-head' },
          h('label', { for: inputId, class: 'layer-label' }, checkbox, h('span', { class: 'layer-name' }, loc(s.def.name, p.lang))),
          dataBadge(modelled, p.lang),
        ),
        h('p', { class: 'layer-desc' }, loc(s.def.description, p.lang)),
        status,
        s.visible && p.settings ? p.settings(s.def.id, s.def.kind) : null,
        s.visible && s.legend ? legendView(s.legend, s.def.id) : null,
        details,
      ),
    );
  }
  if (p.onImportFile || p.userTables?.length) root.append(userSection(p));
}

/** "Your data": what the planner imported, said to be theirs (not the app's, not modelled), and the way to add more. */
function userSection(p: LayerPanelProps): HTMLElement {
  const zh = p.lang === 'zh';
  return h(
    'section',
    { class: 'user-data' },
    h('h3', { class: 'user-data-title' }, zh ? '你的数据' : 'Your data'),
    ...(p.userTables ?? []).map((u) => userCard(u, p)),
    p.onImportFile ? h('button', { type: 'button', class: 'user-import-btn', click: () => p.onImportFile!() }, zh ? '＋ 导入自己的数据…' : '+ Import your own data…') : null,
    p.onFetchLive ? h('button', { type: 'button', class: 'live-btn', click: () => p.onFetchLive!() }, zh ? '＋ 从网络获取（OSM、Open-Meteo、区划）…' : '+ Fetch from the web (OSM, Open-Meteo, districts)…') : null,
  );
}

const ORIGIN_BADGE = {
  file: { zh: '你的文件', en: 'Your file' },
  live: { zh: '网络获取', en: 'Fetched' },
  pack: { zh: '数据包', en: 'From the pack' },
};

/** One of the planner's tables: what it is, where it came from (source, licence, when, modelled or not), and a way to remove it. */
function userCard(u: UserTableListing, p: LayerPanelProps): HTMLElement {
  const zh = p.lang === 'zh';
  const pv = u.provenance;
  const rows = zh ? `${u.kindLabel} · ${u.rows} 行 · 表 ${u.table}。` : `${u.kindLabel} · ${u.rows} rows · table ${u.table}. `;
  const where = pv
    ? zh
      ? `来源：${pv.source.zh}；许可：${pv.license}${pv.fetchedAt ? `；获取于 ${pv.fetchedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}。`
      : `Source: ${pv.source.en}; licence: ${pv.license}${pv.fetchedAt ? `; fetched ${pv.fetchedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}.`
    : zh
      ? '来源、许可与年份由你的文件决定。'
      : 'Source, licence and vintage are those of your file.';
  const kept = u.origin === 'pack' ? (zh ? '随数据包打开。' : 'Opened with the pack.') : zh ? '保存在本浏览器中。' : 'Kept in this browser.';
  return h(
    'div',
    { class: 'layer-card on user-card', 'data-user-table': u.table, 'data-origin': u.origin },
    h(
      'div',
      { class: 'layer-head' },
      h('span', { class: 'layer-name' }, u.file),
      h('span', { class: 'badge badge-user' }, ORIGIN_BADGE[u.origin][p.lang]),
      pv?.modelled ? h('span', { class: 'badge badge-modelled' }, zh ? '模型数据' : 'Modelled') : null,
    ),
    h('p', { class: 'layer-desc' }, `${rows}${where}${zh ? '' : ' '}${kept}`),
    u.analysis && p.onUserAnalysis ? analysisToggle(u.table, u.analysis, p) : null,
    p.onRemoveUserTable ? h('button', { type: 'button', class: 'user-remove', click: () => p.onRemoveUserTable!(u.table) }, zh ? '移除' : 'Remove') : null,
  );
}

/** A facility table can stand in for the city's (modelled) facilities in the life-circle checks. */
function analysisToggle(table: string, a: { on: boolean; usable: number }, p: LayerPanelProps): HTMLElement {
  const zh = p.lang === 'zh';
  const box = h('input', { type: 'checkbox', class: 'user-analysis' });
  box.checked = a.on;
  box.disabled = a.usable === 0 && !a.on;
  box.addEventListener('change', () => p.onUserAnalysis!(table, box.checked));
  const text = zh
    ? `用于步行生活圈检查，代替内置的模拟设施（${a.usable} 行属于生活圈设施类别）`
    : `Use for the walking life-circle checks instead of the built-in modelled facilities (${a.usable} row${a.usable === 1 ? '' : 's'} of a life-circle type)`;
  return h('label', { class: 'user-analysis-label' }, box, ' ', text);
}
