/**
 * Module worker for the browser engine: decodes Parquet / GeoJSON into an
 * Arrow IPC stream off the main thread (hyparquet on a million rows takes
 * about a second) and transfers the bytes back. Same code as the inline path
 * (decodeToIPC in ./core.ts), so error messages are identical.
 */
import { decodeToIPC, type DecodeInput } from './core.ts';

export type DecodeRequest = { id: number; input: DecodeInput };
export type DecodeResponse = { id: number; ipc: Uint8Array } | { id: number; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<DecodeRequest>) => {
  const { id, input } = event.data;
  decodeToIPC(input).then(
    (ipc) => scope.postMessage({ id, ipc } satisfies DecodeResponse, [ipc.buffer as ArrayBuffer]),
    (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies DecodeResponse),
  );
});
