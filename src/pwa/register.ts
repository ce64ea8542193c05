/**
 * The page's side of the offline app: registers ./sw.js (built by
 * scripts/build/swManifest.ts) and offers updates.
 *
 *   registerServiceWorker(window.__atlasBoot?.then((h) => h?.settled()));
 *
 * - Not in dev (Vite serves no sw.js there), not where the browser has no
 *   service workers, and not with `?sw=off`, which also unregisters a worker
 *   already installed for this scope and deletes its build caches (packs stay).
 * - Registers after `after` resolves (the app has drawn its first city, so the
 *   worker's downloads do not compete with the start) or 30 s at the latest,
 *   and after the window's load event.
 * - An update is offered, not forced: when a new worker has installed and
 *   waits, a small banner says so; "Reload" tells it to take over and
 *   reloads the page once it has. The page keeps running its own version
 *   until then. Long-running pages (kiosks) look for updates hourly.
 */
import { CACHE_PREFIX, scopeId } from './cacheNames';
import './pwa.css';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export interface RegisterOptions {
  /** Wait at most this long for `after` (default 30 s). */
  maxWaitMs?: number;
  /** Where the banner goes (default document.body). */
  host?: HTMLElement;
}

/** The scope the app registers: its own directory, whatever sub-path it is served under. */
export function appScope(): string {
  return new URL('./', document.baseURI).href;
}

export async function registerServiceWorker(after?: Promise<unknown>, opts: RegisterOptions = {}): Promise<ServiceWorkerRegistration | null> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return null;
  const optOut = new URLSearchParams(location.search).get('sw') === 'off';
  if (optOut) {
    await unregisterServiceWorker();
    return null;
  }
  await Promise.race([Promise.resolve(after).catch(() => undefined), new Promise((r) => setTimeout(r, opts.maxWaitMs ?? 30_000))]);
  if (document.readyState !== 'complete') await new Promise((r) => window.addEventListener('load', r, { once: true }));

  const sw = navigator.serviceWorker;
  let reg: ServiceWorkerRegistration;
  try {
    reg = await sw.register('./sw.js', { scope: './', updateViaCache: 'none' });
  } catch (err) {
    console.warn('[civic-atlas] the offline service worker could not be registered:', err);
    return null;
  }
  let accepted = false;
  const banner = updateBanner(opts.host ?? document.body, () => {
    const waiting = reg.waiting;
    if (!waiting) return location.reload();
    accepted = true;
    waiting.postMessage({ type: 'SKIP_WAITING' });
  });
  const hadController = !!sw.controller;
  sw.addEventListener('controllerchange', () => {
    if (accepted) location.reload();
    // Another tab accepted the update: this page still runs the old version.
    else if (hadController) banner.show();
  });
  const offerIfWaiting = () => {
    if (reg.waiting && sw.controller) banner.show();
  };
  reg.addEventListener('updatefound', () => {
    const installing = reg.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offerIfWaiting();
    });
  });
  offerIfWaiting();

  const check = () => void reg.update().catch(() => undefined);
  setInterval(check, UPDATE_CHECK_MS);
  window.addEventListener('online', check);
  return reg;
}

/** Unregisters this scope's worker and deletes its build caches; saved packs are kept. */
export async function unregisterServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const scope = appScope();
  const reg = await navigator.serviceWorker.getRegistration(scope);
  if (reg && reg.scope === scope) await reg.unregister();
  if (typeof caches === 'undefined') return;
  const id = scopeId(scope);
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((n) => n.startsWith(`${CACHE_PREFIX}-${id}-precache-`) || n.startsWith(`${CACHE_PREFIX}-${id}-runtime-`))
      .map((n) => caches.delete(n)),
  );
}

/** The non-blocking "new version" banner; text in both languages, built without HTML strings. */
function updateBanner(host: HTMLElement, onReload: () => void) {
  let el: HTMLElement | null = null;
  return {
    show() {
      if (el) return;
      el = document.createElement('div');
      el.className = 'pwa-update';
      el.setAttribute('role', 'status');
      el.dataset.pwa = 'update';
      const text = document.createElement('span');
      text.textContent = '新版本可用 · A new version is available';
      const reload = document.createElement('button');
      reload.type = 'button';
      reload.className = 'pwa-update-reload';
      reload.textContent = '刷新 · Reload';
      reload.addEventListener('click', () => {
        reload.disabled = true;
        onReload();
      });
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'pwa-update-close';
      close.textContent = '×';
      close.title = '稍后 · Later';
      close.setAttribute('aria-label', '稍后 · Later');
      close.addEventListener('click', () => {
        el?.remove();
        el = null;
      });
      el.append(text, reload, close);
      host.append(el);
    },
  };
}
