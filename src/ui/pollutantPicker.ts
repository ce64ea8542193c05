import { POLLUTANT_INFO } from '../standards/aqi';
import { AIR_METRICS, type AirMetric, type Lang } from '../state/types';
import { h } from './dom';

/** What the air-quality layer shows: AQI or one pollutant (HJ 633-2012 IAQI colours). */
export function pollutantPicker(value: AirMetric, lang: Lang, onPick: (m: AirMetric) => void): HTMLElement {
  const select = h(
    'select',
    { class: 'pollutant-select', 'aria-label': lang === 'zh' ? '污染物' : 'Pollutant', change: (e: Event) => onPick((e.target as HTMLSelectElement).value as AirMetric) },
    ...AIR_METRICS.map((m) => {
      const label = m === 'aqi' ? 'AQI' : `${POLLUTANT_INFO[m].symbol} · ${POLLUTANT_INFO[m].name[lang]}`;
      const o = h('option', { value: m }, label);
      o.selected = m === value;
      return o;
    }),
  );
  return h('label', { class: 'pollutant-picker' }, h('span', {}, lang === 'zh' ? '显示' : 'Show'), select);
}
