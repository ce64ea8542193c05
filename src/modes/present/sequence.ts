/**
 * Pure sequencing for the presenter and the kiosk: which slide comes next,
 * how long a slide stays up, and when an idle kiosk starts over. No DOM, no
 * timers: the presenter and kiosk feed in clock readings and act on results.
 */

/** Seconds a kiosk slide shows when the story does not say. */
export const DEFAULT_SLIDE_SECONDS = 20;
/** Shortest and longest a kiosk slide may stay up (a typo must not freeze or strobe a lobby screen). */
export const MIN_SLIDE_SECONDS = 4;
export const MAX_SLIDE_SECONDS = 600;
/** A kiosk returns to its first slide after this long without input. */
export const DEFAULT_IDLE_MS = 90_000;

/** A slide across several stories: indexes into stories[] and story.slides[]. */
export interface Pos {
  story: number;
  slide: number;
}

/** `i` moved into 0…n−1 (0 when n is 0); non-integers round down. */
export function clampIndex(i: number, n: number): number {
  if (n <= 0 || !Number.isFinite(i)) return 0;
  return Math.min(n - 1, Math.max(0, Math.floor(i)));
}

/**
 * The index `delta` slides from `i` in a story of `n` slides: clamped at the
 * ends (presenter) or wrapping around (kiosk within one story).
 */
export function stepIndex(i: number, delta: number, n: number, wrap: boolean): number {
  if (n <= 0) return 0;
  const j = clampIndex(i, n) + Math.trunc(delta);
  return wrap ? ((j % n) + n) % n : clampIndex(j, n);
}

/** The first slide of the first story that has slides, or null when none has. */
export function firstPos(lengths: readonly number[]): Pos | null {
  const story = lengths.findIndex((n) => n > 0);
  return story < 0 ? null : { story, slide: 0 };
}

/** Total slides over all stories. */
export function totalSlides(lengths: readonly number[]): number {
  return lengths.reduce((a, n) => a + Math.max(0, n), 0);
}

/** Position of `p` in the flattened run of all slides (0-based), or 0 if `p` is not a slide. */
export function flatIndex(lengths: readonly number[], p: Pos): number {
  if (!isPos(lengths, p)) return 0;
  let k = 0;
  for (let s = 0; s < p.story; s++) k += Math.max(0, lengths[s] ?? 0);
  return k + p.slide;
}

/** The slide at flat index `k` (wrapping around the whole run), or null when there are no slides. */
export function fromFlat(lengths: readonly number[], k: number): Pos | null {
  const total = totalSlides(lengths);
  if (total === 0) return null;
  let rest = ((Math.floor(k) % total) + total) % total;
  for (let story = 0; story < lengths.length; story++) {
    const n = Math.max(0, lengths[story] ?? 0);
    if (rest < n) return { story, slide: rest };
    rest -= n;
  }
  return null;
}

export function isPos(lengths: readonly number[], p: Pos): boolean {
  const n = lengths[p.story];
  return n !== undefined && Number.isInteger(p.slide) && p.slide >= 0 && p.slide < n;
}

/**
 * The kiosk's next slide: the next one in the story, else the first slide of
 * the next story that has slides, after the last story back to the first.
 * Stories without slides are skipped. Null only when no story has slides.
 */
export function nextPos(lengths: readonly number[], p: Pos): Pos | null {
  if (!isPos(lengths, p)) return firstPos(lengths);
  return fromFlat(lengths, flatIndex(lengths, p) + 1);
}

/** The kiosk's previous slide (wraps from the very first to the very last). */
export function prevPos(lengths: readonly number[], p: Pos): Pos | null {
  if (!isPos(lengths, p)) return firstPos(lengths);
  return fromFlat(lengths, flatIndex(lengths, p) - 1);
}

/** How long a kiosk slide stays up, in ms: its `duration` (seconds) or the default, kept within sane bounds. */
export function slideDurationMs(duration: number | undefined): number {
  const s = typeof duration === 'number' && Number.isFinite(duration) && duration > 0 ? duration : DEFAULT_SLIDE_SECONDS;
  return Math.round(Math.min(MAX_SLIDE_SECONDS, Math.max(MIN_SLIDE_SECONDS, s)) * 1000);
}

/**
 * The kiosk's autoplay state. Input pauses autoplay; once `idleMs` pass with
 * no further input, autoplay restarts from the first slide of the first story.
 * Plain values only, so a kiosk that runs for days holds a fixed amount of state.
 */
export interface KioskState {
  pos: Pos;
  /** Autoplay paused by a visitor's input. */
  paused: boolean;
  /** Time of the last input (ms, any monotonic clock); meaningful while paused. */
  lastInput: number;
}

export function kioskStart(lengths: readonly number[]): KioskState | null {
  const pos = firstPos(lengths);
  return pos ? { pos, paused: false, lastInput: 0 } : null;
}

/** A visitor touched, clicked or pressed a key. */
export function kioskInput(s: KioskState, now: number): KioskState {
  return { ...s, paused: true, lastInput: now };
}

/** The visitor (or autoplay) moved to another slide. */
export function kioskMoveTo(s: KioskState, pos: Pos): KioskState {
  return { ...s, pos };
}

/** The slide's time is up: the next slide, unless a visitor paused autoplay. */
export function kioskAdvance(s: KioskState, lengths: readonly number[]): KioskState {
  if (s.paused) return s;
  const pos = nextPos(lengths, s.pos);
  return pos ? { ...s, pos } : s;
}

/** Milliseconds until an idle pause ends (0: it has ended); Infinity when not paused. */
export function kioskIdleRemaining(s: KioskState, now: number, idleMs: number): number {
  if (!s.paused) return Infinity;
  return Math.max(0, s.lastInput + idleMs - now);
}

/**
 * Checked when the idle timer fires: if `idleMs` passed since the last input,
 * autoplay resumes from the very first slide (`restarted: true`); otherwise
 * nothing changes and the timer is set again for the remainder.
 */
export function kioskIdleCheck(s: KioskState, now: number, idleMs: number, lengths: readonly number[]): { state: KioskState; restarted: boolean } {
  if (!s.paused || kioskIdleRemaining(s, now, idleMs) > 0) return { state: s, restarted: false };
  const pos = firstPos(lengths) ?? s.pos;
  return { state: { pos, paused: false, lastInput: s.lastInput }, restarted: true };
}
