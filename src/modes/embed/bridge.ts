import type { Lang, ViewState } from '../../state/types';
import {
  API_VERSION,
  MAP_SOURCE,
  parseHostMessage,
  type ErrorCode,
  type FeatureProperties,
  type HostMessage,
  type HostMessageType,
  type MapMessage,
  type MapMessageType,
} from './protocol';

/**
 * The map side of the embed postMessage API (docs/embed-api.md). Origin and
 * window checks come before anything else, so a message from a page that is
 * not allowed costs one comparison and gets no answer: replying would tell
 * an unknown page that the map is there and what it speaks.
 */

/** What the app does for each command. A returned promise delays the ack until it settles. */
export interface EmbedTarget {
  setCity(id: string): void | Promise<void>;
  setLayers(ids: string[]): void | Promise<void>;
  setView(v: ViewState, animate: boolean): void | Promise<void>;
  setTime(t: string): void | Promise<void>;
  play(speed?: number): void | Promise<void>;
  pause(): void | Promise<void>;
  setLanguage(l: Lang): void | Promise<void>;
}

export interface PostTarget {
  postMessage(msg: unknown, targetOrigin: string): void;
}

export interface RejectReason {
  code: ErrorCode | 'origin_not_allowed' | 'wrong_window';
  message: string;
  /** The sender's origin as the browser reported it (never message content). */
  origin: string;
}

export interface EmbedBridgeOptions {
  window: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** `window.parent`, or null when the map is not framed (`window.parent === window`). */
  parent: PostTarget | null;
  allowedOrigins: string[] | '*';
  target: EmbedTarget;
  cities: string[];
  layers: string[];
  /** Host message types this map honours, announced in `ready`; others get `not_supported`. */
  capabilities: string[];
  onReject?: (reason: RejectReason) => void;
}

export interface FeatureClick {
  layer: string;
  id: string | number;
  /** A plain object; anything but strings, finite numbers, booleans and null is dropped. */
  properties?: unknown;
}

export interface EmbedBridge {
  ready(): void;
  /** Throttled to at most one message per VIEW_INTERVAL_MS; the latest view wins. */
  viewChanged(view: ViewState): void;
  featureClicked(f: FeatureClick): void;
  error(e: { code: string; message: string }): void;
  destroy(): void;
}

export const VIEW_INTERVAL_MS = 250;
export const RATE_LIMIT_PER_SECOND = 60;
const REPORTS_PER_SECOND = 10;
export const PROPERTY_LIMITS = { keys: 50, keyLength: 64, valueLength: 500, idLength: 128 } as const;

export function createEmbedBridge(opts: EmbedBridgeOptions): EmbedBridge {
  const { allowedOrigins, target, capabilities } = opts;
  const parent = (opts.parent as unknown) === opts.window ? null : opts.parent;
  const ctx = { cities: [...opts.cities], layers: [...opts.layers] };
  /** The last host whose message passed validation: where replies and events go. */
  let host: { window: PostTarget; origin: string } | null = null;

  let rateStart = -Infinity;
  let rateCount = 0;
  let reportStart = -Infinity;
  let reports = 0;
  let suppressed = 0;

  let lastView: ViewState | null = null;
  let lastViewSent = -Infinity;
  let viewTimer: ReturnType<typeof setTimeout> | undefined;

  // An opaque origin cannot be named as a targetOrigin; only '*' reaches it.
  const targetOriginFor = (origin: string) => (origin === 'null' ? '*' : origin);

  function post(to: PostTarget, msg: MapMessage, targetOrigin: string): void {
    try {
      to.postMessage(msg, targetOrigin);
    } catch (e) {
      console.warn('[civic-atlas] embed: postMessage failed', e);
    }
  }

  function envelope<T extends MapMessageType>(
    type: T,
    payload: Extract<MapMessage, { type: T }>['payload'],
    replyTo?: string,
  ): MapMessage {
    const msg = { source: MAP_SOURCE, version: API_VERSION, type, payload } as MapMessage;
    if (replyTo !== undefined) msg.replyTo = replyTo;
    return msg;
  }

  /** Events (not replies): to the known host, else to the parent under each allowlisted origin. */
  function emit(msg: MapMessage): void {
    if (host) return post(host.window, msg, targetOriginFor(host.origin));
    if (!parent) return;
    if (allowedOrigins === '*') {
      // Before any host has spoken only `ready` may go to an unknown parent: it says nothing but what the map speaks.
      if (msg.type === 'ready') post(parent, msg, '*');
      return;
    }
    // The browser delivers only under the parent's real origin, so at most one copy arrives.
    for (const o of allowedOrigins) if (o !== 'null') post(parent, msg, o);
  }

  function report(reason: RejectReason): void {
    const now = Date.now();
    if (now - reportStart >= 1000) {
      if (suppressed) console.warn(`[civic-atlas] embed: ${suppressed} more rejected message(s) not reported`);
      reportStart = now;
      reports = 0;
      suppressed = 0;
    }
    if (++reports > REPORTS_PER_SECOND) {
      suppressed++;
      return;
    }
    console.warn(`[civic-atlas] embed: rejected a message from ${reason.origin.slice(0, 200)}: ${reason.code}: ${reason.message}`);
    try {
      opts.onReject?.(reason);
    } catch (e) {
      console.error(e);
    }
  }

  function originAllowed(origin: string): boolean {
    if (allowedOrigins === '*') return origin !== 'null' && origin !== '';
    return allowedOrigins.includes(origin);
  }

  function onMessage(event: Event): void {
    const { origin, data, source } = event as MessageEvent;
    if (typeof origin !== 'string' || !originAllowed(origin)) {
      return report({ code: 'origin_not_allowed', message: 'origin is not in the allowlist', origin: String(origin) });
    }
    // Framed, only the embedding page may command; this keeps out sibling frames and scripts in the map's own window.
    const from = parent ?? (isPostTarget(source) ? source : null);
    if (!from || (parent && source !== parent)) {
      return report({ code: 'wrong_window', message: 'message did not come from the embedding page', origin });
    }
    const reply = (msg: MapMessage) => post(from, msg, targetOriginFor(origin));
    const replyError = (code: ErrorCode, message: string, replyTo?: string) =>
      reply(envelope('error', { code, message }, replyTo));

    const now = Date.now();
    if (now - rateStart >= 1000) {
      rateStart = now;
      rateCount = 0;
    }
    if (++rateCount > RATE_LIMIT_PER_SECOND) {
      if (rateCount === RATE_LIMIT_PER_SECOND + 1) {
        const message = `more than ${RATE_LIMIT_PER_SECOND} messages in a second; the rest of this second is ignored`;
        report({ code: 'rate_limited', message, origin });
        replyError('rate_limited', message);
      }
      return;
    }

    const parsed = parseHostMessage(data, ctx);
    if (!parsed.ok) {
      report({ ...parsed.error, origin });
      // Someone else's message is not addressed to us; answering it would only be noise.
      if (parsed.error.code !== 'wrong_source') replyError(parsed.error.code, parsed.error.message, parsed.id);
      return;
    }
    const msg = parsed.message;
    if (msg.type !== 'hello' && !capabilities.includes(msg.type)) {
      const message = `this map does not support ${msg.type}; see capabilities in ready`;
      report({ code: 'not_supported', message, origin });
      return replyError('not_supported', message, msg.id);
    }

    const newHost = !host || host.origin !== origin;
    host = { window: from, origin };
    const done = () => {
      reply(envelope('ack', { type: msg.type }, msg.id));
      // A host that just introduced itself has missed every viewChanged so far.
      if (newHost && lastView) scheduleView();
    };
    const failed = (e: unknown) => {
      console.error(`[civic-atlas] embed: ${msg.type} failed`, e);
      replyError('target_failed', `${msg.type} could not be applied`, msg.id);
    };
    let result: unknown;
    try {
      result = dispatch(msg);
    } catch (e) {
      return failed(e);
    }
    if (isThenable(result)) result.then(done, failed);
    else done();
  }

  function dispatch(msg: HostMessage): unknown {
    switch (msg.type) {
      case 'hello':
        return undefined;
      case 'setCity':
        return target.setCity(msg.payload.city);
      case 'setLayers':
        return target.setLayers(msg.payload.layers);
      case 'setView':
      case 'flyTo':
        return target.setView(msg.payload, msg.type === 'flyTo');
      case 'setTime':
        return target.setTime(msg.payload.time);
      case 'play':
        return msg.payload.speed === undefined ? target.play() : target.play(msg.payload.speed);
      case 'pause':
        return target.pause();
      case 'setLanguage':
        return target.setLanguage(msg.payload.lang);
    }
  }

  function scheduleView(): void {
    if (viewTimer !== undefined) return; // the pending send will pick up the latest view
    const wait = lastViewSent + VIEW_INTERVAL_MS - Date.now();
    if (wait <= 0) return sendView();
    viewTimer = setTimeout(() => {
      viewTimer = undefined;
      sendView();
    }, wait);
  }

  function sendView(): void {
    if (!lastView) return;
    lastViewSent = Date.now();
    emit(envelope('viewChanged', lastView));
  }

  opts.window.addEventListener('message', onMessage);

  return {
    ready() {
      emit(
        envelope('ready', {
          version: API_VERSION,
          capabilities: [...capabilities],
          cities: [...ctx.cities],
          layers: [...ctx.layers],
        }),
      );
    },
    viewChanged(view) {
      const v = roundView(view);
      if (!v) return console.warn('[civic-atlas] embed: viewChanged with a non-finite view ignored');
      lastView = v;
      scheduleView();
    },
    featureClicked(f) {
      emit(
        envelope('featureClicked', {
          layer: truncate(String(f.layer), PROPERTY_LIMITS.keyLength),
          id: truncate(String(f.id), PROPERTY_LIMITS.idLength),
          properties: sanitiseProperties(f.properties),
        }),
      );
    },
    error(e) {
      const code = /^[a-z][a-z0-9_]{0,31}$/.test(String(e.code)) ? e.code : 'internal';
      emit(envelope('error', { code, message: truncate(String(e.message), PROPERTY_LIMITS.valueLength) }));
    },
    destroy() {
      opts.window.removeEventListener('message', onMessage);
      clearTimeout(viewTimer);
      viewTimer = undefined;
    },
  };
}

function isPostTarget(v: unknown): v is PostTarget {
  return typeof v === 'object' && v !== null && typeof (v as PostTarget).postMessage === 'function';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

/**
 * Into the ranges hosts may send back (MapLibre reports wrapped longitudes and
 * bearings in ±180), rounded to what a camera can show to keep messages short.
 */
function roundView(v: ViewState): ViewState | null {
  const nums = [v.lon, v.lat, v.zoom, v.bearing, v.pitch];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const r = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
  const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
  const wrap = (n: number, lo: number) => ((((n - lo) % 360) + 360) % 360) + lo;
  return {
    lon: r(wrap(v.lon, -180), 6),
    lat: r(clamp(v.lat, -85, 85), 6),
    zoom: r(clamp(v.zoom, 0, 22), 3),
    bearing: r(wrap(v.bearing, 0), 2) % 360,
    pitch: r(clamp(v.pitch, 0, 85), 2),
  };
}

/** Cuts to `max` chars with a trailing '…', never between the halves of a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}

/**
 * Flat, JSON-safe copy of a feature's properties. Values stay data: the host
 * must render them as text. `__proto__` is dropped so a host that merges the
 * object into another (Object.assign, spread into a literal) cannot have its
 * prototype replaced.
 */
export function sanitiseProperties(p: unknown): FeatureProperties {
  const out: FeatureProperties = Object.create(null) as FeatureProperties;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return out;
  let kept = 0;
  let seen = 0;
  for (const k in p) {
    // Bound the walk too, not just the result: skipped keys cost work as well.
    if (kept >= PROPERTY_LIMITS.keys || ++seen > PROPERTY_LIMITS.keys * 4) break;
    const d = Object.getOwnPropertyDescriptor(p, k);
    if (!d || !('value' in d)) continue;
    const key = truncate(k, PROPERTY_LIMITS.keyLength);
    if (key === '__proto__' || key in out) continue;
    const v = plainValue(d.value);
    if (v === undefined) continue;
    out[key] = v;
    kept++;
  }
  return out;
}

function plainValue(v: unknown): string | number | boolean | null | undefined {
  switch (typeof v) {
    case 'string':
      return truncate(v, PROPERTY_LIMITS.valueLength);
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'boolean':
      return v;
    case 'bigint':
      return truncate(v.toString(), PROPERTY_LIMITS.valueLength);
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      return undefined;
    default:
      return undefined;
  }
}
