/**
 * Abuse without CAPTCHAs: per-client rate limits counted in the database (so two instances
 * count one client together), the honeypot and signed minimum fill time of the HTML forms,
 * request size limits, strict security headers, escaped submitter text, and logs free of
 * personal data. Servers with the limits turned on are started here; the shared server runs
 * without them.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server';
import { countSubmissions, expectProblem, hiddenFields, postSubmission, rawRequest, rowsWithMessage, sv, uniqueText, type RawResponse } from './support';

const url = inject('url');
const database = inject('databaseKind');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(env: Record<string, string>, databaseUrl?: string): Promise<RunningServer> {
  const server = await startServer(databaseUrl === undefined ? { database, env } : { databaseUrl, env });
  cleanups.push(() => server.stop());
  return server;
}

/** Rate limits count per minute: a test that needs several requests in one window starts early in a minute. */
async function atStartOfMinute(): Promise<void> {
  const secondsLeft = 60 - new Date().getSeconds();
  if (secondsLeft < 15) await new Promise((wait) => setTimeout(wait, secondsLeft * 1000 + 200));
}

function postForm(serverUrl: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(`${serverUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The error summary a form page shows (the island's props hold every message too, so the page as a whole would prove nothing). */
function errorSummaryOf(html: string): string {
  return /<div class="error-summary"[\s\S]*?<\/div><\/div>/.exec(html)?.[0] ?? '';
}

const question = (label: string) => ({ type: 'question', message: uniqueText(label), contact: { email: 'anna@example.se' } });

describe('rate limits', () => {
  it('answer 429 with Retry-After once a client passes its limit, counted across two instances', { timeout: 90_000 }, async () => {
    const first = await serverWith({ RATE_LIMIT_PER_MINUTE: '3' });
    const second = await serverWith({ RATE_LIMIT_PER_MINUTE: '3' }, first.databaseUrl);
    await atStartOfMinute();
    const before = await countSubmissions(first.databaseUrl);

    for (const server of [first, second, first]) {
      const accepted = await postSubmission(server.url, question('Inom gränsen'));
      expect(accepted.status, accepted.text).toBe(201);
    }
    // A forged X-Forwarded-For does not make a new client: no proxy is trusted here.
    const over = question('Över gränsen');
    const refused = await postSubmission(second.url, over, { 'X-Forwarded-For': '203.0.113.9' });
    const problem = expectProblem(refused, 429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(problem.detail).toBe(sv['api.problem.429.detail']!.replace('{{seconds}}', String(wait)));
    expect(await countSubmissions(first.databaseUrl)).toBe(before + 3);
    expect(await rowsWithMessage(over.message, first.databaseUrl)).toEqual([]);

    // A person's form comes back with what they typed and says to wait.
    const page = await rawRequest(`${first.url}/fraga`);
    const message = uniqueText('Skrivet i formuläret <kvar>');
    const formAnswer = await postForm(first.url, '/fraga', { ...hiddenFields(page.text), message, reply: 'no' });
    expect(formAnswer.status).toBe(429);
    expect(Number(formAnswer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(formAnswer.text).toContain(sv['errorSummary.rateLimited']);
    expect(formAnswer.text).toContain(message.replace('<', '&lt;').replace('>', '&gt;'));
  });

  it('count each client behind a trusted proxy by its X-Forwarded-For address', { timeout: 60_000 }, async () => {
    const server = await serverWith({ RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '1' });
    await atStartOfMinute();
    const from = (address: string) => ({ 'X-Forwarded-For': `198.51.100.1, ${address}` });
    expect((await postSubmission(server.url, question('Klient A'), from('192.0.2.1'))).status).toBe(201);
    expect((await postSubmission(server.url, question('Klient B'), from('192.0.2.2'))).status).toBe(201);
    expectProblem(await postSubmission(server.url, question('Klient A igen'), from('192.0.2.1')), 429);
  });

  it('are off with RATE_LIMIT_PER_MINUTE=0, as the shared test server runs', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => postSubmission(url, question('Utan gräns'))));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
  });
});

describe('the HTML forms hold back bots', () => {
  it('take a post sent sooner than a person could type only after a second try, with everything kept', { timeout: 60_000 }, async () => {
    const server = await serverWith({ FORM_MIN_FILL_SECONDS: '2' });
    const page = await rawRequest(`${server.url}/fraga`);
    const shown = hiddenFields(page.text);
    expect(shown['startedAt']).toMatch(/^\d+\.[\w-]+$/);
    const message = uniqueText('Snabb fråga');
    const fields = { ...shown, message, reply: 'yes', 'contact.email': 'anna@example.se' };

    const tooSoon = await postForm(server.url, '/fraga', fields);
    expect(tooSoon.status).toBe(422);
    expect(tooSoon.text).toContain(sv['errorSummary.checkAndResend']);
    expect(tooSoon.text).toContain(message);
    expect(tooSoon.text).toContain('anna@example.se');
    expect(await rowsWithMessage(message, server.databaseUrl)).toEqual([]);

    await new Promise((wait) => setTimeout(wait, 2_100));
    const forged = `${Date.now() - 60_000}.${'A'.repeat(43)}`;
    expect((await postForm(server.url, '/fraga', { ...fields, startedAt: forged })).status).toBe(422);
    expect((await postForm(server.url, '/fraga', { ...fields, startedAt: '' })).status).toBe(422);
    expect((await postForm(server.url, '/fraga', { ...fields, kontroll: 'https://spam.example' })).status).toBe(422);
    expect(await rowsWithMessage(message, server.databaseUrl)).toEqual([]);

    const sent = await postForm(server.url, '/fraga', fields);
    expect(sent.status, sent.text.slice(0, 500)).toBe(303);
    expect(sent.headers.location).toMatch(/^\/kvitto\//);
    expect(await rowsWithMessage(message, server.databaseUrl)).toHaveLength(1);
  });

  it('tell what is missing before the fill time counts: an empty form sent at once gets its field errors, on every errand form', { timeout: 60_000 }, async () => {
    const server = await serverWith({ FORM_MIN_FILL_SECONDS: '600' });
    const firstMissing: Record<string, string> = { '/fraga': 'message', '/synpunkt': 'feedbackKind', '/felanmalan': 'category', '/e-forslag': 'title' };
    for (const [path, field] of Object.entries(firstMissing)) {
      const page = await rawRequest(`${server.url}${path}`);
      const before = await countSubmissions(server.databaseUrl);
      const empty = await postForm(server.url, path, { ...hiddenFields(page.text), kontroll: '', message: '' });
      expect(empty.status, path).toBe(422);
      expect(errorSummaryOf(empty.text), path).toContain(`<a href="#field-${field}">${sv[`error.${field}.required`]}</a>`);
      expect(errorSummaryOf(empty.text), path).not.toContain(sv['errorSummary.checkAndResend']);
      expect(await countSubmissions(server.databaseUrl), path).toBe(before);
    }

    // A form that is otherwise valid is still held back once when sent sooner than a person could type.
    const page = await rawRequest(`${server.url}/fraga`);
    const message = uniqueText('Giltig men snabb');
    const valid = await postForm(server.url, '/fraga', { ...hiddenFields(page.text), kontroll: '', message, reply: 'no' });
    expect(valid.status).toBe(422);
    expect(errorSummaryOf(valid.text)).toContain(sv['errorSummary.checkAndResend']);
    expect(errorSummaryOf(valid.text)).not.toContain('href="#field-');
    expect(valid.text).toContain(message);
    expect(await rowsWithMessage(message, server.databaseUrl)).toEqual([]);
  });

  it('hide the honeypot from people and assistive technology', async () => {
    const page = await rawRequest(`${url}/synpunkt`);
    expect(page.text).toMatch(/<div class="honeypot"><label for="kontroll">[^<]+<\/label><input type="text" id="kontroll" name="kontroll" autocomplete="off" tabindex="-1" value(="")?\/?><\/div>/);
    const css = page.text.match(/<style[^>]*>([\s\S]*?)<\/style>/g)?.join('') ?? '';
    expect(css).toMatch(/\.honeypot\{display:none\}|\.honeypot \{\s*display: none;?\s*\}/);
  });
});

describe('size limits', () => {
  it('refuse a body larger than any route takes before it is sent, on any route', async () => {
    for (const path of ['/', '/fraga', '/api/v1/submissions', '/healthz']) {
      const response = await rawRequest(`${url}${path}`, { method: 'POST', headers: { 'Content-Length': 100 * 1024 * 1024, 'Content-Type': 'application/json' } });
      expect(response.status, path).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('refuse a form post larger than a form of text, keeping the person on the form', async () => {
    const response = await postForm(url, '/fraga', { message: 'x'.repeat(300 * 1024) });
    expect(response.status).toBe(413);
    expect(response.text).toContain(sv['errorSummary.tooLarge']);
  });
});

describe('security headers', () => {
  it('give pages a Content-Security-Policy that allows no inline script except the page’s own, by hash', async () => {
    for (const path of ['/', '/felanmalan', '/en/fraga', '/ar/', '/personuppgifter']) {
      const page = await rawRequest(`${url}${path}`);
      const policy = String(page.headers['content-security-policy']);
      const scriptSources = /script-src ([^;]+)/.exec(policy)?.[1] ?? '';
      expect(scriptSources, path).not.toContain('unsafe-inline');
      expect(scriptSources).not.toContain('unsafe-eval');
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      for (const [, attributes, body] of page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
        if (/\bsrc=/.test(attributes!) || body === '') continue;
        expect(scriptSources, `${path}: an inline script is not in the policy`).toContain(`'sha256-${createHash('sha256').update(body!).digest('base64')}'`);
      }
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(page.headers['permissions-policy']).toContain('camera=()');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      // Plain HTTP: Strict-Transport-Security would be ignored, and must not be sent.
      expect(page.headers['strict-transport-security']).toBeUndefined();
    }
    const api = await rawRequest(`${url}/api/v1/services`);
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('send Strict-Transport-Security behind a trusted TLS proxy only', { timeout: 30_000 }, async () => {
    const https = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '192.0.2.7' };
    expect((await rawRequest(`${url}/`, { headers: https })).headers['strict-transport-security']).toBeUndefined();
    const behindProxy = await serverWith({ TRUST_PROXY: '1' });
    expect((await rawRequest(`${behindProxy.url}/`, { headers: https })).headers['strict-transport-security']).toMatch(/^max-age=\d{8,}/);
    expect((await rawRequest(`${behindProxy.url}/`)).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('text from submitters', () => {
  it('is shown as text on the receipt and the status page, never as markup', async () => {
    const hostile = `<script>alert("x")</script><img src=x onerror="alert(1)"> ${uniqueText('&amp; "citat"')}`;
    const created = await postSubmission(url, { type: 'question', message: hostile, contact: { name: '<b>Anna</b>', email: 'anna@example.se' } });
    expect(created.status, created.text).toBe(201);
    for (const link of [created.json().statusUrl, created.json().receiptUrl]) {
      const page = await rawRequest(link);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('<b>Anna</b>');
    }
    const status = await rawRequest(created.json().statusUrl);
    expect(status.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(status.text).toContain('&lt;b&gt;Anna&lt;/b&gt;');
  });
});

describe('logs', () => {
  it('are JSON lines that never hold names, e-mail addresses, phone numbers or message texts', { timeout: 30_000 }, async () => {
    const server = await serverWith({});
    const personal = { name: 'Zlatan Loggsson', email: 'zlatan.loggsson@example.se', phone: '070-123 45 67' };
    const message = uniqueText('Hemligt meddelande om grannen');
    const created = await postSubmission(server.url, { type: 'question', message, contact: personal });
    expect(created.status, created.text).toBe(201);
    await rawRequest(created.json().statusUrl);
    const page = await rawRequest(`${server.url}/synpunkt`);
    await postForm(server.url, '/synpunkt', { ...hiddenFields(page.text), message, 'contact.name': personal.name });
    expectProblem(await postSubmission(server.url, { type: 'question', message, contact: { email: 'fel' } }), 422);

    const lines = server.output().trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.every((entry) => typeof entry['time'] === 'string' && typeof entry['event'] === 'string')).toBe(true);
    expect(entries.filter((entry) => entry['event'] === 'request').map((entry) => entry['status'])).toEqual(expect.arrayContaining([201, 200, 422]));
    const log = server.output();
    for (const secret of [personal.name, personal.email, '070-123 45 67', '0701234567', message, 'Hemligt', new URL(created.json().statusUrl).pathname.split('/').pop()!]) {
      expect(log, secret).not.toContain(secret);
    }
    expect(log).toContain(created.json().reference);
  });
});
