/**
 * SMS, written once for both databases on the shared Sql: each delivery from the gateway taken
 * once (its id is stored in the transaction of the errand or the answer it became), the queue
 * of SMS to send, and the errand an answer by SMS belongs to.
 */
import type { ErrandStatus } from '../../lib/errands';
import { hasDue, leaseDue, SMS_OUTBOX } from './outbox';
import type { Sql } from './sql';

export interface OutgoingSms {
  /** The number in international form, +46…. */
  recipient: string;
  message: string;
}

export interface QueuedSms extends OutgoingSms {
  id: number;
  attempts: number;
}

/** An SMS the gateway refused for good, as staff see it on the errand. */
export interface UndeliveredSms {
  recipient: string;
  failedAt: string;
  error: string;
}

/**
 * The gateway delivered an SMS that was already taken: thrown inside the transaction, so what it
 * would have stored rolls back, and the gateway is told the SMS arrived.
 */
export class InboundSmsTakenError extends Error {
  override name = 'InboundSmsTakenError';
}

/** Queues an SMS about an errand, inside the transaction of what it tells. */
export async function queueSms(tx: Sql, submissionId: number, sms: OutgoingSms, now: Date): Promise<void> {
  await tx.run('INSERT INTO outgoing_sms (submission_id, recipient, message, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)', [
    submissionId,
    sms.recipient,
    sms.message,
    now,
    now,
  ]);
}

/**
 * Takes the gateway's SMS `gatewayId` for the errand, inside the transaction that stores what it
 * became; a second delivery, even one running at the same moment, throws InboundSmsTakenError.
 */
export async function takeInboundSms(tx: Sql, gatewayId: string, submissionId: number, now: Date): Promise<void> {
  const inserted = await tx.run('INSERT INTO inbound_sms (gateway_id, submission_id, received_at) VALUES (?, ?, ?) ON CONFLICT (gateway_id) DO NOTHING', [
    gatewayId,
    submissionId,
    now,
  ]);
  if (inserted === 0) throw new InboundSmsTakenError();
}

export interface SmsStore {
  /** Whether the gateway's SMS `gatewayId` was already taken. */
  inboundSmsTaken(gatewayId: string): Promise<boolean>;
  /** The errand the latest SMS queued for `recipient` since `since` was about, with where it stands. */
  latestSmsThread(recipient: string, since: Date): Promise<{ submissionId: number; status: ErrandStatus } | undefined>;
  /** Whether any SMS is due: a read, which never waits for a writer. */
  hasDueSms(now: Date): Promise<boolean>;
  /** Takes up to `limit` due SMS, leasing them for `leaseMs` so no other instance sends them too. */
  claimDueSms(now: Date, limit: number, leaseMs: number): Promise<QueuedSms[]>;
  markSmsSent(id: number, gatewayId: string | null, now: Date): Promise<void>;
  /** A failure worth trying again (the gateway down, busy or unreachable) at `nextAttemptAt`. */
  markSmsRetry(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  /** The gateway refused the SMS for good: it is not tried again, and staff see why. */
  markSmsUndeliverable(id: number, error: string, now: Date): Promise<void>;
  /** The errand's SMS the gateway refused for good, oldest first. */
  undeliveredSms(submissionId: number): Promise<UndeliveredSms[]>;
}

export function createSmsStore(sql: Sql): SmsStore {
  return {
    async inboundSmsTaken(gatewayId) {
      return (await sql.get('SELECT 1 AS taken FROM inbound_sms WHERE gateway_id = ?', [gatewayId])) !== undefined;
    },
    async latestSmsThread(recipient, since) {
      const row = await sql.get<{ submission_id: number | string; status: ErrandStatus }>(
        `SELECT o.submission_id, s.status FROM outgoing_sms o JOIN submissions s ON s.id = o.submission_id
          WHERE o.recipient = ? AND o.created_at >= ? ORDER BY o.created_at DESC, o.id DESC LIMIT 1`,
        [recipient, since],
      );
      return row && { submissionId: Number(row.submission_id), status: row.status };
    },
    hasDueSms(now) {
      return hasDue(sql, SMS_OUTBOX, now);
    },
    async claimDueSms(now, limit, leaseMs) {
      const rows = await leaseDue<{ id: number | string; recipient: string; message: string; attempts: number }>(
        sql,
        SMS_OUTBOX,
        'id, recipient, message, attempts',
        now,
        limit,
        leaseMs,
      );
      return rows.map((row) => ({ id: Number(row.id), recipient: row.recipient, message: row.message, attempts: row.attempts }));
    },
    async markSmsSent(id, gatewayId, now) {
      await sql.run('UPDATE outgoing_sms SET sent_at = ?, gateway_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?', [now, gatewayId, id]);
    },
    async markSmsRetry(id, error, nextAttemptAt) {
      await sql.run('UPDATE outgoing_sms SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?', [error, nextAttemptAt, id]);
    },
    async markSmsUndeliverable(id, error, now) {
      await sql.run('UPDATE outgoing_sms SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?', [error, now, id]);
    },
    async undeliveredSms(submissionId) {
      const rows = await sql.all<{ recipient: string; failed_at: string; last_error: string | null }>(
        'SELECT recipient, failed_at, last_error FROM outgoing_sms WHERE submission_id = ? AND failed_at IS NOT NULL ORDER BY id',
        [submissionId],
      );
      return rows.map((row) => ({ recipient: row.recipient, failedAt: row.failed_at, error: row.last_error ?? '' }));
    },
  };
}
