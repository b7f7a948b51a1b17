/**
 * Gallring, written once for both databases on the shared Sql: which errands are due, the purge
 * of one errand as a list of small steps in one transaction, and the log of runs. A purge keeps
 * what the statistics need (reference, type, kind, category, units, language, status, dates,
 * rating, and every history entry's kind, time and actor) and takes out what identifies or may
 * identify a person: contact details, every free text, photos, e-mails and the history's texts.
 */
import type { ErrandType, Submission } from '../../lib/intake/schema';
import type { ErrandAction } from './cases';
import type { Sql } from './sql';

/** What started a run: the daily job, `npm run retention:purge`, or an admin forgetting one errand. */
export type RetentionTrigger = 'schedule' | 'cli' | 'admin';

/** What a run removed: errands purged per type, and the rows each step changed. */
export interface RetentionCounts {
  errands: Partial<Record<ErrandType, number>>;
  rows: Record<string, number>;
}

/** The errand a purge step works on, read inside the purge's transaction. */
export interface PurgeTarget {
  id: number;
  type: ErrandType;
  submission: Submission;
  /** A published e-proposal's title and texts were published on purpose and are kept. */
  published: boolean;
}

/**
 * One kind of personal data a purge takes out. Steps run in order inside the errand's
 * transaction, after it has been marked purged; each answers how many rows it changed. Further
 * tables with personal data join by adding a step here.
 */
export interface PurgeStep {
  name: string;
  /** The tables the step changes: PostgreSQL vacuums them after a run. */
  tables: readonly string[];
  run(tx: Sql, target: PurgeTarget): Promise<number>;
}

/**
 * The submission as kept after a purge: its classification and language, no contact details and
 * every free text empty. A published e-proposal keeps its title and texts (staff approved them
 * for publication and residents supported them) but not its proposer's name.
 */
export function redactSubmission(submission: Submission, published: boolean): Submission {
  const unit = 'unit' in submission && submission.unit !== undefined ? { unit: submission.unit } : {};
  switch (submission.type) {
    case 'question':
      return { type: 'question', message: '', ...unit, contact: null, language: submission.language };
    case 'feedback':
      return { type: 'feedback', feedbackKind: submission.feedbackKind, ...unit, message: '', contact: null, language: submission.language };
    case 'fault_report':
      // The position goes too: with a time, it can point at the home of the person who reported.
      return { type: 'fault_report', category: submission.category, location: { description: '' }, message: '', contact: null, language: submission.language };
    case 'proposal': {
      const texts = published ? { title: submission.title, message: submission.message, ...(submission.reason === undefined ? {} : { reason: submission.reason }) } : { title: '', message: '' };
      // On intake a proposer must give a name and address; a purged proposal has neither.
      return { type: 'proposal', ...texts, contact: null as unknown as Extract<Submission, { type: 'proposal' }>['contact'], language: submission.language };
    }
  }
}

/** What replaces a value that must stay unique, such as a supporter's key. */
const REMOVED = 'removed:';

/** The purge, step by step. */
export const PURGE_STEPS: readonly PurgeStep[] = [
  {
    name: 'submission',
    tables: ['submissions'],
    run: (tx, target) =>
      tx.run('UPDATE submissions SET payload = ?, rating_comment = NULL WHERE id = ?', [JSON.stringify(redactSubmission(target.submission, target.published)), target.id]),
  },
  {
    name: 'history',
    tables: ['submission_events'],
    // Only the texts go (notes, replies, the person's answers, rating comments): kind, time and actor stay, which is all the migration's trigger lets through.
    run: (tx, target) =>
      tx.dialect === 'postgres'
        ? tx.run(`UPDATE submission_events SET data = data - 'text' - 'comment' WHERE submission_id = ? AND (data -> 'text' IS NOT NULL OR data -> 'comment' IS NOT NULL)`, [target.id])
        : tx.run(
            `UPDATE submission_events SET data = json_remove(data, '$.text', '$.comment') WHERE submission_id = ? AND (json_type(data, '$.text') IS NOT NULL OR json_type(data, '$.comment') IS NOT NULL)`,
            [target.id],
          ),
  },
  { name: 'photos', tables: ['attachments'], run: (tx, target) => tx.run('DELETE FROM attachments WHERE submission_id = ?', [target.id]) },
  // A letter's scan and an e-mail's attachments carry what the person wrote.
  { name: 'caseFiles', tables: ['case_files'], run: (tx, target) => tx.run('DELETE FROM case_files WHERE submission_id = ?', [target.id]) },
  // The sender and subject of the e-mails it came as; the Message-IDs stay, so a late second delivery is still known.
  {
    name: 'inboundMail',
    tables: ['inbound_messages'],
    run: (tx, target) => tx.run('UPDATE inbound_messages SET sender = NULL, subject = NULL WHERE submission_id = ? AND (sender IS NOT NULL OR subject IS NOT NULL)', [target.id]),
  },
  // Recipients and bodies: an e-mail not yet sent is not sent any more.
  { name: 'emails', tables: ['outgoing_emails'], run: (tx, target) => tx.run('DELETE FROM outgoing_emails WHERE submission_id = ?', [target.id]) },
  // Numbers and texts of the SMS sent about it; an SMS taken in is kept only as the gateway's id, which names no one.
  { name: 'sms', tables: ['outgoing_sms'], run: (tx, target) => tx.run('DELETE FROM outgoing_sms WHERE submission_id = ?', [target.id]) },
  // Addresses kept for "it is fixed" go; the supports still count.
  { name: 'faultSupporters', tables: ['fault_supports'], run: (tx, target) => tx.run('UPDATE fault_supports SET email = NULL WHERE submission_id = ? AND email IS NOT NULL', [target.id]) },
  // A key holds the first status link's token for two days; gone, a repeated request is a new one.
  { name: 'idempotencyKeys', tables: ['idempotency_keys'], run: (tx, target) => tx.run('DELETE FROM idempotency_keys WHERE submission_id = ?', [target.id]) },
  {
    name: 'proposalSupporters',
    tables: ['proposal_supports'],
    // A supporter is an HMAC of their address: replaced by a random value, the supports still count but match no address.
    run: (tx, target) => {
      const random = tx.dialect === 'postgres' ? 'gen_random_uuid()::text' : 'lower(hex(randomblob(16)))';
      return tx.run(`UPDATE proposal_supports SET supporter = ? || ${random}, token_hash = ? || ${random} WHERE submission_id = ? AND supporter NOT LIKE ?`, [
        REMOVED,
        REMOVED,
        target.id,
        `${REMOVED}%`,
      ]);
    },
  },
];

export interface RetentionStore {
  /** Errands of `type` whose status was last set to closed before `closedBefore` and that still hold personal data, oldest first. */
  errandsDueForPurge(type: ErrandType, closedBefore: Date): Promise<number[]>;
  /**
   * Purges one errand in one transaction, with `event` (an admin's request) added to its
   * history; answers the rows each step changed, or undefined when the errand was already
   * purged (earlier, or by another instance at the same moment) or does not exist.
   */
  purgeErrand(submissionId: number, now: Date, event?: ErrandAction['event']): Promise<{ type: ErrandType; rows: Record<string, number> } | undefined>;
  startRetentionRun(trigger: RetentionTrigger, decisionReference: string | null, now: Date): Promise<number>;
  finishRetentionRun(id: number, counts: RetentionCounts, now: Date): Promise<void>;
  /** When the last finished run of `trigger` started, if one has finished. */
  lastRetentionRun(trigger: RetentionTrigger): Promise<string | undefined>;
}

/** The tables a purge changes: PostgreSQL vacuums them afterwards (see StoreConnection.reclaimPurgedSpace). */
export const PURGED_TABLES = [...new Set(PURGE_STEPS.flatMap((step) => step.tables))];

export function createRetentionStore(sql: Sql): RetentionStore {
  return {
    async errandsDueForPurge(type, closedBefore) {
      // Every closed errand still holding personal data is looked at, which after years is most
      // of them: a long read, so it streams off the request thread (the scheduled purge runs in the server).
      const ids: number[] = [];
      const rows = sql.stream<{ id: number | string }>(
        `SELECT s.id FROM submissions s
          WHERE s.purged_at IS NULL AND s.status = 'closed' AND s.type = ?
            AND (SELECT MAX(e.created_at) FROM submission_events e WHERE e.submission_id = s.id AND e.kind = 'status_changed') < ?
          ORDER BY s.id`,
        [type, closedBefore],
      );
      for await (const batch of rows) for (const row of batch) ids.push(Number(row.id));
      return ids;
    },
    async purgeErrand(submissionId, now, event) {
      return sql.transaction(async (tx) => {
        // The guard: of two instances purging at once, one marks it and the other finds it marked.
        if ((await tx.run('UPDATE submissions SET purged_at = ? WHERE id = ? AND purged_at IS NULL', [now, submissionId])) !== 1) return undefined;
        const row = await tx.get<{ type: ErrandType; payload: string | Submission; published_at: string | null }>('SELECT type, payload, published_at FROM submissions WHERE id = ?', [submissionId]);
        if (!row) return undefined;
        const target: PurgeTarget = {
          id: submissionId,
          type: row.type,
          submission: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Submission) : row.payload,
          published: row.published_at !== null,
        };
        const rows: Record<string, number> = {};
        for (const step of PURGE_STEPS) rows[step.name] = await step.run(tx, target);
        if (event) {
          await tx.run('INSERT INTO submission_events (submission_id, created_at, actor, staff_user_id, kind, data) VALUES (?, ?, ?, ?, ?, ?)', [
            submissionId,
            now,
            event.actor,
            event.staffUserId,
            event.kind,
            JSON.stringify(event.data),
          ]);
        }
        return { type: row.type, rows };
      });
    },
    async startRetentionRun(trigger, decisionReference, now) {
      const row = await sql.get<{ id: number | string }>('INSERT INTO retention_runs (triggered_by, decision_reference, started_at, counts) VALUES (?, ?, ?, ?) RETURNING id', [
        trigger,
        decisionReference,
        now,
        JSON.stringify({ errands: {}, rows: {} }),
      ]);
      if (!row) throw new Error('the new retention run was not returned');
      return Number(row.id);
    },
    async finishRetentionRun(id, counts, now) {
      await sql.run('UPDATE retention_runs SET finished_at = ?, counts = ? WHERE id = ?', [now, JSON.stringify(counts), id]);
    },
    async lastRetentionRun(trigger) {
      const row = await sql.get<{ started_at: string | null }>('SELECT MAX(started_at) AS started_at FROM retention_runs WHERE triggered_by = ? AND finished_at IS NOT NULL', [trigger]);
      return row?.started_at ? new Date(row.started_at).toISOString() : undefined;
    },
  };
}
