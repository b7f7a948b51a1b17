/**
 * When storage cannot take a write the API answers 503 with Retry-After and stores nothing,
 * /healthz says so, and once storage is back the same request goes through. On SQLite another
 * process holds the write lock; on PostgreSQL the database goes away altogether (a proxy
 * between server and database cuts every connection). Also the 409 of a key whose first
 * request is still being handled.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createSubmissionSchema } from '../../src/lib/intake/schema';
import { submissionFingerprint } from '../../src/server/intake';
import { POSTGRES_TEST_URL, urlWithSchema } from '../helpers/postgres';
import { startServer } from '../helpers/server';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { countSubmissions, expectProblem, postSubmission, rawRequest, readConfig, rowsWithMessage, sv, uniqueText, withDatabase } from './support';

const url = inject('url');
const databaseUrl = inject('databaseUrl');
const databaseKind = inject('databaseKind');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function expectUnavailable(serverUrl: string, body: unknown, idempotencyKey: string): Promise<void> {
  const health = await rawRequest(`${serverUrl}/healthz`);
  const refusedHealth = expectProblem(health, 503);
  expect(refusedHealth.detail).toBe(sv['api.problem.503.storage']);
  expect(health.headers['retry-after']).toBe('5');

  const refused = await postSubmission(serverUrl, body, { 'Idempotency-Key': idempotencyKey });
  const problem = expectProblem(refused, 503);
  expect(problem.detail).toBe(sv['api.problem.503.storage']);
  expect(refused.headers['retry-after']).toBe('5');
}

describe.runIf(databaseKind === 'sqlite')('SQLite locked by another process', () => {
  it('answers 503 with Retry-After, stores nothing, and takes the same request once the lock is gone', { timeout: 30_000 }, async () => {
    const body = { type: 'question', message: uniqueText('Låst databas'), contact: null };
    const idempotencyKey = `locked-${Date.now()}`;
    const before = await countSubmissions();
    const writer = new Database(databaseUrl.slice('sqlite:'.length), { fileMustExist: true });
    cleanups.push(() => {
      writer.close();
    });
    writer.exec('BEGIN EXCLUSIVE');

    await expectUnavailable(url, body, idempotencyKey);

    writer.exec('ROLLBACK');
    expect(await countSubmissions()).toBe(before);
    expect((await rawRequest(`${url}/healthz`)).status).toBe(200);
    const accepted = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(accepted.status, accepted.text).toBe(201);
    expect(await countSubmissions()).toBe(before + 1);
  });
});

describe.runIf(databaseKind === 'postgres')('PostgreSQL gone', () => {
  it('answers 503 with Retry-After while the database is down, and takes the same request when it is back', { timeout: 60_000 }, async () => {
    const target = new URL(POSTGRES_TEST_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(() => proxy.close());
    // A server of its own whose only way to the database runs through the proxy.
    const schema = new URL(databaseUrl).searchParams.get('options')?.replace('-c search_path=', '') ?? 'public';
    const viaProxy = new URL(urlWithSchema(POSTGRES_TEST_URL, schema));
    viaProxy.port = String(proxy.port);
    const server = await startServer({ databaseUrl: viaProxy.href });
    cleanups.push(() => server.stop());

    const body = { type: 'fault_report', category: readConfig().faultCategories[0]!.id, location: { description: 'Hamnvägen' }, message: uniqueText('Databasen borta'), contact: null };
    const idempotencyKey = `db-down-${Date.now()}`;
    const before = await countSubmissions();
    await proxy.cut();

    await expectUnavailable(server.url, body, idempotencyKey);
    // Pages that need the database say so too, instead of failing with 500.
    const statusPage = await rawRequest(`${server.url}/arende/${'x'.repeat(32)}`);
    expect(statusPage.status).toBe(503);

    await proxy.restore();
    expect(await countSubmissions()).toBe(before);
    await expect.poll(async () => (await rawRequest(`${server.url}/healthz`)).status, { timeout: 10_000 }).toBe(200);
    const accepted = await postSubmission(server.url, body, { 'Idempotency-Key': idempotencyKey });
    expect(accepted.status, accepted.text).toBe(201);
    expect((await rowsWithMessage(body.message)).map((row) => row.reference)).toEqual([accepted.json().reference]);
    // The server logged the outage without the message it was refusing.
    expect(server.output()).toContain('"event":"storage_unavailable"');
    expect(server.output()).not.toContain(body.message);
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
    await withDatabase((db) =>
      db.query('INSERT INTO idempotency_keys (key, fingerprint, claimed_at) VALUES (?, ?, ?)', [
        idempotencyKey,
        submissionFingerprint(schema.parse(body)),
        new Date().toISOString(),
      ]),
    );
    const before = await countSubmissions();

    const busy = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expectProblem(busy, 409);
    expect(busy.headers['retry-after']).toBe('1');
    expect(await countSubmissions()).toBe(before);

    // The first request died two minutes ago: the key is free for the retry.
    await withDatabase((db) =>
      db.query('UPDATE idempotency_keys SET claimed_at = ? WHERE key = ?', [new Date(Date.now() - 120_000).toISOString(), idempotencyKey]),
    );
    const retried = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(retried.status, retried.text).toBe(201);
    expect(await countSubmissions()).toBe(before + 1);
  });
});
