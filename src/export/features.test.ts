import { describe, expect, it } from 'vitest';
import { commentSafe, featureCollection, featuresCsv, representativePoint, type ExportedLayer } from './features';

const HOSTILE = "=cmd|' /C calc'!A0";
const meta = { city: '深圳 Shenzhen (shenzhen)', time: '2025-12-31T23', exportedAt: '2026-01-01T00:00:00.000Z', appUrl: 'http://127.0.0.1/?city=shenzhen' };
const parks: ExportedLayer = {
  id: 'parks',
  name: '公园绿地',
  filter: 'all features',
  provenance: [{ dataset: 'parks', source: 'Civic Atlas data model', license: 'CC0-1.0', vintage: 2025, modelled: true }],
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[114, 22], [114.2, 22], [114.2, 22.4], [114, 22]]] }, properties: { id: 'p1', name: HOSTILE, area_m2: 1234.5, pocket: true } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [114.1, 22.5] }, properties: { id: 'p2', name: '莲花山公园, "北区"', area_m2: -3, pocket: false } },
  ],
};
const air: ExportedLayer = {
  id: 'air',
  name: 'Air',
  filter: 'hourly values',
  provenance: [{ dataset: 'stations', source: 'CNEMC', license: 'public', vintage: 2022, modelled: false }],
  features: [{ type: 'Feature', geometry: null, properties: { id: 's1', aqi: 42, extra: { a: 1 } } }],
};

describe('GeoJSON export', () => {
  it('carries provenance in a top-level civicAtlas member and names each feature’s layer', () => {
    const fc = featureCollection([parks, air], meta);
    const back = JSON.parse(JSON.stringify(fc)) as typeof fc & { civicAtlas: { modelled: boolean; layers: { id: string; count: number; provenance: { license: string; modelled: boolean }[] }[] } };
    expect(back.type).toBe('FeatureCollection');
    expect(back.features).toHaveLength(3);
    expect(back.features.map((f) => f.properties!.layer)).toEqual(['parks', 'parks', 'air']);
    expect(back.features[0]!.properties!.name).toBe(HOSTILE);
    expect(back.civicAtlas.modelled).toBe(true);
    expect(back.civicAtlas.layers.map((l) => [l.id, l.count])).toEqual([['parks', 2], ['air', 1]]);
    expect(back.civicAtlas.layers[0]!.provenance[0]).toMatchObject({ license: 'CC0-1.0', modelled: true });
    expect(back.civicAtlas).toMatchObject({ crs: 'WGS84 (EPSG:4326)', time: '2025-12-31T23' });
  });
});

describe('CSV export', () => {
  const csv = featuresCsv([parks, air], meta);
  const lines = csv.split('\r\n');

  it('starts with provenance comment lines, then one header of every property', () => {
    const comments = lines.filter((l) => l.startsWith('#'));
    expect(comments.length).toBeGreaterThanOrEqual(5);
    expect(comments.join('\n')).toMatch(/parks.*CC0-1\.0.*MODELLED/);
    expect(comments.join('\n')).toMatch(/stations: CNEMC; licence public; vintage 2022; measured/);
    expect(lines[comments.length]).toBe('layer,id,name,area_m2,pocket,aqi,extra,lon,lat');
  });

  it('says when a planner’s file has no declared vintage or modelled flag, rather than calling it measured', () => {
    const own = { ...air, id: 'user-user__schools', name: 'Your data: schools.csv', provenance: [{ dataset: 'user__schools', source: 'file imported by the user, schools.csv', license: 'supplied by the user', vintage: null, modelled: null }] };
    const text = featuresCsv([own], meta);
    expect(text).toContain('#   user__schools: file imported by the user， schools.csv; licence supplied by the user; vintage unknown; not declared (supplied by the user)');
    expect(text).not.toContain('measured/surveyed');
  });

  it('neutralises formula injection with a leading apostrophe and quotes what needs it', () => {
    expect(csv).toContain(`parks,p1,'${HOSTILE},1234.5,true,,,114.1,22.2`);
    expect(csv).toContain('parks,p2,"莲花山公园, ""北区""",-3,false,,,114.1,22.5');
    expect(csv).toContain('air,s1,,,,42,"{""a"":1}",,');
    expect(csv).not.toMatch(/(^|,)=cmd/m);
  });

  it('keeps a hostile layer name inside its comment line', () => {
    const evil = { ...parks, name: `x,${HOSTILE}\r\n=1+1;@SUM(A1)`, features: [] };
    const out = featuresCsv([evil], meta).split('\r\n');
    const line = out.find((l) => l.startsWith('# parks'))!;
    expect(line).not.toContain(',');
    expect(out.filter((l) => l && !l.startsWith('#'))).toEqual(['layer,lon,lat']);
    expect(commentSafe('a; =1+1')).toBe("a; '=1+1");
    // The app's address stays usable: its commas are percent-encoded, not swapped for fullwidth ones.
    expect(featuresCsv([], { ...meta, appUrl: 'http://x/?layers=parks,air' })).toContain('# http://x/?layers=parks%2Cair\r\n');
  });
});

describe('representativePoint', () => {
  it('is the point itself or the centre of the bounding box', () => {
    expect(representativePoint({ type: 'Point', coordinates: [1, 2] })).toEqual([1, 2]);
    expect(representativePoint({ type: 'MultiPolygon', coordinates: [[[[0, 0], [2, 0], [2, 4], [0, 0]]], [[[10, 10], [12, 10], [12, 12], [10, 10]]]] })).toEqual([6, 6]);
    expect(representativePoint(null)).toBeNull();
  });
});
