/**
 * Presenter keys, pure. Covers keyboards and presentation clickers (which
 * send PageUp/PageDown, and "." or B for their blank-screen button).
 * Ctrl/Cmd/Alt combinations are never ours, so browser shortcuts keep
 * working; with Shift only Space and Enter count, as "previous" (as in
 * slide software and page scrolling).
 */
export type Action =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'first' }
  | { type: 'last' }
  /** 0-based slide index: key 1 → 0, …, 9 → 8, 0 → 9 (slide 10). */
  | { type: 'goto'; index: number }
  | { type: 'blackout' }
  | { type: 'fullscreen' }
  | { type: 'exit' };

export interface KeyLike {
  key: string;
  code?: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Auto-repeat from a held key: steps may repeat, toggles must not flicker. */
  repeat?: boolean;
}

const NEXT = new Set(['ArrowRight', 'PageDown', ' ', 'Spacebar', 'Enter', 'ArrowDown']);
const PREV = new Set(['ArrowLeft', 'PageUp', 'ArrowUp', 'Backspace']);

/**
 * The character a key stands for. With a Chinese IME active, or on a
 * non-Latin layout, `key` is "Process" or another letter: fall back to the
 * physical key (`code`) for the few letter and digit keys we use.
 */
function printable(e: KeyLike): string {
  const k = e.key;
  if (/^[a-z0-9.]$/i.test(k)) return k.toLowerCase();
  const c = e.code ?? '';
  let m = /^Key([A-Z])$/.exec(c);
  if (m) return m[1]!.toLowerCase();
  m = /^(?:Digit|Numpad)([0-9])$/.exec(c);
  if (m) return m[1]!;
  if (c === 'Period' || c === 'NumpadDecimal') return '.';
  return '';
}

export function presenterAction(e: KeyLike): Action | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key === 'Spacebar' ? ' ' : e.key;
  if (e.shiftKey) return key === ' ' || key === 'Enter' ? { type: 'prev' } : null;
  if (NEXT.has(key)) return { type: 'next' };
  if (PREV.has(key)) return { type: 'prev' };
  if (key === 'Home') return { type: 'first' };
  if (key === 'End') return { type: 'last' };
  if (key === 'Escape' || key === 'Esc') return e.repeat ? null : { type: 'exit' };
  // Named keys (F1, Tab, Shift…) are never letters, whatever their code says.
  if (key.length > 1 && key !== 'Process' && key !== 'Unidentified') return null;
  const ch = printable(e);
  if (e.repeat && ch !== '') return null;
  if (/^[1-9]$/.test(ch)) return { type: 'goto', index: Number(ch) - 1 };
  if (ch === '0') return { type: 'goto', index: 9 };
  if (ch === 'b' || ch === '.') return { type: 'blackout' };
  if (ch === 'f') return { type: 'fullscreen' };
  return null;
}
