import { addHours, clockToUtcMs } from './clock';
import type { Store } from './store';

/**
 * Time playback on the app clock: one hour per tick at 1×, every time-aware
 * layer follows the store. Loops at the end of the data's span.
 */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;
const BASE_TICK_MS = 1000;

export interface Player {
  play(speed?: number): void;
  pause(): void;
  playing(): boolean;
  speed(): number;
}

export function createPlayer(store: Store, span: () => [string, string] | null): Player {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let speed = 1;
  const tick = () => {
    const s = span();
    if (!s) return pause();
    let next = addHours(store.get().time, 1);
    if (clockToUtcMs(next) > clockToUtcMs(s[1]) || clockToUtcMs(next) < clockToUtcMs(s[0])) next = s[0];
    store.set({ time: next });
    timer = setTimeout(tick, BASE_TICK_MS / speed);
  };
  function pause() {
    clearTimeout(timer);
    timer = undefined;
  }
  return {
    play(v = speed) {
      speed = Math.min(16, Math.max(0.5, v));
      pause();
      timer = setTimeout(tick, BASE_TICK_MS / speed);
    },
    pause,
    playing: () => timer !== undefined,
    speed: () => speed,
  };
}
