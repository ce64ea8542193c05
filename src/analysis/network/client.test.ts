import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { createNetworkClient, type NetworkEvent } from './client';
import type { NetworkRequest, NetworkResponse } from './protocol';

/**
 * The client against stand-in workers that answer, hang or crash as told:
 * what a dead worker means for the requests in flight, for the network it
 * held, and for the requests that come after.
 */
type Behaviour = 'answer' | 'hang' | 'crash';

class FakeWorker {
  onmessage: ((ev: MessageEvent<NetworkResponse>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  received: NetworkRequest['type'][] = [];
  terminated = false;
  constructor(readonly behaviour: Behaviour) {}
  postMessage(msg: NetworkRequest) {
    this.received.push(msg.type);
    if (this.terminated || this.behaviour === 'hang') return;
    setTimeout(() => {
      if (this.terminated) return;
      if (this.behaviour === 'crash' && msg.type !== 'load') {
        this.onerror?.({ message: 'Out of memory', preventDefault() {} } as unknown as ErrorEvent);
        return;
      }
      const reply = (m: NetworkResponse) => this.onmessage?.({ data: m } as MessageEvent<NetworkResponse>);
      if (msg.type === 'load') reply({ type: 'loaded', key: msg.key, nodes: 2, edges: msg.edges.fromNode.length });
      else if (msg.type === 'nodes') reply({ type: 'nodes', id: msg.id, nodes: Int32Array.from(msg.lon, () => 7) });
      else if (msg.type === 'reach') reply({ type: 'reach', id: msg.id, reach: [] });
      else reply({ type: 'result', id: msg.id, result: { snap: { lon: msg.lon, lat: msg.lat, offsetM: 0 }, areas: [], nearest: [], ms: 1 } });
    }, 1);
  }
  terminate() {
    this.terminated = true;
  }
}

function setup(behaviours: Behaviour[], opts: { hangMs?: number; maxRestarts?: number } = {}) {
  const workers: FakeWorker[] = [];
  const client = createNetworkClient({
    ...opts,
    createWorker: () => {
      const w = new FakeWorker(behaviours[workers.length] ?? 'answer');
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  const events: NetworkEvent[] = [];
  client.onEvent((e) => events.push(e));
  const query = vi.fn(async (sql: string) =>
    sql.includes('from_node')
      ? tableFromArrays({ from_node: Int32Array.of(0), to_node: Int32Array.of(1), x1: Float64Array.of(0), y1: Float64Array.of(0), x2: Float64Array.of(1), y2: Float64Array.of(1), length_m: Float64Array.of(100) })
      : tableFromArrays({ id: ['f1'], type: ['school'], name: ['A'], lon: Float64Array.of(0.5), lat: Float64Array.of(0.5) }),
  );
  const ensure = () => client.ensure('jinan', query, { network: 'jinan__walk_network', facilities: 'jinan__facilities' });
  return { client, workers, events, query, ensure };
}

describe('walking-network client', () => {
  it('answers from one worker while it lives', async () => {
    const { client, workers, events, ensure } = setup(['answer']);
    await ensure();
    await ensure();
    expect(await client.nodes('jinan', Float64Array.of(1, 2), Float64Array.of(1, 2), 100)).toEqual(Int32Array.of(7, 7));
    expect(workers).toHaveLength(1);
    expect(workers[0]!.received).toEqual(['load', 'nodes']);
    expect(events).toEqual([]);
  });

  it('a worker that crashes mid-request is replaced, given the same network and the request again, without asking DuckDB again', async () => {
    const { client, workers, events, query, ensure } = setup(['crash', 'answer']);
    await ensure();
    const r = await client.isochrone('jinan', 117, 36.6, [300, 500]);
    expect(r?.snap).toMatchObject({ lon: 117, lat: 36.6 });
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.received).toEqual(['load', 'isochrone']);
    expect(query).toHaveBeenCalledTimes(2); // network and facilities, once
    expect(events.map((e) => e.kind)).toEqual(['stopped', 'restarted']);
    expect(events[0]).toMatchObject({ cause: 'error', reason: expect.stringContaining('Out of memory') });
    expect(events[1]).toMatchObject({ reloaded: 'jinan', retried: 1 });
    expect(client.restarts()).toBe(1);
  });

  it('a worker that stops answering is restarted after hangMs and the request answered by the next one', async () => {
    const { client, workers, events, ensure } = setup(['answer', 'hang', 'answer'], { hangMs: 40 });
    await ensure();
    // The first worker fails; its replacement hangs; the third answers.
    client.current()!.worker.onerror?.({ message: 'gone', preventDefault() {} } as unknown as ErrorEvent);
    const nodes = await client.nodes('jinan', Float64Array.of(3), Float64Array.of(3), 100);
    expect(nodes).toEqual(Int32Array.of(7));
    expect(workers).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'stopped').map((e) => (e as { cause: string }).cause)).toEqual(['error', 'unresponsive']);
  });

  it('a request interrupted twice fails with the reason, and the client still answers afterwards', async () => {
    const { client, events, ensure } = setup(['answer', 'crash', 'crash', 'answer'], { maxRestarts: 5 });
    await ensure();
    client.current()!.worker.onerror?.({ message: 'boom', preventDefault() {} } as unknown as ErrorEvent);
    await expect(client.reach('jinan', [{ lon: 1, lat: 1 }], 100)).rejects.toThrow(/interrupted twice/);
    expect(await client.reach('jinan', [{ lon: 1, lat: 1 }], 100)).toEqual([]);
    expect(events.filter((e) => e.kind === 'stopped')).toHaveLength(3);
  });

  it('gives up after too many restarts: pending and later requests fail with a message to reload', async () => {
    const { client, events, ensure } = setup(['answer', 'crash', 'crash', 'crash'], { maxRestarts: 2 });
    await ensure();
    const first = client.nodes('jinan', Float64Array.of(1), Float64Array.of(1), 10).catch((e: Error) => e.message);
    const second = client.nodes('jinan', Float64Array.of(2), Float64Array.of(2), 10).catch((e: Error) => e.message);
    // Worker 1 answers; the next two crash on every request.
    expect(await first).toEqual(Int32Array.of(7));
    expect(await second).toEqual(Int32Array.of(7));
    client.current()!.worker.onerror?.({ message: 'boom', preventDefault() {} } as unknown as ErrorEvent);
    await expect(client.nodes('jinan', Float64Array.of(1), Float64Array.of(1), 10)).rejects.toThrow(/reload the page/);
    await expect(client.isochrone('jinan', 1, 1, [300])).rejects.toThrow(/reload the page/);
    expect(events.at(-1)).toMatchObject({ kind: 'restart-failed', gaveUp: true });
  });

  it('the newest isochrone wins across a restart', async () => {
    const { client, ensure } = setup(['hang', 'answer'], { hangMs: 30 });
    const loading = ensure();
    const older = client.isochrone('jinan', 1, 1, [300]);
    const newer = client.isochrone('jinan', 2, 2, [300]);
    await loading;
    expect(await older).toBeNull();
    expect((await newer)?.snap?.lon).toBe(2);
  });
});
