/**
 * Errands stored before channels were recorded get theirs from how they came: an Open311 client
 * names itself, a form's post and an API call with an Idempotency-Key left their key (kept two
 * days), and the rest are counted as web. Migrates a real SQLite file and a real PostgreSQL
 * schema to just before the channel step, stores such errands, then lets the store migrate on.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFor } from '../../src/server/storage/migrations';
import { openPostgresStore } from '../../src/server/storage/postgres';
import { openSqliteStore } from '../../src/server/storage/sqlite';
import { createTestSchema, postgresUnavailableReason } from '../helpers/postgres';

const CHANNEL_STEP = 15;

/** Four errands as the portal stored them before the channel step, with what their channel must become. */
const ERRANDS = [
  { reference: 'VDO-2026-000001', open311: true, key: null, channel: 'open311' },
  { reference: 'VDO-2026-000002', open311: false, key: 'form:4a1e3c9e-0d1f-4c55-9a55-0b6f1d0e7a11', channel: 'web' },
  { reference: 'VDO-2026-000003', open311: false, key: 'client-key-8f2b', channel: 'api' },
  { reference: 'VDO-2026-000004', open311: false, key: null, channel: 'web' },
] as const;

type Run = (sql: string, params?: unknown[]) => Promise<void>;

async function storeOldErrands(run: Run, placeholder: (n: number) => string): Promise<void> {
  const p = (count: number, from = 1) => Array.from({ length: count }, (_, index) => placeholder(from + index)).join(', ');
  await run(`INSERT INTO open311_clients (id, name, key_hash, created_at) VALUES (${p(4)})`, [1, 'Felanmälan-appen', 'hash', '2026-11-02T08:00:00Z']);
  for (const [index, errand] of ERRANDS.entries()) {
    const id = index + 1;
    await run(
      `INSERT INTO submissions (id, reference, type, language, received_at, reply_by, handling_unit, status_token_hash, payload, open311_client_id)
       VALUES (${p(10)})`,
      [id, errand.reference, 'question', 'sv', '2026-11-02T09:00:00Z', '2026-11-04', 'kontaktcenter', `token-${id}`, '{"type":"question","message":"Hej","contact":null,"language":"sv"}', errand.open311 ? 1 : null],
    );
    if (errand.key) {
      await run(`INSERT INTO idempotency_keys (key, fingerprint, submission_id, status_token, claimed_at) VALUES (${p(5)})`, [errand.key, 'f', id, 's', '2026-11-02T09:00:00Z']);
    }
  }
}

const expected = Object.fromEntries(ERRANDS.map((errand) => [errand.reference, errand.channel]));

describe('errands from before channels', () => {
  const directory = mkdtempSync(join(tmpdir(), 'channel-backfill-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('get web, api or open311 by how they came (SQLite)', async () => {
    const path = join(directory, 'old.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const migration of migrationsFor('sqlite').filter((step) => step.version < CHANNEL_STEP)) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    }
    await storeOldErrands(async (sql, params = []) => void db.prepare(sql).run(...params), () => '?');
    db.close();

    await openSqliteStore(path).close();
    const migrated = new Database(path, { readonly: true });
    const rows = migrated.prepare('SELECT reference, channel FROM submissions ORDER BY id').all() as { reference: string; channel: string }[];
    migrated.close();
    expect(Object.fromEntries(rows.map((row) => [row.reference, row.channel]))).toEqual(expected);
  });

  it('get web, api or open311 by how they came (PostgreSQL)', async (context) => {
    const unavailable = await postgresUnavailableReason();
    if (unavailable) {
      console.warn(`channel backfill: PostgreSQL skipped — ${unavailable}`);
      context.skip();
    }
    const schema = await createTestSchema();
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
      for (const migration of migrationsFor('postgres').filter((step) => step.version < CHANNEL_STEP)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [migration.version, migration.name]);
      }
      await storeOldErrands(async (sql, params = []) => void (await client.query(sql, params)), (n) => `$${n}`);
      await client.query("SELECT setval(pg_get_serial_sequence('submissions', 'id'), 4)");

      await (await openPostgresStore(schema.url)).close();
      const rows = (await client.query<{ reference: string; channel: string }>('SELECT reference, channel FROM submissions ORDER BY id')).rows;
      expect(Object.fromEntries(rows.map((row) => [row.reference, row.channel]))).toEqual(expected);
    } finally {
      await client.end();
      await schema.drop();
    }
  });
});
