/**
 * Closing the loop, over HTTP against real processes: acknowledgement and reply e-mails over a
 * real SMTP server, staff sign-in and sessions (cookie flags, fixation, CSRF, lock-out), who
 * may see which errand, the status link as the only key, the resident's answer and rating,
 * and a history that cannot be edited. Runs on SQLite and on PostgreSQL.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase } from '../helpers/database';
import { startServer, type RunningServer } from '../helpers/server';
import { automaticHeaders, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';
import { FOLLOW_UP_PATH, followUpExportPath, STAFF_OPEN311_PATH, STAFF_PATH, STAFF_SIGN_IN_PATH, STAFF_SIGN_OUT_PATH, staffErrandPath } from '../../src/lib/routes';
import { csrfOf, postSubmission, rawRequest, setCookies, StaffBrowser, uniqueText, withDatabase } from './support';

const database = inject('databaseKind');
let server: RunningServer;
let smtp: TestSmtpServer;

const ROAD_WORKER = { email: 'vagar@varmdo.se', name: 'Vera Vägar', role: 'caseworker', units: ['gator-och-parker'] };
const SCHOOL_WORKER = { email: 'skola@varmdo.se', name: 'Sam Skola', role: 'caseworker', units: ['barn-och-utbildning'] };

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ database, env: { SMTP_URL: smtp.url, SIGN_IN_LOCKOUT_SECONDS: '1', TRUST_PROXY: '1' } });
  addStaffUser(server.databaseUrl, ROAD_WORKER);
  addStaffUser(server.databaseUrl, SCHOOL_WORKER);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

async function faultReport(overrides: Record<string, unknown> = {}): Promise<{ reference: string; statusUrl: string; message: string }> {
  const message = uniqueText('Trasig gatlampa');
  const response = await postSubmission(server.url, {
    type: 'fault_report',
    category: 'gatubelysning',
    location: { description: 'Hamnvägen 3, Gustavsberg' },
    message,
    contact: { name: 'Bo Boende', email: `bo.${Date.now()}@example.se` },
    ...overrides,
  });
  expect(response.status, response.text).toBe(201);
  return { ...response.json(), message };
}

const linkIn = (mail: ParsedMail) => /https?:\/\/\S+\/arende\/[\w-]+/.exec(mail.text ?? '')?.[0] ?? '';

describe('e-mail to the resident', () => {
  it('acknowledges a submission in the person’s language, with the reference, who answers by when, and the status link', async () => {
    const recipient = `amal.${Date.now()}@example.se`;
    const response = await postSubmission(server.url, {
      type: 'question',
      language: 'ar',
      message: uniqueText('سؤال عن المدرسة'),
      contact: { email: recipient },
    });
    expect(response.status, response.text).toBe(201);
    const { reference, statusUrl } = response.json();
    const mail = await smtp.waitFor((message) => message.to !== undefined && JSON.stringify(message.to).includes(recipient));
    expect(mail.subject).toBe(`لقد استلمنا طلبك ${reference}`);
    expect(mail.from?.text).toContain('varmdo.kommun@varmdo.se');
    expect(mail.text).toContain(reference);
    expect(mail.html).toContain('lang="ar" dir="rtl"');
    expect(automaticHeaders(mail)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'ar' });
    expect(linkIn(mail)).toBe(statusUrl);
    expect((await rawRequest(linkIn(mail))).text).toContain(reference);
  });

  it('sends nothing to a person who left no e-mail address', async () => {
    const before = smtp.messages.length;
    const { reference } = await faultReport({ contact: { phone: '070-123 45 67' } });
    await new Promise((wait) => setTimeout(wait, 2_500));
    expect(smtp.messages.slice(before).filter((message) => message.text?.includes(reference))).toEqual([]);
  });
});

describe('staff sign-in', () => {
  it('sends an anonymous visitor of any staff page to sign-in, and back there afterwards', async () => {
    const visitor = new StaffBrowser(server.url);
    const inbox = await visitor.request('/handlaggning');
    expect(inbox.status).toBe(303);
    expect(inbox.headers.location).toBe('/handlaggning/logga-in?till=%2Fhandlaggning');
    const errand = await visitor.request('/en/handlaggning/arende/VDO-2026-000001');
    expect(errand.status).toBe(303);
    expect(errand.headers.location).toBe('/en/handlaggning/logga-in?till=%2Fen%2Fhandlaggning%2Farende%2FVDO-2026-000001');
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, Secure behind TLS, never the one the visitor brought', async () => {
    const fixed = 'angriparens-kaka-som-inte-ska-godtas';
    const browser = new StaffBrowser(server.url);
    browser.cookies.set('handlaggning', fixed);
    const signedIn = await browser.signIn(ROAD_WORKER.email);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/handlaggning');
    const cookie = setCookies(signedIn).find((line) => line.startsWith('handlaggning='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    expect(browser.cookies.get('handlaggning')).not.toBe(fixed);
    expect((await browser.request('/handlaggning')).status).toBe(200);
    // The value the visitor brought opens nothing.
    const attacker = new StaffBrowser(server.url);
    attacker.cookies.set('handlaggning', fixed);
    expect((await attacker.request('/handlaggning')).status).toBe(303);

    const overTls = new StaffBrowser(server.url, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '192.0.2.50' });
    const secure = await overTls.signIn(SCHOOL_WORKER.email);
    expect(setCookies(secure).find((line) => line.startsWith('handlaggning='))).toMatch(/;\s*Secure/i);
  });

  it.each([
    ['Swedish', '', 'sv', 'Inkorg'],
    ['English', '/en', 'en', 'Inbox'],
  ])('works in %s from a fresh browser: sign-in, every staff page and form, sign-out', { timeout: 30_000 }, async (_language, prefix, lang, inboxTitle) => {
    const admin = { email: `admin${prefix.replace('/', '.')}@varmdo.se`, name: 'Ada Admin', role: 'admin' };
    addStaffUser(server.databaseUrl, admin);
    const { reference } = await faultReport();
    const staffPages = [STAFF_PATH, staffErrandPath(reference), FOLLOW_UP_PATH, followUpExportPath('siffror.csv'), STAFF_OPEN311_PATH].map((path) => `${prefix}${path}`);
    const browser = new StaffBrowser(server.url);

    const signInPage = await browser.request(`${prefix}${STAFF_SIGN_IN_PATH}`);
    expect(signInPage.text).toContain(`lang="${lang}"`);
    expect(setCookies(signInPage).find((line) => line.startsWith('handlaggning-inloggning='))).toMatch(/HttpOnly/i);
    const signedIn = await browser.signIn(admin.email, STAFF_PASSWORD, prefix);
    expect(signedIn.status, signedIn.text).toBe(303);
    expect(signedIn.headers.location).toBe(`${prefix}${STAFF_PATH}`);
    expect(browser.cookies.has('handlaggning')).toBe(true);
    expect(browser.cookies.has('handlaggning-inloggning')).toBe(false);

    for (const path of staffPages) expect((await browser.request(path)).status, path).toBe(200);
    expect((await browser.request(`${prefix}${STAFF_PATH}`)).text).toContain(`<h1>${inboxTitle}`);
    const note = uniqueText('Anteckning');
    const noted = await browser.post(`${prefix}${staffErrandPath(reference)}`, { action: 'note', note });
    expect(noted.status).toBe(303);
    expect(noted.headers.location).toBe(`${prefix}${staffErrandPath(reference)}?klart=note`);
    expect((await browser.request(`${prefix}${staffErrandPath(reference)}`)).text).toContain(note);

    const keys = await browser.post(`${prefix}${STAFF_OPEN311_PATH}`, { action: 'issue', client: uniqueText('App') });
    expect(keys.status).toBe(200);
    const keyId = /name="id" value="(\d+)"/.exec(keys.text)?.[1] ?? '';
    const revoked = await browser.post(`${prefix}${STAFF_OPEN311_PATH}`, { action: 'revoke', id: keyId });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe(`${prefix}${STAFF_OPEN311_PATH}?indragen=${keyId}`);
    const forgotten = await browser.post(`${prefix}${staffErrandPath(reference)}`, { action: 'forget' });
    expect(forgotten.status).toBe(303);
    expect(forgotten.headers.location).toBe(`${prefix}${staffErrandPath(reference)}?klart=forget`);

    const inbox = await browser.request(`${prefix}${STAFF_PATH}`);
    const signedOut = await browser.request(`${prefix}${STAFF_SIGN_OUT_PATH}`, { form: { csrf: csrfOf(inbox) } });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toBe(`${prefix}${STAFF_SIGN_IN_PATH}`);
    expect(browser.cookies.has('handlaggning')).toBe(false);
    for (const path of staffPages) {
      const after = await browser.request(path);
      expect(after.status, path).toBe(303);
      expect(after.headers.location).toBe(`${prefix}${STAFF_SIGN_IN_PATH}?till=${encodeURIComponent(path)}`);
    }
  });

  it('refuses a sign-in or a staff form without its CSRF token, and records nothing', async () => {
    const browser = new StaffBrowser(server.url);
    const noToken = await browser.request('/handlaggning/logga-in', { form: { email: ROAD_WORKER.email, password: STAFF_PASSWORD } });
    expect(noToken.status).toBe(403);
    expect(browser.cookies.has('handlaggning')).toBe(false);

    await browser.signIn(ROAD_WORKER.email);
    const { reference } = await faultReport();
    const note = uniqueText('Anteckning utan token');
    const refused = await browser.request(`/handlaggning/arende/${reference}`, { form: { action: 'note', note } });
    expect(refused.status).toBe(403);
    const wrong = await browser.request(`/handlaggning/arende/${reference}`, { form: { action: 'note', note, csrf: 'fel' } });
    expect(wrong.status).toBe(403);
    expect((await browser.request(`/handlaggning/arende/${reference}`)).text).not.toContain(note);
    const signOut = await browser.request('/handlaggning/logga-ut', { form: {} });
    expect(signOut.status).toBe(403);
  });

  it('closes sign-in after repeated failures, for a while that grows, even for the right password', { timeout: 30_000 }, async () => {
    const email = 'lasning@varmdo.se';
    addStaffUser(server.databaseUrl, { email, name: 'Lo Låsning', role: 'manager', units: ['kontaktcenter'] });
    const browser = new StaffBrowser(server.url);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const wrong = await browser.signIn(email, 'fel lösenord');
      expect(wrong.status, `attempt ${attempt}`).toBe(422);
      expect(wrong.text).toContain('E-postadressen eller lösenordet stämmer inte.');
    }
    expect((await browser.signIn(email, 'fel lösenord')).status).toBe(429);
    const lockedOut = await browser.signIn(email);
    expect(lockedOut.status).toBe(429);
    expect(lockedOut.text).toContain('För många misslyckade försök');
    expect(browser.cookies.has('handlaggning')).toBe(false);
    await new Promise((wait) => setTimeout(wait, 1_200));
    const signedIn = await browser.signIn(email);
    expect(signedIn.status).toBe(303);
  });
});

describe('who sees an errand', () => {
  it('shows a unit’s errand to its caseworker and answers 403 to a caseworker of another unit', async () => {
    const { reference } = await faultReport();
    const road = new StaffBrowser(server.url);
    await road.signIn(ROAD_WORKER.email);
    expect((await road.request('/handlaggning')).text).toContain(reference);
    expect((await road.request(`/handlaggning/arende/${reference}`)).status).toBe(200);

    const school = new StaffBrowser(server.url);
    await school.signIn(SCHOOL_WORKER.email);
    expect((await school.request('/handlaggning')).text).not.toContain(reference);
    const forbidden = await school.request(`/handlaggning/arende/${reference}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).not.toContain('Hamnvägen 3');
    const action = await school.request(`/handlaggning/arende/${reference}`, { form: { action: 'note', note: 'intrång', csrf: 'x' } });
    expect(action.status).toBe(403);
  });

  it('opens one errand’s status page with its own link only', async () => {
    const first = await faultReport();
    const second = await faultReport();
    const firstPage = await rawRequest(first.statusUrl);
    expect(firstPage.text).toContain(first.reference);
    expect(firstPage.text).not.toContain(second.reference);
    const token = new URL(first.statusUrl).pathname.split('/').pop()!;
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await rawRequest(`${server.url}/arende/${altered}`)).status).toBe(404);
    expect((await rawRequest(`${server.url}/arende/${first.reference}`)).status).toBe(404);
  });
});

describe('a reply', () => {
  it('goes out by e-mail with a working link, shows on the status page, takes one answer back and one rating', { timeout: 60_000 }, async () => {
    const report = await faultReport();
    const staffBrowser = new StaffBrowser(server.url);
    await staffBrowser.signIn(ROAD_WORKER.email);
    const errandPath = `/handlaggning/arende/${report.reference}`;
    const reply = uniqueText('Vi byter lampan på måndag');
    const sent = await staffBrowser.request(errandPath, { form: { csrf: csrfOf(await staffBrowser.request(errandPath)), action: 'reply', reply } });
    expect(sent.status).toBe(303);

    const mail = await smtp.waitFor((message) => message.subject === `Svar på ditt ärende ${report.reference}`);
    expect(mail.text).toContain(reply);
    expect(automaticHeaders(mail)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'sv' });
    // In a Swedish message the Swedish reply needs no marking of its own.
    expect(mail.html).toContain(`<html lang="sv" dir="ltr"><body>`);
    expect(mail.html).not.toContain('<div lang=');
    const link = linkIn(mail);
    expect(link).not.toBe(report.statusUrl);
    const page = await rawRequest(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain(report.reference);
    expect(page.text).toContain(reply);
    expect(page.text).toContain('Besvarat');

    const answer = uniqueText('Tack, men det är lampan vid busshållplatsen');
    const path = new URL(link).pathname;
    const answered = await rawRequest(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'answer', answer }).toString() });
    expect(answered.status).toBe(303);
    expect(answered.headers.location).toBe(`${path}?skickat=answer`);
    const again = await rawRequest(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'answer', answer: 'En gång till' }).toString() });
    expect(again.status).toBe(303);

    const noRating = await rawRequest(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'rate', ratingComment: 'kvar' }).toString() });
    expect(noRating.status).toBe(422);
    expect(noRating.text).toContain('Välj hur nöjd du är.');
    expect(noRating.text).toContain('kvar');
    const rated = await rawRequest(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'rate', rating: '4', ratingComment: 'Snabbt svar' }).toString() });
    expect(rated.status).toBe(303);
    expect((await rawRequest(`${server.url}${rated.headers.location}`)).text).toContain('Tack! Du gav bemötandet 4 av 5.');

    const stored = await withDatabase(
      (db) => db.query<{ rating: number; rating_comment: string; status: string }>('SELECT rating, rating_comment, status FROM submissions WHERE reference = ?', [report.reference]),
      server.databaseUrl,
    );
    expect(stored).toEqual([{ rating: 4, rating_comment: 'Snabbt svar', status: 'in_progress' }]);
    const staffView = (await staffBrowser.request(errandPath)).text;
    expect(staffView).toContain(answer);
    expect(staffView).not.toContain('En gång till');
    expect(staffView).toContain('4 av 5');
  });

  it('to an errand in Arabic marks the Swedish reply as Swedish, left to right, inside the right-to-left message', { timeout: 60_000 }, async () => {
    const recipient = `nadia.${Date.now()}@example.se`;
    const report = await faultReport({ language: 'ar', contact: { name: 'Nadia', email: recipient } });
    const staffBrowser = new StaffBrowser(server.url);
    await staffBrowser.signIn(ROAD_WORKER.email);
    const errandPath = `/handlaggning/arende/${report.reference}`;
    const reply = `${uniqueText('Vi lagar lampan på Hamnvägen 3')}.\nTack för att du hörde av dig!`;
    const sent = await staffBrowser.request(errandPath, { form: { csrf: csrfOf(await staffBrowser.request(errandPath)), action: 'reply', reply } });
    expect(sent.status).toBe(303);

    const mail = await smtp.waitFor((message) => JSON.stringify(message.to).includes(recipient) && message.subject?.includes('رد') === true);
    expect(automaticHeaders(mail)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'ar' });
    const html = mail.html as string;
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/);
    const [firstLine, secondLine] = reply.split('\n');
    expect(html).toContain(`<div lang="sv" dir="ltr"><p>${firstLine}<br>${secondLine}</p></div>`);
    // Arabic text around it is not marked as Swedish.
    expect(html).not.toMatch(/<div lang="sv" dir="ltr">[^<]*<p>[^<]*[\u0600-\u06FF]/);
    // Plain text has no elements: each Swedish line is a left-to-right isolate (U+2066 … U+2069).
    expect(mail.text).toContain(`\u2066${firstLine}\u2069\n\u2066${secondLine}\u2069`);
  });

  it('leaves a history that the database itself refuses to change', async () => {
    const report = await faultReport();
    const browser = new StaffBrowser(server.url);
    await browser.signIn(ROAD_WORKER.email);
    const path = `/handlaggning/arende/${report.reference}`;
    await browser.request(path, { form: { csrf: csrfOf(await browser.request(path)), action: 'note', note: 'Ringde och bekräftade platsen.' } });
    const db = await openTestDatabase(server.databaseUrl);
    try {
      const [event] = await db.query<{ id: number; kind: string }>('SELECT e.id, e.kind FROM submission_events e JOIN submissions s ON s.id = e.submission_id WHERE s.reference = ?', [report.reference]);
      expect(event?.kind).toBe('note');
      await expect(db.query('UPDATE submission_events SET kind = ? WHERE id = ?', ['reply', event!.id])).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM submission_events WHERE id = ?', [event!.id])).rejects.toThrow(/append-only/);
    } finally {
      await db.close();
    }
  });
});

describe('the inbox', () => {
  it('filters, counts, flags overdue errands, pages by 25, and reclassifies', { timeout: 60_000 }, async () => {
    const manager = { email: `chef.${Date.now()}@varmdo.se`, name: 'Cecilia Chef', role: 'manager', units: ['kultur-och-fritid'] };
    addStaffUser(server.databaseUrl, manager);
    const sent: string[] = [];
    for (let index = 0; index < 27; index += 1) {
      const response = await postSubmission(server.url, {
        type: 'feedback',
        feedbackKind: index % 3 === 0 ? 'complaint' : 'praise',
        unit: 'kultur-och-fritid',
        message: uniqueText(`Biblioteket #${index}`),
        contact: { email: 'lasare@example.se' },
      });
      sent.push(response.json().reference);
    }
    // Two of them were due last week and are still unanswered.
    await withDatabase((db) => db.query("UPDATE submissions SET reply_by = '2020-01-02' WHERE reference IN (?, ?)", [sent[0], sent[1]]), server.databaseUrl);
    const browser = new StaffBrowser(server.url);
    await browser.signIn(manager.email);

    const first = await browser.request('/handlaggning');
    expect(first.text).toContain('27 ärenden');
    expect(first.text).toContain('Ärenden, sida 1 av 2');
    expect(first.text).toContain(sent[26]);
    expect(first.text).not.toContain(sent[0]);
    expect(first.text).toContain('Klagomål (9)');
    expect(first.text).toContain('Bara försenade (2)');
    const next = /<a href="([^"]+)" rel="next">/.exec(first.text)?.[1]?.replaceAll('&amp;', '&');
    const second = await browser.request(next!);
    expect(second.text).toContain('Ärenden, sida 2 av 2');
    expect(second.text).toContain('<li aria-current="page">Sida 2 av 2</li>');
    expect(second.text).toContain('Första sidan');
    expect(second.text).not.toContain('Sista sidan');
    const last = /<a href="([^"]+)">Sista sidan<\/a>/.exec(first.text)?.[1]?.replaceAll('&amp;', '&');
    expect((await browser.request(last!)).text).toContain(sent[0]);
    // A cursor that is not one reads the first page.
    const broken = await browser.request('/handlaggning?sida=eyJyZXF1ZXN0Ijp7ImFmdGVyIjoxfSwibnVtYmVyIjoyfQ');
    expect(broken.status).toBe(200);
    expect(broken.text).toContain('Ärenden, sida 1 av 2');
    expect(second.text).toContain(sent[0]);
    expect(second.text).toContain('Försenat');

    const complaints = await browser.request('/handlaggning?feedbackKind=complaint&sort=due');
    expect(complaints.text).toContain('9 ärenden');
    expect(complaints.text).not.toContain(sent[1]);
    const overdue = await browser.request('/handlaggning?overdue=1');
    expect(overdue.text).toContain('2 ärenden');
    expect(overdue.text.indexOf(sent[0]!)).toBeGreaterThan(-1);

    // A complaint that is really a fault report.
    const path = `/handlaggning/arende/${sent[3]}`;
    const moved = await browser.request(path, { form: { csrf: csrfOf(await browser.request(path)), action: 'reclassify', type: 'fault_report' } });
    expect(moved.status).toBe(303);
    const after = await browser.request(path);
    expect(after.text).toContain('Omklassificerat till Felanmälan');
    expect((await browser.request('/handlaggning?type=fault_report&unit=kultur-och-fritid')).text).toContain(sent[3]);
    const missingKind = await browser.request(path, { form: { csrf: csrfOf(after), action: 'reclassify', type: 'feedback' } });
    expect(missingKind.status).toBe(422);
    expect(missingKind.text).toContain('Välj ett av alternativen.');
  });
});
