import { parseParkFilter } from '../analysis/parkFilter';
import { AIR_METRICS, DOCK_TABS, LANGS, MODES, THEMES, TIME_STEPS, type AirMetric, type AppState, type DockTab, type DrawnRing, type Lang, type Mode, type ThemeName, type TimeStep, type ViewState } from './types';
import { isBasemapId } from '../map/basemaps';
import { PACK_NAME } from '../pwa/cacheNames';

/**
 * The URL is a serialisation of the store. Decoding never throws: a value that
 * does not parse is dropped with a console warning and its default is used.
 * Values are only ever compared against known sets or parsed as numbers, so
 * nothing from the URL reaches the page as markup.
 */

export type Warn = (message: string) => void;
const defaultWarn: Warn = (m) => console.warn(`[civic-atlas] ${m}`);

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;

export function decodeUrlState(search: string, warn: Warn = defaultWarn): Partial<AppState> {
  const p = new URLSearchParams(search);
  const out: Partial<AppState> = {};

  const city = p.get('city');
  if (city !== null) {
    if (ID.test(city)) out.city = city;
    else warn(`ignored invalid city parameter`);
  }

  const layers = p.get('layers');
  if (layers !== null) {
    const ids = layers === '' || layers === '-' ? [] : layers.split(',');
    const valid = ids.filter((id) => ID.test(id));
    if (valid.length !== ids.length) warn(`ignored ${ids.length - valid.length} invalid layer id(s)`);
    out.layers = [...new Set(valid)];
  }

  const v = p.get('v');
  if (v !== null) {
    const view = parseView(v);
    if (view) out.view = view;
    else warn(`ignored invalid view parameter`);
  }

  const t = p.get('t');
  if (t !== null) {
    if (isValidTime(t)) out.time = t;
    else warn(`ignored invalid time parameter`);
  }

  const lang = p.get('lang');
  if (lang !== null) {
    if ((LANGS as readonly string[]).includes(lang)) out.lang = lang as Lang;
    else warn(`ignored unknown language`);
  }

  const mode = p.get('mode');
  if (mode !== null) {
    if ((MODES as readonly string[]).includes(mode)) out.mode = mode as Mode;
    else warn(`ignored unknown mode`);
  }

  const theme = p.get('theme');
  if (theme !== null) {
    if ((THEMES as readonly string[]).includes(theme)) out.theme = theme as ThemeName;
    else warn(`ignored unknown theme`);
  }

  const basemap = p.get('basemap');
  if (basemap !== null) {
    if (isBasemapId(basemap)) out.basemap = basemap;
    else warn(`ignored unknown basemap`);
  }

  const pack = p.get('pack');
  if (pack !== null) {
    if (PACK_NAME.test(pack)) out.pack = pack;
    else warn(`ignored invalid pack name`);
  }

  const pol = p.get('pol');
  if (pol !== null) {
    if ((AIR_METRICS as readonly string[]).includes(pol)) out.pollutant = pol as AirMetric;
    else warn(`ignored unknown pollutant`);
  }

  const controls = p.get('controls');
  if (controls !== null) {
    if (controls === 'on' || controls === 'off') out.controls = controls === 'on';
    else warn(`ignored controls parameter (use on or off)`);
  }

  const step = p.get('step');
  if (step !== null) {
    if ((TIME_STEPS as readonly string[]).includes(step)) out.step = step as TimeStep;
    else warn(`ignored unknown time step`);
  }

  const period = p.get('period');
  if (period !== null) {
    const [a, b, ...rest] = period.split('..');
    if (a && b && rest.length === 0 && isValidDay(a) && isValidDay(b) && a <= b) out.period = [a, b];
    else warn(`ignored invalid period (use YYYY-MM-DD..YYYY-MM-DD)`);
  }

  const surf = p.get('surf');
  if (surf !== null) {
    if (surf === 'on' || surf === 'off') out.surface = surf === 'on';
    else warn(`ignored surf parameter (use on or off)`);
  }

  const am = p.get('am');
  if (am !== null) {
    if (am === 'period' || am === 'clock') out.airMap = am;
    else warn(`ignored am parameter (use period or clock)`);
  }

  const dock = p.get('dock');
  if (dock !== null) {
    if (dock === 'off') out.dock = null;
    else if ((DOCK_TABS as readonly string[]).includes(dock)) out.dock = dock as DockTab;
    else warn(`ignored unknown chart tab`);
  }

  const story = p.get('story');
  if (story !== null) {
    if (ID.test(story)) out.story = story;
    else warn(`ignored invalid story id`);
  }

  const slide = p.get('slide');
  if (slide !== null) {
    const n = Number(slide);
    if (Number.isInteger(n) && n >= 1 && n <= 999) out.slide = n;
    else warn(`ignored invalid slide number`);
  }

  const cmp = p.get('cmp');
  if (cmp !== null) {
    const y = Number(cmp);
    if (cmp === 'off') out.compareYear = null;
    else if (/^\d{4}$/.test(cmp) && y >= 1900 && y <= 2100) out.compareYear = y;
    else warn(`ignored invalid compare year`);
  }

  const swipe = p.get('swipe');
  if (swipe !== null) {
    const v = Number(swipe);
    if (swipe !== '' && Number.isFinite(v) && v >= 0.02 && v <= 0.98) out.swipe = v;
    else warn(`ignored invalid swipe position (use 0.02–0.98)`);
  }

  if (p.has('pa') || p.has('pd')) {
    const f = parseParkFilter(p.get('pa'), p.get('pd'));
    if (f) out.parkFilter = f;
    else warn('ignored an invalid park size range (use pa=min,max in m²)');
  }

  const fac = p.get('fac');
  if (fac !== null) {
    const ids = fac === '' ? [] : fac.split(',');
    const valid = ids.filter((id) => ID.test(id));
    if (valid.length !== ids.length) warn(`ignored ${ids.length - valid.length} invalid facility type(s)`);
    out.facTypes = [...new Set(valid)];
  }

  const addfac = p.getAll('addfac');
  if (addfac.length) {
    const good: AppState['addedFacilities'] = [];
    for (const v of addfac.slice(0, MAX_ADDED_FACILITIES)) {
      const [type, a, b, ...rest] = v.split(',');
      const lon = Number(a), lat = Number(b);
      if (type && ID.test(type) && !rest.length && a && b && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 85)
        good.push({ type, lon: Math.round(lon * 1e5) / 1e5, lat: Math.round(lat * 1e5) / 1e5 });
    }
    if (good.length !== addfac.length) warn(`ignored ${addfac.length - good.length} added facility(ies): use type,lon,lat, at most ${MAX_ADDED_FACILITIES}`);
    out.addedFacilities = good;
  }

  const isod = p.get('isod');
  if (isod !== null) {
    const v = isod.split(',').map(Number);
    if (v.length === 3 && v.every((x) => Number.isInteger(x) && x >= 50 && x <= 5000) && v[0]! <= v[1]! && v[1]! <= v[2]!) out.isoDistances = v as [number, number, number];
    else warn(`ignored invalid isochrone distances (use three rising whole metres, 50–5000)`);
  }

  const iso = p.get('iso');
  if (iso !== null) {
    const [a, b, ...rest] = iso.split(',');
    const lon = Number(a), lat = Number(b);
    if (!rest.length && a && b && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 85) out.iso = [Math.round(lon * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5];
    else warn(`ignored invalid isochrone point (use lon,lat)`);
  }

  const drawn = p.getAll('park');
  if (drawn.length) {
    const rings = drawn.map(parseRing);
    const good = rings.filter((r): r is DrawnRing => r !== null).slice(0, MAX_DRAWN_PARKS);
    if (good.length !== drawn.length) warn(`ignored ${drawn.length - good.length} drawn park(s): use lon,lat;lon,lat;… with 3–${MAX_RING_VERTICES} vertices, at most ${MAX_DRAWN_PARKS} parks`);
    out.drawnParks = good;
  }

  const sel = p.get('sel');
  if (sel !== null) {
    const [layer, id, ...rest] = sel.split(':');
    if (layer && id && rest.length === 0 && ID.test(layer) && /^[\w.-]{1,64}$/.test(id)) out.selection = { layer, id };
    else warn(`ignored invalid selection`);
  }
  return out;
}

export function encodeUrlState(state: AppState, defaults: Pick<AppState, 'city' | 'lang' | 'mode'>): string {
  const p = new URLSearchParams();
  if (state.city !== defaults.city) p.set('city', state.city);
  p.set('layers', state.layers.length ? state.layers.join(',') : '-');
  if (state.view) p.set('v', formatView(state.view));
  p.set('t', state.time);
  if (state.lang !== defaults.lang) p.set('lang', state.lang);
  if (state.mode !== defaults.mode) p.set('mode', state.mode);
  if (state.theme !== 'auto') p.set('theme', state.theme);
  if (state.basemap !== 'offline') p.set('basemap', state.basemap);
  if (state.pack) p.set('pack', state.pack);
  if (state.pollutant !== 'aqi') p.set('pol', state.pollutant);
  if (!state.controls) p.set('controls', 'off');
  if (state.step !== 'hour') p.set('step', state.step);
  if (state.period) p.set('period', `${state.period[0]}..${state.period[1]}`);
  if (state.surface) p.set('surf', 'on');
  if (state.airMap === 'period' && state.period) p.set('am', 'period');
  if (state.dock) p.set('dock', state.dock);
  if (state.story) p.set('story', state.story);
  if ((state.mode === 'present' || state.mode === 'kiosk') && state.slide > 1) p.set('slide', String(state.slide));
  if (state.compareYear !== null) {
    p.set('cmp', String(state.compareYear));
    if (state.swipe !== 0.5) p.set('swipe', state.swipe.toFixed(3).replace(/0+$/, ''));
  }
  if (state.facTypes.length) p.set('fac', state.facTypes.join(','));
  if (state.parkFilter?.area) p.set('pa', state.parkFilter.area.map((v) => Math.round(v)).join(','));
  if (state.parkFilter?.districts.length) p.set('pd', state.parkFilter.districts.join(','));
  for (const f of state.addedFacilities) p.append('addfac', `${f.type},${+f.lon.toFixed(5)},${+f.lat.toFixed(5)}`);
  if (state.isoDistances) p.set('isod', state.isoDistances.join(','));
  if (state.iso) p.set('iso', `${+state.iso[0].toFixed(5)},${+state.iso[1].toFixed(5)}`);
  for (const ring of state.drawnParks) p.append('park', formatRing(ring));
  if (state.selection) p.set('sel', `${state.selection.layer}:${state.selection.id}`);
  // Commas and semicolons read better in a shared link than %2C and %3B.
  return p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%3B/g, ';');
}

export const MAX_DRAWN_PARKS = 10;
export const MAX_ADDED_FACILITIES = 20;
export const MAX_RING_VERTICES = 100;

/** Rounds to 5 decimals (about 1 m), the precision a shared link keeps. */
export function roundRing(ring: DrawnRing): DrawnRing {
  return ring.map(([x, y]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]);
}

function parseRing(v: string): DrawnRing | null {
  const pts = v.split(';');
  if (pts.length < 3 || pts.length > MAX_RING_VERTICES) return null;
  const ring: DrawnRing = [];
  for (const pt of pts) {
    const [a, b, ...rest] = pt.split(',');
    const lon = Number(a);
    const lat = Number(b);
    if (rest.length || a === '' || b === '' || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 85) return null;
    ring.push([lon, lat]);
  }
  return roundRing(ring);
}

function formatRing(ring: DrawnRing): string {
  return ring.map(([x, y]) => `${+x.toFixed(5)},${+y.toFixed(5)}`).join(';');
}

function parseView(v: string): ViewState | null {
  const parts = v.split(',').map(Number);
  if (parts.length < 3 || parts.length > 5 || parts.some((n) => !Number.isFinite(n))) return null;
  const [lon, lat, zoom, bearing = 0, pitch = 0] = parts as [number, number, number, number?, number?];
  if (Math.abs(lon) > 180 || Math.abs(lat) > 85 || zoom < 0 || zoom > 22 || pitch < 0 || pitch > 85) return null;
  return { lon, lat, zoom, bearing: ((bearing % 360) + 360) % 360, pitch };
}

function formatView(v: ViewState): string {
  const parts = [v.lon.toFixed(5), v.lat.toFixed(5), v.zoom.toFixed(2)];
  if (v.bearing || v.pitch) parts.push(v.bearing.toFixed(1), v.pitch.toFixed(1));
  return parts.join(',');
}

export function isValidTime(t: string): boolean {
  const m = TIME.exec(t);
  if (!m) return false;
  const [, y, mo, d, h] = m.map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24;
}

export function isValidDay(d: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && isValidTime(`${d}T00`);
}
