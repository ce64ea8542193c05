import type { AppState } from './types';

export type Listener = (state: AppState, previous: AppState) => void;

export interface Store {
  get(): AppState;
  /** Shallow-merges a patch; listeners run only when something changed. */
  set(patch: Partial<AppState>): void;
  subscribe(listener: Listener): () => void;
}

export function createStore(initial: AppState): Store {
  let state: AppState = Object.freeze({ ...initial });
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    set(patch) {
      const next = { ...state, ...patch };
      const changed = (Object.keys(patch) as (keyof AppState)[]).some(
        (k) => !sameValue(state[k], next[k]),
      );
      if (!changed) return;
      const previous = state;
      state = Object.freeze(next);
      for (const l of [...listeners]) l(state, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Values in the store are plain JSON, so structural equality is enough. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
