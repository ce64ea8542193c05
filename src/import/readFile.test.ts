import { describe, expect, it } from 'vitest';
import { abortable, isAbortError, readBlob } from './readFile';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);

/** A Blob whose pieces arrive only when `release()` is called, to abort a read half-way. */
function slowBlob(size: number) {
  const waiting: (() => void)[] = [];
  const real = new Blob([bytes(size)]);
  const blob = {
    size,
    slice: (a: number, b: number) => ({ arrayBuffer: () => new Promise<ArrayBuffer>((resolve) => waiting.push(() => void real.slice(a, b).arrayBuffer().then(resolve))) }),
  } as unknown as Blob;
  return { blob, release: () => waiting.shift()?.(), pending: () => waiting.length };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('readBlob', () => {
  it('reads a Blob in chunks into one buffer, reporting progress', async () => {
    const progress: [number, number][] = [];
    const out = await readBlob(new Blob([bytes(1000)]), { chunkSize: 300, onProgress: (l, t) => progress.push([l, t]) });
    expect(out).toEqual(bytes(1000));
    expect(progress).toEqual([[0, 1000], [300, 1000], [600, 1000], [900, 1000], [1000, 1000]]);
  });

  it('reads an empty Blob', async () => {
    const progress: [number, number][] = [];
    expect(await readBlob(new Blob([]), { onProgress: (l, t) => progress.push([l, t]) })).toEqual(new Uint8Array(0));
    expect(progress).toEqual([[0, 0]]);
  });

  it('rejects with an AbortError the moment it is cancelled, mid-chunk, and reads no further', async () => {
    const slow = slowBlob(1000);
    const ac = new AbortController();
    const progress: number[] = [];
    const reading = readBlob(slow.blob, { chunkSize: 400, signal: ac.signal, onProgress: (l) => progress.push(l) });
    const settled = reading.then(() => 'resolved', (e: unknown) => e);
    await tick();
    slow.release();
    await expect.poll(() => progress.at(-1)).toBe(400);
    ac.abort();
    const err = await settled;
    expect(isAbortError(err)).toBe(true);
    // The chunk in flight lands after the abort and is ignored; no chunk is asked for after it.
    slow.release();
    await tick();
    await tick();
    expect(slow.pending()).toBe(0);
    expect(progress).toEqual([0, 400]);
  });

  it('does not start when the signal is already aborted', async () => {
    const slow = slowBlob(10);
    const ac = new AbortController();
    ac.abort();
    await expect(readBlob(slow.blob, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(slow.pending()).toBe(0);
  });
});

describe('abortable', () => {
  it('passes results and errors through when not aborted', async () => {
    const ac = new AbortController();
    expect(await abortable(Promise.resolve(7), ac.signal)).toBe(7);
    await expect(abortable(Promise.reject(new Error('boom')), ac.signal)).rejects.toThrow('boom');
  });

  it('rejects at once on abort and hands a result that lands later to discard', async () => {
    const ac = new AbortController();
    let finish!: (v: string) => void;
    const discarded: string[] = [];
    const p = abortable(new Promise<string>((r) => (finish = r)), ac.signal, (v) => discarded.push(v));
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(discarded).toEqual([]);
    finish('user__stage_1');
    await tick();
    expect(discarded).toEqual(['user__stage_1']);
  });
});
