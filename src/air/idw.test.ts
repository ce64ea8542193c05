import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { aqiSurfaceColour, SURFACE_ALPHA, surfaceLayer } from '../layers/airSurface';
import { buildIdwGrid, cellAt, colourize, interpolate, rasteriseMask, type Bounds, type IdwGrid, type Rgba } from './idw';

const BOUNDS: Bounds = [120, 30, 120.2, 30.2];
const square = (w: number, s: number, e: number, n: number): Position[] => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const fc = (...geometries: FeatureCollection['features'][number]['geometry'][]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: geometries.map((geometry) => ({ type: 'Feature', properties: {}, geometry })),
});
const WHOLE = fc({ type: 'Polygon', coordinates: [square(119, 29, 121, 31)] });
const grey = (v: number): Rgba => [v, v, v, 255];
const rowCol = (g: IdwGrid, i: number) => [Math.floor(i / g.width), i % g.width] as const;
const centre = (g: IdwGrid, r: number, c: number): [number, number] => [g.lons[c]!, g.lats[r]!];

describe('buildIdwGrid', () => {
  it('makes cells roughly square on the ground and honours maxCells', () => {
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [[120.1, 30.1]], cellMetres: 1000 });
    // 0.2° of longitude at 30.1° N ≈ 19.2 km, 0.2° of latitude ≈ 22.2 km.
    expect(g.width).toBeGreaterThanOrEqual(19);
    expect(g.width).toBeLessThanOrEqual(20);
    expect(g.height).toBeGreaterThanOrEqual(22);
    expect(g.height).toBeLessThanOrEqual(23);
    expect(g.lats[0]).toBeGreaterThan(g.lats[g.height - 1]!);
    // Rows evenly spaced in Web Mercator y, the space BitmapLayer stretches the image in.
    const merc = Array.from(g.lats, (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)));
    for (let r = 2; r < g.height; r++) expect(merc[r - 1]! - merc[r]!).toBeCloseTo(merc[0]! - merc[1]!, 12);
    const capped = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [[120.1, 30.1]], cellMetres: 10, maxCells: 5000 });
    expect(capped.width * capped.height).toBeLessThanOrEqual(5000);
    expect(capped.width * capped.height).toBeGreaterThan(4500);
    expect(capped.width / capped.height).toBeCloseTo(g.width / g.height, 1);
  });

  it('is deterministic', () => {
    const opts = { bounds: BOUNDS, boundary: WHOLE, stations: [[120.05, 30.05], [120.15, 30.1], [120.1, 30.15]] as [number, number][] };
    const a = buildIdwGrid(opts);
    const b = buildIdwGrid(opts);
    expect(b.nbr).toEqual(a.nbr);
    expect(b.weight).toEqual(a.weight);
    const v = new Float32Array([10, 20, 30]);
    expect(interpolate(b, v)).toEqual(interpolate(a, v));
  });
});

describe('interpolate', () => {
  const probe = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [], cellMetres: 1000 });

  it('is exact at a station', () => {
    const s: [number, number][] = [centre(probe, 5, 7), centre(probe, 15, 12), centre(probe, 3, 17)];
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: s, cellMetres: 1000 });
    const field = interpolate(g, new Float32Array([42.5, 100, 7]));
    expect(field[5 * g.width + 7]).toBe(42.5);
    expect(field[15 * g.width + 12]).toBe(100);
    expect(field[3 * g.width + 17]).toBe(7);
    // ...and a station that is offline there leaves the cell to the others.
    const off = interpolate(g, new Float32Array([NaN, 100, 7]));
    expect(off[5 * g.width + 7]).toBeGreaterThan(7);
    expect(off[5 * g.width + 7]).toBeLessThan(100);
  });

  it('gives the mean halfway between two stations', () => {
    const [lon, lat] = centre(probe, 10, 9);
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [[lon - 0.03, lat], [lon + 0.03, lat]], cellMetres: 1000 });
    expect(interpolate(g, new Float32Array([10, 30]))[10 * g.width + 9]).toBeCloseTo(20, 4);
  });

  it('renormalises when a station is missing, and is NaN when all are', () => {
    const three: [number, number][] = [[120.05, 30.05], [120.15, 30.1], [120.1, 30.15]];
    const g3 = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: three });
    const g2 = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [three[0]!, three[2]!] });
    const a = interpolate(g3, new Float32Array([10, NaN, 50]));
    const b = interpolate(g2, new Float32Array([10, 50]));
    for (let i = 0; i < a.length; i += 97) expect(a[i]).toBeCloseTo(b[i]!, 3);
    expect(interpolate(g3, new Float32Array([10, Infinity, 50]))).toEqual(a);
    expect(interpolate(g3, new Float32Array([NaN, NaN, NaN])).every(Number.isNaN)).toBe(true);
  });

  it('uses only the K nearest stations', () => {
    const s: [number, number][] = [[120.02, 30.03], [120.18, 30.02], [120.1, 30.18], [120.06, 30.11], [120.15, 30.14]];
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: s, neighbours: 1 });
    const field = interpolate(g, new Float32Array([0, 1, 2, 3, 4]));
    for (let i = 0; i < field.length; i += 13) {
      const [r, c] = rowCol(g, i);
      const [lon, lat] = centre(g, r, c);
      const d = s.map(([x, y]) => Math.hypot((x - lon) * Math.cos(lat * (Math.PI / 180)), y - lat));
      expect(field[i]).toBe(d.indexOf(Math.min(...d)));
    }
    const g2 = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: s, neighbours: 2 });
    expect(g2.k).toBe(2);
    expect(buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: s }).k).toBe(5);
  });

  it('writes into the given array', () => {
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [[120.1, 30.1]] });
    const out = new Float32Array(g.width * g.height);
    expect(interpolate(g, new Float32Array([3]), out)).toBe(out);
    expect(out[0]).toBe(3);
    expect(() => interpolate(g, new Float32Array([3]), new Float32Array(4))).toThrow(RangeError);
  });
});

describe('mask', () => {
  const stations: [number, number][] = [[120.1, 30.1]];
  const inner = square(120.05, 30.05, 120.15, 30.15);

  it('leaves cells outside the boundary NaN and transparent', () => {
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: fc({ type: 'Polygon', coordinates: [inner] }), stations });
    const field = interpolate(g, new Float32Array([60]));
    const rgba = colourize(g, field, grey);
    const corner = cellAt(g, 120.01, 30.19);
    const mid = cellAt(g, 120.1, 30.1);
    expect(field[corner]).toBeNaN();
    expect(rgba[corner * 4 + 3]).toBe(0);
    expect(field[mid]).toBeCloseTo(60, 5);
    expect(rgba[mid * 4 + 3]).toBe(255);
    // The area fraction of the square is about a quarter.
    expect(g.cells.length / (g.width * g.height)).toBeCloseTo(0.25, 1);
  });

  it('cuts holes', () => {
    const hole = square(120.08, 30.08, 120.12, 30.12).reverse();
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: fc({ type: 'Polygon', coordinates: [inner, hole] }), stations });
    const field = interpolate(g, new Float32Array([60]));
    expect(field[cellAt(g, 120.1, 30.1)]).toBeNaN();
    expect(field[cellAt(g, 120.06, 30.1)]).toBeCloseTo(60, 5);
  });

  it('fills every part of a MultiPolygon and ORs overlapping districts', () => {
    const a = square(120.01, 30.01, 120.05, 30.05);
    const b = square(120.15, 30.15, 120.19, 30.19);
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: fc({ type: 'MultiPolygon', coordinates: [[a], [b]] }), stations });
    expect(g.inside[cellAt(g, 120.03, 30.03)]).toBe(1);
    expect(g.inside[cellAt(g, 120.17, 30.17)]).toBe(1);
    expect(g.inside[cellAt(g, 120.1, 30.1)]).toBe(0);
    const overlap = fc({ type: 'Polygon', coordinates: [square(120, 30, 120.12, 30.2)] }, { type: 'Polygon', coordinates: [square(120.08, 30, 120.2, 30.2)] });
    const o = buildIdwGrid({ bounds: BOUNDS, boundary: overlap, stations });
    expect(o.inside[cellAt(o, 120.1, 30.1)]).toBe(1);
  });

  it('agrees with turf.booleanPointInPolygon on a real city', () => {
    const boundary = JSON.parse(readFileSync(new URL('../../data/cities/shenzhen/districts.geojson', import.meta.url), 'utf8')) as FeatureCollection<Polygon>;
    const bounds: Bounds = [113.7468, 22.3994, 114.6244, 22.8653];
    const g = buildIdwGrid({ bounds, boundary, stations, cellMetres: 2000 });
    let mismatches = 0;
    for (let r = 0; r < g.height; r++) {
      for (let c = 0; c < g.width; c++) {
        const pt = centre(g, r, c);
        const turf = boundary.features.some((f) => booleanPointInPolygon(pt, f));
        if (turf !== (g.inside[r * g.width + c] === 1)) mismatches++;
      }
    }
    expect(g.cells.length).toBeGreaterThan(100);
    expect(mismatches).toBe(0);
    expect(rasteriseMask(boundary, g)).toEqual(g.inside);
  });
});

describe('colourize', () => {
  const s: [number, number][] = [[120.1, 30.19], [120.1, 30.01]];
  const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: s });

  it('puts north in row 0', () => {
    const rgba = colourize(g, interpolate(g, new Float32Array([200, 10])), grey);
    const last = (g.height - 1) * g.width * 4;
    expect(rgba[0]).toBeGreaterThan(150);
    expect(rgba[last]).toBeLessThan(60);
    expect(cellAt(g, 120.1, 30.199)).toBeLessThan(g.width);
  });

  it('steps exactly at the HJ 633 level breakpoints', () => {
    const field = new Float32Array(g.width * g.height).fill(50);
    field[1] = 50.01;
    field[2] = 0;
    field[3] = 300;
    field[4] = 300.5;
    field[5] = 600;
    const rgba = colourize(g, field, aqiSurfaceColour);
    const px = (i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 4));
    expect(px(0)).toEqual([0x00, 0xe4, 0x00, SURFACE_ALPHA]);
    expect(px(1)).toEqual([0xff, 0xff, 0x00, SURFACE_ALPHA]);
    expect(px(2)).toEqual(px(0));
    expect(px(3)).toEqual([0x99, 0x00, 0x4c, SURFACE_ALPHA]);
    expect(px(4)).toEqual([0x7e, 0x00, 0x23, SURFACE_ALPHA]);
    expect(px(5)).toEqual(px(4));
  });

  it('bleeds edge colours into transparent neighbours and reuses its output', () => {
    const boundary = fc({ type: 'Polygon', coordinates: [square(120.05, 30.05, 120.15, 30.15)] });
    const m = buildIdwGrid({ bounds: BOUNDS, boundary, stations: s });
    const out = new Uint8ClampedArray(m.width * m.height * 4);
    const field = interpolate(m, new Float32Array([80, 80]));
    expect(colourize(m, field, aqiSurfaceColour, out)).toBe(out);
    const outside = cellAt(m, 120.1, 30.17);
    expect(out[outside * 4 + 3]).toBe(0);
    expect(m.bleed.length).toBeGreaterThan(0);
    for (let p = 0; p < m.bleed.length; p += 2) {
      expect(m.inside[m.bleed[p]!]).toBe(0);
      expect(Array.from(out.subarray(m.bleed[p]! * 4, m.bleed[p]! * 4 + 3))).toEqual([0xff, 0xff, 0x00]);
    }
  });
});

describe('surfaceLayer', () => {
  it('describes a bitmap over the grid bounds', () => {
    const g = buildIdwGrid({ bounds: BOUNDS, boundary: WHOLE, stations: [[120.1, 30.1]] });
    const rgba = colourize(g, interpolate(g, new Float32Array([30])), aqiSurfaceColour);
    const layer = surfaceLayer('air-surface', g, rgba, true, 0.8);
    expect(layer.props.bounds).toEqual(BOUNDS);
    expect(layer.props.pickable).toBe(false);
    expect(layer.props.opacity).toBe(0.8);
    expect(() => surfaceLayer('x', g, new Uint8ClampedArray(4), true)).toThrow(RangeError);
  });
});
