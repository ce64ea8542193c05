/**
 * The ranking table of a period: one row per city, sortable by any column
 * (always best first — for pollution that is the lowest), the best value of
 * each column marked, a sparkline of daily AQI per city. Plain HTML built
 * with h(), so every value from data is a text node.
 */
import { create, line, scaleLinear } from 'd3';
import type { PeriodStats } from '../air/periodStats';
import type { Lang } from '../state/types';
import { clear, h } from '../ui/dom';
import { fmtNum, fmtShare } from './format';
import { bestValue, decimateMinMax, isValue, rankOrder, type Better } from './layout';

export interface CityPeriodRow {
  id: string;
  name: string;
  stats: PeriodStats;
  /** Daily AQI of the period, for the sparkline (optional). */
  daily?: Float32Array;
}

/** The numeric statistics a table can sort by. */
export type CityStatKey = {
  [K in keyof PeriodStats]: PeriodStats[K] extends number | null ? K : never;
}[keyof PeriodStats];

export interface CityTableProps {
  rows: CityPeriodRow[];
  lang: Lang;
  sortKey?: CityStatKey;
  onSort?(key: CityStatKey): void;
  onPick?(id: string): void;
  selectedId?: string;
}

interface Column {
  key: CityStatKey;
  better: Better;
  head: { zh: string; en: string };
  unit?: string;
  format: (v: number | null, lang: Lang) => string;
}

const num = (digits: number) => (v: number | null, lang: Lang) => fmtNum(v, lang, digits);
const UG = 'µg/m³';

export const CITY_COLUMNS: readonly Column[] = [
  { key: 'goodShare', better: 'high', head: { zh: '优良天数比例', en: 'Good days' }, format: (v, l) => fmtShare(v, l) },
  { key: 'meanAqi', better: 'low', head: { zh: '平均AQI', en: 'Mean AQI' }, format: num(0) },
  { key: 'pm25', better: 'low', head: { zh: 'PM2.5', en: 'PM2.5' }, unit: UG, format: num(1) },
  { key: 'pm10', better: 'low', head: { zh: 'PM10', en: 'PM10' }, unit: UG, format: num(0) },
  { key: 'o3_8h_p90', better: 'low', head: { zh: 'O₃日最大8小时第90百分位', en: 'O₃ max 8 h, p90' }, unit: UG, format: num(0) },
  { key: 'no2', better: 'low', head: { zh: 'NO₂', en: 'NO₂' }, unit: UG, format: num(0) },
  { key: 'heavyDays', better: 'low', head: { zh: '重度及以上污染天数', en: 'Heavy or worse days' }, format: num(0) },
  { key: 'validDays', better: 'high', head: { zh: '有效天数', en: 'Valid days' }, format: num(0) },
];

/** Which way is better for any sortable statistic: counts of good things and valid days up, pollution down. */
export function betterOf(key: CityStatKey): Better {
  return key === 'goodShare' || key === 'goodDays' || key === 'validDays' ? 'high' : 'low';
}

const TXT = {
  rank: { zh: '排名', en: 'Rank' },
  city: { zh: '城市', en: 'City' },
  best: { zh: '最佳', en: 'best' },
  caption: { zh: '城市空气质量排名（按所选列，最佳在前）', en: 'City air quality ranking (by the chosen column, best first)' },
};

/** Competition ranks (1, 2, 2, 4) of rows in `order`; null for a missing value. */
export function ranks(values: readonly (number | null)[], order: readonly number[]): (number | null)[] {
  const out: (number | null)[] = new Array(values.length).fill(null);
  order.forEach((i, pos) => {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    const prev = pos > 0 ? order[pos - 1]! : -1;
    out[i] = prev >= 0 && values[prev] === v ? out[prev]! : pos + 1;
  });
  return out;
}

export function renderCityTable(el: HTMLElement, p: CityTableProps): { destroy(): void } {
  let key: CityStatKey = p.sortKey ?? 'goodShare';
  const yMax = Math.max(150, ...p.rows.flatMap((r) => (r.daily ? Array.from(r.daily).filter(isValue) : [])));
  const render = () => {
    clear(el);
    el.append(table(p, key, yMax, (k) => {
      key = k;
      p.onSort?.(k);
      render();
    }));
  };
  render();
  return { destroy: () => clear(el) };
}

function table(p: CityTableProps, key: CityStatKey, yMax: number, sort: (k: CityStatKey) => void): HTMLElement {
  const { lang, rows } = p;
  const sortValues = rows.map((r) => r.stats[key]);
  const order = rankOrder(sortValues, betterOf(key));
  const rankOf = ranks(sortValues, order);
  const best = new Map(CITY_COLUMNS.map((c) => [c.key, bestValue(rows.map((r) => r.stats[c.key]), c.better)]));

  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', class: 'ca-num' }, TXT.rank[lang]),
    h('th', { scope: 'col' }, TXT.city[lang]),
    ...CITY_COLUMNS.map((c) =>
      h(
        'th',
        { scope: 'col', class: 'ca-num', 'aria-sort': c.key === key ? (c.better === 'high' ? 'descending' : 'ascending') : undefined },
        h(
          'button',
          { type: 'button', class: `ca-sort${c.key === key ? ' ca-sorted' : ''}`, onclick: () => sort(c.key) },
          c.head[lang],
          c.unit ? h('span', { class: 'ca-unit' }, c.unit) : null,
        ),
      ),
    ),
  );

  const body = order.map((i) => {
    const r = rows[i]!;
    const selected = r.id === p.selectedId;
    const cityCell = p.onPick
      ? h('button', { type: 'button', class: 'ca-city-btn', 'aria-pressed': String(selected), onclick: () => p.onPick?.(r.id) }, r.name)
      : h('span', {}, r.name);
    return h(
      'tr',
      { class: selected ? 'ca-selected' : undefined, 'data-id': r.id },
      h('td', { class: 'ca-num ca-rank' }, rankOf[i] === null ? '—' : String(rankOf[i])),
      h('th', { scope: 'row', class: 'ca-city' }, h('div', { class: 'ca-city-cell' }, cityCell, r.daily ? sparkline(r.daily, yMax) : null)),
      ...CITY_COLUMNS.map((c) => {
        const v = r.stats[c.key];
        const isBest = v !== null && v === best.get(c.key) && rows.length > 1;
        return h('td', { class: `ca-num${isBest ? ' ca-best' : ''}`, title: isBest ? TXT.best[lang] : undefined }, c.format(v, lang));
      }),
    );
  });

  return h(
    'div',
    { class: 'ca-table-wrap' },
    h('table', { class: 'ca-table' }, h('caption', { class: 'ca-caption' }, TXT.caption[lang]), h('thead', {}, head), h('tbody', {}, ...body)),
  );
}

/** 120 × 24 px daily AQI line on a shared scale, so cities compare at a glance; the dashed line is AQI 100. */
function sparkline(values: Float32Array, yMax: number): SVGSVGElement {
  const W = 120;
  const H = 24;
  const x = scaleLinear().domain([0, Math.max(1, values.length - 1)]).range([1, W - 1]);
  const y = scaleLinear().domain([0, yMax]).range([H - 1, 1]);
  const svg = create('svg').attr('class', 'ca-spark').attr('width', W).attr('height', H).attr('viewBox', `0 0 ${W} ${H}`);
  svg.attr('aria-hidden', 'true').attr('focusable', 'false');
  svg.append('line').attr('class', 'ca-spark-ref').attr('x1', 0).attr('x2', W).attr('y1', y(100)).attr('y2', y(100));
  const d = line<number>()
    .defined((i) => isValue(values[i]))
    .x((i) => x(i))
    .y((i) => y(values[i]!))(Array.from(decimateMinMax(values, W)));
  svg.append('path').attr('class', 'ca-spark-line').attr('d', d ?? '');
  return svg.node()!;
}
