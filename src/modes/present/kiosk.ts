import type { Action } from './keys';
import { bindPresenterKeys, createOverlay, toggleFullscreen, type PresenterDeps } from './presenter';
import {
  DEFAULT_IDLE_MS,
  clampIndex,
  kioskAdvance,
  kioskIdleCheck,
  kioskIdleRemaining,
  kioskInput,
  kioskMoveTo,
  kioskStart,
  nextPos,
  prevPos,
  slideDurationMs,
  type KioskState,
  type Pos,
} from './sequence';
import type { Story, Text } from './story';

/**
 * Unattended lobby screens: every slide of every story in turn, looping,
 * each for its duration. A visitor's touch, click, wheel or key pauses
 * autoplay and hands them the map (and the ‹ › buttons); after `idleMs`
 * without input the kiosk starts over from the first slide of the first story.
 *
 * Built to run for days: one overlay whose nodes are replaced, one slide
 * timer and one idle timer at a time, listeners added once, state of fixed size.
 */

export interface KioskDeps extends Omit<PresenterDeps, 'story' | 'mode' | 'onExit' | 'startAt' | 'onSlide'> {
  stories: Story[];
  /** Input-free time before autoplay restarts from the beginning (default 90 s). */
  idleMs?: number;
  /** Kiosk ignores Esc; accepted for symmetry with the presenter and never called. */
  onExit?: () => void;
  /** After each slide change: story and slide, both 0-based. */
  onSlide?: (story: number, slide: number) => void;
  /** Divides every slide's duration (benchmarks run hours of kiosk in minutes); default 1. */
  timeScale?: number;
}

export interface Kiosk {
  destroy(): void;
}

declare global {
  interface Window {
    /** Slide transitions since the kiosk started (for the long-run benchmark). */
    __kiosk?: { transitions: number };
  }
}

const PAUSED: Text = { zh: '自动播放已暂停，闲置后从头开始', en: 'Autoplay paused; restarts when idle' };
const INPUT_EVENTS = ['pointerdown', 'wheel', 'keydown', 'touchstart'] as const;

export function startKiosk(deps: KioskDeps): Kiosk {
  const { stories, director } = deps;
  const idleMs = deps.idleMs !== undefined && deps.idleMs > 0 ? deps.idleMs : DEFAULT_IDLE_MS;
  const lengths = stories.map((s) => s.slides.length);
  const timeScale = deps.timeScale !== undefined && deps.timeScale >= 1 && deps.timeScale <= 1000 ? deps.timeScale : 1;
  const counter = { transitions: 0 };
  window.__kiosk = counter;

  const start = kioskStart(lengths);
  if (!start) {
    console.warn('[civic-atlas] kiosk: no story has slides');
    return { destroy() {} };
  }
  let state: KioskState = start;
  let destroyed = false;
  let run = 0;
  let first = true;
  let slideTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const now = () => performance.now();

  const overlay = createOverlay({
    root: deps.root,
    store: deps.store,
    lang: deps.lang,
    kpi: deps.kpi,
    mode: 'kiosk',
    cityName: deps.cityName,
    onNav: (r) => {
      if (r.type === 'next') step(1);
      else if (r.type === 'prev') step(-1);
      else goWithin(r.index);
    },
  });

  function stopSlideTimer() {
    clearTimeout(slideTimer);
    slideTimer = undefined;
    overlay.timer(null);
  }

  async function show(pos: Pos): Promise<void> {
    if (destroyed) return;
    const story = stories[pos.story];
    const slide = story?.slides[pos.slide];
    if (!story || !slide) return;
    const mine = ++run;
    stopSlideTimer();
    state = kioskMoveTo(state, pos);
    overlay.blackout(false);
    overlay.render({ story, index: pos.slide, canPrev: true, canNext: true });
    counter.transitions++;
    deps.onSlide?.(pos.story, pos.slide);
    const animate = !first;
    first = false;
    try {
      await director.show(slide, { animate });
    } catch (e) {
      console.warn('[civic-atlas] kiosk: slide failed', e);
    }
    if (mine !== run || destroyed || state.paused) return;
    // The slide's time counts from when it is on screen, not from when the flight began.
    const ms = slideDurationMs(slide.duration) / timeScale;
    overlay.timer(ms);
    slideTimer = setTimeout(() => {
      slideTimer = undefined;
      if (destroyed) return;
      state = kioskAdvance(state, lengths);
      void show(state.pos);
    }, ms);
  }

  function step(delta: 1 | -1) {
    const pos = delta > 0 ? nextPos(lengths, state.pos) : prevPos(lengths, state.pos);
    if (pos) void show(pos);
  }
  function goWithin(index: number) {
    const n = lengths[state.pos.story] ?? 0;
    if (n > 0) void show({ story: state.pos.story, slide: clampIndex(index, n) });
  }

  // ---- a visitor takes over; idle → start over
  function armIdle(ms: number) {
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (destroyed) return;
      const r = kioskIdleCheck(state, now(), idleMs, lengths);
      if (r.restarted) {
        state = r.state;
        overlay.status(null);
        void show(state.pos);
      } else if (state.paused) armIdle(kioskIdleRemaining(state, now(), idleMs));
    }, Math.max(0, ms));
  }
  // One listener for all input kinds; cheap per event (a wheel fires many):
  // the idle timer is not reset per event, it re-checks the last input time when it fires.
  const onInput = () => {
    if (destroyed) return;
    const wasPaused = state.paused;
    state = kioskInput(state, now());
    if (!wasPaused) {
      stopSlideTimer();
      overlay.status(PAUSED);
    }
    if (idleTimer === undefined) armIdle(idleMs);
  };
  // Registered before the keys, so a key counts as input before it navigates.
  for (const type of INPUT_EVENTS) window.addEventListener(type, onInput, { capture: true, passive: true });

  const unbindKeys = bindPresenterKeys((a: Action) => {
    if (destroyed) return false;
    if (overlay.isBlack() && a.type !== 'fullscreen' && a.type !== 'exit') {
      overlay.blackout(false);
      return true;
    }
    switch (a.type) {
      case 'next':
        step(1);
        return true;
      case 'prev':
        step(-1);
        return true;
      case 'first':
        goWithin(0);
        return true;
      case 'last':
        goWithin(Infinity);
        return true;
      case 'goto':
        if (a.index < (lengths[state.pos.story] ?? 0)) goWithin(a.index);
        return true;
      case 'blackout':
        overlay.blackout();
        return true;
      case 'fullscreen':
        toggleFullscreen();
        return true;
      case 'exit':
        // Unattended screens cannot be left from the keyboard.
        return false;
    }
  });

  // ---- keep the screen on
  let lock: WakeLockSentinel | null = null;
  let locking = false;
  async function acquireWakeLock() {
    if (destroyed || locking || document.visibilityState !== 'visible') return;
    if (lock && !lock.released) return;
    if (!('wakeLock' in navigator) || !navigator.wakeLock) return;
    locking = true;
    try {
      lock = await navigator.wakeLock.request('screen');
      if (destroyed) void lock.release().catch(() => {});
    } catch {
      lock = null; // Refused (battery saver, not allowed in this frame): the screen's own settings apply.
    } finally {
      locking = false;
    }
  }
  const onVisibility = () => void acquireWakeLock();
  document.addEventListener('visibilitychange', onVisibility);
  void acquireWakeLock();

  void show(state.pos);

  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      run++;
      clearTimeout(slideTimer);
      clearTimeout(idleTimer);
      slideTimer = idleTimer = undefined;
      for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      unbindKeys();
      overlay.destroy();
      if (lock && !lock.released) void lock.release().catch(() => {});
      lock = null;
    },
  };
}
