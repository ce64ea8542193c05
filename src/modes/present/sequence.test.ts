import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IDLE_MS,
  clampIndex,
  firstPos,
  flatIndex,
  fromFlat,
  kioskAdvance,
  kioskIdleCheck,
  kioskIdleRemaining,
  kioskInput,
  kioskMoveTo,
  kioskStart,
  nextPos,
  prevPos,
  slideDurationMs,
  stepIndex,
  totalSlides,
  type KioskState,
  type Pos,
} from './sequence';

describe('slide index in one story', () => {
  it('clamps', () => {
    expect(clampIndex(-3, 5)).toBe(0);
    expect(clampIndex(2, 5)).toBe(2);
    expect(clampIndex(9, 5)).toBe(4);
    expect(clampIndex(2.7, 5)).toBe(2);
    expect(clampIndex(NaN, 5)).toBe(0);
    expect(clampIndex(3, 0)).toBe(0);
    expect(clampIndex(Infinity, 5)).toBe(0);
  });
  it('steps with clamping (presenter) or wrapping', () => {
    expect(stepIndex(4, 1, 5, false)).toBe(4);
    expect(stepIndex(0, -1, 5, false)).toBe(0);
    expect(stepIndex(2, 1, 5, false)).toBe(3);
    expect(stepIndex(4, 1, 5, true)).toBe(0);
    expect(stepIndex(0, -1, 5, true)).toBe(4);
    expect(stepIndex(1, -7, 5, true)).toBe(4);
    expect(stepIndex(0, 1, 1, true)).toBe(0);
    expect(stepIndex(0, 1, 0, true)).toBe(0);
  });
});

describe('kiosk schedule across stories', () => {
  const lengths = [3, 2, 4];
  it('runs through every slide of every story in order and loops back to the first story', () => {
    const seen: Pos[] = [];
    let p: Pos = firstPos(lengths)!;
    for (let i = 0; i < totalSlides(lengths) + 2; i++) {
      seen.push(p);
      p = nextPos(lengths, p)!;
    }
    expect(seen.map((x) => `${x.story}.${x.slide}`)).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1', '2.0', '2.1', '2.2', '2.3', '0.0', '0.1']);
  });
  it('goes back across story boundaries and from the very first slide to the very last', () => {
    expect(prevPos(lengths, { story: 1, slide: 0 })).toEqual({ story: 0, slide: 2 });
    expect(prevPos(lengths, { story: 0, slide: 0 })).toEqual({ story: 2, slide: 3 });
    expect(prevPos(lengths, { story: 2, slide: 2 })).toEqual({ story: 2, slide: 1 });
  });
  it('skips stories without slides', () => {
    const l = [0, 2, 0, 1, 0];
    expect(firstPos(l)).toEqual({ story: 1, slide: 0 });
    expect(nextPos(l, { story: 1, slide: 1 })).toEqual({ story: 3, slide: 0 });
    expect(nextPos(l, { story: 3, slide: 0 })).toEqual({ story: 1, slide: 0 });
    expect(prevPos(l, { story: 1, slide: 0 })).toEqual({ story: 3, slide: 0 });
  });
  it('one story of one slide stays on it; no slides at all gives null', () => {
    expect(nextPos([1], { story: 0, slide: 0 })).toEqual({ story: 0, slide: 0 });
    expect(firstPos([])).toBeNull();
    expect(firstPos([0, 0])).toBeNull();
    expect(nextPos([0, 0], { story: 0, slide: 0 })).toBeNull();
  });
  it('an invalid position restarts at the first slide', () => {
    expect(nextPos(lengths, { story: 7, slide: 0 })).toEqual({ story: 0, slide: 0 });
    expect(nextPos(lengths, { story: 0, slide: 3 })).toEqual({ story: 0, slide: 0 });
  });
  it('flat index and back', () => {
    expect(flatIndex(lengths, { story: 2, slide: 1 })).toBe(6);
    expect(fromFlat(lengths, 6)).toEqual({ story: 2, slide: 1 });
    expect(fromFlat(lengths, 9)).toEqual({ story: 0, slide: 0 });
    expect(fromFlat(lengths, -1)).toEqual({ story: 2, slide: 3 });
    expect(fromFlat([], 0)).toBeNull();
  });
});

describe('slide duration', () => {
  it('defaults to 20 s and keeps within 4 s…10 min', () => {
    expect(slideDurationMs(undefined)).toBe(20_000);
    expect(slideDurationMs(12)).toBe(12_000);
    expect(slideDurationMs(7.5)).toBe(7_500);
    expect(slideDurationMs(0)).toBe(20_000);
    expect(slideDurationMs(-5)).toBe(20_000);
    expect(slideDurationMs(NaN)).toBe(20_000);
    expect(slideDurationMs(1)).toBe(4_000);
    expect(slideDurationMs(1e9)).toBe(600_000);
  });
});

describe('kiosk autoplay, input and idle restart', () => {
  const lengths = [2, 3];
  const idle = 90_000;
  it('starts at the first slide, playing; null without slides', () => {
    expect(kioskStart(lengths)).toEqual({ pos: { story: 0, slide: 0 }, paused: false, lastInput: 0 });
    expect(kioskStart([0])).toBeNull();
    expect(DEFAULT_IDLE_MS).toBe(90_000);
  });
  it('advances while playing, across stories and back to the start', () => {
    let s = kioskStart(lengths)!;
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      s = kioskAdvance(s, lengths);
      seen.push(`${s.pos.story}.${s.pos.slide}`);
    }
    expect(seen).toEqual(['0.1', '1.0', '1.1', '1.2', '0.0', '0.1']);
  });
  it('input pauses autoplay: the timer does not advance', () => {
    let s = kioskStart(lengths)!;
    s = kioskAdvance(s, lengths);
    s = kioskInput(s, 1000);
    expect(s.paused).toBe(true);
    expect(kioskAdvance(s, lengths)).toBe(s);
    expect(kioskIdleRemaining(s, 1000, idle)).toBe(idle);
  });
  it('restarts from the first slide of the first story after idleMs without input', () => {
    let s: KioskState = kioskMoveTo(kioskStart(lengths)!, { story: 1, slide: 2 });
    s = kioskInput(s, 1000);
    let r = kioskIdleCheck(s, 1000 + idle - 1, idle, lengths);
    expect(r.restarted).toBe(false);
    expect(r.state).toBe(s);
    expect(kioskIdleRemaining(s, 1000 + idle - 1, idle)).toBe(1);
    r = kioskIdleCheck(s, 1000 + idle, idle, lengths);
    expect(r.restarted).toBe(true);
    expect(r.state.pos).toEqual({ story: 0, slide: 0 });
    expect(r.state.paused).toBe(false);
  });
  it('each input pushes the restart back (the timer re-checks the last input when it fires)', () => {
    let s = kioskInput(kioskStart(lengths)!, 0);
    s = kioskInput(s, 60_000);
    s = kioskMoveTo(s, { story: 1, slide: 1 }); // the visitor browses with ‹ ›
    const atFirstDeadline = kioskIdleCheck(s, idle, idle, lengths);
    expect(atFirstDeadline.restarted).toBe(false);
    expect(kioskIdleRemaining(s, idle, idle)).toBe(60_000);
    expect(kioskIdleCheck(s, 60_000 + idle, idle, lengths).restarted).toBe(true);
  });
  it('the idle check does nothing while autoplay runs', () => {
    const s = kioskStart(lengths)!;
    expect(kioskIdleRemaining(s, 5, idle)).toBe(Infinity);
    expect(kioskIdleCheck(s, 1e12, idle, lengths)).toEqual({ state: s, restarted: false });
  });
  it('state stays the same size however long it runs', () => {
    let s = kioskStart(lengths)!;
    for (let i = 0; i < 100_000; i++) s = kioskAdvance(s, lengths);
    expect(Object.keys(s).sort()).toEqual(['lastInput', 'paused', 'pos']);
    expect(JSON.stringify(s).length).toBeLessThan(80);
  });
});
