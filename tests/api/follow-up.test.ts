/**
 * Follow-up over HTTP against the built server, on SQLite and on PostgreSQL: errands sent
 * through the API, answered through the staff form, rated on the status page, pages rated
 * through "Was this page helpful?"; then the figures on the page and in the CSV and JSON
 * exports, and who may see them. Reception times are moved in the database afterwards so the
 * reply times and months are known exactly (the history itself is append-only), and some errands
 * are given the channel a staff member would have registered them by (phone, e-mail), one of
 * them answered at the first contact.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { swedishDate } from '../../src/lib/calendar';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser } from '../helpers/staff';
import { csrfOf, expectProblem, postSubmission, rawRequest, StaffBrowser, uniqueText, withDatabase } from './support';

const database = inject('databaseKind');
let server: RunningServer;

const ROADS = 'gator-och-parker';
const SCHOOLS = 'barn-och-utbildning';
const MANAGER = { email: 'chef.vagar@varmdo.se', name: 'Cecilia Chef', role: 'manager', units: [ROADS] };
const SCHOOL_MANAGER = { email: 'chef.skola@varmdo.se', name: 'Sune Skolchef', role: 'manager', units: [SCHOOLS] };
const ADMIN = { email: 'admin@varmdo.se', name: 'Ada Admin', role: 'admin' };
const CASEWORKER = { email: 'vagar@varmdo.se', name: 'Vera Vägar', role: 'caseworker', units: [ROADS] };
const HOUR = 3_600_000;

interface Sent {
  reference: string;
  statusUrl: string;
  message: string;
}

const sent: Record<string, Sent> = {};
/** A page's main content, whitespace collapsed (the inline style sheet names the classes too). */
const mainOf = (html: string) => html.slice(html.indexOf('<main')).replace(/[ \t\r\n]+/g, ' ');
let manager: StaffBrowser;
const today = swedishDate(new Date());
/** A period that holds every errand of this file. */
const ALL = `from=2020-01-01&to=${today}`;

async function send(name: string, body: Record<string, unknown>): Promise<void> {
  const message = uniqueText(`Uppföljning ${name}`);
  const response = await postSubmission(server.url, { message, ...body });
  expect(response.status, response.text).toBe(201);
  sent[name] = { ...response.json(), message };
}

async function reply(browser: StaffBrowser, reference: string): Promise<void> {
  const path = `/handlaggning/arende/${reference}`;
  const answered = await browser.request(path, { form: { csrf: csrfOf(await browser.request(path)), action: 'reply', reply: uniqueText('Tack, vi åtgärdar det') } });
  expect(answered.status, answered.text).toBe(303);
}

async function rate(errand: Sent, rating: number): Promise<void> {
  const rated = await rawRequest(errand.statusUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'rate', rating: String(rating), ratingComment: 'Vänligt bemötande' }).toString(),
  });
  expect(rated.status, rated.text).toBe(303);
}

async function pageFeedback(page: string, helpful: 'yes' | 'no', comment?: string): Promise<void> {
  const form = (fields: Record<string, string>) =>
    rawRequest(`${server.url}/sidfeedback`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const answered = await form({ page, helpful });
  const token = /sidfeedback=([\w-]{16})/.exec(String(answered.headers.location))?.[1];
  if (comment && token) await form({ page, token, comment });
}

/** Sets when an errand was received (and its reply-by date), as if it had come in then. */
async function receivedAt(reference: string, at: Date | ((firstReply: Date) => Date), replyBy?: string): Promise<void> {
  await withDatabase(async (db) => {
    const [row] = await db.query<{ id: number }>('SELECT id FROM submissions WHERE reference = ?', [reference]);
    const [reply] = await db.query<{ created_at: string }>("SELECT created_at FROM submission_events WHERE submission_id = ? AND kind = 'reply' ORDER BY id LIMIT 1", [row!.id]);
    const instant = typeof at === 'function' ? at(new Date(reply!.created_at)) : at;
    await db.query('UPDATE submissions SET received_at = ? WHERE id = ?', [instant.toISOString(), row!.id]);
    if (replyBy !== undefined) await db.query('UPDATE submissions SET reply_by = ? WHERE id = ?', [replyBy, row!.id]);
  }, server.databaseUrl);
}

/** Sets the channel an errand came by, and whether it was answered at the first contact, as the staff registration records them. */
async function cameBy(reference: string, channel: string, atFirstContact = false): Promise<void> {
  await withDatabase((db) => db.query('UPDATE submissions SET channel = ?, answered_at_first_contact = ? WHERE reference = ?', [channel, atFirstContact ? 1 : 0, reference]), server.databaseUrl);
}

beforeAll(async () => {
  server = await startServer({ database });
  for (const user of [MANAGER, SCHOOL_MANAGER, ADMIN, CASEWORKER]) addStaffUser(server.databaseUrl, user);
  const contact = (name: string) => ({ name: 'Bo Boende', email: `bo.${name}@example.se`, phone: '070-123 45 67' });
  for (const name of ['lamp1', 'lamp2', 'lamp3']) await send(name, { type: 'fault_report', category: 'gatubelysning', location: { description: 'Hamnvägen 3, Gustavsberg' }, contact: contact(name) });
  await send('graffiti', { type: 'fault_report', category: 'klotter-och-skadegorelse', location: { description: 'Tunneln vid Farstaviken' }, contact: contact('graffiti') });
  await send('complaint', { type: 'feedback', feedbackKind: 'complaint', unit: ROADS, contact: null });
  await send('praise', { type: 'feedback', feedbackKind: 'praise', unit: ROADS, contact: null });
  await send('school', { type: 'question', unit: SCHOOLS, contact: contact('school') });

  manager = new StaffBrowser(server.url);
  await manager.signIn(MANAGER.email);
  const caseworker = new StaffBrowser(server.url);
  await caseworker.signIn(CASEWORKER.email);
  await reply(caseworker, sent['lamp1']!.reference);
  await reply(manager, sent['lamp2']!.reference);
  await reply(caseworker, sent['lamp3']!.reference);
  // A second reply does not change the time to the first.
  await reply(manager, sent['lamp1']!.reference);
  await rate(sent['lamp1']!, 5);
  await rate(sent['lamp2']!, 4);
  await rate(sent['lamp3']!, 4);

  // Replies 2, 4 and 30 hours after reception; the second after its reply-by date.
  await receivedAt(sent['lamp1']!.reference, (first) => new Date(first.getTime() - 2 * HOUR));
  await receivedAt(sent['lamp2']!.reference, (first) => new Date(first.getTime() - 4 * HOUR), '2020-01-10');
  await receivedAt(sent['lamp3']!.reference, (first) => new Date(first.getTime() - 30 * HOUR));
  // Unanswered after its reply-by date.
  await receivedAt(sent['graffiti']!.reference, new Date('2025-01-07T10:00:00.000Z'), '2025-01-09');
  // 23:30 UTC on 31 October is 00:30 on 1 November in Sweden; 22:30 UTC on 31 March is 00:30 on 1 April (summer time).
  await receivedAt(sent['complaint']!.reference, new Date('2025-10-31T23:30:00.000Z'));
  await receivedAt(sent['praise']!.reference, new Date('2025-03-31T22:30:00.000Z'));

  // The rest came by the API: the roads unit has 3 by the API, 2 by phone (one answered there and then), 1 by e-mail.
  await cameBy(sent['lamp1']!.reference, 'phone', true);
  await cameBy(sent['graffiti']!.reference, 'phone');
  await cameBy(sent['lamp3']!.reference, 'email');

  await pageFeedback('/fraga', 'yes');
  await pageFeedback('/fraga', 'yes');
  await pageFeedback('/fraga', 'no', 'Jag hittade inte svarstiden');
  await pageFeedback('/en/kontakt', 'yes');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('the figures', () => {
  it('counts a manager’s units only: by type, kind, category and unit, per Swedish month', async () => {
    const response = await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="uppfoljning-2020-01-01-${today}.json"`);
    const figures = response.json();
    expect(figures.period).toEqual({ from: '2020-01-01', to: today });
    expect(figures.units).toEqual([ROADS]);
    expect(figures.total).toBe(6);
    expect(figures.byType).toEqual({ fault_report: 4, feedback: 2 });
    expect(figures.byFeedbackKind).toEqual({ complaint: 1, praise: 1 });
    expect(figures.byCategory).toEqual({ gatubelysning: 3, 'klotter-och-skadegorelse': 1 });
    expect(figures.byUnit).toEqual({ [ROADS]: 6 });
    const month = (name: string) => figures.byMonth.find((row: { month: string }) => row.month === name)?.count;
    expect(figures.byMonth[0]).toEqual({ month: '2020-01', count: 0 });
    expect([month('2025-01'), month('2025-03'), month('2025-04'), month('2025-10'), month('2025-11')]).toEqual([1, 0, 1, 0, 1]);
    expect(figures.byMonth.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(6);
  });

  it('gives the share answered by the reply-by date, leaving out anonymous errands, and the median and 90th percentile to the first reply', async () => {
    const figures = (await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}`)).json();
    expect(figures.deadline).toEqual({ answeredInTime: 2, answeredLate: 1, overdue: 1, notYetDue: 0, withoutDeadline: 2, shareInTime: 0.5 });
    // 2, 4 and 30 hours: the median is 4; the 90th percentile lies 80 % of the way from 4 to 30.
    expect(figures.firstReply).toEqual({ replied: 3, medianHours: 4, p90Hours: 24.8 });
    expect(figures.satisfaction).toEqual({ count: 3, mean: 4.33, distribution: { '1': 0, '2': 0, '3': 0, '4': 2, '5': 1 } });
    expect(figures.pages).toEqual([
      { page: '/fraga', yes: 2, no: 1, comments: 1, shareYes: 0.6667 },
      { page: '/en/kontakt', yes: 1, no: 0, comments: 0, shareYes: 1 },
    ]);
  });

  it('count each channel, with its replies in time, median time to the first reply, ratings and share answered at the first contact', async () => {
    const figures = (await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}`)).json();
    expect(figures.channels).toEqual({ api: 3, phone: 2, email: 1 });
    // Most errands first.
    expect(Object.keys(figures.byChannel)).toEqual(['api', 'phone', 'email']);
    expect(figures.byChannel.phone).toEqual({
      total: 2,
      deadline: { answeredInTime: 1, answeredLate: 0, overdue: 1, notYetDue: 0, withoutDeadline: 0, shareInTime: 0.5 },
      firstReply: { replied: 1, medianHours: 2, p90Hours: 2 },
      satisfaction: { count: 1, mean: 5 },
      firstContact: { errands: 2, answered: 1, share: 0.5 },
    });
    expect(figures.byChannel.api).toEqual({
      total: 3,
      deadline: { answeredInTime: 0, answeredLate: 1, overdue: 0, notYetDue: 0, withoutDeadline: 2, shareInTime: 0 },
      firstReply: { replied: 1, medianHours: 4, p90Hours: 4 },
      satisfaction: { count: 1, mean: 4 },
      firstContact: { errands: 3, answered: 0, share: 0 },
    });
    expect(figures.byChannel.email.firstReply).toEqual({ replied: 1, medianHours: 30, p90Hours: 30 });
    expect(figures.firstContact).toEqual({
      errands: 6,
      answered: 1,
      share: 0.1667,
      byUnit: { [ROADS]: { errands: 6, answered: 1, share: 0.1667 } },
      byChannel: { api: { errands: 3, answered: 0, share: 0 }, phone: { errands: 2, answered: 1, share: 0.5 }, email: { errands: 1, answered: 0, share: 0 } },
    });
  });

  it('filter by channel: one, several, and every figure follows', async () => {
    const phone = (await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}&channel=phone`)).json();
    expect([phone.total, phone.channels, phone.byCategory]).toEqual([2, { phone: 2 }, { gatubelysning: 1, 'klotter-och-skadegorelse': 1 }]);
    expect(phone.deadline).toEqual({ answeredInTime: 1, answeredLate: 0, overdue: 1, notYetDue: 0, withoutDeadline: 0, shareInTime: 0.5 });
    expect(phone.firstReply).toEqual({ replied: 1, medianHours: 2, p90Hours: 2 });
    expect(phone.firstContact.share).toBe(0.5);
    const staffChannels = (await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}&channel=phone&channel=email`)).json();
    // The median of 2 and 30 hours.
    expect([staffChannels.total, staffChannels.channels, staffChannels.firstReply.medianHours]).toEqual([3, { phone: 2, email: 1 }, 16]);
    const none = (await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}&channel=sms`)).json();
    expect([none.total, none.channels, none.firstContact.share, none.deadline.shareInTime]).toEqual([0, {}, null, null]);
    const errands = (await manager.request(`/handlaggning/uppfoljning/arenden.json?${ALL}&channel=phone`)).json().errands;
    expect(errands.map((errand: { reference: string }) => errand.reference)).toEqual([sent['graffiti']!.reference, sent['lamp1']!.reference]);
  });

  it('refuse a channel that is none', async () => {
    const problem = expectProblem(await manager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}&channel=fax`), 422);
    expect(problem.errors).toEqual([{ field: 'channel', detail: 'Välj bland kanalerna i listan' }]);
  });

  it('takes the period in Swedish days', async () => {
    const day = async (date: string) => (await manager.request(`/handlaggning/uppfoljning/siffror.json?from=${date}&to=${date}`)).json().total;
    expect(await day('2025-04-01')).toBe(1);
    expect(await day('2025-03-31')).toBe(0);
    expect(await day('2025-11-01')).toBe(1);
    expect(await day('2025-10-31')).toBe(0);
  });

  it('shows an admin every unit, or the units ticked, and a manager of another unit only theirs', async () => {
    const admin = new StaffBrowser(server.url);
    await admin.signIn(ADMIN.email);
    expect((await admin.request(`/handlaggning/uppfoljning/siffror.json?${ALL}`)).json().total).toBe(7);
    const schools = (await admin.request(`/handlaggning/uppfoljning/siffror.json?${ALL}&unit=${SCHOOLS}`)).json();
    expect([schools.total, schools.units, schools.byType]).toEqual([1, [SCHOOLS], { question: 1 }]);

    const schoolManager = new StaffBrowser(server.url);
    await schoolManager.signIn(SCHOOL_MANAGER.email);
    expect((await schoolManager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}`)).json().byUnit).toEqual({ [SCHOOLS]: 1 });
    // Ticking a unit one may not see changes nothing.
    expect((await schoolManager.request(`/handlaggning/uppfoljning/siffror.json?${ALL}&unit=${ROADS}`)).json().byUnit).toEqual({ [SCHOOLS]: 1 });
  });
});

describe('the page', () => {
  it('shows the figures with Swedish decimal commas, each chart with its table and a sentence on the trend', async () => {
    const page = await manager.request(`/handlaggning/uppfoljning?${ALL}`);
    expect(page.status).toBe(200);
    const text = mainOf(page.text);
    expect(text).toContain('<h1>Uppföljning</h1>');
    expect(text).toContain('<span class="key-figure__value">6</span> ärenden kom in');
    expect(text).toContain('<span class="key-figure__value">50\u00a0%</span> besvarades i tid');
    expect(text).toContain('<td class="table__number">24,8 h</td>');
    expect(text).toContain('Medelbetyget är 4,3 av 5 från 3 betyg; vanligast var 4.');
    expect(text).toMatch(/<svg class="chart__svg" role="img"[^>]*aria-labelledby="chart-months-title"/);
    expect(text).toContain('<caption>Antal ärenden per månad</caption>');
    expect(text).toContain('<th scope="row">november 2025</th><td class="table__number">1</td>');
    expect(text).toContain('<th scope="row" translate="no">/fraga</th><td class="table__number">2</td><td class="table__number">1</td><td class="table__number">66,7 %</td>'.replace(' %', '\u00a0%'));
    expect(text).not.toContain(sent['school']!.reference);
    expect(text).toContain(`href="/handlaggning/uppfoljning/arenden.csv?from=2020-01-01&#38;to=${today}"`);

    expect(text).toContain('Flest ärenden kom in via Intag-API: 3 av 6.');
    expect(text).toContain('<th scope="row">Telefon</th><td class="table__number">2</td><td class="table__number">50\u00a0%</td><td class="table__number">2 h</td><td class="table__number">5 (1)</td>');
    expect(text).toContain('<span class="key-figure__value">16,7\u00a0%</span> besvarades vid första kontakten');
    expect(text).toContain('16,7\u00a0% av ärendena besvarades vid första kontakten: 1 av 6.');
    expect(text).toContain('<caption>Besvarade vid första kontakten per verksamhet</caption>');
    expect(text).toContain('<th scope="row">Gator, parker och natur</th><td class="table__number">6</td><td class="table__number">1</td><td class="table__number">16,7\u00a0%</td>');
    expect(text).toContain('<th scope="row">Telefon</th><td class="table__number">2</td><td class="table__number">1</td><td class="table__number">50\u00a0%</td>');

    const autumn = (await manager.request('/handlaggning/uppfoljning?from=2025-10-01&to=2025-11-30')).text;
    expect(autumn).toContain('Fler ärenden i november 2025 än i oktober 2025: 1 mot 0.');
  });

  it('is in English under /en, with English number formats', async () => {
    const page = (await manager.request(`/en/handlaggning/uppfoljning?${ALL}`)).text;
    expect(page).toContain('<html lang="en"');
    expect(page).toContain('<td class="table__number">24.8 h</td>');
    expect(page).toContain('The average rating is 4.3 out of 5 from 3 ratings; 4 was the most common.');
    expect(page).toContain('Most errands came in by Intake API: 3 of 6.');
    expect(page).toContain('16.7% of the errands were answered at the first contact: 1 of 6.');
  });

  it('keeps the channels ticked without JavaScript, says which it shows, and carries them to the exports', async () => {
    const page = await manager.request(`/handlaggning/uppfoljning?${ALL}&channel=phone&channel=email`);
    expect(page.status).toBe(200);
    const text = mainOf(page.text);
    expect(text).toMatch(/id="field-channel-phone" name="channel" value="phone" checked/);
    expect(text).toMatch(/id="field-channel-email" name="channel" value="email" checked/);
    expect(text).not.toMatch(/value="sms" checked/);
    expect(text).toContain('Kanaler: Telefon, E-post.');
    expect(text).toContain('<span class="key-figure__value">3</span> ärenden kom in');
    expect(text).toContain(`href="/handlaggning/uppfoljning/siffror.csv?from=2020-01-01&#38;to=${today}&#38;channel=phone&#38;channel=email"`);
  });

  it('keeps the filter in the form without JavaScript, and shows a wrong date the GOV.UK way', async () => {
    const wrong = await manager.request('/handlaggning/uppfoljning?from=2026-02-30&to=2026-03-31');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('<title>Fel: Uppföljning');
    expect(wrong.text).toMatch(/class="error-summary"[\s\S]*<a href="#field-from">Skriv startdatumet som år-månad-dag, till exempel 2026-01-01<\/a>/);
    expect(wrong.text).toContain('value="2026-02-30"');
    expect(mainOf(wrong.text)).not.toContain('class="key-figure"');

    const backwards = await manager.request('/handlaggning/uppfoljning?from=2026-03-31&to=2026-03-01');
    expect(backwards.text).toContain('<a href="#field-to">Slutdatumet måste vara samma dag som startdatumet eller senare</a>');
    expectProblem(await manager.request('/handlaggning/uppfoljning/siffror.csv?from=2026-03-31&to=2026-03-01'), 422);

    const channel = await manager.request(`/handlaggning/uppfoljning?${ALL}&channel=fax&channel=phone`);
    expect(channel.status).toBe(422);
    expect(channel.text).toMatch(/class="error-summary"[\s\S]*<a href="#field-channel">Välj bland kanalerna i listan<\/a>/);
    expect(channel.text).toMatch(/<input class="checkbox__input" type="checkbox" id="field-channel" name="channel" value="web"/);
    expect(channel.text).toMatch(/<p id="field-channel-error" class="field__error">/);
    expect(channel.text).toMatch(/value="phone" checked/);
  });
});

describe('the exports', () => {
  it('give the figures as CSV for Swedish Excel: BOM, semicolons, decimal commas, CRLF', async () => {
    const response = await manager.request(`/handlaggning/uppfoljning/siffror.csv?${ALL}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="uppfoljning-2020-01-01-${today}.csv"`);
    expect([...response.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = response.body.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Mått;Grupp;Värde');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => !line.includes('\n'))).toBe(true);
    expect(lines).toContain('Ärenden totalt;;6');
    expect(lines).toContain('Kategori;Gatubelysning;3');
    expect(lines).toContain('Verksamhet;Gator, parker och natur;6');
    expect(lines).toContain('Månad;2025-11;1');
    expect(lines).toContain('Svar inom utlovad tid;Andel i tid;0,5');
    expect(lines).toContain('Tid till första svar;90:e percentilen, timmar;24,8');
    expect(lines).toContain('Nöjdhet;Medelbetyg;4,33');
    expect(lines).toContain('Sidan till hjälp: andel ja;/fraga;0,6667');
    expect(lines).toContain('Kanaler;;Webbformulär, Intag-API, Open311, Telefon, Besök, Brev, E-post, Sms, Sociala medier');
    expect(lines).toContain('Kanal: ärenden;Telefon;2');
    expect(lines).toContain('Kanal: andel i tid;Telefon;0,5');
    expect(lines).toContain('Kanal: median till första svar, timmar;E-post;30');
    expect(lines).toContain('Kanal: medelbetyg;Intag-API;4');
    expect(lines).toContain('Kanal: andel besvarade vid första kontakten;Telefon;0,5');
    expect(lines).toContain('Andel besvarade vid första kontakten;;0,1667');
    expect(lines).toContain('Verksamhet: andel besvarade vid första kontakten;Gator, parker och natur;0,1667');
  });

  it('give the anonymised errand list, without names, addresses, phone numbers or texts', async () => {
    const csv = await manager.request(`/handlaggning/uppfoljning/arenden.csv?${ALL}`);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="arenden-2020-01-01-${today}.csv"`);
    const lines = csv.body.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Ärendenummer;Typ;Slag av synpunkt;Kategori;Verksamhet;Status;Kanal;Besvarat vid första kontakten;Inkom;Svarsdag;Första svar;Besvarat i tid;Betyg');
    expect(lines.length).toBe(1 + 6 + 1);
    const lamp2 = lines.find((line) => line.startsWith(sent['lamp2']!.reference))!.split(';');
    expect(lamp2.slice(1, 6)).toEqual(['Felanmälan', '', 'Gatubelysning', 'Gator, parker och natur', 'Besvarat']);
    expect(lamp2.slice(6, 8)).toEqual(['Intag-API', 'nej']);
    expect(lamp2.slice(9)).toEqual(['2020-01-10', today, 'nej', '4']);
    expect(lines.find((line) => line.startsWith(sent['lamp1']!.reference))!.split(';').slice(6, 8)).toEqual(['Telefon', 'ja']);
    expect(lines.find((line) => line.startsWith(sent['praise']!.reference))).toBe(`${sent['praise']!.reference};Synpunkt;Beröm;;Gator, parker och natur;Mottaget;Intag-API;nej;2025-04-01;;;;`);

    const json = await manager.request(`/handlaggning/uppfoljning/arenden.json?${ALL}`);
    const { errands } = json.json();
    // In the order they were received.
    expect(errands.map((errand: { reference: string }) => errand.reference)).toEqual(['graffiti', 'praise', 'complaint', 'lamp3', 'lamp2', 'lamp1'].map((name) => sent[name]!.reference));
    expect(errands[0]).toEqual({
      reference: sent['graffiti']!.reference,
      type: 'fault_report',
      feedbackKind: null,
      category: 'klotter-och-skadegorelse',
      unit: ROADS,
      status: 'received',
      channel: 'phone',
      answeredAtFirstContact: false,
      receivedOn: '2025-01-07',
      replyBy: '2025-01-09',
      firstReplyOn: null,
      answeredInTime: null,
      rating: null,
    });
    for (const body of [csv.text, json.text]) {
      for (const personal of ['Bo Boende', '@example.se', '070-123', 'Hamnvägen', 'Vänligt bemötande', sent['lamp1']!.message]) expect(body).not.toContain(personal);
    }
  });

  it('page through a list longer than one read, errands received in the same millisecond included', async () => {
    const admin = new StaffBrowser(server.url);
    await admin.signIn(ADMIN.email);
    for (let batch = 0; batch < 1001; batch += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, 1001 - batch) }, (_, index) => send(`many${batch + index}`, { type: 'question', unit: 'kontaktcenter', contact: null, language: 'en' })),
      );
    }
    // All in the same instant: the pages must not lose or repeat errands that tie.
    await withDatabase((db) => db.query("UPDATE submissions SET received_at = ? WHERE handling_unit = 'kontaktcenter'", ['2025-06-01T10:00:00.000Z']), server.databaseUrl);
    const lines = (await admin.request(`/handlaggning/uppfoljning/arenden.csv?${ALL}&unit=kontaktcenter`)).text.split('\r\n');
    expect(lines.length).toBe(1 + 1001 + 1);
    expect(new Set(lines.slice(1, -1).map((line) => line.split(';')[0])).size).toBe(1001);
  }, 120_000);
});

describe('access', () => {
  it('is for managers and admins: a caseworker gets 403 and no link, a visitor is sent to sign in', async () => {
    const caseworker = new StaffBrowser(server.url);
    await caseworker.signIn(CASEWORKER.email);
    const inbox = await caseworker.request('/handlaggning');
    expect(inbox.text).not.toContain('href="/handlaggning/uppfoljning"');
    const page = await caseworker.request('/handlaggning/uppfoljning');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Uppföljningen är till för chefer och administratörer.');
    expectProblem(await caseworker.request(`/handlaggning/uppfoljning/arenden.csv?${ALL}`), 403);

    expect((await manager.request('/handlaggning')).text).toContain('href="/handlaggning/uppfoljning"');
    const visitor = await rawRequest(`${server.url}/handlaggning/uppfoljning/siffror.csv?${ALL}`);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toBe(`/handlaggning/logga-in?till=${encodeURIComponent(`/handlaggning/uppfoljning/siffror.csv?${ALL}`)}`);
  });
});
