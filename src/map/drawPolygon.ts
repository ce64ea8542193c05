/**
 * Drawing one polygon on the map (a planner's what-if park). Clicks add
 * vertices; a click on the first vertex, a double-click or Enter finishes;
 * Backspace removes the last vertex; Esc cancels. The shape in progress is
 * drawn by deck.gl layers handed to `onPreview`, with its live area in a hint
 * the caller words. Panning and zooming keep working while drawing.
 */
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { MapMouseEvent } from 'maplibre-gl';
import type { DrawnRing } from '../state/types';
import type { MapView } from './mapView';

export interface DrawOptions {
  /** The in-progress shape as deck.gl layers ([] when done). */
  onPreview(layers: Layer[]): void;
  /** The vertices so far and the point under the pointer, for a live hint. */
  onProgress?(ring: DrawnRing, pointer: [number, number] | null): void;
  /** The finished ring (open, ≥ 3 vertices), or null when cancelled. */
  onDone(ring: DrawnRing | null): void;
  /** Pixel size multiplier (4K screens). */
  scale?: number;
}

export interface DrawSession {
  finish(): void;
  cancel(): void;
  undo(): void;
}

/** Pixels within which a click on the first vertex closes the ring. */
const CLOSE_PX = 12;

export function drawPolygon(view: MapView, o: DrawOptions): DrawSession {
  const map = view.map;
  const scale = o.scale ?? 1;
  const ring: DrawnRing = [];
  let pointer: [number, number] | null = null;
  let ended = false;
  const canvas = map.getCanvasContainer();
  canvas.classList.add('drawing');
  const hadDblZoom = map.doubleClickZoom.isEnabled();
  map.doubleClickZoom.disable();

  const preview = () => {
    const live = pointer && ring.length ? [...ring, pointer] : [...ring];
    const layers: Layer[] = [];
    if (live.length >= 3)
      layers.push(
        new PolygonLayer<{ ring: [number, number][] }>({
          id: 'draw-fill',
          data: [{ ring: live }],
          getPolygon: (d) => d.ring,
          getFillColor: [30, 170, 90, 90],
          stroked: false,
          parameters: { depthCompare: 'always', depthWriteEnabled: false },
        }),
      );
    if (live.length >= 2)
      layers.push(
        new PathLayer<{ path: [number, number][] }>({
          id: 'draw-outline',
          data: [{ path: live }],
          getPath: (d) => d.path,
          getColor: [20, 120, 60, 255],
          getWidth: 2 * scale,
          widthUnits: 'pixels',
          parameters: { depthCompare: 'always', depthWriteEnabled: false },
        }),
      );
    layers.push(
      new ScatterplotLayer<[number, number]>({
        id: 'draw-vertices',
        data: ring,
        getPosition: (d) => d,
        getRadius: (_d, { index }) => (index === 0 ? 6 : 4) * scale,
        radiusUnits: 'pixels',
        getFillColor: (_d, { index }) => (index === 0 ? [255, 255, 255, 255] : [20, 120, 60, 255]),
        getLineColor: [20, 120, 60, 255],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 2 * scale,
        updateTriggers: { getRadius: ring.length, getFillColor: ring.length },
        parameters: { depthCompare: 'always', depthWriteEnabled: false },
      }),
    );
    o.onPreview(layers);
    o.onProgress?.([...ring], pointer);
  };

  const nearFirst = (e: MapMouseEvent) => {
    if (ring.length < 3) return false;
    const p = view.toScreen(ring[0]!);
    return Math.hypot(p.x - e.point.x, p.y - e.point.y) <= CLOSE_PX * scale;
  };
  const onClick = (e: MapMouseEvent) => {
    if (nearFirst(e)) return end(true);
    // WGS-84 whatever the base: under a GCJ-02 base the map's own lngLat is shifted.
    const v = view.toData(e.point.x, e.point.y);
    const last = ring[ring.length - 1];
    // The two clicks of a double-click land on the same spot: one vertex.
    if (last && Math.abs(last[0] - v[0]) < 1e-7 && Math.abs(last[1] - v[1]) < 1e-7) return;
    ring.push(v);
    preview();
  };
  const onDbl = (e: MapMouseEvent) => {
    e.preventDefault();
    end(true);
  };
  const onMove = (e: MapMouseEvent) => {
    pointer = view.toData(e.point.x, e.point.y);
    if (ring.length) preview();
  };
  const onKey = (e: KeyboardEvent) => {
    const tgt = e.target as HTMLElement | null;
    if (tgt?.closest('input, select, textarea, [contenteditable]')) return;
    if (e.key === 'Escape') end(false);
    else if (e.key === 'Enter') end(true);
    else if (e.key === 'Backspace') session.undo();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  function end(accept: boolean) {
    if (ended) return;
    ended = true;
    map.off('click', onClick);
    map.off('dblclick', onDbl);
    map.off('mousemove', onMove);
    document.removeEventListener('keydown', onKey, true);
    canvas.classList.remove('drawing');
    if (hadDblZoom) setTimeout(() => map.doubleClickZoom.enable(), 0);
    o.onPreview([]);
    o.onDone(accept && ring.length >= 3 ? [...ring] : null);
  }

  map.on('click', onClick);
  map.on('dblclick', onDbl);
  map.on('mousemove', onMove);
  // Capture: Esc and Enter belong to the drawing while it lasts, not to the time bar or a dialog.
  document.addEventListener('keydown', onKey, true);
  preview();

  const session: DrawSession = {
    finish: () => end(true),
    cancel: () => end(false),
    undo() {
      if (ended || !ring.length) return;
      ring.pop();
      preview();
    },
  };
  return session;
}
