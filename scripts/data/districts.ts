/**
 * The districts dataset: boundary polygons with id, names, area, modelled
 * population and a label point.
 */
import type { CityLand } from './boundaries.ts';
import { multiToGeometry, type Feature } from './geojsonOut.ts';

export function districtFeatures(land: CityLand, pops: number[]): Feature[] {
  return land.districts.map((d, i) => ({
    type: 'Feature',
    properties: {
      id: d.id,
      name: d.cfg.name,
      name_en: d.cfg.nameEn,
      area_km2: Math.round(d.areaKm2 * 10) / 10,
      pop: pops[i] ?? 0,
      label_lon: Math.round(d.label[0] * 1e5) / 1e5,
      label_lat: Math.round(d.label[1] * 1e5) / 1e5,
    },
    geometry: multiToGeometry(d.geom),
  }));
}
