/**
 * The embedded default: one SQLite file, no set-up. WAL lets readers run beside the writer;
 * synchronous=FULL makes every commit reach the disk before we acknowledge it (NORMAL may lose
 * the last commits on power loss, which would break the promise a reference number makes).
 * The queries themselves are the shared ones (store.ts); what is SQLite's own is here: opening,
 * pragmas, which failures mean "not now", the migration runner and the health probe. Writes
 * waiting together share one durable commit (createSqliteTurns in sql.ts).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrationsFor } from './migrations';
import { createSqliteTurns, sqliteSql } from './sql';
import { composeStore, type Store } from './store';
import { StorageUnavailableError } from './types';
import { openSqliteReader } from './sqlite-reader';

/** SQLite result codes that mean "not now" rather than "never": the database is busy, full or unreachable. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|PROTOCOL)/;

/** Runs a storage operation, turning a temporary database failure into StorageUnavailableError. */
function guarded<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof Database.SqliteError && UNAVAILABLE_CODES.test(error.code)) {
      throw new StorageUnavailableError(`SQLite: ${error.code}`, { cause: error });
    }
    throw error;
  }
}

/** Writers wait this long for a lock before the request is answered 503. */
const BUSY_TIMEOUT_MS = 5000;
/** The health check (a load balancer wants a quick answer) and the checkpoint after a purge wait only briefly. */
const SHORT_BUSY_TIMEOUT_MS = 100;

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').all().map((row) => (row as { version: number }).version),
  );
  for (const migration of migrationsFor('sqlite')) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

/** Opens (creating when needed) the SQLite file at `path` and brings its schema up to date. */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // What is deleted or overwritten (a purge's personal data, photos) is zeroed in the file, not
  // left in free space where anyone with the file could read it.
  db.pragma('secure_delete = ON');
  migrate(db);

  // A committed write shows that a submission could be stored right now: taking the write lock
  // alone succeeds on a read-only, full or failing disk, and SQLite skips an UPDATE that changes
  // nothing. So the probe counts itself in the header's user_version, which nothing else uses.
  const probeWrite = db.transaction(() => {
    const probes = Number(db.pragma('user_version', { simple: true }));
    db.pragma(`user_version = ${(probes + 1) % 1_000_000}`);
  });

  // better-sqlite3 waits synchronously, so a short timeout keeps the process responsive.
  const waitingBriefly = <T>(operation: () => T): T => {
    db.pragma(`busy_timeout = ${SHORT_BUSY_TIMEOUT_MS}`);
    try {
      return operation();
    } finally {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  };

  // Every operation takes its turn on the one connection, and writes waiting together commit together (see createSqliteTurns).
  const turns = createSqliteTurns(db, guarded);
  const reader = openSqliteReader(path, guarded);
  return composeStore(sqliteSql(db, turns, guarded, reader.stream), {
    checkHealth: () => turns.alone(() => guarded(() => waitingBriefly(() => probeWrite.immediate()))),
    reclaimPurgedSpace: () =>
      turns.alone(() =>
        guarded(() => {
          // TRUNCATE waits for readers (an export's snapshot on the reader thread): briefly, since
          // the wait blocks every request; a log it could not empty is emptied by the next run.
          const [result] = waitingBriefly(() => db.pragma('wal_checkpoint(TRUNCATE)')) as { busy: number }[];
          if (result?.busy) throw new StorageUnavailableError('SQLite: the log is still being read');
        }),
      ),
    close: async () => {
      await reader.close();
      await turns.alone(() => void db.close());
    },
  });
}
