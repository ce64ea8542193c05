import { describe, expect, it } from 'vitest';
import { clampSplit, splitToDevicePx, SwipeClipExtension, swipeClipExtension, swipeClipUniforms } from './swipeClip';

describe('splitToDevicePx', () => {
  it('scales the split by the viewport width and the device pixel ratio', () => {
    expect(splitToDevicePx(0.3, 1000, 1)).toBeCloseTo(300);
    expect(splitToDevicePx(0.3, 1000, 2)).toBeCloseTo(600);
    expect(splitToDevicePx(0.5, 801, 1.25)).toBeCloseTo(500.625);
    expect(splitToDevicePx(0, 1000, 2)).toBe(0);
    expect(splitToDevicePx(1, 1000, 2)).toBe(2000);
  });

  it('clamps the split and survives bad input', () => {
    expect(splitToDevicePx(-1, 1000, 1)).toBe(0);
    expect(splitToDevicePx(7, 1000, 1)).toBe(1000);
    expect(splitToDevicePx(Number.NaN, 1000, 1)).toBe(500);
    expect(splitToDevicePx(0.5, 1000, 0)).toBe(500);
    expect(splitToDevicePx(0.5, 1000, Number.NaN)).toBe(500);
    expect(splitToDevicePx(0.5, Number.NaN, 2)).toBe(0);
    expect(clampSplit(Infinity)).toBe(0.5);
  });
});

describe('swipeClipUniforms', () => {
  it('offsets by the viewport origin, in device pixels', () => {
    const u = swipeClipUniforms({ split: 0.5, side: 'left', enabled: true, viewport: { x: 100, width: 400 }, devicePixelRatio: 2 });
    expect(u.splitPx).toBeCloseTo(200 + 400);
    expect(u.side).toBe(1);
    expect(u.enabled).toBe(1);
  });

  it('encodes the side and the switch', () => {
    const u = swipeClipUniforms({ split: 0.25, side: 'right', enabled: false, viewport: { x: 0, width: 800 }, devicePixelRatio: 1 });
    expect(u).toEqual({ splitPx: 200, side: -1, enabled: 0 });
  });
});

describe('SwipeClipExtension', () => {
  it('declares its props so composite layers pass them to sublayers', () => {
    expect(Object.keys(SwipeClipExtension.defaultProps).sort()).toEqual(['swipeEnabled', 'swipeSide', 'swipeSplit']);
    expect(SwipeClipExtension.extensionName).toBe('SwipeClipExtension');
  });

  it('compares equal across instances, so a new instance does not rebuild shaders', () => {
    expect(new SwipeClipExtension().equals(swipeClipExtension)).toBe(true);
  });
});
