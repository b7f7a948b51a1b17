/**
 * Read-only access to the portal's SQLite file, for tests that check what was actually stored.
 */
import Database from 'better-sqlite3';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The SQLite file the end-to-end server (started by playwright.config.ts) stores into. Its
 * directory is wiped before every Playwright run, so each run starts from an empty database.
 */
export const e2eDatabasePath = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  'test-results/e2e/e2e.sqlite',
);

/**
 * Opens the SQLite database at `path` read-only, so a test can query it while the server keeps
 * writing (WAL mode lets a reader run beside the writer). Close it when done.
 */
export function openDatabase(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}
