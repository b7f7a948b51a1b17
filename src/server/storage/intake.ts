/**
 * The intake, written once for both databases on the shared Sql: idempotency claims, storing a
 * submission under the next reference of its year, its photos and those waiting under a form
 * token, status links, per-client request counts and the secrets every instance shares.
 */
import { randomBytes } from 'node:crypto';
import type { ProcessedPhoto } from '../photos';
import { applyAction, emailValues, INSERT_EMAIL_SQL, type OutgoingEmail } from './cases';
import { queueSms, takeInboundSms, type OutgoingSms } from './sms';
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
import { forUpdateOf, placeholders, type Sql } from './sql';
import { insertInboundMessage } from './inbound-mail';
import {
  IDEMPOTENCY_RETENTION_MS,
  IdempotencyClaimLostError,
  PENDING_PHOTO_RETENTION_MS,
  type CaseFileInfo,
  type IdempotencyClaim,
  type NewSubmission,
  type PhotoInfo,
  type StoredSubmission,
} from './types';

/** What a new errand's sender is sent, each way there is one. */
export interface Acknowledgement {
  email?: OutgoingEmail | undefined;
  sms?: OutgoingSms | undefined;
}

/** What the intake asks of the storage. */
export interface IntakeStore {
  /**
   * Claims `key` for this server process, for a request whose body has `fingerprint`. A claim
   * whose holder is gone is taken over: at once when the holder was a process on this machine
   * that no longer runs (the server restarted after a crash), otherwise once the holder has been
   * silent for IDEMPOTENCY_HOLDER_SILENT_MS (a live holder refreshes its claims while it works).
   */
  claimIdempotencyKey(key: string, fingerprint: string, now: Date): Promise<IdempotencyClaim>;
  /** Gives a key this process claimed back, when the request it guarded stored nothing. */
  releaseIdempotencyKey(key: string): Promise<void>;
  /**
   * Stores a submission and gives it the next reference of its year, atomically and durably;
   * with a key, the key is completed in the same transaction, so a repeat finds the answer;
   * the acknowledgement (an e-mail, an SMS), if any, is queued in it too, so it is never lost or
   * sent for nothing, and so is the id of the SMS it came as (a repeated delivery stores nothing).
   * Throws IdempotencyClaimLostError, storing nothing, when another process took the key over
   * meanwhile: so a key never completes twice, and a request never stores two errands.
   */
  createSubmission(
    input: NewSubmission,
    referencePrefix: string,
    idempotency?: { key: string; statusToken: string },
    acknowledgement?: (stored: StoredSubmission) => Acknowledgement,
  ): Promise<StoredSubmission>;
  /**
   * Keeps photos of a form that came back with errors, so the person need not choose them
   * again; photos never attached to a submission are removed after a day.
   */
  addPendingPhotos(formToken: string, photos: readonly ProcessedPhoto[], now: Date): Promise<PhotoInfo[]>;
  /** The photos waiting under a form token, oldest first. */
  pendingPhotos(formToken: string): Promise<PhotoInfo[]>;
  /** Drops waiting photos the person removed from the form. */
  discardPendingPhotos(formToken: string, publicIds: readonly string[]): Promise<void>;
  /** A photo's bytes, by its public id. */
  photo(publicId: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  /** The files staff keep with an errand, oldest first. */
  caseFiles(submissionId: number): Promise<CaseFileInfo[]>;
  /** A kept file with the errand it belongs to, by its public id: whoever serves it checks the errand may be seen. */
  caseFile(publicId: string): Promise<(CaseFileInfo & { submissionId: number; handlingUnit: string; bytes: Buffer }) | null>;
  /** The submission a status link points at (the first link, or one sent later by e-mail), by the hash of the link's token. */
  findSubmissionByStatusTokenHash(tokenHash: string): Promise<StoredSubmission | null>;
  /**
   * Counts one request of a client in the current minute and returns the minute's count so far;
   * kept in the database so every instance behind a load balancer counts the same client.
   */
  countRequest(clientKey: string, now: Date): Promise<number>;
  /** A random secret every instance shares, created on first use (it signs form start times). */
  sharedSecret(name: string): Promise<Buffer>;
}

const HOLDER = [CLAIM_HOLDER.id, CLAIM_HOLDER.host, CLAIM_HOLDER.pid] as const;
const INSERT_KEY = `INSERT INTO idempotency_keys (key, fingerprint, claimed_at, holder_id, holder_host, holder_pid) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO NOTHING`;
const INSERT_SUBMISSION = `INSERT INTO submissions (${SUBMISSION_COLUMNS.join(', ')}) VALUES (${placeholders(SUBMISSION_COLUMNS.length)}) RETURNING *`;
const CASE_FILE_COLUMNS = 'public_id, file_name, content_type, size';
interface CaseFileRow {
  public_id: string;
  file_name: string;
  content_type: string;
  size: number | string;
}
function toCaseFileInfo(row: CaseFileRow): CaseFileInfo {
  return { publicId: row.public_id, fileName: row.file_name, contentType: row.content_type, size: Number(row.size) };
}
const PHOTOS_OF = 'SELECT public_id, width, height FROM attachments WHERE submission_id = ? ORDER BY id';

async function insertPhotos(
  sql: Sql,
  photos: readonly ProcessedPhoto[],
  owner: { submissionId: number | null; formToken: string | null },
  now: Date,
): Promise<PhotoInfo[]> {
  const stored: PhotoInfo[] = [];
  for (const photo of photos) {
    const publicId = newPhotoId();
    await sql.run(
      `INSERT INTO attachments (public_id, submission_id, form_token, content_type, width, height, bytes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [publicId, owner.submissionId, owner.formToken, photo.contentType, photo.width, photo.height, photo.bytes, now],
    );
    stored.push({ publicId, width: photo.width, height: photo.height });
  }
  return stored;
}

async function withPhotos(sql: Sql, row: SubmissionRow): Promise<StoredSubmission> {
  return toStoredSubmission(row, (await sql.all<PhotoRow>(PHOTOS_OF, [Number(row.id)])).map(toPhotoInfo));
}

export function createIntakeStore(sql: Sql): IntakeStore {
  const heartbeat = claimHeartbeat((now) =>
    sql.run('UPDATE idempotency_keys SET claimed_at = ? WHERE holder_id = ? AND submission_id IS NULL', [now, CLAIM_HOLDER.id]),
  );
  // Old rate-limit windows are swept once a minute per process, not on every request.
  let sweptWindow = 0;

  return {
    async claimIdempotencyKey(key, fingerprint, now) {
      const claimed = await sql.transaction(async (tx): Promise<IdempotencyClaim> => {
        await tx.run('DELETE FROM idempotency_keys WHERE claimed_at < ?', [new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS)]);
        // Two instances inserting the same key: the second waits for the first and inserts nothing.
        if ((await tx.run(INSERT_KEY, [key, fingerprint, now, ...HOLDER])) === 1) return { state: 'claimed' };
        const existing = await tx.get<IdempotencyRow>(
          `SELECT k.fingerprint, k.submission_id, k.status_token, k.claimed_at, k.holder_id, k.holder_host, k.holder_pid, s.reference
             FROM idempotency_keys k LEFT JOIN submissions s ON s.id = k.submission_id
            WHERE k.key = ?${forUpdateOf(tx.dialect, 'k')}`,
          [key],
        );
        // The key was given back between our insert and select: it is free again.
        if (!existing) return (await tx.run(INSERT_KEY, [key, fingerprint, now, ...HOLDER])) === 1 ? { state: 'claimed' } : { state: 'in_progress' };
        const decision = decideExistingClaim(existing, fingerprint, now);
        if (decision.state !== 'reclaim') return decision;
        await tx.run(
          'UPDATE idempotency_keys SET fingerprint = ?, claimed_at = ?, holder_id = ?, holder_host = ?, holder_pid = ? WHERE key = ? AND submission_id IS NULL',
          [fingerprint, now, ...HOLDER, key],
        );
        return { state: 'claimed' };
      });
      if (claimed.state === 'claimed') heartbeat.hold(key);
      return claimed;
    },
    async releaseIdempotencyKey(key) {
      heartbeat.drop(key);
      await sql.run('DELETE FROM idempotency_keys WHERE key = ? AND holder_id = ? AND submission_id IS NULL', [key, CLAIM_HOLDER.id]);
    },
    createSubmission(input, referencePrefix, idempotency, acknowledgement) {
      return sql
        .transaction(async (tx) => {
          const counter = await tx.get<{ last_number: number }>(
            `INSERT INTO reference_counters (year, last_number) VALUES (?, 1)
             ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1
             RETURNING last_number`,
            [referenceYear(input)],
          );
          if (counter === undefined) throw new Error('reference counter returned nothing');
          const row = await tx.get<SubmissionRow>(INSERT_SUBMISSION, submissionValues(input, referencePrefix, counter.last_number));
          if (!row) throw new Error('the new submission row was not returned');
          const id = Number(row.id);
          if (input.pendingPhotosOf !== undefined) {
            await tx.run('UPDATE attachments SET submission_id = ?, form_token = NULL WHERE form_token = ? AND submission_id IS NULL', [
              id,
              input.pendingPhotosOf,
            ]);
          }
          await insertPhotos(tx, input.photos, { submissionId: id, formToken: null }, input.receivedAt);
          for (const file of input.files ?? []) {
            await tx.run(
              'INSERT INTO case_files (public_id, submission_id, file_name, content_type, size, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
              [newPhotoId(), id, file.fileName, file.contentType, file.bytes.length, file.bytes, input.receivedAt],
            );
          }
          if (input.inboundMessage) await insertInboundMessage(tx, id, input.inboundMessage);
          // Completed only while still ours: a key taken over meanwhile rolls this errand back.
          if (
            idempotency &&
            (await tx.run('UPDATE idempotency_keys SET submission_id = ?, status_token = ? WHERE key = ? AND holder_id = ? AND submission_id IS NULL', [
              id,
              idempotency.statusToken,
              idempotency.key,
              CLAIM_HOLDER.id,
            ])) === 0
          ) {
            throw new IdempotencyClaimLostError();
          }
          if (input.firstContactAnswer !== undefined) {
            await applyAction(
              tx,
              id,
              {
                event: { actor: 'staff', staffUserId: input.registeredBy ?? null, kind: 'reply', data: { text: input.firstContactAnswer } },
                changes: { status: 'closed', answeredAt: input.receivedAt },
              },
              input.receivedAt,
            );
          }
          const current = input.firstContactAnswer === undefined ? row : await tx.get<SubmissionRow>('SELECT * FROM submissions WHERE id = ?', [id]);
          const stored = await withPhotos(tx, current ?? row);
          if (input.inboundSmsId !== undefined) await takeInboundSms(tx, input.inboundSmsId, id, input.receivedAt);
          const { email, sms } = acknowledgement?.(stored) ?? {};
          if (email) await tx.run(INSERT_EMAIL_SQL, emailValues(id, email, input.receivedAt));
          if (sms) await queueSms(tx, id, sms, input.receivedAt);
          return stored;
        })
        .finally(() => idempotency && heartbeat.drop(idempotency.key));
    },
    async findSubmissionByStatusTokenHash(tokenHash) {
      const row = await sql.get<SubmissionRow>(
        'SELECT * FROM submissions WHERE status_token_hash = ? OR id = (SELECT submission_id FROM status_links WHERE token_hash = ?)',
        [tokenHash, tokenHash],
      );
      return row ? withPhotos(sql, row) : null;
    },
    addPendingPhotos(formToken, photos, now) {
      return sql.transaction(async (tx) => {
        await tx.run('DELETE FROM attachments WHERE submission_id IS NULL AND created_at < ?', [new Date(now.getTime() - PENDING_PHOTO_RETENTION_MS)]);
        return insertPhotos(tx, photos, { submissionId: null, formToken }, now);
      });
    },
    async pendingPhotos(formToken) {
      const rows = await sql.all<PhotoRow>('SELECT public_id, width, height FROM attachments WHERE form_token = ? AND submission_id IS NULL ORDER BY id', [
        formToken,
      ]);
      return rows.map(toPhotoInfo);
    },
    async discardPendingPhotos(formToken, publicIds) {
      if (publicIds.length === 0) return;
      await sql.run(`DELETE FROM attachments WHERE form_token = ? AND submission_id IS NULL AND public_id IN (${placeholders(publicIds.length)})`, [
        formToken,
        ...publicIds,
      ]);
    },
    async photo(publicId) {
      const row = await sql.get<{ content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM attachments WHERE public_id = ?', [publicId]);
      return row ? { contentType: row.content_type, bytes: row.bytes } : null;
    },
    async caseFiles(submissionId) {
      const rows = await sql.all<CaseFileRow>(`SELECT ${CASE_FILE_COLUMNS} FROM case_files WHERE submission_id = ? ORDER BY id`, [submissionId]);
      return rows.map(toCaseFileInfo);
    },
    async caseFile(publicId) {
      const row = await sql.get<CaseFileRow & { submission_id: number | string; handling_unit: string; bytes: Buffer }>(
        `SELECT ${CASE_FILE_COLUMNS}, f.submission_id, s.handling_unit, f.bytes FROM case_files f JOIN submissions s ON s.id = f.submission_id WHERE f.public_id = ?`,
        [publicId],
      );
      return row ? { ...toCaseFileInfo(row), submissionId: Number(row.submission_id), handlingUnit: row.handling_unit, bytes: row.bytes } : null;
    },
    async countRequest(clientKey, now) {
      const window = rateLimitWindow(now);
      if (window !== sweptWindow) {
        sweptWindow = window;
        await sql.run('DELETE FROM rate_limit_windows WHERE window_start < ?', [window - 1]);
      }
      const counted = await sql.get<{ count: number }>(
        `INSERT INTO rate_limit_windows (client_key, window_start, count) VALUES (?, ?, 1)
         ON CONFLICT (client_key, window_start) DO UPDATE SET count = rate_limit_windows.count + 1
         RETURNING count`,
        [clientKey, window],
      );
      return counted?.count ?? 1;
    },
    async sharedSecret(name) {
      await sql.run('INSERT INTO shared_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
      return (await sql.get<{ value: Buffer }>('SELECT value FROM shared_secrets WHERE name = ?', [name]))?.value ?? Buffer.alloc(0);
    },
  };
}
