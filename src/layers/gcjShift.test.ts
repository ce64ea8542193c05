/**
 * The GCJ-02 shift's formula (./gcjShift.ts) on the CPU: its JS twin against
 * gcoord, and the shader's float32 arithmetic emulated step by step with
 * Math.fround to bound what single precision costs. The GPU itself is
 * measured in tests/e2e/gcjShift.test.ts.
 */
import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import {
  GcjShiftExtension,
  gcjOffsetCommon,
  gcjOffsetDegrees,
  gcjShiftExtension,
  gcjShiftShaderModule,
  gcjShiftUniforms,
  WORLD_SCALE,
} from './gcjShift';

const f = Math.fround;
const EARTH = 6378137;
const DEG = Math.PI / 180;

/** Every 0.5° × 0.5° over gcoord's China box, plus the four cities. */
function* chinaGrid(): Generator<[number, number]> {
  for (let lon = 72.25; lon < 137.8; lon += 0.5) for (let lat = 1; lat < 55.8; lat += 0.5) yield [lon, lat];
  yield* [
    [114.0579, 22.5431],
    [121.544, 29.8683],
    [117.1205, 36.651],
    [120.3826, 36.0671],
  ] as [number, number][];
}

/** Metres on the ground of a common-space vector at latitude `lat`. */
const commonToMetres = (d: readonly number[], lat: number) => (Math.hypot(d[0]!, d[1]!) / WORLD_SCALE) * EARTH * Math.cos(lat * DEG);

// ---- The shader, in float32 (every operation rounded as the GPU would) ----
const TWO_PI = f(6.283185307179586);
/** The shader's sin(2πt): exact reduction to a quarter turn, Taylor to a^11. */
function fsinTurns(t: number): number {
  let u = f(t - Math.floor(f(t + 0.5)));
  u = u > 0.25 ? f(0.5 - u) : u < -0.25 ? f(-0.5 - u) : u;
  const a = f(TWO_PI * u);
  const a2 = f(a * a);
  let p = f(f(1 / 362880) - f(a2 / 39916800));
  p = f(f(-1 / 5040) + f(a2 * p));
  p = f(f(1 / 120) + f(a2 * p));
  p = f(f(-1 / 6) + f(a2 * p));
  p = f(1 + f(a2 * p));
  return f(a * p);
}
const fcosTurns = (t: number) => fsinTurns(f(t + 0.25));
function fTransformLat(x: number, y: number): number {
  let r = f(f(f(f(f(-100 + f(2 * x)) + f(3 * y)) + f(f(0.2 * y) * y)) + f(f(0.1 * x) * y)) + f(0.2 * f(Math.sqrt(Math.abs(x)))));
  const k = f(2 / 3);
  r = f(r + f(f(f(20 * fsinTurns(f(3 * x))) + f(20 * fsinTurns(x))) * k));
  r = f(r + f(f(f(20 * fsinTurns(f(y / 2))) + f(40 * fsinTurns(f(y / 6)))) * k));
  r = f(r + f(f(f(160 * fsinTurns(f(y / 24))) + f(320 * fsinTurns(f(y / 60)))) * k));
  return r;
}
function fTransformLon(x: number, y: number): number {
  let r = f(f(f(f(f(300 + x) + f(2 * y)) + f(f(0.1 * x) * x)) + f(f(0.1 * x) * y)) + f(0.1 * f(Math.sqrt(Math.abs(x)))));
  const k = f(2 / 3);
  r = f(r + f(f(f(20 * fsinTurns(f(3 * x))) + f(20 * fsinTurns(x))) * k));
  r = f(r + f(f(f(20 * fsinTurns(f(x / 2))) + f(40 * fsinTurns(f(x / 6)))) * k));
  r = f(r + f(f(f(150 * fsinTurns(f(x / 24))) + f(300 * fsinTurns(f(x / 60)))) * k));
  return r;
}
/** gcjShift_offsetCommon in float32. */
function shaderOffsetF32(lonIn: number, latIn: number): [number, number] {
  const lon = f(lonIn);
  const lat = f(latIn);
  const x = f(lon - 105);
  const y = f(lat - 35);
  const turns = f(lat / 360);
  const sinLat = fsinTurns(turns);
  const magic = f(1 - f(f(f(0.00669342162296594323) * sinLat) * sinLat));
  const sqrtMagic = f(Math.sqrt(magic));
  const dLon = f(f(fTransformLon(x, y) * sqrtMagic) / f(f(6378245) * fcosTurns(turns)));
  const dLat = f(f(f(fTransformLat(x, y) * magic) * sqrtMagic) / f(6378245 * f(1 - f(0.00669342162296594323))));
  const ws = f(WORLD_SCALE);
  return [f(ws * dLon), f(ws * f(dLat / fcosTurns(f(turns + f(dLat / f(4 * Math.PI))))))];
}

describe('the shader sine', () => {
  it('is within 3e-7 of Math.sin of the same float32 argument, over the turns the formula uses', () => {
    // The reduction t - floor(t + 0.5) is exact in float32, so a large
    // argument costs nothing beyond its own rounding. Measured: 2.0e-7.
    let worst = 0;
    for (let t = -100; t <= 100; t += 0.000731) worst = Math.max(worst, Math.abs(fsinTurns(f(t)) - Math.sin(2 * Math.PI * f(t))));
    expect(worst).toBeLessThan(3e-7);
  });
});

describe('gcjOffsetDegrees (the CPU twin of the shader formula)', () => {
  it("equals gcoord's WGS-84 → GCJ-02 over all of China to 1e-12°", () => {
    let worst = 0;
    for (const [lon, lat] of chinaGrid()) {
      const g = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
      const d = gcjOffsetDegrees(lon, lat);
      worst = Math.max(worst, Math.abs(lon + d[0] - g[0]), Math.abs(lat + d[1] - g[1]));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('is zero outside the China box, as in gcoord', () => {
    expect(gcjOffsetDegrees(2.35, 48.85)).toEqual([0, 0]);
    expect(gcjOffsetDegrees(114, 60)).toEqual([0, 0]);
    expect(gcjOffsetDegrees(70, 30)).toEqual([0, 0]);
    expect(gcjOffsetCommon(-74, 40.7)).toEqual([0, 0]);
  });

  it('turns into the exact web-mercator displacement (to < 1 mm)', () => {
    const merc = (lon: number, lat: number) => [WORLD_SCALE * (lon * DEG + Math.PI), WORLD_SCALE * (Math.PI + Math.log(Math.tan(Math.PI / 4 + (lat * DEG) / 2)))];
    let worst = 0;
    for (const [lon, lat] of chinaGrid()) {
      const g = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
      const a = merc(lon, lat);
      const b = merc(g[0], g[1]);
      const d = gcjOffsetCommon(lon, lat);
      worst = Math.max(worst, commonToMetres([b[0]! - a[0]! - d[0], b[1]! - a[1]! - d[1]], lat));
    }
    expect(worst).toBeLessThan(0.001);
  });
});

describe('the shader arithmetic in float32', () => {
  it('is within 5 mm of gcoord everywhere in China (emulated with Math.fround)', () => {
    let worst = 0;
    for (const [lon, lat] of chinaGrid()) {
      const exact = gcjOffsetCommon(lon, lat);
      const single = shaderOffsetF32(lon, lat);
      worst = Math.max(worst, commonToMetres([single[0] - exact[0], single[1] - exact[1]], lat));
    }
    // Measured: 0.35 mm. The input's own float32 rounding (≤ 0.4 m of
    // position) moves the offset by far less than that.
    expect(worst).toBeLessThan(0.005);
  });

  it("fallback 2 (deck's local projection inverted around the view centre) costs < 1 cm of shift", () => {
    // At zoom ≥ 12 a vertex without worldPosition gets its lng/lat back from
    // its float32 common position relative to the viewport centre, through
    // deck's own offset-mode scales (k1, k2), as in gcjShift_lngLatFromCommon.
    const merc = (lon: number, lat: number) => [WORLD_SCALE * (lon * DEG + Math.PI), WORLD_SCALE * (Math.PI + Math.log(Math.tan(Math.PI / 4 + (lat * DEG) / 2)))];
    let worst = 0;
    for (const [lon0, lat0] of [[114.06, 22.54], [121.54, 29.87], [117.12, 36.65], [126.63, 45.75], [122.53, 52.97]] as [number, number][]) {
      const o = [f(lon0), f(lat0)];
      const k1x = f(512 / 360);
      const k1y = f(512 / 360 / Math.cos(o[1]! * DEG));
      const k2y = f(((512 / 360) * DEG * Math.tan(o[1]! * DEG)) / Math.cos(o[1]! * DEG) / 2);
      for (let i = -5; i <= 5; i++) {
        for (let j = -5; j <= 5; j++) {
          // Up to 0.25° from the centre (beyond it deck itself switches to full mercator).
          const lon = lon0 + i * 0.05;
          const lat = lat0 + j * 0.05;
          const c = merc(lon, lat);
          const c0 = merc(o[0]!, o[1]!);
          const px = f(c[0]! - c0[0]!);
          const py = f(c[1]! - c0[1]!);
          let dLat = f(py / k1y);
          dLat = f(py / f(k1y + f(k2y * dLat)));
          const lon2 = f(o[0]! + f(px / k1x));
          const lat2 = f(o[1]! + dLat);
          const exact = gcjOffsetCommon(lon, lat);
          const single = shaderOffsetF32(lon2, lat2);
          worst = Math.max(worst, commonToMetres([single[0] - exact[0], single[1] - exact[1]], lat));
        }
      }
    }
    // Measured: 1.8 mm.
    expect(worst).toBeLessThan(0.01);
  });
});

describe('gcjShiftUniforms', () => {
  it('switches with an int and gives the viewport centre its offset for the fallback', () => {
    const u = gcjShiftUniforms({ enabled: true, viewport: { isGeospatial: true, longitude: 114.06, latitude: 22.54 } });
    expect(u.enabled).toBe(1);
    expect(u.centerOffset).toEqual(gcjOffsetCommon(114.06, 22.54));
    // ≈ 526 m east and 300 m south at Shenzhen.
    expect(u.centerOffset[0]).toBeGreaterThan(0);
    expect(u.centerOffset[1]).toBeLessThan(0);
    expect(commonToMetres(u.centerOffset, 22.54)).toBeCloseTo(Math.hypot(526, 300), -1);
    expect(gcjShiftUniforms({ enabled: false, viewport: { isGeospatial: false } })).toEqual({ enabled: 0, centerOffset: [0, 0] });
  });

  it('keeps the previous values when called without props', () => {
    expect(gcjShiftShaderModule.getUniforms({})).toEqual({});
    expect(gcjShiftShaderModule.getUniforms()).toEqual({});
  });
});

describe('GcjShiftExtension', () => {
  it('declares its prop (default off) so composite layers pass it to sublayers', () => {
    expect(GcjShiftExtension.defaultProps).toEqual({ gcjShift: false });
    expect(GcjShiftExtension.extensionName).toBe('GcjShiftExtension');
  });

  it('compares equal across instances, so a new instance does not rebuild shaders', () => {
    expect(new GcjShiftExtension().equals(gcjShiftExtension)).toBe(true);
  });

  it('declares a std140 block whose members match its uniform types, in order', () => {
    const block = /uniform gcjShiftUniforms \{([^}]*)\}/.exec(gcjShiftShaderModule.vs)![1]!;
    const members = [...block.matchAll(/(\w+);/g)].map((m) => m[1]);
    expect(members).toEqual(Object.keys(gcjShiftShaderModule.uniformTypes));
  });
});
