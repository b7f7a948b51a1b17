/**
 * Going to another page of the portal from script. When a new version of the service worker is
 * waiting, register-service-worker takes the event and lets that version take over first.
 */
export const LEAVE_PAGE_EVENT = 'en-vag-in:leave-page';

export function leavePage(url: string): void {
  if (dispatchEvent(new CustomEvent<string>(LEAVE_PAGE_EVENT, { detail: url, cancelable: true }))) location.assign(url);
}
