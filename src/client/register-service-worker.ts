/**
 * Registers the service worker on every page. A new version is announced politely and taken
 * when the person next leaves the page, so nothing changes under a half-filled form.
 */
import { Workbox } from 'workbox-window';

const notice = document.getElementById('update-notice');

if ('serviceWorker' in navigator) {
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', (event) => {
    // Waiting since before this page loaded: this page is the next navigation, and nothing is typed yet.
    if (event.wasWaitingBeforeRegister) {
      workbox.messageSkipWaiting();
      return;
    }
    // The live region is on the page from the start (empty), so filling it is announced.
    if (notice) notice.textContent = notice.dataset['message'] ?? '';
    addEventListener('pagehide', () => workbox.messageSkipWaiting(), { once: true });
  });
  void workbox.register();
}
