/**
 * A station's time series (hourly or daily) as a line with GB 3095 / WHO
 * reference lines, the app clock as a cursor, a brush to choose a period and
 * a click to jump the clock. Up to a year of hourly data (8760 samples) is
 * decimated per pixel column, so drawing costs the width, not the length.
 */
import { axisBottom, axisLeft, brushX, line, pointer, scaleLinear, scaleUtc, utcDay, utcHour, utcMonth, type D3BrushEvent } from 'd3';
import { AQI_LEVELS, aqiLevel } from '../standards/aqi';
import type { Lang } from '../state/types';
import { CST_OFFSET_MS, fmtCstTime, fmtNum, fmtTick, NO_VALUE } from './format';
import { asImage, mountFrame, uid, type Size, type Svg } from './frame';
import { decimateMinMax, isolatedIndices, isValue, snapMs, snapRange } from './layout';

export interface SeriesReference {
  value: number;
  label: string;
  /** GB 3095-2012 class-2 limit or WHO 2021 guideline: drawn differently. */
  kind: 'gb' | 'who';
}

export interface SeriesProps {
  /** UTC epoch of values[0]. */
  startMs: number;
  stepMs: number;
  /** NaN = missing: drawn as a gap. */
  values: Float32Array;
  label: string;
  unit: string;
  references: SeriesReference[];
  /** Values are AQI: the line takes the HJ 633 level colours. */
  colourByAqi?: boolean;
  cursorMs: number | null;
  lang: Lang;
  /** A brushed range to show from the start (sample times), e.g. the period kept in the store. */
  brushed?: [number, number] | null;
  /** A drag ended: both ends are sample times (start rounded down, end up). */
  onBrush?: (startMs: number, endMs: number) => void;
  /** A click without drag: the nearest sample time. */
  onPick?: (ms: number) => void;
}

export interface SeriesHandle {
  setCursor(ms: number | null): void;
  destroy(): void;
}

interface State {
  cursor: number | null;
  brushed: [number, number] | null;
  moveCursor: (ms: number | null) => void;
}

const M = { top: 20, right: 12, bottom: 22, left: 42 };
const DAY = 86_400_000;
const TICK_STEPS = { month: [1, 2, 3, 6], day: [1, 2, 7, 14], hour: [1, 3, 6, 12] } as const;
const TXT = {
  max: { zh: '最大值', en: 'max' },
  noData: { zh: '无数据', en: 'no data' },
};

export function renderSeriesChart(el: HTMLElement, p: SeriesProps): SeriesHandle {
  const st: State = { cursor: p.cursorMs, brushed: p.brushed ?? null, moveCursor: () => {} };
  const frame = mountFrame(el, 'ca-series', (svg, size) => {
    st.moveCursor = draw(svg, size, p, st);
    st.moveCursor(st.cursor);
  });
  return {
    setCursor(ms) {
      st.cursor = ms;
      st.moveCursor(ms);
    },
    destroy: () => frame.destroy(),
  };
}

/** getBBox throws in some engines for an element that is not rendered (a hidden dock). */
function safeBBox(el: SVGGraphicsElement): DOMRect | null {
  try {
    return el.getBBox();
  } catch {
    return null;
  }
}

/** x of a mouse or touch event in `node`'s coordinates (touchend has only changedTouches). */
function eventX(ev: Event, node: Element): number {
  const t = ev as TouchEvent;
  return pointer(t.touches?.[0] ?? t.changedTouches?.[0] ?? ev, node)[0];
}

function draw(svg: Svg, { width, height }: Size, p: SeriesProps, st: State): (ms: number | null) => void {
  const { lang, values, startMs, stepMs } = p;
  const n = values.length;
  const endMs = startMs + Math.max(1, n - 1) * stepMs;
  const iw = Math.max(20, width - M.left - M.right);
  const ih = Math.max(20, height - M.top - M.bottom);
  const tOf = (i: number) => startMs + i * stepMs;
  // Shifted to CST so that d3's UTC intervals put ticks on CST month/day/hour boundaries.
  const x = scaleUtc().domain([startMs + CST_OFFSET_MS, endMs + CST_OFFSET_MS]).range([0, iw]);
  const px = (ms: number) => x(ms + CST_OFFSET_MS);
  const msAt = (v: number) => x.invert(v).getTime() - CST_OFFSET_MS;

  let dataMax = 0;
  for (const v of values) if (isValue(v) && v > dataMax) dataMax = v;
  // A limit far above the data would flatten it on the axis: such limits are named in the top margin instead.
  const onScale = p.references.filter((r) => dataMax === 0 || r.value <= dataMax * 2.5);
  const offScale = p.references.filter((r) => !onScale.includes(r));
  const y = scaleLinear()
    .domain([0, Math.max(1, dataMax, ...onScale.map((r) => r.value)) * 1.05])
    .nice()
    .range([ih, 0]);
  const yTop = y.domain()[1]!;
  const digits = yTop <= 5 ? 1 : 0;
  const fmtV = (v: number | undefined) => (isValue(v) ? `${fmtNum(v, lang, digits)} ${p.unit}`.trim() : NO_VALUE);
  const withHour = stepMs < DAY;

  const title = p.unit ? `${p.label} (${p.unit})` : p.label;
  const refText = p.references.map((r) => `${r.label} ${fmtNum(r.value, lang, 1)}`).join('; ');
  asImage(
    svg,
    `${title}, ${fmtCstTime(startMs, lang, withHour)} – ${fmtCstTime(endMs, lang, withHour)}; ` +
      (dataMax > 0 ? `${TXT.max[lang]} ${fmtV(dataMax)}` : TXT.noData[lang]) +
      (refText ? `; ${refText}` : ''),
  );
  svg.append('text').attr('class', 'ca-title').attr('x', 2).attr('y', 13).text(title);
  if (offScale.length) {
    svg
      .append('text')
      .attr('class', 'ca-note')
      .attr('x', width - M.right)
      .attr('y', 13)
      .attr('text-anchor', 'end')
      .text(offScale.map((r) => `↑ ${r.label} ${fmtNum(r.value, lang, digits)}`).join(' · '));
  }

  const g = svg.append('g').attr('transform', `translate(${M.left},${M.top})`);
  g.append('g')
    .attr('class', 'ca-axis ca-yaxis')
    .call(axisLeft(y).ticks(Math.max(2, Math.floor(ih / 32))).tickSize(-iw).tickPadding(6).tickFormat((v) => fmtNum(+v, lang, digits)))
    .call((s) => s.select('.domain').remove());

  const spanDays = (endMs - startMs) / DAY;
  const unit = spanDays > 62 ? 'month' : spanDays > 3 ? 'day' : 'hour';
  const interval = unit === 'month' ? utcMonth : unit === 'day' ? utcDay : utcHour;
  const maxTicks = Math.max(2, Math.floor(iw / 46));
  let ticks: Date[] = [];
  for (const k of TICK_STEPS[unit]) {
    ticks = x.ticks(interval.every(k)!);
    if (ticks.length <= maxTicks) break;
  }
  g.append('g')
    .attr('class', 'ca-axis ca-xaxis')
    .attr('transform', `translate(0,${ih})`)
    .call(axisBottom(x).tickValues(ticks).tickSizeOuter(0).tickFormat((d) => fmtTick(+d - CST_OFFSET_MS, lang, unit)));
  g.selectAll('.ca-axis').attr('font-size', null).attr('font-family', null);

  // AQI: a vertical gradient with hard stops at the level limits colours the line by value, with no per-segment paths.
  let stroke: string | null = null;
  if (p.colourByAqi) {
    const id = uid('aqi');
    const grad = svg.append('defs').append('linearGradient').attr('id', id).attr('gradientUnits', 'userSpaceOnUse');
    grad.attr('x1', 0).attr('x2', 0).attr('y1', y(0)).attr('y2', y(yTop));
    AQI_LEVELS.forEach((l, k) => {
      const lo = k === 0 ? 0 : (AQI_LEVELS[k - 1]!.range[1] ?? 0);
      if (lo >= yTop) return;
      grad.append('stop').attr('offset', lo / yTop).attr('stop-color', l.colour);
      grad.append('stop').attr('offset', Math.min(1, (l.range[1] ?? Infinity) / yTop)).attr('stop-color', l.colour);
    });
    stroke = `url(#${id})`;
  }

  const refs = g.append('g').attr('class', 'ca-refs');
  const refLabels = g.append('g').attr('class', 'ca-refs');
  const taken: number[] = [];
  for (const r of [...onScale].sort((a, b) => b.value - a.value)) {
    const ry = y(r.value);
    refs.append('g').attr('class', `ca-ref ca-ref-${r.kind}`).append('line').attr('x1', 0).attr('x2', iw).attr('y1', ry).attr('y2', ry);
    const rg = refLabels.append('g').attr('class', `ca-ref ca-ref-${r.kind}`);
    // Two limits close together would overprint: the lower label moves under its line.
    const below = ry < 12 || taken.some((t) => Math.abs(t - ry) < 13);
    taken.push(ry);
    const text = rg
      .append('text')
      .attr('x', iw - 4)
      .attr('y', below ? ry + 11 : ry - 4)
      .attr('text-anchor', 'end');
    // Narrow docks: drop the averaging period, then keep only the source; the aria-label keeps the full text.
    const value = fmtNum(r.value, lang, digits);
    const node = text.node()!;
    for (const l of [r.label, r.label.replace(/\s*[（(].*?[)）]/g, ''), r.kind === 'gb' ? 'GB' : 'WHO']) {
      text.text(`${l} ${value}`);
      if (node.getComputedTextLength() <= iw * 0.45) break;
    }
    // An opaque plate keeps the label legible over dense data.
    const bb = safeBBox(node);
    if (bb && bb.width > 0) {
      rg.insert('rect', 'text').attr('class', 'ca-ref-plate').attr('x', bb.x - 2).attr('y', bb.y).attr('width', bb.width + 4).attr('height', bb.height);
    }
  }

  const lineGen = line<number>()
    .defined((i) => isValue(values[i]))
    .x((i) => px(tOf(i)))
    .y((i) => y(values[i]!));
  const d = lineGen(Array.from(decimateMinMax(values, iw))) ?? '';
  if (stroke) g.append('path').attr('class', 'ca-line-halo').attr('d', d);
  g.append('path').attr('class', stroke ? 'ca-line ca-aqi' : 'ca-line').attr('stroke', stroke).attr('d', d);
  g.append('g')
    .attr('class', stroke ? 'ca-dots ca-aqi' : 'ca-dots')
    .selectAll('circle')
    .data(isolatedIndices(values))
    .join('circle')
    .attr('cx', (i) => px(tOf(i)))
    .attr('cy', (i) => y(values[i]!))
    .attr('r', 1.6)
    .attr('fill', (i) => (stroke ? aqiLevel(values[i]!).colour : null));
  // Limits are drawn under the data, their labels over it.
  refLabels.raise();

  const marker = (cls: string, labelY: number) => {
    const m = g.append('g').attr('class', cls).attr('visibility', 'hidden');
    m.append('line').attr('y1', 0).attr('y2', ih);
    const label = m.append('text').attr('y', labelY);
    let shown = -1;
    return (ms: number | null) => {
      if (ms === null || n === 0 || ms < startMs - stepMs / 2 || ms > endMs + stepMs / 2) {
        m.attr('visibility', 'hidden');
        return;
      }
      const mx = px(ms);
      const right = mx > iw / 2;
      m.attr('visibility', null).attr('transform', `translate(${mx},0)`);
      label.attr('x', right ? -4 : 4).attr('text-anchor', right ? 'end' : 'start');
      const i = Math.round((ms - startMs) / stepMs);
      if (i !== shown) {
        shown = i;
        label.text(`${fmtCstTime(tOf(i), lang, withHour)} · ${fmtV(values[i])}`);
      }
    };
  };

  if (p.onBrush || p.onPick) {
    const hover = marker('ca-hover', 24); // under the cursor's label
    const brush = brushX().extent([
      [0, 0],
      [iw, ih],
    ]);
    const bg = g.append('g').attr('class', 'ca-brush');
    let down: { x: number; sel: [number, number] | null } | null = null;
    brush.on('start', (ev: D3BrushEvent<unknown>) => {
      if (!ev.sourceEvent) return;
      down = { x: eventX(ev.sourceEvent, bg.node()!), sel: st.brushed ? [px(st.brushed[0]), px(st.brushed[1])] : null };
    });
    brush.on('end', (ev: D3BrushEvent<unknown>) => {
      if (!ev.sourceEvent || !down) return; // our own brush.move below
      const sel = ev.selection as [number, number] | null;
      const { x: clickX, sel: prev } = down;
      down = null;
      // d3 clears an empty selection on a plain click; a click inside the selection leaves it unchanged.
      const click = !sel || (prev !== null && Math.abs(sel[0] - prev[0]) < 1 && Math.abs(sel[1] - prev[1]) < 1);
      if (click) {
        if (!sel) st.brushed = null;
        p.onPick?.(snapMs(msAt(clickX), startMs, stepMs, n));
      } else if (p.onBrush) {
        const r = snapRange(msAt(sel[0]), msAt(sel[1]), startMs, stepMs, n);
        st.brushed = r;
        bg.call(brush.move, [px(r[0]), px(r[1])]);
        p.onBrush(r[0], r[1]);
      } else {
        bg.call(brush.move, null);
      }
    });
    bg.call(brush);
    if (st.brushed) {
      // A kept period may reach past this series' span: drawn clipped, or not at all.
      const lo = Math.max(0, px(st.brushed[0]));
      const hi = Math.min(iw, px(st.brushed[1]));
      if (hi > lo) bg.call(brush.move, [lo, hi]);
    }
    bg.on('pointermove.hover', (ev: PointerEvent) => hover(snapMs(msAt(pointer(ev, bg.node())[0]), startMs, stepMs, n)));
    bg.on('pointerleave.hover', () => hover(null));
  }
  return marker('ca-cursor', 10);
}
