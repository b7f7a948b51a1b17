/**
 * PostgreSQL, for several server instances side by side: everything they must agree on
 * (reference counters, idempotency keys, rate-limit counts, secrets) is in the database, and
 * every write that acknowledges a submission is one committed transaction.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { ProcessedPhoto } from '../photos';
import { logEvent } from '../log';
import { createFollowUpStore } from './follow-up';
import { createPageFeedbackStore } from './page-feedback';
import { createProposalStore } from './proposals';
import { createFaultReportStore } from './fault-reports';
import { createRetentionStore } from './retention';
import { createOpen311ClientStore } from './open311-clients';
import { createAggregateStore } from './aggregates';
import { createCaseStore, emailValues, INSERT_EMAIL_SQL } from './cases';
import { POSTGRES_MIGRATIONS } from './migrations';
import { numberedPlaceholders, postgresSql } from './sql';
import {
  CLAIM_HOLDER,
  claimHeartbeat,
  decideExistingClaim,
  newPhotoId,
  rateLimitWindow,
  referenceYear,
  SUBMISSION_COLUMNS,
  submissionValues,
  toPhotoInfo,
  toStoredSubmission,
  type IdempotencyRow,
  type PhotoRow,
  type SubmissionRow,
} from './records';
import {
  IDEMPOTENCY_RETENTION_MS,
  PENDING_PHOTO_RETENTION_MS,
  IdempotencyClaimLostError,
  StorageUnavailableError,
  type IdempotencyClaim,
  type PhotoInfo,
  type Store,
} from './index';

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
    for (const migration of POSTGRES_MIGRATIONS) {
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

const SELECT_KEY = `SELECT k.fingerprint, k.submission_id, k.status_token, k.claimed_at, k.holder_id, k.holder_host, k.holder_pid, s.reference
                     FROM idempotency_keys k LEFT JOIN submissions s ON s.id = k.submission_id
                    WHERE k.key = $1 FOR UPDATE OF k`;
const INSERT_KEY = `INSERT INTO idempotency_keys (key, fingerprint, claimed_at, holder_id, holder_host, holder_pid) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (key) DO NOTHING`;
const HOLDER = [CLAIM_HOLDER.id, CLAIM_HOLDER.host, CLAIM_HOLDER.pid] as const;
const INSERT_SUBMISSION = `INSERT INTO submissions (${SUBMISSION_COLUMNS.join(', ')})
                           VALUES (${SUBMISSION_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING *`;
const PHOTOS_OF = 'SELECT public_id, width, height FROM attachments WHERE submission_id = $1 ORDER BY id';

async function insertPhotos(
  client: pg.PoolClient,
  photos: readonly ProcessedPhoto[],
  owner: { submissionId: number | null; formToken: string | null },
  now: Date,
): Promise<PhotoInfo[]> {
  const stored: PhotoInfo[] = [];
  for (const photo of photos) {
    const publicId = newPhotoId();
    await client.query(
      `INSERT INTO attachments (public_id, submission_id, form_token, content_type, width, height, bytes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [publicId, owner.submissionId, owner.formToken, photo.contentType, photo.width, photo.height, photo.bytes, now],
    );
    stored.push({ publicId, width: photo.width, height: photo.height });
  }
  return stored;
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

  const sql = postgresSql(pool, guarded, inTransaction);
  // Old rate-limit windows are swept once a minute per process, not on every request.
  let sweptWindow = 0;
  const heartbeat = claimHeartbeat((now) =>
    guarded(() => pool.query('UPDATE idempotency_keys SET claimed_at = $1 WHERE holder_id = $2 AND submission_id IS NULL', [now, CLAIM_HOLDER.id])),
  );

  return {
    ...createCaseStore(sql),
    ...createPageFeedbackStore(sql),
    ...createFollowUpStore(sql),
    ...createProposalStore(sql),
    ...createFaultReportStore(sql),
    ...createRetentionStore(sql),
    ...createOpen311ClientStore(sql),
    ...createAggregateStore(sql),
    async claimIdempotencyKey(key, fingerprint, now) {
      const claimed = await inTransaction(pool, async (client): Promise<IdempotencyClaim> => {
        await client.query('DELETE FROM idempotency_keys WHERE claimed_at < $1', [new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS)]);
        // Two instances inserting the same key: the second waits for the first and inserts nothing.
        if ((await client.query(INSERT_KEY, [key, fingerprint, now, ...HOLDER])).rowCount === 1) return { state: 'claimed' };
        const existing = (await client.query<IdempotencyRow>(SELECT_KEY, [key])).rows[0];
        // The key was given back between our insert and select: it is free again.
        if (!existing) return (await client.query(INSERT_KEY, [key, fingerprint, now, ...HOLDER])).rowCount === 1 ? { state: 'claimed' } : { state: 'in_progress' };
        const decision = decideExistingClaim(existing, fingerprint, now);
        if (decision.state !== 'reclaim') return decision;
        await client.query('UPDATE idempotency_keys SET fingerprint = $1, claimed_at = $2, holder_id = $3, holder_host = $4, holder_pid = $5 WHERE key = $6', [
          fingerprint,
          now,
          ...HOLDER,
          key,
        ]);
        return { state: 'claimed' };
      });
      if (claimed.state === 'claimed') heartbeat.hold(key);
      return claimed;
    },
    async releaseIdempotencyKey(key) {
      heartbeat.drop(key);
      await guarded(() => pool.query('DELETE FROM idempotency_keys WHERE key = $1 AND holder_id = $2 AND submission_id IS NULL', [key, CLAIM_HOLDER.id]));
    },
    createSubmission(input, referencePrefix, idempotency, acknowledgement) {
      return inTransaction(pool, async (client) => {
        const counter = await client.query<{ last_number: number }>(
          `INSERT INTO reference_counters (year, last_number) VALUES ($1, 1)
           ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1
           RETURNING last_number`,
          [referenceYear(input)],
        );
        const sequence = counter.rows[0]?.last_number;
        if (sequence === undefined) throw new Error('reference counter returned nothing');
        const row = (await client.query<SubmissionRow>(INSERT_SUBMISSION, submissionValues(input, referencePrefix, sequence))).rows[0];
        if (!row) throw new Error('the new submission row was not returned');
        const id = Number(row.id);
        if (input.pendingPhotosOf !== undefined) {
          await client.query('UPDATE attachments SET submission_id = $1, form_token = NULL WHERE form_token = $2 AND submission_id IS NULL', [
            id,
            input.pendingPhotosOf,
          ]);
        }
        await insertPhotos(client, input.photos, { submissionId: id, formToken: null }, input.receivedAt);
        // Completed only while still ours: a key taken over meanwhile rolls this errand back.
        if (idempotency) {
          const completed = await client.query(
            'UPDATE idempotency_keys SET submission_id = $1, status_token = $2 WHERE key = $3 AND holder_id = $4 AND submission_id IS NULL',
            [id, idempotency.statusToken, idempotency.key, CLAIM_HOLDER.id],
          );
          if (completed.rowCount === 0) throw new IdempotencyClaimLostError();
        }
        const stored = toStoredSubmission(row, (await client.query<PhotoRow>(PHOTOS_OF, [id])).rows.map(toPhotoInfo));
        const email = acknowledgement?.(stored);
        if (email) await client.query(numberedPlaceholders(INSERT_EMAIL_SQL), emailValues(id, email, input.receivedAt));
        return stored;
      }).finally(() => idempotency && heartbeat.drop(idempotency.key));
    },
    async findSubmissionByStatusTokenHash(tokenHash) {
      return guarded(async () => {
        const row = (
          await pool.query<SubmissionRow>(
            'SELECT * FROM submissions WHERE status_token_hash = $1 OR id = (SELECT submission_id FROM status_links WHERE token_hash = $1)',
            [tokenHash],
          )
        ).rows[0];
        return row ? toStoredSubmission(row, (await pool.query<PhotoRow>(PHOTOS_OF, [row.id])).rows.map(toPhotoInfo)) : null;
      });
    },
    addPendingPhotos(formToken, photos, now) {
      return inTransaction(pool, async (client) => {
        await client.query('DELETE FROM attachments WHERE submission_id IS NULL AND created_at < $1', [
          new Date(now.getTime() - PENDING_PHOTO_RETENTION_MS),
        ]);
        return insertPhotos(client, photos, { submissionId: null, formToken }, now);
      });
    },
    async pendingPhotos(formToken) {
      return guarded(async () =>
        (
          await pool.query<PhotoRow>(
            'SELECT public_id, width, height FROM attachments WHERE form_token = $1 AND submission_id IS NULL ORDER BY id',
            [formToken],
          )
        ).rows.map(toPhotoInfo),
      );
    },
    async discardPendingPhotos(formToken, publicIds) {
      if (publicIds.length === 0) return;
      await guarded(() =>
        pool.query('DELETE FROM attachments WHERE form_token = $1 AND public_id = ANY($2) AND submission_id IS NULL', [formToken, [...publicIds]]),
      );
    },
    async photo(publicId) {
      return guarded(async () => {
        const row = (await pool.query<{ content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM attachments WHERE public_id = $1', [publicId]))
          .rows[0];
        return row ? { contentType: row.content_type, bytes: row.bytes } : null;
      });
    },
    async countRequest(clientKey, now) {
      const window = rateLimitWindow(now);
      return guarded(async () => {
        if (window !== sweptWindow) {
          sweptWindow = window;
          await pool.query('DELETE FROM rate_limit_windows WHERE window_start < $1', [window - 1]);
        }
        const result = await pool.query<{ count: number }>(
          `INSERT INTO rate_limit_windows (client_key, window_start, count) VALUES ($1, $2, 1)
           ON CONFLICT (client_key, window_start) DO UPDATE SET count = rate_limit_windows.count + 1
           RETURNING count`,
          [clientKey, window],
        );
        return result.rows[0]?.count ?? 1;
      });
    },
    async sharedSecret(name) {
      return guarded(async () => {
        await pool.query('INSERT INTO shared_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
        return (await pool.query<{ value: Buffer }>('SELECT value FROM shared_secrets WHERE name = $1', [name])).rows[0]?.value ?? Buffer.alloc(0);
      });
    },
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
    async close() {
      await pool.end();
    },
  };
}
