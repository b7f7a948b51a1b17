/**
 * Per-client rate limits for requests that change state. Counts live in the database, so every
 * instance behind a load balancer counts the same client together. The client is known by an
 * HMAC of its address under a shared secret: the database never holds an IP address.
 */
import { createHmac } from 'node:crypto';
import { sharedSecret } from './secrets';
import type { Store } from './storage/index';

/** Requests per client and minute; RATE_LIMIT_PER_MINUTE=0 turns the limit off (load tests). */
export function rateLimitPerMinute(): number {
  const configured = Number(process.env['RATE_LIMIT_PER_MINUTE'] ?? 60);
  return Number.isFinite(configured) && configured >= 0 ? configured : 60;
}

/**
 * Counts one request from `clientAddress` (or for any other thing counted, such as an e-mail
 * address: it is kept only as an HMAC too); answers how many seconds must pass when it is over
 * `limit` a minute, or undefined when it may go on.
 */
export async function retryAfterSeconds(store: Store, clientAddress: string, now: Date, limit = rateLimitPerMinute()): Promise<number | undefined> {
  if (limit === 0) return undefined;
  const key = createHmac('sha256', await sharedSecret(store, 'rate-limit-client-key')).update(clientAddress).digest('base64url').slice(0, 32);
  const count = await store.countRequest(key, now);
  if (count <= limit) return undefined;
  return Math.max(1, Math.ceil((60_000 - (now.getTime() % 60_000)) / 1000));
}
