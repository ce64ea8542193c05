import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmbedBridge, PROPERTY_LIMITS, RATE_LIMIT_PER_SECOND, sanitiseProperties, type EmbedBridgeOptions, type EmbedTarget } from './bridge';
import { HOST_MESSAGE_TYPES } from './protocol';

const HOST = 'https://news.example.cn';

class FakeWindow {
  private readonly listeners = new Set<(e: Event) => void>();
  addEventListener(type: string, fn: (e: Event) => void) {
    if (type === 'message') this.listeners.add(fn);
  }
  removeEventListener(type: string, fn: (e: Event) => void) {
    if (type === 'message') this.listeners.delete(fn);
  }
  deliver(data: unknown, origin: string, source: unknown) {
    for (const l of this.listeners) l({ data, origin, source } as unknown as Event);
  }
  get count() {
    return this.listeners.size;
  }
}

class FakeParent {
  sent: { msg: Record<string, unknown>; origin: string }[] = [];
  postMessage(msg: unknown, origin: string) {
    // A real postMessage clones; so does this, which also proves messages are cloneable.
    this.sent.push({ msg: structuredClone(msg) as Record<string, unknown>, origin });
  }
  take() {
    const s = this.sent;
    this.sent = [];
    return s;
  }
}

const targetCalls: unknown[][] = [];
const target: EmbedTarget = {
  setCity: (id) => void targetCalls.push(['setCity', id]),
  setLayers: (ids) => void targetCalls.push(['setLayers', ids]),
  setView: (v, animate) => void targetCalls.push(['setView', v, animate]),
  setTime: (t) => void targetCalls.push(['setTime', t]),
  play: (...a) => void targetCalls.push(['play', ...a]),
  pause: () => void targetCalls.push(['pause']),
  setLanguage: (l) => void targetCalls.push(['setLanguage', l]),
};

function setup(over: Partial<EmbedBridgeOptions> = {}) {
  const win = new FakeWindow();
  const parent = new FakeParent();
  const onReject = vi.fn();
  const bridge = createEmbedBridge({
    window: win as unknown as EmbedBridgeOptions['window'],
    parent,
    allowedOrigins: [HOST],
    target,
    cities: ['shenzhen', 'ningbo'],
    layers: ['parks', 'air'],
    capabilities: [...HOST_MESSAGE_TYPES],
    onReject,
    ...over,
  });
  const send = (type: string, payload?: unknown, origin = HOST, extra: Record<string, unknown> = {}) =>
    win.deliver({ source: 'civic-atlas-host', version: 1, type, payload, ...extra }, origin, parent);
  return { win, parent, bridge, onReject, send };
}

const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
const error = vi.spyOn(console, 'error').mockImplementation(() => {});
beforeEach(() => {
  targetCalls.length = 0;
  warn.mockClear();
  error.mockClear();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('commands', () => {
  it('dispatches every command and acks it to the host origin with replyTo', () => {
    const { parent, send } = setup();
    send('setCity', { city: 'ningbo' }, HOST, { id: 'a1' });
    send('setLayers', { layers: ['air', 'parks'] });
    send('setView', { lon: 114, lat: 22.5, zoom: 10 });
    send('flyTo', { lon: 114, lat: 22.5, zoom: 12, bearing: 30, pitch: 40 });
    send('setTime', { time: '2025-01-15T08' });
    send('play', { speed: 2 });
    send('play', {});
    send('pause');
    send('setLanguage', { lang: 'en' });
    send('hello');
    expect(targetCalls).toEqual([
      ['setCity', 'ningbo'],
      ['setLayers', ['parks', 'air']],
      ['setView', { lon: 114, lat: 22.5, zoom: 10, bearing: 0, pitch: 0 }, false],
      ['setView', { lon: 114, lat: 22.5, zoom: 12, bearing: 30, pitch: 40 }, true],
      ['setTime', '2025-01-15T08'],
      ['play', 2],
      ['play'],
      ['pause'],
      ['setLanguage', 'en'],
    ]);
    const sent = parent.take();
    expect(sent).toHaveLength(10);
    expect(sent.every((s) => s.origin === HOST && s.msg.type === 'ack' && s.msg.source === 'civic-atlas')).toBe(true);
    expect(sent[0]!.msg).toEqual({ source: 'civic-atlas', version: 1, type: 'ack', replyTo: 'a1', payload: { type: 'setCity' } });
    expect('replyTo' in sent[1]!.msg).toBe(false);
  });

  it('replies an error, never acting, for invalid messages; the reply does not echo', () => {
    const { parent, send, onReject } = setup();
    send('setCity', { city: '<img src=x onerror=alert(1)>' }, HOST, { id: 'q' });
    send('explode', {});
    send('setView', { lon: 'x', lat: 0, zoom: 0 });
    expect(targetCalls).toEqual([]);
    const sent = parent.take();
    expect(sent.map((s) => [s.msg.type, (s.msg.payload as { code: string }).code, s.msg.replyTo, s.origin])).toEqual([
      ['error', 'invalid_payload', 'q', HOST],
      ['error', 'unknown_type', undefined, HOST],
      ['error', 'invalid_payload', undefined, HOST],
    ]);
    expect(JSON.stringify(sent)).not.toMatch(/onerror|explode|<img/);
    expect(onReject).toHaveBeenCalledTimes(3);
    expect(onReject.mock.calls[0]![0]).toMatchObject({ code: 'invalid_payload', origin: HOST });
  });

  it("reports other libraries' messages but does not answer them", () => {
    const { parent, win, onReject } = setup();
    win.deliver({ type: 'webpackOk' }, HOST, parent);
    win.deliver('hello', HOST, parent);
    expect(parent.sent).toEqual([]);
    expect(onReject).toHaveBeenCalledTimes(2);
    expect(onReject.mock.calls[0]![0].code).toBe('wrong_source');
  });

  it('answers not_supported for commands outside the capabilities', () => {
    const { parent, send } = setup({ capabilities: ['setCity'] });
    send('play', {}, HOST, { id: 'p' });
    send('hello');
    expect(targetCalls).toEqual([]);
    expect(parent.take().map((s) => [s.msg.type, (s.msg.payload as { code?: string }).code])).toEqual([
      ['error', 'not_supported'],
      ['ack', undefined],
    ]);
  });

  it('acks after an async command settles, and reports failures without their text', async () => {
    const { parent, send } = setup({
      target: { ...target, setCity: () => Promise.resolve(), setTime: () => Promise.reject(new Error('secret <b>')), pause: () => { throw new Error('x'); } },
    });
    send('setCity', { city: 'ningbo' }, HOST, { id: 'c' });
    send('setTime', { time: '2025-01-15T08' }, HOST, { id: 't' });
    send('pause', {}, HOST, { id: 'p' });
    expect(parent.sent.map((s) => s.msg.replyTo)).toEqual(['p']);
    await vi.runAllTimersAsync();
    const sent = parent.take();
    expect(sent.map((s) => [s.msg.type, s.msg.replyTo, (s.msg.payload as { code?: string }).code])).toEqual([
      ['error', 'p', 'target_failed'],
      ['ack', 'c', undefined],
      ['error', 't', 'target_failed'],
    ]);
    expect(JSON.stringify(sent)).not.toContain('secret');
  });

  it('stops listening on destroy', () => {
    const { win, bridge } = setup();
    expect(win.count).toBe(1);
    bridge.destroy();
    expect(win.count).toBe(0);
  });
});

describe('origins', () => {
  it('ignores, reports and does not answer origins outside the allowlist', () => {
    const { parent, send, onReject } = setup();
    send('setCity', { city: 'ningbo' }, 'https://evil.example');
    send('setCity', { city: 'ningbo' }, 'https://news.example.cn.evil.example');
    send('setCity', { city: 'ningbo' }, 'http://news.example.cn');
    send('setCity', { city: 'ningbo' }, 'null');
    expect(targetCalls).toEqual([]);
    expect(parent.sent).toEqual([]);
    expect(onReject).toHaveBeenCalledTimes(4);
    expect(onReject.mock.calls.every((c) => c[0].code === 'origin_not_allowed')).toBe(true);
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it("accepts the opaque origin only when 'null' is allowlisted, answering with '*'", () => {
    const { parent, send } = setup({ allowedOrigins: [HOST, 'null'] });
    send('pause', {}, 'null');
    expect(targetCalls).toEqual([['pause']]);
    expect(parent.take()).toEqual([{ msg: expect.objectContaining({ type: 'ack' }), origin: '*' }]);
  });

  it("with '*' accepts any real origin but not the opaque one", () => {
    const { parent, send } = setup({ allowedOrigins: '*' });
    send('pause', {}, 'https://a.example');
    send('pause', {}, 'null');
    expect(targetCalls).toEqual([['pause']]);
    expect(parent.take().map((s) => s.origin)).toEqual(['https://a.example']);
  });

  it('takes commands only from the embedding window', () => {
    const { win, parent, onReject } = setup({ allowedOrigins: '*' });
    const sibling = new FakeParent();
    win.deliver({ source: 'civic-atlas-host', version: 1, type: 'pause' }, HOST, sibling);
    win.deliver({ source: 'civic-atlas-host', version: 1, type: 'pause' }, HOST, win);
    expect(targetCalls).toEqual([]);
    expect(sibling.sent).toEqual([]);
    expect(parent.sent).toEqual([]);
    expect(onReject.mock.calls.map((c) => c[0].code)).toEqual(['wrong_window', 'wrong_window']);
  });

  it('unframed (parent null), answers the window that sent the command', () => {
    const { win } = setup({ parent: null });
    const opener = new FakeParent();
    win.deliver({ source: 'civic-atlas-host', version: 1, type: 'pause', id: 'o' }, HOST, opener);
    expect(targetCalls).toEqual([['pause']]);
    expect(opener.take().map((s) => [s.msg.replyTo, s.origin])).toEqual([['o', HOST]]);
  });
});

describe('outbound events', () => {
  it("with '*': ready goes to '*', other events wait for a host, then go only to its origin", () => {
    const { parent, bridge, send } = setup({ allowedOrigins: '*' });
    bridge.ready();
    bridge.featureClicked({ layer: 'parks', id: 1 });
    bridge.error({ code: 'data_unavailable', message: 'x' });
    expect(parent.take()).toEqual([
      {
        origin: '*',
        msg: {
          source: 'civic-atlas',
          version: 1,
          type: 'ready',
          payload: { version: 1, capabilities: [...HOST_MESSAGE_TYPES], cities: ['shenzhen', 'ningbo'], layers: ['parks', 'air'] },
        },
      },
    ]);
    send('hello', {}, 'https://a.example');
    bridge.ready();
    bridge.featureClicked({ layer: 'parks', id: 1 });
    expect(parent.take().map((s) => [s.msg.type, s.origin])).toEqual([
      ['ack', 'https://a.example'],
      ['ready', 'https://a.example'],
      ['featureClicked', 'https://a.example'],
    ]);
  });

  it('with an allowlist: events go under each allowlisted origin (the browser delivers one), never to * or null', () => {
    const { parent, bridge, send } = setup({ allowedOrigins: [HOST, 'https://staging.example.cn', 'null'] });
    bridge.ready();
    expect(parent.take().map((s) => s.origin)).toEqual([HOST, 'https://staging.example.cn']);
    send('hello', {}, 'https://staging.example.cn');
    parent.take();
    bridge.error({ code: 'data_unavailable', message: 'air quality data failed to load' });
    expect(parent.take()).toEqual([
      {
        origin: 'https://staging.example.cn',
        msg: { source: 'civic-atlas', version: 1, type: 'error', payload: { code: 'data_unavailable', message: 'air quality data failed to load' } },
      },
    ]);
  });

  it('an invalid message does not make its sender the host', () => {
    const { parent, bridge, send } = setup({ allowedOrigins: '*' });
    send('setCity', { city: 'atlantis' }, 'https://a.example');
    parent.take();
    bridge.featureClicked({ layer: 'parks', id: 1 });
    expect(parent.sent).toEqual([]);
  });

  it('error() keeps codes to a safe shape and truncates messages', () => {
    const { parent, bridge } = setup();
    bridge.error({ code: '<b>', message: 'm'.repeat(2000) });
    const p = parent.take()[0]!.msg.payload as { code: string; message: string };
    expect(p.code).toBe('internal');
    expect(p.message).toHaveLength(PROPERTY_LIMITS.valueLength);
  });

  it('does nothing outbound unframed before a host speaks', () => {
    const parent = new FakeParent();
    const { bridge } = setup({ parent: null });
    bridge.ready();
    expect(parent.sent).toEqual([]);
  });
});

describe('viewChanged throttling', () => {
  const view = (lon: number) => ({ lon, lat: 22.5, zoom: 10, bearing: 0, pitch: 0 });

  it('sends at most 4 per second, leading and trailing, latest view wins', () => {
    const { parent, bridge } = setup();
    bridge.viewChanged(view(114));
    for (let i = 1; i <= 100; i++) {
      bridge.viewChanged(view(114 + i / 1000));
      vi.advanceTimersByTime(10); // 1 s of continuous panning
    }
    vi.advanceTimersByTime(1000);
    const sent = parent.take().filter((s) => s.msg.type === 'viewChanged');
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.length).toBeLessThanOrEqual(6); // 1 s of panning plus the trailing send
    expect(sent[0]!.msg.payload).toEqual(view(114));
    expect(sent.at(-1)!.msg.payload).toEqual(view(114.1));
  });

  it('wraps, clamps and rounds views, and ignores non-finite ones', () => {
    const { parent, bridge } = setup();
    bridge.viewChanged({ lon: 114.123456789, lat: 22.5, zoom: 10.123456, bearing: 0.123, pitch: 0 });
    bridge.viewChanged({ lon: NaN, lat: 0, zoom: 0, bearing: 0, pitch: 0 });
    vi.advanceTimersByTime(1000);
    bridge.viewChanged({ lon: 474, lat: 85.05, zoom: 10, bearing: -90, pitch: 0 });
    vi.advanceTimersByTime(1000);
    bridge.viewChanged({ lon: -180, lat: 0, zoom: 10, bearing: -0.001, pitch: 0 });
    vi.advanceTimersByTime(1000);
    expect(parent.take().map((s) => s.msg.payload)).toEqual([
      { lon: 114.123457, lat: 22.5, zoom: 10.123, bearing: 0.12, pitch: 0 },
      { lon: 114, lat: 85, zoom: 10, bearing: 270, pitch: 0 },
      { lon: -180, lat: 0, zoom: 10, bearing: 0, pitch: 0 },
    ]);
  });

  it("with '*': a new host gets the latest view after its first command", () => {
    const { parent, bridge, send } = setup({ allowedOrigins: '*' });
    bridge.viewChanged(view(114));
    bridge.viewChanged(view(115));
    vi.advanceTimersByTime(1000);
    expect(parent.take()).toEqual([]);
    send('hello', {}, 'https://a.example');
    expect(parent.take().map((s) => [s.msg.type, s.msg.payload, s.origin])).toEqual([
      ['ack', { type: 'hello' }, 'https://a.example'],
      ['viewChanged', view(115), 'https://a.example'],
    ]);
  });
});

describe('rate limiting', () => {
  it(`acts on at most ${RATE_LIMIT_PER_SECOND} messages a second and says so once`, () => {
    const { parent, send, onReject } = setup();
    for (let i = 0; i < 200; i++) send('pause');
    expect(targetCalls).toHaveLength(RATE_LIMIT_PER_SECOND);
    const sent = parent.take();
    const errors = sent.filter((s) => s.msg.type === 'error');
    expect(errors).toHaveLength(1);
    expect((errors[0]!.msg.payload as { code: string }).code).toBe('rate_limited');
    expect(onReject.mock.calls.filter((c) => c[0].code === 'rate_limited')).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    send('pause');
    expect(targetCalls).toHaveLength(RATE_LIMIT_PER_SECOND + 1);
  });

  it('a flood from a foreign origin neither blocks the host nor floods the console', () => {
    const { send, onReject } = setup();
    for (let i = 0; i < 1000; i++) send('pause', {}, 'https://evil.example');
    send('pause');
    expect(targetCalls).toEqual([['pause']]);
    expect(onReject.mock.calls.length).toBeLessThanOrEqual(10);
    expect(warn.mock.calls.length).toBeLessThanOrEqual(10);
  });
});

describe('featureClicked sanitising', () => {
  it('keeps plain values, truncates, caps keys, drops the rest', () => {
    const props: Record<string, unknown> = {
      name: '<b>公园</b>',
      area: 12.5,
      open: true,
      note: null,
      big: 12n,
      when: new Date(Date.UTC(2025, 0, 1)),
      nan: NaN,
      nested: { a: 1 },
      list: [1, 2],
      fn: () => 1,
      long: 'x'.repeat(2000),
      ['k'.repeat(300)]: 1,
    };
    const out = sanitiseProperties(props);
    expect({ ...out }).toEqual({
      name: '<b>公园</b>', // data, not markup: hosts must render it as text
      area: 12.5,
      open: true,
      note: null,
      big: '12',
      when: '2025-01-01T00:00:00.000Z',
      nan: null,
      long: `${'x'.repeat(PROPERTY_LIMITS.valueLength - 1)}…`,
      [`${'k'.repeat(PROPERTY_LIMITS.keyLength - 1)}…`]: 1,
    });
  });

  it('caps the number of keys and bounds the walk', () => {
    const many: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) many[`k${i}`] = i;
    expect(Object.keys(sanitiseProperties(many))).toHaveLength(PROPERTY_LIMITS.keys);
  });

  it('drops __proto__ and never invokes getters', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as object;
    Object.defineProperty(hostile, 'g', { get: () => { throw new Error('called'); }, enumerable: true });
    const out = sanitiseProperties(hostile);
    expect(Object.keys(out)).toEqual(['ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not cut a surrogate pair in half', () => {
    const out = sanitiseProperties({ s: `${'x'.repeat(PROPERTY_LIMITS.valueLength - 2)}😀😀` });
    expect(out.s).toBe(`${'x'.repeat(PROPERTY_LIMITS.valueLength - 2)}…`);
  });

  it('sends layer, id (as a string) and properties', () => {
    const { parent, bridge } = setup();
    bridge.featureClicked({ layer: 'parks', id: 42, properties: { name: 'Lianhuashan' } });
    expect(parent.take()[0]!.msg).toEqual({
      source: 'civic-atlas',
      version: 1,
      type: 'featureClicked',
      payload: { layer: 'parks', id: '42', properties: { name: 'Lianhuashan' } },
    });
  });
});
