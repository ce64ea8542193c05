/**
 * The box every SVG chart draws into: a wrapper filling the host element, a
 * plot area whose size (not the SVG's) is measured, and an optional HTML
 * legend row below that wraps on narrow docks. The SVG is absolutely
 * positioned in the plot area, so drawing never changes what is measured and
 * the resize observer cannot loop.
 */
import { select, type Selection } from 'd3';
import { clear, h } from '../ui/dom';

export interface Size {
  width: number;
  height: number;
}

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

export interface ChartFrame {
  root: HTMLDivElement;
  legend: HTMLDivElement;
  destroy(): void;
}

let serial = 0;
/** Document-unique ids for gradients and patterns: several charts share one page. */
export const uid = (kind: string): string => `ca-${kind}-${++serial}`;

/** Fallback when the host has no layout yet (hidden tab, detached): a typical dock. */
const FALLBACK: Size = { width: 640, height: 200 };

/**
 * Mount a chart in `el` (its content is replaced). `draw` gets a fresh, empty
 * SVG of the plot's size, on mount and whenever the plot is resized (at most
 * once a frame). `legend` is filled by the caller once.
 */
export function mountFrame(el: HTMLElement, kind: string, draw: (svg: Svg, size: Size) => void): ChartFrame {
  clear(el);
  const plot = h('div', { class: 'ca-plot' });
  const legend = h('div', { class: 'ca-legend' });
  const root = h('div', { class: `ca-chart ${kind}` }, plot, legend);
  el.append(root);

  let last = '';
  let raf = 0;
  const render = () => {
    raf = 0;
    const w = Math.floor(plot.clientWidth) || FALLBACK.width;
    const hgt = Math.floor(plot.clientHeight) || FALLBACK.height;
    const key = `${w}x${hgt}`;
    if (key === last) return;
    last = key;
    clear(plot);
    const svg = select(plot).append('svg').attr('width', w).attr('height', hgt).attr('viewBox', `0 0 ${w} ${hgt}`);
    draw(svg as unknown as Svg, { width: w, height: hgt });
  };
  render();
  const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => (raf ||= requestAnimationFrame(render))) : null;
  ro?.observe(plot);
  return {
    root,
    legend,
    destroy() {
      ro?.disconnect();
      if (raf) cancelAnimationFrame(raf);
      root.remove();
    },
  };
}

/** One HTML legend entry: a colour swatch (set through CSSOM, which the CSP allows) and a label. */
export function legendItem(colour: string, label: string, extraClass = ''): HTMLSpanElement {
  const sw = h('span', { class: `ca-swatch ${extraClass}`.trim(), 'aria-hidden': 'true' });
  if (colour) sw.style.background = colour;
  return h('span', { class: 'ca-legend-item' }, sw, label);
}

/** The accessible name of an SVG chart that is a picture. */
export function asImage(svg: Svg, label: string): void {
  svg.attr('role', 'img').attr('aria-label', label);
}
