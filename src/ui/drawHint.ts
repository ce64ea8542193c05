/**
 * The floating hint while a park is drawn: how to draw, and the shape's area
 * now with the service radius it would earn under the standard's size rule.
 */
import { drawnArea } from '../analysis/parkScenario';
import { formatNumber } from '../i18n';
import type { DrawnRing, Lang } from '../state/types';
import { parkServiceRadius, PARK_SERVICE_RADII } from '../standards/parks';
import { formatArea } from '../layers/parkCoverageText';
import { h } from './dom';

export function createDrawHint(root: HTMLElement, lang: () => Lang) {
  const how = h('div', { class: 'draw-how' });
  const size = h('div', { class: 'draw-size' });
  const el = h('div', { class: 'draw-hint', role: 'status', 'aria-live': 'polite', hidden: true }, how, size);
  root.append(el);
  const minCounted = Math.min(...PARK_SERVICE_RADII.map((r) => r.minAreaM2));
  return {
    update(ring: DrawnRing, pointer: [number, number] | null) {
      const zh = lang() === 'zh';
      el.hidden = false;
      how.textContent = zh
        ? `点击地图添加顶点（已 ${ring.length} 个）· 双击、回车或点第一个顶点完成 · Backspace 撤销 · Esc 取消`
        : `Click the map to add corners (${ring.length} so far) · double-click, Enter or the first corner to finish · Backspace undoes · Esc cancels`;
      const live = pointer && ring.length >= 2 ? [...ring, pointer] : ring;
      if (live.length < 3) {
        size.textContent = '';
        return;
      }
      const a = drawnArea(live);
      const r = parkServiceRadius(a);
      const area = formatArea(a, lang());
      size.textContent = r
        ? zh ? `面积 ${area}：服务半径 ${r} 米` : `Area ${area}: serves ${r} m`
        : zh ? `面积 ${area}：小于 ${formatNumber(minCounted, 'zh')} m²，不计入覆盖` : `Area ${area}: under ${formatNumber(minCounted, 'en')} m², does not count for coverage`;
    },
    hide() {
      el.hidden = true;
    },
  };
}
