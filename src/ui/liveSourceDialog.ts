/**
 * The "fetch from the web" dialog: the live sources (src/connectors), each
 * with what it fetches here (the map area, the city's stations, its
 * districts), where from, under which terms, and whether it is modelled. A
 * request is made only when the planner presses its button; it shows the
 * bytes received, can be cancelled, and its result or error is said in the
 * planner's language. The work is given by the caller (modes/planner/liveSources.ts).
 */
import './liveSourceDialog.css';
import { formatBytes, formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { openModal } from './modal';

export interface LiveOffer {
  id: string;
  label: { zh: string; en: string };
  /** The layer kind it becomes, as shown. */
  kindLabel: { zh: string; en: string };
  /** What it will fetch here: "the map area you see (120 km²)". */
  scope: { zh: string; en: string };
  source: { zh: string; en: string };
  license: string;
  modelled: boolean;
  caveats: { zh: string; en: string }[];
  /** The host it connects to (shown, so the planner knows where the request goes). */
  origin: string;
  /** Why it cannot run here (area too large, no stations), or null. */
  unavailable: { zh: string; en: string } | null;
  /** Runs it; resolves to what was added. Errors carry { zh, en } when they can. */
  run(signal: AbortSignal, onProgress: (bytes: number) => void): Promise<{ rows: number; skipped: number; table: string }>;
}

export function openLiveSourceDialog(host: HTMLElement, p: { lang: Lang; offers: LiveOffer[]; online: () => boolean }): { close(): void } {
  const zh = p.lang === 'zh';
  const L = (o: { zh: string; en: string }) => o[p.lang];
  let running: AbortController | null = null;
  const modal = openModal(host, { kind: 'live', title: zh ? '从网络获取数据' : 'Fetch data from the web', closeLabel: zh ? '关闭' : 'Close', onClose: () => running?.abort() });
  const intro = h(
    'p',
    { class: 'live-help' },
    zh
      ? '以下数据源在互联网上。只有按下“获取”才会连接；结果成为“你的数据”中的图层，并注明来源与许可。本应用默认离线，不会自行联网。'
      : 'These sources are on the internet. Nothing is requested until you press Fetch; each result becomes a layer under “Your data”, with its source and licence. The app is offline by default and never connects on its own.',
  );
  const offline = h('p', { class: 'live-offline', role: 'status' }, zh ? '浏览器目前处于离线状态：需要联网才能获取。' : 'The browser is offline now: fetching needs a network.');
  offline.hidden = p.online();

  const rows = p.offers.map((o) => {
    const status = h('p', { class: 'live-status', 'aria-live': 'polite' });
    const go = h('button', { type: 'button', class: 'live-go primary', 'data-live': o.id }, zh ? '获取' : 'Fetch');
    const cancel = h('button', { type: 'button', class: 'live-cancel' }, zh ? '取消' : 'Cancel');
    cancel.hidden = true;
    go.disabled = !!o.unavailable;
    const say = (cls: string, text: string) => {
      status.className = `live-status ${cls}`;
      status.textContent = text;
    };
    if (o.unavailable) say('live-status-note', L(o.unavailable));
    go.addEventListener('click', () => {
      if (running) return;
      const ac = new AbortController();
      running = ac;
      modal.busy(true);
      go.disabled = true;
      cancel.hidden = false;
      cancel.focus();
      say('', zh ? `正在连接 ${o.origin}…` : `Connecting to ${o.origin}…`);
      o.run(ac.signal, (bytes) => say('', zh ? `已接收 ${formatBytes(bytes, p.lang)}…` : `Received ${formatBytes(bytes, p.lang)}…`))
        .then((r) => {
          const left = r.skipped ? (zh ? `；${formatNumber(r.skipped, p.lang)} 条无法使用，已跳过` : `; ${formatNumber(r.skipped, p.lang)} unusable record${r.skipped > 1 ? 's' : ''} left out`) : '';
          say('live-status-ok', zh ? `已获取 ${formatNumber(r.rows, p.lang)} 条，成为表 ${r.table}，见“你的数据”${left}。` : `Fetched ${formatNumber(r.rows, p.lang)} record${r.rows === 1 ? '' : 's'} into the table ${r.table}, under “Your data”${left}.`);
        })
        .catch((e: unknown) => {
          const m = e as Partial<{ zh: string; en: string; message: string }>;
          const text = ac.signal.aborted ? (zh ? '已取消，未添加任何数据。' : 'Cancelled; nothing was added.') : (m[p.lang] ?? m.message ?? String(e));
          say(ac.signal.aborted ? 'live-status-note' : 'live-status-error', text);
        })
        .finally(() => {
          running = null;
          modal.busy(false);
          go.disabled = false;
          cancel.hidden = true;
          if (!modal.closed) go.focus();
        });
    });
    cancel.addEventListener('click', () => running?.abort());
    return h(
      'li',
      { class: 'live-item', 'data-live': o.id },
      h(
        'div',
        { class: 'live-item-head' },
        h('span', { class: 'live-item-title' }, L(o.label)),
        h('span', { class: 'badge live-kind' }, L(o.kindLabel)),
        o.modelled ? h('span', { class: 'badge badge-modelled' }, zh ? '模型数据' : 'Modelled') : h('span', { class: 'badge badge-measured' }, zh ? '非模型' : 'Not modelled'),
      ),
      h('p', { class: 'live-scope' }, L(o.scope)),
      h('p', { class: 'live-source' }, `${zh ? '来源' : 'Source'}: ${L(o.source)} · ${zh ? '许可' : 'Licence'}: ${o.license} · ${zh ? '连接' : 'Connects to'} ${o.origin}`),
      ...o.caveats.map((c) => h('p', { class: 'live-caveat' }, L(c))),
      h('div', { class: 'live-actions' }, go, cancel),
      status,
    );
  });
  clear(modal.body);
  modal.body.append(intro, offline, h('ul', { class: 'live-list' }, ...rows));
  const onOnline = () => (offline.hidden = p.online());
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOnline);
  const observer = new MutationObserver(() => {
    if (!modal.dialog.isConnected) {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
      observer.disconnect();
    }
  });
  observer.observe(host, { childList: true });
  (modal.dialog.querySelector('.live-go:not([disabled])') as HTMLElement | null)?.focus();
  return { close: () => modal.close() };
}
