/**
 * A small synthetic city (about 12 × 10 km, two districts, one river) for
 * testing the data generators quickly, without the boundary package.
 */
import type { CityCfg } from '../../scripts/data/cities.ts';
import type { CityLand, District } from '../../scripts/data/boundaries.ts';
import { IndexedArea, LocalFrame, multiBBox, type MultiPoly, type Pt } from '../../scripts/data/geo.ts';
import { makeHillness } from '../../scripts/data/terrain.ts';
import { applyScale, buildPopulation } from '../../scripts/data/population.ts';
import { makeContext, type CityContext } from '../../scripts/data/context.ts';
import * as turf from '@turf/turf';

const LON0 = 120.0;
const LAT0 = 30.0;
const DLON = 0.062; // ≈ 6 km
const DLAT = 0.09; // ≈ 10 km

function square(w: number, s: number, e: number, n: number): MultiPoly {
  return [
    [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  ];
}

export function syntheticCity(overrides: Partial<CityCfg> = {}): CityCfg {
  return {
    id: 'testville',
    code: 'TV',
    name: { zh: '测试市', en: 'Testville' },
    files: [],
    districts: [
      { source: '西区', name: '西区', nameEn: 'Xi', slug: 'xi', cls: 'core', streetAngle: 0 },
      { source: '东区', name: '东区', nameEn: 'Dong', slug: 'dong', cls: 'urban', streetAngle: 20 },
    ],
    coastal: false,
    neighbours: [],
    landBoxes: [],
    rivers: [
      {
        name: '测试河',
        nameEn: 'Test River',
        points: [
          [LON0 - 0.01, LAT0 + 0.045],
          [LON0 + 0.06, LAT0 + 0.05],
          [LON0 + 2 * DLON + 0.01, LAT0 + 0.043],
        ],
      },
    ],
    uplands: [{ name: '测试山', lon: LON0 + 0.1, lat: LAT0 + 0.085, radiusKm: 2, strength: 0.9 }],
    stations: 4,
    air: {
      north: true,
      pm25Base: 40,
      pmSeasonAmp: 0.5,
      pmRatio: 0.55,
      o3Base: 70,
      o3SeasonAmp: 0.4,
      o3PeakDay: 165,
      no2Base: 32,
      so2Base: 10,
      coBase: 0.8,
      synopticSigma: 0.4,
      synopticTauH: 60,
      o3ShareOfBadDays: 0.3,
      goodDayTarget: 0.8,
      goodDayNote: 'test',
    },
    restoration: { count: 12, weights: { mountain: 0.3, river: 0.3, wetland: 0.2, brownfield: 0.2 } },
    parks: {},
    citations: { parks: [], restoration: [], air: [], population: [], lifecircle: [] },
    ...overrides,
  };
}

export function syntheticLand(cfg: CityCfg): CityLand {
  const geoms = [square(LON0, LAT0, LON0 + DLON, LAT0 + DLAT), square(LON0 + DLON, LAT0, LON0 + 2 * DLON, LAT0 + DLAT)];
  const districts: District[] = cfg.districts.map((dc, i) => {
    const geom = geoms[i] as MultiPoly;
    const bb = multiBBox(geom);
    const c: Pt = [(bb[0] + bb[2]) / 2, (bb[1] + bb[3]) / 2];
    return {
      cfg: dc,
      id: `${cfg.id}-${dc.slug}`,
      geom,
      area: new IndexedArea(geom),
      areaKm2: turf.area(turf.multiPolygon(geom)) / 1e6,
      label: c,
      centre: c,
    };
  });
  const all = districts.flatMap((d) => d.geom);
  const bbox = multiBBox(all);
  return {
    districts,
    land: new IndexedArea(all),
    bbox,
    frame: new LocalFrame((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2),
    coast: [],
  };
}

/** Context with population scaled to `total` residents. */
export function syntheticContext(total = 400_000, overrides: Partial<CityCfg> = {}): CityContext {
  const cfg = syntheticCity(overrides);
  const land = syntheticLand(cfg);
  const hill = makeHillness(cfg, land.frame);
  const pop = buildPopulation(cfg, land, hill);
  let raw = 0;
  for (let i = 0; i < pop.rawDensity.length; i++) raw += (pop.rawDensity[i] as number) * 0.25;
  applyScale(pop, total / raw, total);
  return makeContext(cfg, land, hill, pop);
}
