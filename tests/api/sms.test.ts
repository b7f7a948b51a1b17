/**
 * SMS in and out against a real server and an SMS gateway speaking 46elks' API: an SMS to the
 * municipality's number becomes an errand of the channel sms, acknowledged by SMS with its
 * reference, reply-by date and a status link that opens; the webhook wants its secret and takes
 * each gateway id once; an answer to an SMS the portal sent lands on that errand and reopens it;
 * staff replies go back by SMS; a gateway that is down gets the SMS later, once; one that refuses
 * a number for good is not asked again, and staff see why. Runs on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatDateWithoutWeekday } from '../../src/lib/dates';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser } from '../helpers/staff';
import { inboundSms, startSmsGateway, type GatewayRequest, type TestSmsGateway } from '../helpers/sms-gateway';
import { expectProblem, rawRequest, readConfig, StaffBrowser, sv, uniqueText, withDatabase, type SubmissionRow } from './support';

const database = inject('databaseKind');
let gateway: TestSmsGateway;
let server: RunningServer;
let staff: StaffBrowser;

beforeAll(async () => {
  gateway = await startSmsGateway();
  // A failed SMS is tried again after a fraction of a second instead of a minute.
  server = await startServer({ database, env: { ...gateway.env, DELIVERY_RETRY_BASE_MS: '200' } });
  addStaffUser(server.databaseUrl, { email: 'sms.handlaggare@varmdo.se', name: 'Sara SMS', role: 'admin' });
  staff = new StaffBrowser(server.url);
  expect((await staff.signIn('sms.handlaggare@varmdo.se')).status).toBe(303);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await gateway?.stop();
});

let numbers = 0;
/** A number of its own per test, so answers never match another test's SMS. */
const newNumber = () => `+4670${String(Date.now() % 1_000_000).padStart(6, '0')}${numbers++ % 10}`;

/** The errands whose contact is `phone`, oldest first. */
async function errandsFrom(phone: string): Promise<(SubmissionRow & { channel: string })[]> {
  const rows = await withDatabase((db) => db.query<SubmissionRow & { channel: string }>('SELECT * FROM submissions ORDER BY id'), server.databaseUrl);
  return rows.filter((row) => (JSON.parse(row.payload) as { contact?: { phone?: string } | null }).contact?.phone === phone);
}

async function rowCount(table: string): Promise<number> {
  return withDatabase(async (db) => Number((await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n ?? 0), server.databaseUrl);
}

/** The SMS taken by the gateway for `to` that mention `text`. */
const smsTo = (to: string, text: string) => (sms: GatewayRequest) => sms.to === to && sms.message.includes(text);

/** Sends an SMS from `from` and waits for its acknowledgement: answers the errand and the acknowledgement. */
async function newErrandBySms(from: string, message: string): Promise<{ errand: SubmissionRow & { channel: string }; ack: GatewayRequest; statusUrl: string }> {
  const delivered = await gateway.deliver(server.url, inboundSms(from, message));
  expect(delivered.status, delivered.text).toBe(200);
  const errand = (await errandsFrom(from)).at(-1);
  expect(errand).toBeDefined();
  const ack = await gateway.waitFor(smsTo(from, errand!.reference));
  const statusUrl = /https?:\/\/\S+\/arende\/[\w-]+/.exec(ack.message)?.[0] ?? '';
  return { errand: errand!, ack, statusUrl };
}

describe('an SMS to the municipality', () => {
  it('becomes a question of the channel sms, acknowledged by SMS with the reference, the reply-by date and a status link that opens', async () => {
    const from = newNumber();
    const message = uniqueText('När töms soptunnorna på Ingarö?');
    const delivered = await gateway.deliver(server.url, inboundSms(from, message));
    // Empty: 46elks would send a non-empty answer back to the person as an SMS.
    expect(delivered.status).toBe(200);
    expect(delivered.body.length).toBe(0);

    const [errand, ...others] = await errandsFrom(from);
    expect(others).toEqual([]);
    expect(errand).toMatchObject({ type: 'question', channel: 'sms', handling_unit: readConfig().defaultUnit, status: 'received', language: 'sv' });
    expect(JSON.parse(errand!.payload)).toMatchObject({ message, contact: { phone: from } });

    const ack = await gateway.waitFor(smsTo(from, errand!.reference));
    expect(ack).toMatchObject({ from: gateway.env['SMS_FROM'], credentials: `${gateway.env['SMS_GATEWAY_USER']}:${gateway.env['SMS_GATEWAY_PASSWORD']}` });
    expect(ack.message).toContain(formatDateWithoutWeekday(errand!.reply_by!, 'sv'));
    const statusUrl = /https?:\/\/\S+\/arende\/[\w-]+/.exec(ack.message)?.[0];
    expect(statusUrl, ack.message).toBeDefined();
    const statusPage = await rawRequest(statusUrl!);
    expect(statusPage.status).toBe(200);
    expect(statusPage.text).toContain(errand!.reference);
    expect(statusPage.text).toContain(message);
    // The gateway's id for the sent SMS is kept with it.
    const [queued] = await withDatabase((db) => db.query<{ gateway_id: string | null; sent_at: string | null }>('SELECT gateway_id, sent_at FROM outgoing_sms WHERE recipient = ?', [from]), server.databaseUrl);
    expect(queued).toMatchObject({ gateway_id: ack.id, sent_at: expect.any(String) });
  });

  it('is refused with 401 and a Basic challenge without the webhook secret, or with a wrong one, and stores nothing', async () => {
    const before = await rowCount('submissions');
    const fields = inboundSms(newNumber(), uniqueText('Utan hemlighet'));
    const wrong = await gateway.deliver(server.url, fields, 'fel-hemlighet');
    expect(expectProblem(wrong, 401).detail).toBe(sv['api.problem.401.sms']);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm="sms"/);
    const without = await rawRequest(`${server.url}/api/v1/sms/inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expectProblem(without, 401);
    expect(without.headers['www-authenticate']).toMatch(/^Basic /);
    expect(await rowCount('submissions')).toBe(before);
  });

  it('names the missing fields with 422', async () => {
    const before = await rowCount('submissions');
    const answer = await gateway.deliver(server.url, { from: 'inte ett nummer', message: '', to: '+46766861004' });
    const problem = expectProblem(answer, 422);
    expect(problem.errors.map((error: { field: string }) => error.field).sort()).toEqual(['from', 'id', 'message']);
    expect(await rowCount('submissions')).toBe(before);
  });

  it('delivered again with the same id, one after another or at the same time, makes one errand and one acknowledgement', async () => {
    const from = newNumber();
    const fields = inboundSms(from, uniqueText('Levererat flera gånger'));
    const answers = await Promise.all([1, 2, 3].map(() => gateway.deliver(server.url, fields)));
    answers.push(await gateway.deliver(server.url, fields));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const errands = await errandsFrom(from);
    expect(errands.length).toBe(1);
    await gateway.waitFor(smsTo(from, errands[0]!.reference));
    const acknowledgements = await withDatabase((db) => db.query('SELECT id FROM outgoing_sms WHERE recipient = ?', [from]), server.databaseUrl);
    expect(acknowledgements.length).toBe(1);
  });
});

describe('answers and replies by SMS', () => {
  it('a staff reply goes to the number by SMS; the answer to it lands on the same errand, reopens it and shows on the status page', async () => {
    const from = newNumber();
    const { errand, statusUrl } = await newErrandBySms(from, uniqueText('Får jag elda i trädgården?'));
    const page = await staff.request(`/handlaggning/arende/${errand.reference}`);
    expect(page.text).toContain(`svaret skickas med SMS till ${from}`);

    const reply = uniqueText('Ja, om det inte är eldningsförbud.');
    expect((await staff.post(`/handlaggning/arende/${errand.reference}`, { action: 'reply', reply })).status).toBe(303);
    const replySms = await gateway.waitFor(smsTo(from, reply));
    expect(replySms.message).toContain(errand.reference);
    expect(replySms.message).toMatch(/https?:\/\/\S+\/arende\/[\w-]+/);
    expect((await errandsFrom(from))[0]!.status).toBe('answered');

    const answer = uniqueText('Tack! Gäller det även grillning?');
    expect((await gateway.deliver(server.url, inboundSms(from, answer))).status).toBe(200);
    const errands = await errandsFrom(from);
    expect(errands.map((row) => row.reference)).toEqual([errand.reference]);
    expect(errands[0]!.status).toBe('in_progress');
    const events = await withDatabase(
      (db) => db.query<{ kind: string; actor: string; data: string | Record<string, unknown> }>('SELECT kind, actor, data FROM submission_events WHERE submission_id = ? ORDER BY id', [errand.id]),
      server.databaseUrl,
    );
    const last = events.at(-1)!;
    expect({ kind: last.kind, actor: last.actor, data: typeof last.data === 'string' ? JSON.parse(last.data) : last.data }).toEqual({ kind: 'resident_reply', actor: 'resident', data: { text: answer, channel: 'sms' } });
    const statusPage = await rawRequest(statusUrl);
    expect(statusPage.text).toContain(answer);
    expect((await staff.request(`/handlaggning/arende/${errand.reference}`)).text).toContain(answer);
  });

  it('an SMS from the number of a closed errand is a new errand', async () => {
    const from = newNumber();
    const { errand } = await newErrandBySms(from, uniqueText('Första frågan'));
    expect((await staff.post(`/handlaggning/arende/${errand.reference}`, { action: 'status', status: 'closed' })).status).toBe(303);
    const { errand: second } = await newErrandBySms(from, uniqueText('En ny fråga'));
    expect(second.reference).not.toBe(errand.reference);
  });

  it('errands of other channels get no SMS, even with a phone number', async () => {
    const phone = newNumber();
    const created = await rawRequest(`${server.url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'question', message: uniqueText('Via webben'), contact: { phone } }),
    });
    expect(created.status).toBe(201);
    const { reference } = created.json() as { reference: string };
    expect((await staff.post(`/handlaggning/arende/${reference}`, { action: 'reply', reply: 'Vi ringer dig.' })).status).toBe(303);
    expect(await withDatabase((db) => db.query('SELECT id FROM outgoing_sms WHERE recipient = ?', [phone]), server.databaseUrl)).toEqual([]);
  });
});

describe('removing an errand\'s personal data', () => {
  it('takes the numbers and texts of its SMS out too', async () => {
    const from = newNumber();
    const { errand } = await newErrandBySms(from, uniqueText('Radera mig'));
    const smsOf = () => withDatabase((db) => db.query<{ recipient: string; message: string }>('SELECT recipient, message FROM outgoing_sms WHERE submission_id = ?', [errand.id]), server.databaseUrl);
    expect((await smsOf()).map((sms) => sms.recipient)).toEqual([from]);
    expect((await staff.post(`/handlaggning/arende/${errand.reference}`, { action: 'forget' })).status).toBe(303);
    expect(await smsOf()).toEqual([]);
    // Nor is the number left in the errand.
    expect(await errandsFrom(from)).toEqual([]);
  });
});

describe('the gateway', () => {
  for (const how of ['unavailable', 'unreachable'] as const) {
    it(`${how === 'unavailable' ? 'answering 503' : 'not listening'}, gets the SMS once it is back, once`, { timeout: 60_000 }, async () => {
      const from = newNumber();
      const tried = () => gateway.requests.filter((request) => request.to === from).length;
      await gateway.down(how);
      try {
        expect((await gateway.deliver(server.url, inboundSms(from, uniqueText(`Gatewayen ${how}`)))).status).toBe(200);
        const [errand] = await errandsFrom(from);
        // Tried and failed, at least twice (unreachable ones leave their mark in the queue only).
        await expect
          .poll(async () => Number((await withDatabase((db) => db.query<{ attempts: number }>('SELECT attempts FROM outgoing_sms WHERE recipient = ?', [from]), server.databaseUrl))[0]?.attempts), { timeout: 20_000 })
          .toBeGreaterThanOrEqual(2);
        if (how === 'unavailable') expect(tried()).toBeGreaterThanOrEqual(2);
        expect(gateway.sent().filter((sms) => sms.to === from)).toEqual([]);
        await gateway.up();
        await gateway.waitFor(smsTo(from, errand!.reference));
      } finally {
        await gateway.up();
      }
      // Delivered: later rounds leave it alone.
      const later = newNumber();
      await newErrandBySms(later, uniqueText('Nästa SMS'));
      expect(gateway.sent().filter((sms) => sms.to === from).length).toBe(1);
    });
  }

  it('refusing a number for good is not asked again, and staff see why', async () => {
    const from = newNumber();
    gateway.refuse(from);
    expect((await gateway.deliver(server.url, inboundSms(from, uniqueText('Fel nummer')))).status).toBe(200);
    const [errand] = await errandsFrom(from);
    const failedAt = async () => (await withDatabase((db) => db.query<{ failed_at: string | null }>('SELECT failed_at FROM outgoing_sms WHERE recipient = ?', [from]), server.databaseUrl))[0]?.failed_at ?? null;
    await expect.poll(failedAt, { timeout: 15_000 }).not.toBeNull();
    // Other SMS are sent until one arrives long after a retry would have been due (0.2 s): the
    // round that sent it would have taken the refused one too.
    const refusedAt = Date.parse((await failedAt())!);
    await expect
      .poll(async () => Date.parse((await newErrandBySms(newNumber(), uniqueText('Efter det vägrade'))).errand.received_at) - refusedAt, { timeout: 20_000, interval: 250 })
      .toBeGreaterThan(1_000);
    expect(gateway.requests.filter((request) => request.to === from).map((request) => request.status)).toEqual([400]);
    const page = await staff.request(`/handlaggning/arende/${errand!.reference}`);
    expect(page.text).toContain(`Ett SMS till ${from} kunde inte levereras`);
    expect(page.text).toContain('Invalid to number');
  });
});

describe('a portal without SMS', () => {
  const without = { SMS_GATEWAY_URL: '', SMS_GATEWAY_USER: '', SMS_GATEWAY_PASSWORD: '', SMS_FROM: '', SMS_WEBHOOK_SECRET: '' };

  it('has no webhook: 404, a problem, whatever the credentials', { timeout: 60_000 }, async () => {
    const plain = await startServer({ database, env: without });
    try {
      const answer = await gateway.deliver(plain.url, inboundSms(newNumber(), uniqueText('Ingen SMS-tjänst')));
      expect(expectProblem(answer, 404).detail).toBe(sv['api.problem.404.sms']);
    } finally {
      await plain.stop();
    }
  });

  it('does not start with SMS configured in part, and says what is missing', { timeout: 60_000 }, async () => {
    await expect(startServer({ database, env: { ...without, SMS_GATEWAY_URL: 'https://api.46elks.com' } })).rejects.toThrow(/SMS_GATEWAY_USER, SMS_GATEWAY_PASSWORD, SMS_FROM, SMS_WEBHOOK_SECRET/);
  });
});
