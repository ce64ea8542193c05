/**
 * Overpass: the queries (bbox order!), the facility tag rules, ring assembly,
 * and the three recorded responses in tests/fixtures/live/.
 */
import { readFileSync } from 'node:fs';
import { area, booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { FACILITY_TYPES } from '../standards/lifeCircle';
import { ConnectorError } from './http';
import {
  assembleRings,
  facilityTypes,
  multipolygonFrom,
  OSM_FACILITY_TYPE_IDS,
  overpassQuery,
  overpassUrl,
  parseOverpass,
  type BBox,
} from './overpass';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../tests/fixtures/live/${name}`, import.meta.url), 'utf8'));

const byId = (fs: Feature[]) => new Map(fs.map((f) => [String(f.properties!.id), f]));

function signedArea(r: Position[]): number {
  let a = 0;
  for (let i = 0; i < r.length - 1; i++) a += r[i]![0]! * r[i + 1]![1]! - r[i + 1]![0]! * r[i]![1]!;
  return a / 2;
}

function expectConnectorError(fn: () => unknown, code: string): ConnectorError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).code).toBe(code);
    return e as ConnectorError;
  }
  throw new Error(`expected ConnectorError ${code}`);
}

describe('overpassQuery', () => {
  const bbox: BBox = [117.0, 36.6, 117.1, 36.7]; // [w, s, e, n]

  it('puts the bbox on every statement in Overpass order (south, west, north, east)', () => {
    for (const theme of ['parks', 'facilities', 'network'] as const) {
      const q = overpassQuery(theme, bbox);
      const statements = q.split('\n').filter((l) => /^\s+(way|relation|node|nwr)\[/.test(l));
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) expect(s.trim().endsWith('(36.6,117,36.7,117.1);')).toBe(true);
      expect(q).not.toContain('(117,36.6'); // the GeoJSON order would be a box in Antarctica-Siberia
    }
  });

  it('asks for JSON with a server timeout and inline geometry', () => {
    expect(overpassQuery('parks', bbox)).toMatch(/^\[out:json\]\[timeout:90\];/);
    expect(overpassQuery('facilities', bbox)).toMatch(/^\[out:json\]\[timeout:120\];/);
    expect(overpassQuery('network', bbox)).toMatch(/^\[out:json\]\[timeout:180\];/);
    for (const theme of ['parks', 'facilities', 'network'] as const) expect(overpassQuery(theme, bbox).trim().endsWith('out geom;')).toBe(true);
  });

  it('parks: park/garden/nature_reserve and recreation grounds, as ways and multipolygon relations, not private ones', () => {
    const q = overpassQuery('parks', bbox);
    expect(q).toContain('way["leisure"~"^(park|garden|nature_reserve)$"]["access"!~"^(private|no)$"]');
    expect(q).toContain('relation["type"="multipolygon"]["leisure"~"^(park|garden|nature_reserve)$"]');
    expect(q).toContain('["landuse"~"^(recreation_ground|village_green)$"]');
    expect(q).not.toMatch(/\bnode\[/);
  });

  it('facilities: the tags the type rules read', () => {
    const q = overpassQuery('facilities', bbox);
    for (const part of ['kindergarten', 'school', 'clinic', 'hospital', 'social_facility', 'community_centre', 'marketplace', 'bus_station']) expect(q).toContain(part);
    expect(q).toContain('nwr["shop"~"^(convenience|supermarket)$"]');
    expect(q).toContain('node["highway"="bus_stop"]');
    expect(q).toContain('nwr["railway"~"^(station|halt|subway_entrance)$"]');
    expect(q).toContain('nwr["leisure"~"^(fitness_station|pitch|sports_centre|stadium)$"]');
    expect(q).toContain('nwr["office"="government"]');
  });

  it('network: walkable highways only, no motorway or trunk, no foot=no, no area outlines', () => {
    const q = overpassQuery('network', bbox);
    const values = /"highway"~"\^\(([^)]*)\)\$"/.exec(q)![1]!.split('|');
    for (const v of ['footway', 'path', 'pedestrian', 'steps', 'living_street', 'residential', 'service', 'unclassified', 'tertiary', 'secondary', 'primary', 'cycleway', 'track']) {
      expect(values).toContain(v);
    }
    expect(values.some((v) => /motorway|trunk/.test(v))).toBe(false);
    expect(q).toContain('["foot"!~"^(no|private)$"]');
    expect(q).toContain('["area"!="yes"]');
  });

  it('refuses a bbox that is not [w, s, e, n] in degrees', () => {
    expectConnectorError(() => overpassQuery('parks', [36.6, 117.0, 36.7, 117.1] as BBox), 'bad-input'); // lat/lon swapped
    expectConnectorError(() => overpassQuery('parks', [117.1, 36.6, 117.0, 36.7]), 'bad-input'); // west > east
    expectConnectorError(() => overpassQuery('parks', [117.0, 36.6, 117.1, Number.NaN]), 'bad-input');
    expectConnectorError(() => overpassQuery('parks', [117.0, 36.6, 117.1] as unknown as BBox), 'bad-input');
  });

  it('overpassUrl carries the query intact', () => {
    const q = overpassQuery('network', bbox);
    const u = new URL(overpassUrl(q));
    expect(u.origin + u.pathname).toBe('https://overpass-api.de/api/interpreter');
    expect(u.searchParams.get('data')).toBe(q);
  });
});

describe('facilityTypes', () => {
  const cases: [Record<string, string>, string[]][] = [
    [{ amenity: 'kindergarten' }, ['kindergarten']],
    [{ amenity: 'childcare', name: '托育中心' }, ['kindergarten']],
    [{ amenity: 'school', name: '历下区实验小学' }, ['primary_school']],
    [{ amenity: 'school', name: '济南第十二中学' }, ['junior_middle_school']],
    [{ amenity: 'school', name: '济南市第一高级中学' }, []],
    [{ amenity: 'school', name: '青岛二中分校高中部' }, []],
    [{ amenity: 'school', name: '宁波市九年一贯制学校' }, ['primary_school', 'junior_middle_school']],
    [{ amenity: 'school', name: '深圳实验学校' }, []],
    [{ amenity: 'school', name: '某某小学', 'isced:level': '2' }, ['junior_middle_school']], // isced decides over the name
    [{ amenity: 'school', 'isced:level': '1;2' }, ['primary_school', 'junior_middle_school']],
    [{ amenity: 'school', 'isced:level': '3' }, []],
    [{ amenity: 'school', name: 'Qingdao No. 7 Middle School' }, ['junior_middle_school']],
    [{ amenity: 'clinic', name: '社区卫生服务站' }, ['health_station']],
    [{ amenity: 'doctors' }, ['health_station']],
    [{ amenity: 'clinic', name: '马山镇卫生院' }, ['health_centre']],
    [{ healthcare: 'centre', name: '金门路街道社区卫生服务中心' }, ['health_centre']],
    [{ amenity: 'hospital' }, ['health_centre']],
    [{ amenity: 'social_facility', social_facility: 'nursing_home' }, ['elderly_home']],
    [{ amenity: 'social_facility', social_facility: 'day_care', 'social_facility:for': 'senior' }, ['elderly_daycare']],
    [{ amenity: 'social_facility', social_facility: 'day_care' }, []], // for whom? could be children
    [{ amenity: 'social_facility', social_facility: 'group_home', 'social_facility:for': 'disabled' }, []],
    [{ amenity: 'social_facility', name: '儿童福利院' }, []],
    [{ amenity: 'social_facility', name: '社区老年人日间照料中心' }, ['elderly_daycare']],
    [{ amenity: 'nursing_home', name: '敬老院' }, ['elderly_home']],
    [{ amenity: 'community_centre' }, ['culture_centre']],
    [{ amenity: 'community_centre', name: '八大关社区党群服务中心' }, ['community_service']],
    [{ amenity: 'community_centre', name: '南山街道便民服务中心' }, ['street_service_centre']],
    [{ amenity: 'arts_centre' }, ['culture_centre']],
    [{ office: 'government', name: '八大关街道办事处' }, ['street_service_centre']],
    [{ amenity: 'townhall', name: '东城社区居民委员会' }, ['community_service']],
    [{ office: 'government', name: '市南区税务局' }, []],
    [{ shop: 'convenience' }, ['convenience_shop']],
    [{ amenity: 'marketplace' }, ['market']],
    [{ shop: 'supermarket' }, ['market']],
    [{ highway: 'bus_stop' }, ['bus_stop']],
    [{ railway: 'station', station: 'subway' }, ['transit_station']],
    [{ railway: 'subway_entrance' }, ['transit_station']],
    [{ public_transport: 'station' }, ['transit_station']],
    [{ amenity: 'bus_station' }, ['transit_station']],
    [{ leisure: 'fitness_station' }, ['fitness_small']],
    [{ leisure: 'pitch', sport: 'basketball' }, ['fitness_small']],
    [{ leisure: 'sports_centre' }, ['sports_mid']],
    [{ leisure: 'stadium' }, ['sports_large']],
    [{ building: 'yes' }, []],
  ];
  for (const [tags, want] of cases) {
    it(`${JSON.stringify(tags)} → ${want.join(', ') || 'none'}`, () => {
      expect(facilityTypes(tags).sort()).toEqual([...want].sort());
    });
  }

  it('can produce exactly the facility type ids of the standard, and the table above reaches each', () => {
    expect([...OSM_FACILITY_TYPE_IDS].sort()).toEqual(FACILITY_TYPES.map((t) => t.id).sort());
    const reached = new Set(cases.flatMap(([tags]) => facilityTypes(tags)));
    expect([...reached].sort()).toEqual([...OSM_FACILITY_TYPE_IDS].sort());
  });
});

describe('ring assembly', () => {
  const A = [0, 0];
  const B = [1, 0];
  const C = [1, 1];
  const D = [0, 1];

  it('joins pieces end to end, turning the ones that run backwards', () => {
    const { rings, open } = assembleRings([
      [A, B],
      [D, C], // backwards
      [B, C],
      [D, A],
    ]);
    expect(open).toBe(0);
    expect(rings).toHaveLength(1);
    expect(rings[0]).toHaveLength(5);
    expect(rings[0]![0]).toEqual(rings[0]![4]);
    expect(new Set(rings[0]!.map((p) => p.join()))).toEqual(new Set([A, B, C, D].map((p) => p.join())));
  });

  it('a chain that cannot close is one dropped piece however many ways it has; a closed way is a ring alone', () => {
    expect(assembleRings([[B, C], [A, B], [C, D]])).toEqual({ rings: [], open: 1 });
    const r = assembleRings([[A, B, C, A], [[5, 5], [6, 5]]]);
    expect(r.rings).toHaveLength(1);
    expect(r.open).toBe(1);
  });

  it('assigns each hole to the outer ring holding it and winds rings per RFC 7946', () => {
    const big = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]; // clockwise as given
    const small = [[20, 0], [22, 0], [22, 2], [20, 2], [20, 0]];
    const hole = [[21, 0.5], [21.5, 0.5], [21.5, 1], [21, 0.5]]; // counter-clockwise as given, inside `small`
    const { geometry, dropped } = multipolygonFrom([big, small], [hole]);
    expect(dropped).toBe(0);
    const mp = geometry as MultiPolygon;
    expect(mp.type).toBe('MultiPolygon');
    const withHole = mp.coordinates.find((p) => p.length === 2)!;
    expect(withHole[0]!.some((p) => p[0] === 22)).toBe(true);
    for (const poly of mp.coordinates) {
      expect(signedArea(poly[0]!)).toBeGreaterThan(0);
      for (const h of poly.slice(1)) expect(signedArea(h)).toBeLessThan(0);
    }
  });
});

describe('parseOverpass: parks (Jinan)', () => {
  const r = parseOverpass(fixture('overpass-parks-jinan.json'), 'parks');
  const f = byId(r.features.features);

  it('keeps the usable parks and counts the rest', () => {
    expect([...f.keys()].sort()).toEqual(['relation/2958101', 'relation/2958103', 'way/228410040', 'way/228410041', 'way/228410043']);
    expect(r.skipped).toBe(3); // unclosable relation, unclosed way, string latitude
    expect(r.unmapped).toBe(0);
    expect(r.droppedRings).toBe(3); // two open pieces of the broken relation + one hole outside its outer ring
  });

  it('properties are exactly id, name, category, value, time; category is the OSM value', () => {
    for (const feat of r.features.features) expect(Object.keys(feat.properties!)).toEqual(['id', 'name', 'category', 'value', 'time']);
    expect(f.get('way/228410040')!.properties).toEqual({ id: 'way/228410040', name: '趵突泉公园', category: 'park', value: null, time: null });
    expect(f.get('way/228410043')!.properties!.category).toBe('recreation_ground');
    expect(f.get('relation/2958103')!.properties!.category).toBe('nature_reserve');
  });

  it('keeps a hostile name as the plain string it is', () => {
    expect(f.get('way/228410041')!.properties!.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('assembles 大明湖 from three outer ways and a two-way hole', () => {
    const g = f.get('relation/2958101')!.geometry as Polygon;
    expect(g.type).toBe('Polygon');
    expect(g.coordinates).toHaveLength(2);
    const [outer, hole] = g.coordinates as [Position[], Position[]];
    expect(outer).toHaveLength(7); // 3 + 2 + 2 positions, closed
    expect(outer[0]).toEqual(outer[6]);
    expect(hole).toHaveLength(5);
    expect(signedArea(outer)).toBeGreaterThan(0);
    expect(signedArea(hole)).toBeLessThan(0);
    const feature = f.get('relation/2958101') as Feature<Polygon>;
    expect(booleanPointInPolygon(point([117.0255, 36.6752]), feature)).toBe(false); // in the hole
    expect(booleanPointInPolygon(point([117.0200, 36.6720]), feature)).toBe(true); // in the park
    const holeArea = area({ type: 'Polygon', coordinates: [[...hole].reverse()] });
    const outerArea = area({ type: 'Polygon', coordinates: [outer] });
    expect(area(feature)).toBeCloseTo(outerArea - holeArea, 0);
  });

  it('keeps the polygon of a relation whose hole lies outside it, without the hole', () => {
    const g = f.get('relation/2958103')!.geometry as Polygon;
    expect(g.type).toBe('Polygon');
    expect(g.coordinates).toHaveLength(1);
  });

  it('coordinates are [lon, lat] (WGS-84, unchanged)', () => {
    const g = f.get('way/228410040')!.geometry as Polygon;
    expect(g.coordinates[0]![0]).toEqual([117.0098, 36.6601]);
  });
});

describe('parseOverpass: facilities (Qingdao)', () => {
  const r = parseOverpass(fixture('overpass-facilities-qingdao.json'), 'facilities');
  const f = byId(r.features.features);

  it('one point per facility and type; counts the unmapped and the broken', () => {
    expect(r.features.features).toHaveLength(24);
    expect(r.unmapped).toBe(2); // senior high school, tax office
    expect(r.skipped).toBe(2); // no tags, latitude 136
    for (const feat of r.features.features) {
      expect(feat.geometry.type).toBe('Point');
      expect(Object.keys(feat.properties!)).toEqual(['id', 'name', 'category', 'value', 'time']);
    }
    expect(new Set(r.features.features.map((x) => x.properties!.id)).size).toBe(24);
  });

  it('covers every life-circle facility type', () => {
    expect([...new Set(r.features.features.map((x) => x.properties!.category))].sort()).toEqual(FACILITY_TYPES.map((t) => t.id).sort());
  });

  it('a school for both levels gives two points with suffixed ids', () => {
    expect(f.get('node/6100000004#primary_school')!.properties!.category).toBe('primary_school');
    expect(f.get('node/6100000004#junior_middle_school')!.properties!.category).toBe('junior_middle_school');
    expect(f.has('node/6100000003')).toBe(false);
  });

  it('areas become points inside them: a closed way and a two-way multipolygon', () => {
    const school = f.get('way/610000101') as Feature<Point>;
    expect(school.properties!.category).toBe('primary_school');
    const [x, y] = school.geometry.coordinates as [number, number];
    expect(x).toBeCloseTo(120.3756, 4);
    expect(y).toBeCloseTo(36.06648, 4);
    const rel = f.get('relation/13200001') as Feature<Point>;
    expect(rel.properties!.category).toBe('junior_middle_school');
    expect(rel.geometry.coordinates[0]).toBeCloseTo(120.387, 4);
    expect(rel.geometry.coordinates[1]).toBeCloseTo(36.0748, 4);
  });

  it('names stay plain text, or null when there is none', () => {
    expect(f.get('node/6100000008')!.properties!.name).toBe('<img src=x onerror=alert(1)>');
    expect(f.get('node/6100000013')!.properties!.name).toBeNull();
    expect(f.get('node/6100000012')!.properties).toMatchObject({ name: '中山公园', category: 'transit_station' });
  });
});

describe('parseOverpass: walking network (Ningbo)', () => {
  const r = parseOverpass(fixture('overpass-network-ningbo.json'), 'network');
  const f = byId(r.features.features);

  it('walkable ways as LineStrings, category the highway value', () => {
    expect([...f.keys()].sort()).toEqual(['way/31000001', 'way/31000002', 'way/31000003', 'way/31000004', 'way/31000005', 'way/31000007']);
    expect(f.get('way/31000003')!.properties!.category).toBe('steps');
    expect(f.get('way/31000005')!.properties).toEqual({ id: 'way/31000005', name: '中山东路', category: 'primary', value: null, time: null });
    for (const feat of r.features.features) expect(feat.geometry.type).toBe('LineString');
    expect((f.get('way/31000001')!.geometry as LineString).coordinates).toEqual([
      [121.553, 29.87],
      [121.5535, 29.8703],
      [121.5541, 29.8705],
    ]);
    expect(r.skipped).toBe(2); // the one-point way, the stray node
    expect(r.unmapped).toBe(1); // the motorway
  });

  it('caps a long hostile name at 200 code points, as text', () => {
    const name = f.get('way/31000004')!.properties!.name as string;
    expect(Array.from(name)).toHaveLength(200);
    expect(name.startsWith('<script>alert(1)</script>天一广场步行街')).toBe(true);
    expect(name.endsWith('…')).toBe(true);
  });

  it('a clipped geometry (null entries) is split, never joined across the gap', () => {
    const json = {
      elements: [
        {
          type: 'way',
          id: 7,
          tags: { highway: 'footway' },
          geometry: [{ lat: 29.1, lon: 121.1 }, { lat: 29.2, lon: 121.2 }, null, null, { lat: 29.5, lon: 121.5 }, { lat: 29.6, lon: 121.6 }, null, { lat: 29.9, lon: 121.9 }],
        },
      ],
    };
    const out = parseOverpass(json, 'network');
    expect(out.features.features.map((x) => x.properties!.id)).toEqual(['way/7#1', 'way/7#2']);
    expect((out.features.features[1]!.geometry as LineString).coordinates).toEqual([
      [121.5, 29.5],
      [121.6, 29.6],
    ]);
  });
});

describe('parseOverpass: untrusted answers', () => {
  it('skips garbage elements without throwing', () => {
    const json = {
      elements: [
        null,
        'way',
        42,
        { type: 'way', id: -1, tags: { highway: 'footway' }, geometry: [{ lat: 1, lon: 1 }, { lat: 2, lon: 2 }] },
        { type: 'way', id: 1.5, tags: { highway: 'footway' }, geometry: [{ lat: 1, lon: 1 }, { lat: 2, lon: 2 }] },
        { type: 'area', id: 3, tags: { highway: 'footway' } },
        { type: 'way', id: 4, tags: { highway: 'footway' }, geometry: 'nope' },
        { type: 'way', id: 5, tags: { highway: 'footway', name: { toString: 'x' } }, geometry: [{ lat: 1, lon: 1 }, { lat: 2, lon: 2 }] },
        { type: 'way', id: 6, tags: [], geometry: [{ lat: 1, lon: 1 }, { lat: 2, lon: 2 }] },
        { type: 'way', id: 8, tags: { highway: 'footway' }, geometry: [{ lat: 1, lon: 1 }, { lat: 2, lon: 200 }] },
      ],
    };
    const out = parseOverpass(json, 'network');
    expect(out.features.features.map((x) => x.properties!.id)).toEqual(['way/5']);
    expect(out.features.features[0]!.properties!.name).toBeNull(); // a non-string tag is no tag
    expect(out.skipped).toBe(9);
    expect(() => parseOverpass(json, 'parks')).not.toThrow();
    expect(() => parseOverpass(json, 'facilities')).not.toThrow();
  });

  it('a relation with broken member geometry is skipped, its broken members counted', () => {
    const json = {
      elements: [
        {
          type: 'relation',
          id: 9,
          tags: { type: 'multipolygon', leisure: 'park' },
          members: [{ type: 'way', ref: 1, role: 'outer', geometry: [{ lat: 'x', lon: 1 }] }, { type: 'way', ref: 2, role: 'outer' }],
        },
      ],
    };
    const out = parseOverpass(json, 'parks');
    expect(out.features.features).toHaveLength(0);
    expect(out.skipped).toBe(1);
    expect(out.droppedRings).toBe(2);
  });

  it('not Overpass JSON at all: bad-response', () => {
    expectConnectorError(() => parseOverpass([], 'parks'), 'bad-response');
    expectConnectorError(() => parseOverpass({ elements: {} }, 'parks'), 'bad-response');
    expectConnectorError(() => parseOverpass('<osm/>', 'parks'), 'bad-response');
  });

  it('a runtime-error remark (partial answer) is "incomplete", not a smaller park layer', () => {
    const json = { ...(fixture('overpass-parks-jinan.json') as object), remark: 'runtime error: Query timed out in "query" at line 3 after 91 seconds.' };
    const err = expectConnectorError(() => parseOverpass(json, 'parks'), 'incomplete');
    expect(err.en).toContain('timed out');
    expect(err.en).toContain('smaller area');
  });
});
