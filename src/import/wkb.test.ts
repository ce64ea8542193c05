import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geometryToWkb, wkbSummary, wkbToGeometry, wkbType } from './wkb';

/** WKB, byte by byte, for the variants geometryToWkb does not write (Z/M/ZM, EWKB, SRID, mixed byte orders, hostile counts). */
class Bytes {
  private out: number[] = [];
  constructor(private little = true) {}
  order(little = this.little) {
    this.little = little;
    this.out.push(little ? 1 : 0);
    return this;
  }
  u32(v: number) {
    const d = new DataView(new ArrayBuffer(4));
    d.setUint32(0, v >>> 0, this.little);
    this.out.push(...new Uint8Array(d.buffer));
    return this;
  }
  f64(...vs: number[]) {
    for (const v of vs) {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, v, this.little);
      this.out.push(...new Uint8Array(d.buffer));
    }
    return this;
  }
  done() {
    return new Uint8Array(this.out);
  }
}
const fromHex = (h: string) => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)));

const ring = [[117, 36.6], [117.1, 36.6], [117.1, 36.7], [117, 36.7], [117, 36.6]];
const hole = [[117.02, 36.62], [117.04, 36.62], [117.04, 36.64], [117.02, 36.62]];
const SHAPES: Geometry[] = [
  { type: 'Point', coordinates: [117.02, 36.65] },
  { type: 'LineString', coordinates: [[117, 36.6], [117.1, 36.7], [117.2, 36.65]] },
  { type: 'Polygon', coordinates: [ring, hole] },
  { type: 'MultiPoint', coordinates: [[117, 36.6], [-0.1276, 51.5072]] },
  { type: 'MultiLineString', coordinates: [[[117, 36.6], [117.1, 36.7]], [[118, 37], [118.1, 37.1]]] },
  { type: 'MultiPolygon', coordinates: [[ring, hole], [[[118, 37], [118.1, 37], [118, 37.1], [118, 37]]]] },
  { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [117, 36.6] }, { type: 'LineString', coordinates: [[117, 36.6], [117.1, 36.7]] }] },
];

describe('WKB → GeoJSON geometry', () => {
  for (const g of SHAPES)
    it(`${g.type}: little- and big-endian`, () => {
      expect(wkbToGeometry(geometryToWkb(g))).toEqual(g);
      expect(wkbToGeometry(geometryToWkb(g, true))).toEqual(g);
      expect(wkbType(geometryToWkb(g, true))).toBe(g.type);
    });

  it('reads known values from other writers (OGC big-endian, PostGIS EWKB with SRID 4326)', () => {
    expect(wkbToGeometry(fromHex('000000000140000000000000004010000000000000'))).toEqual({ type: 'Point', coordinates: [2, 4] });
    expect(wkbToGeometry(fromHex('0101000020E6100000000000000000F03F0000000000000040'))).toEqual({ type: 'Point', coordinates: [1, 2] });
    // ST_AsBinary('LINESTRING Z (1 2 3, 4 5 6)'): ISO type 1002
    expect(wkbToGeometry(fromHex('01' + 'EA030000' + '02000000' + ['F03F', '0040', '0840', '1040', '1440', '1840'].map((d) => '000000000000' + d).join('')))).toEqual({
      type: 'LineString',
      coordinates: [[1, 2], [4, 5]],
    });
  });

  it('drops Z, M and ZM, in ISO type codes and in EWKB flags (with an SRID)', () => {
    const cases: [string, number, number[]][] = [
      ['ISO Z', 1001, [117, 36.6, 50]],
      ['ISO M', 2001, [117, 36.6, 7]],
      ['ISO ZM', 3001, [117, 36.6, 50, 7]],
      ['EWKB Z', 0x80000001, [117, 36.6, 50]],
      ['EWKB M', 0x40000001, [117, 36.6, 7]],
      ['EWKB ZM', 0xc0000001, [117, 36.6, 50, 7]],
    ];
    for (const [what, code, xyzm] of cases) {
      for (const little of [true, false]) {
        expect(wkbToGeometry(new Bytes(little).order().u32(code).f64(...xyzm).done()), what).toEqual({ type: 'Point', coordinates: [117, 36.6] });
      }
    }
    const ewkbPolygonZ = new Bytes().order().u32(0x80000003 | 0x20000000).u32(4547).u32(1).u32(4);
    for (const [x, y] of [[0, 0], [1, 0], [1, 1], [0, 0]]) ewkbPolygonZ.f64(x!, y!, 9);
    expect(wkbToGeometry(ewkbPolygonZ.done())).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    expect(wkbType(ewkbPolygonZ.done().slice(0, 5))).toBe('Polygon'); // the SRID after the type is not needed
  });

  it('reads parts whose byte order differs from the collection, and Z parts in a MultiPoint Z', () => {
    const mixed = new Bytes().order(true).u32(4).u32(2).order(false).u32(1).f64(1, 2).order(true).u32(1001).f64(3, 4, 5).done();
    expect(wkbToGeometry(mixed)).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    expect(wkbToGeometry(geometryToWkb({ type: 'MultiPoint', coordinates: [[1, 2, 3], [4, 5, 6]] }))).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [4, 5]] });
  });

  it('empty geometries are null: POINT EMPTY (NaN), zero points, zero parts; empty parts are dropped', () => {
    expect(wkbToGeometry(new Bytes().order().u32(1).f64(NaN, NaN).done())).toBeNull();
    expect(wkbToGeometry(new Bytes().order().u32(2).u32(0).done())).toBeNull();
    expect(wkbToGeometry(new Bytes().order().u32(3).u32(0).done())).toBeNull();
    expect(wkbToGeometry(new Bytes().order().u32(6).u32(0).done())).toBeNull();
    expect(wkbToGeometry(new Bytes().order().u32(7).u32(0).done())).toBeNull();
    const somePoints = new Bytes().order().u32(4).u32(2).order().u32(1).f64(NaN, NaN).order().u32(1).f64(117, 36.6).done();
    expect(wkbToGeometry(somePoints)).toEqual({ type: 'MultiPoint', coordinates: [[117, 36.6]] });
    // An empty shell with a hole is empty, not the hole filled in.
    const shellless = new Bytes().order().u32(3).u32(2).u32(0).u32(4).f64(0, 0, 1, 0, 1, 1, 0, 0).done();
    expect(wkbToGeometry(shellless)).toBeNull();
    expect(wkbSummary(new Bytes().order().u32(1).f64(NaN, NaN).done())).toBe('POINT EMPTY');
  });

  it('a value cut short anywhere throws an Error that says WKB and where, never a RangeError', () => {
    for (const g of SHAPES) {
      const full = geometryToWkb(g);
      for (let n = 0; n < full.length; n++) {
        let err: unknown;
        try {
          wkbToGeometry(full.slice(0, n));
        } catch (e) {
          err = e;
        }
        expect(err, `${g.type} cut to ${n} of ${full.length} bytes`).toBeInstanceOf(Error);
        expect(err).not.toBeInstanceOf(RangeError);
        expect((err as Error).message).toMatch(/WKB/);
      }
    }
    expect(() => wkbToGeometry(geometryToWkb(SHAPES[2]!).slice(0, 40))).toThrow('WKB is truncated or corrupt: 5 points need at least 80 bytes at byte 13, and 27 are left');
  });

  it('hostile counts and nesting fail fast, before allocating', () => {
    const started = performance.now();
    expect(() => wkbToGeometry(new Bytes().order().u32(2).u32(0xffffffff).f64(1, 2).done())).toThrow(/4294967295 points need at least/);
    expect(() => wkbToGeometry(new Bytes().order().u32(3).u32(0xfffffffe).done())).toThrow(/rings/);
    expect(() => wkbToGeometry(new Bytes().order().u32(7).u32(0x7fffffff).done())).toThrow(/parts/);
    expect(() => wkbToGeometry(new Bytes().order().u32(6).u32(1).order().u32(3).u32(0x10000000).done())).toThrow(/rings/);
    const deep = new Bytes();
    for (let i = 0; i < 5000; i++) deep.order().u32(7).u32(1);
    deep.order().u32(1).f64(1, 2);
    expect(() => wkbToGeometry(deep.done())).toThrow(/nests collections more than 32 deep/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('says what is wrong with bytes that are not WKB', () => {
    expect(() => wkbToGeometry(new Uint8Array(0))).toThrow('WKB is empty (0 bytes)');
    expect(() => wkbToGeometry(new TextEncoder().encode('POINT (117 36)'))).toThrow(/byte order \(0 or 1\), and is 80/);
    expect(() => wkbToGeometry(new Bytes().order().u32(17).done())).toThrow(/unknown geometry type 17/);
    expect(() => wkbToGeometry(new Bytes().order().u32(4001).f64(1, 2).done())).toThrow(/unknown geometry type 4001/);
    expect(() => wkbToGeometry(new Uint8Array([...geometryToWkb(SHAPES[0]!), 0]))).toThrow(/1 bytes left over after the Point/);
    expect(() => wkbToGeometry(new Bytes().order().u32(6).u32(1).order().u32(1).f64(1, 2).done())).toThrow(/MultiPolygon holds a Point/);
    expect(() => wkbToGeometry(new Bytes().order().u32(2).u32(2).f64(1, 2, Infinity, 3).done())).toThrow(/line point 2 has a coordinate that is not a finite number/);
    expect(() => wkbToGeometry(new Bytes().order().u32(1).f64(NaN, 3).done())).toThrow(/not a finite number/);
    expect(wkbType(new Uint8Array([1, 1, 0]))).toBeNull();
    expect(wkbType(new Uint8Array([7, 1, 0, 0, 0]))).toBeNull();
  });

  it('summarises a value for the preview instead of showing its bytes', () => {
    expect(wkbSummary(geometryToWkb(SHAPES[0]!))).toBe('POINT (117.02 36.65)');
    expect(wkbSummary(geometryToWkb(SHAPES[2]!))).toBe('POLYGON, 2 rings, 9 points (WKB 161 bytes)');
    expect(wkbSummary(geometryToWkb(SHAPES[5]!))).toBe('MULTIPOLYGON, 2 parts (WKB 247 bytes)');
    expect(wkbSummary(geometryToWkb(SHAPES[0]!).slice(0, 15))).toBe('WKB 15 bytes: unreadable');
  });
});
