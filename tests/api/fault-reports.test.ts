/**
 * "Already reported?" over HTTP against a server of its own (so no other test's reports lie at
 * the same place): the public list and page of a fault report show nothing personal, the form
 * and the API offer open reports at the same place, "this is my problem too" counts once per
 * address, and a supporter who left an address hears by e-mail — over a real SMTP server — when
 * the fault is fixed, after which the address is gone. Runs on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server';
import { automaticHeaders, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { addStaffUser } from '../helpers/staff';
import { countSubmissions, csrfOf, expectProblem, hiddenFields, postSubmission, rawRequest, StaffBrowser, sv, uniqueText, withDatabase, type RawResponse } from './support';

const database = inject('databaseKind');
let server: RunningServer;
let smtp: TestSmtpServer;
const ROAD_WORKER = { email: 'vagar@varmdo.se', name: 'Vera Vägar', role: 'caseworker', units: ['gator-och-parker'] };

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ database, env: { SMTP_URL: smtp.url, FORM_MIN_FILL_SECONDS: '0' } });
  addStaffUser(server.databaseUrl, ROAD_WORKER);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

/** What a reporter told us that must never be public. */
const PERSONAL = { name: 'Nils Namnsson', email: 'nils.namnsson@example.se', phone: '070-1234567' };

async function report(category: string, description: string, position?: { lat: number; lon: number }): Promise<{ reference: string; message: string }> {
  const message = uniqueText('Lampan blinkar utanför mitt hus, ring mig');
  const created = await postSubmission(server.url, { type: 'fault_report', category, location: { description, ...position }, message, contact: PERSONAL });
  expect(created.status, created.text).toBe(201);
  return { reference: created.json().reference, message };
}

function nearby(query: Record<string, string>, language = 'sv'): Promise<RawResponse> {
  return rawRequest(`${server.url}/api/v1/fault-reports/nearby?${new URLSearchParams(query)}`, { headers: { 'Accept-Language': language } });
}

const referencesIn = (response: RawResponse): string[] => response.json().reports.map((found: { reference: string }) => found.reference);

function postForm(path: string, fields: Record<string, string>): Promise<RawResponse> {
  return rawRequest(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

// Skogsbovägen in Gustavsberg; 0.0005° of latitude is about 56 metres, 0.005° about 560.
const HERE = { lat: 59.3262, lon: 18.3871 };

describe('fault reports already made', () => {
  it('are listed and shown to the public with category, place, date and status, and nothing personal', async () => {
    const place = uniqueText('Skogsbovägen 9, Gustavsberg');
    const { reference, message } = await report('gatubelysning', place, HERE);
    const list = await rawRequest(`${server.url}/felanmalan/rapporterade`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(place);
    expect(list.text).toContain('Gatubelysning');
    const page = await rawRequest(`${server.url}/felanmalan/rapporterade/${reference}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(reference);
    expect(page.text).toContain(sv['status.value.received']);
    for (const shown of [list.text, page.text]) {
      for (const secret of [PERSONAL.name, PERSONAL.email, PERSONAL.phone, message]) expect(shown).not.toContain(secret);
    }
    // Other errands are not fault reports to the public, whatever their reference.
    const question = await postSubmission(server.url, { type: 'question', message: uniqueText('En fråga'), contact: { email: 'fraga@example.se' } });
    expect((await rawRequest(`${server.url}/felanmalan/rapporterade/${question.json().reference}`)).status).toBe(404);

    const filtered = await rawRequest(`${server.url}/felanmalan/rapporterade?kategori=nedskrapning`);
    expect(filtered.text).not.toContain(place);
    const done = await rawRequest(`${server.url}/felanmalan/rapporterade?status=atgardade`);
    expect(done.text).not.toContain(place);
    // A page cursor that is not one made by the list shows its first page.
    const broken = await rawRequest(`${server.url}/felanmalan/rapporterade?sida=%7B%22x%22%3A1%7D`);
    expect(broken.status).toBe(200);
    expect(broken.text).toContain(place);
  });

  it('at the same place are offered by the API: by position within 150 m, or by the same place text, only open ones of the category', async () => {
    const place = uniqueText('Ekedalsvägen 3');
    const near = await report('gata-och-gangvag', place, HERE);
    const far = await report('gata-och-gangvag', uniqueText('Hemmesta centrum'), { lat: HERE.lat + 0.005, lon: HERE.lon });
    const otherKind = await report('nedskrapning', place, HERE);

    const byPosition = await nearby({ category: 'gata-och-gangvag', lat: String(HERE.lat + 0.0005), lon: String(HERE.lon), place: 'vid busshållplatsen' });
    expect(byPosition.status).toBe(200);
    expect(referencesIn(byPosition)).toContain(near.reference);
    expect(referencesIn(byPosition)).not.toContain(far.reference);
    expect(referencesIn(byPosition)).not.toContain(otherKind.reference);
    const [shown] = byPosition.json().reports.filter((found: { reference: string }) => found.reference === near.reference);
    expect(shown).toEqual({
      reference: near.reference,
      category: 'Gata, gång- eller cykelväg (hål, skador)',
      place,
      received: expect.stringMatching(/^Anmält \d/),
      status: sv['status.value.received'],
      supports: 'Fler med samma problem: 0',
      url: `/felanmalan/rapporterade/${near.reference}`,
    });
    expect(byPosition.text).not.toContain(PERSONAL.email);

    // The same place written another way, without a position.
    const byText = await nearby({ category: 'gata-och-gangvag', place: `  ${place.toUpperCase()}!` });
    expect(referencesIn(byText)).toEqual([near.reference]);
    // In the language asked for, with links in it.
    const inEnglish = await nearby({ category: 'gata-och-gangvag', place }, 'en');
    expect(inEnglish.json().reports[0]).toMatchObject({ category: 'Street, footpath or cycle path (holes, damage)', url: `/en/felanmalan/rapporterade/${near.reference}` });

    // Once closed, it is no longer offered.
    await withDatabase((db) => db.query("UPDATE submissions SET status = 'closed' WHERE reference = ?", [near.reference]), server.databaseUrl);
    expect(referencesIn(await nearby({ category: 'gata-och-gangvag', place }))).toEqual([]);
  });

  it('answer a wrong query with 422 and the fields at fault', async () => {
    const problem = expectProblem(await nearby({ category: 'finns-inte', lat: '91', lon: '18' }), 422);
    expect(problem.errors.map((error: { field: string; code: string }) => [error.field, error.code])).toEqual([
      ['category', 'error.category.required'],
      ['lat', 'error.coordinates.invalid'],
    ]);
    expectProblem(await nearby({ category: 'gatubelysning', lat: '59.3' }), 422);
  });

  it('are shown by the fault form without JavaScript before a report at the same place is stored, which the next post sends', async () => {
    const place = uniqueText('Värmdövägen 700');
    const existing = await report('sno-och-halka', place);
    const form = await rawRequest(`${server.url}/felanmalan`);
    const fields = {
      ...hiddenFields(form.text),
      category: 'sno-och-halka',
      'location.description': place.toLowerCase(),
      message: uniqueText('Ingen har plogat'),
      reply: 'no',
    };
    const before = await countSubmissions(server.databaseUrl);
    const offered = await postForm('/felanmalan', fields);
    expect(offered.status).toBe(200);
    expect(offered.text).toContain(sv['nearby.heading']);
    expect(offered.text).toContain(`/felanmalan/rapporterade/${existing.reference}`);
    expect(offered.text).toContain(fields.message);
    expect(await countSubmissions(server.databaseUrl)).toBe(before);

    const again = await postForm('/felanmalan', hiddenFieldsWith(offered.text, fields));
    expect(again.status).toBe(303);
    expect(String(again.headers.location)).toMatch(/^\/kvitto\//);
    expect(await countSubmissions(server.databaseUrl)).toBe(before + 1);
  });

  it('take "this is my problem too" once per address, and tell each supporter with an address when the fault is fixed', { timeout: 60_000 }, async () => {
    const place = uniqueText('Gustavsbergs hamn');
    const { reference } = await report('gatubelysning', place, HERE);
    const path = `/felanmalan/rapporterade/${reference}`;

    const wrong = await postForm(path, { email: 'inte-en-adress' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain(sv['error.email.invalid']);
    expect(wrong.text).toContain('value="inte-en-adress"');

    const anonymous = await postForm(path, { email: '' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`${path}?stod=added`);
    expect((await postForm(path, { email: 'Stina@Example.se' })).headers.location).toBe(`${path}?stod=addedWithEmail`);
    expect((await postForm(path, { email: ' stina@example.se ' })).headers.location).toBe(`${path}?stod=already`);
    const englishPath = `/en${path}`;
    expect((await postForm(englishPath, { email: 'tom@example.se' })).headers.location).toBe(`${englishPath}?stod=addedWithEmail`);
    const thanked = await rawRequest(`${server.url}${path}?stod=addedWithEmail`);
    expect(thanked.text).toContain(sv['faults.support.addedWithEmail']);
    expect(thanked.text).toMatch(/Fler med samma problem<\/dt><dd[^>]*>3</);

    // Staff mark it fixed: each address hears once, in its own language, and is then forgotten.
    const staff = new StaffBrowser(server.url);
    await staff.signIn(ROAD_WORKER.email);
    const errandPath = `/handlaggning/arende/${reference}`;
    const changed = await staff.request(errandPath, { form: { csrf: csrfOf(await staff.request(errandPath)), action: 'status', status: 'closed' } });
    expect(changed.status).toBe(303);
    const swedish = await smtp.waitFor((mail) => JSON.stringify(mail.to).includes('stina@example.se'));
    expect(swedish.subject).toBe(`Felet är åtgärdat (${reference})`);
    expect(swedish.text).toContain(place);
    expect(automaticHeaders(swedish)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'sv' });
    expect(swedish.text).toContain(`${server.url}${path}`);
    const english = await smtp.waitFor((mail) => JSON.stringify(mail.to).includes('tom@example.se'));
    expect(english.subject).toBe(`The fault has been fixed (${reference})`);
    expect(english.text).toContain(`${server.url}${englishPath}`);
    expect(automaticHeaders(english)).toEqual({ autoSubmitted: 'auto-generated', contentLanguage: 'en' });
    const kept = await withDatabase(
      (db) => db.query<{ email: string | null }>('SELECT f.email FROM fault_supports f JOIN submissions s ON s.id = f.submission_id WHERE s.reference = ?', [reference]),
      server.databaseUrl,
    );
    expect(kept.map((row) => row.email)).toEqual([null, null, null]);

    // Changing its status again sends nothing more, and a fixed fault takes no more support.
    await staff.request(errandPath, { form: { csrf: csrfOf(await staff.request(errandPath)), action: 'status', status: 'answered' } });
    expect((await postForm(path, { email: 'sen@example.se' })).headers.location).toBe(`${path}?stod=closed`);
    await new Promise((wait) => setTimeout(wait, 1500));
    expect(smtp.messages.filter((mail) => mail.subject?.includes(reference) && mail.subject.includes('åtgärdat'))).toHaveLength(1);
  });
});

/** The hidden fields of a returned form page with the values typed before. */
function hiddenFieldsWith(html: string, typed: Record<string, string>): Record<string, string> {
  return { ...typed, ...hiddenFields(html) };
}
