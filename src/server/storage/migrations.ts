/**
 * Schema migrations, applied in order at start-up, one list for both databases. Each runs once,
 * inside a transaction, and is recorded in schema_migrations by its version and name. Never edit
 * a released migration (an existing database is never migrated again): add the next one.
 *
 * Adding a step: append `{ version: <next>, name, sql: (t) => `…` }` to MIGRATIONS. Write the
 * SQL once, with the column types the dialects spell differently taken from `t` (`t.serialKey`,
 * `t.bigInteger`, `t.instant`, `t.json`, `t.bytes`); where a statement itself differs (a trigger,
 * a string function, an index option), write both inside the step with
 * `${t.only({ sqlite: `…`, postgres: `…` })}`, so the difference stays in the one place. The
 * migration parity test (tests/unit/migration-parity.test.ts) fails when the two resulting
 * schemas diverge.
 */
import { backfillSql, countTriggersSql, createTableSql, dropCountTriggersSql, firstReplyBackfillSql, firstReplyTriggerSql, followUpCounts, followUpPending, SUBMISSION_COUNTS } from './aggregates';
import type { Dialect } from './sql';

/** One migration as a database runs it. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** What a step's SQL takes from the dialect it is written for. */
export interface SchemaDialect {
  dialect: Dialect;
  /** An integer primary key the database numbers itself (SQLite's rowid, PostgreSQL's sequence). */
  serialKey: string;
  /** An integer that may pass 2^31, such as a reference to a serial key. */
  bigInteger: string;
  /** A point in time: ISO text on SQLite, TIMESTAMPTZ on PostgreSQL. */
  instant: string;
  /** A JSON document: text on SQLite, JSONB on PostgreSQL. */
  json: string;
  /** Bytes, such as a photo. */
  bytes: string;
  /** The part of a step each dialect writes in its own way. */
  only(parts: Record<Dialect, string>): string;
}

/** One step of the one ordered list: its SQL for either dialect. */
export interface MigrationStep {
  version: number;
  name: string;
  sql: (t: SchemaDialect) => string;
}

const DIALECTS: Record<Dialect, SchemaDialect> = {
  sqlite: {
    dialect: 'sqlite',
    serialKey: 'INTEGER PRIMARY KEY',
    bigInteger: 'INTEGER',
    instant: 'TEXT',
    json: 'TEXT',
    bytes: 'BLOB',
    only: (parts) => parts.sqlite,
  },
  postgres: {
    dialect: 'postgres',
    serialKey: 'BIGSERIAL PRIMARY KEY',
    bigInteger: 'BIGINT',
    instant: 'TIMESTAMPTZ',
    json: 'JSONB',
    bytes: 'BYTEA',
    only: (parts) => parts.postgres,
  },
};

/**
 * A backfill of a million errands takes longer than the pool's statement timeout (made for
 * requests); on PostgreSQL the migration's transaction lifts it. SQLite has none.
 */
function noStatementTimeout(t: SchemaDialect): string {
  return t.dialect === 'postgres' ? 'SET LOCAL statement_timeout = 0;' : '';
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly MigrationStep[] = [
  {
    version: 1,
    name: 'submissions, reference counters and idempotency keys',
    sql: (t) => `
      CREATE TABLE submissions (
        id ${t.serialKey},
        reference TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        language TEXT NOT NULL,
        received_at ${t.instant} NOT NULL,
        reply_by TEXT,
        handling_unit TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        status_token_hash TEXT NOT NULL UNIQUE,
        feedback_kind TEXT,
        category TEXT,
        unit TEXT,
        payload ${t.json} NOT NULL
      );
      CREATE INDEX submissions_received_at ON submissions (received_at);
      CREATE TABLE reference_counters (
        year INTEGER PRIMARY KEY,
        last_number INTEGER NOT NULL
      );
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        submission_id ${t.bigInteger} REFERENCES submissions (id),
        status_token TEXT,
        claimed_at ${t.instant} NOT NULL
      );
      CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
    `,
  },
  {
    version: 2,
    name: 'photos: attached to a submission, or waiting under a form token',
    sql: (t) => `
      CREATE TABLE attachments (
        id ${t.serialKey},
        public_id TEXT NOT NULL UNIQUE,
        submission_id ${t.bigInteger} REFERENCES submissions (id),
        form_token TEXT,
        content_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes ${t.bytes} NOT NULL,
        created_at ${t.instant} NOT NULL
      );
      CREATE INDEX attachments_submission ON attachments (submission_id);
      CREATE INDEX attachments_form_token ON attachments (form_token);
    `,
  },
  {
    version: 3,
    name: 'rate-limit counters and secrets shared by every server instance',
    sql: (t) => `
      CREATE TABLE rate_limit_windows (
        client_key TEXT NOT NULL,
        window_start ${t.bigInteger} NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (client_key, window_start)
      );
      CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);
      CREATE TABLE shared_secrets (
        name TEXT PRIMARY KEY,
        value ${t.bytes} NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'case handling: staff, sessions, sign-in throttling, the errand history, ratings and outgoing e-mail',
    sql: (t) => `
      CREATE TABLE staff_users (
        id ${t.serialKey},
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('caseworker', 'manager', 'admin')),
        units TEXT NOT NULL,
        password_hash TEXT,
        created_at ${t.instant} NOT NULL
      );
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id ${t.bigInteger} NOT NULL REFERENCES staff_users (id),
        csrf_token TEXT NOT NULL,
        created_at ${t.instant} NOT NULL,
        expires_at ${t.instant} NOT NULL
      );
      CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
      CREATE TABLE sign_in_failures (
        email TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until ${t.instant}
      );
      ALTER TABLE submissions ADD COLUMN assigned_user_id ${t.bigInteger} REFERENCES staff_users (id);
      ALTER TABLE submissions ADD COLUMN answered_at ${t.instant};
      ALTER TABLE submissions ADD COLUMN rating INTEGER;
      ALTER TABLE submissions ADD COLUMN rating_comment TEXT;
      CREATE INDEX submissions_handling_unit ON submissions (handling_unit, status);
      CREATE TABLE submission_events (
        id ${t.serialKey},
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        created_at ${t.instant} NOT NULL,
        actor TEXT NOT NULL,
        staff_user_id ${t.bigInteger} REFERENCES staff_users (id),
        kind TEXT NOT NULL,
        data ${t.json} NOT NULL
      );
      CREATE INDEX submission_events_submission ON submission_events (submission_id, id);
      -- The history is a record: what was done stays as it was done.
      ${t.only({
        sqlite: `
      CREATE TRIGGER submission_events_no_update BEFORE UPDATE ON submission_events
        BEGIN SELECT RAISE(ABORT, 'submission_events is append-only'); END;
      CREATE TRIGGER submission_events_no_delete BEFORE DELETE ON submission_events
        BEGIN SELECT RAISE(ABORT, 'submission_events is append-only'); END;`,
        postgres: `
      CREATE FUNCTION submission_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'submission_events is append-only'; END $$;
      CREATE TRIGGER submission_events_no_change BEFORE UPDATE OR DELETE ON submission_events
        FOR EACH ROW EXECUTE FUNCTION submission_events_append_only();`,
      })}
      CREATE TABLE outgoing_emails (
        id ${t.serialKey},
        submission_id ${t.bigInteger} REFERENCES submissions (id),
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        text_body TEXT NOT NULL,
        html_body TEXT NOT NULL,
        created_at ${t.instant} NOT NULL,
        next_attempt_at ${t.instant} NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at ${t.instant},
        last_error TEXT
      );
      CREATE INDEX outgoing_emails_due ON outgoing_emails (sent_at, next_attempt_at);
      -- Further status links (one per e-mail that carries one); like the first, only hashes.
      CREATE TABLE status_links (
        token_hash TEXT PRIMARY KEY,
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        created_at ${t.instant} NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: '"was this page helpful?" answers, without personal data',
    sql: (t) => `
      CREATE TABLE page_feedback (
        id ${t.serialKey},
        token TEXT NOT NULL UNIQUE,
        page TEXT NOT NULL,
        language TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        comment TEXT,
        created_at ${t.instant} NOT NULL
      );
      CREATE INDEX page_feedback_page ON page_feedback (page, created_at);
    `,
  },
  {
    version: 6,
    name: 'published e-proposals and their supporters',
    sql: (t) => `
      ALTER TABLE submissions ADD COLUMN published_at ${t.instant};
      ALTER TABLE submissions ADD COLUMN closes_on TEXT;
      ALTER TABLE submissions ADD COLUMN threshold_reached_at ${t.instant};
      ALTER TABLE submissions ADD COLUMN closed_at ${t.instant};
      CREATE TABLE proposal_supports (
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        supporter TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at ${t.instant} NOT NULL,
        confirmed_at ${t.instant},
        PRIMARY KEY (submission_id, supporter)
      );
    `,
  },
  {
    version: 7,
    name: '"this is my problem too": supports of open fault reports',
    sql: (t) => `
      CREATE INDEX submissions_type_status ON submissions (type, status, category);
      -- An e-mail address is kept only until the notice that the fault is fixed has gone out.
      CREATE TABLE fault_supports (
        id ${t.serialKey},
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        email TEXT,
        language TEXT NOT NULL,
        created_at ${t.instant} NOT NULL,
        notified_at ${t.instant}
      );
      CREATE INDEX fault_supports_submission ON fault_supports (submission_id);
      CREATE UNIQUE INDEX fault_supports_email ON fault_supports (submission_id, email);
    `,
  },
  {
    version: 8,
    name: 'gallring: purged errands, the log of retention runs, and a history that only a purge may redact',
    sql: (t) => `
      ALTER TABLE submissions ADD COLUMN purged_at ${t.instant};
      CREATE INDEX submissions_not_purged ON submissions (status, type) WHERE purged_at IS NULL;
      CREATE TABLE retention_runs (
        id ${t.serialKey},
        triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'cli', 'admin')),
        decision_reference TEXT,
        started_at ${t.instant} NOT NULL,
        finished_at ${t.instant},
        counts ${t.json} NOT NULL
      );
      CREATE INDEX retention_runs_started ON retention_runs (triggered_by, started_at);
      -- The history stays a record of what was done, when and by whom. The one change allowed is
      -- a purge taking the texts (personal data) out of the entries of an errand it has purged.
      ${t.only({
        sqlite: `
      DROP TRIGGER submission_events_no_update;
      CREATE TRIGGER submission_events_redaction_only BEFORE UPDATE ON submission_events
        WHEN NOT (NEW.id = OLD.id AND NEW.submission_id = OLD.submission_id AND NEW.created_at = OLD.created_at
          AND NEW.actor = OLD.actor AND NEW.staff_user_id IS OLD.staff_user_id AND NEW.kind = OLD.kind
          AND NEW.data = json_remove(OLD.data, '$.text', '$.comment')
          AND (SELECT purged_at FROM submissions WHERE id = OLD.submission_id) IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'submission_events is append-only: a purge may only take its texts out'); END;`,
        postgres: `
      DROP TRIGGER submission_events_no_change ON submission_events;
      DROP FUNCTION submission_events_append_only();
      CREATE FUNCTION submission_events_redaction_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.submission_id = OLD.submission_id AND NEW.created_at = OLD.created_at
             AND NEW.actor = OLD.actor AND NEW.staff_user_id IS NOT DISTINCT FROM OLD.staff_user_id AND NEW.kind = OLD.kind
             AND NEW.data = OLD.data - 'text' - 'comment'
             AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = OLD.submission_id AND s.purged_at IS NOT NULL) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'submission_events is append-only: a purge may only take its texts out';
        END $$;
      CREATE TRIGGER submission_events_no_change BEFORE UPDATE OR DELETE ON submission_events
        FOR EACH ROW EXECUTE FUNCTION submission_events_redaction_only();`,
      })}
    `,
  },
  {
    version: 9,
    name: 'Open311 clients and their API keys; fault reports record the client they came through',
    sql: (t) => `
      -- Only a hash of each key is kept: a copy of the database lets no one post in a client's name.
      CREATE TABLE open311_clients (
        id ${t.serialKey},
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at ${t.instant} NOT NULL,
        revoked_at ${t.instant}
      );
      ALTER TABLE submissions ADD COLUMN open311_client_id ${t.bigInteger} REFERENCES open311_clients (id);
    `,
  },
  {
    version: 10,
    name: 'follow-up: its figures and an errand’s first reply read from indexes alone',
    // PostgreSQL's index keeps the other columns beside its key; SQLite's has them in its key.
    sql: (t) => `
      ${t.only({
        sqlite: `CREATE INDEX submissions_follow_up ON submissions (received_at, handling_unit, type, feedback_kind, category, rating, reply_by);`,
        postgres: `CREATE INDEX submissions_follow_up ON submissions (received_at) INCLUDE (handling_unit, type, feedback_kind, category, rating, reply_by, id);`,
      })}
      CREATE INDEX submission_events_first_reply ON submission_events (submission_id, kind, created_at);
    `,
  },
  {
    version: 11,
    name: 'idempotency keys record the process that holds them, so a crashed holder’s key is taken over at once',
    sql: () => `
    ALTER TABLE idempotency_keys ADD COLUMN holder_id TEXT;
    ALTER TABLE idempotency_keys ADD COLUMN holder_host TEXT;
    ALTER TABLE idempotency_keys ADD COLUMN holder_pid INTEGER;
  `,
  },
  {
    version: 12,
    name: 'each queued e-mail knows its language (its Content-Language)',
    // Messages queued before take the language their HTML part was written in, found by each dialect's own string functions.
    sql: (t) => `
      ALTER TABLE outgoing_emails ADD COLUMN language TEXT NOT NULL DEFAULT 'sv';
      ${t.only({
        sqlite: `UPDATE outgoing_emails SET language = substr(html_body, instr(html_body, 'lang="') + 6, 2) WHERE instr(html_body, 'lang="') > 0`,
        postgres: `UPDATE outgoing_emails SET language = substring(html_body from 'lang="([a-z-]+)"') WHERE html_body ~ 'lang="[a-z-]+"'`,
      })};
    `,
  },
  {
    version: 13,
    name: 'the inbox and the public fault list: counts kept by triggers, and an index for each filter and sort',
    // The inbox and the public fault list read pages by seeking in an index that matches each filter
    // and sort, and their totals from counts kept by triggers (see aggregates.ts), never by scanning.
    sql: (t) => `
      ${noStatementTimeout(t)}
      CREATE TABLE submission_counts (
        handling_unit TEXT NOT NULL,
        type TEXT NOT NULL,
        feedback_kind TEXT NOT NULL,
        category TEXT NOT NULL,
        status TEXT NOT NULL,
        purged INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (handling_unit, type, feedback_kind, category, status, purged)
      );
      ${backfillSql(SUBMISSION_COUNTS)};
      ${countTriggersSql(t.dialect, SUBMISSION_COUNTS)}
      CREATE INDEX submissions_newest ON submissions (received_at, id);
      CREATE INDEX submissions_unit_newest ON submissions (handling_unit, received_at, id);
      CREATE INDEX submissions_unit_status_type_newest ON submissions (handling_unit, status, type, received_at, id);
      CREATE INDEX submissions_due ON submissions (reply_by, id);
      -- Partial, so that no planner takes the dated errands' index for the undated ones (and sorts them).
      CREATE INDEX submissions_unit_due ON submissions (handling_unit, reply_by, id) WHERE reply_by IS NOT NULL;
      CREATE INDEX submissions_unit_undated ON submissions (handling_unit, id) WHERE reply_by IS NULL;
      -- Overdue errands are counted from the open ones with a deadline alone, by every inbox filter.
      CREATE INDEX submissions_overdue ON submissions (reply_by, handling_unit, type, feedback_kind, category, status)
        WHERE status IN ('received', 'in_progress') AND reply_by IS NOT NULL;
      -- The same with the unit first, for a unit's inbox: otherwise SQLite counts a unit's overdue
      -- errands through submissions_unit_due, visiting every dated errand of the unit (0.2 s at 1M).
      CREATE INDEX submissions_unit_overdue ON submissions (handling_unit, reply_by, type, feedback_kind, category, status)
        WHERE status IN ('received', 'in_progress') AND reply_by IS NOT NULL;
      CREATE INDEX submissions_public_faults ON submissions (type, status, received_at, id) WHERE purged_at IS NULL;
      CREATE INDEX submissions_public_fault_categories ON submissions (type, category, status, received_at, id) WHERE purged_at IS NULL;
    `,
  },
  {
    version: 14,
    name: 'follow-up: counts per Swedish day kept by triggers, and each errand’s first reply on the errand',
    // The follow-up figures from counts per Swedish day, kept by triggers; each errand's first reply
    // kept on the errand (by a trigger on its history), and an index to take the reply times from.
    sql: (t) => `
      ${noStatementTimeout(t)}
      ALTER TABLE submissions ADD COLUMN first_reply_at ${t.instant};
      ${firstReplyBackfillSql(t.dialect)};
      ${firstReplyTriggerSql(t.dialect)}
      CREATE TABLE follow_up_counts (
        day TEXT NOT NULL,
        handling_unit TEXT NOT NULL,
        type TEXT NOT NULL,
        feedback_kind TEXT NOT NULL,
        category TEXT NOT NULL,
        n INTEGER NOT NULL,
        rated_1 INTEGER NOT NULL,
        rated_2 INTEGER NOT NULL,
        rated_3 INTEGER NOT NULL,
        rated_4 INTEGER NOT NULL,
        rated_5 INTEGER NOT NULL,
        in_time INTEGER NOT NULL,
        late INTEGER NOT NULL,
        without_deadline INTEGER NOT NULL,
        replied INTEGER NOT NULL,
        PRIMARY KEY (day, handling_unit, type, feedback_kind, category)
      );
      ${backfillSql(followUpCounts(t.dialect, 14))};
      ${countTriggersSql(t.dialect, followUpCounts(t.dialect, 14))}
      CREATE TABLE follow_up_pending (
        day TEXT NOT NULL,
        handling_unit TEXT NOT NULL,
        reply_by TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, handling_unit, reply_by)
      );
      ${backfillSql(followUpPending(t.dialect, 14))};
      ${countTriggersSql(t.dialect, followUpPending(t.dialect, 14))}
      CREATE INDEX submissions_first_replies ON submissions (received_at, handling_unit, first_reply_at) WHERE first_reply_at IS NOT NULL;
    `,
  },
  {
    version: 15,
    name: 'every errand knows its channel; answered at the first contact; files staff keep with an errand',
    // Errands before this step came by the web, the API or Open311. The Open311 ones name their
    // client; a form's post claimed a `form:` idempotency key and an API call with a key another
    // one, while the keys last (two days); older ones without either are counted as web.
    sql: (t) => `
      ${noStatementTimeout(t)}
      ALTER TABLE submissions ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
      UPDATE submissions SET channel = 'open311' WHERE open311_client_id IS NOT NULL;
      UPDATE submissions SET channel = 'api'
       WHERE open311_client_id IS NULL
         AND id IN (SELECT submission_id FROM idempotency_keys WHERE submission_id IS NOT NULL AND key NOT LIKE 'form:%');
      ALTER TABLE submissions ADD COLUMN answered_at_first_contact INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE submissions ADD COLUMN registered_by ${t.bigInteger} REFERENCES staff_users (id);
      CREATE TABLE case_files (
        id ${t.serialKey},
        public_id TEXT NOT NULL UNIQUE,
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        bytes ${t.bytes} NOT NULL,
        created_at ${t.instant} NOT NULL
      );
      CREATE INDEX case_files_submission ON case_files (submission_id);
    `,
  },
  {
    version: 16,
    name: 'the one e-mail address: messages read from the mailbox, once each; outgoing e-mail with its own Message-ID',
    // Mail queued before this step gets a random id of its own here, as new mail does when queued.
    // inbound_messages.message_id is the exactly-once guard: a Message-ID, or the hash of the raw
    // message when it has none. `subject` threads the portal's replies and goes with the purge.
    sql: (t) => `
      ALTER TABLE outgoing_emails ADD COLUMN message_token TEXT;
      UPDATE outgoing_emails SET message_token = ${t.only({ sqlite: 'lower(hex(randomblob(16)))', postgres: "replace(gen_random_uuid()::text, '-', '')" })};
      ALTER TABLE outgoing_emails ADD COLUMN written_by_person INTEGER NOT NULL DEFAULT 0;
      CREATE UNIQUE INDEX outgoing_emails_message_token ON outgoing_emails (message_token);
      CREATE TABLE inbound_messages (
        id ${t.serialKey},
        message_id TEXT NOT NULL UNIQUE,
        submission_id ${t.bigInteger} REFERENCES submissions (id),
        outcome TEXT NOT NULL,
        sender TEXT,
        subject TEXT,
        received_at ${t.instant} NOT NULL
      );
      CREATE INDEX inbound_messages_submission ON inbound_messages (submission_id) WHERE submission_id IS NOT NULL;
    `,
  },
  {
    version: 17,
    name: 'SMS in and out: the gateway deliveries taken once, the queue of SMS to send',
    // An inbound SMS is kept only as the gateway's id with the errand it went to: the text and the
    // number are in the errand. The queue holds what is sent until the purge takes it; a message
    // the gateway refused for good is marked failed, with why, and is not tried again.
    sql: (t) => `
      CREATE TABLE inbound_sms (
        gateway_id TEXT PRIMARY KEY,
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        received_at ${t.instant} NOT NULL
      );
      CREATE TABLE outgoing_sms (
        id ${t.serialKey},
        submission_id ${t.bigInteger} NOT NULL REFERENCES submissions (id),
        recipient TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at ${t.instant} NOT NULL,
        next_attempt_at ${t.instant} NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at ${t.instant},
        failed_at ${t.instant},
        last_error TEXT,
        gateway_id TEXT
      );
      CREATE INDEX outgoing_sms_due ON outgoing_sms (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
      -- An answer is matched to the latest SMS sent to its number.
      CREATE INDEX outgoing_sms_recipient ON outgoing_sms (recipient, created_at);
      CREATE INDEX outgoing_sms_submission ON outgoing_sms (submission_id);
    `,
  },
  {
    version: 18,
    name: 'follow-up: the kept counts by channel, with the errands answered at the first contact',
    // The kept counts are made again, as aggregates.ts now describes them, with the channel in
    // their key (the backfill counts every errand as migration 15 filled its channel in); the
    // per-channel reply times read their own index, a seek per channel.
    sql: (t) => `
      ${noStatementTimeout(t)}
      ${dropCountTriggersSql(t.dialect, followUpCounts(t.dialect, 14))}
      DROP TABLE follow_up_counts;
      ${createTableSql(followUpCounts(t.dialect, 18))};
      ${backfillSql(followUpCounts(t.dialect, 18))};
      ${countTriggersSql(t.dialect, followUpCounts(t.dialect, 18))}
      ${dropCountTriggersSql(t.dialect, followUpPending(t.dialect, 14))}
      DROP TABLE follow_up_pending;
      ${createTableSql(followUpPending(t.dialect, 18))};
      ${backfillSql(followUpPending(t.dialect, 18))};
      ${countTriggersSql(t.dialect, followUpPending(t.dialect, 18))}
      CREATE INDEX submissions_channel_first_replies ON submissions (channel, received_at, handling_unit, first_reply_at) WHERE first_reply_at IS NOT NULL;
    `,
  },
];

/** The migrations as `dialect` runs them, oldest first. */
export function migrationsFor(dialect: Dialect): Migration[] {
  return MIGRATIONS.map(({ version, name, sql }) => ({
    version,
    name,
    sql: sql(DIALECTS[dialect]),
  }));
}
