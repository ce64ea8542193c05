/**
 * A PNG of the map as it is now, at 1×, 2× or 4× the map's CSS size:
 * MapLibre and deck.gl draw into the same WebGL canvas (deck.gl interleaved),
 * so the map is re-rendered once at a raised pixel ratio and copied; the
 * title, legend, scale bar, north arrow, attribution and provenance are
 * then drawn on a 2D canvas from the app's data (the legends from the layer
 * controller, never a screenshot of the DOM).
 */
import type { Map as MlMap } from 'maplibre-gl';
import type { CityDef } from '../catalog/types';
import { loc } from '../i18n';
import type { LayerStatus } from '../layers/controller';
import { CJK_FONT_FAMILY } from '../map/theme';
import type { AppState } from '../state/types';
import { formatClock } from '../ui/timeBar';
import { exportSize, haversine, LEGEND, legendRows, overWhite, plainText, provenanceLines, scaleBar, swatchRect, wrapText, type ExportSize, type ProvenanceEntry } from './compose';
import { layerProvenance } from './gather';

export interface MapImageDeps {
  map: MlMap;
  statuses: () => LayerStatus[];
  city: () => CityDef;
  state: () => AppState;
  /** The map's credits as shown (the online base's, the built-in data's, the planner's live sources'). */
  credits: () => string[];
  /** Resolves when every visible layer has drawn and the map is idle. */
  settled: () => Promise<void>;
  /** Sources of the planner's own tables drawn on the map. */
  userProvenance?: (lang: AppState['lang']) => ProvenanceEntry[];
}

export type ImagePhase = 'settle' | 'render' | 'compose' | 'encode';

export interface MapImage extends ExportSize {
  blob: Blob;
}

type Internal = { _maxCanvasSize: [number, number]; _overridePixelRatio: number | null | undefined };

/** What this GPU can draw into: the smallest of the renderbuffer, texture and viewport limits. */
function gpuMaxSide(canvas: HTMLCanvasElement): number {
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return 4096;
  const dims = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array;
  return Math.min(gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number, gl.getParameter(gl.MAX_TEXTURE_SIZE) as number, dims[0]!, dims[1]!);
}

/**
 * deck.gl on MapLibre's context learns the drawing buffer's size from a
 * ResizeObserver on the canvas, which a new pixel ratio alone (same CSS
 * size) does not wake: without this it would draw at the old ratio into a
 * corner of the larger buffer.
 */
function syncDeck(map: MlMap): void {
  const deck = (map as unknown as { __deck?: { device?: { canvasContext?: { setDrawingBufferSize(w: number, h: number): void } } } }).__deck;
  const c = map.getCanvas();
  deck?.device?.canvasContext?.setDrawingBufferSize(c.width, c.height);
}

/** The next idle map; or, while something keeps it busy (playback, a flight), the frame drawn by then. */
const idle = (map: MlMap, timeoutMs = 15_000) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      map.off('idle', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    map.on('idle', done);
    map.triggerRepaint();
  });

/** Re-renders the map at `ratio` and copies its canvas; the screen's ratio is restored whatever happens. */
async function renderAt(map: MlMap, asked: number): Promise<{ canvas: HTMLCanvasElement; size: ExportSize }> {
  const el = map.getContainer();
  const cssW = el.clientWidth;
  const cssH = el.clientHeight;
  const size = exportSize(cssW, cssH, asked, gpuMaxSide(map.getCanvas()));
  const m = map as unknown as Internal;
  const prevMax = m._maxCanvasSize;
  const prevRatio = m._overridePixelRatio;
  const out = document.createElement('canvas');
  try {
    // MapLibre caps its canvas at 4096 px by default (the maxCanvasSize option); the export checked the GPU's limit itself.
    m._maxCanvasSize = [Math.max(prevMax[0], size.width + 1), Math.max(prevMax[1], size.height + 1)];
    if (Math.abs(map.getPixelRatio() - size.ratio) > 1e-9) map.setPixelRatio(size.ratio);
    syncDeck(map);
    await idle(map);
    const src = map.getCanvas();
    // The GPU may still have refused the size (MapLibre then lowers it): take what was drawn.
    out.width = src.width;
    out.height = src.height;
    // The canvas keeps its drawing buffer (preserveDrawingBuffer), so it can be read after the frame.
    out.getContext('2d')!.drawImage(src, 0, 0);
    const ratio = src.width / cssW;
    return { canvas: out, size: { ratio, width: src.width, height: src.height, capped: size.capped || ratio < asked - 1e-3 } };
  } finally {
    m._maxCanvasSize = prevMax;
    map.setPixelRatio((prevRatio ?? null) as number);
    syncDeck(map);
    map.triggerRepaint();
  }
}

const FONT = CJK_FONT_FAMILY;
const INK = '#1d2733';
const INK2 = '#4a5663';

function roundRect(c: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number, fill: string, stroke?: string): void {
  c.beginPath();
  c.roundRect(x, y, w, h, r);
  c.fillStyle = fill;
  c.fill();
  if (stroke) {
    c.strokeStyle = stroke;
    c.lineWidth = 1;
    c.stroke();
  }
}

/** Text cut with an ellipsis to fit `max` CSS pixels. */
function fit(c: CanvasRenderingContext2D, text: string, max: number): string {
  if (c.measureText(text).width <= max) return text;
  let t = text;
  while (t.length > 1 && c.measureText(`${t}…`).width > max) t = t.slice(0, -1);
  return `${t}…`;
}

function drawTitle(c: CanvasRenderingContext2D, s: AppState, city: CityDef, visible: LayerStatus[], maxW: number): void {
  const zh = s.lang === 'zh';
  const names = visible.map((x) => loc(x.def.name, s.lang));
  const line1 = `${loc(city.name, s.lang)} · ${names.length ? names.join(zh ? '、' : ', ') : zh ? '底图' : 'Base map'}`;
  const line2 = `${formatClock(s.time, s.lang, s.step)} · ${zh ? '城市环境图谱 Civic Atlas' : 'Civic Atlas 城市环境图谱'}`;
  c.font = `600 16px ${FONT}`;
  const w1 = c.measureText(line1).width;
  c.font = `12px ${FONT}`;
  const w = Math.min(maxW, Math.max(w1, c.measureText(line2).width) + 2 * LEGEND.pad);
  roundRect(c, LEGEND.margin, LEGEND.margin, w, LEGEND.titleHeight, 6, '#ffffff', 'rgba(0,0,0,0.18)');
  c.textBaseline = 'top';
  c.fillStyle = INK;
  c.font = `600 16px ${FONT}`;
  c.fillText(fit(c, line1, w - 2 * LEGEND.pad), LEGEND.margin + LEGEND.pad, LEGEND.margin + 9);
  c.fillStyle = INK2;
  c.font = `12px ${FONT}`;
  c.fillText(fit(c, line2, w - 2 * LEGEND.pad), LEGEND.margin + LEGEND.pad, LEGEND.margin + 34);
}

function drawLegend(c: CanvasRenderingContext2D, visible: LayerStatus[], modelled: (id: string) => boolean, lang: AppState['lang'], maxH: number): void {
  const legends = visible.filter((x) => x.legend).map((x) => ({ legend: x.legend!, modelled: modelled(x.def.id) }));
  if (!legends.length) return;
  const inner = LEGEND.maxWidth - 2 * LEGEND.pad;
  c.font = `11px ${FONT}`;
  const { rows, top, bottom } = legendRows(legends, (t) => wrapText(t, inner, (x) => c.measureText(x).width));
  const badge = lang === 'zh' ? '模拟数据' : 'modelled';
  let w = 0;
  for (const r of rows) {
    c.font = r.kind === 'title' ? `600 ${LEGEND.titleFont}px ${FONT}` : `${r.kind === 'text' ? 11 : LEGEND.font}px ${FONT}`;
    const extra = r.kind === 'item' ? LEGEND.swatch + 6 : r.kind === 'title' && r.modelled ? 60 : 0;
    w = Math.max(w, c.measureText(r.text).width + extra);
  }
  const boxW = Math.min(LEGEND.maxWidth, w + 2 * LEGEND.pad);
  const x0 = LEGEND.margin + LEGEND.pad;
  // Opaque white, so each swatch holds exactly its colour over white (compose.ts overWhite).
  roundRect(c, LEGEND.margin, top, boxW, Math.min(bottom, maxH) - top, 6, '#ffffff', 'rgba(0,0,0,0.18)');
  c.textBaseline = 'middle';
  for (const r of rows) {
    const mid = r.y + LEGEND.line / 2;
    if (r.kind === 'title') {
      c.font = `600 ${LEGEND.titleFont}px ${FONT}`;
      c.fillStyle = INK;
      const room = boxW - 2 * LEGEND.pad - (r.modelled ? 60 : 0);
      const text = fit(c, r.text, room);
      c.fillText(text, x0, mid);
      if (r.modelled) {
        const bx = x0 + c.measureText(text).width + 6;
        c.font = `10px ${FONT}`;
        const tw = c.measureText(badge).width;
        roundRect(c, bx, mid - 7, tw + 8, 14, 3, '#fff3d6', '#d9a441');
        c.fillStyle = '#8a5a00';
        c.fillText(badge, bx + 4, mid);
      }
    } else if (r.kind === 'text') {
      c.font = `11px ${FONT}`;
      c.fillStyle = INK2;
      c.fillText(r.text, x0, mid - 1);
    } else {
      const sw = swatchRect(r);
      const [red, g, b] = overWhite(r.color!);
      c.fillStyle = `rgb(${red}, ${g}, ${b})`;
      if (r.shape === 'circle') {
        c.beginPath();
        c.arc(sw.x + sw.size / 2, sw.y + sw.size / 2, sw.size / 2, 0, 2 * Math.PI);
        c.fill();
      } else if (r.shape === 'line') c.fillRect(sw.x, sw.y + sw.size / 2 - 1.5, sw.size, 3);
      else c.fillRect(sw.x, sw.y, sw.size, sw.size);
      c.font = `${LEGEND.font}px ${FONT}`;
      c.fillStyle = INK;
      c.fillText(fit(c, r.text, boxW - 2 * LEGEND.pad - LEGEND.swatch - 6), sw.x + sw.size + 6, mid);
    }
  }
}

function drawNorthArrow(c: CanvasRenderingContext2D, cx: number, cy: number, bearing: number): void {
  c.save();
  c.translate(cx, cy);
  c.beginPath();
  c.arc(0, 0, 18, 0, 2 * Math.PI);
  c.fillStyle = 'rgba(255,255,255,0.92)';
  c.fill();
  c.strokeStyle = 'rgba(0,0,0,0.25)';
  c.stroke();
  // Bearing is where the map's top faces, clockwise from north: north is that far anticlockwise.
  c.rotate((-bearing * Math.PI) / 180);
  c.beginPath();
  c.moveTo(0, -14);
  c.lineTo(6, 4);
  c.lineTo(0, 0);
  c.lineTo(-6, 4);
  c.closePath();
  c.fillStyle = '#c0392b';
  c.fill();
  c.font = `700 9px ${FONT}`;
  c.fillStyle = INK;
  c.textAlign = 'center';
  c.textBaseline = 'middle';
  c.fillText('N', 0, 10);
  c.restore();
}

function drawScaleBar(c: CanvasRenderingContext2D, map: MlMap, right: number, bottom: number): void {
  const el = map.getContainer();
  const cx = el.clientWidth / 2;
  const cy = el.clientHeight / 2;
  const a = map.unproject([cx - 50, cy]);
  const b = map.unproject([cx + 50, cy]);
  const mPerPx = haversine([a.lng, a.lat], [b.lng, b.lat]) / 100;
  if (!(mPerPx > 0)) return;
  const bar = scaleBar(mPerPx, 120);
  const x = right - bar.px;
  roundRect(c, x - 8, bottom - 30, bar.px + 16, 30, 4, 'rgba(255,255,255,0.9)');
  c.strokeStyle = INK;
  c.lineWidth = 2;
  c.beginPath();
  c.moveTo(x, bottom - 14);
  c.lineTo(x, bottom - 8);
  c.lineTo(x + bar.px, bottom - 8);
  c.lineTo(x + bar.px, bottom - 14);
  c.stroke();
  c.font = `11px ${FONT}`;
  c.fillStyle = INK;
  c.textAlign = 'center';
  c.textBaseline = 'bottom';
  c.fillText(bar.label, x + bar.px / 2, bottom - 12);
  c.textAlign = 'left';
}

/** Attribution and provenance along the bottom; returns the strip's top (CSS px). */
function drawFooter(c: CanvasRenderingContext2D, lines: string[], cssW: number, cssH: number): number {
  c.font = `11px ${FONT}`;
  const wrapped = lines.flatMap((l) => wrapText(l, cssW - 2 * LEGEND.margin, (x) => c.measureText(x).width));
  const h = wrapped.length * 15 + 10;
  const top = cssH - h;
  c.fillStyle = 'rgba(255,255,255,0.88)';
  c.fillRect(0, top, cssW, h);
  c.fillStyle = INK2;
  c.textBaseline = 'top';
  wrapped.forEach((l, i) => c.fillText(l, LEGEND.margin, top + 5 + i * 15));
  return top;
}

export async function exportMapImage(d: MapImageDeps, asked: number, onPhase: (p: ImagePhase) => void = () => {}): Promise<MapImage> {
  onPhase('settle');
  // A layer still loading after this long is exported as it is drawn now, rather than never.
  await Promise.race([d.settled(), new Promise((r) => setTimeout(r, 30_000))]);
  onPhase('render');
  const { canvas, size } = await renderAt(d.map, asked);
  try {
    onPhase('compose');
    const s = d.state();
    const city = d.city();
    const visible = d.statuses().filter((x) => x.visible);
    const el = d.map.getContainer();
    const cssW = el.clientWidth;
    const cssH = el.clientHeight;
    const c = canvas.getContext('2d')!;
    c.scale(size.ratio, size.ratio);
    const modelled = (id: string) => {
      const def = visible.find((x) => x.def.id === id)?.def;
      return !!def && layerProvenance(def, city).some((p) => p.modelled);
    };
    const zh = s.lang === 'zh';
    const prov = provenanceLines(
      [...visible.flatMap((x) => layerProvenance(x.def, city).map((p) => ({ layer: loc(x.def.name, s.lang), ...p }))), ...(d.userProvenance?.(s.lang) ?? [])],
      s.lang,
    );
    const credits = d.credits().map(plainText).filter(Boolean).join(zh ? '；' : '; ');
    const footerTop = drawFooter(c, [...prov.map((p) => (zh ? `数据：${p}` : `Data: ${p}`)), `${zh ? '地图：' : 'Map: '}${credits || 'MapLibre'} · MapLibre · deck.gl`], cssW, cssH);
    drawTitle(c, s, city, visible, Math.min(cssW - 2 * LEGEND.margin, 720));
    drawLegend(c, visible, modelled, s.lang, footerTop - 8);
    drawScaleBar(c, d.map, cssW - LEGEND.margin - 8, footerTop - 8);
    drawNorthArrow(c, cssW - LEGEND.margin - 18, LEGEND.margin + 18, d.map.getBearing());
    onPhase('encode');
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('toBlob returned nothing (the image is too large for this browser)');
    return { blob, ...size };
  } finally {
    // Give the pixels back at once: at 4× they are tens of megabytes.
    canvas.width = 0;
    canvas.height = 0;
  }
}
