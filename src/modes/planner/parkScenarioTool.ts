/**
 * The planner's "draw a new park" tool: a drawing session on the map, its
 * live hint, and what happens to the finished outline (refused with a reason,
 * or added to the drawn parks in the store, hence the link).
 */
import type { Layer } from '@deck.gl/core';
import { ringProblem } from '../../analysis/parkScenario';
import { drawPolygon, type DrawSession } from '../../map/drawPolygon';
import type { MapView } from '../../map/mapView';
import type { Store } from '../../state/store';
import { MAX_DRAWN_PARKS, roundRing } from '../../state/urlCodec';
import { createDrawHint } from '../../ui/drawHint';
import type { NoticeLevel } from '../../ui/notices';
import { uiScale } from '../../ui/uiScale';

export interface ParkScenarioToolDeps {
  root: HTMLElement;
  view: MapView;
  store: Store;
  notices: { show(key: string, level: NoticeLevel, title: string, lines?: string[]): void; hide(key: string): void };
  setToolLayers(layers: Layer[]): void;
  /** Drawing started or ended: the panels show it. */
  onChange(): void;
}

export function createParkScenarioTool(d: ParkScenarioToolDeps) {
  let session: DrawSession | null = null;
  const hint = createDrawHint(d.root, () => d.store.get().lang);
  const why = (problem: NonNullable<ReturnType<typeof ringProblem>>, zh: boolean) =>
    ({
      'too-few': zh ? '至少需要三个顶点。' : 'A park needs at least three corners.',
      'self-intersecting': zh ? '边界自相交：请按顺序点击各个顶点。' : 'The outline crosses itself: click the corners in order around the park.',
      'no-area': zh ? '面积为零：顶点在一条直线上。' : 'It has no area: the corners lie on one line.',
    })[problem];
  return {
    drawing: () => session !== null,
    start() {
      if (session) return;
      session = drawPolygon(d.view, {
        scale: uiScale(),
        onPreview: (layers) => d.setToolLayers(layers),
        onProgress: (ring, pointer) => hint.update(ring, pointer),
        onDone: (ring) => {
          session = null;
          hint.hide();
          if (ring) {
            const problem = ringProblem(ring);
            const zh = d.store.get().lang === 'zh';
            if (problem) d.notices.show('draw', 'warning', zh ? '这个公园没有加入方案' : 'The park was not added', [why(problem, zh)]);
            else {
              d.notices.hide('draw');
              d.store.set({ drawnParks: [...d.store.get().drawnParks, roundRing(ring)].slice(-MAX_DRAWN_PARKS) });
            }
          }
          d.onChange();
        },
      });
      d.onChange();
    },
    finish: () => session?.finish(),
    cancel: () => session?.cancel(),
  };
}
