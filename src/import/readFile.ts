/**
 * Reading a planner's file into memory in pieces, so a large one shows how
 * far it has got and can be cancelled at once, and the abort plumbing the
 * import steps share (./fetchFile.ts, ui/fileImportDialog.ts).
 *
 *   const bytes = await readBlob(file, { signal, onProgress: (done, total) => bar(done / total) });
 */

/** 8 MB: a progress step every few tens of milliseconds on a laptop, and few enough copies. */
export const CHUNK = 8 * 2 ** 20;

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?(loaded: number, total: number): void;
  chunkSize?: number;
}

/** The error an aborted step rejects with: the signal's reason when it is an error, else a DOMException named AbortError (as fetch does). */
export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/**
 * `work` as the caller sees it: it rejects with an AbortError the moment
 * `signal` aborts, although the work itself (a DuckDB step, which cannot be
 * stopped half-way) goes on; when it lands after the abort, its result goes
 * to `discard`, so nothing it made is left behind. (A failure after the
 * abort is the work's own to clean up.)
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal, discard: (result: T) => unknown = () => undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) void Promise.resolve(discard(r)).catch(() => undefined);
        else resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The whole of `blob` as bytes, read `chunkSize` at a time into one buffer
 * sized up front (no second copy at the end). On abort it rejects at once
 * and lets go of the buffer.
 */
export async function readBlob(blob: Blob, o: ReadOptions = {}): Promise<Uint8Array> {
  const total = blob.size;
  const step = Math.max(1, o.chunkSize ?? CHUNK);
  if (o.signal?.aborted) throw abortError(o.signal);
  // Only this function holds the buffer: once it rejects, the part read is garbage.
  const out = new Uint8Array(total);
  o.onProgress?.(0, total);
  for (let at = 0; at < total; at += step) {
    const piece = blob.slice(at, Math.min(total, at + step)).arrayBuffer();
    const bytes = new Uint8Array(o.signal ? await abortable(piece, o.signal) : await piece);
    out.set(bytes, at);
    o.onProgress?.(at + bytes.length, total);
  }
  return out;
}
