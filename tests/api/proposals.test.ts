/**
 * E-proposals from approval to closing, against a real server and a real SMTP server: staff
 * publish one; residents support it by confirming a link sent to their address (one address
 * counts once); the proposer is told when it reaches the threshold and when it closes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server';
import { automaticHeaders, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';
import { configPath, postSubmission, rawRequest, uniqueText, withDatabase, type RawResponse } from './support';

const database = inject('databaseKind');
let server: RunningServer;
let smtp: TestSmtpServer;
let configDirectory: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  configDirectory = mkdtempSync(join(tmpdir(), 'en-vag-in-proposals-'));
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  config.proposals = { supportThreshold: 2, openForDays: 30 };
  writeFileSync(join(configDirectory, 'config.json'), JSON.stringify(config));
  server = await startServer({
    database,
    env: { SMTP_URL: smtp.url, MUNICIPALITY_CONFIG: join(configDirectory, 'config.json'), BACKGROUND_INTERVAL_MS: '300' },
  });
  addStaffUser(server.databaseUrl, { email: 'admin@varmdo.se', name: 'Ada Admin', role: 'admin' });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
  rmSync(configDirectory, { recursive: true, force: true });
});

function form(path: string, fields: Record<string, string>, cookie = ''): Promise<RawResponse> {
  return rawRequest(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

async function signInAsAdmin(): Promise<string> {
  const page = await rawRequest(`${server.url}/handlaggning/logga-in`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const loginCookie = String(page.headers['set-cookie']).split(';')[0]!;
  const signedIn = await form('/handlaggning/logga-in', { csrf, email: 'admin@varmdo.se', password: STAFF_PASSWORD }, loginCookie);
  const cookies = signedIn.headers['set-cookie'] as string[];
  return cookies.map((cookie) => cookie.split(';')[0]).find((cookie) => cookie!.startsWith('handlaggning='))!;
}

const linkIn = (mail: ParsedMail) => /https?:\/\/\S+\/e-forslag\/bekrafta\/[\w-]+/.exec(mail.text ?? '')?.[0] ?? '';

async function support(path: string, email: string): Promise<string> {
  const sent = await form(path, { email });
  expect(sent.status).toBe(303);
  return String(sent.headers.location);
}

describe('an e-proposal', () => {
  it('is published by staff, supported once per address, and its proposer told of the threshold and the closing', { timeout: 90_000 }, async () => {
    const title = uniqueText('Fler laddstolpar i Gustavsberg');
    const proposer = `forslag.${Date.now()}@example.se`;
    const created = await postSubmission(server.url, {
      type: 'proposal',
      title,
      message: 'Sätt upp laddstolpar vid Gustavsbergs centrum.',
      reason: 'Fler kör elbil.',
      contact: { name: 'Petra Förslagsställare', email: proposer },
    });
    expect(created.status, created.text).toBe(201);
    const { reference } = created.json();
    const publicPath = `/e-forslag/publicerade/${reference}`;
    expect((await rawRequest(`${server.url}${publicPath}`)).status).toBe(404);

    const cookie = await signInAsAdmin();
    const errand = await rawRequest(`${server.url}/handlaggning/arende/${reference}`, { headers: { Cookie: cookie } });
    expect(errand.text).toContain('Publicera förslaget');
    const csrf = /name="csrf" value="([^"]+)"/.exec(errand.text)![1]!;
    expect((await form(`/handlaggning/arende/${reference}`, { csrf, action: 'publish' }, cookie)).status).toBe(303);

    const list = await rawRequest(`${server.url}/e-forslag/publicerade`);
    expect(list.text).toContain(title);
    expect(list.text).toContain('0 av 2 stöd');
    const page = await rawRequest(`${server.url}${publicPath}`);
    expect(page.text).toContain('Av Petra Förslagsställare, publicerat');
    expect(page.text).not.toContain(proposer);

    // Something that is not an address comes back with the error and what was typed.
    const refused = await form(publicPath, { email: 'anna.example.se' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Skriv e-postadressen i rätt form');
    expect(refused.text).toContain('value="anna.example.se"');

    // The first supporter confirms.
    expect(await support(publicPath, 'anna@example.se')).toBe(`${publicPath}?stod=pending`);
    const first = await smtp.waitFor((mail) => JSON.stringify(mail.to).includes('anna@example.se'));
    expect(first.subject).toBe(`Bekräfta ditt stöd för ”${title}”`);
    expect(automaticHeaders(first)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'sv' });
    const confirmPage = await rawRequest(linkIn(first));
    expect(confirmPage.text).toContain('Jag stöder förslaget');
    expect((await rawRequest(`${server.url}${publicPath}`)).text).toContain('0 av 2 stöd');
    const confirmed = await rawRequest(linkIn(first), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(confirmed.headers.location).toBe(`${publicPath}?stod=confirmed`);
    expect((await rawRequest(`${server.url}${publicPath}`)).text).toContain('1 av 2 stöd');

    // The same address again, however written, counts once.
    expect(await support(publicPath, ' Anna@Example.se ')).toBe(`${publicPath}?stod=already`);
    await rawRequest(linkIn(first), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect((await rawRequest(`${server.url}${publicPath}`)).text).toContain('1 av 2 stöd');

    // A second address reaches the threshold: the proposer is told, once.
    await support(publicPath, 'bo@example.se');
    const second = await smtp.waitFor((mail) => JSON.stringify(mail.to).includes('bo@example.se'));
    await rawRequest(linkIn(second), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect((await rawRequest(`${server.url}${publicPath}`)).text).toContain('2 av 2 stöd');
    const threshold = await smtp.waitFor((mail) => mail.subject === `Ditt e-förslag ${reference} har fått tillräckligt många stöd`);
    expect(JSON.stringify(threshold.to)).toContain(proposer);
    expect(threshold.text).toContain('2 stöd');
    expect(automaticHeaders(threshold)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'sv' });

    // Its last day passes: it closes, the proposer is told, and it takes no more support.
    await withDatabase((db) => db.query("UPDATE submissions SET closes_on = '2020-01-01' WHERE reference = ?", [reference]), server.databaseUrl);
    const closed = await smtp.waitFor((mail) => mail.subject === `Ditt e-förslag ${reference} är avslutat`);
    expect(closed.text).toContain('fick 2 stöd');
    expect(automaticHeaders(closed)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'sv' });
    const after = await rawRequest(`${server.url}${publicPath}`);
    expect(after.text).toContain('Förslaget går inte längre att stödja.');
    expect(after.text).not.toContain('Skicka länken');
    expect(await support(publicPath, 'cecilia@example.se')).toBe(`${publicPath}?stod=closed`);
    const mails = smtp.messages.filter((mail) => mail.subject?.includes(reference) && mail.subject.includes('tillräckligt'));
    expect(mails).toHaveLength(1);
  });
});
