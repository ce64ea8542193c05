/**
 * 优良天数比例: the share of days with AQI ≤ 100, one horizontal bar per city,
 * best first, on a full 0–100 % scale (a truncated axis would turn a 2-point
 * difference into a chasm). A city's own published figure, when known, is a
 * tick on its bar, so a mismatch with our computation is visible, not hidden.
 */
import { scaleLinear } from 'd3';
import { AQI_LEVELS } from '../standards/aqi';
import type { Lang } from '../state/types';
import { fmtShare } from './format';
import { asImage, legendItem, mountFrame, type Size, type Svg } from './frame';
import { rankOrder } from './layout';

export interface GoodDaysRow {
  id: string;
  name: string;
  /** 0..1; null when no day had a valid AQI. */
  share: number | null;
  goodDays: number;
  validDays: number;
  /** The city's own reported share (e.g. a bulletin's 92.9 %) and where it comes from. */
  reported?: { share: number; note: string };
}

export interface GoodDaysProps {
  rows: GoodDaysRow[];
  lang: Lang;
  selectedId?: string;
  onPick?: (id: string) => void;
}

const M = { top: 22, right: 8, bottom: 16 };
const TXT = {
  title: { zh: '优良天数比例（AQI ≤ 100）', en: 'Share of good days (AQI ≤ 100)' },
  days: { zh: '天', en: 'days' },
  reported: { zh: '城市自报', en: "city's reported figure" },
};

export function renderGoodDays(el: HTMLElement, p: GoodDaysProps): { destroy(): void } {
  const order = rankOrder(
    p.rows.map((r) => r.share),
    'high',
  ).map((i) => p.rows[i]!);
  const frame = mountFrame(el, 'ca-gooddays', (svg, size) => draw(svg, size, p, order));
  if (p.rows.some((r) => r.reported)) frame.legend.append(legendItem('', TXT.reported[p.lang], 'ca-swatch-reported'));
  return { destroy: () => frame.destroy() };
}

function draw(svg: Svg, { width, height }: Size, p: GoodDaysProps, rows: GoodDaysRow[]): void {
  const { lang } = p;
  const ih = Math.max(20, height - M.top - M.bottom);
  const band = Math.max(12, Math.min(30, ih / Math.max(1, rows.length)));
  const barH = Math.max(6, Math.round(band * 0.62));
  const count = (r: GoodDaysRow) => `${r.goodDays}/${r.validDays} ${TXT.days[lang]}`;
  const describe = (r: GoodDaysRow) =>
    `${r.name}: ${fmtShare(r.share, lang)} (${count(r)})` +
    (r.reported ? `; ${TXT.reported[lang]} ${fmtShare(r.reported.share, lang)} — ${r.reported.note}` : '');

  const label = `${TXT.title[lang]}: ${rows.map(describe).join('; ')}`;
  // Focusable rows are controls; inside role="img" they would be hidden from assistive technology.
  if (p.onPick) svg.attr('role', 'group').attr('aria-label', label);
  else asImage(svg, label);
  svg.append('text').attr('class', 'ca-title').attr('x', 2).attr('y', 14).text(TXT.title[lang]);

  const g = svg.append('g').attr('transform', `translate(0,${M.top})`);
  const names = g.append('g').attr('class', 'ca-gd-names');
  const nameEls = rows.map((r) => names.append('text').text(r.name));
  // Long names are cut with an ellipsis; the row's tooltip and aria-label keep them whole.
  const maxName = width * 0.3 - 10;
  nameEls.forEach((t, k) => {
    const node = t.node();
    let s = rows[k]!.name.slice(0, 40);
    if (s !== rows[k]!.name) t.text(`${s}…`);
    while (node && node.getComputedTextLength() > maxName && s.length > 1) t.text(`${(s = s.slice(0, -1))}…`);
  });
  const measured = Math.max(0, ...nameEls.map((t) => t.node()?.getComputedTextLength() ?? 0));
  const estimate = Math.max(0, ...rows.map((r) => r.name.length * (lang === 'zh' ? 12 : 7)));
  const nameW = Math.min(width * 0.3, (measured || estimate) + 10);
  const valueW = lang === 'zh' ? 118 : 128;
  const x = scaleLinear()
    .domain([0, 1])
    .range([nameW, Math.max(nameW + 40, width - M.right - valueW)]);

  const grid = g.append('g').attr('class', 'ca-gd-grid');
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    grid.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', rows.length * band);
    if (t % 0.5 === 0) grid.append('text').attr('x', x(t)).attr('y', rows.length * band + 11).attr('text-anchor', 'middle').text(fmtShare(t, lang, 0));
  }

  rows.forEach((r, k) => {
    const cy = k * band + band / 2;
    const selected = r.id === p.selectedId;
    nameEls[k]!.attr('x', nameW - 8)
      .attr('y', cy)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .attr('class', selected ? 'ca-selected' : null);
    const row = g.append('g').attr('class', `ca-gd-row${selected ? ' ca-selected' : ''}${p.onPick ? ' ca-pickable' : ''}`);
    row.append('rect').attr('class', 'ca-gd-track').attr('x', x(0)).attr('width', x(1) - x(0)).attr('y', cy - barH / 2).attr('height', barH);
    if (r.share !== null) {
      row
        .append('rect')
        .attr('class', 'ca-gd-bar')
        .attr('x', x(0))
        .attr('width', Math.max(0, x(r.share) - x(0)))
        .attr('y', cy - barH / 2)
        .attr('height', barH)
        .attr('fill', AQI_LEVELS[0]!.colour);
    }
    if (r.reported) {
      const rx = x(Math.min(1, Math.max(0, r.reported.share)));
      const tick = row.append('g').attr('class', 'ca-gd-reported');
      tick.append('line').attr('x1', rx).attr('x2', rx).attr('y1', cy - barH / 2 - 3).attr('y2', cy + barH / 2 + 3);
      tick.append('title').text(`${TXT.reported[lang]} ${fmtShare(r.reported.share, lang)} — ${r.reported.note}`);
    }
    row.append('text').attr('class', 'ca-gd-value').attr('x', x(1) + 8).attr('y', cy).attr('dy', '0.35em').text(fmtShare(r.share, lang));
    row
      .append('text')
      .attr('class', 'ca-gd-count')
      .attr('x', width - M.right)
      .attr('y', cy)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .text(count(r));
    row.append('title').text(describe(r));
    if (p.onPick) {
      const pick = p.onPick;
      row.attr('tabindex', 0).attr('role', 'button').attr('aria-label', describe(r)).attr('aria-pressed', String(selected));
      row.on('click', () => pick(r.id));
      row.on('keydown', (ev: KeyboardEvent) => {
        if (ev.key !== 'Enter' && ev.key !== ' ') return;
        ev.preventDefault();
        pick(r.id);
      });
    }
  });
}
