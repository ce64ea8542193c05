import { describe, expect, it } from 'vitest';
import { dispositionName, fetchFile, fileNameFor, parseImportUrl, sanitiseFileName } from './fetchFile';
import type { Budget } from './memoryBudget';

const MB = 2 ** 20;
// CSV is estimated at 4× its size: up to 2.5 MB of CSV fits.
const budget: Budget = { bytes: 10 * MB, from: 'setting' };

/** A body that hands out `chunks` on demand and records how far it was read and whether it was cancelled. */
function body(chunks: Uint8Array[], o: { stall?: boolean } = {}) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (seen.pulled >= chunks.length) {
        if (o.stall) return new Promise(() => undefined);
        c.close();
        return;
      }
      c.enqueue(chunks[seen.pulled++]!);
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

type Init = RequestInit | undefined;
function fakeFetch(respond: (url: string, init: Init) => Response | Promise<Response>) {
  const calls: { url: string; init: Init }[] = [];
  const f = (async (url: string, init: Init) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof fetch;
  return { f, calls };
}

const abortErr = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
const csv = (n: number) => new Uint8Array(n).fill(0x61);

describe('parseImportUrl', () => {
  it('takes http(s) addresses only, and says why not', () => {
    expect(parseImportUrl('  https://example.org/a.csv ').ok).toBe(true);
    expect(parseImportUrl('http://127.0.0.1:4173/x.geojson').ok).toBe(true);
    const code = (t: string) => { const r = parseImportUrl(t); return r.ok ? 'ok' : r.problem.code; };
    expect(code('example.org/a.csv')).toBe('not-url');
    expect(code('')).toBe('not-url');
    for (const t of ['ftp://example.org/a.csv', 'file:///home/a.csv', 'javascript:alert(1)', 'data:text/csv,a']) expect(code(t)).toBe('not-http');
    expect(code('https://user:pw@example.org/a.csv')).toBe('credentials');
    const r = parseImportUrl('ftp://example.org/a.csv');
    expect(!r.ok && r.problem.en).toContain('ftp:');
    expect(!r.ok && r.problem.zh).toContain('http');
  });
});

describe('file names', () => {
  const headers = (o: Record<string, string>) => new Headers(o);
  it('reads Content-Disposition, filename* first', () => {
    expect(dispositionName(`attachment; filename="fallback.csv"; filename*=UTF-8''%E5%85%AC%E5%9B%AD.geojson`)).toBe('公园.geojson');
    expect(dispositionName('attachment; filename="a \\"b\\".csv"')).toBe('a "b".csv');
    expect(dispositionName('inline; filename=plain.parquet')).toBe('plain.parquet');
    expect(dispositionName('inline')).toBeNull();
    expect(dispositionName(null)).toBeNull();
  });
  it('takes the header, else the address, made safe; adds an extension from the type', () => {
    const u = 'https://example.org/data/%E5%85%AC%E5%9B%AD.geojson?x=1';
    expect(fileNameFor(u, u, headers({ 'content-disposition': 'attachment; filename="../../etc/parks.csv"' }))).toBe('parks.csv');
    expect(fileNameFor(u, u, headers({}))).toBe('公园.geojson');
    expect(fileNameFor('https://example.org/api/export', 'https://cdn.example.org/f/stations.parquet', headers({}))).toBe('stations.parquet');
    expect(fileNameFor('https://example.org/api/export', 'https://example.org/api/export', headers({ 'content-type': 'text/csv; charset=utf-8' }))).toBe('export.csv');
    expect(fileNameFor('https://example.org/', 'https://example.org/', headers({ 'content-type': 'application/geo+json' }))).toBe('download.geojson');
    expect(sanitiseFileName('a\u0000b<c>:d|e?.csv')).toBe('abcde.csv');
    expect(sanitiseFileName(`${'x'.repeat(300)}.geojson`)).toMatch(/^x{112}\.geojson$/);
  });
});

describe('fetchFile', () => {
  it('fetches nothing for an address it refuses', async () => {
    const { f, calls } = fakeFetch(() => new Response('x'));
    const r = await fetchFile('file:///etc/passwd', { budget, fetch: f });
    expect(r.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('streams the file with progress against Content-Length, without cookies or referrer', async () => {
    const b = body([csv(100), csv(50)]);
    const { f, calls } = fakeFetch(() => new Response(b.stream, { headers: { 'content-length': '150', 'content-type': 'text/csv' } }));
    const progress: [number, number | null][] = [];
    const r = await fetchFile('https://example.org/dl/air.csv', { budget, fetch: f, onProgress: (l, t) => progress.push([l, t]) });
    expect(r.ok && r.name).toBe('air.csv');
    expect(r.ok && r.bytes).toEqual(csv(150));
    expect(progress).toEqual([[0, 150], [100, 150], [150, 150]]);
    expect(calls[0]!.init).toMatchObject({ credentials: 'omit', referrerPolicy: 'no-referrer' });
  });

  it('has no total without Content-Length, nor past a Content-Length that was too small (compressed)', async () => {
    const progress: (number | null)[] = [];
    const { f } = fakeFetch(() => new Response(body([csv(10), csv(10)]).stream));
    expect((await fetchFile('https://example.org/a.csv', { budget, fetch: f, onProgress: (_l, t) => progress.push(t) })).ok).toBe(true);
    expect(progress).toEqual([null, null, null]);
    progress.length = 0;
    const g = fakeFetch(() => new Response(body([csv(10), csv(10)]).stream, { headers: { 'content-length': '12' } }));
    expect((await fetchFile('https://example.org/a.csv', { budget, fetch: g.f, onProgress: (_l, t) => progress.push(t) })).ok).toBe(true);
    expect(progress).toEqual([12, 12, null]);
  });

  it('refuses before downloading when Content-Length is over the budget', async () => {
    const b = body([csv(10)]);
    const { f } = fakeFetch(() => new Response(b.stream, { headers: { 'content-length': String(3 * MB) } }));
    const r = await fetchFile('https://example.org/big.csv', { budget, fetch: f });
    expect(!r.ok && r.problem.code).toBe('too-large');
    expect(!r.ok && r.problem.en).toContain('10 MB');
    expect(b.seen.pulled).toBe(0);
    expect(b.seen.cancelled).toBe(true);
  });

  it('stops a download that outgrows the budget', async () => {
    const b = body(Array.from({ length: 10 }, () => csv(MB)));
    const { f } = fakeFetch(() => new Response(b.stream));
    const r = await fetchFile('https://example.org/big.csv', { budget, fetch: f });
    expect(!r.ok && r.problem.code).toBe('too-large');
    expect(!r.ok && r.problem.zh).toContain('下载已停止');
    expect(b.seen.pulled).toBe(3);
    expect(b.seen.cancelled).toBe(true);
  });

  it('says what a network failure may be (CORS, offline), and what an HTTP status means', async () => {
    const blocked = await fetchFile('https://example.org/a.csv', { budget, fetch: fakeFetch(() => Promise.reject(new TypeError('Failed to fetch'))).f });
    expect(!blocked.ok && blocked.problem.code).toBe('blocked');
    expect(!blocked.ok && blocked.problem.en).toMatch(/CORS.*network/);
    expect(!blocked.ok && blocked.problem.zh).toContain('跨域');
    const missing = await fetchFile('https://example.org/a.csv', { budget, fetch: fakeFetch(() => new Response('no', { status: 404, statusText: 'Not Found' })).f });
    expect(!missing.ok && missing.problem.code).toBe('http');
    expect(!missing.ok && missing.problem.en).toContain('HTTP 404 Not Found');
    expect(!missing.ok && missing.problem.zh).toContain('没有这个文件');
  });

  it('refuses a web page about the file, unread', async () => {
    const b = body([new TextEncoder().encode('<!doctype html>')]);
    const r = await fetchFile('https://github.com/o/r/blob/main/parks.geojson', { budget, fetch: fakeFetch(() => new Response(b.stream, { headers: { 'content-type': 'text/html; charset=utf-8' } })).f });
    expect(!r.ok && r.problem.code).toBe('html');
    expect(!r.ok && r.problem.en).toContain('Raw');
    expect(b.seen.pulled).toBe(0);
  });

  it('is cancelled while waiting for the server', async () => {
    const { f } = fakeFetch((_u, init) => new Promise((_r, reject) => init!.signal!.addEventListener('abort', () => reject(abortErr()))));
    const ac = new AbortController();
    const p = fetchFile('https://example.org/a.csv', { budget, fetch: f, signal: ac.signal });
    ac.abort();
    const r = await p;
    expect(!r.ok && r.problem.code).toBe('cancelled');
    expect(!r.ok && r.problem.en).toContain('Cancelled');
  });

  it('is cancelled at once mid-stream, even by a server that stalls, and lets go of the body', async () => {
    const b = body([csv(100)], { stall: true });
    const { f } = fakeFetch(() => new Response(b.stream));
    const ac = new AbortController();
    const progress: number[] = [];
    const p = fetchFile('https://example.org/a.csv', { budget, fetch: f, signal: ac.signal, onProgress: (l) => progress.push(l) });
    await expect.poll(() => progress.at(-1)).toBe(100);
    ac.abort();
    const r = await p;
    expect(!r.ok && r.problem.code).toBe('cancelled');
    expect(b.seen.cancelled).toBe(true);
  });
});
