/**
 * What survives a crash, what a shutdown waits for, and what stops the server from starting:
 * each test runs its own server processes (on the database kind of the project), so the
 * shared server's database is not touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { repositoryRoot, startServer, type RunningServer } from '../helpers/server';
import { openTestDatabase } from '../helpers/database';
import { configPath, expectProblem, postSubmission, rawRequest, rowsWithMessage, sequenceOf, submissionRow, uniqueText, withDatabase, type RawResponse } from './support';

const database = inject('databaseKind');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function killHard(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    if (server.process.exitCode !== null || server.process.signalCode !== null) return resolve();
    server.process.once('exit', () => resolve());
    server.process.kill('SIGKILL');
  });
}

describe('a submission acknowledged with 201', () => {
  it('survives SIGKILL right after the answer, and its reference is never given again', { timeout: 60_000 }, async () => {
    const first = await startServer({ database });
    cleanups.push(() => first.stop());
    const body = { type: 'question', message: uniqueText('Överlever en krasch'), contact: { email: 'anna@example.se' } };
    const idempotencyKey = `durable-${Date.now()}`;

    const created = await postSubmission(first.url, body, { 'Idempotency-Key': idempotencyKey });
    await killHard(first);
    expect(created.status, created.text).toBe(201);
    expect(first.process.signalCode).toBe('SIGKILL');
    const receipt = created.json();

    // A new process on the same database.
    const second = await startServer({ databaseUrl: first.databaseUrl });
    cleanups.push(() => second.stop());

    const statusPath = new URL(receipt.statusUrl).pathname;
    const page = await rawRequest(`${second.url}${statusPath}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(receipt.reference);

    const row = await submissionRow(receipt.reference, first.databaseUrl);
    expect(row?.type).toBe('question');
    expect(JSON.parse(row!.payload).message).toBe(body.message);
    expect(row?.received_at).toBe(receipt.receivedAt);

    // The idempotency key survived too: the repeat gets the first answer, nothing new is stored.
    const repeat = await postSubmission(second.url, body, { 'Idempotency-Key': idempotencyKey });
    expect(repeat.status, repeat.text).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.json().reference).toBe(receipt.reference);

    const next = await postSubmission(second.url, { ...body, message: uniqueText('Efter omstarten') });
    expect(next.status, next.text).toBe(201);
    const nextReference = next.json().reference as string;
    expect(nextReference).not.toBe(receipt.reference);
    expect(nextReference.slice(0, -7)).toBe(receipt.reference.slice(0, -7));
    expect(sequenceOf(nextReference)).toBe(sequenceOf(receipt.reference) + 1);

    const references = await withDatabase((db) => db.query<{ reference: string }>('SELECT reference FROM submissions ORDER BY id'), first.databaseUrl);
    expect(references.map((r) => r.reference)).toEqual([receipt.reference, nextReference]);
  });

  it('survives SIGKILL in the middle of a load of concurrent submissions: every 201 is stored, no reference twice', { timeout: 90_000 }, async () => {
    const first = await startServer({ database });
    cleanups.push(() => first.stop());
    const run = uniqueText('Last');
    const acknowledged: { reference: string; message: string }[] = [];
    let killed = false;
    let sent = 0;
    // Twenty clients keep sending until the server dies under them, as a storm night would.
    const client = async () => {
      while (!killed) {
        const message = `${run} ${sent++}`;
        let response: RawResponse;
        try {
          response = await postSubmission(first.url, { type: 'question', message, contact: { email: 'last@example.se' } });
        } catch {
          return; // the connection died with the server: this one was never acknowledged
        }
        if (response.status === 201) acknowledged.push({ reference: response.json().reference, message });
        if (acknowledged.length >= 150 && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    };
    const exited = new Promise((resolve) => first.process.once('exit', resolve));
    await Promise.all(Array.from({ length: 20 }, client));
    if (first.process.signalCode === null) await exited;
    expect(first.process.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const rows = await withDatabase(
      (db) => db.query<{ reference: string; message: string }>(`SELECT reference, ${db.jsonText('payload', 'message')} AS message FROM submissions`),
      first.databaseUrl,
    );
    const stored = new Map(rows.map((row) => [row.reference, row.message]));
    expect(stored.size, 'a reference was stored twice').toBe(rows.length);
    for (const { reference, message } of acknowledged) expect(stored.get(reference), reference).toBe(message);
  });
});

/**
 * Makes a server that claims an idempotency key stop before it stores, so a test can kill it
 * right there: on PostgreSQL the test holds the reference counter's row; on SQLite (one writer,
 * no row locks) a trigger on the counter makes the server's storing transaction compute for a
 * long while. `release` undoes it once the server is dead.
 */
async function holdBeforeStoring(databaseUrl: string): Promise<{ release(): Promise<void> }> {
  const blocker = await openTestDatabase(databaseUrl);
  if (blocker.kind === 'postgres') {
    await blocker.query('BEGIN');
    await blocker.query('SELECT last_number FROM reference_counters FOR UPDATE');
    return { release: () => blocker.query('ROLLBACK').then(() => blocker.close()) };
  }
  await blocker.query(`CREATE TRIGGER test_slow_counter BEFORE UPDATE ON reference_counters BEGIN
      SELECT COUNT(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT i FROM n);
    END`);
  return { release: () => blocker.query('DROP TRIGGER test_slow_counter').then(() => blocker.close()) };
}

/** Waits until a server has claimed `key` (its claim is committed before it stores). */
async function untilClaimed(key: string, databaseUrl: string): Promise<void> {
  const claimed = async () => (await withDatabase((db) => db.query('SELECT 1 AS found FROM idempotency_keys WHERE key = ?', [key]), databaseUrl)).length > 0;
  while (!(await claimed())) await new Promise((wait) => setTimeout(wait, 50));
}

describe('an idempotency key claimed by a server that crashed', () => {
  it('is taken over by the restarted server at once, and no errand is stored twice', { timeout: 60_000 }, async () => {
    const first = await startServer({ database });
    cleanups.push(() => first.stop());
    // One errand first, so the year's reference counter exists to be held.
    expect((await postSubmission(first.url, { type: 'question', message: uniqueText('Räknaren finns'), contact: null })).status).toBe(201);
    const body = { type: 'question', message: uniqueText('Avbruten av en krasch'), contact: { email: 'anna@example.se' } };
    const key = `crashed-holder-${Date.now()}`;

    const hold = await holdBeforeStoring(first.databaseUrl);
    const cutOff = postSubmission(first.url, body, { 'Idempotency-Key': key }).then(
      () => 'answered',
      () => 'cut off',
    );
    await untilClaimed(key, first.databaseUrl);
    await killHard(first);
    expect(await cutOff).toBe('cut off');
    await hold.release();

    // The client retries at once on the restarted server: no minute of 409s.
    const second = await startServer({ databaseUrl: first.databaseUrl });
    cleanups.push(() => second.stop());
    const retry = await postSubmission(second.url, body, { 'Idempotency-Key': key });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const replay = await postSubmission(second.url, body, { 'Idempotency-Key': key });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().reference).toBe(retry.json().reference);
    expect((await rowsWithMessage(body.message, first.databaseUrl)).map((row) => row.reference)).toEqual([retry.json().reference]);
  });

  it.runIf(database === 'postgres')(
    'gives 409 while its holder on another instance lives, and is taken over by that instance once the holder is killed (PostgreSQL, two instances)',
    { timeout: 60_000 },
    async () => {
      const first = await startServer({ database });
      cleanups.push(() => first.stop());
      const second = await startServer({ databaseUrl: first.databaseUrl });
      cleanups.push(() => second.stop());
      expect((await postSubmission(first.url, { type: 'question', message: uniqueText('Räknaren finns'), contact: null })).status).toBe(201);
      const body = { type: 'question', message: uniqueText('Hålls av en levande instans'), contact: { email: 'anna@example.se' } };
      const key = `live-holder-${Date.now()}`;

      const hold = await holdBeforeStoring(first.databaseUrl);
      const inFlight = postSubmission(first.url, body, { 'Idempotency-Key': key }).catch(() => undefined);
      await untilClaimed(key, first.databaseUrl);

      expectProblem(await postSubmission(second.url, body, { 'Idempotency-Key': key }), 409);

      await killHard(first);
      await hold.release();
      await inFlight;
      const retry = await postSubmission(second.url, body, { 'Idempotency-Key': key });
      expect(retry.status, retry.text).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect((await rowsWithMessage(body.message, first.databaseUrl)).map((row) => row.reference)).toEqual([retry.json().reference]);
      const replay = await postSubmission(second.url, body, { 'Idempotency-Key': key });
      expect(replay.headers['idempotent-replayed']).toBe('true');
    },
  );
});

describe('SIGTERM', () => {
  it('lets a request in flight finish and be acknowledged before the server exits', { timeout: 30_000 }, async () => {
    const server = await startServer({ database });
    cleanups.push(() => server.stop());
    const body = JSON.stringify({ type: 'question', message: uniqueText('Under avstängning'), contact: null });
    // The body arrives in two halves; SIGTERM comes between them.
    const half = Math.floor(body.length / 2);
    const answer = rawRequest(`${server.url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      chunks: [Buffer.from(body.slice(0, half)), Buffer.from(body.slice(half))],
      pauseBetweenChunksMs: 1_000,
    });
    await new Promise((wait) => setTimeout(wait, 300));
    server.process.kill('SIGTERM');
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));

    const response = await answer;
    expect(response.status, response.text).toBe(201);
    expect(await exited).toBe(0);
    const row = await submissionRow(response.json().reference, server.databaseUrl);
    expect(JSON.parse(row!.payload).message).toBe(JSON.parse(body).message);
    // Nothing new is accepted once draining has begun.
    await expect(rawRequest(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('a broken municipality configuration', () => {
  interface Exit {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }

  /** Runs `node server.mjs` with the given configuration file and waits for it to exit. */
  async function runServerWithConfig(configFile: Record<string, unknown>): Promise<Exit> {
    const directory = mkdtempSync(join(tmpdir(), 'en-vag-in-config-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const path = join(directory, 'municipality.json');
    writeFileSync(path, JSON.stringify(configFile, null, 2));
    const child = spawn(process.execPath, ['server.mjs'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        MUNICIPALITY_CONFIG: path,
        DATABASE_URL: `sqlite:${join(directory, 'portal.sqlite')}`,
        ASTRO_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, 15_000);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  const original = () => JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, any>;

  it('stops the server before it listens when referencePrefix is wrong, naming the field', { timeout: 30_000 }, async () => {
    const exit = await runServerWithConfig({ ...original(), referencePrefix: 'vd0' });
    expect(exit.signal, 'the server had to be killed: it did not exit by itself').toBeNull();
    expect(exit.code).not.toBe(0);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('En väg in could not start');
    expect(exit.stderr).toContain('referencePrefix');
    expect(exit.stdout).not.toContain('listening');
  });

  it('names a fault category whose unit does not exist', { timeout: 30_000 }, async () => {
    const config = original();
    config.faultCategories[2].unit = 'finns-inte';
    const exit = await runServerWithConfig(config);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/faultCategories[.[]2\]?\.unit/);
    expect(exit.stderr).toContain('finns-inte');
    expect(exit.stdout).not.toContain('listening');
  });
});
