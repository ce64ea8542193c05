/**
 * Current district boundaries from Aliyun DataV.GeoAtlas
 * (`https://geo.datav.aliyun.com/areas_v3/bound/{adcode}_full.json`: a
 * city's districts as a FeatureCollection of MultiPolygons). Its coordinates
 * are GCJ-02, so everything is converted to WGS-84 with the catalog's own
 * conversion (src/catalog/crs.ts, gcoord) before anything else sees it.
 *
 * DataV states no open licence: its data is the provider's, under the
 * provider's terms, and its vintage is not stated per file. It is a
 * convenience for the current boundaries (the catalog's may predate a
 * merger), not an authoritative source.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { geojsonToWgs84 } from '../catalog/crs';
import { ConnectorError, isFiniteNumber, isRecord, plainText } from './http';

export const DATAV_ORIGIN = 'https://geo.datav.aliyun.com';

/** The catalog's cities (data/catalog.json `cities[].id`) → their adcodes. */
export const CITY_ADCODES = {
  shenzhen: '440300',
  ningbo: '330200',
  jinan: '370100',
  qingdao: '370200',
} as const satisfies Record<string, string>;
export type CityId = keyof typeof CITY_ADCODES;

export type BoundaryInput = { city: string } | { adcode: string | number };

/** A six-digit adcode from a city id or an adcode; ConnectorError 'bad-input' otherwise. */
export function resolveAdcode(input: BoundaryInput): string {
  if ('city' in input) {
    if (Object.hasOwn(CITY_ADCODES, input.city)) return CITY_ADCODES[input.city as CityId];
    throw new ConnectorError('bad-input', {
      zh: `没有城市“${plainText(input.city, 40) ?? ''}”的行政区划代码。`,
      en: `No adcode is known for the city “${plainText(input.city, 40) ?? ''}”.`,
    });
  }
  const code = String(input.adcode);
  if (!/^[1-9]\d{5}$/.test(code)) {
    throw new ConnectorError('bad-input', {
      zh: '行政区划代码应为 6 位数字，例如 370200。',
      en: 'An adcode is six digits, e.g. 370200.',
    });
  }
  return code;
}

/** The districts of one adcode (the `_full` file: its children, not its outline). */
export function datavUrl(adcode: string): string {
  return `${DATAV_ORIGIN}/areas_v3/bound/${adcode}_full.json`;
}

export interface BoundaryProps {
  id: string;
  name: string | null;
  category: string | null;
  value: null;
  time: null;
}

function isRing(r: unknown): boolean {
  return (
    Array.isArray(r) &&
    r.length >= 4 &&
    r.every((p) => Array.isArray(p) && p.length >= 2 && isFiniteNumber(p[0]) && isFiniteNumber(p[1]) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)
  );
}

const isPolygonCoords = (c: unknown) => Array.isArray(c) && c.length > 0 && c.every(isRing);

/** A Polygon or MultiPolygon whose every ring is usable, with only [x, y] kept. */
function readArea(g: unknown): Polygon | MultiPolygon | null {
  if (!isRecord(g)) return null;
  const xy = (rings: number[][][]) => rings.map((r) => r.map((p) => [p[0]!, p[1]!]));
  if (g.type === 'Polygon' && isPolygonCoords(g.coordinates)) return { type: 'Polygon', coordinates: xy(g.coordinates as number[][][]) };
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates) && g.coordinates.length > 0 && g.coordinates.every(isPolygonCoords)) {
    return { type: 'MultiPolygon', coordinates: (g.coordinates as number[][][][]).map(xy) };
  }
  return null;
}

export interface BoundaryParse {
  features: FeatureCollection<Polygon | MultiPolygon, BoundaryProps>;
  /** Features left out: no adcode, no usable polygon geometry. */
  skipped: number;
}

/**
 * A DataV `_full.json` → WGS-84 features: `id` the adcode, `name`,
 * `category` the DataV level ('district', 'city'…). Throws a ConnectorError
 * only when the answer is not a FeatureCollection.
 */
export function parseDataV(json: unknown): BoundaryParse {
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new ConnectorError('bad-response', {
      zh: 'DataV 的响应不是 GeoJSON FeatureCollection。',
      en: 'The DataV answer is not a GeoJSON FeatureCollection.',
    });
  }
  const kept: Feature<Polygon | MultiPolygon, BoundaryProps>[] = [];
  let skipped = 0;
  for (const f of json.features) {
    const props = isRecord(f) && isRecord(f.properties) ? f.properties : null;
    const id = props ? plainText(props.adcode, 40) : null;
    const geometry = isRecord(f) ? readArea(f.geometry) : null;
    if (!props || !id || !geometry) {
      skipped++;
      continue;
    }
    kept.push({
      type: 'Feature',
      geometry,
      properties: { id, name: plainText(props.name), category: plainText(props.level, 40), value: null, time: null },
    });
  }
  const wgs = geojsonToWgs84({ type: 'FeatureCollection', features: kept }, 'GCJ02');
  return { features: wgs as FeatureCollection<Polygon | MultiPolygon, BoundaryProps>, skipped };
}
