import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Serves the production build (dist/, made by `vite build` before this
 * project runs) with `vite preview` on a free localhost port for the browser
 * tests, and a second origin for cross-origin checks. With E2E_BASE_URL set,
 * the tests run against that server instead (another build, being looked at).
 */
let server: ChildProcess | undefined;

export const PORT = Number(process.env.E2E_PORT ?? 4173);

export async function setup(): Promise<void> {
  // A build served elsewhere (E2E_BASE_URL) is tested as it is: nothing to start.
  if (process.env.E2E_BASE_URL) return;
  const root = resolve(__dirname, '../..');
  if (!existsSync(resolve(root, 'dist/index.html'))) throw new Error('dist/ is missing: run `vite build` first (npm test does)');
  server = spawn(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`vite preview did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  process.env.E2E_BASE_URL = `http://127.0.0.1:${PORT}/`;
}

export async function teardown(): Promise<void> {
  server?.kill('SIGTERM');
}
