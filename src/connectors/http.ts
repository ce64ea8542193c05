/**
 * Reading JSON from a live source the planner asked for (issue #8): the one
 * place the connectors touch the network, so every way a request can fail
 * ends up as the same bilingual {@link ConnectorError} the UI shows as it is.
 *
 * - The body is read as a stream and counted, and refused past `maxBytes`:
 *   a city-sized Overpass answer can run to hundreds of megabytes, and
 *   `res.json()` would hold all of it before we could say no. A declared
 *   Content-Length above the limit is refused before reading (it may be the
 *   compressed size, so it can only ever under-state the body).
 * - One timeout covers the whole exchange, headers and body: a server that
 *   sends headers and then trickles is as stuck as one that never answers.
 * - Abort (the planner's cancel) and timeout are told apart by who fired,
 *   not by the error the fetch implementation happens to throw.
 * - Responses are untrusted: {@link plainText} is how a connector keeps a
 *   string from one (the UI escapes; this bounds length and strips control
 *   and bidi-override characters, which escaping does not).
 */

export type ConnectorErrorCode =
  | 'offline'
  | 'network'
  | 'timeout'
  | 'cancelled'
  /** 429, 502, 503, 504: the server is overloaded or rate-limiting us. */
  | 'busy'
  /** Any other non-2xx status. */
  | 'http'
  | 'not-json'
  | 'too-large'
  /** The caller's input cannot make a request (bad bbox, unknown city…). */
  | 'bad-input'
  /** JSON, but not the shape the source documents. */
  | 'bad-response'
  /** The server says its answer is cut short (Overpass `remark`). */
  | 'incomplete';

export interface Bilingual {
  zh: string;
  en: string;
}

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly zh: string;
  readonly en: string;
  /** HTTP status for 'busy' and 'http'. */
  readonly status?: number;

  constructor(code: ConnectorErrorCode, text: Bilingual, opts: { status?: number; cause?: unknown } = {}) {
    super(text.en, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.zh = text.zh;
    this.en = text.en;
    if (opts.status !== undefined) this.status = opts.status;
  }
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** The statuses that mean "not now" rather than "not this". */
const BUSY_STATUSES = new Set([429, 502, 503, 504]);

export interface FetchJsonOptions {
  /** The planner's cancel. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  /** Called with the bytes read so far, after each chunk. */
  onProgress?: (bytes: number) => void;
  /** For tests and the CLI; default `globalThis.fetch`, looked up at call time. */
  fetchImpl?: typeof fetch;
  /**
   * What to tell the planner to do when the server is busy; a source may
   * know better than "try later" (Overpass: a smaller area helps).
   */
  busyAdvice?: Bilingual;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} kB`);

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 80);
  }
}

function isOffline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator;
  return nav?.onLine === false;
}

const errors = {
  offline: () =>
    new ConnectorError('offline', {
      zh: '当前处于离线状态，无法连接在线数据源。联网后再试。',
      en: 'You are offline, so the live source cannot be reached. Try again when online.',
    }),
  network: (host: string, cause: unknown) =>
    new ConnectorError(
      'network',
      {
        zh: `无法连接 ${host}：网络错误，或该服务器拒绝了本站的请求。`,
        en: `Could not reach ${host}: a network error, or the server refused requests from this site.`,
      },
      { cause },
    ),
  timeout: (host: string, ms: number) =>
    new ConnectorError('timeout', {
      zh: `${host} 在 ${Math.round(ms / 1000)} 秒内没有返回完整结果。请缩小范围或稍后再试。`,
      en: `${host} did not send a complete answer within ${Math.round(ms / 1000)} s. Try a smaller area or try later.`,
    }),
  cancelled: () => new ConnectorError('cancelled', { zh: '已取消。', en: 'Cancelled.' }),
  status: (host: string, status: number, advice?: Bilingual) =>
    BUSY_STATUSES.has(status)
      ? new ConnectorError(
          'busy',
          {
            zh: `${host} 繁忙（HTTP ${status}）：${advice?.zh ?? '请稍后再试。'}`,
            en: `${host} is busy (HTTP ${status}): ${advice?.en ?? 'try again later.'}`,
          },
          { status },
        )
      : new ConnectorError('http', { zh: `${host} 返回错误（HTTP ${status}）。`, en: `${host} answered with an error (HTTP ${status}).` }, { status }),
  notJson: (host: string, cause?: unknown) =>
    new ConnectorError('not-json', { zh: `${host} 返回的内容不是 JSON。`, en: `The answer from ${host} is not JSON.` }, { cause }),
  tooLarge: (host: string, max: number) =>
    new ConnectorError('too-large', {
      zh: `${host} 返回的数据超过 ${mb(max)}，已停止下载。请缩小范围。`,
      en: `The answer from ${host} is larger than ${mb(max)}; the download was stopped. Try a smaller area.`,
    }),
};

/**
 * GET `url` and parse its body as JSON. Every failure is a
 * {@link ConnectorError}; nothing else is thrown.
 */
export async function fetchJson(url: string, opts: FetchJsonOptions = {}): Promise<unknown> {
  const { signal, onProgress, busyAdvice } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const doFetch: typeof fetch = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const host = hostOf(url);

  if (signal?.aborted) throw errors.cancelled();
  if (isOffline()) throw errors.offline();

  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, timeoutMs);
  const onAbort = () => ctrl.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  // Who stopped us decides the message, whatever the implementation threw.
  const explain = (e: unknown): ConnectorError => {
    if (e instanceof ConnectorError) return e;
    if (timedOut) return errors.timeout(host, timeoutMs);
    if (signal?.aborted) return errors.cancelled();
    if (isOffline()) return errors.offline();
    return errors.network(host, e);
  };
  // A fetch implementation that ignores its signal must not hang us.
  const stopped = new Promise<never>((_, reject) => {
    ctrl.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  stopped.catch(() => {});
  const untilStopped = <T>(p: Promise<T>) => Promise.race([p, stopped]);

  try {
    let res: Response;
    try {
      res = await untilStopped(doFetch(url, { signal: ctrl.signal, credentials: 'omit' }));
    } catch (e) {
      throw explain(e);
    }
    if (!res.ok) {
      res.body?.cancel().catch(() => {});
      throw errors.status(host, res.status, busyAdvice);
    }
    const declared = Number(res.headers?.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.body?.cancel().catch(() => {});
      throw errors.tooLarge(host, maxBytes);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(res, maxBytes, host, untilStopped, onProgress);
    } catch (e) {
      throw explain(e);
    }
    const text = new TextDecoder('utf-8').decode(bytes);
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw errors.notJson(host, e);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function readCapped(
  res: Response,
  maxBytes: number,
  host: string,
  untilStopped: <T>(p: Promise<T>) => Promise<T>,
  onProgress?: (bytes: number) => void,
): Promise<Uint8Array> {
  const reader = res.body?.getReader();
  if (!reader) {
    // Bodies without a stream (some polyfills): the limit still holds, late.
    const buf = new Uint8Array(await untilStopped(res.arrayBuffer()));
    if (buf.byteLength > maxBytes) throw errors.tooLarge(host, maxBytes);
    onProgress?.(buf.byteLength);
    return buf;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await untilStopped(reader.read());
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw errors.tooLarge(host, maxBytes);
      chunks.push(value);
      onProgress?.(total);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Untrusted strings

/** Longest string a connector keeps from a response (in code points). */
export const MAX_TEXT_LENGTH = 200;

// C0/C1 controls, and the bidi embeddings/overrides/isolates that can make
// "<safe name>" display as something else even when escaped.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string (or number) from a response as plain text: unsafe characters
 * removed, whitespace collapsed, at most `max` code points (an ellipsis marks
 * a cut), or null when nothing is left or the value is not text.
 */
export function plainText(v: unknown, max = MAX_TEXT_LENGTH): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) v = String(v);
  if (typeof v !== 'string') return null;
  const s = v.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  if (!s) return null;
  const cps = Array.from(s);
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : s;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
