/**
 * WGS-84 ⇄ GCJ-02 display helpers (./gcj.ts) against the reference pairs
 * src/catalog/crs.test.ts already trusts, plus the round-trip bound of
 * gcoord's iterative inverse and the FeatureCollection walker.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Geometry } from 'geojson';
import { gcjToWgs, shiftFeatureCollection, wgsToGcj } from './gcj';

import { expectNear, metres } from '../catalog/crsTestHelpers';

/** City centres (WGS-84, rounded) of the four catalog cities. */
const CITIES: Record<string, [number, number]> = {
  shenzhen: [114.0579, 22.5431],
  ningbo: [121.544, 29.8683],
  jinan: [117.1205, 36.651],
  qingdao: [120.3826, 36.0671],
};

describe('wgsToGcj / gcjToWgs', () => {
  // gcoord's test fixture (test/fixtures/china-cities.json, hujiulong/gcoord): the
  // same places in WGS-84 and GCJ-02, independent of the formula (rounded to 1e-7°;
  // they agree with the formula to about 5e-6°, half a metre).
  const FIXTURE = [
    { name: '汕尾市 (Guangdong)', WGS84: [115.3702248, 22.7888255], GCJ02: [115.3751647, 22.7861903] },
    { name: '泰安市 (Shandong)', WGS84: [117.0815563, 36.2000071], GCJ02: [117.0876215, 36.2002574] },
    { name: '金华市 (Zhejiang)', WGS84: [119.6427465, 29.0820414], GCJ02: [119.6474509, 29.0790641] },
  ];
  for (const p of FIXTURE) {
    it(`reference pair ${p.name}: both directions within 1e-5° (≈ 1 m)`, () => {
      expectNear(wgsToGcj(p.WGS84), p.GCJ02, 1e-5);
      expectNear(gcjToWgs(p.GCJ02), p.WGS84, 1e-5);
      expect(metres(wgsToGcj(p.WGS84), p.GCJ02)).toBeLessThan(1);
    });
  }

  it("gcoord's own published pair ([123, 45], its unit tests)", () => {
    expectNear(gcjToWgs([123, 45]), [122.99395597, 44.99804071], 1e-6);
    expectNear(wgsToGcj([122.99395597, 44.99804071]), [123, 45], 1e-6);
  });

  it('shifts the four cities by the known 100–700 m, and leaves points outside China alone', () => {
    for (const [id, p] of Object.entries(CITIES)) {
      const d = metres(p, wgsToGcj(p));
      expect(d, id).toBeGreaterThan(100);
      expect(d, id).toBeLessThan(700);
    }
    // Shenzhen: the shift is east and south (≈ 526 m E, 300 m S at 114.06, 22.54).
    const g = wgsToGcj([114.06, 22.54]);
    expect(g[0]).toBeGreaterThan(114.06);
    expect(g[1]).toBeLessThan(22.54);
    expect(wgsToGcj([2.35, 48.85])).toEqual([2.35, 48.85]);
    expect(gcjToWgs([-74, 40.7])).toEqual([-74, 40.7]);
  });

  it('round-trips WGS → GCJ → WGS (and GCJ → WGS → GCJ) within 0.2 m everywhere in China', () => {
    // gcoord's inverse iterates until the forward transform is within 1e-6° of
    // the input in each axis, so the bound is about hypot(0.111, 0.111) m; the
    // worst measured over this grid is 0.143 m.
    let worst = 0;
    let worstInverse = 0;
    for (let lon = 73; lon <= 135; lon += 0.53) {
      for (let lat = 18; lat <= 53; lat += 0.41) {
        worst = Math.max(worst, metres([lon, lat], gcjToWgs(wgsToGcj([lon, lat]))));
        worstInverse = Math.max(worstInverse, metres([lon, lat], wgsToGcj(gcjToWgs([lon, lat]))));
      }
    }
    for (const p of Object.values(CITIES)) {
      for (let i = -10; i <= 10; i++) {
        for (let j = -10; j <= 10; j++) {
          const w = [p[0] + i * 0.013, p[1] + j * 0.011];
          worst = Math.max(worst, metres(w, gcjToWgs(wgsToGcj(w))));
        }
      }
    }
    expect(worst).toBeLessThan(0.2);
    expect(worstInverse).toBeLessThan(0.2);
    expect(worst).toBeGreaterThan(0); // iterative, not exact
  });

  it('rejects non-finite input', () => {
    expect(() => wgsToGcj([Number.NaN, 22])).toThrow(RangeError);
    expect(() => gcjToWgs([114, Infinity])).toThrow(RangeError);
  });
});

describe('shiftFeatureCollection', () => {
  const P: [number, number] = [114.06, 22.54];
  const Q: [number, number] = [114.07, 22.55];
  const R: [number, number] = [114.07, 22.54];
  const ring = [P, R, Q, P];
  const geometries: Geometry[] = [
    { type: 'Point', coordinates: [...P, 12] },
    { type: 'MultiPoint', coordinates: [P, Q] },
    { type: 'LineString', coordinates: [P, Q] },
    { type: 'MultiLineString', coordinates: [[P, Q], [Q, R]] },
    { type: 'Polygon', coordinates: [ring] },
    { type: 'MultiPolygon', coordinates: [[ring], [ring]] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: Q }, { type: 'LineString', coordinates: [P, R] }] },
  ];
  const fc: FeatureCollection = {
    type: 'FeatureCollection',
    bbox: [114.06, 22.54, 114.07, 22.55],
    features: [
      ...geometries.map((geometry, i) => ({ type: 'Feature' as const, id: i, properties: { i, name: `区${i}` }, geometry })),
      { type: 'Feature', properties: { empty: true }, geometry: null as unknown as Geometry },
    ],
  };
  const snapshot = JSON.stringify(fc);

  /** Every position of a geometry, flattened. */
  function positions(g: Geometry | null): number[][] {
    if (!g) return [];
    if (g.type === 'GeometryCollection') return g.geometries.flatMap(positions);
    const walk = (c: unknown): number[][] => (typeof (c as unknown[])[0] === 'number' ? [c as number[]] : (c as unknown[]).flatMap(walk));
    return walk(g.coordinates);
  }

  it('converts every position of every geometry type, keeps altitude and shape, does not touch the input', () => {
    const out = shiftFeatureCollection(fc, 'toGcj');
    expect(JSON.stringify(fc)).toBe(snapshot);
    expect(out).not.toBe(fc);
    expect(out.features).toHaveLength(fc.features.length);
    for (let i = 0; i < geometries.length; i++) {
      const before = positions(fc.features[i]!.geometry);
      const after = positions(out.features[i]!.geometry);
      expect(after.length).toBe(before.length);
      expect(after.length).toBeGreaterThan(0);
      for (let k = 0; k < before.length; k++) {
        expect(after[k]!.slice(0, 2)).toEqual(wgsToGcj(before[k]!));
        expect(after[k]!.length).toBe(before[k]!.length);
      }
      expect(out.features[i]!.geometry.type).toBe(geometries[i]!.type);
      // Properties are shared, not copied.
      expect(out.features[i]!.properties).toBe(fc.features[i]!.properties);
      expect(out.features[i]!.id).toBe(i);
    }
    expect((out.features[0]!.geometry as { coordinates: number[] }).coordinates[2]).toBe(12);
    expect(out.features.at(-1)!.geometry).toBeNull();
  });

  it('recomputes the bbox from the shifted positions', () => {
    const out = shiftFeatureCollection(fc, 'toGcj');
    const a = wgsToGcj(P);
    const b = wgsToGcj(Q);
    const c = wgsToGcj(R);
    expect(out.bbox![0]).toBeCloseTo(Math.min(a[0], b[0], c[0]), 12);
    expect(out.bbox![1]).toBeCloseTo(Math.min(a[1], b[1], c[1]), 12);
    expect(out.bbox![2]).toBeCloseTo(Math.max(a[0], b[0], c[0]), 12);
    expect(out.bbox![3]).toBeCloseTo(Math.max(a[1], b[1], c[1]), 12);
  });

  it("'toWgs' undoes 'toGcj' to within 0.2 m", () => {
    const back = shiftFeatureCollection(shiftFeatureCollection(fc, 'toGcj'), 'toWgs');
    for (let i = 0; i < geometries.length; i++) {
      const before = positions(fc.features[i]!.geometry);
      const after = positions(back.features[i]!.geometry);
      for (let k = 0; k < before.length; k++) expect(metres(before[k]!, after[k]!)).toBeLessThan(0.2);
    }
  });

  it('rejects what is not a FeatureCollection or an unknown direction', () => {
    expect(() => shiftFeatureCollection({ type: 'Feature' } as unknown as FeatureCollection, 'toGcj')).toThrow(/FeatureCollection/);
    expect(() => shiftFeatureCollection(fc, 'sideways' as 'toGcj')).toThrow(/direction/);
  });
});
