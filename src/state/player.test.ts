import { describe, expect, it, vi } from 'vitest';
import { createPlayer, nextTime, playRange } from './player';
import { createStore } from './store';
import type { AppState } from './types';

const span: [string, string] = ['2025-01-01T00', '2025-12-31T23'];

describe('playback range and steps', () => {
  it('clips the period to the data span', () => {
    expect(playRange(span, null)).toEqual(span);
    expect(playRange(span, ['2025-03-01', '2025-03-07'])).toEqual(['2025-03-01T00', '2025-03-07T23']);
    expect(playRange(span, ['2024-12-01', '2025-01-02'])).toEqual(['2025-01-01T00', '2025-01-02T23']);
    expect(playRange(span, ['2030-01-01', '2030-01-02'])).toEqual(span);
  });
  it('steps by hour or day, loops or stops at the end, enters the range from outside', () => {
    const r: [string, string] = ['2025-03-01T00', '2025-03-07T23'];
    expect(nextTime('2025-03-01T23', 'hour', r, true)).toBe('2025-03-02T00');
    expect(nextTime('2025-03-06T05', 'day', r, true)).toBe('2025-03-07T05');
    expect(nextTime('2025-03-07T23', 'hour', r, true)).toBe('2025-03-01T00');
    expect(nextTime('2025-03-07T05', 'day', r, false)).toBeNull();
    expect(nextTime('2025-01-15T08', 'hour', r, false)).toBe('2025-03-01T00');
    expect(nextTime('2025-12-31T23', 'hour', span, true)).toBe('2025-01-01T00');
  });
  it('steps by year over a span of years, keeping month, day and hour', () => {
    const years: [string, string] = ['2015-01-01T00', '2025-12-31T23'];
    expect(nextTime('2020-02-29T08', 'year', years, true)).toBe('2021-02-28T08');
    expect(nextTime('2024-06-30T12', 'year', years, false)).toBe('2025-06-30T12');
    expect(nextTime('2025-06-30T12', 'year', years, false)).toBeNull();
    expect(nextTime('2025-06-30T12', 'year', years, true)).toBe('2015-06-30T12');
  });
});

describe('player', () => {
  const base = { city: 'x', layers: [], view: null, lang: 'zh', mode: 'planner', theme: 'auto', pollutant: 'aqi', controls: true, selection: null, surface: false, dock: null, story: null, slide: 1 } as const;
  it('plays a week at 16× in day steps and stops at the end without looping', () => {
    vi.useFakeTimers();
    const store = createStore({ ...base, time: '2025-03-01T12', step: 'day', period: ['2025-03-01', '2025-03-07'] } as unknown as AppState);
    const p = createPlayer(store, () => span);
    const changes = vi.fn();
    p.onChange(changes);
    p.setLoop(false);
    p.play(16);
    expect(p.playing()).toBe(true);
    vi.advanceTimersByTime(62.5 * 6);
    expect(store.get().time).toBe('2025-03-07T12');
    vi.advanceTimersByTime(62.5);
    expect(p.playing()).toBe(false);
    expect(store.get().time).toBe('2025-03-07T12');
    expect(changes).toHaveBeenCalledTimes(3); // loop, play, stop
    vi.useRealTimers();
  });
  it('clamps speed to 0.5–16×', () => {
    const store = createStore({ ...base, time: '2025-03-01T12', step: 'hour', period: null } as unknown as AppState);
    const p = createPlayer(store, () => span);
    p.play(64);
    expect(p.speed()).toBe(16);
    p.play(0.1);
    expect(p.speed()).toBe(0.5);
    p.pause();
  });
});
