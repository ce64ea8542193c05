import './present.css';
import type { Store } from '../../state/store';
import type { Lang, TimeStep } from '../../state/types';
import { h } from '../../ui/dom';
import type { Director } from './director';
import { presenterAction, type Action } from './keys';
import { clampIndex } from './sequence';
import type { Kpi, Slide, Story, Text } from './story';

/**
 * The presenter: a slide card, progress, story title and city over the live
 * map, driven by keys, a clicker or the on-screen ‹ › buttons. The map stays
 * interactive underneath (the overlay lets pointer events through except on
 * its own controls), so a presenter can point, pan and hover while talking.
 */

export type DataKpi = Extract<Kpi, { kind: 'data' }>;
/** Computes a data KPI's text (kpis.ts computeKpi(...).text); may reject. */
export type KpiText = (k: DataKpi, slide: Slide) => Promise<Text>;

export interface PresenterDeps {
  root: HTMLElement;
  story: Story;
  store: Store;
  director: Director;
  lang: () => Lang;
  kpi: KpiText;
  mode: 'present' | 'kiosk';
  /** Esc in present mode (kiosk ignores Esc). */
  onExit: () => void;
  /** 0-based slide to open on (URL ?slide=N is N−1); clamped. */
  startAt?: number;
  /** After each slide change, with its 0-based index (e.g. to put slide=N+1 in the URL). */
  onSlide?: (index: number) => void;
  /** Display name of a city id (catalog city.name); else the id is shown. */
  cityName?: (id: string) => Text | undefined;
}

export interface Presenter {
  /** Shows slide i (0-based, clamped), also when it is the current one (back to its camera). */
  go(i: number): Promise<void>;
  next(): void;
  prev(): void;
  index(): number;
  destroy(): void;
}

const UI = {
  reported: { zh: '城市自报', en: "City's own figure" },
  modelled: { zh: '模拟数据', en: 'Modelled data' },
  prev: { zh: '上一页', en: 'Previous slide' },
  next: { zh: '下一页', en: 'Next slide' },
  slide: { zh: '第 {n} 页', en: 'Slide {n}' },
  source: { zh: '出处', en: 'Source' },
  line: { zh: '第 {n} 行', en: 'line {n}' },
  kpiFailed: { zh: '无法计算', en: 'Could not be computed' },
  hintNext: { zh: '下一页', en: 'next' },
  hintPrev: { zh: '上一页', en: 'back' },
  hintBlack: { zh: '黑屏', en: 'black screen' },
  hintFull: { zh: '全屏', en: 'full screen' },
  hintExit: { zh: '退出', en: 'exit' },
  hintJump: { zh: '跳转', en: 'jump' },
} satisfies Record<string, Text>;

const HINT_MS = 6000;

// ---------------------------------------------------------------- helpers

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}

/** Enter/Space on a focused button already clicks it: do not also act on the key. */
function activates(t: EventTarget | null, key: string): boolean {
  if (key !== 'Enter' && key !== ' ' && key !== 'Spacebar') return false;
  return t instanceof HTMLElement && !!t.closest('button, a[href], summary, [role="button"]');
}

/**
 * Listens for presenter keys on the window (capture phase, so the map's own
 * arrow-key panning does not also act on a key the presenter uses). `onAction`
 * returns whether it used the key; used keys are prevented and stopped.
 */
export function bindPresenterKeys(onAction: (a: Action) => boolean): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing || isEditable(e.target) || activates(e.target, e.key)) return;
    const a = presenterAction(e);
    if (a && onAction(a)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  window.addEventListener('keydown', onKey, true);
  return () => window.removeEventListener('keydown', onKey, true);
}

function settle(p: Promise<void> | void | undefined): void {
  if (p) p.catch(() => {});
}

/** F: full screen on, or off again. Browsers may refuse (no user gesture, iframe without permission): ignored. */
export function toggleFullscreen(): void {
  try {
    if (document.fullscreenElement) settle(document.exitFullscreen?.());
    else settle(document.documentElement.requestFullscreen?.());
  } catch {
    // Not supported here.
  }
}

function fill(template: Text, lang: Lang, n: number | string): string {
  return template[lang].replace('{n}', String(n));
}

/** "2025-01-15T08" → "2025-01-15 08:00", the day alone in day steps, the year alone in year steps. */
export function formatClock(time: string, step: TimeStep): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(time);
  if (!m) return time;
  if (step === 'year') return m[1]!.slice(0, 4);
  return step === 'day' ? m[1]! : `${m[1]} ${m[2]}:00`;
}

// ---------------------------------------------------------------- overlay

export type NavRequest = { type: 'next' } | { type: 'prev' } | { type: 'goto'; index: number };

export interface OverlayDeps {
  root: HTMLElement;
  store: Store;
  lang: () => Lang;
  kpi: KpiText;
  mode: 'present' | 'kiosk';
  cityName?: (id: string) => Text | undefined;
  /** The ‹ › buttons and progress segments. */
  onNav: (r: NavRequest) => void;
}

export interface OverlayView {
  story: Story;
  /** 0-based slide in story. */
  index: number;
  /** Whether ‹ and › lead anywhere (presenter: not past the ends; kiosk: always). */
  canPrev: boolean;
  canNext: boolean;
}

export interface Overlay {
  render(v: OverlayView): void;
  /** Blackout on or off (toggles without an argument); returns the new state. */
  blackout(on?: boolean): boolean;
  isBlack(): boolean;
  /** Kiosk: a thin bar filling over `ms`; null hides it. */
  timer(ms: number | null): void;
  /** A short status line by the progress (kiosk: "autoplay paused"); null clears it. */
  status(text: Text | null): void;
  destroy(): void;
}

export function createOverlay(d: OverlayDeps): Overlay {
  const el = h('div', { class: `present-overlay pr-${d.mode}` });
  const head = h('div', { class: 'pr-head' });
  const cardHost = h('div', { class: 'pr-card-host', 'aria-live': 'polite' });
  const prevBtn = h('button', { type: 'button', class: 'pr-nav pr-prev', click: () => d.onNav({ type: 'prev' }) }, '‹');
  const nextBtn = h('button', { type: 'button', class: 'pr-nav pr-next', click: () => d.onNav({ type: 'next' }) }, '›');
  const progress = h('div', { class: 'pr-progress' });
  const timerHost = h('div', { class: 'pr-timer', 'aria-hidden': 'true' });
  timerHost.hidden = true;
  const hint = h('div', { class: 'pr-hint', 'aria-hidden': 'true' });
  const blackoutEl = h('div', { class: 'pr-blackout', 'aria-hidden': 'true', click: () => setBlack(false) });
  el.append(h('div', { class: 'pr-scrim' }), head, cardHost, prevBtn, nextBtn, progress, timerHost, hint);
  d.root.append(el, blackoutEl);

  let view: OverlayView | null = null;
  let statusText: Text | null = null;
  let black = false;
  let clockEl: HTMLElement | null = null;
  let token = 0;
  // Data KPIs are computed once per slide and language-independent ({zh, en}):
  // bounded by the number of KPIs in the stories, however long a kiosk runs.
  const done = new Map<string, Text>();
  const pending = new Map<string, Promise<Text>>();

  let hintTimer: ReturnType<typeof setTimeout> | undefined;
  if (d.mode === 'present') hintTimer = setTimeout(() => hint.classList.add('faded'), HINT_MS);
  else hint.hidden = true;

  const kpiKey = (story: Story, slide: Slide, i: number) => `${story.id}\u0000${slide.id}\u0000${i}`;

  function kpiValue(story: Story, slide: Slide, k: DataKpi, i: number, out: HTMLElement) {
    const key = kpiKey(story, slide, i);
    const known = done.get(key);
    if (known) {
      out.textContent = known[d.lang()];
      return;
    }
    out.textContent = '…';
    out.classList.add('pr-pending');
    let p = pending.get(key);
    if (!p) {
      p = Promise.resolve()
        .then(() => d.kpi(k, slide))
        .then(
          (text) => {
            done.set(key, text);
            return text;
          },
          (e: unknown) => {
            console.warn(`[civic-atlas] KPI ${k.metric} on slide ${slide.id}:`, e);
            throw e;
          },
        )
        .finally(() => pending.delete(key));
      pending.set(key, p);
    }
    const mine = token;
    p.then(
      (text) => {
        if (mine !== token) return;
        out.classList.remove('pr-pending');
        out.textContent = text[d.lang()];
      },
      () => {
        if (mine !== token) return;
        out.classList.remove('pr-pending');
        out.textContent = '—';
        out.title = UI.kpiFailed[d.lang()];
      },
    );
  }

  function kpiEl(story: Story, slide: Slide, k: Kpi, i: number, lang: Lang): HTMLElement {
    const value = h('div', { class: 'pr-kpi-value' });
    const label = h('div', { class: 'pr-kpi-label' }, k.label[lang]);
    if (k.kind === 'reported') {
      value.textContent = k.value;
      // A figure given in words ("较2015年降低41.2%") is set smaller and may wrap.
      if ([...k.value].length > 7) value.classList.add('pr-kpi-words');
      return h(
        'div',
        { class: 'pr-kpi pr-kpi-reported' },
        value,
        label,
        h('span', { class: 'pr-tag pr-tag-reported' }, UI.reported[lang]),
        h(
          'p',
          { class: 'pr-quote', title: `${UI.source[lang]}: ${k.source.file}, ${fill(UI.line, lang, k.source.line)}` },
          `“${k.quote}”`,
        ),
      );
    }
    kpiValue(story, slide, k, i, value);
    return h('div', { class: 'pr-kpi pr-kpi-data' }, value, label, h('span', { class: 'pr-tag pr-tag-modelled' }, UI.modelled[lang]));
  }

  function updateClock() {
    if (!clockEl) return;
    const s = d.store.get();
    clockEl.textContent = formatClock(s.time, s.step);
  }

  function draw(animate: boolean) {
    if (!view) return;
    token++;
    const lang = d.lang();
    const { story, index } = view;
    const slide = story.slides[index];
    if (!slide) return;
    const n = story.slides.length;
    el.lang = lang === 'zh' ? 'zh-CN' : 'en';
    blackoutEl.lang = el.lang;

    const city = d.cityName?.(slide.city)?.[lang] ?? slide.city;
    clockEl = slide.time || slide.play ? h('span', { class: 'pr-clock' }) : null;
    updateClock();
    head.replaceChildren(
      h('div', { class: 'pr-story' }, story.title[lang]),
      h('div', { class: 'pr-meta' }, h('span', { class: 'pr-city' }, city), clockEl),
    );

    const card = h(
      'article',
      { class: animate ? 'pr-card pr-enter' : 'pr-card', 'aria-roledescription': 'slide', 'aria-label': `${index + 1} / ${n}` },
      h('h2', { class: 'pr-title' }, slide.title[lang]),
      slide.caption[lang] ? h('p', { class: 'pr-caption' }, slide.caption[lang]) : null,
      slide.kpis.length ? h('div', { class: 'pr-kpis' }, ...slide.kpis.map((k, i) => kpiEl(story, slide, k, i, lang))) : null,
    );
    cardHost.replaceChildren(card);

    prevBtn.disabled = !view.canPrev;
    nextBtn.disabled = !view.canNext;
    prevBtn.setAttribute('aria-label', UI.prev[lang]);
    nextBtn.setAttribute('aria-label', UI.next[lang]);

    const segs = h('div', { class: 'pr-segs', role: 'group' });
    for (let i = 0; i < n; i++) {
      const cls = i === index ? 'pr-seg current' : i < index ? 'pr-seg done' : 'pr-seg';
      const b = h('button', { type: 'button', class: cls, 'aria-label': fill(UI.slide, lang, i + 1), click: () => d.onNav({ type: 'goto', index: i }) });
      if (i === index) b.setAttribute('aria-current', 'step');
      segs.append(b);
    }
    progress.replaceChildren(h('span', { class: 'pr-count' }, `${index + 1} / ${n}`), segs);
    if (statusText) progress.append(h('span', { class: 'pr-status' }, statusText[lang]));

    if (!hint.hidden && !hint.classList.contains('faded')) drawHint(lang);
  }

  function drawHint(lang: Lang) {
    const item = (keys: string[], what: Text) =>
      h('span', { class: 'pr-hint-item' }, ...keys.flatMap((k) => [h('kbd', {}, k), ' ']), what[lang]);
    hint.replaceChildren(
      item(['→', lang === 'zh' ? '空格' : 'Space'], UI.hintNext),
      item(['←'], UI.hintPrev),
      item(['1–9'], UI.hintJump),
      item(['B'], UI.hintBlack),
      item(['F'], UI.hintFull),
      item(['Esc'], UI.hintExit),
    );
  }

  function setBlack(on: boolean): boolean {
    black = on;
    blackoutEl.classList.toggle('on', on);
    return black;
  }

  const unsubscribe = d.store.subscribe((s, prev) => {
    if (s.lang !== prev.lang) draw(false);
    else if (s.time !== prev.time || s.step !== prev.step) updateClock();
  });

  return {
    render(v) {
      view = v;
      draw(true);
    },
    blackout(on) {
      return setBlack(on ?? !black);
    },
    isBlack: () => black,
    timer(ms) {
      if (ms === null || !(ms > 0)) {
        timerHost.hidden = true;
        timerHost.replaceChildren();
        return;
      }
      // A new element restarts the CSS animation; the old one goes with its animation.
      const bar = h('div', { class: 'pr-timer-fill' });
      bar.style.animationDuration = `${Math.round(ms)}ms`;
      timerHost.replaceChildren(bar);
      timerHost.hidden = false;
    },
    status(text) {
      statusText = text;
      draw(false);
    },
    destroy() {
      token++;
      clearTimeout(hintTimer);
      unsubscribe();
      el.remove();
      blackoutEl.remove();
      done.clear();
      pending.clear();
    },
  };
}

// ---------------------------------------------------------------- presenter

export function startPresenter(deps: PresenterDeps): Presenter {
  const { story, director } = deps;
  const n = story.slides.length;
  let current = -1;
  let destroyed = false;

  const overlay = createOverlay({
    root: deps.root,
    store: deps.store,
    lang: deps.lang,
    kpi: deps.kpi,
    mode: deps.mode,
    cityName: deps.cityName,
    onNav: (r) => {
      if (r.type === 'next') next();
      else if (r.type === 'prev') prev();
      else void go(r.index);
    },
  });

  async function go(i: number): Promise<void> {
    if (destroyed || n === 0) return;
    const j = clampIndex(i, n);
    const first = current < 0;
    current = j;
    overlay.blackout(false);
    overlay.render({ story, index: j, canPrev: j > 0, canNext: j < n - 1 });
    deps.onSlide?.(j);
    await director.show(story.slides[j]!, { animate: !first });
  }
  function next() {
    if (current < n - 1) void go(current + 1);
  }
  function prev() {
    if (current > 0) void go(current - 1);
  }

  const unbindKeys = bindPresenterKeys((a) => {
    if (destroyed) return false;
    // Any key while the screen is black only brings the slide back (as in slide software).
    if (overlay.isBlack() && a.type !== 'fullscreen') {
      overlay.blackout(false);
      return true;
    }
    switch (a.type) {
      case 'next':
        next();
        return true;
      case 'prev':
        prev();
        return true;
      case 'first':
        void go(0);
        return true;
      case 'last':
        void go(n - 1);
        return true;
      case 'goto':
        if (a.index < n) void go(a.index);
        return true;
      case 'blackout':
        overlay.blackout(true);
        return true;
      case 'fullscreen':
        toggleFullscreen();
        return true;
      case 'exit':
        if (deps.mode !== 'present') return false;
        deps.onExit();
        return true;
    }
  });

  if (n === 0) console.warn(`[civic-atlas] story "${story.id}" has no slides`);
  else void go(deps.startAt ?? 0);

  return {
    go,
    next,
    prev,
    index: () => Math.max(0, current),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      unbindKeys();
      overlay.destroy();
    },
  };
}
