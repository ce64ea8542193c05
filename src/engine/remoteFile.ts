/**
 * One remote file read by HTTP byte ranges, with every request and body byte
 * counted, and every failure a bilingual {@link RemoteParquetError}. Used by
 * ./remoteParquet.ts, which decides what to read.
 */
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { readFooter, type TStruct } from './parquetSubset.ts';

export type RemoteErrorCode = 'not-found' | 'http' | 'offline' | 'network' | 'cancelled' | 'not-parquet' | 'bad-response' | 'bad-input' | 'schema';

export class RemoteParquetError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    readonly en: string,
    readonly zh: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(en, options);
    this.name = 'RemoteParquetError';
  }
}

/** What the network carried. `bytes` counts response bodies; `fileBytes` is the size of every file touched. */
export interface FetchStats {
  requests: number;
  bytes: number;
  files: number;
  fileBytes: number;
  /** Files a server sent whole because it ignored Range. */
  fullDownloads: number;
}

export const newStats = (): FetchStats => ({ requests: 0, bytes: 0, files: 0, fileBytes: 0, fullDownloads: 0 });

export interface Ctx {
  fetch: typeof fetch;
  signal?: AbortSignal;
  stats: FetchStats;
}

async function send(ctx: Ctx, url: string, init: RequestInit): Promise<Response> {
  ctx.stats.requests++;
  try {
    return await ctx.fetch(url, { ...init, signal: ctx.signal });
  } catch (e) {
    if (ctx.signal?.aborted) throw new RemoteParquetError('cancelled', `reading ${url} was cancelled`, `已取消读取 ${url}`, url, { cause: e });
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      throw new RemoteParquetError('offline', `cannot read ${url}: this device is offline`, `无法读取 ${url}：设备处于离线状态`, url, { cause: e });
    }
    // Browsers report a CORS refusal exactly like a network failure, so name both.
    throw new RemoteParquetError(
      'network',
      `cannot read ${url}: the network failed, or the server does not let this page read it (CORS: it must send Access-Control-Allow-Origin and accept Range requests)`,
      `无法读取 ${url}：网络出错，或服务器不允许本页跨域读取（CORS：服务器须发送 Access-Control-Allow-Origin 并接受 Range 分段请求）`,
      url,
      { cause: e },
    );
  }
}

async function body(ctx: Ctx, res: Response): Promise<Uint8Array> {
  const b = new Uint8Array(await res.arrayBuffer());
  ctx.stats.bytes += b.length;
  return b;
}

function statusError(res: Response, url: string, label: string): RemoteParquetError {
  // An error page is not read: release the connection.
  void res.body?.cancel().catch(() => undefined);
  if (res.status === 404 || res.status === 410) {
    return new RemoteParquetError('not-found', `partition ${label} is not in the store: HTTP ${res.status} for ${url}`, `存储中没有分区 ${label}：${url} 返回 HTTP ${res.status}`, url);
  }
  return new RemoteParquetError('http', `HTTP ${res.status} for ${url} (partition ${label})`, `${url}（分区 ${label}）返回 HTTP ${res.status}`, url);
}

/** One remote file read by byte ranges, falling back to the whole body when the server ignores Range. */
export class RemoteFile {
  private whole: Uint8Array | null = null;
  private tail: { start: number; bytes: Uint8Array } | null = null;
  private constructor(
    private readonly ctx: Ctx,
    readonly url: string,
    readonly label: string,
    readonly byteLength: number,
  ) {}

  static async open(ctx: Ctx, url: string, label: string): Promise<RemoteFile> {
    const head = await send(ctx, url, { method: 'HEAD' });
    const length = Number(head.headers.get('Content-Length'));
    let file: RemoteFile;
    if (head.ok && Number.isSafeInteger(length) && length > 0) file = new RemoteFile(ctx, url, label, length);
    else if (head.status === 404 || head.status === 410 || (!head.ok && head.status !== 403 && head.status !== 405 && head.status !== 501)) throw statusError(head, url, label);
    else {
      // HEAD refused or without a length (signed URLs, some CDNs): one byte by Range tells the size.
      const res = await send(ctx, url, { headers: { Range: 'bytes=0-0' } });
      if (res.status === 206) {
        const total = Number(/\/(\d+)\s*$/.exec(res.headers.get('Content-Range') ?? '')?.[1]);
        await body(ctx, res);
        if (!Number.isSafeInteger(total)) {
          throw new RemoteParquetError('bad-response', `${url} answers Range without a readable Content-Range, so its size is unknown`, `${url} 的分段响应缺少可读的 Content-Range，无法得知文件大小`, url);
        }
        file = new RemoteFile(ctx, url, label, total);
      } else if (res.ok) {
        const all = await body(ctx, res);
        file = new RemoteFile(ctx, url, label, all.length);
        file.keepWhole(all);
      } else throw statusError(res, url, label);
    }
    ctx.stats.files++;
    ctx.stats.fileBytes += file.byteLength;
    return file;
  }

  private keepWhole(all: Uint8Array): void {
    this.whole = all;
    this.ctx.stats.fullDownloads++;
    console.warn(
      `${this.url}: the server does not support HTTP range requests, so the whole file (${all.length} bytes) was downloaded · ` +
        `服务器不支持 HTTP 分段请求（Range），已下载整个文件（${all.length} 字节）`,
    );
  }

  private fullBody(): Uint8Array | null {
    return this.whole;
  }

  /** Bytes [start, end). */
  async read(start: number, end: number): Promise<Uint8Array> {
    if (this.whole) return this.whole.subarray(start, end);
    const tail = this.tail;
    if (tail && start >= tail.start) return tail.bytes.subarray(start - tail.start, end - tail.start);
    if (tail && end > tail.start) {
      // The last row group's chunks often run into the tail already read: fetch only what comes before it.
      const head = await this.read(start, tail.start);
      // The server may have answered that with the whole file.
      const whole = this.fullBody();
      if (whole) return whole.subarray(start, end);
      const out = new Uint8Array(end - start);
      out.set(head);
      out.set(tail.bytes.subarray(0, end - tail.start), head.length);
      return out;
    }
    const res = await send(this.ctx, this.url, { headers: { Range: `bytes=${start}-${end - 1}` } });
    if (res.status === 206) {
      const b = await body(this.ctx, res);
      if (b.length !== end - start) {
        throw new RemoteParquetError('bad-response', `${this.url} sent ${b.length} bytes for a range of ${end - start}`, `${this.url} 的分段响应长度不符（收到 ${b.length} 字节，应为 ${end - start}）`, this.url);
      }
      return b;
    }
    if (res.ok) {
      const all = await body(this.ctx, res);
      this.keepWhole(all);
      return all.subarray(start, end);
    }
    throw statusError(res, this.url, this.label);
  }

  /** The footer: Thrift bytes for rewriting and hyparquet's reading of them. */
  async footer(tailBytes: number): Promise<{ raw: TStruct; meta: FileMetaData }> {
    const notParquet = (why: string) =>
      new RemoteParquetError('not-parquet', `${this.url} (partition ${this.label}) is not a readable Parquet file: ${why}`, `${this.url}（分区 ${this.label}）不是可读的 Parquet 文件：${why}`, this.url);
    const len = this.byteLength;
    if (len < 12) throw notParquet(`${len} bytes`);
    const start = Math.max(0, len - tailBytes);
    this.tail = { start, bytes: await this.read(start, len) };
    const t = this.tail.bytes;
    if (String.fromCharCode(...t.subarray(t.length - 4)) !== 'PAR1') throw notParquet('no "PAR1" at the end');
    const metaLen = new DataView(t.buffer, t.byteOffset + t.length - 8, 4).getUint32(0, true);
    if (metaLen + 8 > len) throw notParquet(`footer length ${metaLen} exceeds the file`);
    let footer: Uint8Array;
    if (metaLen + 8 <= t.length) footer = t.slice(t.length - 8 - metaLen);
    else {
      const more = await this.read(len - 8 - metaLen, start);
      footer = new Uint8Array(metaLen + 8);
      footer.set(more);
      footer.set(t, more.length);
    }
    try {
      const meta = parquetMetadata(footer.buffer as ArrayBuffer);
      return { raw: readFooter(footer.subarray(0, metaLen)), meta };
    } catch (e) {
      throw notParquet((e as Error).message);
    }
  }
}

