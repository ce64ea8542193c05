/**
 * A static file server for remote-Parquet benchmarks and tests: answers
 * HEAD, GET and single `Range: bytes=…` requests (206, or 416 when outside
 * the file), counts requests and body bytes sent, and can play a server
 * without Range support or one that refuses HEAD. CORS is open so a browser
 * page on another port can read it too.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { normalize, resolve, sep } from 'node:path';

export interface ServedStats {
  requests: number;
  /** Body bytes sent. */
  bytes: number;
  /** Requests per method and kind, e.g. { HEAD: 5, range: 10, full: 0 }. */
  kinds: Record<string, number>;
  /** Paths asked for, in order. */
  paths: string[];
}

export interface RangeServer {
  /** Base URL ending in "/". */
  url: string;
  stats: ServedStats;
  reset(): void;
  close(): Promise<void>;
}

export interface RangeServerOptions {
  /** Honour Range (default true); false answers every GET with the whole file. */
  ranges?: boolean;
  /** Answer HEAD (default true); false answers 405. */
  head?: boolean;
}

/** Parse one "bytes=a-b" / "bytes=a-" / "bytes=-n" against a size; null when unsatisfiable, undefined when not a single range. */
function parseRange(h: string, size: number): { start: number; end: number } | null | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number, end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
  }
  return start <= end && start < size ? { start, end } : null;
}

export function serveRange(root: string, opts: RangeServerOptions = {}): Promise<RangeServer> {
  const stats: ServedStats = { requests: 0, bytes: 0, kinds: {}, paths: [] };
  const count = (kind: string) => (stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1);
  const base = resolve(root);
  const server = createServer((req, res) => {
    stats.requests++;
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    stats.paths.push(path);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Headers', 'Range');
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
      return void res.writeHead(204).end();
    }
    const file = resolve(base, normalize(`.${sep}${path}`));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      count('missing');
      return void res.writeHead(404).end();
    }
    const size = statSync(file).size;
    if (opts.ranges !== false) res.setHeader('Accept-Ranges', 'bytes');
    if (req.method === 'HEAD') {
      count('HEAD');
      if (opts.head === false) return void res.writeHead(405).end();
      res.setHeader('Content-Length', size);
      return void res.writeHead(200).end();
    }
    if (req.method !== 'GET') return void res.writeHead(405).end();
    const range = opts.ranges === false || !req.headers.range ? undefined : parseRange(req.headers.range, size);
    if (range === null) {
      count('unsatisfiable');
      res.setHeader('Content-Range', `bytes */${size}`);
      return void res.writeHead(416).end();
    }
    const bytes = readFileSync(file);
    const out = range ? bytes.subarray(range.start, range.end + 1) : bytes;
    count(range ? 'range' : 'full');
    stats.bytes += out.length;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', out.length);
    if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    res.writeHead(range ? 206 : 200).end(out);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      ok({
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`,
        stats,
        reset() {
          stats.requests = 0;
          stats.bytes = 0;
          stats.kinds = {};
          stats.paths = [];
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}
