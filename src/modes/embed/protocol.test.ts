import { describe, expect, it } from 'vitest';
import { HOST_MESSAGE_TYPES, MAX_MESSAGE_BYTES, parseHostMessage, type ParseResult } from './protocol';

const ctx = { cities: ['shenzhen', 'ningbo', 'jinan', 'qingdao'], layers: ['parks', 'restoration', 'air', 'lifecircle'] };
const msg = (type: string, payload?: unknown, extra: Record<string, unknown> = {}) => ({
  source: 'civic-atlas-host',
  version: 1,
  type,
  ...(payload === undefined ? {} : { payload }),
  ...extra,
});
const parse = (data: unknown) => parseHostMessage(data, ctx);
const SCRIPT = '<script>alert(1)</script>';

/** The error, after checking that no part of the hostile value leaked into it. */
function rejected(r: ParseResult, code: string, hostile?: string) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.code).toBe(code);
  if (hostile) expect(r.error.message).not.toContain(hostile);
  expect(r.error.message).not.toMatch(/[<>]/);
  return r.error;
}

describe('parseHostMessage: valid messages', () => {
  const cases: [string, unknown, unknown][] = [
    ['hello', undefined, {}],
    ['hello', {}, {}],
    ['setCity', { city: 'ningbo' }, { city: 'ningbo' }],
    ['setLayers', { layers: ['air', 'parks', 'air'] }, { layers: ['parks', 'air'] }],
    ['setLayers', { layers: [] }, { layers: [] }],
    ['setView', { lon: 114.05, lat: 22.55, zoom: 11 }, { lon: 114.05, lat: 22.55, zoom: 11, bearing: 0, pitch: 0 }],
    ['flyTo', { lon: -180, lat: 85, zoom: 22, bearing: -90, pitch: 85 }, { lon: -180, lat: 85, zoom: 22, bearing: 270, pitch: 85 }],
    ['setTime', { time: '2025-01-15T08' }, { time: '2025-01-15T08' }],
    ['play', undefined, {}],
    ['play', { speed: 4 }, { speed: 4 }],
    ['pause', {}, {}],
    ['setLanguage', { lang: 'en' }, { lang: 'en' }],
  ];
  it.each(cases)('%s %j', (type, payload, expected) => {
    const r = parse(msg(type, payload, { id: 'req-1' }));
    expect(r).toEqual({ ok: true, message: { source: 'civic-atlas-host', version: 1, id: 'req-1', type, payload: expected } });
  });

  it('covers every host message type', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(HOST_MESSAGE_TYPES));
  });

  it('treats properties set to undefined as absent, as JSON does', () => {
    expect(parse(msg('play', { speed: undefined }, { id: undefined, payload: undefined })).ok).toBe(true);
    const e = rejected(parse(msg('setCity', { city: undefined })), 'invalid_payload');
    expect(e.message).toBe('payload.city must be a string (got undefined)');
  });

  it('id is optional', () => {
    const r = parse(msg('pause'));
    expect(r.ok && r.message).toEqual({ source: 'civic-atlas-host', version: 1, type: 'pause', payload: {} });
  });
});

describe('parseHostMessage: envelope', () => {
  it.each([null, undefined, 42, 'setCity', [], true])('ignores non-messages (%j) as foreign', (data) => {
    rejected(parse(data), 'wrong_source');
  });
  it('rejects other sources without reading further', () => {
    rejected(parse({ ...msg('pause'), source: 'civic-atlas' }), 'wrong_source');
    rejected(parse({ type: 'setCity', payload: { city: 'ningbo' } }), 'wrong_source');
  });
  it('rejects other versions', () => {
    rejected(parse({ ...msg('pause'), version: 2 }), 'unsupported_version');
    rejected(parse({ ...msg('pause'), version: '1' }), 'unsupported_version');
  });
  it('rejects unknown types without echo', () => {
    const e = rejected(parse(msg(SCRIPT)), 'unknown_type', 'script');
    expect(e.message).toContain('setCity');
    rejected(parse(msg('__proto__')), 'unknown_type');
    rejected(parse(msg('toString')), 'unknown_type');
    rejected(parse({ source: 'civic-atlas-host', version: 1 }), 'unknown_type');
  });
  it('rejects unknown envelope keys', () => {
    const e = rejected(parse(msg('pause', {}, { [SCRIPT]: 1 })), 'malformed', 'script');
    expect(e.message).toContain(`${SCRIPT.length} chars`);
  });
  it('rejects bad ids without echo, and echoes good ones on later errors', () => {
    rejected(parse(msg('pause', {}, { id: SCRIPT })), 'invalid_id', 'script');
    rejected(parse(msg('pause', {}, { id: 'x'.repeat(65) })), 'invalid_id');
    rejected(parse(msg('pause', {}, { id: '' })), 'invalid_id');
    rejected(parse(msg('pause', {}, { id: 7 })), 'invalid_id');
    const r = parse(msg('setCity', { city: 'atlantis' }, { id: 'abc' }));
    expect(!r.ok && r.id).toBe('abc');
    expect(!r.ok && 'id' in r).toBe(true);
    const r2 = parse(msg('setCity', { city: 'atlantis' }));
    expect(!r2.ok && 'id' in r2).toBe(false);
  });
});

describe('parseHostMessage: payloads', () => {
  it('rejects a payload that is not an object', () => {
    rejected(parse(msg('setCity', 'ningbo')), 'invalid_payload', 'ningbo');
    rejected(parse(msg('setCity', ['ningbo'])), 'invalid_payload');
    rejected(parse(msg('pause', null)), 'invalid_payload');
  });
  it('rejects unknown payload keys (strict)', () => {
    rejected(parse(msg('pause', { now: true })), 'invalid_payload');
    rejected(parse(msg('setCity', { city: 'ningbo', zoom: 3 })), 'invalid_payload');
    rejected(parse(msg('setView', { lon: 1, lat: 1, zoom: 1, [SCRIPT]: 1 })), 'invalid_payload', 'script');
  });
  it('rejects wrong types, naming the type only', () => {
    const e = rejected(parse(msg('setCity', { city: 5 })), 'invalid_payload');
    expect(e.message).toBe('payload.city must be a string (got number)');
    rejected(parse(msg('setCity', {})), 'invalid_payload');
    rejected(parse(msg('setLayers', { layers: 'parks' })), 'invalid_payload', 'parks');
    rejected(parse(msg('setLayers', { layers: [1] })), 'invalid_payload');
    rejected(parse(msg('setView', { lon: '114', lat: 22, zoom: 10 })), 'invalid_payload');
    rejected(parse(msg('setTime', { time: 2025 })), 'invalid_payload');
    rejected(parse(msg('play', { speed: '2' })), 'invalid_payload');
    rejected(parse(msg('setLanguage', { lang: ['en'] })), 'invalid_payload');
  });
  it('rejects unknown city and layer ids without echo', () => {
    const e = rejected(parse(msg('setCity', { city: SCRIPT })), 'invalid_payload', 'script');
    expect(e.message).toBe('payload.city must be one of: shenzhen, ningbo, jinan, qingdao');
    rejected(parse(msg('setCity', { city: 'javascript:alert(1)' })), 'invalid_payload', 'javascript');
    rejected(parse(msg('setLayers', { layers: ['parks', SCRIPT] })), 'invalid_payload', 'script');
    rejected(parse(msg('setLayers', { layers: Array(65).fill('parks') })), 'invalid_payload');
  });
  it('rejects out-of-range views', () => {
    const base = { lon: 114, lat: 22, zoom: 10, bearing: 0, pitch: 0 };
    for (const bad of [{ lon: 180.1 }, { lon: -181 }, { lat: 85.1 }, { lat: -90 }, { zoom: -1 }, { zoom: 23 }, { pitch: 86 }, { pitch: -1 }, { bearing: 361 }]) {
      rejected(parse(msg('setView', { ...base, ...bad })), 'invalid_payload');
    }
    rejected(parse(msg('flyTo', { lon: 114, lat: 22 })), 'invalid_payload');
  });
  it('rejects non-finite numbers anywhere', () => {
    rejected(parse(msg('setView', { lon: NaN, lat: 22, zoom: 10 })), 'malformed');
    rejected(parse(msg('play', { speed: Infinity })), 'malformed');
  });
  it('rejects play speeds outside the player range', () => {
    rejected(parse(msg('play', { speed: 0 })), 'invalid_payload');
    rejected(parse(msg('play', { speed: 17 })), 'invalid_payload');
  });
  it('rejects invalid times', () => {
    for (const t of ['2025-02-30T08', '2025-01-15T24', '2025-01-15', '2025-01-15T8', '2025-01-15T08:00', SCRIPT]) {
      rejected(parse(msg('setTime', { time: t })), 'invalid_payload', t);
    }
  });
  it('rejects unknown languages', () => {
    rejected(parse(msg('setLanguage', { lang: 'fr' })), 'invalid_payload');
    rejected(parse(msg('setLanguage', { lang: 'ZH' })), 'invalid_payload');
  });
});

describe('parseHostMessage: hostile shapes', () => {
  it('rejects long strings by length alone, still correlating a valid id', () => {
    const r = parse(msg('setCity', { city: 'a'.repeat(5000) }, { id: 'big-1' }));
    const e = rejected(r, 'too_large');
    expect(e.message).toBe('string too long (5000 chars; at most 256)');
    expect(!r.ok && r.id).toBe('big-1');
  });
  it('rejects messages over 16 KiB', () => {
    const layers = Array.from({ length: 66 }, () => 'x'.repeat(250));
    rejected(parse(msg('setLayers', { layers })), 'too_large');
    const wide: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) wide[`k${i}`] = i;
    rejected(parse(msg('pause', wide)), 'too_large');
  });
  it('measures the size as JSON.stringify would', () => {
    const sized = (bytes: number) => {
      const payload: Record<string, string> = {};
      const m = msg('pause', payload);
      for (let i = 0; JSON.stringify(m).length < bytes - 120; i++) payload[`k${i}`] = 'v'.repeat(100);
      const size = JSON.stringify(m).length;
      return { m, size };
    };
    const under = sized(MAX_MESSAGE_BYTES);
    expect(under.size).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    rejected(parse(under.m), 'invalid_payload'); // past the size check, stopped by the unknown keys
    const over = sized(MAX_MESSAGE_BYTES + 200);
    expect(over.size).toBeGreaterThan(MAX_MESSAGE_BYTES);
    rejected(parse(over.m), 'too_large');
  });
  it('charges multi-byte characters as UTF-8', () => {
    // 70 strings of 250 CJK characters: 17,500 characters but over 50 KB as UTF-8.
    const layers = Array.from({ length: 70 }, () => '园'.repeat(250));
    expect(70 * 250).toBeGreaterThan(MAX_MESSAGE_BYTES);
    rejected(parse(msg('setLayers', { layers })), 'too_large');
  });
  it('rejects a huge sparse array before walking it', () => {
    const layers: string[] = [];
    layers.length = 1e9;
    const t = performance.now();
    rejected(parse(msg('setLayers', { layers })), 'too_large');
    expect(performance.now() - t).toBeLessThan(50);
    rejected(parse(msg('setLayers', { layers: [, 'parks'] })), 'malformed'); // eslint-disable-line no-sparse-arrays
  });
  it('rejects cyclic objects', () => {
    const payload: Record<string, unknown> = { city: 'ningbo' };
    payload.self = payload;
    rejected(parse(msg('setCity', payload)), 'malformed');
    const arr: unknown[] = [];
    arr.push(arr);
    rejected(parse(msg('setLayers', { layers: arr })), 'malformed');
  });
  it('accepts shared (non-cyclic) references', () => {
    const shared = { a: 1 };
    // Unknown keys, so it fails later, but not as cyclic.
    rejected(parse(msg('pause', { x: shared, y: shared })), 'invalid_payload');
  });
  it('rejects deep nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    rejected(parse(msg('setLayers', { layers: deep })), 'malformed');
  });
  it('rejects non-JSON values', () => {
    rejected(parse(msg('setCity', { city: new Date() })), 'malformed');
    rejected(parse(msg('setCity', { city: new Map() })), 'malformed');
    rejected(parse(msg('setCity', { city: 1n })), 'malformed');
    rejected(parse(msg('setLayers', { layers: [undefined] })), 'malformed');
    rejected(parse(msg('setCity', { city: () => 'ningbo' })), 'malformed');
  });
  it('never invokes getters', () => {
    let called = false;
    const payload = {
      get city() {
        called = true;
        return 'ningbo';
      },
    };
    rejected(parse(msg('setCity', payload)), 'malformed');
    const envelope = Object.defineProperty({ version: 1, type: 'pause' }, 'source', {
      get: () => ((called = true), 'civic-atlas-host'),
      enumerable: true,
    });
    rejected(parse(envelope), 'wrong_source');
    expect(called).toBe(false);
  });
  it('accepts null-prototype objects (structured clones may be built that way)', () => {
    const m = Object.assign(Object.create(null) as object, msg('setCity', { city: 'jinan' }));
    expect(parse(m).ok).toBe(true);
  });
});
