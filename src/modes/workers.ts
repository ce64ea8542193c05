/**
 * The app's two workers and what the user is told about them: DuckDB (started
 * once the map has painted, restarted with its tables if it dies, a long
 * query cancellable from the notices) and the walking-network worker
 * (restarted with its network if it dies). Both report in the notices, in the
 * user's language.
 */
import { sharedNetworkClient } from '../analysis/network/client';
import { createBrowserEngine } from '../engine/browser';
import { createResilientEngine, type ResilientEngine } from '../engine/resilient';
import { t } from '../i18n';
import type { Lang } from '../state/types';
import { networkEventNotice } from '../ui/networkNotice';
import type { createNotices } from '../ui/notices';
import { engineEventNotice, mountQueryStatus } from '../ui/queryStatus';

export interface AppWorkers {
  engine: Promise<ResilientEngine>;
  /** Start DuckDB now (it starts after 3 s anyway, should the map never paint). */
  startEngine(): void;
}

export function startAppWorkers(d: { notices: ReturnType<typeof createNotices>; noticeRoot: HTMLElement; status: HTMLElement; lang(): Lang }): AppWorkers {
  // DuckDB takes seconds to start and compiles 34 MB of wasm: start it once the
  // map has painted, so the first paint does not compete with it for the CPU.
  d.status.textContent = t('loadingEngine', d.lang());
  let startEngine: () => void = () => {};
  const engine = new Promise<void>((resolve) => {
    startEngine = resolve;
    setTimeout(resolve, 3000);
  }).then(() =>
    createResilientEngine({
      create: () => createBrowserEngine(),
      onEvent: (ev) => {
        const n = engineEventNotice(ev, d.lang());
        d.notices.show(n.key, n.level, n.title, n.lines);
      },
    }),
  );
  mountQueryStatus(d.noticeRoot, engine, d.lang);
  engine.then(
    () => (d.status.textContent = ''),
    (e: Error) => {
      d.status.textContent = '';
      d.notices.show('engine', 'error', t('engineFailed', d.lang()), [e.message]);
    },
  );
  sharedNetworkClient().onEvent((ev) => {
    const n = networkEventNotice(ev, d.lang());
    d.notices.show(n.key, n.level, n.title, n.lines);
    // "Back" needs no dismissing.
    if (ev.kind === 'restarted') setTimeout(() => d.notices.hide(n.key), 8000);
  });
  return { engine, startEngine: () => startEngine() };
}
