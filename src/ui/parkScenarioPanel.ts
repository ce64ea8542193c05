/**
 * The park-coverage layer's own controls in the layer panel: draw a what-if
 * park, and see what the drawn parks change (before → after, city-wide).
 * The drawn parks travel in the share link; "clear" removes them.
 */
import type { Lang } from '../state/types';
import { h } from './dom';

export interface ParkScenarioProps {
  lang: Lang;
  drawing: boolean;
  drawnCount: number;
  /** Before → after lines for the city, once coverage has loaded. */
  delta: string[] | null;
  onDraw(): void;
  onFinish(): void;
  onCancel(): void;
  onUndoPark(): void;
  onClear(): void;
}

export function parkScenarioPanel(p: ParkScenarioProps): HTMLElement {
  const zh = p.lang === 'zh';
  const btn = (cls: string, label: string, fn: () => void, title?: string) => h('button', { type: 'button', class: cls, title, click: fn }, label);
  if (p.drawing) {
    return h(
      'div',
      { class: 'scenario-panel drawing', role: 'group', 'aria-label': zh ? '绘制方案公园' : 'Drawing a park' },
      h('div', { class: 'scenario-hint' }, zh ? '正在绘制：在地图上点击添加顶点。' : 'Drawing: click the map to add corners.'),
      h('div', { class: 'scenario-actions' }, btn('scenario-finish', zh ? '完成' : 'Finish', p.onFinish, 'Enter'), btn('scenario-cancel', zh ? '取消' : 'Cancel', p.onCancel, 'Esc')),
    );
  }
  return h(
    'div',
    { class: 'scenario-panel', role: 'group', 'aria-label': zh ? '公园方案' : 'Park scenario' },
    h('div', { class: 'scenario-actions' },
      btn('scenario-draw', zh ? '✏ 画一个新公园' : '✏ Draw a new park', p.onDraw, zh ? '假设在此新建公园，看覆盖率如何变化' : 'What if a park were built here? See coverage change'),
      p.drawnCount ? btn('scenario-undo', zh ? '撤销上一个' : 'Remove last', p.onUndoPark) : null,
      p.drawnCount ? btn('scenario-clear', zh ? '清除方案' : 'Clear scenario', p.onClear) : null,
    ),
    p.drawnCount && p.delta
      ? h('ul', { class: 'scenario-delta', 'aria-live': 'polite' }, ...p.delta.map((line) => h('li', {}, line)))
      : p.drawnCount
        ? null
        : h('div', { class: 'scenario-hint' }, zh ? '假设方案：画出公园即时查看覆盖率变化；方案随分享链接保存。' : 'Hypothetical: draw a park to see coverage change at once; the scenario is kept in the share link.'),
  );
}
