/**
 * When storage cannot be used the API answers 503 with Retry-After and stores nothing,
 * /healthz says so, and once storage is back the same request goes through. On SQLite another
 * process holds the write lock, or the files are made read-only; on PostgreSQL the database goes
 * away altogether (a proxy between server and database cuts every connection), or a database of
 * the test's own is closed to connections (`ALLOW_CONNECTIONS false`, backends terminated).
 * Over the whole route table: every page and API family answers 503 in its own format, a form
 * posted during the outage comes back with its text, and everything recovers by itself. Also
 * the 409 of a key whose first request is still being handled.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createSubmissionSchema } from '../../src/lib/intake/schema';
import { submissionFingerprint } from '../../src/server/intake';
import { POSTGRES_TEST_URL, urlWithSchema } from '../helpers/postgres';
import { startServer, type RunningServer } from '../helpers/server';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { postRoutes, storedRowCounts, type PostRoute, type PreparedRequest, type RouteFixtures } from './route-table';
import { countSubmissions, expectProblem, hiddenFields, postSubmission, rawRequest, readConfig, rowsWithMessage, sv, uniqueText, withDatabase, type RawResponse } from './support';

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
    const form = await rawRequest(`${url}/fraga`);
    writer.exec('BEGIN EXCLUSIVE');

    await expectUnavailable(url, body, idempotencyKey);
    // A person's form comes back with 503 and what they wrote.
    const posted = await rawRequest(`${url}/fraga`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hiddenFields(form.text), message: body.message, reply: 'no' }).toString(),
    });
    expect(posted.status).toBe(503);
    expect(posted.text).toContain(sv['errorSummary.unavailable']);
    expect(posted.text).toContain(body.message);

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

// ---------------------------------------------------------------------------------------------
// The whole route table through an outage.

/** A way of taking storage away from a running server and giving it back. */
interface Outage {
  begin(): Promise<void>;
  end(): Promise<void>;
  /** Whether reading fails too (a closed database) or only writing (read-only SQLite files). */
  readsFail: boolean;
}

/** Pages and API reads that need the database: 503 while it is gone (never a 404), 200 once back. */
function readFamilies(fixtures: RouteFixtures): { name: string; path: string; kind: 'page' | 'api' | 'open311'; headers?: Record<string, string> }[] {
  return [
    { name: 'the receipt', path: fixtures.receiptPath, kind: 'page' },
    { name: 'the status page', path: fixtures.statusPath, kind: 'page' },
    { name: 'the public fault list', path: '/felanmalan/rapporterade', kind: 'page' },
    { name: 'a public fault report', path: `/felanmalan/rapporterade/${fixtures.faultReference}`, kind: 'page' },
    { name: 'the published proposals', path: '/e-forslag/publicerade', kind: 'page' },
    { name: 'a published proposal', path: `/e-forslag/publicerade/${fixtures.proposalReference}`, kind: 'page' },
    { name: 'the staff inbox', path: '/handlaggning', kind: 'page', headers: fixtures.staffHeaders },
    { name: 'a staff errand', path: `/handlaggning/arende/${fixtures.questionReference}`, kind: 'page', headers: fixtures.staffHeaders },
    { name: 'the follow-up', path: '/handlaggning/uppfoljning', kind: 'page', headers: fixtures.staffHeaders },
    { name: 'nearby fault reports', path: `/api/v1/fault-reports/nearby?category=${fixtures.faultCategory}&place=Rutttorget`, kind: 'api' },
    { name: 'Open311 requests', path: '/open311/v2/requests.json', kind: 'open311' },
    { name: 'one Open311 request', path: `/open311/v2/requests/${fixtures.faultReference}.json`, kind: 'open311' },
  ];
}

/**
 * Pages that need no database and keep working through an outage: the start page, contact,
 * answers, the staff sign-in form, the services API, and a form page once this process has
 * read the secret that signs its start time (a person who opened it before can still send).
 */
const PAGES_WITHOUT_DATABASE = ['/', '/kontakt', '/svar', '/en/svar', '/handlaggning/logga-in', '/api/v1/services', '/fraga', '/en/fraga'];

/** A person's real post to a route (or the API's JSON submission), with `typed` as what they wrote. */
async function sendPost(server: RunningServer, route: PostRoute, request: PreparedRequest, typed: string): Promise<RawResponse> {
  if (route.kind === 'api') return postSubmission(server.url, { type: 'question', message: typed, contact: null });
  return rawRequest(`${server.url}${request.path}`, {
    method: 'POST',
    headers: { ...request.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...request.fields, ...route.post(typed) }).toString(),
  });
}

/** An HTML text as it appears in a page (Astro escapes these). */
const inPage = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The unavailable answer in each route's own format. */
function expectUnavailableAnswer(kind: PostRoute['kind'], response: RawResponse, where: string, language = 'sv'): void {
  expect(response.status, `${where}: ${response.text.slice(0, 300)}`).toBe(503);
  if (kind === 'api' || kind === 'webhook') {
    expect(expectProblem(response, 503).detail, where).toBe(sv['api.problem.503.storage']);
    expect(response.headers['retry-after'], where).toBe('5');
  } else if (kind === 'open311') {
    expect(response.json(), where).toEqual([{ code: 503, description: sv['api.problem.503.storage'] }]);
    expect(response.headers['retry-after'], where).toBe('5');
  } else {
    expect(response.headers['content-type'], where).toMatch(/^text\/html/);
    expect(response.text.includes(`<html lang="${language}"`), `${where} in ${language}`).toBe(true);
  }
}

/**
 * Takes storage away from `server`, checks every family over the route table, gives it back
 * and checks that everything recovers by itself and that a form sent during the outage can be
 * sent again from the page that kept it.
 */
async function expectOutageAnsweredAndRecovered(server: RunningServer, outage: Outage): Promise<void> {
  const { routes, fixtures } = await postRoutes(server);
  const reads = readFamilies(fixtures);
  const read = (family: (typeof reads)[number]) => rawRequest(`${server.url}${family.path}`, family.headers ? { headers: family.headers } : {});
  for (const family of reads) expect((await read(family)).status, family.name).toBe(200);
  for (const path of PAGES_WITHOUT_DATABASE) expect((await rawRequest(`${server.url}${path}`)).status, path).toBe(200);
  // Everything a post needs (sessions, CSRF tokens, the form's hidden fields) is had before the outage, as a browser has it.
  const prepared = await Promise.all(routes.map(async (route) => ({ route, request: await route.prepare() })));
  const before = await storedRowCounts(server.databaseUrl);
  const typed = uniqueText('Skrivet under avbrottet åäö');

  await outage.begin();
  const answers = new Map<PostRoute, RawResponse>();
  try {
    expectUnavailableAnswer('api', await rawRequest(`${server.url}/healthz`), '/healthz');
    for (const family of reads) {
      const response = await read(family);
      if (outage.readsFail) expectUnavailableAnswer(family.kind, response, family.name);
      else expect(response.status, family.name).toBe(200);
    }
    for (const path of PAGES_WITHOUT_DATABASE) expect((await rawRequest(`${server.url}${path}`)).status, path).toBe(200);

    for (const { route, request } of prepared) {
      const posted = route.post(typed);
      // A form without anything to store on this route (other errand types) has nothing to show here.
      if (route.kind === 'page' && Object.keys(posted).length === 0 && route.file === '[errand].astro') continue;
      const response = await sendPost(server, route, request, typed);
      answers.set(route, response);
      const where = `${route.name} (${request.path})`;
      expectUnavailableAnswer(route.kind, response, where, request.path.startsWith('/en/') ? 'en' : 'sv');
      if (route.kind !== 'page') continue;
      // Everything typed comes back, ready to send again; a password never does.
      for (const [name, value] of Object.entries(posted)) {
        if (name === 'password') expect(response.text.includes(value), `${where} shows no password`).toBe(false);
        else expect(response.text.includes(inPage(value)), `${where} shows ${name}`).toBe(true);
      }
    }
  } finally {
    await outage.end();
  }

  await expect.poll(async () => (await rawRequest(`${server.url}/healthz`)).status, { timeout: 15_000 }).toBe(200);
  expect(await storedRowCounts(server.databaseUrl)).toEqual(before);
  for (const family of reads) expect((await read(family)).status, `${family.name} once the database is back`).toBe(200);

  // The question sent during the outage goes through from the page that kept it, once.
  const kept = answers.get(routes.find((route) => route.name === 'the errand form /fraga')!)!;
  const resent = await rawRequest(`${server.url}/fraga`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hiddenFields(kept.text), message: typed, reply: 'no' }).toString(),
  });
  expect(resent.status, resent.text.slice(0, 300)).toBe(303);
  expect((await rowsWithMessage(typed, server.databaseUrl)).length).toBe(1);
  // A post the middleware kept (page feedback) is offered again as a form to the same address.
  const feedback = answers.get(routes.find((route) => route.name === 'page feedback')!)!.text;
  // The kept form comes first; the page's own feedback form, also to /sidfeedback, is in the footer.
  const keptForm = feedback.slice(feedback.indexOf('action="/sidfeedback"'));
  const again = await rawRequest(`${server.url}/sidfeedback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(hiddenFields(keptForm.slice(0, keptForm.indexOf('</form>')))).toString(),
  });
  expect(again.status).toBe(303);
  expect(String(again.headers.location)).toMatch(/^\/kontakt\?/);
  expect(server.output()).not.toContain(typed);
}

describe.runIf(databaseKind === 'postgres')('a PostgreSQL database closed to connections', () => {
  it('answers 503 on every page and API family, keeps what was typed, and recovers once it opens again', { timeout: 120_000 }, async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    const name = `outage_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const own = new URL(POSTGRES_TEST_URL);
    own.pathname = `/${name}`;
    const server = await startServer({ databaseUrl: own.href, env: { FORM_MIN_FILL_SECONDS: '0' } });
    cleanups.push(() => server.stop());

    await expectOutageAnsweredAndRecovered(server, {
      readsFail: true,
      async begin() {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      },
      async end() {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      },
    });
    expect(server.output()).toContain('"reason":"PostgreSQL: 55000"');
  });

  it('answers 503, never 404, once its database no longer exists', { timeout: 60_000 }, async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    const name = `dropped_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const own = new URL(POSTGRES_TEST_URL);
    own.pathname = `/${name}`;
    const server = await startServer({ databaseUrl: own.href });
    cleanups.push(() => server.stop());
    const created = await postSubmission(server.url, { type: 'question', message: uniqueText('Före'), contact: null });
    expect(created.status).toBe(201);

    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    expectUnavailableAnswer('api', await rawRequest(`${server.url}/healthz`), '/healthz');
    expectUnavailableAnswer('api', await postSubmission(server.url, { type: 'question', message: uniqueText('Efter'), contact: null }), 'the intake API');
    expectUnavailableAnswer('page', await rawRequest(new URL(created.json().statusUrl).href), 'the status page');
    expectUnavailableAnswer('page', await rawRequest(`${server.url}/felanmalan/rapporterade`), 'the public fault list');
    expect(server.output()).toContain('"reason":"PostgreSQL: 3D000"');
  });
});

describe.runIf(databaseKind === 'sqlite')('SQLite files made read-only', () => {
  it('answers 503 to every post and to /healthz, keeps what was typed, reads on, and recovers once writable', { timeout: 120_000 }, async () => {
    const server = await startServer({ env: { FORM_MIN_FILL_SECONDS: '0' } });
    cleanups.push(() => server.stop());
    // Root ignores permission bits, and the server's open descriptors would not notice a chmod:
    // the immutable attribute makes every write fail (SQLITE_IOERR). Not the -shm file, which is
    // mapped into memory (writing to an immutable mapping kills the process).
    const files = [server.databasePath, `${server.databasePath}-wal`];
    const immutable = (flag: '+i' | '-i') => execFileSync('chattr', [flag, ...files]);
    await expectOutageAnsweredAndRecovered(server, {
      readsFail: false,
      async begin() {
        immutable('+i');
        cleanups.push(() => void immutable('-i'));
      },
      async end() {
        immutable('-i');
      },
    });
    expect(server.output()).toMatch(/"reason":"SQLite: SQLITE_(IOERR|READONLY)/);
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
