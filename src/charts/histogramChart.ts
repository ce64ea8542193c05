/**
 * A histogram whose bins can be brushed: bars of counts over fixed bins, a
 * d3 brush that snaps to bin edges, and the brushed bins drawn strong, the
 * rest faint. `update` changes the bars only (a drag in progress is not
 * disturbed); `onBrush` gets bin indices, at most once a frame while
 * dragging, and null when the brush is cleared. Keyboard: the bins are not
 * focusable one by one; the panel offers a reset, and the brush is a
 * pointer shortcut for the district list and the URL (pa=min,max).
 */
import { axisBottom, axisLeft, brushX, scaleBand, scaleLinear, type D3BrushEvent } from 'd3';
import { formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { mountFrame, type Size, type Svg } from './frame';
import './charts.css';

export interface HistogramProps {
  /** Count per bin (bins are equal width on screen). */
  counts: number[];
  /** Tick label of the left edge of bin i (bins.length + 1 edges). */
  edgeLabel(i: number): string;
  /** Brushed bins [first, last], inclusive; null: none. */
  selected: [number, number] | null;
  lang: Lang;
  colour: string;
  /** Accessible name of the chart. */
  label: string;
  onBrush(bins: [number, number] | null): void;
}

export interface HistogramHandle {
  update(counts: number[], selected: [number, number] | null): void;
  destroy(): void;
}

const M = { top: 8, right: 12, bottom: 26, left: 38 };

export function renderHistogram(el: HTMLElement, p: HistogramProps): HistogramHandle {
  let counts = p.counts;
  let selected = p.selected;
  let redrawBars = () => {};
  let moveBrush = (_sel: [number, number] | null) => {};
  let raf = 0;
  let pending: [number, number] | null | undefined;
  const emit = (bins: [number, number] | null) => {
    pending = bins;
    raf ||= requestAnimationFrame(() => {
      raf = 0;
      if (pending !== undefined) p.onBrush(pending);
      pending = undefined;
    });
  };
  const frame = mountFrame(el, 'ca-histogram', (svg: Svg, size: Size) => {
    svg.attr('role', 'img').attr('aria-label', p.label);
    const w = size.width - M.left - M.right;
    const h = size.height - M.top - M.bottom;
    const bins = counts.map((_, i) => i);
    const x = scaleBand<number>().domain(bins).range([0, w]).paddingInner(0.08);
    const y = scaleLinear().range([h, 0]);
    const g = svg.append('g').attr('transform', `translate(${M.left},${M.top})`);
    const yAxis = g.append('g').attr('class', 'ca-axis');
    const bars = g.append('g');
    const tickEvery = Math.max(1, Math.ceil(bins.length / Math.max(2, Math.floor(w / 60))));
    g.append('g')
      .attr('class', 'ca-axis')
      .attr('transform', `translate(0,${h})`)
      .call(
        axisBottom(scaleLinear().domain([0, bins.length]).range([0, w]))
          .tickValues(bins.filter((i) => i % tickEvery === 0).concat(bins.length))
          .tickFormat((i) => p.edgeLabel(Number(i))),
      );
    redrawBars = () => {
      y.domain([0, Math.max(1, ...counts)]).nice();
      yAxis.call(axisLeft(y).ticks(3).tickFormat((v) => formatNumber(Number(v), p.lang)));
      bars
        .selectAll('rect')
        .data(counts)
        .join('rect')
        .attr('x', (_, i) => x(i)!)
        .attr('width', x.bandwidth())
        .attr('y', (c) => y(c))
        .attr('height', (c) => h - y(c))
        .attr('fill', p.colour)
        .attr('fill-opacity', (_, i) => (!selected || (i >= selected[0] && i <= selected[1]) ? 0.9 : 0.22))
        .attr('data-bin', (_, i) => i)
        .attr('data-count', (c) => c);
    };
    redrawBars();
    // Pixel → bin, snapping a brushed span outwards to whole bins.
    const step = w / bins.length;
    const toBins = (s: [number, number]): [number, number] => [Math.max(0, Math.floor(s[0] / step)), Math.min(bins.length - 1, Math.max(0, Math.ceil(s[1] / step) - 1))];
    const brush = brushX().extent([
      [0, 0],
      [w, h],
    ]);
    const bg = g.append('g').attr('class', 'ca-brush');
    brush.on('brush end', (ev: D3BrushEvent<unknown>) => {
      if (!ev.sourceEvent) return; // our own snapping below
      const sel = ev.selection as [number, number] | null;
      if (!sel || sel[1] - sel[0] < 2) {
        selected = null;
        redrawBars();
        emit(null);
        return;
      }
      selected = toBins(sel);
      redrawBars();
      emit(selected);
      if (ev.type === 'end') bg.call(brush.move, [selected[0] * step, (selected[1] + 1) * step]);
    });
    bg.call(brush);
    moveBrush = (sel) => bg.call(brush.move, sel ? [sel[0] * step, (sel[1] + 1) * step] : null);
    if (selected) moveBrush(selected);
  });
  return {
    update(next, sel) {
      counts = next;
      // A selection set from elsewhere (reset, the URL) moves the brush; the one being dragged is already there.
      if (JSON.stringify(sel) !== JSON.stringify(selected)) moveBrush(sel);
      selected = sel;
      redrawBars();
    },
    destroy() {
      if (raf) cancelAnimationFrame(raf);
      frame.destroy();
    },
  };
}
