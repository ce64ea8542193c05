/**
 * Monthly distributions of a daily metric, cities side by side: per month one
 * box per city (p25–p75 box, median bar, p10–p90 whisker). Boxes rather than
 * monthly means, because a month's mean hides the few bad days planners ask
 * about. For AQI the HJ 633 level bands sit faintly behind.
 */
import { axisBottom, axisLeft, scaleBand, scaleLinear } from 'd3';
import { AQI_LEVELS } from '../standards/aqi';
import type { Lang } from '../state/types';
import { fmtNum, monthLabel } from './format';
import { asImage, legendItem, mountFrame, type Size, type Svg } from './frame';
import { boxStats, valuesByMonth, type BoxStats } from './layout';

export interface MonthlySeries {
  id: string;
  name: string;
  colour: string;
  startDay: string;
  /** Daily values (AQI or any daily metric); NaN = missing. */
  values: Float32Array;
}

export interface MonthlyProps {
  series: MonthlySeries[];
  label: string;
  lang: Lang;
}

const M = { top: 20, right: 8, bottom: 20, left: 40 };
const TXT = {
  title: { zh: '逐月分布', en: 'monthly distribution' },
  days: { zh: '天', en: 'days' },
  median: { zh: '中位数', en: 'median' },
};

/** Colours arrive from data: anything but a plain colour falls back to the text colour. */
export function safeColour(c: string): string {
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\)|[a-z]{3,20})$/i.test(c.trim()) ? c.trim() : 'currentColor';
}

export function renderMonthly(el: HTMLElement, p: MonthlyProps): { destroy(): void } {
  const boxes = p.series.map((s) => valuesByMonth(s.startDay, s.values).map(boxStats));
  const frame = mountFrame(el, 'ca-monthly', (svg, size) => draw(svg, size, p, boxes));
  for (const s of p.series) frame.legend.append(legendItem(safeColour(s.colour), s.name));
  return { destroy: () => frame.destroy() };
}

function draw(svg: Svg, { width, height }: Size, p: MonthlyProps, boxes: (BoxStats | null)[][]): void {
  const { lang } = p;
  const iw = Math.max(40, width - M.left - M.right);
  const ih = Math.max(20, height - M.top - M.bottom);
  let top = 1;
  for (const city of boxes) for (const b of city) if (b && b.p90 > top) top = b.p90;
  const y = scaleLinear().domain([0, top * 1.05]).nice().range([ih, 0]);
  const yTop = y.domain()[1]!;
  const digits = yTop <= 5 ? 1 : 0;
  const months = Array.from({ length: 12 }, (_, i) => i);
  const x0 = scaleBand<number>().domain(months).range([0, iw]).paddingInner(0.18).paddingOuter(0.06);
  const x1 = scaleBand<number>()
    .domain(p.series.map((_, k) => k))
    .range([0, x0.bandwidth()])
    .padding(p.series.length > 1 ? 0.12 : 0.3);

  asImage(svg, `${p.label}, ${TXT.title[lang]}: ${p.series.map((s) => s.name).join(', ')}`);
  svg.append('text').attr('class', 'ca-title').attr('x', 2).attr('y', 13).text(`${p.label} · ${TXT.title[lang]}`);
  const g = svg.append('g').attr('transform', `translate(${M.left},${M.top})`);

  if (/aqi/i.test(p.label)) {
    // Faint level bands make "mostly good, a tail into light pollution" readable without a legend.
    const bands = g.append('g').attr('class', 'ca-bands');
    AQI_LEVELS.forEach((l, k) => {
      const lo = k === 0 ? 0 : (AQI_LEVELS[k - 1]!.range[1] ?? 0);
      if (lo >= yTop) return;
      const hi = Math.min(yTop, l.range[1] ?? yTop);
      bands.append('rect').attr('x', 0).attr('width', iw).attr('y', y(hi)).attr('height', y(lo) - y(hi)).attr('fill', l.colour);
    });
  }

  g.append('g')
    .attr('class', 'ca-axis ca-yaxis')
    .call(axisLeft(y).ticks(Math.max(2, Math.floor(ih / 32))).tickSize(-iw).tickPadding(6).tickFormat((v) => fmtNum(+v, lang, digits)))
    .call((s) => s.select('.domain').remove());
  g.append('g')
    .attr('class', 'ca-axis ca-xaxis')
    .attr('transform', `translate(0,${ih})`)
    .call(axisBottom(x0).tickSizeOuter(0).tickFormat((m) => (iw / 12 < 22 && m % 2 === 1 ? '' : monthLabel(m + 1, lang))));
  g.selectAll('.ca-axis').attr('font-size', null).attr('font-family', null);

  const bw = x1.bandwidth();
  p.series.forEach((s, k) => {
    const colour = safeColour(s.colour);
    const sg = g.append('g').attr('class', 'ca-boxes').attr('stroke', colour).attr('fill', colour);
    boxes[k]!.forEach((b, m) => {
      if (!b) return;
      const bx = (x0(m) ?? 0) + (x1(k) ?? 0);
      const cx = bx + bw / 2;
      const box = sg.append('g').attr('class', 'ca-box');
      box.append('line').attr('class', 'ca-whisker').attr('x1', cx).attr('x2', cx).attr('y1', y(b.p10)).attr('y2', y(b.p90));
      box
        .append('rect')
        .attr('x', bx)
        .attr('width', bw)
        .attr('y', y(b.p75))
        .attr('height', Math.max(1, y(b.p25) - y(b.p75)));
      box.append('line').attr('class', 'ca-median').attr('x1', bx).attr('x2', bx + bw).attr('y1', y(b.p50)).attr('y2', y(b.p50));
      const f = (v: number) => fmtNum(v, lang, digits);
      box
        .append('title')
        .text(
          `${s.name} · ${monthLabel(m + 1, lang)} · ${p.label} ${TXT.median[lang]} ${f(b.p50)}; ` +
            `p25–p75 ${f(b.p25)}–${f(b.p75)}; p10–p90 ${f(b.p10)}–${f(b.p90)}; n = ${b.n} ${TXT.days[lang]}`,
        );
    });
  });
}
