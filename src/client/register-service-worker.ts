/**
 * Registers the service worker on every page. A new version is announced politely and taken
 * when the person next leaves the page, so nothing changes under a half-filled form.
 */
import { Workbox } from 'workbox-window';
import { LEAVE_PAGE_EVENT } from './leave-page';

/** How long a followed link waits for the new version before it goes anyway. */
const SWITCH_TIMEOUT_MS = 3000;

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
    // Switching while the next page is already loading races in Chromium: the old version is stopped
    // under that page, whose script and images then fail. So a followed link (or a receipt reached
    // after sending) switches first, then goes.
    let switching: Promise<void> | undefined;
    const switched = () =>
      (switching ??= new Promise<void>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
        setTimeout(resolve, SWITCH_TIMEOUT_MS);
        workbox.messageSkipWaiting();
      }));
    const goOnceSwitched = (url: string) => void switched().then(() => location.assign(url));
    document.addEventListener('click', (click) => {
      const link = followedLink(click);
      if (!link) return;
      click.preventDefault();
      goOnceSwitched(link.href);
    });
    addEventListener(LEAVE_PAGE_EVENT, (leave) => {
      leave.preventDefault();
      goOnceSwitched((leave as CustomEvent<string>).detail);
    });
    // Any other way out (an address typed, back, a form posted) asks on the way.
    addEventListener('pagehide', () => workbox.messageSkipWaiting(), { once: true });
  });
  void workbox.register();
}

/** The same-site link this click leaves the page through in the same tab, if it does. */
function followedLink(click: MouseEvent): HTMLAnchorElement | undefined {
  if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return undefined;
  const link = click.target instanceof Element ? click.target.closest('a[href]') : null;
  if (!(link instanceof HTMLAnchorElement) || link.origin !== location.origin || link.target !== '' || link.hasAttribute('download')) return undefined;
  // Skip links and the error summary move within the page.
  if (link.hash !== '' && link.pathname === location.pathname && link.search === location.search) return undefined;
  return link;
}

