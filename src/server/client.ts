/**
 * Who sent a request, as server.mjs worked it out from the socket and, behind TRUST_PROXY
 * proxies, X-Forwarded-For / X-Forwarded-Proto. Astro's own idea (`clientAddress`) believes the
 * first X-Forwarded-For entry from anyone, which would let a client pick its rate-limit bucket.
 */
const CLIENT_HEADER = 'x-en-vag-in-client';

export interface Client {
  address: string;
  /** Whether the request reached us over HTTPS, directly or through a trusted proxy. */
  secure: boolean;
}

/** The client server.mjs handed over, or undefined when the request did not come through it (dev server). */
export function handedOverClient(request: Request): Client | undefined {
  const secret = (globalThis as Record<symbol, unknown>)[Symbol.for('en-vag-in.client-handoff')];
  const [given, scheme, address] = (request.headers.get(CLIENT_HEADER) ?? '').split(' ');
  if (typeof secret !== 'string' || given !== secret || address === undefined) return undefined;
  return { address, secure: scheme === 'https' };
}
