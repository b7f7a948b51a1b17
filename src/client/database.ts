/**
 * The browser's own store for what must never be lost: drafts and the outbox live in
 * IndexedDB on this device only — never in Cache Storage, never on the server until sent.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FormValues } from '../lib/intake/form';
import type { ErrandType } from '../lib/intake/schema';

/** A photo as the browser keeps it: already scaled down and re-encoded, ready to send. */
export interface StoredPhoto {
  id: string;
  name: string;
  blob: Blob;
}

/** A form as the person left it, per errand and language. */
export interface Draft {
  values: FormValues;
  photos: StoredPhoto[];
  savedAt: string;
}

/** A submission waiting for a connection; its id is the Idempotency-Key that makes delivery exactly once. */
export interface OutboxItem {
  id: string;
  type: ErrandType;
  locale: string;
  body: Record<string, unknown>;
  photos: StoredPhoto[];
  createdAt: string;
  attempts: number;
  /** Set when the server refused the submission for good (a 4xx other than 409/429): it needs the person. */
  rejected?: boolean;
}

/** A queued submission the server has taken: shown once to the person with its reference number. */
export interface Delivery {
  id: string;
  type: ErrandType;
  reference: string;
  statusUrl: string;
  deliveredAt: string;
}

interface PortalDatabase extends DBSchema {
  drafts: { key: string; value: Draft };
  outbox: { key: string; value: OutboxItem };
  deliveries: { key: string; value: Delivery };
}

let opened: Promise<IDBPDatabase<PortalDatabase>> | undefined;

/** The portal's IndexedDB database, opened once per page or service worker. */
export function portalDatabase(): Promise<IDBPDatabase<PortalDatabase>> {
  opened ??= openDB<PortalDatabase>('en-vag-in', 1, {
    upgrade(database) {
      database.createObjectStore('drafts');
      database.createObjectStore('outbox', { keyPath: 'id' });
      database.createObjectStore('deliveries', { keyPath: 'id' });
    },
  });
  return opened;
}

/** The key of a draft: one per errand and language, so an English and a Swedish draft never mix. */
export function draftKey(type: ErrandType, locale: string): string {
  return `${type}:${locale}`;
}
