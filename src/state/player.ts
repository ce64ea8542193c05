import { clampClock, clockToUtcMs, clockYear, stepClock, withYear } from './clock';
import type { TimeStep } from './types';
import type { Store } from './store';

/**
 * Time playback on the app clock: one step (an hour, a day or a year, as the
 * clock steps) per tick at 1×. Plays inside the chosen period when there is
 * one, else the data's span; at the end it loops or stops.
 */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;
const BASE_TICK_MS = 1000;

export interface Player {
  play(speed?: number): void;
  pause(): void;
  playing(): boolean;
  speed(): number;
  loop(): boolean;
  setLoop(on: boolean): void;
  /** Changes the speed, playing on at it if playing. */
  setSpeed(speed: number): void;
  /** Called when playing, speed or loop change (not on every tick: the store carries the time). */
  onChange(fn: () => void): void;
}

/** First and last hour playback may visit: the period's days inside the data's span. */
export function playRange(span: [string, string], period: [string, string] | null): [string, string] {
  if (!period) return span;
  const a = `${period[0]}T00`;
  const b = `${period[1]}T23`;
  const lo = a > span[0] ? a : span[0];
  const hi = b < span[1] ? b : span[1];
  return lo <= hi ? [lo, hi] : span;
}

/** The clock's next step, or null at the end of the range without looping. */
export function nextTime(time: string, step: TimeStep, range: [string, string], loop: boolean): string | null {
  const next = stepClock(time, step, 1);
  const ms = clockToUtcMs(next);
  if (ms < clockToUtcMs(range[0])) return range[0];
  if (ms > clockToUtcMs(range[1])) {
    if (!loop) return null;
    // A year loop starts the first year at the same time of year.
    return step === 'year' ? clampClock(withYear(time, clockYear(range[0])), 'year', range) : range[0];
  }
  return next;
}

/**
 * `afterFrame` runs its callback once the step just taken is on screen: the
 * next step waits for it, so on a slow renderer playback slows down instead
 * of the map falling behind the clock, the legend and the charts.
 */
export function createPlayer(store: Store, span: () => [string, string] | null, afterFrame: (fn: () => void) => void = (fn) => fn()): Player {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let active = false;
  let run = 0;
  let speed = 1;
  let loop = true;
  const listeners: (() => void)[] = [];
  const changed = () => listeners.forEach((f) => f());
  const schedule = (delay: number) => {
    const mine = run;
    timer = setTimeout(() => mine === run && tick(), Math.max(0, delay));
  };
  const tick = () => {
    const s = span();
    if (!s) return stop();
    const st = store.get();
    const next = nextTime(st.time, st.step, st.step === 'year' ? s : playRange(s, st.period), loop);
    if (next === null) return stop();
    const due = Date.now() + BASE_TICK_MS / speed;
    const mine = run;
    store.set({ time: next });
    afterFrame(() => {
      if (active && mine === run) schedule(due - Date.now());
    });
  };
  function halt() {
    clearTimeout(timer);
    timer = undefined;
    active = false;
    run++;
  }
  function stop() {
    halt();
    changed();
  }
  return {
    play(v = speed) {
      speed = Math.min(16, Math.max(0.5, v));
      halt();
      active = true;
      schedule(BASE_TICK_MS / speed);
      changed();
    },
    pause: stop,
    playing: () => active,
    speed: () => speed,
    loop: () => loop,
    setSpeed(v) {
      if (active) this.play(v);
      else {
        speed = Math.min(16, Math.max(0.5, v));
        changed();
      }
    },
    setLoop(on) {
      loop = on;
      changed();
    },
    onChange(fn) {
      listeners.push(fn);
    },
  };
}
