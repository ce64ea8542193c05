/**
 * OpenStreetMap through the Overpass API: parks, life-circle facilities and
 * the walking network of a bounding box, as WGS-84 GeoJSON (OSM is WGS-84:
 * nothing to convert). Query building and parsing only; the request itself
 * is ./http.ts, the wiring ./index.ts.
 *
 * The response is untrusted and OSM data is uneven: one bad element never
 * stops the parse. It is left out and counted in `skipped` (no tags, no or
 * broken geometry, an unclosed park way, a multipolygon with no closed outer
 * ring). Elements that are fine but are not one of ours (a tax office among
 * the government offices, a senior high school) are counted in `unmapped`.
 * Ring pieces that cannot be closed, and holes that sit in no outer ring,
 * are dropped and counted in `droppedRings`.
 *
 * Facility tags → life-circle types (src/standards/lifeCircle.ts), the
 * choices a planner may want to revisit, all in {@link facilityTypes}:
 * - Schools: `isced:level` decides when present (1 primary, 2 junior middle,
 *   "1;2" both, 3 only: neither). Otherwise the name: 小学 → primary,
 *   初中/初级中学 → junior middle, 九年一贯/一贯制 → both, 中学 without
 *   高级中学/高中 → junior middle (most schools named just "…中学" keep a
 *   junior section). Anything else ("…实验学校", vocational) is unmapped: a
 *   wrong guess would fake coverage.
 * - Health: clinic/doctors are community health stations unless named
 *   社区卫生服务中心 or 卫生院 (then centres). Hospitals count as community
 *   health service centres: they offer at least that; they never count as
 *   the 5-minute station.
 * - Elderly: social_facility=nursing_home/assisted_living or an elderly name
 *   (养老/敬老院/老年公寓/社会福利院) → care home; 日间照料 or day_care for
 *   seniors → day care; anything for=child/disabled, or named 儿童, is not.
 * - Sports by OSM's own scale: fitness_station and a single pitch → small,
 *   sports_centre → mid-size, stadium → large.
 * - amenity=community_centre is a culture centre unless its name says it is
 *   a 社区服务/党群服务/居委会 station (community service) or a 街道/便民
 *   服务中心 (street-level centre); government offices and town halls count
 *   only when their names say one of those two.
 * - Markets: marketplace and supermarket. Transit stations: railway
 *   station/halt/subway entrance (entrances are where people walk to),
 *   public_transport=station, bus_station (the bus terminus).
 * - An element matching two types (a 九年一贯制 school) gives one point per
 *   type, ids suffixed `#type` so ids stay unique.
 *
 * Facility areas become points: the area-weighted centre of the closed way
 * or assembled multipolygon (turf centerOfMass), else the mean of its
 * vertices, else an Overpass `center` if the answer carries one.
 *
 * The network is the ways pedestrians may use: from footways to primary
 * roads, without foot=no/private, access=no, area=yes outlines, motorways and
 * trunk roads (China's urban expressways, usually without sidewalks). Gated
 * compounds' roads (access=private) stay: residents walk them.
 */
import { centerOfMass } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { ConnectorError, isFiniteNumber, isRecord, plainText } from './http';

export type OverpassTheme = 'parks' | 'facilities' | 'network';
/** [west, south, east, north], WGS-84 degrees (the catalog's `bounds`). */
export type BBox = [number, number, number, number];

export const OVERPASS_ENDPOINT = 'https://overpass-api.de/api/interpreter';

/** Server-side `[timeout:]` per theme (s), and the bytes we accept back. */
/**
 * maxAreaKm2: the largest box asked for. Parks and facilities of a whole
 * city (Jinan's bounds are about 26,700 km², Qingdao's 29,000) are a few
 * megabytes; its footways and streets would run past the server's timeout
 * and the byte cap, while a district-sized box answers in seconds.
 */
export const OVERPASS_LIMITS: Record<OverpassTheme, { timeoutS: number; maxBytes: number; maxAreaKm2: number }> = {
  parks: { timeoutS: 90, maxBytes: 64 * 1024 * 1024, maxAreaKm2: 40_000 },
  facilities: { timeoutS: 120, maxBytes: 64 * 1024 * 1024, maxAreaKm2: 40_000 },
  network: { timeoutS: 180, maxBytes: 128 * 1024 * 1024, maxAreaKm2: 150 },
};

/** A box's area in km² (on a sphere; good to a few percent at these sizes). */
export function bboxAreaKm2([w, s, e, n]: BBox): number {
  const R = 6371.0088;
  const rad = Math.PI / 180;
  return Math.abs(R * R * (e - w) * rad * (Math.sin(n * rad) - Math.sin(s * rad)));
}

export const PARK_LEISURE = ['park', 'garden', 'nature_reserve'] as const;
export const PARK_LANDUSE = ['recreation_ground', 'village_green'] as const;
export const NETWORK_HIGHWAYS = [
  'footway',
  'path',
  'pedestrian',
  'steps',
  'corridor',
  'living_street',
  'residential',
  'service',
  'unclassified',
  'road',
  'track',
  'cycleway',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
] as const;

/** The tag values the facility query asks for; {@link facilityTypes} reads the same keys. */
const FACILITY_SELECTORS = [
  'nwr["amenity"~"^(kindergarten|childcare|school|clinic|doctors|hospital|social_facility|nursing_home|community_centre|arts_centre|townhall|marketplace|bus_station)$"]',
  'nwr["healthcare"~"^(clinic|doctor|centre|hospital)$"]',
  'nwr["shop"~"^(convenience|supermarket)$"]',
  'nwr["leisure"~"^(fitness_station|pitch|sports_centre|stadium)$"]',
  'nwr["office"="government"]',
  'node["highway"="bus_stop"]',
  'nwr["railway"~"^(station|halt|subway_entrance)$"]',
  'nwr["public_transport"="station"]',
];

const alt = (values: readonly string[]) => `^(${values.join('|')})$`;

function checkBBox(bbox: unknown): BBox {
  const [w, s, e, n] = Array.isArray(bbox) && bbox.length === 4 ? (bbox as unknown[]) : [];
  const ok =
    isFiniteNumber(w) && isFiniteNumber(s) && isFiniteNumber(e) && isFiniteNumber(n) && w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n;
  if (!ok) {
    throw new ConnectorError('bad-input', {
      zh: '范围无效：需要 [西, 南, 东, 北] 四个经纬度，且西 < 东、南 < 北。',
      en: 'Invalid area: expected [west, south, east, north] in degrees, west < east and south < north.',
    });
  }
  return [w, s, e, n] as BBox;
}

const deg = (x: number) => String(Math.round(x * 1e7) / 1e7);

/**
 * Overpass QL for one theme over `bbox` ([w, s, e, n]). Overpass wants the
 * box the other way round, (south, west, north, east), on every statement;
 * `out geom` puts the coordinates in the answer, so no node lookup is needed.
 */
export function overpassQuery(theme: OverpassTheme, bbox: BBox): string {
  const [w, s, e, n] = checkBBox(bbox);
  const box = `(${deg(s)},${deg(w)},${deg(n)},${deg(e)})`;
  const head = `[out:json][timeout:${OVERPASS_LIMITS[theme].timeoutS}];`;
  const open = '["access"!~"^(private|no)$"]';
  let body: string[];
  if (theme === 'parks') {
    const leisure = `["leisure"~"${alt(PARK_LEISURE)}"]`;
    const landuse = `["landuse"~"${alt(PARK_LANDUSE)}"]`;
    body = [
      `way${leisure}${open}${box};`,
      `relation["type"="multipolygon"]${leisure}${open}${box};`,
      `way${landuse}${open}${box};`,
      `relation["type"="multipolygon"]${landuse}${open}${box};`,
    ];
  } else if (theme === 'facilities') {
    body = FACILITY_SELECTORS.map((sel) => `${sel}${box};`);
  } else {
    body = [`way["highway"~"${alt(NETWORK_HIGHWAYS)}"]["foot"!~"^(no|private)$"]["access"!="no"]["area"!="yes"]${box};`];
  }
  return [head, '(', ...body.map((l) => `  ${l}`), ');', 'out geom;'].join('\n');
}

/** The GET URL for a query (ours are well under URL limits). */
export function overpassUrl(query: string, endpoint = OVERPASS_ENDPOINT): string {
  return `${endpoint}?data=${encodeURIComponent(query)}`;
}

// ---------------------------------------------------------------------------
// Facility tags → life-circle facility types

type Tags = Record<string, string>;

/** Every type id {@link facilityTypes} can return (tested against FACILITY_TYPES). */
export const OSM_FACILITY_TYPE_IDS = [
  'kindergarten',
  'health_station',
  'elderly_daycare',
  'fitness_small',
  'community_service',
  'convenience_shop',
  'primary_school',
  'sports_mid',
  'market',
  'bus_stop',
  'junior_middle_school',
  'health_centre',
  'sports_large',
  'culture_centre',
  'elderly_home',
  'street_service_centre',
  'transit_station',
] as const;
export type OsmFacilityType = (typeof OSM_FACILITY_TYPE_IDS)[number];

const STREET_CENTRE = /街道办事处|街道办|街道.{0,4}服务中心|便民服务中心/;
const COMMUNITY_STATION = /社区.{0,4}服务(站|中心)|党群服务|居委会|居民委员会/;

function schoolTypes(tags: Tags, name: string): OsmFacilityType[] {
  const isced = tags['isced:level'];
  if (isced !== undefined) {
    const levels = new Set(isced.split(/[;,]/).map((x) => x.trim()));
    const out: OsmFacilityType[] = [];
    if (levels.has('1')) out.push('primary_school');
    if (levels.has('2')) out.push('junior_middle_school');
    if (out.length || levels.has('3') || levels.has('0')) return out;
  }
  if (/九年一贯|一贯制/.test(name)) return ['primary_school', 'junior_middle_school'];
  const out: OsmFacilityType[] = [];
  if (/小学|primary school/i.test(name)) out.push('primary_school');
  if (/初中|初级中学|junior (high|middle) school/i.test(name)) out.push('junior_middle_school');
  else if (/中学|middle school/i.test(name) && !/高级中学|高中|senior high/i.test(name)) out.push('junior_middle_school');
  return out;
}

function elderlyType(tags: Tags, name: string): OsmFacilityType | null {
  const forWhom = tags['social_facility:for'];
  const kind = tags.social_facility;
  // Day care and group homes serve children and the disabled too: only
  // for=senior (or an elderly name) makes them ours.
  if (forWhom !== undefined && !/senior/.test(forWhom)) return null;
  if (/儿童/.test(name)) return null;
  const senior = forWhom !== undefined;
  if (/日间照料|日照中心/.test(name) || (kind === 'day_care' && senior)) return 'elderly_daycare';
  if (/养老|敬老院|老年公寓|老年福利|社会福利院/.test(name) || kind === 'nursing_home' || kind === 'assisted_living' || (kind === 'group_home' && senior)) {
    return 'elderly_home';
  }
  return null;
}

/**
 * The life-circle facility types an OSM element counts as (usually one, none
 * when it is not one of ours). The rules and why: the module comment.
 */
export function facilityTypes(tags: Tags): OsmFacilityType[] {
  const name = [tags.name, tags['name:zh'], tags.official_name, tags['name:en']].filter((x) => x !== undefined).join(' ');
  const out = new Set<OsmFacilityType>();
  const { amenity, shop, leisure, railway, healthcare } = tags;

  if (amenity === 'kindergarten' || amenity === 'childcare') out.add('kindergarten');
  if (amenity === 'school') for (const t of schoolTypes(tags, name)) out.add(t);
  if (amenity === 'clinic' || amenity === 'doctors' || healthcare === 'clinic' || healthcare === 'doctor' || healthcare === 'centre') {
    out.add(/社区卫生服务中心|卫生院/.test(name) ? 'health_centre' : 'health_station');
  }
  if (amenity === 'hospital' || healthcare === 'hospital') out.add('health_centre');
  if (amenity === 'social_facility') {
    const t = elderlyType(tags, name);
    if (t) out.add(t);
  }
  if (amenity === 'nursing_home') out.add('elderly_home');
  if (amenity === 'community_centre') {
    out.add(STREET_CENTRE.test(name) ? 'street_service_centre' : COMMUNITY_STATION.test(name) ? 'community_service' : 'culture_centre');
  }
  if (amenity === 'arts_centre') out.add('culture_centre');
  if (tags.office === 'government' || amenity === 'townhall') {
    if (STREET_CENTRE.test(name)) out.add('street_service_centre');
    else if (COMMUNITY_STATION.test(name)) out.add('community_service');
  }
  if (shop === 'convenience') out.add('convenience_shop');
  if (amenity === 'marketplace' || shop === 'supermarket') out.add('market');
  if (tags.highway === 'bus_stop') out.add('bus_stop');
  if (railway === 'station' || railway === 'halt' || railway === 'subway_entrance' || tags.public_transport === 'station' || amenity === 'bus_station') {
    out.add('transit_station');
  }
  if (leisure === 'fitness_station' || leisure === 'pitch') out.add('fitness_small');
  if (leisure === 'sports_centre') out.add('sports_mid');
  if (leisure === 'stadium') out.add('sports_large');
  return [...out];
}

// ---------------------------------------------------------------------------
// Geometry from `out geom`

type Ring = Position[];

/** Positions of a `geometry` array; null when any entry is not a valid {lat, lon}. */
function readLatLons(v: unknown): Position[] | null {
  if (!Array.isArray(v)) return null;
  const out: Position[] = [];
  for (const p of v) {
    const pos = readLatLon(p);
    if (!pos) return null;
    out.push(pos);
  }
  return out;
}

function readLatLon(p: unknown): Position | null {
  if (!isRecord(p)) return null;
  const { lat, lon } = p;
  if (!isFiniteNumber(lat) || !isFiniteNumber(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lon, lat];
}

/**
 * Runs of valid positions of a way's geometry. Overpass writes `null` for
 * the nodes it leaves out of a clipped geometry (`out geom(bbox)`); joining
 * across such a gap would invent a street, so it splits the line instead.
 * Any other broken entry makes the whole geometry unusable (null).
 */
function readLineRuns(v: unknown): Position[][] | null {
  if (!Array.isArray(v)) return null;
  const runs: Position[][] = [];
  let cur: Position[] = [];
  for (const p of v) {
    if (p === null) {
      if (cur.length) runs.push(cur);
      cur = [];
      continue;
    }
    const pos = readLatLon(p);
    if (!pos) return null;
    cur.push(pos);
  }
  if (cur.length) runs.push(cur);
  return runs;
}

const samePos = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];
const isClosedRing = (r: Ring) => r.length >= 4 && samePos(r[0]!, r[r.length - 1]!);

/** Twice the signed area (shoelace, degrees²): > 0 counter-clockwise. */
function signedArea2(r: Ring): number {
  let a = 0;
  for (let i = 0; i < r.length - 1; i++) a += r[i]![0]! * r[i + 1]![1]! - r[i + 1]![0]! * r[i]![1]!;
  return a;
}

/** RFC 7946 winding: outer rings counter-clockwise, holes clockwise. */
function wound(r: Ring, ccw: boolean): Ring {
  return signedArea2(r) > 0 === ccw ? r : [...r].reverse();
}

/**
 * Join way pieces end to end into closed rings (pieces may run either way;
 * a closed way is a ring by itself). A chain that cannot close is dropped
 * and counted once.
 */
export function assembleRings(pieces: Position[][]): { rings: Ring[]; open: number } {
  const pending = pieces.filter((p) => p.length >= 2).map((p) => [...p]);
  let open = pieces.length - pending.length;
  const rings: Ring[] = [];
  while (pending.length) {
    let ring = pending.shift()!;
    while (!samePos(ring[0]!, ring[ring.length - 1]!)) {
      const end = ring[ring.length - 1]!;
      const start = ring[0]!;
      let i = pending.findIndex((p) => samePos(p[0]!, end) || samePos(p[p.length - 1]!, end));
      if (i >= 0) {
        const next = pending.splice(i, 1)[0]!;
        ring = ring.concat((samePos(next[0]!, end) ? next : [...next].reverse()).slice(1));
        continue;
      }
      // Nothing continues the end: grow the start instead, so that one broken
      // chain is one dropped piece, however many ways it is made of.
      i = pending.findIndex((p) => samePos(p[0]!, start) || samePos(p[p.length - 1]!, start));
      if (i < 0) break;
      const prev = pending.splice(i, 1)[0]!;
      ring = (samePos(prev[prev.length - 1]!, start) ? prev : [...prev].reverse()).slice(0, -1).concat(ring);
    }
    if (isClosedRing(ring)) rings.push(ring);
    else open++;
  }
  return { rings, open };
}

function pointInRing(p: Position, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i] as [number, number];
    const [xj, yj] = r[j] as [number, number];
    if (yi > p[1]! !== yj > p[1]! && p[0]! < ((xj - xi) * (p[1]! - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Most of `inner`'s vertices inside `outer` (a hole may touch its outer ring). */
function ringInside(inner: Ring, outer: Ring): boolean {
  const pts = inner.slice(0, -1);
  return pts.filter((p) => pointInRing(p, outer)).length * 2 > pts.length;
}

/**
 * Polygon or MultiPolygon from outer and inner pieces: each hole goes to the
 * smallest outer ring holding it; holes in no outer ring are dropped.
 */
export function multipolygonFrom(outerPieces: Position[][], innerPieces: Position[][]): { geometry: Polygon | MultiPolygon | null; dropped: number } {
  const outer = assembleRings(outerPieces);
  const inner = assembleRings(innerPieces);
  let dropped = outer.open + inner.open;
  if (!outer.rings.length) return { geometry: null, dropped: dropped + inner.rings.length };
  const polys: Ring[][] = outer.rings.map((r) => [wound(r, true)]);
  const areas = outer.rings.map((r) => Math.abs(signedArea2(r)));
  for (const hole of inner.rings) {
    let best = -1;
    outer.rings.forEach((o, i) => {
      if (ringInside(hole, o) && (best < 0 || areas[i]! < areas[best]!)) best = i;
    });
    if (best < 0) dropped++;
    else polys[best]!.push(wound(hole, false));
  }
  const geometry: Polygon | MultiPolygon = polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
  return { geometry, dropped };
}

// ---------------------------------------------------------------------------
// Elements → features

export interface OverpassParse {
  features: FeatureCollection;
  /** Elements left out as broken (see the module comment). */
  skipped: number;
  /** Elements that are fine but not one of this theme's kinds. */
  unmapped: number;
  /** Ring pieces that could not close, and holes in no outer ring. */
  droppedRings: number;
}

type Props = { id: string; name: string | null; category: string; value: null; time: null };

function readTags(v: unknown): Tags | null {
  if (!isRecord(v)) return null;
  const out: Tags = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return Object.keys(out).length ? out : null;
}

function nameOf(tags: Tags): string | null {
  return plainText(tags.name ?? tags['name:zh'] ?? tags['name:en'] ?? tags.official_name);
}

/** The pieces of a relation's members with `role`, or null when a member's geometry is broken. */
function memberPieces(members: unknown[], roles: (role: string) => boolean): { pieces: Position[][]; broken: number } {
  const pieces: Position[][] = [];
  let broken = 0;
  for (const m of members) {
    if (!isRecord(m) || m.type !== 'way') continue;
    const role = typeof m.role === 'string' ? m.role : '';
    if (!roles(role)) continue;
    const g = readLatLons(m.geometry);
    if (g) pieces.push(g);
    else broken++;
  }
  return { pieces, broken };
}

const isOuter = (role: string) => role === 'outer' || role === '';
const isInner = (role: string) => role === 'inner';

/** An area element's geometry: a closed way, or a multipolygon relation assembled. */
function areaGeometry(el: Record<string, unknown>): { geometry: Polygon | MultiPolygon | null; dropped: number } {
  if (el.type === 'way') {
    const ring = readLatLons(el.geometry);
    return { geometry: ring && isClosedRing(ring) ? { type: 'Polygon', coordinates: [wound(ring, true)] } : null, dropped: 0 };
  }
  if (el.type === 'relation' && Array.isArray(el.members)) {
    const outer = memberPieces(el.members, isOuter);
    const inner = memberPieces(el.members, isInner);
    const r = multipolygonFrom(outer.pieces, inner.pieces);
    return { geometry: r.geometry, dropped: r.dropped + outer.broken + inner.broken };
  }
  return { geometry: null, dropped: 0 };
}

function meanOf(points: Position[]): Position | null {
  if (!points.length) return null;
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0]!;
    y += p[1]!;
  }
  return [x / points.length, y / points.length];
}

/** Where a facility is: the node, the centre of its area, or of its vertices. */
function facilityPoint(el: Record<string, unknown>): Position | null {
  if (el.type === 'node') return readLatLon(el);
  const area = areaGeometry(el).geometry;
  if (area) {
    const c = centerOfMass(area).geometry.coordinates;
    if (isFiniteNumber(c[0]) && isFiniteNumber(c[1])) return [c[0], c[1]];
  }
  const vertices: Position[] = [];
  if (el.type === 'way') vertices.push(...(readLatLons(el.geometry) ?? []));
  if (el.type === 'relation' && Array.isArray(el.members)) {
    for (const m of el.members) {
      if (!isRecord(m)) continue;
      if (m.type === 'way') vertices.push(...(readLatLons(m.geometry) ?? []));
    }
  }
  return meanOf(vertices) ?? readLatLon(el.center);
}

function elementKey(el: Record<string, unknown>): string | null {
  const { type, id } = el;
  if ((type !== 'node' && type !== 'way' && type !== 'relation') || !Number.isSafeInteger(id) || (id as number) <= 0) return null;
  return `${type}/${id as number}`;
}

/**
 * Overpass JSON (`out geom`) → WGS-84 features of one theme, properties
 * `id` ("way/123"), `name`, `category` (park: the leisure/landuse value;
 * facility: the life-circle type id; network: the highway value), `value`
 * and `time` null. Throws a ConnectorError only for a response that is not
 * Overpass JSON at all, or that the server says it cut short.
 */
export function parseOverpass(json: unknown, theme: OverpassTheme): OverpassParse {
  if (!isRecord(json) || !Array.isArray(json.elements)) {
    throw new ConnectorError('bad-response', {
      zh: 'Overpass 的响应中没有 elements 列表，不是预期的格式。',
      en: 'The Overpass answer has no `elements` list: not the expected format.',
    });
  }
  // Overpass answers 200 with partial data and a `remark` when the query ran
  // out of time or memory; a partial park layer would understate coverage.
  if (typeof json.remark === 'string' && /error/i.test(json.remark)) {
    const remark = plainText(json.remark) ?? '';
    throw new ConnectorError('incomplete', {
      zh: `Overpass 服务器未能完成查询（${remark}）。请缩小范围或稍后再试。`,
      en: `The Overpass server could not finish the query (${remark}). Try a smaller area or try later.`,
    });
  }
  const features: Feature<Geometry, Props>[] = [];
  let skipped = 0;
  let unmapped = 0;
  let droppedRings = 0;

  for (const el of json.elements) {
    if (!isRecord(el)) {
      skipped++;
      continue;
    }
    const key = elementKey(el);
    const tags = readTags(el.tags);
    if (!key || !tags) {
      skipped++;
      continue;
    }
    const name = nameOf(tags);
    if (theme === 'parks') {
      const category = PARK_LEISURE.find((v) => v === tags.leisure) ?? PARK_LANDUSE.find((v) => v === tags.landuse);
      if (!category) {
        unmapped++;
        continue;
      }
      const { geometry, dropped } = areaGeometry(el);
      droppedRings += dropped;
      if (!geometry) {
        skipped++;
        continue;
      }
      features.push({ type: 'Feature', geometry, properties: { id: key, name, category, value: null, time: null } });
    } else if (theme === 'facilities') {
      const types = facilityTypes(tags);
      if (!types.length) {
        unmapped++;
        continue;
      }
      const at = facilityPoint(el);
      if (!at) {
        skipped++;
        continue;
      }
      for (const category of types) {
        const geometry: Point = { type: 'Point', coordinates: at };
        const id = types.length > 1 ? `${key}#${category}` : key;
        features.push({ type: 'Feature', geometry, properties: { id, name, category, value: null, time: null } });
      }
    } else {
      if (el.type !== 'way') {
        skipped++;
        continue;
      }
      const category = NETWORK_HIGHWAYS.find((v) => v === tags.highway);
      if (!category || tags.foot === 'no' || tags.foot === 'private' || tags.access === 'no' || tags.area === 'yes') {
        unmapped++;
        continue;
      }
      const runs = (readLineRuns(el.geometry) ?? []).filter((r) => r.length >= 2);
      if (!runs.length) {
        skipped++;
        continue;
      }
      runs.forEach((coordinates, i) => {
        const geometry: LineString = { type: 'LineString', coordinates };
        const id = runs.length > 1 ? `${key}#${i + 1}` : key;
        features.push({ type: 'Feature', geometry, properties: { id, name, category, value: null, time: null } });
      });
    }
  }
  return { features: { type: 'FeatureCollection', features }, skipped, unmapped, droppedRings };
}
