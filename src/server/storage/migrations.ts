/**
 * Schema migrations, applied in order at start-up. Each runs once, inside a transaction, and is
 * recorded in schema_migrations. Never edit a released migration: add the next one.
 */
import { backfillSql, countTriggersSql, firstReplyBackfillSql, firstReplyTriggerSql, followUpCounts, followUpPending, SUBMISSION_COUNTS } from './aggregates';
import type { Dialect } from './sql';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Written the same for both databases: the holder's id, host name and process id are text, text and an integer in each. */
const CLAIM_HOLDER_MIGRATION: Migration = {
  version: 11,
  name: 'idempotency keys record the process that holds them, so a crashed holder’s key is taken over at once',
  sql: `
    ALTER TABLE idempotency_keys ADD COLUMN holder_id TEXT;
    ALTER TABLE idempotency_keys ADD COLUMN holder_host TEXT;
    ALTER TABLE idempotency_keys ADD COLUMN holder_pid INTEGER;
  `,
};

/**
 * Each queued e-mail knows its language (its Content-Language). Messages queued before take the
 * language their HTML part was written in, found by each dialect's own string functions.
 */
function emailLanguageMigration(languageFromHtml: string): Migration {
  return {
    version: 12,
    name: 'each queued e-mail knows its language (its Content-Language)',
    sql: `
      ALTER TABLE outgoing_emails ADD COLUMN language TEXT NOT NULL DEFAULT 'sv';
      ${languageFromHtml};
    `,
  };
}

/**
 * A backfill of a million errands takes longer than the pool's statement timeout (made for
 * requests); on PostgreSQL the migration's transaction lifts it. SQLite has none.
 */
function noStatementTimeout(dialect: Dialect): string {
  return dialect === 'postgres' ? 'SET LOCAL statement_timeout = 0;' : '';
}

/**
 * The inbox and the public fault list read pages by seeking in an index that matches each filter
 * and sort, and their totals from counts kept by triggers (see aggregates.ts), never by scanning.
 * `newestIndex` is the (received_at, id) order: SQLite's index on received_at already ends in the rowid.
 */
function readIndexesMigration(dialect: Dialect, newestIndex: string): Migration {
  return {
    version: 13,
    name: 'the inbox and the public fault list: counts kept by triggers, and an index for each filter and sort',
    sql: `
      ${noStatementTimeout(dialect)}
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
      ${countTriggersSql(dialect, SUBMISSION_COUNTS)}
      ${newestIndex}
      CREATE INDEX submissions_unit_newest ON submissions (handling_unit, received_at, id);
      CREATE INDEX submissions_unit_status_type_newest ON submissions (handling_unit, status, type, received_at, id);
      CREATE INDEX submissions_due ON submissions (reply_by, id);
      -- Partial, so that no planner takes the dated errands' index for the undated ones (and sorts them).
      CREATE INDEX submissions_unit_due ON submissions (handling_unit, reply_by, id) WHERE reply_by IS NOT NULL;
      CREATE INDEX submissions_unit_undated ON submissions (handling_unit, id) WHERE reply_by IS NULL;
      -- Overdue errands are counted from the open ones with a deadline alone, by every inbox filter.
      CREATE INDEX submissions_overdue ON submissions (reply_by, handling_unit, type, feedback_kind, category, status)
        WHERE status IN ('received', 'in_progress') AND reply_by IS NOT NULL;
      CREATE INDEX submissions_public_faults ON submissions (type, status, received_at, id) WHERE purged_at IS NULL;
      CREATE INDEX submissions_public_fault_categories ON submissions (type, category, status, received_at, id) WHERE purged_at IS NULL;
    `,
  };
}

/**
 * The follow-up figures from counts per Swedish day, kept by triggers; each errand's first reply
 * kept on the errand (by a trigger on its history), and an index to take the reply times from.
 */
function followUpCountsMigration(dialect: Dialect, instantType: string): Migration {
  const counts = followUpCounts(dialect);
  const pending = followUpPending(dialect);
  return {
    version: 14,
    name: 'follow-up: counts per Swedish day kept by triggers, and each errand’s first reply on the errand',
    sql: `
      ${noStatementTimeout(dialect)}
      ALTER TABLE submissions ADD COLUMN first_reply_at ${instantType};
      ${firstReplyBackfillSql(dialect)};
      ${firstReplyTriggerSql(dialect)}
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
      ${backfillSql(counts)};
      ${countTriggersSql(dialect, counts)}
      CREATE TABLE follow_up_pending (
        day TEXT NOT NULL,
        handling_unit TEXT NOT NULL,
        reply_by TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, handling_unit, reply_by)
      );
      ${backfillSql(pending)};
      ${countTriggersSql(dialect, pending)}
      CREATE INDEX submissions_first_replies ON submissions (received_at, handling_unit, first_reply_at) WHERE first_reply_at IS NOT NULL;
    `,
  };
}

/** Migrations for SQLite. PostgreSQL has the same versions below, in its own dialect. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'submissions, reference counters and idempotency keys',
    sql: `
      CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        language TEXT NOT NULL,
        received_at TEXT NOT NULL,
        reply_by TEXT,
        handling_unit TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        status_token_hash TEXT NOT NULL UNIQUE,
        feedback_kind TEXT,
        category TEXT,
        unit TEXT,
        payload TEXT NOT NULL
      );
      CREATE INDEX submissions_received_at ON submissions (received_at);
      CREATE TABLE reference_counters (
        year INTEGER PRIMARY KEY,
        last_number INTEGER NOT NULL
      );
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        submission_id INTEGER REFERENCES submissions (id),
        status_token TEXT,
        claimed_at TEXT NOT NULL
      );
      CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
    `,
  },
  {
    version: 2,
    name: 'photos: attached to a submission, or waiting under a form token',
    sql: `
      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        submission_id INTEGER REFERENCES submissions (id),
        form_token TEXT,
        content_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX attachments_submission ON attachments (submission_id);
      CREATE INDEX attachments_form_token ON attachments (form_token);
    `,
  },
  {
    version: 3,
    name: 'rate-limit counters and secrets shared by every server instance',
    sql: `
      CREATE TABLE rate_limit_windows (
        client_key TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (client_key, window_start)
      );
      CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);
      CREATE TABLE shared_secrets (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'case handling: staff, sessions, sign-in throttling, the errand history, ratings and outgoing e-mail',
    sql: `
      CREATE TABLE staff_users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('caseworker', 'manager', 'admin')),
        units TEXT NOT NULL,
        password_hash TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES staff_users (id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
      CREATE TABLE sign_in_failures (
        email TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until TEXT
      );
      ALTER TABLE submissions ADD COLUMN assigned_user_id INTEGER REFERENCES staff_users (id);
      ALTER TABLE submissions ADD COLUMN answered_at TEXT;
      ALTER TABLE submissions ADD COLUMN rating INTEGER;
      ALTER TABLE submissions ADD COLUMN rating_comment TEXT;
      CREATE INDEX submissions_handling_unit ON submissions (handling_unit, status);
      CREATE TABLE submission_events (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        created_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        staff_user_id INTEGER REFERENCES staff_users (id),
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX submission_events_submission ON submission_events (submission_id, id);
      -- The history is a record: what was done stays as it was done.
      CREATE TRIGGER submission_events_no_update BEFORE UPDATE ON submission_events
        BEGIN SELECT RAISE(ABORT, 'submission_events is append-only'); END;
      CREATE TRIGGER submission_events_no_delete BEFORE DELETE ON submission_events
        BEGIN SELECT RAISE(ABORT, 'submission_events is append-only'); END;
      CREATE TABLE outgoing_emails (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER REFERENCES submissions (id),
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        text_body TEXT NOT NULL,
        html_body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        next_attempt_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT,
        last_error TEXT
      );
      CREATE INDEX outgoing_emails_due ON outgoing_emails (sent_at, next_attempt_at);
      -- Further status links (one per e-mail that carries one); like the first, only hashes.
      CREATE TABLE status_links (
        token_hash TEXT PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: '"was this page helpful?" answers, without personal data',
    sql: `
      CREATE TABLE page_feedback (
        id INTEGER PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        page TEXT NOT NULL,
        language TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        comment TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX page_feedback_page ON page_feedback (page, created_at);
    `,
  },
  {
    version: 6,
    name: 'published e-proposals and their supporters',
    sql: `
      ALTER TABLE submissions ADD COLUMN published_at TEXT;
      ALTER TABLE submissions ADD COLUMN closes_on TEXT;
      ALTER TABLE submissions ADD COLUMN threshold_reached_at TEXT;
      ALTER TABLE submissions ADD COLUMN closed_at TEXT;
      CREATE TABLE proposal_supports (
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        supporter TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        confirmed_at TEXT,
        PRIMARY KEY (submission_id, supporter)
      );
    `,
  },
  {
    version: 7,
    name: '"this is my problem too": supports of open fault reports',
    sql: `
      CREATE INDEX submissions_type_status ON submissions (type, status, category);
      -- An e-mail address is kept only until the notice that the fault is fixed has gone out.
      CREATE TABLE fault_supports (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        email TEXT,
        language TEXT NOT NULL,
        created_at TEXT NOT NULL,
        notified_at TEXT
      );
      CREATE INDEX fault_supports_submission ON fault_supports (submission_id);
      CREATE UNIQUE INDEX fault_supports_email ON fault_supports (submission_id, email);
    `,
  },
  {
    version: 8,
    name: 'gallring: purged errands, the log of retention runs, and a history that only a purge may redact',
    sql: `
      ALTER TABLE submissions ADD COLUMN purged_at TEXT;
      CREATE INDEX submissions_not_purged ON submissions (status, type) WHERE purged_at IS NULL;
      CREATE TABLE retention_runs (
        id INTEGER PRIMARY KEY,
        triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'cli', 'admin')),
        decision_reference TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        counts TEXT NOT NULL
      );
      CREATE INDEX retention_runs_started ON retention_runs (triggered_by, started_at);
      -- The history stays a record of what was done, when and by whom. The one change allowed is
      -- a purge taking the texts (personal data) out of the entries of an errand it has purged.
      DROP TRIGGER submission_events_no_update;
      CREATE TRIGGER submission_events_redaction_only BEFORE UPDATE ON submission_events
        WHEN NOT (NEW.id = OLD.id AND NEW.submission_id = OLD.submission_id AND NEW.created_at = OLD.created_at
          AND NEW.actor = OLD.actor AND NEW.staff_user_id IS OLD.staff_user_id AND NEW.kind = OLD.kind
          AND NEW.data = json_remove(OLD.data, '$.text', '$.comment')
          AND (SELECT purged_at FROM submissions WHERE id = OLD.submission_id) IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'submission_events is append-only: a purge may only take its texts out'); END;
    `,
  },
  {
    version: 9,
    name: 'Open311 clients and their API keys; fault reports record the client they came through',
    sql: `
      -- Only a hash of each key is kept: a copy of the database lets no one post in a client's name.
      CREATE TABLE open311_clients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      ALTER TABLE submissions ADD COLUMN open311_client_id INTEGER REFERENCES open311_clients (id);
    `,
  },
  {
    version: 10,
    name: 'follow-up: its figures and an errand’s first reply read from indexes alone',
    sql: `
      CREATE INDEX submissions_follow_up ON submissions (received_at, handling_unit, type, feedback_kind, category, rating, reply_by);
      CREATE INDEX submission_events_first_reply ON submission_events (submission_id, kind, created_at);
    `,
  },
  CLAIM_HOLDER_MIGRATION,
  emailLanguageMigration(`UPDATE outgoing_emails SET language = substr(html_body, instr(html_body, 'lang="') + 6, 2) WHERE instr(html_body, 'lang="') > 0`),
  readIndexesMigration('sqlite', ''),
  followUpCountsMigration('sqlite', 'TEXT'),
];

/** Migrations for PostgreSQL: the same versions as SQLITE_MIGRATIONS. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'submissions, reference counters and idempotency keys',
    sql: `
      CREATE TABLE submissions (
        id BIGSERIAL PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        language TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL,
        reply_by TEXT,
        handling_unit TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        status_token_hash TEXT NOT NULL UNIQUE,
        feedback_kind TEXT,
        category TEXT,
        unit TEXT,
        payload JSONB NOT NULL
      );
      CREATE INDEX submissions_received_at ON submissions (received_at);
      CREATE TABLE reference_counters (
        year INTEGER PRIMARY KEY,
        last_number INTEGER NOT NULL
      );
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        submission_id BIGINT REFERENCES submissions (id),
        status_token TEXT,
        claimed_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
    `,
  },
  {
    version: 2,
    name: 'photos: attached to a submission, or waiting under a form token',
    sql: `
      CREATE TABLE attachments (
        id BIGSERIAL PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        submission_id BIGINT REFERENCES submissions (id),
        form_token TEXT,
        content_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes BYTEA NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX attachments_submission ON attachments (submission_id);
      CREATE INDEX attachments_form_token ON attachments (form_token);
    `,
  },
  {
    version: 3,
    name: 'rate-limit counters and secrets shared by every server instance',
    sql: `
      CREATE TABLE rate_limit_windows (
        client_key TEXT NOT NULL,
        window_start BIGINT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (client_key, window_start)
      );
      CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);
      CREATE TABLE shared_secrets (
        name TEXT PRIMARY KEY,
        value BYTEA NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'case handling: staff, sessions, sign-in throttling, the errand history, ratings and outgoing e-mail',
    sql: `
      CREATE TABLE staff_users (
        id BIGSERIAL PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('caseworker', 'manager', 'admin')),
        units TEXT NOT NULL,
        password_hash TEXT,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES staff_users (id),
        csrf_token TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
      CREATE TABLE sign_in_failures (
        email TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until TIMESTAMPTZ
      );
      ALTER TABLE submissions ADD COLUMN assigned_user_id BIGINT REFERENCES staff_users (id);
      ALTER TABLE submissions ADD COLUMN answered_at TIMESTAMPTZ;
      ALTER TABLE submissions ADD COLUMN rating INTEGER;
      ALTER TABLE submissions ADD COLUMN rating_comment TEXT;
      CREATE INDEX submissions_handling_unit ON submissions (handling_unit, status);
      CREATE TABLE submission_events (
        id BIGSERIAL PRIMARY KEY,
        submission_id BIGINT NOT NULL REFERENCES submissions (id),
        created_at TIMESTAMPTZ NOT NULL,
        actor TEXT NOT NULL,
        staff_user_id BIGINT REFERENCES staff_users (id),
        kind TEXT NOT NULL,
        data JSONB NOT NULL
      );
      CREATE INDEX submission_events_submission ON submission_events (submission_id, id);
      -- The history is a record: what was done stays as it was done.
      CREATE FUNCTION submission_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'submission_events is append-only'; END $$;
      CREATE TRIGGER submission_events_no_change BEFORE UPDATE OR DELETE ON submission_events
        FOR EACH ROW EXECUTE FUNCTION submission_events_append_only();
      CREATE TABLE outgoing_emails (
        id BIGSERIAL PRIMARY KEY,
        submission_id BIGINT REFERENCES submissions (id),
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        text_body TEXT NOT NULL,
        html_body TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        next_attempt_at TIMESTAMPTZ NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at TIMESTAMPTZ,
        last_error TEXT
      );
      CREATE INDEX outgoing_emails_due ON outgoing_emails (sent_at, next_attempt_at);
      -- Further status links (one per e-mail that carries one); like the first, only hashes.
      CREATE TABLE status_links (
        token_hash TEXT PRIMARY KEY,
        submission_id BIGINT NOT NULL REFERENCES submissions (id),
        created_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: '"was this page helpful?" answers, without personal data',
    sql: `
      CREATE TABLE page_feedback (
        id BIGSERIAL PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        page TEXT NOT NULL,
        language TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        comment TEXT,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX page_feedback_page ON page_feedback (page, created_at);
    `,
  },
  {
    version: 6,
    name: 'published e-proposals and their supporters',
    sql: `
      ALTER TABLE submissions ADD COLUMN published_at TIMESTAMPTZ;
      ALTER TABLE submissions ADD COLUMN closes_on TEXT;
      ALTER TABLE submissions ADD COLUMN threshold_reached_at TIMESTAMPTZ;
      ALTER TABLE submissions ADD COLUMN closed_at TIMESTAMPTZ;
      CREATE TABLE proposal_supports (
        submission_id BIGINT NOT NULL REFERENCES submissions (id),
        supporter TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        confirmed_at TIMESTAMPTZ,
        PRIMARY KEY (submission_id, supporter)
      );
    `,
  },
  {
    version: 7,
    name: '"this is my problem too": supports of open fault reports',
    sql: `
      CREATE INDEX submissions_type_status ON submissions (type, status, category);
      -- An e-mail address is kept only until the notice that the fault is fixed has gone out.
      CREATE TABLE fault_supports (
        id BIGSERIAL PRIMARY KEY,
        submission_id BIGINT NOT NULL REFERENCES submissions (id),
        email TEXT,
        language TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        notified_at TIMESTAMPTZ
      );
      CREATE INDEX fault_supports_submission ON fault_supports (submission_id);
      CREATE UNIQUE INDEX fault_supports_email ON fault_supports (submission_id, email);
    `,
  },
  {
    version: 8,
    name: 'gallring: purged errands, the log of retention runs, and a history that only a purge may redact',
    sql: `
      ALTER TABLE submissions ADD COLUMN purged_at TIMESTAMPTZ;
      CREATE INDEX submissions_not_purged ON submissions (status, type) WHERE purged_at IS NULL;
      CREATE TABLE retention_runs (
        id BIGSERIAL PRIMARY KEY,
        triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'cli', 'admin')),
        decision_reference TEXT,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        counts JSONB NOT NULL
      );
      CREATE INDEX retention_runs_started ON retention_runs (triggered_by, started_at);
      -- The history stays a record of what was done, when and by whom. The one change allowed is
      -- a purge taking the texts (personal data) out of the entries of an errand it has purged.
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
        FOR EACH ROW EXECUTE FUNCTION submission_events_redaction_only();
    `,
  },
  {
    version: 9,
    name: 'Open311 clients and their API keys; fault reports record the client they came through',
    sql: `
      -- Only a hash of each key is kept: a copy of the database lets no one post in a client's name.
      CREATE TABLE open311_clients (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      );
      ALTER TABLE submissions ADD COLUMN open311_client_id BIGINT REFERENCES open311_clients (id);
    `,
  },
  {
    version: 10,
    name: 'follow-up: its figures and an errand’s first reply read from indexes alone',
    sql: `
      CREATE INDEX submissions_follow_up ON submissions (received_at) INCLUDE (handling_unit, type, feedback_kind, category, rating, reply_by, id);
      CREATE INDEX submission_events_first_reply ON submission_events (submission_id, kind, created_at);
    `,
  },
  CLAIM_HOLDER_MIGRATION,
  emailLanguageMigration(`UPDATE outgoing_emails SET language = substring(html_body from 'lang="([a-z-]+)"') WHERE html_body ~ 'lang="[a-z-]+"'`),
  readIndexesMigration('postgres', 'CREATE INDEX submissions_newest ON submissions (received_at, id);'),
  followUpCountsMigration('postgres', 'TIMESTAMPTZ'),
];
