/**
 * The contact centre registers an errand, over HTTP against the built server on SQLite and on
 * PostgreSQL: the same intake as the web (reference, reply-by date, unit, acknowledgement in
 * the person's language, status link), the channel and who registered it, an errand answered
 * at once closed with its reply in one step, and a letter's scan told by its content, kept for
 * staff and served only to those who may see the errand.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { caseFilePath, STAFF_REGISTER_PATH, staffErrandPath } from '../../src/lib/routes';
import { metadataOf, photoWithGps } from '../helpers/photos';
import { startServer, type RunningServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { addStaffUser } from '../helpers/staff';
import { csrfOf, hiddenFields, rawRequest, StaffBrowser, uniqueText, withDatabase, workingDaysAfter, dateInSweden, type RawResponse } from './support';

const database = inject('databaseKind');
let server: RunningServer;
let smtp: TestSmtpServer;

const CONTACT_CENTRE = { email: 'kc@varmdo.se', name: 'Kim Kontaktcenter', role: 'caseworker', units: ['kontaktcenter'] };
const ROAD_WORKER = { email: 'vag@varmdo.se', name: 'Vera Väg', role: 'caseworker', units: ['gator-och-parker'] };
const ADMIN = { email: 'admin@varmdo.se', name: 'Ada Admin', role: 'admin' };
const browsers: Record<string, StaffBrowser> = {};

/** A small but real PDF: what a scanner writes first is `%PDF-`. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ database, env: { SMTP_URL: smtp.url } });
  for (const user of [CONTACT_CENTRE, ROAD_WORKER, ADMIN]) {
    addStaffUser(server.databaseUrl, user);
    const browser = new StaffBrowser(server.url);
    expect((await browser.signIn(user.email)).status).toBe(303);
    browsers[user.email] = browser;
  }
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

const contactCentre = () => browsers[CONTACT_CENTRE.email]!;

/** The registration form's hidden fields (CSRF token, form token) for errand type `slug`. */
async function freshForm(browser: StaffBrowser, slug = 'fraga'): Promise<Record<string, string>> {
  const page = await browser.request(`${STAFF_REGISTER_PATH}?typ=${slug}`);
  expect(page.status).toBe(200);
  return hiddenFields(page.text);
}

/** Posts the registration form as a browser does: multipart, with a file when one is given. */
async function register(
  browser: StaffBrowser,
  fields: Record<string, string>,
  { slug = 'fraga', file, prefix = '' }: { slug?: string; file?: { name: string; type: string; bytes: Buffer }; prefix?: string } = {},
): Promise<RawResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('scan', file ? new File([new Uint8Array(file.bytes)], file.name, { type: file.type }) : new File([], '', { type: 'application/octet-stream' }));
  const encoded = new Request('http://multipart.invalid', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  return rawRequest(`${server.url}${prefix}${STAFF_REGISTER_PATH}?typ=${slug}`, {
    method: 'POST',
    headers: { 'Content-Type': encoded.headers.get('content-type') ?? '', Cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    body,
  });
}

async function storedRow(message: string) {
  return withDatabase(async (db) => {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM submissions WHERE ${db.jsonText('payload', 'message')} = ?`, [message]);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }, server.databaseUrl);
}

const mailTo = (recipient: string) => (message: ParsedMail) => JSON.stringify(message.to ?? '').includes(recipient);

describe('registering a phone call', () => {
  it('stores the errand through the web’s intake, with its channel and who registered it, and gives a receipt to read aloud', async () => {
    const message = uniqueText('Ringer om bygglov för altan');
    const email = `caller.${Date.now()}@example.se`;
    const fields = { ...(await freshForm(contactCentre())), channel: 'phone', language: 'en', message, reply: 'yes', 'contact.name': 'Cal Caller', 'contact.email': email };
    const posted = await register(contactCentre(), fields);
    expect(posted.status, posted.text).toBe(303);
    const location = String(posted.headers.location);
    expect(location).toMatch(/^\/handlaggning\/nytt\/[\w-]{20,}$/);

    const row = await storedRow(message);
    expect(row['channel']).toBe('phone');
    expect(row['language']).toBe('en');
    expect(row['handling_unit']).toBe('kontaktcenter');
    expect(row['status']).toBe('received');
    expect(Number(row['answered_at_first_contact'])).toBe(0);
    const registeredBy = await withDatabase((db) => db.query<{ name: string }>('SELECT u.name FROM staff_users u WHERE u.id = ?', [Number(row['registered_by'])]), server.databaseUrl);
    expect(registeredBy[0]?.name).toBe(CONTACT_CENTRE.name);
    expect(row['reply_by']).toBe(workingDaysAfter(dateInSweden(new Date(String(row['received_at']))), 2));

    const receipt = await contactCentre().request(location);
    expect(receipt.status).toBe(200);
    const spoken = String(row['reference']).replaceAll('-', ' ');
    expect(receipt.text).toContain(`Ditt ärende har nummer ${spoken}.`);
    expect(receipt.text).toMatch(/Kontaktcenter svarar senast \p{L}+dag \d+ \p{L}+\./u);
    const statusUrl = /href="(https?:\/\/[^"]+\/en\/arende\/[\w-]+)"/.exec(receipt.text)?.[1];
    expect(statusUrl, 'the receipt carries the person’s status link, in their language').toBeTruthy();
    expect((await rawRequest(statusUrl!)).text).toContain(String(row['reference']));

    // The acknowledgement goes to the person, in the language chosen for them, with the same link.
    const mail = await smtp.waitFor(mailTo(email));
    expect(mail.subject).toContain(String(row['reference']));
    expect(mail.headers.get('content-language')).toBe('en');
    expect(mail.text).toContain(statusUrl!);

    // The staff page says how it came in and who took it in.
    const errand = await contactCentre().request(staffErrandPath(String(row['reference'])));
    expect(errand.text).toMatch(/Kom in via<\/dt><dd>Telefon<\/dd>/);
    expect(errand.text).toMatch(new RegExp(`Registrerat av</dt><dd>${CONTACT_CENTRE.name}</dd>`));
  });

  it('registers a post sent twice with the same form once, and shows the same receipt', async () => {
    const message = uniqueText('Dubbelklick på registrera');
    const fields = { ...(await freshForm(contactCentre())), channel: 'visit', message, reply: 'no' };
    const first = await register(contactCentre(), fields);
    const second = await register(contactCentre(), fields);
    expect(first.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await storedRow(message))['channel']).toBe('visit');
  });

  it('shows the form again with an error summary and every value kept when something is missing', async () => {
    const fields = { ...(await freshForm(contactCentre(), 'synpunkt')), channel: '', language: 'sv', message: '', reply: 'yes', 'contact.name': 'Åsa Öberg', 'contact.phone': '070-123 45 67' };
    const page = await register(contactCentre(), fields, { slug: 'synpunkt' });
    expect(page.status).toBe(422);
    expect(page.text).toContain('class="error-summary"');
    expect(page.text).toContain('href="#field-channel"');
    expect(page.text).toContain('href="#field-message"');
    expect(page.text).toContain('href="#field-feedbackKind"');
    expect(page.text).toContain('value="Åsa Öberg"');
    expect(page.text).toContain('value="070-123 45 67"');
  });

  it('refuses a post without the session’s CSRF token and stores nothing', async () => {
    const message = uniqueText('Utan CSRF');
    const fields = { ...(await freshForm(contactCentre())), csrf: 'fel', channel: 'phone', message, reply: 'no' };
    expect((await register(contactCentre(), fields)).status).toBe(403);
    expect(await withDatabase((db) => db.query(`SELECT id FROM submissions WHERE ${db.jsonText('payload', 'message')} = ?`, [message]), server.databaseUrl)).toEqual([]);
  });

  it('works in English too', async () => {
    const english = new StaffBrowser(server.url);
    await english.signIn(CONTACT_CENTRE.email, undefined, '/en');
    const page = await english.request(`/en${STAFF_REGISTER_PATH}`);
    expect(page.text).toContain('<h1>Register an errand</h1>');
    const message = uniqueText('English registration');
    const posted = await register(english, { ...hiddenFields(page.text), channel: 'social', message, reply: 'no' }, { prefix: '/en' });
    expect(posted.status).toBe(303);
    expect(String(posted.headers.location)).toMatch(/^\/en\/handlaggning\/nytt\//);
    const receipt = await english.request(String(posted.headers.location));
    expect(receipt.text).toContain('Your errand has number');
  });
});

describe('answered at once', () => {
  it('registers and closes the errand in one step, the answer in its history and sent by e-mail as one message', async () => {
    const message = uniqueText('När öppnar återvinningscentralen?');
    const answer = 'Återvinningscentralen öppnar klockan 7 på vardagar.';
    const email = `svar.${Date.now()}@example.se`;
    const fields = { ...(await freshForm(contactCentre())), channel: 'phone', language: 'sv', message, reply: 'yes', 'contact.email': email, answeredAtOnce: 'yes', answer };
    const posted = await register(contactCentre(), fields);
    expect(posted.status, posted.text).toBe(303);

    const row = await storedRow(message);
    expect(row['status']).toBe('closed');
    expect(Number(row['answered_at_first_contact'])).toBe(1);
    expect(row['answered_at']).toBeTruthy();
    expect(row['first_reply_at'], 'the follow-up counts it as replied').toBeTruthy();
    const events = await withDatabase((db) => db.query<{ kind: string; actor: string; data: string | Record<string, unknown> }>('SELECT kind, actor, data FROM submission_events WHERE submission_id = ?', [Number(row['id'])]), server.databaseUrl);
    expect(events.map((event) => [event.kind, event.actor])).toEqual([['reply', 'staff']]);
    expect(JSON.stringify(events[0]?.data)).toContain('klockan 7');

    const receipt = await contactCentre().request(String(posted.headers.location));
    expect(receipt.text).toContain('Du har fått ditt svar, och ärendet är avslutat.');
    const mail = await smtp.waitFor(mailTo(email));
    expect(mail.text).toContain(answer);
    expect(mail.text).toContain(String(row['reference']));
    const page = await contactCentre().request(staffErrandPath(String(row['reference'])));
    expect(page.text).toContain(answer);
    const mails = await withDatabase((db) => db.query('SELECT id FROM outgoing_emails WHERE submission_id = ?', [Number(row['id'])]), server.databaseUrl);
    expect(mails, 'one message: the answer, not an acknowledgement and then the answer').toHaveLength(1);
  });

  it('asks for the answer when “answered at once” is chosen without one', async () => {
    const fields = { ...(await freshForm(contactCentre())), channel: 'phone', message: uniqueText('Svar saknas'), reply: 'no', answeredAtOnce: 'yes', answer: '  ' };
    const page = await register(contactCentre(), fields);
    expect(page.status).toBe(422);
    expect(page.text).toContain('href="#field-answer"');
  });
});

describe('a letter’s scan', () => {
  async function letter(file: { name: string; type: string; bytes: Buffer }, message = uniqueText('Brev om snöröjning')) {
    const fields = { ...(await freshForm(contactCentre(), 'felanmalan')), channel: 'letter', message, category: 'sno-och-halka', 'location.description': 'Skolvägen 4', reply: 'no' };
    return { response: await register(contactCentre(), fields, { slug: 'felanmalan', file }), message };
  }

  it('keeps a PDF with the errand, lists it on the errand page, and serves it only to staff who may see the errand, as a download', async () => {
    const { response, message } = await letter({ name: 'brev från Åsa.pdf', type: 'application/pdf', bytes: PDF });
    expect(response.status, response.text).toBe(303);
    const row = await storedRow(message);
    expect(row['channel']).toBe('letter');
    expect(row['handling_unit']).toBe('gator-och-parker');

    // The contact centre registered it for the roads unit: the roads unit and the admin see it.
    const page = await browsers[ROAD_WORKER.email]!.request(staffErrandPath(String(row['reference'])));
    const link = /href="(\/handlaggning\/filer\/[\w-]+)">brev från Åsa\.pdf<\/a> \(PDF, 1 kB\)/.exec(page.text)?.[1];
    expect(link, page.text.slice(0, 200)).toBeTruthy();
    for (const who of [ROAD_WORKER.email, ADMIN.email]) {
      const file = await browsers[who]!.request(link!);
      expect(file.status).toBe(200);
      expect(file.body.equals(PDF)).toBe(true);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="brev fr_n _sa\.pdf"; filename\*=UTF-8''brev%20fr%C3%A5n%20%C3%85sa\.pdf$/);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['cache-control']).toContain('no-store');
    }
    // A caseworker of another unit gets nothing, nor does anyone not signed in.
    expect((await contactCentre().request(link!)).status).toBe(403);
    const anonymous = await rawRequest(`${server.url}${link}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.body.includes(PDF)).toBe(false);
    expect((await browsers[ADMIN.email]!.request(caseFilePath('AAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(404);
  });

  it('takes a PNG named .pdf as the image it is, cleaned of its metadata', async () => {
    const png = await photoWithGps('png');
    const { response, message } = await letter({ name: 'skanning.pdf', type: 'application/pdf', bytes: png });
    expect(response.status, response.text).toBe(303);
    const row = await storedRow(message);
    const files = await withDatabase((db) => db.query<{ file_name: string; content_type: string; bytes: Buffer }>('SELECT file_name, content_type, bytes FROM case_files WHERE submission_id = ?', [Number(row['id'])]), server.databaseUrl);
    expect(files.map((file) => [file.file_name, file.content_type])).toEqual([['skanning.jpg', 'image/jpeg']]);
    expect(await metadataOf(Buffer.from(files[0]!.bytes))).toMatchObject({ format: 'jpeg', exif: false, xmp: false });
  });

  it('refuses a text file named .pdf with the form back, everything typed kept, and stores nothing', async () => {
    const message = uniqueText('Brev med fel fil');
    const { response } = await letter({ name: 'brev.pdf', type: 'application/pdf', bytes: Buffer.from('Hej! Det här är ingen PDF.\n') }, message);
    expect(response.status).toBe(415);
    expect(response.text).toContain('href="#field-scan"');
    expect(response.text).toContain('Filen brev.pdf är inte en PDF, JPEG eller PNG.');
    expect(response.text).toContain(message);
    expect(response.text).toContain('value="Skolvägen 4"');
    expect(await withDatabase((db) => db.query(`SELECT id FROM submissions WHERE ${db.jsonText('payload', 'message')} = ?`, [message]), server.databaseUrl)).toEqual([]);
  });

  it('refuses a file over the limit with 413 and the form back', async () => {
    const { response } = await letter({ name: 'stor.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) });
    expect(response.status).toBe(413);
    expect(response.text).toContain('href="#field-scan"');
    expect(csrfOf(response)).toBeTruthy();
    expect(response.text).toContain('value="Skolvägen 4"');
  });

  it('refuses a post larger than the form and its scan may be with 413 and the form back, before reading it all', async () => {
    const { response } = await letter({ name: 'jättestor.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]) });
    expect(response.status).toBe(413);
    expect(response.text).toContain('href="#field-scan"');
    expect(response.text).toContain('Filen är för stor. Den får vara högst 10 MB.');
  });
});
