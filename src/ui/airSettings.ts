import type { AirMapView, AirMetric, Lang } from '../state/types';
import { h } from './dom';
import { pollutantPicker } from './pollutantPicker';

export interface AirSettingsProps {
  pollutant: AirMetric;
  surface: boolean;
  /** The brushed period (null: none) and whether the stations show its means. */
  period: [string, string] | null;
  airMap: AirMapView;
  lang: Lang;
  /** Readings come from imported files rather than the catalog. */
  imported: boolean;
  onPollutant: (m: AirMetric) => void;
  onSurface: (on: boolean) => void;
  onAirMap: (v: AirMapView) => void;
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
    periodChoice(p),
    p.imported ? h('div', { class: 'air-source measured' }, zh ? '正在显示导入的国控站点数据（实测）' : 'Showing imported CNEMC readings (measured)') : null,
    p.onImport ? h('button', { type: 'button', class: 'import-btn', click: () => p.onImport!() }, zh ? '导入监测数据…' : 'Import monitoring files…') : null,
  );
}

/** Stations at the clock, or their means over the brushed period; a hint where no period is brushed. */
function periodChoice(p: AirSettingsProps): HTMLElement {
  const zh = p.lang === 'zh';
  if (!p.period) {
    return h('div', { class: 'air-period-hint' }, zh ? '在“站点序列”图上拖选时段，可在地图上显示各站该时段均值。' : 'Brush a period on the station series to map each station’s mean over it.');
  }
  const shown = p.airMap === 'period' ? 'period' : 'clock';
  const option = (v: AirMapView, label: string) => {
    const input = h('input', { type: 'radio', name: 'air-map', value: v, change: () => p.onAirMap(v) });
    input.checked = shown === v;
    return h('label', {}, input, h('span', {}, label));
  };
  return h(
    'fieldset',
    { class: 'air-map-choice' },
    h('legend', {}, zh ? '站点显示' : 'Stations show'),
    option('clock', zh ? '时钟所指时刻' : 'The clock’s time'),
    option('period', zh ? `时段均值（${p.period[0]} 至 ${p.period[1]}）` : `Means over ${p.period[0]} to ${p.period[1]}`),
  );
}
