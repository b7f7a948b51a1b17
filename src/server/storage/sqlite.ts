/**
 * The embedded default: one SQLite file, no set-up. WAL lets readers run beside the writer;
 * synchronous=FULL makes every commit reach the disk before we acknowledge it (NORMAL may lose
 * the last commits on power loss, which would break the promise a reference number makes).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFollowUpStore } from './follow-up';
import { createPageFeedbackStore } from './page-feedback';
import { createProposalStore } from './proposals';
import { createFaultReportStore } from './fault-reports';
import { createRetentionStore } from './retention';
import { createOpen311ClientStore } from './open311-clients';
import { createAggregateStore } from './aggregates';
import { createCaseStore, emailValues, INSERT_EMAIL_SQL, type OutgoingEmail } from './cases';
import { SQLITE_MIGRATIONS } from './migrations';
import { createSerialQueue, sqliteSql } from './sql';
import {
  CLAIM_HOLDER,
  claimHeartbeat,
  newPhotoId,
  rateLimitWindow,
  referenceYear,
  SUBMISSION_COLUMNS,
  submissionValues,
  toPhotoInfo,
  toStoredSubmission,
  decideExistingClaim,
  type IdempotencyRow,
  type PhotoRow,
  type SubmissionRow,
} from './records';
import type { ProcessedPhoto } from '../photos';
import {
  PENDING_PHOTO_RETENTION_MS,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyClaim,
  type NewSubmission,
  type Store,
  type StoredSubmission,
  StorageUnavailableError,
  IdempotencyClaimLostError,
} from './index';

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
/** The health check waits only briefly: a load balancer wants a quick answer. */
const HEALTH_BUSY_TIMEOUT_MS = 100;

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').all().map((row) => (row as { version: number }).version),
  );
  for (const migration of SQLITE_MIGRATIONS) {
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

  const statements = {
    findKey: db.prepare<[string], IdempotencyRow>(
      `SELECT k.fingerprint, k.submission_id, k.status_token, k.claimed_at, k.holder_id, k.holder_host, k.holder_pid, s.reference
         FROM idempotency_keys k LEFT JOIN submissions s ON s.id = k.submission_id
        WHERE k.key = ?`,
    ),
    insertKey: db.prepare('INSERT INTO idempotency_keys (key, fingerprint, claimed_at, holder_id, holder_host, holder_pid) VALUES (?, ?, ?, ?, ?, ?)'),
    reclaimKey: db.prepare(
      'UPDATE idempotency_keys SET fingerprint = ?, claimed_at = ?, holder_id = ?, holder_host = ?, holder_pid = ? WHERE key = ? AND submission_id IS NULL',
    ),
    refreshKeys: db.prepare('UPDATE idempotency_keys SET claimed_at = ? WHERE holder_id = ? AND submission_id IS NULL'),
    purgeKeys: db.prepare('DELETE FROM idempotency_keys WHERE claimed_at < ?'),
    releaseKey: db.prepare('DELETE FROM idempotency_keys WHERE key = ? AND holder_id = ? AND submission_id IS NULL'),
    completeKey: db.prepare('UPDATE idempotency_keys SET submission_id = ?, status_token = ? WHERE key = ? AND holder_id = ? AND submission_id IS NULL'),
    nextNumber: db.prepare<[number], { last_number: number }>(
      `INSERT INTO reference_counters (year, last_number) VALUES (?, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1
       RETURNING last_number`,
    ),
    insertSubmission: db.prepare<unknown[], SubmissionRow>(
      `INSERT INTO submissions (${SUBMISSION_COLUMNS.join(', ')})
       VALUES (${SUBMISSION_COLUMNS.map(() => '?').join(', ')})
       RETURNING *`,
    ),
    countRequest: db.prepare<[string, number], { count: number }>(
      `INSERT INTO rate_limit_windows (client_key, window_start, count) VALUES (?, ?, 1)
       ON CONFLICT (client_key, window_start) DO UPDATE SET count = count + 1
       RETURNING count`,
    ),
    purgeWindows: db.prepare('DELETE FROM rate_limit_windows WHERE window_start < ?'),
    insertSecret: db.prepare('INSERT INTO shared_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
    secret: db.prepare<[string], { value: Buffer }>('SELECT value FROM shared_secrets WHERE name = ?'),
    findByTokenHash: db.prepare<[string, string], SubmissionRow>(
      'SELECT * FROM submissions WHERE status_token_hash = ? OR id = (SELECT submission_id FROM status_links WHERE token_hash = ?)',
    ),
    insertEmail: db.prepare(INSERT_EMAIL_SQL),
    insertPhoto: db.prepare(
      `INSERT INTO attachments (public_id, submission_id, form_token, content_type, width, height, bytes, created_at)
       VALUES (@publicId, @submissionId, @formToken, @contentType, @width, @height, @bytes, @createdAt)`,
    ),
    attachPending: db.prepare('UPDATE attachments SET submission_id = ?, form_token = NULL WHERE form_token = ? AND submission_id IS NULL'),
    pendingPhotos: db.prepare<[string], PhotoRow>(
      'SELECT public_id, width, height FROM attachments WHERE form_token = ? AND submission_id IS NULL ORDER BY id',
    ),
    discardPending: db.prepare('DELETE FROM attachments WHERE form_token = ? AND public_id = ? AND submission_id IS NULL'),
    purgePending: db.prepare('DELETE FROM attachments WHERE submission_id IS NULL AND created_at < ?'),
    photosOf: db.prepare<[number], PhotoRow>('SELECT public_id, width, height FROM attachments WHERE submission_id = ? ORDER BY id'),
    photo: db.prepare<[string], { content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM attachments WHERE public_id = ?'),
  };

  const insertPhotos = (photos: readonly ProcessedPhoto[], owner: { submissionId: number | null; formToken: string | null }, now: Date) =>
    photos.map((photo) => {
      const publicId = newPhotoId();
      statements.insertPhoto.run({
        publicId,
        submissionId: owner.submissionId,
        formToken: owner.formToken,
        contentType: photo.contentType,
        width: photo.width,
        height: photo.height,
        bytes: photo.bytes,
        createdAt: now.toISOString(),
      });
      return { publicId, width: photo.width, height: photo.height };
    });

  const addPending = db.transaction((formToken: string, photos: readonly ProcessedPhoto[], now: Date) => {
    statements.purgePending.run(new Date(now.getTime() - PENDING_PHOTO_RETENTION_MS).toISOString());
    return insertPhotos(photos, { submissionId: null, formToken }, now);
  });

  // A committed write shows that a submission could be stored right now: taking the write lock
  // alone succeeds on a read-only, full or failing disk, and SQLite skips an UPDATE that changes
  // nothing. So the probe counts itself in the header's user_version, which nothing else uses.
  const probeWrite = db.transaction(() => {
    const probes = Number(db.pragma('user_version', { simple: true }));
    db.pragma(`user_version = ${(probes + 1) % 1_000_000}`);
  });

  const claim = db.transaction((key: string, fingerprint: string, now: Date): IdempotencyClaim => {
    statements.purgeKeys.run(new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS).toISOString());
    const existing = statements.findKey.get(key);
    const holder = [CLAIM_HOLDER.id, CLAIM_HOLDER.host, CLAIM_HOLDER.pid] as const;
    if (!existing) {
      statements.insertKey.run(key, fingerprint, now.toISOString(), ...holder);
      return { state: 'claimed' };
    }
    const decision = decideExistingClaim(existing, fingerprint, now);
    if (decision.state !== 'reclaim') return decision;
    statements.reclaimKey.run(fingerprint, now.toISOString(), ...holder, key);
    return { state: 'claimed' };
  });

  const create = db.transaction(
    (
      input: NewSubmission,
      referencePrefix: string,
      idempotency?: { key: string; statusToken: string },
      acknowledgement?: (stored: StoredSubmission) => OutgoingEmail | undefined,
    ) => {
      const sequence = statements.nextNumber.get(referenceYear(input))?.last_number;
      if (sequence === undefined) throw new Error('reference counter returned nothing');
      const row = statements.insertSubmission.get(...submissionValues(input, referencePrefix, sequence));
      if (!row) throw new Error('the new submission row was not returned');
      const id = Number(row.id);
      if (input.pendingPhotosOf !== undefined) statements.attachPending.run(id, input.pendingPhotosOf);
      insertPhotos(input.photos, { submissionId: id, formToken: null }, input.receivedAt);
      // Completed only while still ours: a key taken over meanwhile rolls this errand back.
      if (idempotency && statements.completeKey.run(id, idempotency.statusToken, idempotency.key, CLAIM_HOLDER.id).changes === 0) {
        throw new IdempotencyClaimLostError();
      }
      const stored = toStoredSubmission(row, statements.photosOf.all(id).map(toPhotoInfo));
      const email = acknowledgement?.(stored);
      if (email) statements.insertEmail.run(...emailValues(id, email, input.receivedAt));
      return stored;
    },
  );

  // Every operation takes its turn on the one connection (see createSerialQueue).
  const serial = createSerialQueue();
  const inTurn = <T>(operation: () => T) => serial(() => guarded(operation));
  const sql = sqliteSql(db, serial, guarded);
  const heartbeat = claimHeartbeat((now) => inTurn(() => statements.refreshKeys.run(now.toISOString(), CLAIM_HOLDER.id)));

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
      const claimed = await inTurn(() => claim.immediate(key, fingerprint, now));
      if (claimed.state === 'claimed') heartbeat.hold(key);
      return claimed;
    },
    async releaseIdempotencyKey(key) {
      heartbeat.drop(key);
      await inTurn(() => void statements.releaseKey.run(key, CLAIM_HOLDER.id));
    },
    createSubmission: (input, referencePrefix, idempotency, acknowledgement) =>
      inTurn(() => create.immediate(input, referencePrefix, idempotency, acknowledgement)).finally(() => idempotency && heartbeat.drop(idempotency.key)),
    findSubmissionByStatusTokenHash: (tokenHash) =>
      inTurn(() => {
        const row = statements.findByTokenHash.get(tokenHash, tokenHash);
        return row ? toStoredSubmission(row, statements.photosOf.all(Number(row.id)).map(toPhotoInfo)) : null;
      }),
    addPendingPhotos: (formToken, photos, now) => inTurn(() => addPending.immediate(formToken, photos, now)),
    pendingPhotos: (formToken) => inTurn(() => statements.pendingPhotos.all(formToken).map(toPhotoInfo)),
    discardPendingPhotos: (formToken, publicIds) =>
      inTurn(() => db.transaction(() => publicIds.forEach((publicId) => statements.discardPending.run(formToken, publicId))).immediate()),
    photo: (publicId) =>
      inTurn(() => {
        const row = statements.photo.get(publicId);
        return row ? { contentType: row.content_type, bytes: row.bytes } : null;
      }),
    countRequest: (clientKey, now) =>
      inTurn(() => {
        const window = rateLimitWindow(now);
        return db
          .transaction(() => {
            statements.purgeWindows.run(window - 1);
            return statements.countRequest.get(clientKey, window)?.count ?? 1;
          })
          .immediate();
      }),
    sharedSecret: (name) =>
      inTurn(() =>
        db
          .transaction(() => {
            statements.insertSecret.run(name, randomBytes(32));
            return statements.secret.get(name)?.value ?? Buffer.alloc(0);
          })
          .immediate(),
      ),
    checkHealth: () =>
      inTurn(() => {
        // better-sqlite3 waits synchronously, so the shorter timeout also keeps the process responsive.
        db.pragma(`busy_timeout = ${HEALTH_BUSY_TIMEOUT_MS}`);
        try {
          probeWrite.immediate();
        } finally {
          db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        }
      }),
    close: () => serial(() => void db.close()),
  };
}
