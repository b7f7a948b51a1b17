/**
 * The secrets all instances share (rows in the database), read once per process. A read that
 * failed because storage was down is forgotten, so the next request asks again: a process that
 * met an outage recovers by itself once the database is back.
 */
import type { Store } from './storage/index';

const secrets = new Map<string, Promise<Buffer>>();

/** The shared secret `name`, from this process's memory or else from storage. */
export function sharedSecret(store: Store, name: string): Promise<Buffer> {
  let secret = secrets.get(name);
  if (!secret) {
    secret = store.sharedSecret(name);
    secrets.set(name, secret);
    secret.catch(() => secrets.delete(name));
  }
  return secret;
}
