/**
 * The engine's running-query line: "查询运行中… 12 s [取消]" once a call has
 * run longer than 1.5 s, "正在重启数据引擎…" during a restart, nothing
 * otherwise. Cancel asks the engine to stop the running call
 * (../engine/resilient.ts: DuckDB's own cancel where it can, else a worker
 * restart; the queued calls still run).
 *
 * Also the words of the restart notices ({@link engineEventNotice}), for
 * ./notices.ts.
 *
 *   mountQueryStatus(shell.notices, engine, () => store.get().lang);
 */
import './queryStatus.css';
import type { EngineActivity, EngineEvent, StopCause } from '../engine/resilient';
import type { Lang } from '../state/types';
import { h } from './dom';
import type { NoticeLevel } from './notices';

/** What the line needs of the engine (a ResilientEngine has it). */
export interface QueryStatusSource {
  activity(): EngineActivity;
  onActivity(listener: () => void): () => void;
  cancel(): Promise<boolean>;
}

const S = {
  query: { zh: '查询运行中…', en: 'Query running…' },
  load: { zh: '正在载入数据…', en: 'Loading data…' },
  other: { zh: '数据引擎忙…', en: 'Data engine busy…' },
  restarting: { zh: '正在重启数据引擎并重新载入数据…', en: 'Restarting the data engine and reloading the data…' },
  cancel: { zh: '取消', en: 'Cancel' },
  cancelling: { zh: '正在取消…', en: 'Cancelling…' },
  cancelTitle: { zh: '停止正在运行的查询', en: 'Stop the running query' },
} as const;

/** Show the line once a call has run this long (ms). */
export const SHOW_AFTER_MS = 1500;

/** What the line shows for an engine activity (pure: ./queryStatus.test.ts). */
export interface QueryStatusView {
  hidden: boolean;
  state: 'idle' | 'running' | 'restarting';
  text: string;
  time: string;
  button: { hidden: boolean; disabled: boolean; label: string; title: string };
  /** Look again after this many ms (the line appears, or its seconds count up); null: wait for the next activity. */
  recheckMs: number | null;
}

export function queryStatusView(a: EngineActivity, nowMs: number, lang: Lang, cancelAsked = false, showAfterMs = SHOW_AFTER_MS): QueryStatusView {
  const noButton = { hidden: true, disabled: true, label: S.cancel[lang], title: S.cancelTitle[lang] };
  if (a.restarting) return { hidden: false, state: 'restarting', text: S.restarting[lang], time: '', button: noButton, recheckMs: null };
  const running = a.runningSince === null ? 0 : Math.max(0, nowMs - a.runningSince);
  if (a.runningSince === null || running < showAfterMs) {
    return { hidden: true, state: 'idle', text: '', time: '', button: noButton, recheckMs: a.runningSince === null ? null : showAfterMs - running + 10 };
  }
  const s = Math.floor(running / 1000);
  const busy = a.cancelling || cancelAsked;
  return {
    hidden: false,
    state: 'running',
    text: S[a.runningKind ?? 'query'][lang],
    time: lang === 'zh' ? `${s} 秒` : `${s} s`,
    button: { hidden: false, disabled: busy, label: busy ? S.cancelling[lang] : S.cancel[lang], title: S.cancelTitle[lang] },
    recheckMs: 1000 - (running % 1000) + 10,
  };
}

/**
 * Mount the line in `parent` (it is hidden while there is nothing to say).
 * `engine` may be a promise: the line waits for it, and stays hidden if it
 * fails or cannot report activity (a plain engine).
 */
export function mountQueryStatus(
  parent: HTMLElement,
  engine: QueryStatusSource | Promise<unknown>,
  lang: () => Lang,
  opts: { showAfterMs?: number } = {},
): { destroy(): void } {
  const showAfterMs = opts.showAfterMs ?? SHOW_AFTER_MS;
  const text = h('span', { class: 'query-status-text' });
  const time = h('span', { class: 'query-status-time' });
  const button = h('button', { type: 'button', class: 'query-status-cancel' });
  const el = h('div', { class: 'query-status', role: 'status', 'aria-live': 'polite' }, text, time, button);
  el.hidden = true;
  parent.prepend(el);

  let source: QueryStatusSource | null = null;
  let unsubscribe: () => void = () => {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  let destroyed = false;
  let cancelAsked = false;

  const render = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!source || destroyed) return;
    const a = source.activity();
    if (a.runningSince === null) cancelAsked = false;
    const v = queryStatusView(a, performance.now(), lang(), cancelAsked, showAfterMs);
    el.hidden = v.hidden;
    el.dataset.state = v.state;
    text.textContent = v.text;
    time.textContent = v.time;
    button.hidden = v.button.hidden;
    button.disabled = v.button.disabled;
    button.textContent = v.button.label;
    button.title = v.button.title;
    if (v.recheckMs !== null) timer = setTimeout(render, v.recheckMs);
  };

  button.addEventListener('click', () => {
    if (!source || cancelAsked) return;
    cancelAsked = true;
    render();
    void source.cancel().finally(render);
  });

  void Promise.resolve(engine).then(
    (e) => {
      if (destroyed || !isSource(e)) return;
      source = e;
      unsubscribe = e.onActivity(render);
      render();
    },
    () => undefined,
  );

  return {
    destroy() {
      destroyed = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      el.remove();
    },
  };
}

function isSource(e: unknown): e is QueryStatusSource {
  const s = e as Partial<QueryStatusSource> | null;
  return !!s && typeof s.activity === 'function' && typeof s.onActivity === 'function' && typeof s.cancel === 'function';
}

export interface EngineNotice {
  /** Notice key: every restart notice replaces the one before. */
  key: string;
  level: NoticeLevel;
  title: string;
  lines: string[];
}

/** Journal keys as a planner reads them (catalog:<table>, air-import:<n>). */
function stepName(key: string, lang: Lang): string {
  if (key.startsWith('catalog:')) return (lang === 'zh' ? '目录数据 ' : 'catalog data ') + key.slice('catalog:'.length);
  if (key.startsWith('air-import')) return lang === 'zh' ? '导入的空气质量文件' : 'the imported air-quality files';
  return key;
}

const stopped: Record<StopCause, { zh: string; en: string }> = {
  died: { zh: '数据引擎（DuckDB 工作线程）意外停止，正在自动重启并重新载入数据……', en: 'The data engine (DuckDB worker) stopped unexpectedly; restarting it and reloading the data…' },
  unresponsive: { zh: '数据引擎长时间无响应，正在重启并重新载入数据……', en: 'The data engine stopped answering; restarting it and reloading the data…' },
  cancel: { zh: '查询已取消，正在重启数据引擎以停止它……', en: 'Query cancelled; restarting the data engine to stop it…' },
};

/**
 * The notice for a restart event, in `lang`. Show it with the notices of
 * ./notices.ts: `notices.show(n.key, n.level, n.title, n.lines)`.
 */
export function engineEventNotice(event: EngineEvent, lang: Lang): EngineNotice {
  const key = 'engine-restart';
  const zh = lang === 'zh';
  switch (event.kind) {
    case 'stopped':
      return {
        key,
        level: event.cause === 'cancel' ? 'info' : 'warning',
        title: stopped[event.cause][lang],
        lines: event.cause === 'cancel' ? [] : [event.reason],
      };
    case 'restarted': {
      const s = (event.ms / 1000).toFixed(1);
      const title =
        event.cause === 'cancel'
          ? zh
            ? `数据引擎已重启（用时 ${s} 秒），其余查询照常运行。`
            : `The data engine was restarted (${s} s); the other queries carry on.`
          : zh
            ? `数据引擎已恢复（用时 ${s} 秒）：数据已重新载入，中断的查询已重试。`
            : `The data engine is back (${s} s): the data was reloaded and the interrupted queries retried.`;
      const lines = event.failed.map((f) => (zh ? `未能重新载入${stepName(f.key, lang)}：${f.error}` : `Could not reload ${stepName(f.key, lang)}: ${f.error}`));
      return { key, level: event.failed.length > 0 ? 'warning' : 'info', title, lines };
    }
    case 'restart-failed':
      return {
        key,
        level: 'error',
        title: event.gaveUp
          ? zh
            ? '数据引擎反复停止，已不再重启。请刷新页面（导入的文件保存在本浏览器中，会自动恢复）。'
            : 'The data engine keeps stopping and is not restarted again. Reload the page (imported files are kept in this browser and come back).'
          : zh
            ? '数据引擎无法重启，下一次查询时将再试。'
            : 'The data engine could not be restarted; it will be tried again with the next query.',
        lines: [event.error],
      };
  }
}
