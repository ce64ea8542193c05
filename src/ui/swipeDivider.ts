import { h } from './dom';
import './swipeDivider.css';

/**
 * The draggable vertical divider of the swipe (before/after) compare, laid
 * over the map container. It only reports the split; the two clipped layer
 * copies (src/layers/swipeClip.ts) are drawn by whoever owns the map.
 *
 * Only the round handle takes pointer input (and has `touch-action: none`);
 * the line and the labels let every event through to the map.
 */

export interface SwipeDividerProps {
  container: HTMLElement;
  /** 0..1, fraction of the container's width from its left edge. */
  split: number;
  leftLabel: string;
  rightLabel: string;
  /** Accessible name of the handle (a slider). */
  ariaLabel: string;
  /** Fires while dragging (at most once per animation frame) and on every keyboard step. */
  onSplit(split: number): void;
  onDragState?(dragging: boolean): void;
}

export interface SwipeDivider {
  update(p: Partial<Omit<SwipeDividerProps, 'container'>>): void;
  destroy(): void;
  element: HTMLElement;
}

export const SPLIT_MIN = 0.02;
export const SPLIT_MAX = 0.98;
const STEP = 0.02;
const BIG_STEP = 0.1;

export function clampDividerSplit(split: number): number {
  if (!Number.isFinite(split)) return 0.5;
  return Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, split));
}

export function createSwipeDivider(props: SwipeDividerProps): SwipeDivider {
  const { container } = props;
  let state: Omit<SwipeDividerProps, 'container'> = { ...props, split: clampDividerSplit(props.split) };

  const leftLabel = h('div', { class: 'swipe-label swipe-label-left', 'aria-hidden': 'true' });
  const rightLabel = h('div', { class: 'swipe-label swipe-label-right', 'aria-hidden': 'true' });
  const line = h('div', { class: 'swipe-line' });
  const handle = h('div', {
    class: 'swipe-handle',
    role: 'slider',
    tabindex: 0,
    'aria-orientation': 'horizontal',
    'aria-valuemin': Math.round(SPLIT_MIN * 100),
    'aria-valuemax': Math.round(SPLIT_MAX * 100),
  });
  const element = h('div', { class: 'swipe-divider' }, line, leftLabel, rightLabel, handle);

  // --- rendering -----------------------------------------------------------

  function render(): void {
    const pct = state.split * 100;
    // CSSOM, not a style attribute: allowed under the app's CSP (style-src 'self').
    element.style.setProperty('--swipe-pos', `${pct}%`);
    leftLabel.textContent = state.leftLabel;
    rightLabel.textContent = state.rightLabel;
    leftLabel.hidden = !state.leftLabel;
    rightLabel.hidden = !state.rightLabel;
    const now = Math.round(pct);
    handle.setAttribute('aria-valuenow', String(now));
    handle.setAttribute('aria-valuetext', `${state.leftLabel} ${now}% | ${state.rightLabel} ${100 - now}%`);
    handle.setAttribute('aria-label', state.ariaLabel);
  }

  // --- split changes, throttled to animation frames while dragging ---------

  let frame = 0;
  let pending: number | null = null;

  function flush(): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (pending === null) return;
    const s = pending;
    pending = null;
    state.onSplit(s);
  }

  function setSplit(split: number, throttle: boolean): void {
    const s = clampDividerSplit(split);
    if (s === state.split) return;
    state.split = s;
    render();
    pending = s;
    if (!throttle) flush();
    else if (!frame) frame = requestAnimationFrame(() => {
      frame = 0;
      flush();
    });
  }

  // --- pointer dragging ------------------------------------------------------

  let dragPointer: number | null = null;
  /** Where in the handle it was grabbed, so the line doesn't jump to the pointer. */
  let grabOffset = 0;

  function splitAt(clientX: number): number {
    const rect = container.getBoundingClientRect();
    return rect.width > 0 ? (clientX - grabOffset - rect.left) / rect.width : state.split;
  }

  function endDrag(): void {
    if (dragPointer === null) return;
    const id = dragPointer;
    dragPointer = null;
    if (handle.hasPointerCapture?.(id)) handle.releasePointerCapture(id);
    flush();
    element.classList.remove('dragging');
    state.onDragState?.(false);
  }

  function onPointerDown(e: PointerEvent): void {
    if (dragPointer !== null || !e.isPrimary) return;
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault(); // no text selection, no compatibility mouse events
    e.stopPropagation();
    handle.focus({ preventScroll: true });
    const rect = container.getBoundingClientRect();
    grabOffset = e.clientX - (rect.left + state.split * rect.width);
    dragPointer = e.pointerId;
    try {
      handle.setPointerCapture(e.pointerId);
    } catch {
      /* the pointer is already gone */
    }
    element.classList.add('dragging');
    state.onDragState?.(true);
  }

  function onPointerMove(e: PointerEvent): void {
    if (e.pointerId !== dragPointer) return;
    e.preventDefault();
    setSplit(splitAt(e.clientX), true);
  }

  function onPointerEnd(e: PointerEvent): void {
    if (e.pointerId === dragPointer) endDrag();
  }

  // --- keyboard --------------------------------------------------------------

  function onKeyDown(e: KeyboardEvent): void {
    const step = e.shiftKey ? BIG_STEP : STEP;
    let next: number;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowDown':
        next = state.split - step;
        break;
      case 'ArrowRight':
      case 'ArrowUp':
        next = state.split + step;
        break;
      case 'PageDown':
        next = state.split - BIG_STEP;
        break;
      case 'PageUp':
        next = state.split + BIG_STEP;
        break;
      case 'Home':
        next = SPLIT_MIN;
        break;
      case 'End':
        next = SPLIT_MAX;
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation(); // the map's keyboard handler must not pan as well
    // Round away floating-point drift so repeated steps land on whole percents.
    setSplit(Math.round(next * 1000) / 1000, false);
  }

  handle.addEventListener('pointerdown', onPointerDown);
  handle.addEventListener('pointermove', onPointerMove);
  handle.addEventListener('pointerup', onPointerEnd);
  handle.addEventListener('pointercancel', onPointerEnd);
  handle.addEventListener('lostpointercapture', onPointerEnd);
  handle.addEventListener('keydown', onKeyDown);

  render();
  container.append(element);

  return {
    element,
    update(p) {
      const { split, ...rest } = p;
      state = { ...state, ...rest };
      // While the user drags, the pointer owns the split.
      if (split !== undefined && dragPointer === null) {
        state.split = clampDividerSplit(split);
        pending = null;
      }
      render();
    },
    destroy() {
      endDrag();
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      pending = null;
      handle.removeEventListener('pointerdown', onPointerDown);
      handle.removeEventListener('pointermove', onPointerMove);
      handle.removeEventListener('pointerup', onPointerEnd);
      handle.removeEventListener('pointercancel', onPointerEnd);
      handle.removeEventListener('lostpointercapture', onPointerEnd);
      handle.removeEventListener('keydown', onKeyDown);
      element.remove();
    },
  };
}
