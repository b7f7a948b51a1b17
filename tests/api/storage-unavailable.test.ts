/**
 * When storage cannot take a write — here because another process holds SQLite's write lock —
 * the API answers 503 with Retry-After and stores nothing, /healthz says so, and once the lock
 * is gone the same request goes through. Also the 409 of a key whose first request is still
 * being handled, which one process on SQLite otherwise never shows (it finishes each request
 * before starting the next).
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createSubmissionSchema } from '../../src/lib/intake/schema';
import { submissionFingerprint } from '../../src/server/intake';
import { countSubmissions, expectProblem, postSubmission, rawRequest, readConfig, sv, uniqueText } from './support';

const url = inject('url');
const databasePath = inject('databasePath');

const writers: Database.Database[] = [];
afterEach(() => {
  for (const writer of writers.splice(0)) {
    if (writer.inTransaction) writer.exec('ROLLBACK');
    writer.close();
  }
});

/** A second connection to the server's database file, allowed to write. */
function openWriter(): Database.Database {
  const writer = new Database(databasePath, { fileMustExist: true });
  writers.push(writer);
  return writer;
}

describe('storage that cannot take a write', () => {
  it('answers 503 with Retry-After, stores nothing, and takes the same request once storage is back', { timeout: 30_000 }, async () => {
    const body = { type: 'question', message: uniqueText('Låst databas'), contact: null };
    const idempotencyKey = `locked-${Date.now()}`;
    const before = countSubmissions(databasePath);
    const writer = openWriter();
    writer.exec('BEGIN EXCLUSIVE');

    const health = await rawRequest(`${url}/healthz`);
    const refusedHealth = expectProblem(health, 503);
    expect(refusedHealth.detail).toBe(sv['api.problem.503.storage']);
    expect(health.headers['retry-after']).toBe('5');

    const refused = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expectProblem(refused, 503);
    expect(refused.headers['retry-after']).toBe('5');

    writer.exec('ROLLBACK');
    expect(countSubmissions(databasePath)).toBe(before);
    expect((await rawRequest(`${url}/healthz`)).status).toBe(200);
    const accepted = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(accepted.status, accepted.text).toBe(201);
    expect(countSubmissions(databasePath)).toBe(before + 1);
  });
});

describe('an Idempotency-Key whose first request is still being handled', () => {
  const config = readConfig();
  const schema = createSubmissionSchema({
    unitIds: config.units.map((unit) => unit.id),
    categoryIds: config.faultCategories.map((category) => category.id),
  });

  it('gets 409 with Retry-After while the claim is fresh, and is taken over once the claim is abandoned', async () => {
    const body = { type: 'question', message: uniqueText('Pågående'), contact: null };
    const idempotencyKey = `in-progress-${Date.now()}`;
    // What a first request that is still running has left behind: a claim without a submission.
    const writer = openWriter();
    const claim = writer.prepare('INSERT INTO idempotency_keys (key, fingerprint, claimed_at) VALUES (?, ?, ?)');
    claim.run(idempotencyKey, submissionFingerprint(schema.parse(body)), new Date().toISOString());
    const before = countSubmissions(databasePath);

    const busy = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expectProblem(busy, 409);
    expect(busy.headers['retry-after']).toBe('1');
    expect(countSubmissions(databasePath)).toBe(before);

    // The first request died two minutes ago: the key is free for the retry.
    writer
      .prepare('UPDATE idempotency_keys SET claimed_at = ? WHERE key = ?')
      .run(new Date(Date.now() - 120_000).toISOString(), idempotencyKey);
    const retried = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(retried.status, retried.text).toBe(201);
    expect(countSubmissions(databasePath)).toBe(before + 1);
  });
});
