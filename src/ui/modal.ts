/**
 * A modal dialog's plumbing, shared by the planner's dialogs (import, data
 * packs): focus stays inside, Tab wraps, Esc or × closes, focus returns to
 * where it was, and a click on the dimmed area does not close it (work may be
 * running). One modal of a kind at a time: opening another of the same
 * `kind` closes the first.
 *
 *   const m = openModal(host, { kind: 'pack', title: '数据包', closeLabel: '关闭' });
 *   m.body.append(...);  m.close();
 */
import './modal.css';
import { h } from './dom';

const FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';
let counter = 0;

export interface Modal {
  dialog: HTMLElement;
  body: HTMLElement;
  /** A prefix for ids unique to this dialog. */
  uid: string;
  readonly closed: boolean;
  close(): void;
  /** Sets aria-busy while work runs. */
  busy(on: boolean): void;
}

export function openModal(host: HTMLElement, o: { kind: string; title: string; closeLabel: string; onClose?: () => void }): Modal {
  host.querySelector(`.modal-backdrop[data-kind="${o.kind}"]`)?.dispatchEvent(new CustomEvent('modal-close'));
  const uid = `${o.kind}-dlg-${++counter}`;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `${uid}-title`;
  const closeBtn = h('button', { type: 'button', class: `icon-btn modal-x ${o.kind}-x`, 'aria-label': o.closeLabel, title: o.closeLabel }, '×');
  const body = h('div', { class: `modal-body ${o.kind}-body` });
  const dialog = h(
    'div',
    { class: `modal-dialog ${o.kind}-dialog panel`, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: -1 },
    h('div', { class: `modal-head ${o.kind}-head` }, h('h2', { class: `modal-title ${o.kind}-title`, id: titleId }, o.title), closeBtn),
    body,
  );
  const backdrop = h('div', { class: `modal-backdrop ${o.kind}-backdrop`, 'data-kind': o.kind }, dialog);
  let closed = false;

  const focusables = () => [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !(el as HTMLButtonElement).disabled && !el.closest('[hidden]') && el.getClientRects().length > 0);
  // Esc is heard on the document: focus may have left the dialog (a button
  // that disables itself while work runs drops focus to the body).
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || closed || !backdrop.isConnected || backdrop.nextElementSibling?.classList.contains('modal-backdrop')) return;
    e.preventDefault();
    e.stopPropagation();
    close();
  };
  document.addEventListener('keydown', onKey, true);
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const els = focusables();
    if (els.length === 0) {
      e.preventDefault();
      dialog.focus();
      return;
    }
    const first = els[0]!;
    const last = els[els.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === dialog)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  });
  const onFocusIn = (e: FocusEvent) => {
    if (!closed && e.target instanceof Node && !dialog.contains(e.target)) (focusables()[0] ?? dialog).focus();
  };
  document.addEventListener('focusin', onFocusIn);
  backdrop.addEventListener('mousedown', (e) => {
    if (e.target === backdrop) e.preventDefault();
  });
  closeBtn.addEventListener('click', () => close());

  function close(): void {
    if (closed) return;
    closed = true;
    document.removeEventListener('focusin', onFocusIn);
    document.removeEventListener('keydown', onKey, true);
    backdrop.remove();
    o.onClose?.();
    if (opener && opener.isConnected) opener.focus();
  }
  backdrop.addEventListener('modal-close', () => close());
  host.append(backdrop);
  return {
    dialog,
    body,
    uid,
    get closed() {
      return closed;
    },
    close,
    busy: (on) => dialog.setAttribute('aria-busy', String(on)),
  };
}
