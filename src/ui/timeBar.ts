import { t } from '../i18n';
import { SPEEDS, playRange } from '../state/player';
import { clampClock, clockToUtcMs, clockYear, stepClock, utcMsToClock, withYear } from '../state/clock';
import type { Lang, TimeStep } from '../state/types';
import { append, clear, h, keepingFocus } from './dom';

export interface TimeBarProps {
  /** First and last hour of the data, app clock format. */
  span: [string, string];
  time: string;
  step: TimeStep;
  period: [string, string] | null;
  lang: Lang;
  playing: boolean;
  speed: number;
  loop: boolean;
  onTime: (time: string) => void;
  onStep: (step: TimeStep) => void;
  onPlay: (speed: number) => void;
  onPause: () => void;
  onSpeed: (speed: number) => void;
  onLoop: (on: boolean) => void;
  onClearPeriod: () => void;
}

const HOUR = 3_600_000;
/** Shift-steps: a day of hours, a week of days, five years. */
const BIG_STEP: Record<TimeStep, number> = { hour: 24, day: 7, year: 5 };
const STEP_LABEL: Record<TimeStep, Record<Lang, string>> = { hour: { zh: '时', en: 'Hour' }, day: { zh: '日', en: 'Day' }, year: { zh: '年', en: 'Year' } };
const STEP_TITLE: Record<TimeStep, Record<Lang, string>> = {
  hour: { zh: '逐时', en: 'Hourly' },
  day: { zh: '逐日（日均 AQI）', en: 'Daily (daily AQI)' },
  year: { zh: '逐年（生态修复累计）', en: 'Yearly (restoration to date)' },
};

/** The range's edge in this step's terms (a year step keeps the time of year). */
function edge(p: TimeBarProps, t: string): string {
  return clampClock(p.step === 'year' ? withYear(p.time, clockYear(t)) : t, p.step, p.step === 'year' ? p.span : playRange(p.span, p.period));
}

/**
 * The app's one clock: a slider over the data's span in hours or days, step
 * buttons, play/pause at 0.5–16×, loop, and the chosen period. Rebuilt only
 * when its structure changes; a time step just moves the thumb and the label.
 */
export function renderTimeBar(root: HTMLElement, p: TimeBarProps): void {
  // A step, speed or loop change rebuilds the bar under the button just pressed.
  keepingFocus(root, () => buildTimeBar(root, p));
}

function buildTimeBar(root: HTMLElement, p: TimeBarProps): void {
  const unit = p.step === 'day' ? 24 : 1;
  const startMs = clockToUtcMs(p.span[0]);
  const firstYear = clockYear(p.span[0]);
  const count = p.step === 'year' ? clockYear(p.span[1]) - firstYear : Math.floor((clockToUtcMs(p.span[1]) - startMs) / (unit * HOUR));
  const index = p.step === 'year' ? clockYear(p.time) - firstYear : Math.floor((clockToUtcMs(p.time) - startMs) / (unit * HOUR));
  const shape = JSON.stringify([p.span, p.step, p.period, p.lang, p.speed, p.loop]);
  current = p;
  if (root.dataset.shape === shape) {
    const slider = root.querySelector<HTMLInputElement>('input.time-slider')!;
    if (document.activeElement !== slider) slider.value = String(index);
    const label = formatClock(p.time, p.lang, p.step);
    slider.setAttribute('aria-valuetext', label);
    root.querySelector('.time-label')!.textContent = label;
    setPlayButton(root.querySelector<HTMLButtonElement>('.time-play')!, p.playing, p.lang);
    return;
  }
  root.dataset.shape = shape;
  clear(root);
  const zh = p.lang === 'zh';
  const move = (steps: number) => () => current && go(current, steps);
  const slider = h('input', {
    type: 'range',
    class: 'time-slider',
    min: 0,
    max: count,
    step: 1,
    value: index,
    'aria-label': t('time', p.lang),
    'aria-valuetext': formatClock(p.time, p.lang, p.step),
    input: (e: Event) => {
      const c = current!;
      const i = Number((e.target as HTMLInputElement).value);
      if (c.step === 'year') return c.onTime(clampClock(withYear(c.time, firstYear + i), 'year', c.span));
      // In day steps the hour of day is kept, so hourly charts keep their place.
      const base = utcMsToClock(startMs + i * unit * HOUR);
      c.onTime(c.step === 'day' ? `${base.slice(0, 10)}${c.time.slice(10)}` : base);
    },
  });
  const speedSel = h(
    'select',
    { class: 'time-speed', 'aria-label': zh ? '播放速度' : 'Speed', change: (e: Event) => current!.onSpeed(Number((e.target as HTMLSelectElement).value)) },
    ...SPEEDS.map((s) => {
      const o = h('option', { value: s }, `${s}×`);
      o.selected = s === p.speed;
      return o;
    }),
  );
  const play = h('button', { type: 'button', class: 'time-play', click: () => togglePlay() });
  setPlayButton(play, p.playing, p.lang);
  const stepSel = h(
    'div',
    { class: 'time-unit', role: 'group', 'aria-label': zh ? '时间步长' : 'Time step' },
    ...(['hour', 'day', 'year'] as const).map((s) =>
      h(
        'button',
        { type: 'button', 'aria-pressed': String(s === p.step), 'data-step': s, title: STEP_TITLE[s][p.lang], click: () => current!.onStep(s) },
        STEP_LABEL[s][p.lang],
      ),
    ),
  );
  const loop = h('button', {
    type: 'button',
    class: 'time-loop',
    'aria-pressed': String(p.loop),
    title: zh ? '循环播放' : 'Loop',
    click: () => current!.onLoop(!current!.loop),
  }, '⟲');
  const big = BIG_STEP[p.step];
  const bigLabel = p.step === 'year' ? (zh ? '5 年' : '5 years') : p.step === 'day' ? (zh ? '7 天' : '7 days') : '24 h';
  const smallLabel = p.step === 'year' ? (zh ? '1 年' : '1 year') : p.step === 'day' ? (zh ? '1 天' : '1 day') : '1 h';
  root.onkeydown = (e) => onKey(e, play);
  append(root, [
    play,
    h('button', { type: 'button', class: 'time-step', title: `−${bigLabel}`, 'aria-label': `−${bigLabel}`, click: move(-big) }, '«'),
    h('button', { type: 'button', class: 'time-step', title: `−${smallLabel}`, 'aria-label': `−${smallLabel}`, click: move(-1) }, '‹'),
    slider,
    h('button', { type: 'button', class: 'time-step', title: `+${smallLabel}`, 'aria-label': `+${smallLabel}`, click: move(1) }, '›'),
    h('button', { type: 'button', class: 'time-step', title: `+${bigLabel}`, 'aria-label': `+${bigLabel}`, click: move(big) }, '»'),
    h('span', { class: 'time-label', 'aria-live': 'off' }, formatClock(p.time, p.lang, p.step)),
    stepSel,
    speedSel,
    loop,
    p.period && p.step !== 'year'
      ? h(
          'span',
          { class: 'time-period', title: zh ? '图表与播放限于此时段' : 'Charts and playback use this period' },
          `${p.period[0]} – ${p.period[1]}`,
          h('button', { type: 'button', 'aria-label': zh ? '清除时段' : 'Clear period', click: () => current!.onClearPeriod() }, '×'),
        )
      : null,
  ]);
}

let current: TimeBarProps | null = null;

function togglePlay(): void {
  if (!current) return;
  if (current.playing) current.onPause();
  else current.onPlay(current.speed);
}

/** Moves the clock by whole steps, clamped to the period (or the span). */
function go(p: TimeBarProps, steps: number): void {
  const range = p.step === 'year' ? p.span : playRange(p.span, p.period);
  const next = clampClock(stepClock(p.time, p.step, steps), p.step, range);
  if (next !== p.time) p.onTime(next);
}

/**
 * Keys on the bar: Space plays/pauses; ‹ › step (Shift: a day or a week);
 * Home/End the period's ends; [ ] slower/faster. Arrow keys on the focused
 * slider keep their native one-step behaviour.
 */
function onKey(e: KeyboardEvent, play: HTMLButtonElement): void {
  const p = current;
  if (!p) return;
  const onSlider = e.target instanceof HTMLInputElement;
  if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) {
    e.preventDefault();
    play.click();
  } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && (e.shiftKey || !onSlider)) {
    e.preventDefault();
    const n = e.shiftKey ? BIG_STEP[p.step] : 1;
    go(p, e.key === 'ArrowLeft' ? -n : n);
  } else if (e.key === 'Home' || e.key === 'End') {
    e.preventDefault();
    const range = p.step === 'year' ? p.span : playRange(p.span, p.period);
    p.onTime(edge(p, e.key === 'Home' ? range[0] : range[1]));
  } else if (e.key === '[' || e.key === ']') {
    const i = SPEEDS.indexOf(p.speed as (typeof SPEEDS)[number]);
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i + (e.key === ']' ? 1 : -1)))]!;
    p.onSpeed(next);
  }
}

/** Global shortcuts when nothing editable has focus: Space plays, , and . step (Shift: bigger). */
export function timeShortcuts(e: KeyboardEvent): boolean {
  const p = current;
  const tgt = e.target as HTMLElement | null;
  if (!p || e.ctrlKey || e.metaKey || e.altKey) return false;
  // Typing places and dialogs keep their keys; a focused button or checkbox (where focus stays
  // after a click, and after the bar redraws) keeps Space, but the step keys still move the clock.
  if (tgt && (tgt.closest('input:not([type="checkbox"]):not([type="radio"]):not([type="range"]), select, textarea, [contenteditable], [role="dialog"]') || tgt.isContentEditable)) return false;
  if (e.key === ' ') {
    if (tgt?.closest('button, input, summary, a[href]')) return false;
    togglePlay();
    return true;
  }
  if (e.key === ',' || e.key === '.' || e.key === '<' || e.key === '>') {
    const n = e.shiftKey ? BIG_STEP[p.step] : 1;
    go(p, e.key === ',' || e.key === '<' ? -n : n);
    return true;
  }
  return false;
}

function setPlayButton(b: HTMLButtonElement, playing: boolean, lang: Lang): void {
  b.setAttribute('aria-pressed', String(playing));
  b.textContent = playing ? '❚❚' : '▶';
  b.title = playing ? (lang === 'zh' ? '暂停（空格）' : 'Pause (Space)') : lang === 'zh' ? '播放（空格）' : 'Play (Space)';
  b.setAttribute('aria-label', b.title);
}

export function formatClock(time: string, lang: Lang, step: TimeStep = 'hour'): string {
  const [date, hour] = time.split('T');
  if (step === 'year') return lang === 'zh' ? `${date!.slice(0, 4)} 年` : date!.slice(0, 4);
  if (step === 'day') return lang === 'zh' ? `${date}（日均）` : `${date} (daily)`;
  return lang === 'zh' ? `${date} ${hour}:00（北京时间）` : `${date} ${hour}:00 CST`;
}
