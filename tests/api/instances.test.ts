/**
 * Two server instances on one database, taking concurrent submissions: with different
 * idempotency keys every submission is stored once under a reference of its own; with the same
 * key sent to both at once, one submission is stored and every answer names it. Nothing is lost.
 * On the `api-postgres` project this is the several-instances set-up of the README.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server';
import { postSubmission, uniqueText, withDatabase, type RawResponse } from './support';

const database = inject('databaseKind');
let first: RunningServer;
let second: RunningServer;

beforeAll(async () => {
  first = await startServer({ database });
  second = await startServer({ databaseUrl: first.databaseUrl });
}, 60_000);
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

/** Runs `tasks` with at most `limit` in flight. */
async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** A request that got 409 (the same key in flight elsewhere) is repeated, as a client would after Retry-After. */
async function untilSettled(send: () => Promise<RawResponse>): Promise<RawResponse> {
  for (;;) {
    const response = await send();
    if (response.status !== 409) return response;
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

/** Idempotency keys are visible ASCII; the run's texts are Swedish. */
function asciiKey(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

async function storedWithPrefix(prefix: string): Promise<{ reference: string; message: string }[]> {
  return withDatabase(
    (db) =>
      db.query<{ reference: string; message: string }>(
        `SELECT reference, ${db.jsonText('payload', 'message')} AS message FROM submissions WHERE ${db.jsonText('payload', 'message')} LIKE ?`,
        [`${prefix}%`],
      ),
    first.databaseUrl,
  );
}

describe('two instances on one database', () => {
  it('store 200 concurrent submissions with different keys once each, every reference unique', { timeout: 60_000 }, async () => {
    const run = uniqueText('Två instanser');
    const keyPrefix = asciiKey('two-instances');
    const responses = await inParallel(
      Array.from({ length: 200 }, (_, index) => () =>
        postSubmission(index % 2 === 0 ? first.url : second.url, { type: 'question', message: `${run} #${index}`, contact: null }, { 'Idempotency-Key': `${keyPrefix}-${index}` }),
      ),
      24,
    );
    expect(responses.map((response) => response.status)).toEqual(Array(200).fill(201));
    const references = responses.map((response) => response.json().reference as string);
    expect(new Set(references).size).toBe(200);

    const stored = await storedWithPrefix(run);
    expect(stored).toHaveLength(200);
    const byReference = new Map(stored.map((row) => [row.reference, row.message]));
    responses.forEach((response, index) => expect(byReference.get(response.json().reference)).toBe(`${run} #${index}`));
  });

  it('store a submission sent with one key to both instances at once exactly once, and answer every copy with it', { timeout: 60_000 }, async () => {
    const run = uniqueText('Samma nyckel');
    const keyPrefix = asciiKey('same-key');
    const keys = Array.from({ length: 20 }, (_, index) => `${keyPrefix}-${index}`);
    const copies = keys.flatMap((key, index) =>
      Array.from({ length: 6 }, (_, copy) => ({ key, body: { type: 'question', message: `${run} #${index}`, contact: null }, url: copy % 2 === 0 ? first.url : second.url })),
    );
    const responses = await inParallel(
      copies.map(({ key, body, url }) => () => untilSettled(() => postSubmission(url, body, { 'Idempotency-Key': key }))),
      30,
    );
    expect(responses.map((response) => response.status)).toEqual(Array(copies.length).fill(201));
    for (const key of keys) {
      const answers = responses.filter((_, index) => copies[index]!.key === key).map((response) => response.json().reference);
      expect(new Set(answers).size, `${key} was answered with different references`).toBe(1);
    }
    const stored = await storedWithPrefix(run);
    expect(stored).toHaveLength(keys.length);
    expect(new Set(stored.map((row) => row.reference)).size).toBe(keys.length);
  });

  it('refuse the second of two different bodies under one key, whichever instance gets it', { timeout: 30_000 }, async () => {
    const run = uniqueText('Olika innehåll');
    const key = asciiKey('other-body');
    const [a, b] = await Promise.all([
      untilSettled(() => postSubmission(first.url, { type: 'question', message: `${run} A`, contact: null }, { 'Idempotency-Key': key })),
      untilSettled(() => postSubmission(second.url, { type: 'question', message: `${run} B`, contact: null }, { 'Idempotency-Key': key })),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect(await storedWithPrefix(run)).toHaveLength(1);
  });
});
