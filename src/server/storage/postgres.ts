/**
 * PostgreSQL, for several server instances side by side: everything they must agree on
 * (reference counters, idempotency keys, rate-limit counts, secrets) is in the database, and
 * every write that acknowledges a submission is one committed transaction. The queries are the
 * shared ones (store.ts); what is PostgreSQL's own is here: the pool, which failures mean "not
 * now", transactions on one pooled connection, the migration runner and the health check.
 */
import pg from 'pg';
import { logEvent } from '../log';
import { migrationsFor } from './migrations';
import { postgresSql } from './sql';
import { composeStore, type Store } from './store';
import { StorageUnavailableError } from './types';
import { postgresCursorStream } from './postgres-cursor';
import { PURGED_TABLES } from './retention';

/**
 * SQLSTATE codes that mean "no usable database now" rather than "this statement is wrong":
 * connection exceptions (08), insufficient resources such as too many connections (53), any
 * operator intervention — admin shutdown, crash, cannot connect now, cancel (57P, 57014) —, a
 * database closed to connections (55000, `ALLOW_CONNECTIONS false`), a lock timeout (55P03), a
 * missing database (3D000), refused credentials (28), a conflict worth retrying (40001,
 * 40P01) and a read-only standby (25006).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|57014|55000|55P03|3D000|28|40001|40P01|25006)/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What pg and its pool say, without a code, when a connection breaks or cannot be had (in time). */
const UNAVAILABLE_MESSAGES = /Connection terminated|Connection ended|timeout exceeded when trying to connect|connection error|Client was closed|Client has encountered a connection error|Cannot use a pool after calling end|pool is probably full|The server does not support SSL/i;

/** Whether an error from pg means the database cannot be used now (see the lists above). */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  // A DatabaseError of the server, or one pg re-throws from a connection attempt: both carry the SQLSTATE.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_SQLSTATE.test(code);
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isUnavailable(error)) {
      const code = (error as { code?: unknown }).code;
      throw new StorageUnavailableError(`PostgreSQL: ${typeof code === 'string' ? code : (error as Error).message}`, { cause: error });
    }
    throw error;
  }
}

/** A connection waits this long for a free slot or a new connection before the request gets 503. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Statements and locks give up after this, so a stuck database turns into 503s, not hanging requests. */
const STATEMENT_TIMEOUT_MS = 10_000;
const LOCK_TIMEOUT_MS = 5_000;
/** The health check answers quickly: a load balancer wants to know now. */
const HEALTH_TIMEOUT_MS = 1_000;
/** Any fixed number: instances starting together take turns applying migrations. */
const MIGRATION_LOCK = 74_657_301;

/** Runs `work` in one transaction on one connection; a connection that broke is not reused. */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return guarded(async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  });
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
    );
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    for (const migration of migrationsFor('postgres')) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** Connects to the PostgreSQL database at `url` and brings its schema up to date. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env['DATABASE_POOL_SIZE'] ?? 10),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    lock_timeout: LOCK_TIMEOUT_MS,
    application_name: 'en-vag-in',
  });
  // An idle connection that breaks (the database restarts) must not take the process down.
  pool.on('error', (error) => logEvent('warn', 'database_connection_lost', { reason: (error as { code?: string }).code ?? error.message }));
  await guarded(() => migrate(pool));

  return composeStore(postgresSql(pool, guarded, inTransaction, postgresCursorStream(pool, guarded)), {
    async checkHealth() {
      const probe = guarded(async () => {
        const standby = (await pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]?.standby;
        if (standby) throw new StorageUnavailableError('PostgreSQL: a read-only standby');
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StorageUnavailableError('PostgreSQL: no answer in time')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
        probe.catch(() => undefined);
      }
    },
    async reclaimPurgedSpace() {
      await guarded(() => pool.query(`VACUUM ${PURGED_TABLES.join(', ')}`));
    },
    async close() {
      await pool.end();
    },
  });
}
