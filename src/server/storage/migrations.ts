/**
 * Schema migrations, applied in order at start-up. Each runs once, inside a transaction, and is
 * recorded in schema_migrations. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
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
];
