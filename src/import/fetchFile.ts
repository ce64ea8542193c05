/**
 * Importing a file from an address the planner types: an http(s) URL is
 * fetched (only when they ask: the app is offline by default), streamed with
 * progress, held to this page's memory budget (./memoryBudget.ts) before and
 * while it downloads, and cancellable at any moment. Every way it can fail
 * has a message in both languages; the bytes then go the way of a picked file.
 *
 *   const r = await fetchFile(text, { budget: pageBudget(), signal, onProgress });
 *   if (r.ok) inspect(r.name, r.bytes); else show(r.problem);
 */
import { checkBudget, estimateInMemory, overBudgetMessage, type Budget } from './memoryBudget';
import { abortable, isAbortError } from './readFile';
import type { ImportProblem } from './userImport';

export interface FetchOptions {
  budget: Budget;
  signal?: AbortSignal;
  /** `total` is null when the server does not say how big the file is (the bar is then indeterminate). */
  onProgress?(loaded: number, total: number | null): void;
  /** For tests. */
  fetch?: typeof fetch;
}

export type FetchResult = { ok: true; name: string; bytes: Uint8Array; url: string } | { ok: false; problem: ImportProblem };

const problem = (code: string, zh: string, en: string): { ok: false; problem: ImportProblem } => ({ ok: false, problem: { level: 'error', code, zh, en } });
const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MB`;

export const CANCELLED = { zh: '已取消，未导入任何数据；已加载的数据不受影响。', en: 'Cancelled: nothing was imported, and nothing already loaded is affected.' };

/** The typed text as an http(s) URL, or why it is not one. */
export function parseImportUrl(text: string): { ok: true; url: URL } | { ok: false; problem: ImportProblem } {
  const t = text.trim();
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return problem(
      'not-url',
      `“${t.slice(0, 80)}”不是完整的网址。请输入以 https:// 或 http:// 开头的完整地址，例如 https://example.org/parks.geojson。`,
      `“${t.slice(0, 80)}” is not a full web address. Type it with https:// or http:// at the start, e.g. https://example.org/parks.geojson.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return problem(
      'not-http',
      `只能从 http:// 或 https:// 地址导入（不支持 ${url.protocol}）。本机上的文件请用“选择文件”或拖放。`,
      `Only http:// and https:// addresses can be imported (not ${url.protocol}). For a file on this computer, choose it or drop it here.`,
    );
  // fetch refuses these outright; say why rather than report a network error.
  if (url.username || url.password)
    return problem('credentials', '网址中不能包含用户名或密码。', 'The address cannot contain a user name or password.');
  return { ok: true, url };
}

const CONTENT_TYPE_EXT: [RegExp, string][] = [
  [/geo\+json/i, '.geojson'],
  [/json/i, '.json'],
  [/parquet/i, '.parquet'],
  [/csv|text\/plain/i, '.csv'],
];
const hasExt = (name: string) => /\.[a-z0-9]{1,8}$/i.test(name);

/** A file name safe to show and to make a table name from: no folders, control or reserved characters, at most 120 characters. */
export function sanitiseFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  if (clean.length <= 120) return clean;
  const ext = /\.[a-z0-9]{1,8}$/i.exec(clean)?.[0] ?? '';
  return clean.slice(0, 120 - ext.length) + ext;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The name in a Content-Disposition header: filename* (RFC 6266/5987, percent-encoded) wins over filename. */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    const charset = star[1]!.trim().toLowerCase();
    const value = star[2]!.trim().replace(/^"|"$/g, '');
    if (charset === 'utf-8' || charset === '') return decode(value);
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  if (plain) return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!.trim();
  return null;
}

const lastSegment = (url: string) => {
  try {
    return decode(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    return '';
  }
};

/**
 * The file's name: from Content-Disposition, else the last part of the
 * address (the one after redirects when it looks like a file name), with an
 * extension from the Content-Type when it has none, since the format is
 * partly told from it.
 */
export function fileNameFor(url: string, finalUrl: string, headers: { get(name: string): string | null }): string {
  const fromHeader = sanitiseFileName(dispositionName(headers.get('content-disposition')) ?? '');
  const segments = [finalUrl, url].map((u) => sanitiseFileName(lastSegment(u)));
  let name = fromHeader || segments.find(hasExt) || segments[1] || segments[0] || '';
  name ||= 'download';
  if (!hasExt(name)) {
    const type = headers.get('content-type') ?? '';
    const ext = CONTENT_TYPE_EXT.find(([re]) => re.test(type))?.[1];
    if (ext) name += ext;
  }
  return name;
}

function networkProblem(url: URL): { ok: false; problem: ImportProblem } {
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  if (offline)
    return problem('offline', '无法下载：本浏览器当前处于离线状态。请连接网络后重试，或先下载文件再用“选择文件”导入。', 'Could not download: this browser is offline. Connect and try again, or download the file yourself and choose it here.');
  return problem(
    'blocked',
    `无法从 ${url.host} 下载。可能的原因：该服务器不允许跨域请求（CORS），网络未连接，或本应用的安全策略不允许访问该地址。可以先把文件下载到本机，再用“选择文件”导入。`,
    `Could not download from ${url.host}. The server may not allow cross-origin requests (CORS), the network may be off, or this app's security policy may not allow that address. You can download the file yourself and choose it here.`,
  );
}

function httpProblem(res: Response): { ok: false; problem: ImportProblem } {
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const why =
    res.status === 404 || res.status === 410
      ? { zh: '该地址上没有这个文件。', en: 'There is no file at that address.' }
      : res.status === 401 || res.status === 403
        ? { zh: '该文件需要登录或不公开。', en: 'The file needs a login or is not public.' }
        : res.status >= 500
          ? { zh: '服务器出错，请稍后重试。', en: 'The server failed; try again later.' }
          : { zh: '', en: '' };
  return problem('http', `服务器拒绝了请求（${status}）。${why.zh}`, `The server refused the request (${status}). ${why.en}`.trim());
}

function streamedTooLarge(name: string, loaded: number, budget: Budget): { ok: false; problem: ImportProblem } {
  const perByte = estimateInMemory({ name, size: 2 ** 20 }) / 2 ** 20;
  const max = budget.bytes / perByte;
  return problem(
    'too-large',
    `下载已停止：文件已超过 ${mb(loaded)}，导入后会超过本页的内存预算 ${mb(budget.bytes)}（这类文件最大约 ${mb(max)}）。已下载的部分已丢弃，已加载的数据不受影响。可以先按城市或时间筛选、拆分后再导入，或转换为 Parquet。`,
    `The download was stopped: the file is over ${mb(loaded)} and would not fit in this page's memory budget of ${mb(budget.bytes)} (files of this kind can be up to about ${mb(max)}). What was downloaded was dropped, and nothing already loaded is affected. Filter it by city or time, or split it, and import the parts; or convert it to Parquet.`,
  );
}

const cancelled = () => problem('cancelled', CANCELLED.zh, CANCELLED.en);

// A pasted link is often the page about a file (a portal, GitHub's file view) rather than the file.
const webPage = () =>
  problem(
    'html',
    '该网址返回的是网页（HTML），不是数据文件。请使用文件本身的下载链接（例如 GitHub 上的“Raw”），通常以 .geojson、.csv 或 .parquet 结尾。',
    'That address returned a web page (HTML), not a data file. Use the link to the file itself (e.g. “Raw” on GitHub), usually ending in .geojson, .csv or .parquet.',
  );

function contentLength(res: Response): number | null {
  const raw = res.headers.get('content-length');
  const n = raw === null ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

const fits = (name: string, size: number, budget: Budget) => checkBudget([{ name, size }], budget).refused.length === 0;

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === length) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The body, read as it arrives, or how far it got when it outgrew the budget. */
async function readBody(res: Response, name: string, total: number | null, o: FetchOptions): Promise<{ bytes: Uint8Array } | { over: number }> {
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const step = reader.read();
      const { done, value } = o.signal ? await abortable(step, o.signal) : await step;
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      if (!fits(name, loaded, o.budget)) return { over: loaded };
      // A compressed transfer's Content-Length counts compressed bytes: past it, the size is unknown.
      o.onProgress?.(loaded, total !== null && loaded <= total ? total : null);
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return { bytes: concat(chunks, loaded) };
}

async function readWhole(res: Response, name: string, o: FetchOptions): Promise<{ bytes: Uint8Array } | { over: number }> {
  const buffer = o.signal ? await abortable(res.arrayBuffer(), o.signal) : await res.arrayBuffer();
  return fits(name, buffer.byteLength, o.budget) ? { bytes: new Uint8Array(buffer) } : { over: buffer.byteLength };
}

export async function fetchFile(text: string, o: FetchOptions): Promise<FetchResult> {
  const parsed = parseImportUrl(text);
  if (!parsed.ok) return parsed;
  const url = parsed.url;
  if (o.signal?.aborted) return cancelled();
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    // No cookies and no referrer: the planner's address is not told about this app or its users.
    res = await doFetch(url.href, { signal: o.signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    if (isAbortError(e) || o.signal?.aborted) return cancelled();
    if (e instanceof TypeError) return networkProblem(url);
    return problem('failed', `下载失败：${(e as Error).message}`, `The download failed: ${(e as Error).message}`);
  }
  if (!res.ok) {
    void res.body?.cancel().catch(() => undefined);
    return httpProblem(res);
  }
  if (/^\s*(text\/html|application\/xhtml\+xml)/i.test(res.headers.get('content-type') ?? '')) {
    void res.body?.cancel().catch(() => undefined);
    return webPage();
  }
  const name = fileNameFor(url.href, res.url || url.href, res.headers);
  const total = contentLength(res);
  if (total !== null && !fits(name, total, o.budget)) {
    void res.body?.cancel().catch(() => undefined);
    return { ok: false, problem: { ...overBudgetMessage(total, estimateInMemory({ name, size: total }), o.budget), code: 'too-large' } };
  }
  o.onProgress?.(0, total);
  try {
    const body = res.body ? await readBody(res, name, total, o) : await readWhole(res, name, o);
    if ('over' in body) return streamedTooLarge(name, body.over, o.budget);
    return { ok: true, name, bytes: body.bytes, url: url.href };
  } catch (e) {
    if (isAbortError(e) || o.signal?.aborted) return cancelled();
    if (e instanceof TypeError) return networkProblem(url);
    return problem('failed', `下载中断：${(e as Error).message}`, `The download broke off: ${(e as Error).message}`);
  }
}
