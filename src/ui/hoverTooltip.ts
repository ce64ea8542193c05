/**
 * The hover tooltip kept in step with the map: shown for what is under the
 * pointer, hidden while a tool owns the pointer, and picked again when the
 * layers' data changes under a still pointer (a facility placed, the clock
 * stepped) rather than showing the old values until the mouse moves.
 * Chromium happens to send a synthetic mousemove when the page's layout
 * changes under a still pointer, which re-picks too (the e2e check in
 * isochrone.test.ts passes either way); other browsers need not, hence the
 * explicit re-pick here.
 */
import type { PickingInfo } from '@deck.gl/core';
import type { Description } from '../layers/types';
import { createTooltip } from './tooltip';

export function createHoverTooltip(d: {
  root: HTMLElement;
  describe(info: PickingInfo): { d: Description } | null;
  pickAt(x: number, y: number): PickingInfo | null;
  /** True while a tool (drawing a park) owns the pointer. */
  suppressed(): boolean;
}) {
  const tooltip = createTooltip(d.root);
  let at: { x: number; y: number } | null = null;
  let frame = 0;
  const showAt = (info: PickingInfo | null, x: number, y: number) => {
    const r = info && !d.suppressed() ? d.describe(info) : null;
    if (r) tooltip.show(r.d, x, y);
    else tooltip.hide();
  };
  return {
    onHover(info: PickingInfo) {
      at = info.x >= 0 && info.y >= 0 ? { x: info.x, y: info.y } : null;
      showAt(info, info.x, info.y);
    },
    /** After new layers were handed to deck.gl: two frames later they are what picking sees. */
    layersChanged() {
      if (tooltip.element.hidden || !at) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          if (!tooltip.element.hidden && at) showAt(d.pickAt(at.x, at.y), at.x, at.y);
        }),
      );
    },
    hide: () => tooltip.hide(),
  };
}
