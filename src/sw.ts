/// <reference lib="webworker" />
/**
 * The service worker: keeps the app shell and the pages people need offline, shows an offline
 * page in the person's language for anything else, and delivers the outbox through Background
 * Sync. It never caches what was submitted or any page that shows personal data (receipts,
 * status pages, form posts).
 */
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute, setCatchHandler, setDefaultHandler } from 'workbox-routing';
import { NetworkFirst, NetworkOnly } from 'workbox-strategies';
import { flushOutbox, OUTBOX_SYNC_TAG } from './client/outbox';
import { LOCALES, localizedPath, splitLocalePath } from './lib/locales';
import { OFFLINE_PATH, OFFLINE_CACHEABLE_PATHS } from './lib/routes';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

const PAGES_CACHE = 'pages-v1';

/** Pages fetched at install so they open offline even before they were visited: the start and offline pages in every language. */
const INSTALL_PAGES = LOCALES.flatMap((locale) => [localizedPath(locale, '/'), localizedPath(locale, OFFLINE_PATH)]);

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// The first version takes charge of the page that installed it, so that page works offline at once.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.addAll(INSTALL_PAGES)));
});

// Fresh from the network when there is one, the last copy when there is not.
registerRoute(
  ({ request, url }) =>
    request.method === 'GET' && request.mode === 'navigate' && url.origin === self.location.origin && OFFLINE_CACHEABLE_PATHS.has(splitLocalePath(url.pathname).path),
  new NetworkFirst({ cacheName: PAGES_CACHE, networkTimeoutSeconds: 5 }),
);

// Everything else (receipts, status pages, the API) is never cached; offline, a page gets the offline page.
setDefaultHandler(new NetworkOnly());

setCatchHandler(async ({ request, url }) => {
  if (request.mode !== 'navigate') return Response.error();
  const { locale } = splitLocalePath(url.pathname);
  const offline = await caches.match(localizedPath(locale, OFFLINE_PATH), { cacheName: PAGES_CACHE });
  return offline ?? Response.error();
});

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== OUTBOX_SYNC_TAG) return;
  // A rejected sync is tried again by the browser later, even with every tab closed.
  sync.waitUntil(
    flushOutbox().then(({ retryAfterMs }) => {
      if (retryAfterMs !== undefined) throw new Error('the outbox still waits for the server');
    }),
  );
});

// A new version waits until the page asks for it (on the next navigation), never mid-form.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
