/**
 * Case handling, written once for both databases on the shared Sql: staff accounts and their
 * sessions, sign-in throttling, the inbox, an errand's append-only history, further status
 * links, and the outgoing e-mail queue. Every change to an errand is one transaction together
 * with its history entry and the e-mail it sends, so none is ever recorded without the others.
 */
import { randomBytes } from 'node:crypto';
import type { IsoDate } from '../../lib/calendar';
import { isOverdue, overdueSql, type ErrandStatus, type EventKind, type StaffRole } from '../../lib/errands';
import type { ErrandType } from '../../lib/intake/schema';
import type { InboundMessage, StoredSubmission } from './types';
import { insertInboundMessage } from './inbound-mail';
import { toPhotoInfo, toStoredSubmission, type PhotoRow, type SubmissionRow } from './records';
import { markSupporterNotified, supportersToNotify } from './fault-reports';
import { keysetPage, NEWEST_FIRST, type KeysetPage, type KeysetSegment, type PageRequest } from './keyset';
import { EMAIL_OUTBOX, hasDue, leaseDue } from './outbox';
import type { Sql } from './sql';
import { queueSms, takeInboundSms, type OutgoingSms } from './sms';

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  /** The units whose errands the person handles; an admin sees every unit. */
  units: string[];
  passwordHash: string | null;
}

export interface StaffSession {
  user: StaffUser;
  csrfToken: string;
  expiresAt: string;
}

/** One entry of an errand's history. `data` holds what the entry says (texts, old and new values). */
export interface ErrandEvent {
  id: number;
  createdAt: string;
  actor: 'staff' | 'resident';
  staffUserId: number | null;
  staffName: string | null;
  kind: EventKind;
  data: Record<string, string | number | null>;
}

export interface OutgoingEmail {
  recipient: string;
  subject: string;
  text: string;
  html: string;
  /** The message's language as a BCP 47 tag (lättläst is `sv`): its Content-Language. */
  language: string;
  /** A caseworker wrote it (a reply), so it is not marked as sent automatically when it answers an e-mail. */
  writtenByPerson?: boolean;
}

export interface QueuedEmail extends OutgoingEmail {
  id: number;
  attempts: number;
  submissionId: number | null;
  /** The left part of its Message-ID, fixed when queued so a retry sends the same id. */
  messageToken: string;
}

/** Columns of an errand a staff action may change. */
export interface ErrandChanges {
  status?: ErrandStatus;
  handlingUnit?: string;
  assignedUserId?: number | null;
  type?: ErrandType;
  feedbackKind?: string | null;
  category?: string | null;
  replyBy?: IsoDate | null;
  answeredAt?: Date;
  rating?: number;
  ratingComment?: string | null;
  publishedAt?: Date;
  closesOn?: IsoDate;
}

const CHANGE_COLUMNS: Record<keyof ErrandChanges, string> = {
  status: 'status',
  handlingUnit: 'handling_unit',
  assignedUserId: 'assigned_user_id',
  type: 'type',
  feedbackKind: 'feedback_kind',
  category: 'category',
  replyBy: 'reply_by',
  answeredAt: 'answered_at',
  rating: 'rating',
  ratingComment: 'rating_comment',
  publishedAt: 'published_at',
  closesOn: 'closes_on',
};

/** What one action does: the entry it adds, the columns it changes, the e-mail it sends, the link it adds. */
export interface ErrandAction {
  event: { actor: 'staff' | 'resident'; staffUserId: number | null; kind: EventKind; data: ErrandEvent['data'] };
  changes?: ErrandChanges;
  email?: OutgoingEmail;
  sms?: OutgoingSms;
  /** The gateway's id of the SMS the action takes in (a person's answer): taken once. */
  inboundSmsId?: string;
  statusLinkHash?: string;
  /** A fault report is fixed: the notice each supporter who left an address gets, sent once. */
  supporterNotice?: (supporter: { email: string; language: string }) => OutgoingEmail;
  /** The e-mail the action comes from (the person's answer, a bounce), stored once: a second sight of it throws DuplicateInboundMessageError. */
  inboundMessage?: InboundMessage;
}

export interface InboxFilter {
  type?: string;
  feedbackKind?: string;
  unit?: string;
  category?: string;
  status?: string;
  overdue?: boolean;
}

export type InboxSort = 'newest' | 'due';

export interface InboxRow {
  id: number;
  reference: string;
  type: ErrandType;
  feedbackKind: string | null;
  category: string | null;
  handlingUnit: string;
  status: ErrandStatus;
  receivedAt: string;
  replyBy: IsoDate | null;
  assignedName: string | null;
  overdue: boolean;
}

/** The filters the inbox counts by: for each, how many errands each value would show. */
export const INBOX_DIMENSIONS = {
  type: 'type',
  feedbackKind: 'feedback_kind',
  unit: 'handling_unit',
  category: 'category',
  status: 'status',
} as const;
export type InboxDimension = keyof typeof INBOX_DIMENSIONS;

export interface InboxPage extends KeysetPage<InboxRow> {
  total: number;
  counts: Record<InboxDimension, Record<string, number>> & { overdue: number };
}

/** What a person may see: an admin every unit, the others their own. */
export type UnitScope = 'all' | readonly string[];

/** An errand's staff-side facts beyond what was submitted. */
export interface CaseFacts {
  assignedUserId: number | null;
  assignedName: string | null;
  answeredAt: string | null;
  rating: number | null;
  ratingComment: string | null;
  /** When an e-proposal was published, if it was. */
  publishedAt: string | null;
  /** The Open311 client (an app or system) the errand came through, if it came that way. */
  open311Client: string | null;
  /** The staff member who registered it (a call, a visit, a letter), if one did. */
  registeredByName: string | null;
}

export interface CaseStore {
  addStaffUser(user: Omit<StaffUser, 'id'>, now: Date): Promise<StaffUser>;
  staffUserByEmail(email: string): Promise<StaffUser | undefined>;
  staffUsers(): Promise<StaffUser[]>;
  createStaffSession(tokenHash: string, userId: number, csrfToken: string, now: Date, expiresAt: Date): Promise<void>;
  staffSession(tokenHash: string, now: Date): Promise<StaffSession | undefined>;
  deleteStaffSession(tokenHash: string): Promise<void>;
  /** When sign-in for `email` opens again after failures, if it is closed now. */
  signInLockedUntil(email: string, now: Date): Promise<string | undefined>;
  /** Counts a failed sign-in and closes sign-in for `lockMs(failures)` (0: not at all). */
  recordSignInFailure(email: string, now: Date, lockMs: (failures: number) => number): Promise<{ failures: number; lockedUntil: string | undefined }>;
  clearSignInFailures(email: string): Promise<void>;
  /** A page of the errands `scope` and `filter` let through, in the order `sort`, with the totals the filters would give. */
  inbox(scope: UnitScope, filter: InboxFilter, sort: InboxSort, page: PageRequest, limit: number, today: IsoDate): Promise<InboxPage>;
  submissionByReference(reference: string): Promise<StoredSubmission | undefined>;
  /** The errand's staff-side facts beyond what was submitted. */
  caseFacts(submissionId: number): Promise<CaseFacts | undefined>;
  events(submissionId: number): Promise<ErrandEvent[]>;
  recordAction(submissionId: number, action: ErrandAction, now: Date): Promise<void>;
  /**
   * Adds a further status link and queues the e-mail that carries it, unless the errand already
   * got `perDay` links in the last 24 hours; answers whether it did.
   */
  addStatusLink(submissionId: number, tokenHash: string, email: OutgoingEmail, now: Date, perDay: number): Promise<boolean>;
  /** Whether any e-mail is due: a read, which never waits for a writer, so idle polling cannot stall. */
  hasDueEmails(now: Date): Promise<boolean>;
  /** Takes up to `limit` e-mails that are due, leasing them for `leaseMs` so no other instance sends them too. */
  claimDueEmails(now: Date, limit: number, leaseMs: number): Promise<QueuedEmail[]>;
  markEmailSent(id: number, now: Date): Promise<void>;
  markEmailFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
}

interface StaffUserRow {
  id: number | string;
  email: string;
  name: string;
  role: StaffRole;
  units: string;
  password_hash: string | null;
}

function toStaffUser(row: StaffUserRow): StaffUser {
  return { id: Number(row.id), email: row.email, name: row.name, role: row.role, units: JSON.parse(row.units) as string[], passwordHash: row.password_hash };
}

/** A new e-mail row; used by the intake's own transaction too. */
export const INSERT_EMAIL_SQL =
  'INSERT INTO outgoing_emails (submission_id, recipient, subject, text_body, html_body, language, created_at, next_attempt_at, message_token, written_by_person) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export function emailValues(submissionId: number | null, email: OutgoingEmail, now: Date): unknown[] {
  return [submissionId, email.recipient, email.subject, email.text, email.html, email.language, now.toISOString(), now.toISOString(), randomBytes(16).toString('hex'), email.writtenByPerson ? 1 : 0];
}

/**
 * The conditions of an inbox query; `table` prefixes the columns (`s.`) when the query joins. The
 * same columns are in submission_counts, so the counts take the same conditions. A scope of
 * several units is returned apart, as one branch per unit, for the pages to seek each unit's index.
 */
function inboxConditions(
  scope: UnitScope,
  filter: InboxFilter,
  today: IsoDate,
  { leaveOut, table = '' }: { leaveOut?: InboxDimension; table?: string } = {},
): { where: string[]; params: unknown[]; units: string[] | null } {
  const where: string[] = [];
  const params: unknown[] = [];
  let units: string[] | null = null;
  if (scope !== 'all') {
    if (scope.length === 0) where.push('1 = 0');
    else units = [...scope];
  }
  for (const [dimension, column] of Object.entries(INBOX_DIMENSIONS) as [InboxDimension, string][]) {
    const value = filter[dimension];
    if (dimension === leaveOut || value === undefined || value === '') continue;
    where.push(`${table}${column} = ?`);
    params.push(value);
  }
  if (filter.overdue) {
    const overdue = overdueSql(today, table);
    where.push(overdue.sql);
    params.push(...overdue.params);
  }
  return { where, params, units };
}

/** The conditions with the scope's units among them. */
function withUnits(conditions: ReturnType<typeof inboxConditions>, table = ''): { where: string[]; params: unknown[] } {
  if (!conditions.units) return conditions;
  return {
    where: [...conditions.where, `${table}handling_unit IN (${conditions.units.map(() => '?').join(', ')})`],
    params: [...conditions.params, ...conditions.units],
  };
}

/** The conditions, the scope's units among them, as one WHERE on an unjoined table. */
function whereClause(conditions: ReturnType<typeof inboxConditions>): { sql: string; params: unknown[] } {
  const { where, params } = withUnits(conditions);
  return { sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * The inbox's orders, each matched by an index with and without a unit in front: newest first;
 * by reply-by date (errands with one first, soonest first, then those without, oldest first).
 */
const INBOX_ORDERS: Record<InboxSort, readonly KeysetSegment[]> = {
  newest: NEWEST_FIRST,
  due: [
    { where: 's.reply_by IS NOT NULL', descending: false, keys: [{ column: 's.reply_by', name: 'reply_by', kind: 'date' }, { column: 's.id', name: 'id', kind: 'id' }] },
    { where: 's.reply_by IS NULL', descending: false, keys: [{ column: 's.id', name: 'id', kind: 'id' }] },
  ],
};

/**
 * Records one action inside `tx`: its columns, its history entry, its e-mails and its status
 * link. Staff actions use it, and so does the intake for an errand answered at the first contact.
 */
export async function applyAction(tx: Sql, submissionId: number, action: ErrandAction, now: Date): Promise<void> {
  const changes = Object.entries(action.changes ?? {}) as [keyof ErrandChanges, unknown][];
  if (changes.length > 0) {
    await tx.run(`UPDATE submissions SET ${changes.map(([name]) => `${CHANGE_COLUMNS[name]} = ?`).join(', ')} WHERE id = ?`, [
      ...changes.map(([, value]) => value),
      submissionId,
    ]);
  }
  await tx.run('INSERT INTO submission_events (submission_id, created_at, actor, staff_user_id, kind, data) VALUES (?, ?, ?, ?, ?, ?)', [
    submissionId,
    now,
    action.event.actor,
    action.event.staffUserId,
    action.event.kind,
    JSON.stringify(action.event.data),
  ]);
  if (action.email) await tx.run(INSERT_EMAIL_SQL, emailValues(submissionId, action.email, now));
  if (action.supporterNotice) {
    for (const supporter of await supportersToNotify(tx, submissionId)) {
      await tx.run(INSERT_EMAIL_SQL, emailValues(submissionId, action.supporterNotice(supporter), now));
      await markSupporterNotified(tx, supporter.id, now);
    }
  }
  if (action.statusLinkHash) {
    await tx.run('INSERT INTO status_links (token_hash, submission_id, created_at) VALUES (?, ?, ?)', [action.statusLinkHash, submissionId, now]);
  }
  if (action.inboundMessage) await insertInboundMessage(tx, submissionId, action.inboundMessage);
  if (action.sms) await queueSms(tx, submissionId, action.sms, now);
  if (action.inboundSmsId !== undefined) await takeInboundSms(tx, action.inboundSmsId, submissionId, now);
}

export function createCaseStore(sql: Sql): CaseStore {
  return {
    async addStaffUser(user, now) {
      const row = await sql.get<StaffUserRow>(
        'INSERT INTO staff_users (email, name, role, units, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
        [user.email.toLowerCase(), user.name, user.role, JSON.stringify(user.units), user.passwordHash, now],
      );
      if (!row) throw new Error('the new staff user was not returned');
      return toStaffUser(row);
    },
    async staffUserByEmail(email) {
      const row = await sql.get<StaffUserRow>('SELECT * FROM staff_users WHERE email = ?', [email.trim().toLowerCase()]);
      return row && toStaffUser(row);
    },
    async staffUsers() {
      return (await sql.all<StaffUserRow>('SELECT * FROM staff_users ORDER BY name')).map(toStaffUser);
    },
    async createStaffSession(tokenHash, userId, csrfToken, now, expiresAt) {
      await sql.transaction(async (tx) => {
        await tx.run('DELETE FROM staff_sessions WHERE expires_at < ?', [now]);
        await tx.run('INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
          tokenHash,
          userId,
          csrfToken,
          now,
          expiresAt,
        ]);
      });
    },
    async staffSession(tokenHash, now) {
      const row = await sql.get<StaffUserRow & { csrf_token: string; expires_at: string }>(
        `SELECT u.*, s.csrf_token, s.expires_at FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
          WHERE s.token_hash = ? AND s.expires_at > ?`,
        [tokenHash, now],
      );
      return row && { user: toStaffUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at };
    },
    async deleteStaffSession(tokenHash) {
      await sql.run('DELETE FROM staff_sessions WHERE token_hash = ?', [tokenHash]);
    },
    async signInLockedUntil(email, now) {
      const row = await sql.get<{ locked_until: string | null }>('SELECT locked_until FROM sign_in_failures WHERE email = ? AND locked_until > ?', [
        email.trim().toLowerCase(),
        now,
      ]);
      return row?.locked_until ?? undefined;
    },
    async recordSignInFailure(email, now, lockMs) {
      return sql.transaction(async (tx) => {
        const key = email.trim().toLowerCase();
        const row = await tx.get<{ failures: number }>(
          `INSERT INTO sign_in_failures (email, failures) VALUES (?, 1)
           ON CONFLICT (email) DO UPDATE SET failures = sign_in_failures.failures + 1 RETURNING failures`,
          [key],
        );
        const failures = row?.failures ?? 1;
        const lock = lockMs(failures);
        const lockedUntil = lock > 0 ? new Date(now.getTime() + lock).toISOString() : undefined;
        await tx.run('UPDATE sign_in_failures SET locked_until = ? WHERE email = ?', [lockedUntil ?? null, key]);
        return { failures, lockedUntil };
      });
    },
    async clearSignInFailures(email) {
      await sql.run('DELETE FROM sign_in_failures WHERE email = ?', [email.trim().toLowerCase()]);
    },
    async inbox(scope, filter, sort, request, limit, today) {
      const conditions = inboxConditions(scope, filter, today, { table: 's.' });
      // One seek per unit of the scope, unless the filter already picks one of them.
      const branches = conditions.units && filter.unit === undefined ? conditions.units.map((unit) => ({ where: 's.handling_unit = ?', params: [unit] })) : [];
      const page = await keysetPage<{
        id: number | string;
        reference: string;
        type: ErrandType;
        feedback_kind: string | null;
        category: string | null;
        handling_unit: string;
        status: ErrandStatus;
        received_at: string;
        reply_by: IsoDate | null;
        assigned_name: string | null;
      }>(
        sql,
        {
          select: `SELECT s.id, s.reference, s.type, s.feedback_kind, s.category, s.handling_unit, s.status, s.received_at, s.reply_by, u.name AS assigned_name
                     FROM submissions s LEFT JOIN staff_users u ON u.id = s.assigned_user_id`,
          ...(branches.length > 0 ? conditions : withUnits(conditions, 's.')),
          branches,
        },
        INBOX_ORDERS[sort],
        request,
        limit,
      );
      // Totals from the maintained counts; with "only overdue" from the index of open errands with a deadline.
      const source = filter.overdue ? { table: 'submissions', n: 'COUNT(*)' } : { table: 'submission_counts', n: 'SUM(n)' };
      const countOf = (leaveOut?: InboxDimension) => whereClause(inboxConditions(scope, filter, today, leaveOut ? { leaveOut } : {}));
      const all = countOf();
      const total = Number((await sql.get<{ n: number | string | null }>(`SELECT ${source.n} AS n FROM ${source.table} ${all.sql}`, all.params))?.n ?? 0);
      const counts = { overdue: 0 } as InboxPage['counts'];
      for (const [dimension, column] of Object.entries(INBOX_DIMENSIONS) as [InboxDimension, string][]) {
        const others = countOf(dimension);
        const grouped = await sql.all<{ value: string | null; n: number | string }>(
          `SELECT ${column} AS value, ${source.n} AS n FROM ${source.table} ${others.sql} GROUP BY ${column}`,
          others.params,
        );
        // The counts table keeps a missing kind or category as ''.
        counts[dimension] = Object.fromEntries(grouped.filter((row) => row.value !== null && row.value !== '').map((row) => [row.value, Number(row.n)]));
      }
      const overdueWhere = whereClause(inboxConditions(scope, { ...filter, overdue: true }, today));
      counts.overdue = Number((await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM submissions ${overdueWhere.sql}`, overdueWhere.params))?.n ?? 0);
      return {
        ...page,
        total,
        counts,
        rows: page.rows.map((row) => ({
          id: Number(row.id),
          reference: row.reference,
          type: row.type,
          feedbackKind: row.feedback_kind,
          category: row.category,
          handlingUnit: row.handling_unit,
          status: row.status,
          receivedAt: row.received_at,
          replyBy: row.reply_by,
          assignedName: row.assigned_name,
          overdue: isOverdue({ replyBy: row.reply_by, status: row.status }, today),
        })),
      };
    },
    async submissionByReference(reference) {
      const row = await sql.get<SubmissionRow>('SELECT * FROM submissions WHERE reference = ?', [reference]);
      if (!row) return undefined;
      const photos = await sql.all<PhotoRow>('SELECT public_id, width, height FROM attachments WHERE submission_id = ? ORDER BY id', [row.id]);
      return toStoredSubmission(row, photos.map(toPhotoInfo));
    },
    async caseFacts(submissionId) {
      const row = await sql.get<{ assigned_user_id: number | string | null; assigned_name: string | null; answered_at: string | null; rating: number | null; rating_comment: string | null; published_at: string | null; open311_client: string | null; registered_by_name: string | null }>(
        `SELECT s.assigned_user_id, u.name AS assigned_name, s.answered_at, s.rating, s.rating_comment, s.published_at, c.name AS open311_client, r.name AS registered_by_name
           FROM submissions s LEFT JOIN staff_users u ON u.id = s.assigned_user_id LEFT JOIN open311_clients c ON c.id = s.open311_client_id
                LEFT JOIN staff_users r ON r.id = s.registered_by
          WHERE s.id = ?`,
        [submissionId],
      );
      return (
        row && {
          assignedUserId: row.assigned_user_id === null ? null : Number(row.assigned_user_id),
          assignedName: row.assigned_name,
          answeredAt: row.answered_at,
          rating: row.rating,
          ratingComment: row.rating_comment,
          publishedAt: row.published_at,
          open311Client: row.open311_client,
          registeredByName: row.registered_by_name,
        }
      );
    },
    async events(submissionId) {
      const rows = await sql.all<{ id: number | string; created_at: string; actor: 'staff' | 'resident'; staff_user_id: number | string | null; staff_name: string | null; kind: EventKind; data: string | ErrandEvent['data'] }>(
        `SELECT e.id, e.created_at, e.actor, e.staff_user_id, u.name AS staff_name, e.kind, e.data
           FROM submission_events e LEFT JOIN staff_users u ON u.id = e.staff_user_id
          WHERE e.submission_id = ? ORDER BY e.id`,
        [submissionId],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        createdAt: row.created_at,
        actor: row.actor,
        staffUserId: row.staff_user_id === null ? null : Number(row.staff_user_id),
        staffName: row.staff_name,
        kind: row.kind,
        data: typeof row.data === 'string' ? (JSON.parse(row.data) as ErrandEvent['data']) : row.data,
      }));
    },
    async recordAction(submissionId, action, now) {
      await sql.transaction((tx) => applyAction(tx, submissionId, action, now));
    },
    async addStatusLink(submissionId, tokenHash, email, now, perDay) {
      return sql.transaction(async (tx) => {
        const since = new Date(now.getTime() - 24 * 60 * 60_000);
        const recent = await tx.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM status_links WHERE submission_id = ? AND created_at > ?', [submissionId, since]);
        if (Number(recent?.n ?? 0) >= perDay) return false;
        await tx.run('INSERT INTO status_links (token_hash, submission_id, created_at) VALUES (?, ?, ?)', [tokenHash, submissionId, now]);
        await tx.run(INSERT_EMAIL_SQL, emailValues(submissionId, email, now));
        return true;
      });
    },
    hasDueEmails(now) {
      return hasDue(sql, EMAIL_OUTBOX, now);
    },
    async claimDueEmails(now, limit, leaseMs) {
      const rows = await leaseDue<{ id: number | string; submission_id: number | string | null; recipient: string; subject: string; text_body: string; html_body: string; language: string; attempts: number; message_token: string; written_by_person: number }>(
        sql,
        EMAIL_OUTBOX,
        'id, submission_id, recipient, subject, text_body, html_body, language, attempts, message_token, written_by_person',
        now,
        limit,
        leaseMs,
      );
      return rows.map((row) => ({
        id: Number(row.id),
        submissionId: row.submission_id === null ? null : Number(row.submission_id),
        recipient: row.recipient,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        language: row.language,
        attempts: row.attempts,
        messageToken: row.message_token,
        writtenByPerson: row.written_by_person === 1,
      }));
    },
    async markEmailSent(id, now) {
      await sql.run('UPDATE outgoing_emails SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?', [now, id]);
    },
    async markEmailFailed(id, error, nextAttemptAt) {
      await sql.run('UPDATE outgoing_emails SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?', [error, nextAttemptAt, id]);
    },
  };
}
