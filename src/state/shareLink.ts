import { deflateSync, inflateSync, strToU8 } from 'fflate';
import type { AppState, DrawnRing } from './types';
import { decodeUrlState, encodeUrlState, MAX_DRAWN_PARKS, MAX_RING_VERTICES, roundRing } from './urlCodec';

/**
 * Share links: the state the URL carries, packed into one short parameter,
 * `?s=1.<token>`. There is no server to keep a link table, so the state itself
 * travels in the link: the URL codec's parameters as a JSON object, drawn
 * parks as whole-number steps between vertices (a park of 60 vertices is
 * mostly 3–4 digit numbers), deflated with a preset dictionary, base64url.
 *
 * A token is never trusted. It is read under size caps, its shape is checked
 * before any value is used, and its values then pass through decodeUrlState,
 * the same checks as a typed-in address. A link restores exactly or not at
 * all: one that is damaged, too large, from a newer version or holds any value
 * the URL codec refuses gives a problem to show and no state, because a link
 * that silently lost a drawn park would misstate the scenario it shares.
 */

export const SHARE_VERSION = 1;
/** 10 parks of 100 vertices, the most the URL codec keeps, pack into about 6,000 characters; anything much larger was not made by us. */
export const MAX_TOKEN_CHARS = 12_000;
/** The inflated JSON; bounds what a small token can expand to (deflate reaches about 1000:1). */
export const MAX_JSON_BYTES = 96_000;
const MAX_VALUE_CHARS = 2_000;

/**
 * Parameter names as the URL codec writes them. Any such name is carried (the
 * codec gains parameters; a fixed list here would quietly drop new ones) and
 * the codec ignores names it does not know.
 */
const PARAM_NAME = /^[a-z][a-z0-9]{0,15}$/;
const MAX_PARAMS = 64;
const MAX_REPEATS = 100;

/**
 * A preset dictionary for deflate: the names and values most links share, the
 * commonest last (nearest, so cheapest to refer to). A state with no drawn
 * parks is then about half its plain length instead of about the same. Part
 * of version 1: any change to it needs a new SHARE_VERSION.
 */
const DICTIONARY = strToU8(
  [
    '"fac":"kindergarten,health_station,elderly_daycare,fitness_small,community_service,convenience_shop,primary_school,sports_mid,market,bus_stop,junior_middle_school,health_centre,sports_large,culture_centre,elderly_home,street_service_centre,transit_station"',
    '"addfac":["kindergarten,',
    '"mode":"embed","controls":"off","mode":"present","story":"","slide":"',
    '"basemap":"tianditu","basemap":"amap","theme":"light","theme":"dark",',
    '"pol":"pm25","pol":"pm10","pol":"o3","pol":"no2","pol":"so2","pol":"co",',
    '"dock":"station","dock":"calendar","dock":"monthly","dock":"cities","dock":"districts","dock":"parkfilter","dock":"restoration",',
    '"cmp":"20","swipe":"0.',
    '"step":"day","step":"year","surf":"on","period":"2025-01-01..2025-',
    '"isod":"300,500,1000","iso":"1","pa":"","pd":"',
    '"sel":"restoration:","sel":"lifecircle:","sel":"air:","sel":"parks:',
    '"lang":"en",',
    '{"city":"qingdao","city":"jinan","city":"ningbo","city":"shenzhen","layers":"parks,parkcoverage,restoration,air,lifecircle","layers":"parks,restoration,air,lifecircle","v":"121.","v":"117.","v":"120.","v":"114.',
    ',"t":"2025-12-31T23","park":[[',
  ].join(''),
);

type Payload = Record<string, string | string[] | number[][]>;

export interface ShareProblem {
  zh: string;
  en: string;
  /** What exactly was wrong (English, never the link's own text). */
  details: string[];
}

const DAMAGED = { zh: '分享链接已损坏或不完整，显示默认视图。', en: 'The share link is damaged or incomplete; showing the default view.' };

/**
 * The token for a state (without the `?s=`). The city is always written: the
 * receiving browser may open another catalog (a pack, or none) whose default
 * city differs.
 */
export function encodeShareToken(state: AppState, defaults: Pick<AppState, 'lang' | 'mode'>): string {
  const q = new URLSearchParams(encodeUrlState({ ...state, drawnParks: [] }, { ...defaults, city: '' }));
  const payload: Payload = {};
  for (const key of new Set(q.keys())) {
    const all = q.getAll(key);
    payload[key] = all.length > 1 ? all : all[0]!;
  }
  if (state.drawnParks.length) payload.park = state.drawnParks.map((r) => ringSteps(roundRing(r)));
  const bytes = deflateSync(strToU8(JSON.stringify(payload)), { level: 9, dictionary: DICTIONARY });
  return `${SHARE_VERSION}.${toBase64Url(bytes)}`;
}

/** A whole share address: `base` is origin + path. */
export function shareUrl(base: string, state: AppState, defaults: Pick<AppState, 'lang' | 'mode'>): string {
  return `${base}?s=${encodeShareToken(state, defaults)}`;
}

/** The query string a token stands for (the URL codec's form), or why it cannot be used. */
export function readShareToken(token: string): { query: string } | { problem: ShareProblem } {
  const m = /^(\d{1,3})\.([A-Za-z0-9_-]*)$/.exec(token);
  if (!m) return damaged('not a share token');
  if (Number(m[1]) !== SHARE_VERSION)
    return {
      problem: {
        zh: '此分享链接来自更新版本的图谱，本页无法读取，显示默认视图。',
        en: 'This share link was made by a newer version of the atlas and cannot be read here; showing the default view.',
        details: [`token version ${Number(m[1])}, this page reads ${SHARE_VERSION}`],
      },
    };
  if (m[2]!.length > MAX_TOKEN_CHARS)
    return { problem: { zh: '分享链接过长，未读取，显示默认视图。', en: 'The share link is too long to be one of ours; it was not read. Showing the default view.', details: [`${m[2]!.length} characters, at most ${MAX_TOKEN_CHARS}`] } };

  let json: string;
  try {
    const out = inflateSync(fromBase64Url(m[2]!), { out: new Uint8Array(MAX_JSON_BYTES + 1), dictionary: DICTIONARY });
    if (out.length > MAX_JSON_BYTES)
      return { problem: { zh: '分享链接展开后过大，未读取，显示默认视图。', en: 'The share link expands to too much data; it was not read. Showing the default view.', details: [`more than ${MAX_JSON_BYTES} bytes`] } };
    json = new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch {
    return damaged('the token does not decompress');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return damaged('the token is not JSON');
  }
  const shape = checkShape(payload);
  if (shape) return damaged(shape);

  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(payload as Payload)) {
    if (key === 'park') for (const steps of value as number[][]) q.append('park', stepsRing(steps));
    else if (Array.isArray(value)) for (const v of value as string[]) q.append(key, v);
    else q.set(key, value);
  }
  const query = q.toString();
  const warnings: string[] = [];
  decodeUrlState(query, (w) => warnings.push(w));
  if (warnings.length)
    return { problem: { zh: '分享链接中有无效的内容，未采用，显示默认视图。', en: 'The share link holds values this page refuses; it was not used. Showing the default view.', details: warnings } };
  return { query };
}

export interface ExpandedSearch {
  /** The query for decodeUrlState: the token's state, with any plain parameters beside `s` over it. */
  search: string;
  /** The address had an `s` parameter (the app then writes its plain form back). */
  shared: boolean;
  problem: ShareProblem | null;
}

/** Replaces `s=<token>` in a location's query by the parameters it stands for. */
export function expandShareLink(search: string): ExpandedSearch {
  const p = new URLSearchParams(search);
  const token = p.get('s');
  if (token === null) return { search, shared: false, problem: null };
  p.delete('s');
  const read = readShareToken(token);
  if ('problem' in read) return { search: p.toString(), shared: true, problem: read.problem };
  const merged = new URLSearchParams(read.query);
  for (const key of new Set(p.keys())) {
    merged.delete(key);
    for (const v of p.getAll(key)) merged.append(key, v);
  }
  return { search: merged.toString(), shared: true, problem: null };
}

function damaged(why: string): { problem: ShareProblem } {
  return { problem: { ...DAMAGED, details: [why] } };
}

/** Why a parsed payload is not one we make, or null. */
function checkShape(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'the token is not an object';
  const entries = Object.entries(payload);
  if (entries.length > MAX_PARAMS) return 'the token has too many parameters';
  for (const [key, value] of entries) {
    if (key === 's' || !PARAM_NAME.test(key)) return 'the token names a parameter the address cannot have';
    if (key === 'park') {
      if (!Array.isArray(value) || value.length > MAX_DRAWN_PARKS) return `drawn parks: at most ${MAX_DRAWN_PARKS}`;
      for (const steps of value as unknown[]) {
        if (!Array.isArray(steps) || steps.length % 2 || steps.length < 6 || steps.length > 2 * MAX_RING_VERTICES) return `a drawn park needs 3–${MAX_RING_VERTICES} vertices`;
        if (!steps.every((n) => Number.isSafeInteger(n) && Math.abs(n as number) <= 36_000_000)) return 'a drawn park has a vertex that is not a number';
      }
    } else if (Array.isArray(value)) {
      if (value.length > MAX_REPEATS || !value.every((v) => typeof v === 'string' && v.length <= MAX_VALUE_CHARS)) return 'a repeated parameter is not text';
    } else if (typeof value !== 'string' || value.length > MAX_VALUE_CHARS) return 'a parameter is not text';
  }
  return null;
}

/** A ring as whole 1e-5 degree steps: the first vertex, then each vertex's offset from the one before. */
function ringSteps(ring: DrawnRing): number[] {
  const out: number[] = [];
  let px = 0;
  let py = 0;
  for (const [lon, lat] of ring) {
    const x = Math.round(lon * 1e5);
    const y = Math.round(lat * 1e5);
    out.push(x - px, y - py);
    px = x;
    py = y;
  }
  return out;
}

/** The URL codec's `lon,lat;lon,lat;…` of a ring in steps; the codec checks the ranges. */
function stepsRing(steps: number[]): string {
  const pts: string[] = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i < steps.length; i += 2) {
    x += steps[i]!;
    y += steps[i + 1]!;
    pts.push(`${x / 1e5},${y / 1e5}`);
  }
  return pts.join(';');
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
