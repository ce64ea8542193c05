/**
 * The pure parts of the map export: sizes, the scale bar, file names, the
 * title and provenance lines, and where the legend's swatches go. Kept free
 * of the DOM so they are unit-tested, and so the e2e test can compute where
 * to look for the legend in a downloaded PNG.
 */
import type { Lang } from '../state/types';
import type { Legend, RGBA } from '../layers/types';

/** The largest side an export may have: browsers and GPUs refuse or crash well before 16k. */
export const MAX_SIDE = 8192;
/** ≈ 8K UHD: one RGBA copy is ~150 MB, and the GL buffer, the 2D canvas and the PNG encoder each hold one. */
export const MAX_AREA = 7680 * 4320;

export interface ExportSize {
  /** The pixel ratio actually used (lower than asked when capped). */
  ratio: number;
  width: number;
  height: number;
  capped: boolean;
}

/** Output size for `asked`× the map's CSS size, within `maxSide` (the GPU's limit or MAX_SIDE) and MAX_AREA. */
export function exportSize(cssWidth: number, cssHeight: number, asked: number, maxSide = MAX_SIDE, maxArea = MAX_AREA): ExportSize {
  const side = Math.min(maxSide, MAX_SIDE);
  let ratio = asked;
  ratio = Math.min(ratio, side / cssWidth, side / cssHeight, Math.sqrt(maxArea / (cssWidth * cssHeight)));
  // MapLibre floors the canvas size; use the same so the overlay lines up with the map.
  const width = Math.floor(cssWidth * ratio);
  const height = Math.floor(cssHeight * ratio);
  return { ratio, width, height, capped: ratio < asked - 1e-9 };
}

const EARTH_R = 6371008.8;

/** Great-circle distance in metres between two [lon, lat] points. */
export function haversine(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Metres per CSS pixel of a Web Mercator map of 512-pixel tiles (MapLibre's) at a latitude and zoom. */
export function metresPerPixel(lat: number, zoom: number): number {
  return (2 * Math.PI * 6378137 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

export interface ScaleBar {
  metres: number;
  /** Length in the same pixels as `maxPx`. */
  px: number;
  label: string;
}

/** The longest round length (1, 2 or 5 × 10ⁿ m) that fits in `maxPx` at `mPerPx`. */
export function scaleBar(mPerPx: number, maxPx: number): ScaleBar {
  const maxM = mPerPx * maxPx;
  const pow = 10 ** Math.floor(Math.log10(maxM));
  const metres = [5, 2, 1].map((m) => m * pow).find((m) => m <= maxM) ?? pow;
  const label = metres >= 1000 ? `${+(metres / 1000).toPrecision(3)} km` : `${+metres.toPrecision(3)} m`;
  return { metres, px: metres / mPerPx, label };
}

/** A file-name part: letters (any script), digits, '-' and '_'; nothing a shell or a file system minds. */
export function slug(s: string): string {
  return s.normalize('NFKC').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'x';
}

/** e.g. civic-atlas-shenzhen-parks-2025-12-31T23-2x.png */
export function exportFileName(p: { city: string; what: string[]; time: string; suffix?: string; ext: string }): string {
  const what = p.what.length ? p.what.map(slug).join('+') : 'map';
  return ['civic-atlas', slug(p.city), what, slug(p.time), p.suffix && slug(p.suffix)].filter(Boolean).join('-') + `.${p.ext}`;
}

export interface ProvenanceEntry {
  layer: string;
  source: string;
  license: string;
  /** null: not known (a planner's own file). */
  vintage: number | null;
  /** null: not declared (a planner's own file). */
  modelled: boolean | null;
}

/** One line per layer: each distinct source with its licence and vintage, and "modelled" where it is. */
export function provenanceLines(entries: ProvenanceEntry[], lang: Lang): string[] {
  const zh = lang === 'zh';
  const byLayer = new Map<string, string[]>();
  for (const e of entries) {
    const text = `${e.source}, ${e.license}${e.vintage === null ? '' : `, ${e.vintage}`}${e.modelled ? (zh ? '，模拟数据' : ', modelled') : ''}`;
    const list = byLayer.get(e.layer) ?? [];
    if (!list.includes(text)) list.push(text);
    byLayer.set(e.layer, list);
  }
  return [...byLayer].map(([layer, texts]) => `${layer}${zh ? '：' : ': '}${texts.join(zh ? '；' : '; ')}`);
}

/** Attribution HTML (an online base's credits carry links) as plain text. */
export function plainText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ', copy: '©' };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp|copy);/g, (_, k: string) => entities[k]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** A legend colour as drawn over the legend's opaque white box: what the PNG holds, to the byte. */
export function overWhite(c: RGBA): [number, number, number] {
  const a = c[3] / 255;
  return [0, 1, 2].map((i) => Math.round(c[i]! * a + 255 * (1 - a))) as [number, number, number];
}

/** Legend box geometry in CSS pixels (the export multiplies by its ratio). */
export const LEGEND = {
  margin: 16,
  /** The title box above the legend: two lines. */
  titleHeight: 58,
  gap: 10,
  pad: 10,
  titleLine: 20,
  line: 18,
  swatch: 12,
  maxWidth: 340,
  font: 12,
  titleFont: 13,
} as const;

export interface LegendRow {
  kind: 'title' | 'item' | 'text';
  text: string;
  /** Top of the row, CSS pixels from the top of the image. */
  y: number;
  color?: RGBA;
  shape?: 'square' | 'circle' | 'line';
  modelled?: boolean;
}

/**
 * Rows of the legend box, top to bottom: per layer its title, its live line,
 * its items and its note (wrapped by `wrap`, which the browser gives with
 * canvas text metrics). Swatch i of a row sits at x = margin + pad,
 * y = row.y + (line − swatch) / 2.
 */
export function legendRows(legends: { legend: Legend; modelled: boolean }[], wrap: (text: string) => string[]): { rows: LegendRow[]; top: number; bottom: number } {
  const top = LEGEND.margin + LEGEND.titleHeight + LEGEND.gap;
  let y = top + LEGEND.pad;
  const rows: LegendRow[] = [];
  legends.forEach(({ legend, modelled }, i) => {
    if (i > 0) y += 6;
    rows.push({ kind: 'title', text: legend.title, y, modelled });
    y += LEGEND.titleLine;
    const texts = (t: string | undefined) => {
      for (const line of t ? wrap(t) : []) {
        rows.push({ kind: 'text', text: line, y });
        y += LEGEND.line - 2;
      }
    };
    texts(legend.live);
    for (const item of legend.items) {
      rows.push({ kind: 'item', text: item.label, y, color: item.color, shape: item.shape ?? 'square' });
      y += LEGEND.line;
    }
    texts(legend.note);
  });
  return { rows, top, bottom: y + LEGEND.pad };
}

/** Where an item row's swatch is, CSS pixels: its top-left corner and size. */
export function swatchRect(row: LegendRow): { x: number; y: number; size: number } {
  return { x: LEGEND.margin + LEGEND.pad, y: row.y + (LEGEND.line - LEGEND.swatch) / 2, size: LEGEND.swatch };
}

/** Greedy wrapping by measured width; a CJK run may break anywhere, other text at spaces. */
export function wrapText(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const tokens = text.match(/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+|\s+/g) ?? [];
  const lines: string[] = [];
  let cur = '';
  for (const tok of tokens) {
    const next = cur + tok;
    if (cur && measure(next.trimEnd()) > maxWidth) {
      lines.push(cur.trimEnd());
      cur = tok.trimStart();
    } else cur = next;
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines;
}
