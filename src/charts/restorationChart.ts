/**
 * Green restoration completed per year: stacked bars by type (hectares, left
 * axis) and the running total as a line (km², right axis). The right axis
 * takes the left axis's tick count with its own round step, so one set of
 * gridlines reads on both. The app clock's year splits what was built from
 * what was not yet: later bars fade and the line turns faint. setCursor only
 * moves markers and toggles classes; geometry is drawn on mount and resize.
 */
import { axisBottom, axisLeft, axisRight, line, scaleBand, scaleLinear, select } from 'd3';
import { formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { legendItem, mountFrame, uid, type Size, type Svg } from './frame';
import './charts.css';
import './restorationChart.css';

export interface RestorationYearRow {
  year: number;
  type: string;
  areaM2: number;
}

/** Stack order bottom → top, and legend order. */
export interface RestorationType {
  id: string;
  label: string;
  colour: string;
}

export interface RestorationChartProps {
  /** One per (year, type) with area > 0, e.g. from SQL GROUP BY year, type. */
  rows: RestorationYearRow[];
  types: RestorationType[];
  /** x domain, inclusive; years without rows show as empty. */
  years: [number, number];
  /** The app clock's year: later bars are faded (not yet built). */
  cursorYear: number;
  /** The "before" of a before/after comparison: a dashed marker. */
  compareYear?: number | null;
  lang: Lang;
  /** Click, or Enter/Space on a focused year, picks that year. */
  onPick?(year: number): void;
}

export interface RestorationChartHandle {
  /** compareYear undefined keeps the current comparison, null removes it. */
  setCursor(year: number, compareYear?: number | null): void;
  destroy(): void;
}

/** Areas in m², aligned with the types; cumulative includes everything restored before the domain. */
export interface RestorationYear {
  year: number;
  byType: number[];
  total: number;
  cumulative: number;
}

/** A type with this id, when listed, collects the rows of types that are not listed. */
export const OTHER_TYPE = 'other';

/**
 * One entry per year of `years` (inclusive), gaps as zeros, areas in m².
 * Rows of an unlisted type go to the OTHER_TYPE type if `types` has one and
 * are dropped otherwise (renderRestorationChart adds it, so nothing is lost
 * on screen). Rows before the domain count towards `cumulative` only: the
 * running total is what exists, not what the window shows. Rows after the
 * domain, non-integer years and areas that are not positive and finite are
 * ignored; non-finite `years` give an empty series.
 */
export function restorationSeries(rows: readonly RestorationYearRow[], types: readonly { id: string }[], years: [number, number]): RestorationYear[] {
  const y0 = Math.round(Math.min(years[0], years[1]));
  const y1 = Math.round(Math.max(years[0], years[1]));
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) return [];
  const index = new Map(types.map((t, k) => [t.id, k]));
  const other = index.get(OTHER_TYPE);
  const out: RestorationYear[] = [];
  for (let y = y0; y <= y1; y++) out.push({ year: y, byType: types.map(() => 0), total: 0, cumulative: 0 });
  let before = 0;
  for (const r of rows) {
    const k = index.get(r.type) ?? other;
    if (k === undefined || !Number.isInteger(r.year) || r.year > y1 || !(r.areaM2 > 0 && Number.isFinite(r.areaM2))) continue;
    if (r.year < y0) {
      before += r.areaM2;
      continue;
    }
    const o = out[r.year - y0]!;
    o.byType[k]! += r.areaM2;
    o.total += r.areaM2;
  }
  let cum = before;
  for (const o of out) o.cumulative = cum += o.total;
  return out;
}

const M = { top: 22, right: 44, bottom: 20, left: 44 };
const OTHER_COLOUR = '#9aa5b1';
const TXT = {
  left: { zh: '年度修复面积（公顷）', en: 'Area restored per year (ha)' },
  right: { zh: '累计（km²）', en: 'Cumulative (km²)' },
  line: { zh: '累计面积（右轴）', en: 'Cumulative (right axis)' },
  other: { zh: '其他', en: 'Other' },
  empty: { zh: '无修复数据', en: 'No restoration data' },
};

const fmtHa = (m2: number, lang: Lang) => formatNumber(m2 / 1e4, lang, m2 >= 1e6 ? 0 : 1);
const fmtKm2 = (m2: number, lang: Lang) => formatNumber(m2 / 1e6, lang, m2 < 1e6 ? 2 : 1);

/** Total at the end of `year`, also for a year outside the series. */
function cumulativeAt(s: RestorationYear[], year: number): number {
  const first = s[0]!;
  if (year < first.year) return first.cumulative - first.total;
  return s[Math.min(year - first.year, s.length - 1)]!.cumulative;
}

function cursorText(s: RestorationYear[], year: number, lang: Lang): string {
  const v = fmtKm2(cumulativeAt(s, year), lang);
  return lang === 'zh' ? `截至${year}年累计 ${v} km²` : `${v} km² by ${year}`;
}

function compareText(s: RestorationYear[], year: number, lang: Lang): string {
  const v = fmtKm2(cumulativeAt(s, year), lang);
  return lang === 'zh' ? `对比：截至${year}年累计 ${v} km²` : `Compare: ${v} km² by ${year}`;
}

function yearText(d: RestorationYear, types: RestorationType[], lang: Lang): string {
  const zh = lang === 'zh';
  if (d.total <= 0) return zh ? `${d.year}年：无修复记录` : `${d.year}: nothing recorded`;
  const parts = types.flatMap((t, k) => (d.byType[k]! > 0 ? [`${t.label} ${fmtHa(d.byType[k]!, lang)} ${zh ? '公顷' : 'ha'}`] : []));
  return zh ? `${d.year}年：${parts.join('；')}；合计 ${fmtHa(d.total, lang)} 公顷` : `${d.year}: ${parts.join('; ')}; total ${fmtHa(d.total, lang)} ha`;
}

function summary(s: RestorationYear[], types: RestorationType[], lang: Lang): string {
  const zh = lang === 'zh';
  const sum = s.reduce((a, d) => a + d.total, 0);
  const best = s.reduce((a, d) => (d.total > a.total ? d : a), s[0]!);
  const byType = types.map((t, k) => `${t.label} ${fmtKm2(s.reduce((a, d) => a + d.byType[k]!, 0), lang)} km²`);
  const span = `${s[0]!.year}–${s[s.length - 1]!.year}`;
  if (zh) return `绿色修复面积，${span}年：合计 ${fmtKm2(sum, lang)} km²` + (sum > 0 ? `；最多为${best.year}年 ${fmtHa(best.total, lang)} 公顷；按类型：${byType.join('，')}` : '');
  return `Green restoration, ${span}: ${fmtKm2(sum, lang)} km² in total` + (sum > 0 ? `; most in ${best.year} (${fmtHa(best.total, lang)} ha); by type: ${byType.join(', ')}` : '');
}

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ raw. */
function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5]) if (m * e >= raw * (1 - 1e-9)) return m * e;
  return 10 * e;
}

/** Decimals a tick step needs (0.25 → 2). */
function decimals(step: number): number {
  for (let d = 0; d < 3; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 3;
}

type Move = (cursor: number, compare: number | null) => void;

export function renderRestorationChart(el: HTMLElement, p: RestorationChartProps): RestorationChartHandle {
  const known = new Set(p.types.map((t) => t.id));
  const unknown = !known.has(OTHER_TYPE) && p.rows.some((r) => !known.has(r.type) && r.areaM2 > 0);
  const types = unknown ? [...p.types, { id: OTHER_TYPE, label: TXT.other[p.lang], colour: OTHER_COLOUR }] : p.types;
  const series = restorationSeries(p.rows, types, p.years);
  const st: { cursor: number; compare: number | null; move: Move } = { cursor: p.cursorYear, compare: p.compareYear ?? null, move: () => {} };
  const frame = mountFrame(el, 'ca-restoration', (svg, size) => {
    st.move = draw(svg, size, p, types, series);
    st.move(st.cursor, st.compare);
  });
  for (const t of types) frame.legend.append(legendItem(t.colour, t.label));
  frame.legend.append(legendItem('', TXT.line[p.lang], 'ca-swatch-cum'));
  return {
    setCursor(year, compareYear) {
      st.cursor = year;
      if (compareYear !== undefined) st.compare = compareYear;
      st.move(st.cursor, st.compare);
    },
    destroy: () => frame.destroy(),
  };
}

function draw(svg: Svg, { width, height }: Size, p: RestorationChartProps, types: RestorationType[], s: RestorationYear[]): Move {
  const { lang } = p;
  if (s.length === 0) {
    svg.attr('role', 'img').attr('aria-label', TXT.empty[lang]);
    svg.append('text').attr('class', 'ca-note').attr('x', 2).attr('y', 12).text(TXT.empty[lang]);
    return () => {};
  }
  const iw = Math.max(20, width - M.left - M.right);
  const ih = Math.max(20, height - M.top - M.bottom);
  const first = s[0]!.year;
  const last = s[s.length - 1]!.year;
  const x = scaleBand<number>().domain(s.map((d) => d.year)).range([0, iw]).paddingInner(0.25).paddingOuter(0.15);
  const bw = x.bandwidth();
  const cx = (year: number) => x(year)! + bw / 2;

  const nTicks = Math.max(2, Math.floor(ih / 32));
  const yL = scaleLinear().domain([0, Math.max(...s.map((d) => d.total / 1e4)) || 1]).nice(nTicks).range([ih, 0]);
  const leftTicks = yL.ticks(nTicks);
  const stepL = leftTicks.length > 1 ? leftTicks[1]! - leftTicks[0]! : yL.domain()[1]!;
  const k = Math.max(1, Math.round(yL.domain()[1]! / stepL));
  const stepR = niceStep(s[s.length - 1]!.cumulative / 1e6 / k);
  const yR = scaleLinear().domain([0, stepR * k]).range([ih, 0]);
  const rightTicks = Array.from({ length: k + 1 }, (_, i) => i * stepR);

  const label = summary(s, types, lang);
  // Focusable years are controls; inside role="img" they would be hidden from assistive technology.
  svg.attr('role', p.onPick ? 'group' : 'img');
  svg.append('text').attr('class', 'ca-note').attr('x', 2).attr('y', 12).text(TXT.left[lang]);
  svg.append('text').attr('class', 'ca-note').attr('x', width - 2).attr('y', 12).attr('text-anchor', 'end').text(TXT.right[lang]);

  const g = svg.append('g').attr('transform', `translate(${M.left},${M.top})`);
  g.append('g')
    .attr('class', 'ca-axis ca-yaxis')
    .call(axisLeft(yL).tickValues(leftTicks).tickSize(-iw).tickPadding(6).tickFormat((v) => formatNumber(+v, lang, decimals(stepL))))
    .call((a) => a.select('.domain').remove());
  g.append('g')
    .attr('class', 'ca-axis ca-yaxis')
    .attr('transform', `translate(${iw},0)`)
    .call(axisRight(yR).tickValues(rightTicks).tickSize(0).tickPadding(6).tickFormat((v) => formatNumber(+v, lang, decimals(stepR))))
    .call((a) => a.select('.domain').remove());
  // About 34 px per year label: on a narrow dock every 2nd or 5th year is named.
  const every = [1, 2, 5, 10].find((n) => n * x.step() >= 34) ?? 20;
  g.append('g')
    .attr('class', 'ca-axis ca-xaxis')
    .attr('transform', `translate(0,${ih})`)
    .call(axisBottom(x).tickValues(s.map((d) => d.year).filter((y) => (y - first) % every === 0)).tickSizeOuter(0).tickFormat(String));
  g.selectAll('.ca-axis').attr('font-size', null).attr('font-family', null);

  const groups = g.append('g').attr('class', 'ca-rs-bars').selectAll<SVGGElement, RestorationYear>('g').data(s).join('g');
  groups.attr('class', 'ca-rs-year').attr('transform', (d) => `translate(${x(d.year)},0)`);
  // A full-height hit area: an empty year can be picked too, and it carries the focus ring.
  groups.append('rect').attr('class', 'ca-rs-hit').attr('x', (bw - x.step()) / 2).attr('width', x.step()).attr('height', ih);
  groups.each(function (d) {
    let acc = 0;
    d.byType.forEach((v, t) => {
      if (v <= 0) return;
      const base = yL(acc / 1e4);
      acc += v;
      const top = yL(acc / 1e4);
      select(this).append('rect').attr('class', 'ca-rs-bar').attr('width', bw).attr('y', top).attr('height', base - top).attr('fill', types[t]!.colour);
    });
  });
  groups.attr('data-year', (d) => d.year).append('title').text((d) => yearText(d, types, lang));
  if (p.onPick) {
    const pick = p.onPick;
    groups.attr('tabindex', 0).attr('role', 'button').attr('aria-label', (d) => yearText(d, types, lang)).classed('ca-pickable', true);
    groups.on('click', (_, d) => pick(d.year));
    groups.on('keydown', (ev: KeyboardEvent, d) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault();
      pick(d.year);
    });
  }

  // The line twice: faint in full, solid clipped to the cursor, so a clock step moves one rect.
  const path = line<RestorationYear>()
    .x((d) => cx(d.year))
    .y((d) => yR(d.cumulative / 1e6))(s);
  const clipId = uid('rs-clip');
  const clip = svg.append('defs').append('clipPath').attr('id', clipId).append('rect').attr('x', -4).attr('y', -4).attr('height', ih + 8);
  g.append('path').attr('class', 'ca-rs-cum ca-rs-future').attr('d', path);
  g.append('path').attr('class', 'ca-rs-cum').attr('clip-path', `url(#${clipId})`).attr('d', path);
  const dots = g.append('g').attr('class', 'ca-rs-dots').selectAll('circle').data(s).join('circle');
  dots.attr('cx', (d) => cx(d.year)).attr('cy', (d) => yR(d.cumulative / 1e6)).attr('r', 2.5);

  const marker = (cls: string, labelY: number) => {
    const m = g.append('g').attr('class', cls).attr('visibility', 'hidden');
    const rule = m.append('line').attr('y1', 0).attr('y2', ih);
    const text = m.append('text').attr('y', labelY);
    return (year: number | null, t: string) => {
      m.attr('visibility', year === null ? 'hidden' : null);
      if (year === null) return;
      // Outside the years shown the rule has nowhere to go; the label still tells the total, at that edge.
      const inside = year >= first && year <= last;
      const mx = inside ? cx(year) : year < first ? 0 : iw;
      const right = mx > iw / 2;
      rule.attr('visibility', inside ? null : 'hidden');
      m.attr('transform', `translate(${mx},0)`);
      text.attr('x', inside ? (right ? -4 : 4) : 0).attr('text-anchor', right ? 'end' : 'start').text(t);
    };
  };
  const compareMarker = marker('ca-rs-compare', 24);
  const cursorMarker = marker('ca-cursor', 10);

  return (cursor, compare) => {
    groups.classed('ca-rs-future', (d) => d.year > cursor).attr('aria-current', (d) => (d.year === cursor ? 'true' : null));
    dots.classed('ca-rs-future', (d) => d.year > cursor);
    clip.attr('width', cursor < first ? 0 : cursor > last ? iw + 8 : cx(cursor) + 4);
    cursorMarker(cursor, cursorText(s, cursor, lang));
    compareMarker(compare, compare === null ? '' : compareText(s, compare, lang));
    svg.attr('aria-label', `${label}; ${cursorText(s, cursor, lang)}` + (compare === null ? '' : `; ${compareText(s, compare, lang)}`));
  };
}
