/**
 * "Följ ditt ärende" without JavaScript, against a real server and a real SMTP server: the
 * reference and the address an errand was sent with bring a fresh status link to that address,
 * in the errand's language; anything else gets the very same answer and no mail; requests are
 * counted per reference and per address; and the page keeps what was typed when it is wrong.
 * Runs on SQLite and on PostgreSQL.
 */
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server';
import { automaticHeaders, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { postSubmission, rawRequest, sv, uniqueText, withDatabase, type RawResponse } from './support';

const database = inject('databaseKind');
let server: RunningServer;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ database, env: { SMTP_URL: smtp.url } });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

/** Posts the form as a browser without JavaScript does. */
function ask(fields: { reference: string; email: string }, path = '/folj-arende'): Promise<RawResponse> {
  return rawRequest(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A unique address per test, so requests of one test are never counted against another's. */
const addressFor = (name: string) => `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.se`;

async function errand(overrides: Record<string, unknown>): Promise<{ reference: string; statusUrl: string }> {
  const response = await postSubmission(server.url, { type: 'question', message: uniqueText('Hur söker jag förskola?'), ...overrides });
  expect(response.status, response.text).toBe(201);
  return response.json();
}

const mailsTo = (address: string) => smtp.messages.filter((mail) => JSON.stringify(mail.to).includes(address));
const linkIn = (mail: ParsedMail) => /https?:\/\/\S+\/arende\/[\w-]+/.exec(mail.text ?? '')?.[0] ?? '';

describe('a fresh status link', () => {
  it('goes to the errand’s address in the errand’s language, opens the status page, and leaves the saved link working', { timeout: 30_000 }, async () => {
    const address = addressFor('leila');
    const { reference, statusUrl } = await errand({ language: 'fa', contact: { name: 'Leila', email: address } });
    await smtp.waitFor((mail) => JSON.stringify(mail.to).includes(address));

    // Typed as people do: lower case, spaces around, the address in other capitals; asked on the Swedish page.
    const answer = await ask({ reference: ` ${reference.toLowerCase()} `, email: address.toUpperCase() });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/folj-arende?skickat');
    const page = await rawRequest(`${server.url}${answer.headers.location}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(sv['follow.sent']);

    const mail = await smtp.waitFor((candidate) => JSON.stringify(candidate.to).includes(address) && candidate.subject?.startsWith('پیوند تازه') === true);
    expect(mail.subject).toBe(`پیوند تازه به پروندهٔ شما ${reference}`);
    expect(automaticHeaders(mail)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'fa' });
    expect(mail.html).toContain('<html lang="fa" dir="rtl">');
    const link = linkIn(mail);
    expect(new URL(link).pathname).toMatch(/^\/fa\/arende\/[\w-]{32}$/);
    expect(link).not.toBe(statusUrl);
    const fresh = await rawRequest(link);
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain(reference);
    expect((await rawRequest(statusUrl)).status).toBe(200);

    // Only the link's SHA-256 is stored.
    const token = new URL(link).pathname.split('/').pop()!;
    const stored = await withDatabase(
      (db) => db.query<{ token_hash: string }>('SELECT l.token_hash FROM status_links l JOIN submissions s ON s.id = l.submission_id WHERE s.reference = ?', [reference]),
      server.databaseUrl,
    );
    expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
  });

  it('answers a wrong address, an anonymous errand and an unknown reference exactly as a match, and sends nothing', { timeout: 30_000 }, async () => {
    const owner = addressFor('owner');
    const other = addressFor('other');
    const { reference } = await errand({ contact: { email: owner } });
    const anonymous = await errand({ contact: null });
    await smtp.waitFor((mail) => JSON.stringify(mail.to).includes(owner));
    const before = mailsTo(owner).length;

    const answers = await Promise.all([
      ask({ reference, email: other }),
      ask({ reference: anonymous.reference, email: other }),
      ask({ reference: 'VDO-2020-999999', email: other }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe('/folj-arende?skickat');
      expect(answer.text).toBe('');
    }
    // Time for the mail loop (every 2 s) to have sent anything that was queued.
    await new Promise((wait) => setTimeout(wait, 4_500));
    expect(mailsTo(other)).toEqual([]);
    expect(mailsTo(owner)).toHaveLength(before);
  });

  it('is sent no more than five times a day for one errand, the page answering the same', { timeout: 30_000 }, async () => {
    const address = addressFor('many');
    const { reference } = await errand({ contact: { email: address } });
    await smtp.waitFor((mail) => JSON.stringify(mail.to).includes(address));
    await withDatabase(async (db) => {
      const [row] = await db.query<{ id: number }>('SELECT id FROM submissions WHERE reference = ?', [reference]);
      for (let link = 0; link < 5; link += 1) {
        await db.query('INSERT INTO status_links (token_hash, submission_id, created_at) VALUES (?, ?, ?)', [`earlier-link-${reference}-${link}`, row!.id, new Date().toISOString()]);
      }
    }, server.databaseUrl);

    const answer = await ask({ reference, email: address });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/folj-arende?skickat');
    await new Promise((wait) => setTimeout(wait, 4_500));
    expect(mailsTo(address)).toHaveLength(1);
  });
});

describe('the form', () => {
  it('keeps what was typed and links each wrong field from the error summary, in the page’s language', async () => {
    const empty = await ask({ reference: '', email: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('<title>Fel: ');
    expect(empty.text).toContain(`<a href="#field-reference">${sv['error.reference.required']}</a>`);
    expect(empty.text).toContain(`<a href="#field-email">${sv['error.email.required']}</a>`);

    // Another municipality's prefix is not a reference here; the example shows this one's format.
    const wrong = await ask({ reference: 'ABC-2026-000001', email: 'inte-en-adress' }, '/en/folj-arende');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('<html lang="en" dir="ltr">');
    expect(wrong.text).toMatch(/Write the reference number as it is in the confirmation, for example VDO-\d{4}-000123\./);
    expect(wrong.text).toContain('Write the email address in the right form');
    expect(wrong.text).toContain('value="ABC-2026-000001"');
    expect(wrong.text).toContain('value="inte-en-adress"');
    expect(wrong.text).toMatch(/id="field-reference"[^>]*aria-describedby="field-reference-hint field-reference-error"[^>]*aria-invalid="true"/);
  });

  it('counts requests per reference, whatever the address, and per address, whatever the reference', { timeout: 30_000 }, async () => {
    const { reference } = await errand({ contact: { email: addressFor('counted') } });
    // Three a minute are taken; counts start each minute, so seven quick requests always meet the limit.
    const perReference: RawResponse[] = [];
    for (let request = 0; request < 7 && perReference.at(-1)?.status !== 429; request += 1) {
      perReference.push(await ask({ reference, email: addressFor('guess') }));
    }
    const refused = perReference.at(-1)!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.text).toContain(sv['errorSummary.rateLimited']);
    expect(refused.text).toContain(`value="${reference}"`);
    expect(perReference.slice(0, -1).every((answer) => answer.status === 303)).toBe(true);

    const address = addressFor('guesser');
    const perAddress: RawResponse[] = [];
    for (let request = 0; request < 7 && perAddress.at(-1)?.status !== 429; request += 1) {
      perAddress.push(await ask({ reference: `VDO-2021-${String(request).padStart(6, '0')}`, email: address }));
    }
    expect(perAddress.at(-1)!.status).toBe(429);
    expect(perAddress.at(-1)!.text).toContain(`value="${address}"`);
  });
});
