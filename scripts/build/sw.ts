/**
 * The service worker's entry: wires ./swCore.ts to the worker's events.
 * Bundled by ./swManifest.ts into dist/sw.js, which declares the build
 * (`__CIVIC_ATLAS_SW_BUILD__`: version and file list) above this code.
 *
 * The update is offered, not forced: a new worker installs in the
 * background and then waits; the page (src/pwa/register.ts) shows a banner,
 * and only when the user clicks it does the page post SKIP_WAITING.
 * On activate, this scope's caches of other versions are deleted; packs stay.
 */
import { createServiceWorkerCore, type SwBuild } from './swCore.ts';

declare const self: ServiceWorkerGlobalScope;
declare const __CIVIC_ATLAS_SW_BUILD__: SwBuild;

const core = createServiceWorkerCore({
  build: __CIVIC_ATLAS_SW_BUILD__,
  scope: self.registration.scope,
  caches: self.caches,
  fetch: (request) => self.fetch(request),
  online: () => self.navigator.onLine,
});

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the user accepts it.
  event.waitUntil(core.install());
});

self.addEventListener('activate', (event) => {
  // claim() only matters on the very first install (no page was controlled yet);
  // after SKIP_WAITING the pages move to this worker anyway.
  event.waitUntil(core.activate().then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const res = core.handle(event.request, (work) => event.waitUntil(work));
  if (res) event.respondWith(res);
});

self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
  else if (data?.type === 'GET_VERSION') event.ports[0]?.postMessage({ version: __CIVIC_ATLAS_SW_BUILD__.version, precache: core.precache });
});
