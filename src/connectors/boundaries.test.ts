/**
 * DataV boundaries: adcodes of the catalog's cities, the URL, and the
 * recorded GCJ-02 answer converted to WGS-84 (checked on a published
 * reference pair and by shifting back).
 */
import { readFileSync } from 'node:fs';
import gcoord from 'gcoord';
import type { MultiPolygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { expectNear, metres } from '../catalog/crsTestHelpers';
import { CITY_ADCODES, datavUrl, parseDataV, resolveAdcode } from './boundaries';
import { ConnectorError } from './http';

const root = new URL('../../', import.meta.url);
const fixture = (): unknown => JSON.parse(readFileSync(new URL('tests/fixtures/live/datav-370200_full.json', root), 'utf8'));

function connectorError(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
}

describe('adcodes and URL', () => {
  it('has an adcode for exactly the catalog cities', () => {
    const catalog = JSON.parse(readFileSync(new URL('data/catalog.json', root), 'utf8')) as { cities: { id: string }[] };
    expect(Object.keys(CITY_ADCODES).sort()).toEqual(catalog.cities.map((c) => c.id).sort());
    expect(CITY_ADCODES).toEqual({ shenzhen: '440300', ningbo: '330200', jinan: '370100', qingdao: '370200' });
  });

  it('resolves a city id or an adcode; refuses anything else', () => {
    expect(resolveAdcode({ city: 'qingdao' })).toBe('370200');
    expect(resolveAdcode({ adcode: 370102 })).toBe('370102');
    expect(resolveAdcode({ adcode: '440305' })).toBe('440305');
    expect(connectorError(() => resolveAdcode({ city: 'beijing' })).code).toBe('bad-input');
    expect(connectorError(() => resolveAdcode({ city: 'toString' })).code).toBe('bad-input');
    expect(connectorError(() => resolveAdcode({ adcode: '37020' })).code).toBe('bad-input');
    expect(connectorError(() => resolveAdcode({ adcode: '370200/../../x' })).code).toBe('bad-input');
  });

  it('asks for the _full file (the districts)', () => {
    expect(datavUrl('370200')).toBe('https://geo.datav.aliyun.com/areas_v3/bound/370200_full.json');
  });
});

describe('parseDataV: the recorded Qingdao answer', () => {
  const r = parseDataV(fixture());
  const byId = new Map(r.features.features.map((f) => [f.properties.id, f]));

  it('keeps the districts with usable polygons, counts the rest', () => {
    expect([...byId.keys()]).toEqual(['370202', '370203', '370211', '370299']);
    expect(r.skipped).toBe(2); // geometry null; a coordinate written as a string
  });

  it('properties: id = adcode, name, category = level, value and time null', () => {
    expect(byId.get('370202')!.properties).toEqual({ id: '370202', name: '市南区', category: 'district', value: null, time: null });
    expect(byId.get('370299')!.properties.name).toBe('<img src=x onerror=alert(1)>');
    for (const f of r.features.features) expect(Object.keys(f.properties)).toEqual(['id', 'name', 'category', 'value', 'time']);
  });

  it('converts GCJ-02 to WGS-84: the drawn round numbers come back, and shifting forward again gives the file', () => {
    const raw = fixture() as { features: { geometry: MultiPolygon }[] };
    const g = byId.get('370202')!.geometry as MultiPolygon;
    expectNear(g.coordinates[0]![0]![0]!, [120.32, 36.06], 2e-6);
    expectNear(g.coordinates[0]![0]![2]!, [120.42, 36.045], 2e-6);
    const original = raw.features[0]!.geometry.coordinates[0]![0]!;
    g.coordinates[0]![0]!.forEach((p: Position, i) => {
      const back = gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.WGS84, gcoord.GCJ02);
      expectNear(back, original[i]!, 1e-6);
      // and the shift itself is the few hundred metres GCJ-02 adds
      const d = metres(p, original[i]!);
      expect(d).toBeGreaterThan(100);
      expect(d).toBeLessThan(700);
    });
    const huangdao = byId.get('370211')!.geometry as MultiPolygon;
    expect(huangdao.coordinates).toHaveLength(2); // the island too
  });

  it('on a published reference pair (gcoord test fixture, 泰安市): GCJ-02 → WGS-84 within 1e-5°', () => {
    const gcj = [117.0876215, 36.2002574];
    const wgs = [117.0815563, 36.2000071];
    const ring = [gcj, [gcj[0]! + 0.01, gcj[1]!], [gcj[0]! + 0.01, gcj[1]! + 0.01], gcj];
    const out = parseDataV({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { adcode: 370900, name: '泰安市', level: 'city' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
    });
    const p = (out.features.features[0]!.geometry.coordinates as Position[][])[0]![0]!;
    expectNear(p, wgs, 1e-5);
    expect(out.features.features[0]!.properties.category).toBe('city');
  });

  it('not a FeatureCollection: bad-response; junk features: skipped', () => {
    expect(connectorError(() => parseDataV({ type: 'Feature' })).code).toBe('bad-response');
    expect(connectorError(() => parseDataV('<html>')).code).toBe('bad-response');
    const out = parseDataV({
      type: 'FeatureCollection',
      features: [
        null,
        { type: 'Feature', properties: null, geometry: null },
        { type: 'Feature', properties: { name: 'no adcode' }, geometry: { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 1]]] } },
        { type: 'Feature', properties: { adcode: 1 }, geometry: { type: 'Point', coordinates: [1, 1] } },
        { type: 'Feature', properties: { adcode: 2 }, geometry: { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [1, 1]]] } },
        { type: 'Feature', properties: { adcode: 3 }, geometry: { type: 'MultiPolygon', coordinates: [] } },
      ],
    });
    expect(out.features.features).toHaveLength(0);
    expect(out.skipped).toBe(6);
  });
});
