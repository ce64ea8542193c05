import { isValidTime } from '../../state/urlCodec';
import type { Lang, ViewState } from '../../state/types';

/**
 * The embed postMessage API, version 1: message types and the validator for
 * what a host page sends. The validator is pure and bounded: a message is a
 * structured clone the sender controls, so it may be cyclic, deep, huge or full
 * of markup. Error messages describe a bad value (its type, its length, what
 * was expected) and never repeat it, so a report can be shown or logged as-is.
 *
 * docs/embed-api.md documents the API; public/embed-api.v1.schema.json is its
 * JSON Schema and a test keeps the two in step with the lists below.
 */

export const API_VERSION = 1;
export const HOST_SOURCE = 'civic-atlas-host';
export const MAP_SOURCE = 'civic-atlas';

/** Serialised JSON size limit; nothing legitimate in v1 comes near it. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** No field of v1 needs a longer string; longer ones are rejected before any other check. */
export const MAX_STRING_LENGTH = 256;
const MAX_DEPTH = 8;
const MAX_LAYERS = 64;
/** Playback speed multiplier (1 = one clock hour per second), as the app's player clamps it. */
export const SPEED_RANGE = [0.5, 16] as const;
/** Echoed back to the host, so restricted to characters that are inert anywhere. */
const MESSAGE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export const HOST_MESSAGE_TYPES = [
  'hello',
  'setCity',
  'setLayers',
  'setView',
  'flyTo',
  'setTime',
  'play',
  'pause',
  'setLanguage',
] as const;
export const MAP_MESSAGE_TYPES = ['ready', 'ack', 'error', 'viewChanged', 'featureClicked'] as const;

export type HostMessageType = (typeof HOST_MESSAGE_TYPES)[number];
export type MapMessageType = (typeof MAP_MESSAGE_TYPES)[number];

/** 'wrong_source' is never sent: a message that is not ours gets no answer. */
export const ERROR_CODES = [
  'malformed',
  'too_large',
  'wrong_source',
  'unsupported_version',
  'unknown_type',
  'invalid_id',
  'invalid_payload',
  'not_supported',
  'rate_limited',
  'target_failed',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

interface HostEnvelope<T extends HostMessageType, P> {
  source: typeof HOST_SOURCE;
  version: typeof API_VERSION;
  /** Correlates the map's ack/error reply (`replyTo`). */
  id?: string;
  type: T;
  payload: P;
}

type Empty = Record<string, never>;
export type HostMessage =
  | HostEnvelope<'hello', Empty>
  | HostEnvelope<'setCity', { city: string }>
  | HostEnvelope<'setLayers', { layers: string[] }>
  | HostEnvelope<'setView', ViewState>
  | HostEnvelope<'flyTo', ViewState>
  | HostEnvelope<'setTime', { time: string }>
  | HostEnvelope<'play', { speed?: number }>
  | HostEnvelope<'pause', Empty>
  | HostEnvelope<'setLanguage', { lang: Lang }>;

interface MapEnvelope<T extends MapMessageType, P> {
  source: typeof MAP_SOURCE;
  version: typeof API_VERSION;
  type: T;
  replyTo?: string;
  payload: P;
}

export type FeatureProperties = Record<string, string | number | boolean | null>;
export type MapMessage =
  | MapEnvelope<'ready', { version: typeof API_VERSION; capabilities: string[]; cities: string[]; layers: string[] }>
  | MapEnvelope<'ack', { type: HostMessageType }>
  | MapEnvelope<'error', { code: string; message: string }>
  | MapEnvelope<'viewChanged', ViewState>
  | MapEnvelope<'featureClicked', { layer: string; id: string; properties: FeatureProperties }>;

export interface ProtocolError {
  code: ErrorCode;
  message: string;
}
export type ParseResult =
  | { ok: true; message: HostMessage }
  /** `id` is set when the envelope carried a valid one, so the error can be a reply. */
  | { ok: false; error: ProtocolError; id?: string };

export interface ParseContext {
  cities: string[];
  layers: string[];
}

class Reject extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function parseHostMessage(data: unknown, ctx: ParseContext): ParseResult {
  let id: string | undefined;
  try {
    // Source first, read without invoking anything: a message of some other
    // library is not ours to judge, and costs no more than this one look.
    const source =
      typeof data === 'object' && data !== null ? Object.getOwnPropertyDescriptor(data, 'source')?.value : undefined;
    if (source !== HOST_SOURCE) throw new Reject('wrong_source', `source must be "${HOST_SOURCE}"`);
    // A valid id is taken before the size check, so even a too_large error can be correlated.
    const peek: unknown = Object.getOwnPropertyDescriptor(data, 'id')?.value;
    if (typeof peek === 'string' && MESSAGE_ID.test(peek)) id = peek;
    checkShape(data);
    const env = data as Record<string, unknown>;
    if (Array.isArray(env)) throw new Reject('malformed', 'message must be an object');
    if (env.version !== API_VERSION)
      throw new Reject('unsupported_version', `version must be ${API_VERSION} (got ${describeValue(env.version)})`);
    if (env.id !== undefined) {
      if (typeof env.id !== 'string' || !MESSAGE_ID.test(env.id))
        throw new Reject('invalid_id', 'id must be 1–64 characters of A–Z a–z 0–9 _ . : -');
      id = env.id;
    }
    onlyKeys(env, ['source', 'version', 'id', 'type', 'payload'], 'message');
    const type = env.type;
    if (typeof type !== 'string' || !(HOST_MESSAGE_TYPES as readonly string[]).includes(type))
      throw new Reject('unknown_type', `type must be one of: ${HOST_MESSAGE_TYPES.join(', ')}`);
    const payload = readPayload(type as HostMessageType, env.payload, ctx);
    const message = { source: HOST_SOURCE, version: API_VERSION, type, payload } as HostMessage;
    if (id !== undefined) message.id = id;
    return { ok: true, message };
  } catch (e) {
    if (!(e instanceof Reject)) throw e;
    const error = { code: e.code, message: e.message };
    return id === undefined ? { ok: false, error } : { ok: false, error, id };
  }
}

function readPayload(type: HostMessageType, raw: unknown, ctx: ParseContext): HostMessage['payload'] {
  // Messages without fields may leave the payload out.
  const p = raw === undefined ? {} : raw;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw new Reject('invalid_payload', `payload must be an object (got ${describeValue(p)})`);
  const o = p as Record<string, unknown>;
  switch (type) {
    case 'hello':
    case 'pause':
      onlyKeys(o, [], 'payload');
      return {};
    case 'setCity':
      onlyKeys(o, ['city'], 'payload');
      return { city: oneOf(o.city, ctx.cities, 'payload.city') };
    case 'setLayers': {
      onlyKeys(o, ['layers'], 'payload');
      if (!Array.isArray(o.layers)) throw bad(`payload.layers must be an array (got ${describeValue(o.layers)})`);
      if (o.layers.length > MAX_LAYERS) throw bad(`payload.layers has too many entries (${o.layers.length})`);
      const wanted = new Set(o.layers.map((l, i) => oneOf(l, ctx.layers, `payload.layers[${i}]`)));
      // The store keeps layers in catalog order, without duplicates.
      return { layers: ctx.layers.filter((l) => wanted.has(l)) };
    }
    case 'setView':
    case 'flyTo':
      onlyKeys(o, ['lon', 'lat', 'zoom', 'bearing', 'pitch'], 'payload');
      return readView(o);
    case 'setTime': {
      onlyKeys(o, ['time'], 'payload');
      const t = o.time;
      if (typeof t !== 'string') throw bad(`payload.time must be a string (got ${describeValue(t)})`);
      if (!isValidTime(t)) throw bad('payload.time must be a valid hour "YYYY-MM-DDTHH" in China Standard Time');
      return { time: t };
    }
    case 'play': {
      onlyKeys(o, ['speed'], 'payload');
      if (o.speed === undefined) return {};
      return { speed: number(o.speed, 'payload.speed', SPEED_RANGE[0], SPEED_RANGE[1]) };
    }
    case 'setLanguage':
      onlyKeys(o, ['lang'], 'payload');
      return { lang: oneOf(o.lang, ['zh', 'en'], 'payload.lang') as Lang };
  }
}

function readView(o: Record<string, unknown>): ViewState {
  const lon = number(o.lon, 'payload.lon', -180, 180);
  const lat = number(o.lat, 'payload.lat', -85, 85);
  const zoom = number(o.zoom, 'payload.zoom', 0, 22);
  const bearing = o.bearing === undefined ? 0 : number(o.bearing, 'payload.bearing', -360, 360);
  const pitch = o.pitch === undefined ? 0 : number(o.pitch, 'payload.pitch', 0, 85);
  // Same normalisation as the URL's view, so both routes store the same value.
  return { lon, lat, zoom, bearing: ((bearing % 360) + 360) % 360, pitch };
}

function bad(message: string): Reject {
  return new Reject('invalid_payload', message);
}

function number(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${name} must be a finite number (got ${describeValue(v)})`);
  if (v < min || v > max) throw bad(`${name} must be between ${min} and ${max}`);
  return v;
}

function oneOf(v: unknown, allowed: readonly string[], name: string): string {
  if (typeof v !== 'string') throw bad(`${name} must be a string (got ${describeValue(v)})`);
  if (!allowed.includes(v)) throw bad(`${name} must be one of: ${list(allowed)}`);
  return v;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], name: string): void {
  for (const k in o) {
    if (!allowed.includes(k) && o[k] !== undefined) {
      throw new Reject(
        name === 'message' ? 'malformed' : 'invalid_payload',
        `${name} has an unknown key (${k.length} chars); allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
      );
    }
  }
}

/** A short, value-free description: the type, and a string's length. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string of ${v.length} chars`;
  if (typeof v === 'number' && !Number.isFinite(v)) return 'non-finite number';
  return typeof v;
}

function list(ids: readonly string[]): string {
  return ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, …` : ids.join(', ') || '(none)';
}

/**
 * Walks the value once, charging its JSON size against the 16 KiB budget, and
 * stops at the first thing that is not plain JSON data or breaks a limit. Every
 * step costs budget, so the work is bounded whatever the sender built; cycles
 * are caught on the path, and getters are never invoked.
 */
function checkShape(root: unknown): void {
  let budget = MAX_MESSAGE_BYTES;
  const spend = (n: number) => {
    budget -= n;
    if (budget < 0) throw new Reject('too_large', `message is larger than ${MAX_MESSAGE_BYTES} bytes as JSON`);
  };
  const path = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Reject('malformed', `message is nested more than ${MAX_DEPTH} levels deep`);
    switch (typeof v) {
      case 'string':
        return spend(stringBytes(v));
      case 'number':
        if (!Number.isFinite(v)) throw new Reject('malformed', 'message contains a non-finite number');
        return spend(String(v).length);
      case 'boolean':
        return spend(v ? 4 : 5);
      case 'object':
        break;
      default:
        throw new Reject('malformed', `message contains a value of type ${typeof v}, which JSON cannot hold`);
    }
    if (v === null) return spend(4);
    if (path.has(v)) throw new Reject('malformed', 'message is cyclic');
    if (Array.isArray(v)) {
      // Charge the separators up front so a huge or sparse array fails before any loop.
      spend(2 + Math.max(0, v.length - 1));
      path.add(v);
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new Reject('malformed', 'message contains an array with holes');
        walk(v[i], depth + 1);
      }
      path.delete(v);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new Reject('malformed', 'message contains an object that is not plain data (e.g. Date, Map, Blob)');
    spend(2);
    path.add(v);
    for (const k in v) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (!d) continue; // inherited enumerable property: not part of the message
      if (!('value' in d)) throw new Reject('malformed', 'message contains an accessor property');
      // As in JSON, a property set to undefined is an absent property.
      if (d.value === undefined) continue;
      spend(stringBytes(k) + 2);
      walk(d.value, depth + 1);
    }
    path.delete(v);
  };
  walk(root, 0);
}

/** UTF-8 bytes of the string as a JSON literal; long strings fail on length alone. */
function stringBytes(s: string): number {
  if (s.length > MAX_STRING_LENGTH)
    throw new Reject('too_large', `string too long (${s.length} chars; at most ${MAX_STRING_LENGTH})`);
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x20 ? 6 : c === 0x22 || c === 0x5c ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}
