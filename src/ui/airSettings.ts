import type { AirMetric, Lang } from '../state/types';
import { h } from './dom';
import { pollutantPicker } from './pollutantPicker';

export interface AirSettingsProps {
  pollutant: AirMetric;
  surface: boolean;
  lang: Lang;
  /** Readings come from imported files rather than the catalog. */
  imported: boolean;
  onPollutant: (m: AirMetric) => void;
  onSurface: (on: boolean) => void;
  /** Absent where importing makes no sense (embeds). */
  onImport?: () => void;
}

/** The air layer's own controls in the layer panel: what to show, the interpolated surface, the importer. */
export function airSettings(p: AirSettingsProps): HTMLElement {
  const zh = p.lang === 'zh';
  const box = h('input', { type: 'checkbox', class: 'surface-toggle', change: (e: Event) => p.onSurface((e.target as HTMLInputElement).checked) });
  box.checked = p.surface;
  return h(
    'div',
    { class: 'air-settings' },
    pollutantPicker(p.pollutant, p.lang, p.onPollutant),
    h('label', { class: 'surface-opt', title: zh ? '站点之间按反距离加权插值，限于市域范围；插值不是实测。' : 'Inverse-distance weighting between stations, clipped to the city; interpolation is not measurement.' }, box, h('span', {}, zh ? '插值面（反距离加权）' : 'Interpolated surface (IDW)')),
    p.imported ? h('div', { class: 'air-source measured' }, zh ? '正在显示导入的国控站点数据（实测）' : 'Showing imported CNEMC readings (measured)') : null,
    p.onImport ? h('button', { type: 'button', class: 'import-btn', click: () => p.onImport!() }, zh ? '导入监测数据…' : 'Import monitoring files…') : null,
  );
}
