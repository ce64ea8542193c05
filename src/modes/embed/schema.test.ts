import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createEmbedBridge, type EmbedBridgeOptions } from './bridge';
import { ERROR_CODES, HOST_MESSAGE_TYPES, MAP_MESSAGE_TYPES, parseHostMessage } from './protocol';

/**
 * Keeps the three descriptions of the API in step: protocol.ts, the JSON
 * Schema in public/ and the examples in docs/embed-api.md.
 */

type Schema = Record<string, unknown>;
const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const schema = JSON.parse(read('../../../public/embed-api.v1.schema.json')) as Schema;
const doc = read('../../../docs/embed-api.md');
const catalog = JSON.parse(read('../../../data/catalog.json')) as { cities: { id: string }[]; layers: { id: string }[] };
const ctx = { cities: catalog.cities.map((c) => c.id), layers: catalog.layers.map((l) => l.id) };
const defs = schema.$defs as Record<string, Schema>;

/** The subset of draft 2020-12 the schema uses; an unknown keyword fails loudly rather than passing silently. */
function valid(s: Schema, v: unknown): boolean {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const typeOf = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);
  for (const [k, a] of Object.entries(s)) {
    const ok = (() => {
      switch (k) {
        case '$schema': case '$id': case 'title': case 'description': case '$defs':
          return true;
        case '$ref':
          return valid(defs[(a as string).replace('#/$defs/', '')]!, v);
        case 'oneOf':
          return (a as Schema[]).filter((b) => valid(b, v)).length === 1;
        case 'anyOf':
          return (a as Schema[]).some((b) => valid(b, v));
        case 'type':
          return typeOf(v) === a;
        case 'const':
          return v === a;
        case 'enum':
          return (a as unknown[]).includes(v);
        case 'properties':
          return !isObj(v) || Object.entries(a as Record<string, Schema>).every(([p, ps]) => !(p in v) || valid(ps, v[p]));
        case 'required':
          return !isObj(v) || (a as string[]).every((p) => p in v);
        case 'additionalProperties': {
          if (!isObj(v)) return true;
          const known = Object.keys((s.properties ?? {}) as object);
          return Object.keys(v).filter((p) => !known.includes(p)).every((p) => (a === false ? false : valid(a as Schema, v[p])));
        }
        case 'maxProperties':
          return !isObj(v) || Object.keys(v).length <= (a as number);
        case 'propertyNames':
          return !isObj(v) || Object.keys(v).every((p) => valid(a as Schema, p));
        case 'items':
          return !Array.isArray(v) || v.every((x) => valid(a as Schema, x));
        case 'maxItems':
          return !Array.isArray(v) || v.length <= (a as number);
        case 'maxLength':
          return typeof v !== 'string' || [...v].length <= (a as number);
        case 'pattern':
          return typeof v !== 'string' || new RegExp(a as string, 'u').test(v);
        case 'minimum':
          return typeof v !== 'number' || v >= (a as number);
        case 'maximum':
          return typeof v !== 'number' || v <= (a as number);
        case 'exclusiveMaximum':
          return typeof v !== 'number' || v < (a as number);
        default:
          throw new Error(`schema keyword ${k} not understood by this test`);
      }
    })();
    if (!ok) return false;
  }
  return true;
}

const docExamples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => JSON.parse(m[1]!) as Record<string, unknown>)
  .filter((m) => m.source === 'civic-atlas-host' || m.source === 'civic-atlas');

describe('embed-api.v1.schema.json', () => {
  it('is draft 2020-12 and lists every message type protocol.ts knows', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const refs = (name: string) => (defs[name]!.oneOf as { $ref: string }[]).map((r) => r.$ref);
    expect(refs('hostMessage')).toEqual(HOST_MESSAGE_TYPES.map((t) => `#/$defs/host.${t}`));
    expect(refs('mapMessage')).toEqual(MAP_MESSAGE_TYPES.map((t) => `#/$defs/map.${t}`));
    expect(defs.hostTypes!.enum).toEqual([...HOST_MESSAGE_TYPES]);
    for (const t of HOST_MESSAGE_TYPES) expect((defs[`host.${t}`]!.properties as Schema).type).toEqual({ const: t });
    for (const t of MAP_MESSAGE_TYPES) expect((defs[`map.${t}`]!.properties as Schema).type).toEqual({ const: t });
  });

  it('agrees with the parser on what it accepts and rejects', () => {
    const base = { source: 'civic-atlas-host', version: 1 };
    const good = [
      { ...base, type: 'hello' },
      { ...base, type: 'setLayers', payload: { layers: [] } },
      { ...base, id: 'a.b:c-1_2', type: 'flyTo', payload: { lon: 180, lat: -85, zoom: 0, bearing: 360, pitch: 85 } },
      { ...base, type: 'play' },
    ];
    const bad = [
      { ...base, version: 2, type: 'pause' },
      { ...base, type: 'pause', extra: 1 },
      { ...base, id: '<x>', type: 'pause' },
      { ...base, type: 'reload' },
      { ...base, type: 'setCity' },
      { ...base, type: 'setCity', payload: { city: 'Shenzhen!' } },
      { ...base, type: 'setView', payload: { lon: 0, lat: 86, zoom: 1 } },
      { ...base, type: 'setView', payload: { lon: 0, lat: 0, zoom: 1, roll: 1 } },
      { ...base, type: 'setTime', payload: { time: '2025-1-15T08' } },
      { ...base, type: 'play', payload: { speed: 0.1 } },
      { ...base, type: 'setLanguage', payload: { lang: 'de' } },
      { ...base, type: 'setLayers', payload: { layers: Array(65).fill('parks') } },
    ];
    for (const m of good) expect([m, parseHostMessage(m, ctx).ok, valid(schema, m)]).toEqual([m, true, true]);
    for (const m of bad) expect([m, parseHostMessage(m, ctx).ok, valid(schema, m)]).toEqual([m, false, false]);
  });
});

describe('docs/embed-api.md', () => {
  it('has an example of every message type', () => {
    const types = new Set(docExamples.map((m) => `${m.source as string}:${m.type as string}`));
    for (const t of HOST_MESSAGE_TYPES) expect(types).toContain(`civic-atlas-host:${t}`);
    for (const t of MAP_MESSAGE_TYPES) expect(types).toContain(`civic-atlas:${t}`);
  });

  it('every example is valid against the schema, and every host example against the parser', () => {
    for (const m of docExamples) {
      expect([m, valid(schema, m)]).toEqual([m, true]);
      if (m.source === 'civic-atlas-host') expect([m, parseHostMessage(m, ctx).ok]).toEqual([m, true]);
    }
  });

  it('documents every error code that can be sent', () => {
    for (const code of ERROR_CODES.filter((c) => c !== 'wrong_source')) expect(doc).toContain(`| \`${code}\` |`);
  });
});

describe('the bridge sends only what the schema allows', () => {
  it('ready, ack, error, viewChanged and featureClicked', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const sent: unknown[] = [];
    let listener: (e: Event) => void = () => {};
    const parent = { postMessage: (m: unknown) => sent.push(structuredClone(m)) };
    const noop = () => {};
    const bridge = createEmbedBridge({
      window: { addEventListener: (_: string, l: (e: Event) => void) => (listener = l), removeEventListener: noop } as unknown as EmbedBridgeOptions['window'],
      parent,
      allowedOrigins: '*',
      target: { setCity: noop, setLayers: noop, setView: noop, setTime: noop, play: noop, pause: noop, setLanguage: noop },
      ...ctx,
      capabilities: [...HOST_MESSAGE_TYPES],
    });
    const deliver = (data: unknown) => listener({ data, origin: 'https://news.example.cn', source: parent } as unknown as Event);
    bridge.ready();
    deliver({ source: 'civic-atlas-host', version: 1, id: 'r1', type: 'setCity', payload: { city: 'ningbo' } });
    deliver({ source: 'civic-atlas-host', version: 1, id: 'r2', type: 'setCity', payload: { city: 'x'.repeat(300) } });
    for (let i = 0; i < 70; i++) deliver({ source: 'civic-atlas-host', version: 1, type: 'pause' });
    bridge.viewChanged({ lon: 474.1234567, lat: 22.5, zoom: 10, bearing: -45, pitch: 30 });
    const props: Record<string, unknown> = { name: 'x'.repeat(900), nested: { a: 1 }, n: Infinity };
    for (let i = 0; i < 80; i++) props[`${'k'.repeat(100)}${i}`] = i;
    bridge.featureClicked({ layer: 'parks', id: 'p'.repeat(400), properties: props });
    bridge.error({ code: 'data_unavailable', message: 'm'.repeat(900) });
    bridge.destroy();
    const types = new Set(sent.map((m) => (m as { type: string }).type));
    expect(types).toEqual(new Set(MAP_MESSAGE_TYPES));
    for (const m of sent) expect([m, valid(schema, m)]).toEqual([m, true]);
  });
});
