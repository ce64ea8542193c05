/**
 * The swipe divider over the map, kept in step with the store: present while
 * a compare year is set and a restoration layer is shown; its labels name the
 * two years; dragging it moves `swipe` in the store (and the link).
 */
import type { Catalog } from '../../catalog/types';
import { clockYear } from '../../state/clock';
import type { Store } from '../../state/store';
import type { AppState } from '../../state/types';
import { createSwipeDivider, type SwipeDivider } from '../../ui/swipeDivider';

export function createSwipeCompare(container: HTMLElement, catalog: Catalog, store: Store) {
  let divider: SwipeDivider | null = null;
  return {
    sync(s: AppState) {
      const shown = catalog.layers.some((l) => l.kind === 'restoration' && s.layers.includes(l.id));
      if (s.compareYear === null || !shown) {
        divider?.destroy();
        divider = null;
        return;
      }
      const zh = s.lang === 'zh';
      const year = clockYear(s.time);
      const labels = { leftLabel: zh ? `${s.compareYear}年` : String(s.compareYear), rightLabel: zh ? `${year}年` : String(year) };
      if (divider) divider.update({ split: s.swipe, ...labels });
      else
        divider = createSwipeDivider({
          container,
          split: s.swipe,
          ...labels,
          ariaLabel: zh ? '卷帘对比分隔线：左右拖动' : 'Swipe compare divider: drag left or right',
          onSplit: (swipe) => store.set({ swipe: Math.round(swipe * 1000) / 1000 }),
        });
    },
  };
}
