/**
 * Storage behind one interface, so the same intake runs on an embedded SQLite file or on a
 * shared PostgreSQL database. Implementations commit durably before they return: the intake
 * acknowledges a submission only after `createSubmission` has resolved. Callers import the
 * storage from here; inside src/server/storage modules import types.ts and store.ts instead.
 */
import type { Store } from './store';

export type { Store } from './store';
export * from './types';

/**
 * Opens the storage named by a DATABASE_URL: `sqlite:<path>` (the default is a file under
 * ./data/) or `postgres://…` / `postgresql://…`. Migrations are applied before it is returned.
 */
export async function openStore(databaseUrl: string | undefined): Promise<Store> {
  const url = databaseUrl?.trim() || 'sqlite:data/en-vag-in.sqlite';
  if (url.startsWith('sqlite:')) {
    const { openSqliteStore } = await import('./sqlite');
    return openSqliteStore(url.slice('sqlite:'.length));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore(url);
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}
