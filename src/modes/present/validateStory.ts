/**
 * Validation of story files (data/stories/<city>.json, the story index, and
 * stories a planner imports). Strict and total:
 *
 * - never throws, whatever it is given (wrong types, NaN, getters that throw,
 *   proxies, cycles, megabyte strings);
 * - returns a cleaned deep copy built only from known keys, read as own
 *   properties, so nothing of the input object (its prototype, "__proto__" or
 *   "constructor" keys, extra fields) reaches the app; strings come out as
 *   plain text without control or bidi-override characters;
 * - reports every deviation as a problem with a JSON path, e.g.
 *   "slides[2].camera.zoom: must be a number 0–22".
 *
 * What is dropped: an unusable story-level field (version, id, city, title,
 * source, slides) drops the story (null); an unusable required slide field
 * (id, city, camera, layers, title, caption) drops the slide; an unusable KPI
 * drops the KPI; an unusable optional field (settings and its keys, time,
 * play, duration) is left out; unknown keys, unknown layers and duplicate ids
 * are dropped. Strings over their length cap are truncated; a Text with one
 * usable language falls back to it for the other.
 */
import { AIR_METRICS, TIME_STEPS, type AirMetric, type TimeStep, type ViewState } from '../../state/types';
import { BASEMAP_IDS, isBasemapId } from '../../map/basemaps';
import { isValidDay, isValidTime } from '../../state/urlCodec';
import type { DataMetric, Kpi, Slide, Story, StoryProblems, Text } from './story';

export const STORY_LIMITS = {
  slides: 200,
  kpisPerSlide: 6,
  layersPerSlide: 64,
  stories: 100,
  /** Characters (UTF-16 code units) per string. */
  title: 120,
  caption: 600,
  quote: 300,
  label: 120,
  value: 40,
  source: 600,
  file: 200,
  path: 200,
  /** Problems reported before the rest are summarised. */
  problems: 200,
} as const;

/** Every DataMetric; the Record makes the compiler check the list is complete. */
const METRIC_SET: Record<DataMetric, true> = {
  'air.goodDayShare': true,
  'air.pm25Mean': true,
  'air.stations': true,
  'parks.count': true,
  'parks.areaKm2': true,
  'restoration.count': true,
  'restoration.areaKm2': true,
  'lifecircle.share15': true,
};
export const DATA_METRICS: readonly DataMetric[] = Object.keys(METRIC_SET) as DataMetric[];

export interface StoryIndexEntry {
  id: string;
  city: string;
  /** Relative to data/, e.g. "stories/ningbo.json". */
  path: string;
  title: Text;
}

export interface StoryIndex {
  version: 1;
  /** In kiosk order. */
  stories: StoryIndexEntry[];
}

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Relative path of a .json file inside data/: lower-case segments, no "..", no scheme, no leading slash. */
const JSON_PATH = /^(?:[a-z0-9][a-z0-9_-]*\/)*[a-z0-9][a-z0-9_.-]*\.json$/;
// Control characters (C0 except tab and newline, DEL, C1) and bidi embeddings, overrides and isolates.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type Obj = Record<string, unknown>;

class Checker {
  readonly problems: string[] = [];
  private omitted = 0;

  fail(path: string, message: string): null {
    if (this.problems.length < STORY_LIMITS.problems) this.problems.push(path ? `${path}: ${message}` : message);
    else this.omitted++;
    return null;
  }

  finish(): string[] {
    if (this.omitted > 0) this.problems.push(`… and ${this.omitted} more problem(s)`);
    return this.problems;
  }

  /** A plain object (not null, not an array); else a problem. */
  obj(v: unknown, path: string): Obj | null {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
    return this.fail(path, `must be an object${describe(v)}`);
  }

  /** Reports own keys outside `allowed` (they are never copied). */
  keys(o: Obj, allowed: readonly string[], path: string): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(join(path, k, true), 'unknown key dropped');
    }
  }

  /**
   * A non-empty string, cleaned of control characters (newlines kept only
   * when `multiline`), trimmed and capped at `max` code units.
   */
  str(v: unknown, path: string, max: number, multiline = false): string | null {
    if (typeof v !== 'string') return this.fail(path, `must be a string${describe(v)}`);
    const long = v.length > max;
    // Never scan more than needed: a megabyte string is cut before cleaning.
    let s = long ? v.slice(0, max + 256) : v;
    const cleaned = s.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
    if (cleaned !== s) this.fail(path, 'control characters removed');
    s = multiline ? cleaned.replace(/\t/g, ' ') : cleaned.replace(/[\t\n]+/g, ' ');
    s = s.trim();
    if (s.length > max) {
      s = s.slice(0, max);
      if (/[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1);
      s = s.trimEnd();
    }
    if (long) this.fail(path, `longer than ${max} characters (truncated)`);
    if (s.length === 0) return this.fail(path, 'must not be empty');
    return s;
  }

  text(v: unknown, path: string, max: number, multiline = false): Text | null {
    const o = this.obj(v, path);
    if (!o) return null;
    this.keys(o, ['zh', 'en'], path);
    const zh = own(o, 'zh') === undefined ? this.fail(`${path}.zh`, 'missing') : this.str(own(o, 'zh'), `${path}.zh`, max, multiline);
    const en = own(o, 'en') === undefined ? this.fail(`${path}.en`, 'missing') : this.str(own(o, 'en'), `${path}.en`, max, multiline);
    if (zh === null && en === null) return null;
    if (zh === null) this.fail(`${path}.zh`, 'using the English text');
    if (en === null) this.fail(`${path}.en`, 'using the Chinese text');
    return { zh: zh ?? en!, en: en ?? zh! };
  }

  num(v: unknown, path: string, lo: number, hi: number, integer = false): number | null {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
      return this.fail(path, `must be ${integer ? 'an integer' : 'a number'} ${lo}–${hi}${describe(v)}`);
    }
    return v === 0 ? 0 : v; // no -0
  }

  id(v: unknown, path: string): string | null {
    if (typeof v === 'string' && ID.test(v)) return v;
    return this.fail(path, `must be an id like "nb-01" (a–z, 0–9, "_" or "-", up to 64 characters)${describe(v)}`);
  }

  /** `[from, to]` CST days, from ≤ to. */
  period(v: unknown, path: string): [string, string] | null {
    if (Array.isArray(v) && v.length === 2) {
      const [a, b] = [v[0], v[1]];
      if (typeof a === 'string' && typeof b === 'string' && isValidDay(a) && isValidDay(b) && a <= b) return [a, b];
    }
    return this.fail(path, 'must be ["YYYY-MM-DD", "YYYY-MM-DD"] with the first day not after the second');
  }
}

/** Own property only: inherited values (a polluted prototype, Object.create tricks) are never read. */
function own(o: Obj, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function join(path: string, key: string, quote = false): string {
  const k = quote ? JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key).replace(CONTROL, '?') : key;
  return path ? `${path}.${k}` : k;
}

/** " (got …)" for a problem message: the type, never the (possibly huge or hostile) value. */
function describe(v: unknown): string {
  if (v === undefined) return ' (missing)';
  if (v === null) return ' (got null)';
  if (Array.isArray(v)) return ' (got an array)';
  if (typeof v === 'number') return Number.isFinite(v) ? ` (got ${v})` : ` (got ${String(v)})`;
  return ` (got ${typeof v})`;
}

const STORY_KEYS = ['version', 'id', 'city', 'title', 'source', 'slides'] as const;
const SLIDE_KEYS = ['id', 'city', 'camera', 'layers', 'settings', 'time', 'play', 'title', 'caption', 'kpis', 'duration'] as const;
const CAMERA_KEYS = ['lon', 'lat', 'zoom', 'pitch', 'bearing'] as const;
const SETTINGS_KEYS = ['pollutant', 'step', 'surface', 'period', 'airMap', 'compare', 'basemap'] as const;
const REPORTED_KEYS = ['kind', 'value', 'label', 'quote', 'source'] as const;
const DATA_KEYS = ['kind', 'metric', 'label', 'period'] as const;
const INDEX_KEYS = ['version', 'stories'] as const;
const ENTRY_KEYS = ['id', 'city', 'path', 'title'] as const;

/**
 * Validate a parsed story file against the catalog's city and layer ids.
 * Returns a cleaned copy (never the input) and the problems; `story` is null
 * when nothing usable is left.
 */
export function validateStory(json: unknown, known: { cities: string[]; layers: string[] }): StoryProblems {
  const c = new Checker();
  try {
    const story = checkStory(c, json, known);
    return { story, problems: c.finish() };
  } catch (e) {
    // Getters and proxies can throw anywhere; the result is then unusable.
    c.fail('', `the story could not be read (${e instanceof Error ? e.name : 'error'})`);
    return { story: null, problems: c.finish() };
  }
}

function checkStory(c: Checker, json: unknown, known: { cities: string[]; layers: string[] }): Story | null {
  const cities = new Set(Array.isArray(known?.cities) ? known.cities : []);
  const layers = new Set(Array.isArray(known?.layers) ? known.layers : []);
  const o = c.obj(json, '');
  if (!o) return null;
  c.keys(o, STORY_KEYS, '');
  const versionOk = own(o, 'version') === 1;
  if (!versionOk) c.fail('version', `must be 1${describe(own(o, 'version'))}`);
  const id = c.id(own(o, 'id'), 'id');
  let city = c.id(own(o, 'city'), 'city');
  if (city !== null && !cities.has(city)) city = c.fail('city', `unknown city "${city}"`);
  const title = c.text(own(o, 'title'), 'title', STORY_LIMITS.title);
  const source = c.text(own(o, 'source'), 'source', STORY_LIMITS.source, true);

  const list = own(o, 'slides');
  const slides: Slide[] = [];
  if (!Array.isArray(list)) {
    c.fail('slides', `must be an array${describe(list)}`);
  } else {
    if (list.length > STORY_LIMITS.slides) c.fail('slides', `at most ${STORY_LIMITS.slides} slides (${list.length - STORY_LIMITS.slides} dropped)`);
    const ids = new Set<string>();
    const n = Math.min(list.length, STORY_LIMITS.slides);
    for (let i = 0; i < n; i++) {
      const s = checkSlide(c, list[i], `slides[${i}]`, cities, layers);
      if (!s) continue;
      if (ids.has(s.id)) {
        c.fail(`slides[${i}].id`, `duplicate slide id "${s.id}" (slide dropped)`);
        continue;
      }
      ids.add(s.id);
      slides.push(s);
    }
    if (slides.length === 0) c.fail('slides', 'no usable slide');
  }
  if (!versionOk || !id || !city || !title || !source || slides.length === 0) return null;
  return { version: 1, id, city, title, source, slides };
}

function checkSlide(c: Checker, v: unknown, path: string, cities: Set<string>, layerIds: Set<string>): Slide | null {
  const o = c.obj(v, path);
  if (!o) return null;
  c.keys(o, SLIDE_KEYS, path);
  const id = c.id(own(o, 'id'), `${path}.id`);
  let city = c.id(own(o, 'city'), `${path}.city`);
  if (city !== null && !cities.has(city)) city = c.fail(`${path}.city`, `unknown city "${city}"`);
  const camera = checkCamera(c, own(o, 'camera'), `${path}.camera`);
  const layers = checkLayers(c, own(o, 'layers'), `${path}.layers`, layerIds);
  const title = c.text(own(o, 'title'), `${path}.title`, STORY_LIMITS.title);
  const caption = c.text(own(o, 'caption'), `${path}.caption`, STORY_LIMITS.caption, true);
  const kpis = checkKpis(c, own(o, 'kpis'), `${path}.kpis`);

  const slide = { id, city, camera, layers, title, caption, kpis } as Partial<Slide>;
  if (own(o, 'settings') !== undefined) {
    const settings = checkSettings(c, own(o, 'settings'), `${path}.settings`);
    if (settings) slide.settings = settings;
  }
  const time = own(o, 'time');
  if (time !== undefined) {
    if (typeof time === 'string' && isValidTime(time)) slide.time = time;
    else c.fail(`${path}.time`, `must be a CST hour "YYYY-MM-DDTHH"${describe(time)}`);
  }
  const play = own(o, 'play');
  if (play !== undefined) {
    const p = c.obj(play, `${path}.play`);
    if (p) {
      c.keys(p, ['speed'], `${path}.play`);
      const speed = c.num(own(p, 'speed'), `${path}.play.speed`, 0.5, 16);
      if (speed !== null) slide.play = { speed };
    }
  }
  const duration = own(o, 'duration');
  if (duration !== undefined) {
    const d = c.num(duration, `${path}.duration`, 3, 600);
    if (d !== null) slide.duration = d;
  }
  if (!id || !city || !camera || !layers || !title || !caption) {
    c.fail(path, 'slide dropped');
    return null;
  }
  return slide as Slide;
}

function checkCamera(c: Checker, v: unknown, path: string): ViewState | null {
  const o = c.obj(v, path);
  if (!o) return null;
  c.keys(o, CAMERA_KEYS, path);
  const lon = c.num(own(o, 'lon'), `${path}.lon`, -180, 180);
  const lat = c.num(own(o, 'lat'), `${path}.lat`, -85, 85);
  const zoom = c.num(own(o, 'zoom'), `${path}.zoom`, 0, 22);
  const pitch = c.num(own(o, 'pitch'), `${path}.pitch`, 0, 85);
  const b = own(o, 'bearing');
  let bearing: number | null = null;
  // In-range values are kept exactly ((b % 360 + 360) % 360 would add float noise: 12.3 → 12.300000000000011).
  if (typeof b === 'number' && Number.isFinite(b)) bearing = (b >= 0 && b < 360 ? b : ((b % 360) + 360) % 360) || 0;
  else c.fail(`${path}.bearing`, `must be a finite number${describe(b)}`);
  if (lon === null || lat === null || zoom === null || pitch === null || bearing === null) return null;
  return { lon, lat, zoom, bearing, pitch };
}

function checkLayers(c: Checker, v: unknown, path: string, known: Set<string>): string[] | null {
  if (!Array.isArray(v)) return c.fail(path, `must be an array of layer ids${describe(v)}`);
  if (v.length > STORY_LIMITS.layersPerSlide) c.fail(path, `at most ${STORY_LIMITS.layersPerSlide} entries (${v.length - STORY_LIMITS.layersPerSlide} dropped)`);
  const out: string[] = [];
  const n = Math.min(v.length, STORY_LIMITS.layersPerSlide);
  for (let i = 0; i < n; i++) {
    const id = c.id(v[i], `${path}[${i}]`);
    if (id === null) continue;
    if (!known.has(id)) c.fail(`${path}[${i}]`, `unknown layer "${id}" dropped`);
    else if (out.includes(id)) c.fail(`${path}[${i}]`, `duplicate layer "${id}" dropped`);
    else out.push(id);
  }
  return out;
}

function checkSettings(c: Checker, v: unknown, path: string): NonNullable<Slide['settings']> | null {
  const o = c.obj(v, path);
  if (!o) return null;
  c.keys(o, SETTINGS_KEYS, path);
  const out: NonNullable<Slide['settings']> = {};
  const pollutant = own(o, 'pollutant');
  if (pollutant !== undefined) {
    if (typeof pollutant === 'string' && (AIR_METRICS as readonly string[]).includes(pollutant)) out.pollutant = pollutant as AirMetric;
    else c.fail(`${path}.pollutant`, `must be one of ${AIR_METRICS.join(', ')}`);
  }
  const step = own(o, 'step');
  if (step !== undefined) {
    if (typeof step === 'string' && (TIME_STEPS as readonly string[]).includes(step)) out.step = step as TimeStep;
    else c.fail(`${path}.step`, `must be one of ${TIME_STEPS.join(', ')}`);
  }
  const surface = own(o, 'surface');
  if (surface !== undefined) {
    if (typeof surface === 'boolean') out.surface = surface;
    else c.fail(`${path}.surface`, `must be true or false${describe(surface)}`);
  }
  const airMap = own(o, 'airMap');
  if (airMap !== undefined) {
    if (airMap === 'clock' || airMap === 'period') out.airMap = airMap;
    else c.fail(`${path}.airMap`, `must be clock or period${describe(airMap)}`);
  }
  const compare = own(o, 'compare');
  if (compare === null) out.compare = null;
  else if (compare !== undefined) {
    if (typeof compare === 'number' && Number.isInteger(compare) && compare >= 1900 && compare <= 2100) out.compare = compare;
    else c.fail(`${path}.compare`, `must be a year (1900–2100) or null${describe(compare)}`);
  }
  const basemap = own(o, 'basemap');
  if (basemap !== undefined) {
    if (typeof basemap === 'string' && isBasemapId(basemap)) out.basemap = basemap;
    else c.fail(`${path}.basemap`, `must be one of ${BASEMAP_IDS.join(', ')}`);
  }
  const period = own(o, 'period');
  if (period === null) out.period = null;
  else if (period !== undefined) {
    const p = c.period(period, `${path}.period`);
    if (p) out.period = p;
  }
  return out;
}

function checkKpis(c: Checker, v: unknown, path: string): Kpi[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    c.fail(path, `must be an array${describe(v)}`);
    return [];
  }
  if (v.length > STORY_LIMITS.kpisPerSlide) c.fail(path, `at most ${STORY_LIMITS.kpisPerSlide} KPIs per slide (${v.length - STORY_LIMITS.kpisPerSlide} dropped)`);
  const out: Kpi[] = [];
  const n = Math.min(v.length, STORY_LIMITS.kpisPerSlide);
  for (let i = 0; i < n; i++) {
    const k = checkKpi(c, v[i], `${path}[${i}]`);
    if (k) out.push(k);
  }
  return out;
}

function checkKpi(c: Checker, v: unknown, path: string): Kpi | null {
  const o = c.obj(v, path);
  if (!o) return null;
  const kind = own(o, 'kind');
  if (kind === 'reported') {
    c.keys(o, REPORTED_KEYS, path);
    const value = c.str(own(o, 'value'), `${path}.value`, STORY_LIMITS.value);
    const label = c.text(own(o, 'label'), `${path}.label`, STORY_LIMITS.label);
    const quote = c.str(own(o, 'quote'), `${path}.quote`, STORY_LIMITS.quote);
    let source: { file: string; line: number } | null = null;
    const so = c.obj(own(o, 'source'), `${path}.source`);
    if (so) {
      c.keys(so, ['file', 'line'], `${path}.source`);
      const file = c.str(own(so, 'file'), `${path}.source.file`, STORY_LIMITS.file);
      const line = c.num(own(so, 'line'), `${path}.source.line`, 1, 1_000_000, true);
      if (file !== null && line !== null) source = { file, line };
    }
    if (value === null || label === null || quote === null || source === null) return c.fail(path, 'KPI dropped');
    return { kind, value, label, quote, source };
  }
  if (kind === 'data') {
    c.keys(o, DATA_KEYS, path);
    const m = own(o, 'metric');
    const metric = typeof m === 'string' && (DATA_METRICS as readonly string[]).includes(m) ? (m as DataMetric) : c.fail(`${path}.metric`, `must be one of ${DATA_METRICS.join(', ')}`);
    const label = c.text(own(o, 'label'), `${path}.label`, STORY_LIMITS.label);
    const rawPeriod = own(o, 'period');
    const period = rawPeriod === undefined ? undefined : c.period(rawPeriod, `${path}.period`);
    if (metric === null || label === null) return c.fail(path, 'KPI dropped');
    const kpi: Kpi = { kind, metric, label };
    if (period) kpi.period = period;
    return kpi;
  }
  return c.fail(`${path}.kind`, `must be "reported" or "data"${describe(kind)}`);
}

/**
 * Validate data/stories/index.json: `{ version: 1, stories: [{ id, city, path, title }] }`.
 * Paths must be relative .json paths inside data/ (no "..", scheme or leading
 * slash). City ids are checked for form only (the caller matches them with
 * the catalog). Never throws.
 */
export function validateStoryIndex(json: unknown): { index: StoryIndex | null; problems: string[] } {
  const c = new Checker();
  try {
    const index = checkIndex(c, json);
    return { index, problems: c.finish() };
  } catch (e) {
    c.fail('', `the story index could not be read (${e instanceof Error ? e.name : 'error'})`);
    return { index: null, problems: c.finish() };
  }
}

function checkIndex(c: Checker, json: unknown): StoryIndex | null {
  const o = c.obj(json, '');
  if (!o) return null;
  c.keys(o, INDEX_KEYS, '');
  if (own(o, 'version') !== 1) return c.fail('version', `must be 1${describe(own(o, 'version'))}`);
  const list = own(o, 'stories');
  if (!Array.isArray(list)) return c.fail('stories', `must be an array${describe(list)}`);
  if (list.length > STORY_LIMITS.stories) c.fail('stories', `at most ${STORY_LIMITS.stories} stories (${list.length - STORY_LIMITS.stories} dropped)`);
  const stories: StoryIndexEntry[] = [];
  const n = Math.min(list.length, STORY_LIMITS.stories);
  for (let i = 0; i < n; i++) {
    const path = `stories[${i}]`;
    const e = c.obj(list[i], path);
    if (!e) continue;
    c.keys(e, ENTRY_KEYS, path);
    const id = c.id(own(e, 'id'), `${path}.id`);
    const city = c.id(own(e, 'city'), `${path}.city`);
    const p = own(e, 'path');
    const file = typeof p === 'string' && p.length <= STORY_LIMITS.path && JSON_PATH.test(p) && !p.split('/').includes('..') ? p : c.fail(`${path}.path`, 'must be a relative .json path inside data/, like "stories/ningbo.json"');
    const title = c.text(own(e, 'title'), `${path}.title`, STORY_LIMITS.title);
    if (!id || !city || !file || !title) {
      c.fail(path, 'entry dropped');
      continue;
    }
    if (stories.some((s) => s.id === id)) {
      c.fail(`${path}.id`, `duplicate story id "${id}" (entry dropped)`);
      continue;
    }
    stories.push({ id, city, path: file, title });
  }
  if (stories.length === 0) c.fail('stories', 'no usable story');
  return { version: 1, stories };
}
