/**
 * fetchJson's every way out, with fake fetch implementations that behave like
 * the real one (they honour the AbortSignal) or deliberately do not.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, fetchJson, MAX_TEXT_LENGTH, plainText } from './http';

const URL_ = 'https://overpass-api.de/api/interpreter?data=x';
const enc = new TextEncoder();

/** A fetch that answers `body` with `init`, after checking it was given a signal. */
function answering(body: BodyInit | null, init: ResponseInit = {}): typeof fetch {
  return vi.fn(async (_input: RequestInfo | URL, reqInit?: RequestInit) => {
    expect(reqInit?.signal).toBeInstanceOf(AbortSignal);
    return new Response(body, init);
  }) as unknown as typeof fetch;
}

/** A fetch that never answers, but rejects like the real one when its signal aborts. */
function hanging(): typeof fetch {
  return ((_input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
    })) as typeof fetch;
}

/** A body that sends `chunks` and then stalls until cancelled; records cancellation. */
function stallingBody(chunks: Uint8Array[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (i < chunks.length) ctrl.enqueue(chunks[i++]!);
      else return new Promise(() => {}); // stall
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    const err = e as ConnectorError;
    expect(err.zh.length).toBeGreaterThan(0);
    expect(err.en.length).toBeGreaterThan(0);
    expect(err.message).toBe(err.en);
    return err;
  }
  throw new Error('expected a ConnectorError, got success');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchJson: success', () => {
  it('parses the JSON body, counts progress, and strips a UTF-8 BOM', async () => {
    const json = '\uFEFF{"elements":[{"type":"node","id":1,"tags":{"name":"趵突泉"}}]}';
    const bytes = enc.encode(json);
    const progress: number[] = [];
    const out = await fetchJson(URL_, { fetchImpl: answering(bytes, { status: 200 }), onProgress: (b) => progress.push(b) });
    expect(out).toEqual({ elements: [{ type: 'node', id: 1, tags: { name: '趵突泉' } }] });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toBe(bytes.byteLength);
  });

  it('reads a body that arrives in several chunks, reporting cumulative bytes', async () => {
    const parts = ['{"a":', '[1,2,', '3]}'].map((s) => enc.encode(s));
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (const p of parts) ctrl.enqueue(p);
        ctrl.close();
      },
    });
    const progress: number[] = [];
    const out = await fetchJson(URL_, { fetchImpl: answering(body), onProgress: (b) => progress.push(b) });
    expect(out).toEqual({ a: [1, 2, 3] });
    expect(progress).toEqual([5, 10, 13]);
  });

  it('defaults to globalThis.fetch, looked up when called', async () => {
    const f = answering('[1]');
    vi.stubGlobal('fetch', f);
    expect(await fetchJson(URL_)).toEqual([1]);
    expect(f).toHaveBeenCalledWith(URL_, expect.objectContaining({ credentials: 'omit' }));
  });
});

describe('fetchJson: failures', () => {
  it('offline: refuses before fetching', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const f = answering('{}');
    const err = await failure(fetchJson(URL_, { fetchImpl: f }));
    expect(err.code).toBe('offline');
    expect(f).not.toHaveBeenCalled();
  });

  it('network error: a rejected fetch (DNS, CORS, reset) names the host', async () => {
    const f = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const err = await failure(fetchJson(URL_, { fetchImpl: f }));
    expect(err.code).toBe('network');
    expect(err.en).toContain('overpass-api.de');
    expect(err.zh).toContain('overpass-api.de');
  });

  it('timeout: no answer at all', async () => {
    const t0 = Date.now();
    const err = await failure(fetchJson(URL_, { fetchImpl: hanging(), timeoutMs: 40 }));
    expect(err.code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('timeout: headers arrive, then the body stalls (the timer covers the body too); the stream is cancelled', async () => {
    const s = stallingBody([enc.encode('{"elements":[')]);
    const err = await failure(fetchJson(URL_, { fetchImpl: answering(s.body), timeoutMs: 40 }));
    expect(err.code).toBe('timeout');
    expect(s.cancelled()).toBe(true);
  });

  it('timeout even when the fetch implementation ignores its signal', async () => {
    const deaf = (() => new Promise<Response>(() => {})) as typeof fetch;
    const err = await failure(fetchJson(URL_, { fetchImpl: deaf, timeoutMs: 30 }));
    expect(err.code).toBe('timeout');
  });

  it('cancelled: the planner aborts mid-request', async () => {
    const ctrl = new AbortController();
    const p = fetchJson(URL_, { fetchImpl: hanging(), signal: ctrl.signal, timeoutMs: 5000 });
    setTimeout(() => ctrl.abort(), 10);
    const err = await failure(p);
    expect(err.code).toBe('cancelled');
  });

  it('cancelled: the planner aborts while the body is streaming', async () => {
    const ctrl = new AbortController();
    const s = stallingBody([enc.encode('{"elements":[')]);
    const p = fetchJson(URL_, { fetchImpl: answering(s.body), signal: ctrl.signal, timeoutMs: 5000 });
    setTimeout(() => ctrl.abort(), 10);
    expect((await failure(p)).code).toBe('cancelled');
    expect(s.cancelled()).toBe(true);
  });

  it('cancelled: already aborted, nothing is fetched', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const f = answering('{}');
    expect((await failure(fetchJson(URL_, { fetchImpl: f, signal: ctrl.signal }))).code).toBe('cancelled');
    expect(f).not.toHaveBeenCalled();
  });

  it('429 is "busy", with the advice the source gives', async () => {
    const busyAdvice = { zh: '服务器繁忙，请缩小范围或稍后再试。', en: 'server busy, try a smaller area or later.' };
    const err = await failure(fetchJson(URL_, { fetchImpl: answering('Too Many Requests', { status: 429 }), busyAdvice }));
    expect(err.code).toBe('busy');
    expect(err.status).toBe(429);
    expect(err.en).toContain('try a smaller area or later');
    expect(err.zh).toContain('请缩小范围');
  });

  it('504 is "busy" too; without advice it says try later', async () => {
    const err = await failure(fetchJson(URL_, { fetchImpl: answering('<html>Gateway Timeout</html>', { status: 504 }) }));
    expect(err.code).toBe('busy');
    expect(err.status).toBe(504);
    expect(err.en).toMatch(/try again later/);
  });

  it('other statuses are "http" with the status', async () => {
    const err = await failure(fetchJson(URL_, { fetchImpl: answering('nope', { status: 404 }) }));
    expect(err.code).toBe('http');
    expect(err.status).toBe(404);
    expect(err.en).toContain('404');
  });

  it('not JSON: an HTML error page served with 200', async () => {
    const err = await failure(fetchJson(URL_, { fetchImpl: answering('<!DOCTYPE html><html><body>error</body></html>', { status: 200 }) }));
    expect(err.code).toBe('not-json');
  });

  it('not JSON: a truncated JSON document', async () => {
    expect((await failure(fetchJson(URL_, { fetchImpl: answering('{"elements":[{"type":"no') }))).code).toBe('not-json');
  });

  it('too large: a declared Content-Length over the limit is refused unread', async () => {
    const s = stallingBody([enc.encode('{}')]);
    const f = answering(s.body, { headers: { 'content-length': '5000' } });
    const err = await failure(fetchJson(URL_, { fetchImpl: f, maxBytes: 1000 }));
    expect(err.code).toBe('too-large');
    expect(s.cancelled()).toBe(true);
  });

  it('too large: a streamed body without a length is stopped as soon as it passes the limit', async () => {
    const chunk = enc.encode(' '.repeat(400));
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled++;
        ctrl.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const err = await failure(fetchJson(URL_, { fetchImpl: answering(body), maxBytes: 1000 }));
    expect(err.code).toBe('too-large');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10); // an endless body: it stopped early
  });

  it('exactly maxBytes is accepted', async () => {
    const body = '[' + '1,'.repeat(49) + '1]'; // 101 bytes
    expect(enc.encode(body).byteLength).toBe(101);
    await expect(fetchJson(URL_, { fetchImpl: answering(body), maxBytes: 101 })).resolves.toHaveLength(50);
    expect((await failure(fetchJson(URL_, { fetchImpl: answering(body), maxBytes: 100 }))).code).toBe('too-large');
  });
});

describe('plainText', () => {
  it('keeps markup as text, strips controls and bidi overrides, collapses whitespace', () => {
    expect(plainText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(plainText('  大明湖\n\t公园\u0000 ')).toBe('大明湖 公园');
    expect(plainText('abc\u202Egpj.exe')).toBe('abc gpj.exe');
  });

  it('caps at MAX_TEXT_LENGTH code points without splitting a surrogate pair', () => {
    const s = '𠀀'.repeat(300); // astral: two UTF-16 units each
    const out = plainText(s)!;
    expect(Array.from(out)).toHaveLength(MAX_TEXT_LENGTH);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone surrogate
  });

  it('numbers become text; other values and empty strings become null', () => {
    expect(plainText(370202)).toBe('370202');
    expect(plainText('   ')).toBeNull();
    expect(plainText({ toString: () => 'x' })).toBeNull();
    expect(plainText(null)).toBeNull();
    expect(plainText(NaN)).toBeNull();
  });
});
