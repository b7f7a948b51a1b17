/**
 * What every outgoing queue (e-mail, SMS) does the same way: whether anything is due, and taking
 * due messages under a lease, so two instances never send the same one and a message taken by
 * an instance that died is due again once its lease has run out.
 */
import type { Sql } from './sql';

/** A queue's table and what makes one of its messages still to send. */
export interface Outbox {
  table: string;
  unsent: string;
}

export const EMAIL_OUTBOX: Outbox = { table: 'outgoing_emails', unsent: 'sent_at IS NULL' };
/** An SMS the gateway refused for good is not sent again. */
export const SMS_OUTBOX: Outbox = { table: 'outgoing_sms', unsent: 'sent_at IS NULL AND failed_at IS NULL' };

/** Whether any message is due: a read, which never waits for a writer. */
export async function hasDue(sql: Sql, { table, unsent }: Outbox, now: Date): Promise<boolean> {
  return (await sql.get(`SELECT 1 AS due FROM ${table} WHERE ${unsent} AND next_attempt_at <= ? LIMIT 1`, [now])) !== undefined;
}

/** Takes up to `limit` due messages, oldest first, leased for `leaseMs`; returns their `columns`. */
export function leaseDue<Row>(sql: Sql, { table, unsent }: Outbox, columns: string, now: Date, limit: number, leaseMs: number): Promise<Row[]> {
  // PostgreSQL: instances taking at the same moment skip each other's rows instead of waiting.
  const skipTaken = sql.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  return sql.all<Row>(
    `UPDATE ${table} SET next_attempt_at = ?
      WHERE id IN (SELECT id FROM ${table} WHERE ${unsent} AND next_attempt_at <= ? ORDER BY id LIMIT ?${skipTaken})
      RETURNING ${columns}`,
    [new Date(now.getTime() + leaseMs), now, limit],
  );
}
