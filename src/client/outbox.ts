/**
 * The outbox: submissions made while offline, or while the server could not take them, wait
 * here and are sent when the connection returns — by the page (on `online` and on the next
 * visit) or by the service worker (Background Sync). Each carries its own Idempotency-Key, so
 * however many of them try, the server stores it once.
 */
import { portalDatabase, type Delivery, type OutboxItem, type StoredPhoto } from './database';

/** The Background Sync tag the service worker listens for. */
export const OUTBOX_SYNC_TAG = 'outbox';

/**
 * Tells every page of the portal (and the service worker) that the outbox changed, whoever
 * changed it: a page must not go on listing an item the service worker has just delivered.
 */
const OUTBOX_CHANNEL = 'en-vag-in-outbox';

function announceChange(): void {
  const channel = new BroadcastChannel(OUTBOX_CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

/** Calls `listener` whenever another page or the service worker changes the outbox; returns how to stop. */
export function onOutboxChange(listener: () => void): () => void {
  const channel = new BroadcastChannel(OUTBOX_CHANNEL);
  channel.onmessage = listener;
  return () => channel.close();
}

/** The intake endpoint, the same for every language. */
export const SUBMISSIONS_ENDPOINT = '/api/v1/submissions';

/** Answers after which the same request may succeed later: a request in progress, rate limits, server trouble. */
export function isTemporaryFailure(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The request that submits a body with its photos: JSON alone, or multipart with the JSON in `submission`. */
export function submissionRequest(body: Record<string, unknown>, photos: readonly StoredPhoto[], idempotencyKey: string, locale: string): RequestInit {
  const headers: Record<string, string> = { 'Idempotency-Key': idempotencyKey, 'Accept-Language': locale, Accept: 'application/json' };
  if (photos.length === 0) {
    return { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }
  const form = new FormData();
  form.append('submission', new Blob([JSON.stringify(body)], { type: 'application/json' }));
  for (const photo of photos) form.append('photos', photo.blob, photo.name);
  return { method: 'POST', headers, body: form };
}

/** Puts a submission in the outbox. */
export async function enqueue(item: Omit<OutboxItem, 'attempts' | 'createdAt'>): Promise<void> {
  const database = await portalDatabase();
  await database.put('outbox', { ...item, attempts: 0, createdAt: new Date().toISOString() });
}

/** The submissions still waiting, oldest first. */
export async function pendingItems(): Promise<OutboxItem[]> {
  const items = await (await portalDatabase()).getAll('outbox');
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Takes a waiting submission out of the outbox: the person changed their mind. */
export async function cancel(id: string): Promise<void> {
  await (await portalDatabase()).delete('outbox', id);
}

/** Deliveries not yet shown to the person. */
export async function deliveries(): Promise<Delivery[]> {
  return (await portalDatabase()).getAll('deliveries');
}

/** Forgets a delivery once the person has seen its reference number. */
export async function dismissDelivery(id: string): Promise<void> {
  await (await portalDatabase()).delete('deliveries', id);
}

/**
 * Counts a failed attempt on an item that is still waiting. Another sender (the service worker,
 * another tab) may have delivered and removed it meanwhile: then it must stay removed.
 */
async function recordAttempt(id: string, rejected: boolean): Promise<void> {
  const transaction = (await portalDatabase()).transaction('outbox', 'readwrite');
  const current = await transaction.store.get(id);
  if (current) await transaction.store.put({ ...current, attempts: current.attempts + 1, ...(rejected ? { rejected } : {}) });
  await transaction.done;
  announceChange();
}

/** What one pass over the outbox achieved. */
export interface FlushResult {
  delivered: Delivery[];
  /** Set when something still waits because the server could not take it now: when to try again. */
  retryAfterMs?: number;
}

/** Without a Retry-After from the server, a waiting submission is tried again this often. */
const DEFAULT_RETRY_MS = 30_000;
const MAX_RETRY_MS = 5 * 60_000;

/** How long to wait before trying again after `response` (or after no response at all). */
export function retryDelay(response: Response | undefined): number {
  const seconds = Number(response?.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_MS) : DEFAULT_RETRY_MS;
}

let flushing: Promise<FlushResult> | undefined;

/**
 * Sends what waits in the outbox, oldest first, and returns what the server took. Stops at the
 * first network failure or temporary refusal (the rest would fail the same way) and says when
 * to try again.
 */
export function flushOutbox(): Promise<FlushResult> {
  flushing ??= sendWaiting().finally(() => {
    flushing = undefined;
  });
  return flushing;
}

async function sendWaiting(): Promise<FlushResult> {
  const database = await portalDatabase();
  const delivered: Delivery[] = [];
  for (const item of await pendingItems()) {
    if (item.rejected) continue;
    let response: Response;
    try {
      response = await fetch(SUBMISSIONS_ENDPOINT, submissionRequest(item.body, item.photos, item.id, item.locale));
    } catch {
      return { delivered, retryAfterMs: retryDelay(undefined) };
    }
    if (response.status === 201) {
      const receipt = (await response.json()) as { reference: string; statusUrl: string };
      const delivery: Delivery = { id: item.id, type: item.type, reference: receipt.reference, statusUrl: receipt.statusUrl, deliveredAt: new Date().toISOString() };
      const transaction = database.transaction(['outbox', 'deliveries'], 'readwrite');
      await Promise.all([transaction.objectStore('outbox').delete(item.id), transaction.objectStore('deliveries').put(delivery), transaction.done]);
      delivered.push(delivery);
      announceChange();
    } else if (isTemporaryFailure(response.status)) {
      await recordAttempt(item.id, false);
      return { delivered, retryAfterMs: retryDelay(response) };
    } else {
      await recordAttempt(item.id, true);
    }
  }
  return { delivered };
}
