import { describe, expect, it } from 'vitest';
import { presenterAction } from './keys';

const act = (key: string, more: Record<string, unknown> = {}) => presenterAction({ key, ...more });

describe('presenter keys', () => {
  it('next: arrows right/down, PageDown (clickers), Space, Enter', () => {
    for (const key of ['ArrowRight', 'PageDown', ' ', 'Spacebar', 'Enter', 'ArrowDown']) expect(act(key), key).toEqual({ type: 'next' });
  });
  it('prev: arrows left/up, PageUp (clickers), Backspace', () => {
    for (const key of ['ArrowLeft', 'PageUp', 'ArrowUp', 'Backspace']) expect(act(key), key).toEqual({ type: 'prev' });
  });
  it('Shift+Space and Shift+Enter go back; other Shift combinations are not ours', () => {
    expect(act(' ', { shiftKey: true })).toEqual({ type: 'prev' });
    expect(act('Enter', { shiftKey: true })).toEqual({ type: 'prev' });
    expect(act('ArrowRight', { shiftKey: true })).toBeNull();
    expect(act('!', { code: 'Digit1', shiftKey: true })).toBeNull();
    expect(act('B', { code: 'KeyB', shiftKey: true })).toBeNull();
  });
  it('Home and End go to the first and last slide', () => {
    expect(act('Home')).toEqual({ type: 'first' });
    expect(act('End')).toEqual({ type: 'last' });
  });
  it('digits 1–9 jump to slides 1–9 (0-based index), 0 to slide 10, numpad too', () => {
    for (let d = 1; d <= 9; d++) expect(act(String(d), { code: `Digit${d}` })).toEqual({ type: 'goto', index: d - 1 });
    expect(act('0', { code: 'Digit0' })).toEqual({ type: 'goto', index: 9 });
    expect(act('3', { code: 'Numpad3' })).toEqual({ type: 'goto', index: 2 });
  });
  it('B, b and "." (clickers\' blank-screen key) black the screen out', () => {
    expect(act('b')).toEqual({ type: 'blackout' });
    expect(act('B')).toEqual({ type: 'blackout' }); // caps lock
    expect(act('.')).toEqual({ type: 'blackout' });
    expect(act('Delete', { code: 'NumpadDecimal' })).toBeNull(); // named key, whatever its code
  });
  it('F toggles full screen, Escape exits', () => {
    expect(act('f')).toEqual({ type: 'fullscreen' });
    expect(act('F')).toEqual({ type: 'fullscreen' });
    expect(act('Escape')).toEqual({ type: 'exit' });
    expect(act('Esc')).toEqual({ type: 'exit' });
  });
  it('uses the physical key when an IME or a non-Latin layout hides the letter', () => {
    expect(act('Process', { code: 'KeyB' })).toEqual({ type: 'blackout' });
    expect(act('а', { code: 'KeyF' })).toEqual({ type: 'fullscreen' }); // Cyrillic layout
    expect(act('Process', { code: 'Digit4' })).toEqual({ type: 'goto', index: 3 });
    expect(act('Unidentified', { code: 'Period' })).toEqual({ type: 'blackout' });
    expect(act('Process', { code: 'KeyQ' })).toBeNull();
  });
  it('ignores Ctrl, Cmd and Alt combinations so browser shortcuts keep working', () => {
    for (const mod of ['ctrlKey', 'metaKey', 'altKey']) {
      for (const key of ['ArrowRight', 'ArrowLeft', 'f', 'b', '1', 'Home', 'Escape', ' ', 'PageDown']) {
        expect(act(key, { [mod]: true }), `${mod}+${key}`).toBeNull();
      }
    }
  });
  it('a held key repeats steps but never toggles', () => {
    expect(act('ArrowRight', { repeat: true })).toEqual({ type: 'next' });
    expect(act('PageUp', { repeat: true })).toEqual({ type: 'prev' });
    expect(act('b', { repeat: true })).toBeNull();
    expect(act('f', { repeat: true })).toBeNull();
    expect(act('Escape', { repeat: true })).toBeNull();
    expect(act('2', { repeat: true })).toBeNull();
  });
  it('leaves other keys alone', () => {
    for (const key of ['a', 'z', 'Tab', 'F5', 'F11', 'Shift', 'Control', '+', '-', '?', 'PrintScreen', 'Insert', 'Delete']) {
      expect(act(key), key).toBeNull();
    }
  });
});
