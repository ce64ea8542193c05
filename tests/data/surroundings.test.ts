/**
 * The land around each city (data/cities/<city>/surroundings.geojson, from
 * scripts/data/surroundings.ts): referenced by the catalog, small, valid
 * WGS-84 polygons inside the padded bbox, the expected neighbours, and
 * meeting the city's own districts without gaps or overlaps.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Catalog } from '../../src/catalog/types.ts';
import { IndexedArea, LocalFrame, type MultiPoly, type Pt, type Ring } from '../../scripts/data/geo.ts';
import { paddedBBox } from '../../scripts/data/surroundings.ts';

const DATA = resolve(__dirname, '../../data');
const catalog = JSON.parse(readFileSync(join(DATA, 'catalog.json'), 'utf8')) as Catalog;

type Feature = { type: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } };
const read = (path: string): { type: string; features: Feature[] } => JSON.parse(readFileSync(join(DATA, path), 'utf8'));
const asMulti = (g: Feature['geometry']): MultiPoly => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPoly;

/** Known places (WGS-84): [lon, lat, neighbour name, or null for open sea]. */
const EXPECT: Record<string, { names: string[]; places: [number, number, string | null][] }> = {
  shenzhen: { names: ['东莞市', '惠州市', '香港'], places: [[113.75, 23.04, '东莞市'], [114.17, 22.32, '香港'], [114.41, 23.11, '惠州市'], [114.65, 22.3, null]] },
  ningbo: { names: ['绍兴市', '台州市', '舟山市'], places: [[120.58, 30.0, '绍兴市'], [121.42, 28.66, '台州市'], [123.2, 29.0, null]] },
  jinan: { names: ['德州市', '聊城市', '泰安市', '淄博市', '滨州市'], places: [[117.09, 36.2, '泰安市'], [116.36, 37.44, '德州市']] },
  qingdao: { names: ['烟台市', '潍坊市', '日照市'], places: [[121.39, 37.52, '烟台市'], [119.16, 36.71, '潍坊市'], [121.0, 35.8, null]] },
};

describe.each(Object.keys(EXPECT))('%s surroundings', (id) => {
  const city = catalog.cities.find((c) => c.id === id)!;
  const path = city.surroundings!;
  const fc = read(path);
  const areas = new Map(fc.features.map((f) => [f.properties.name as string, new IndexedArea(asMulti(f.geometry))]));
  const all = new IndexedArea(fc.features.flatMap((f) => asMulti(f.geometry)));

  it('is referenced by the catalog, exists and is small', () => {
    expect(path).toBe(`cities/${id}/surroundings.geojson`);
    expect(existsSync(join(DATA, path))).toBe(true);
    expect(statSync(join(DATA, path)).size).toBeLessThanOrEqual(200 * 1024);
  });

  it('holds named WGS-84 polygons, closed, RFC 7946 winding, 5 decimals, inside the padded bbox', () => {
    expect(fc.type).toBe('FeatureCollection');
    expect(new Set(areas.keys()).size).toBe(fc.features.length);
    const [w, s, e, n] = paddedBBox(city.bounds);
    for (const f of fc.features) {
      expect(Object.keys(f.properties)).toEqual(['name', 'name_en', 'kind']);
      expect(f.properties.kind).toBe('neighbour');
      expect(f.properties.name).toMatch(/^\p{Script=Han}+$/u);
      expect(f.properties.name_en).toMatch(/^[A-Z][\p{L}' ]+$/u);
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      for (const poly of asMulti(f.geometry)) {
        poly.forEach((ring: Ring, i) => {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          let twice = 0;
          for (let k = 0; k + 1 < ring.length; k++) twice += (ring[k + 1]![0] - ring[k]![0]) * (ring[k + 1]![1] + ring[k]![1]);
          expect(twice < 0, `${f.properties.name} ring ${i} winding`).toBe(i === 0);
          for (const [x, y] of ring) {
            expect(x).toBeGreaterThanOrEqual(w - 1e-3);
            expect(x).toBeLessThanOrEqual(e + 1e-3);
            expect(y).toBeGreaterThanOrEqual(s - 1e-3);
            expect(y).toBeLessThanOrEqual(n + 1e-3);
            expect(Math.round(x * 1e5) / 1e5).toBe(x);
            expect(Math.round(y * 1e5) / 1e5).toBe(y);
          }
        });
      }
    }
  });

  it('has the expected neighbours, land where they are and sea where it is', () => {
    for (const name of EXPECT[id]!.names) expect([...areas.keys()]).toContain(name);
    for (const [lon, lat, name] of EXPECT[id]!.places) {
      if (name) expect(areas.get(name)!.contains(lon, lat), `${name} at ${lon},${lat}`).toBe(true);
      else expect(all.contains(lon, lat), `sea at ${lon},${lat}`).toBe(false);
    }
  });

  it("meets the districts' outer edge on the same vertices, without gaps or overlaps", () => {
    const districts = read(city.datasets.districts!.path).features.flatMap((f) => asMulti(f.geometry));
    const land = new IndexedArea(districts);
    const k = (p: Pt): string => `${p[0]},${p[1]}`;
    const ek = (a: Pt, b: Pt): string => (k(a) < k(b) ? `${k(a)}|${k(b)}` : `${k(b)}|${k(a)}`);
    const count = new Map<string, number>();
    for (const r of districts.flat()) for (let i = 0; i + 1 < r.length; i++) count.set(ek(r[i]!, r[i + 1]!), (count.get(ek(r[i]!, r[i + 1]!)) ?? 0) + 1);
    const theirs = new Set<string>();
    for (const r of fc.features.flatMap((f) => asMulti(f.geometry)).flat()) for (let i = 0; i + 1 < r.length; i++) theirs.add(ek(r[i]!, r[i + 1]!));
    const b = city.bounds;
    const frame = new LocalFrame((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
    let outer = 0, border = 0, shared = 0, gap = 0, overlap = 0;
    for (const r of districts.flat()) {
      for (let i = 0; i + 1 < r.length; i++) {
        const [p, q] = [r[i]!, r[i + 1]!];
        if (count.get(ek(p, q)) !== 1) continue;
        const [ax, ay] = frame.toXY(p[0], p[1]);
        const [bx, by] = frame.toXY(q[0], q[1]);
        const len = Math.hypot(bx - ax, by - ay);
        if (len < 1) continue;
        // Probes along the edge's normal, outward = the side that is not the city.
        let [nx, ny] = [-(by - ay) / len, (bx - ax) / len];
        const at = (d: number): Pt => frame.toLonLat((ax + bx) / 2 + nx * d, (ay + by) / 2 + ny * d);
        if (land.contains(...at(10))) [nx, ny] = [-nx, -ny];
        if (land.contains(...at(10))) continue;
        outer += len;
        const near = all.contains(...at(30));
        if (near) ((border += len), (shared += theirs.has(ek(p, q)) ? len : 0));
        else if (all.contains(...at(300))) gap += len;
        if (land.contains(...at(-30)) && all.contains(...at(-30))) overlap += len;
      }
    }
    // Land borders are drawn with the city's own vertices; what is left are the source's slivers and coastal corners
    // (Shenzhen as built: 99.7 % shared, 0.8 % "gap" — mostly where a border meets the sea —, 0.24 % overlap).
    expect(shared / border).toBeGreaterThan(0.97);
    expect(gap / border).toBeLessThan(0.015);
    expect(overlap / outer).toBeLessThan(0.005);
    // Jinan is inland: land all round. The coastal cities keep their coast (no land just beyond it).
    if (id === 'jinan') expect(border / outer).toBeGreaterThan(0.99);
    else expect(1 - border / outer).toBeGreaterThan(0.3);
  });
});
