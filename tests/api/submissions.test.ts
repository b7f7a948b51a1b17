/**
 * POST /api/v1/submissions as an API client sees it, against the built server and its real
 * SQLite file: accepted errands, error answers, idempotency and compression.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  countSubmissions,
  expectProblem,
  dateInSweden,
  isSwedishWorkingDay,
  postSubmission,
  rawRequest,
  readConfig,
  rowsWithMessage,
  sequenceOf,
  submissionRow,
  sv,
  uniqueText,
  workingDaysAfter,
  withDatabase,
  type RawResponse,
} from './support';

const url = inject('url');
const config = readConfig();

const REFERENCE = new RegExp(`^${config.referencePrefix}-\\d{4}-\\d{6}$`);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function expectJsonContentType(response: RawResponse): void {
  expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/);
}

function question(message = uniqueText('Fråga')) {
  return { type: 'question', message, contact: { name: 'Anna Andersson', email: 'anna@example.se' } };
}

/** The token at the end of a status URL. */
function tokenOf(statusUrl: string): string {
  return new URL(statusUrl).pathname.split('/').pop() ?? '';
}

describe('accepted submissions', () => {
  interface Sent {
    body: Record<string, unknown>;
    response: RawResponse;
    json: any;
    before: Date;
    after: Date;
  }
  const sent: Record<string, Sent> = {};
  let faultCategory: { id: string; unit: string };

  beforeAll(async () => {
    const services = await fetch(`${url}/api/v1/services`);
    expect(services.status).toBe(200);
    const { faultCategories } = (await services.json()) as { faultCategories: { id: string; unit: string }[] };
    // A category answered by someone other than the default unit, so routing is visible.
    const chosen = faultCategories.find((category) => category.unit !== config.defaultUnit);
    if (!chosen) throw new Error('GET /api/v1/services lists no category outside the default unit');
    faultCategory = chosen;

    const bodies: Record<string, Record<string, unknown>> = {
      question: question(),
      feedback: { type: 'feedback', feedbackKind: 'praise', message: uniqueText('Bra service i biblioteket'), contact: null },
      fault_report: {
        type: 'fault_report',
        category: faultCategory.id,
        location: { description: 'Skogsbovägen 9, vid entrén', lat: 59.3, lon: 18.4 },
        message: uniqueText('Lampan lyser inte'),
      },
      proposal: {
        type: 'proposal',
        title: 'Fler parkbänkar',
        message: uniqueText('Ställ fler bänkar längs strandpromenaden'),
        reason: 'Äldre behöver vila på vägen.',
        contact: { name: 'Bo Berg', email: 'bo@example.se' },
      },
    };
    // One after another, so their references are consecutive.
    for (const [type, body] of Object.entries(bodies)) {
      const before = new Date();
      const response = await postSubmission(url, body);
      const after = new Date();
      sent[type] = { body, response, json: response.status === 201 ? response.json() : undefined, before, after };
    }
  });

  const expectations = {
    question: { unit: () => config.defaultUnit, answered: true },
    feedback: { unit: () => config.defaultUnit, answered: false },
    // The documented fault report has no contact, so it is anonymous and gets no reply date.
    fault_report: { unit: () => faultCategory.unit, answered: false },
    proposal: { unit: () => config.proposalUnit, answered: true },
  } as const;

  describe.each(Object.keys(expectations) as (keyof typeof expectations)[])('%s', (type) => {
    it('answers 201 with the receipt as JSON and Location = statusUrl', () => {
      const { response, json, before, after } = sent[type]!;
      expect(response.status, response.text).toBe(201);
      expectJsonContentType(response);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      expect(Object.keys(json).sort()).toEqual(['receiptUrl', 'receivedAt', 'reference', 'replyBy', 'statusUrl', 'type']);
      expect(json.reference).toMatch(REFERENCE);
      expect(json.reference.slice(config.referencePrefix.length + 1, config.referencePrefix.length + 5)).toBe(
        dateInSweden(new Date(json.receivedAt)).slice(0, 4),
      );
      expect(json.type).toBe(type);
      expect(json.receivedAt).toMatch(ISO_INSTANT);
      const receivedAt = new Date(json.receivedAt).getTime();
      expect(receivedAt).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(receivedAt).toBeLessThanOrEqual(after.getTime() + 1000);
      const statusUrl = new URL(json.statusUrl);
      expect(statusUrl.protocol).toBe('http:');
      expect(statusUrl.origin).toBe(url);
      expect(statusUrl.pathname).toMatch(/^\/arende\/[A-Za-z0-9_-]{20,64}$/);
      expect(response.headers.location).toBe(json.statusUrl);
      expect(json.receiptUrl).toBe(json.statusUrl.replace('/arende/', '/kvitto/'));
    });

    it(`has replyBy ${expectations[type].answered ? `${config.replyWithinWorkingDays[type]} working days after the Swedish date of receipt` : 'null (anonymous)'}`, () => {
      const { json } = sent[type]!;
      if (!expectations[type].answered) {
        expect(json.replyBy).toBeNull();
        return;
      }
      expect(json.replyBy).toMatch(ISO_DATE);
      const receivedOn = dateInSweden(new Date(json.receivedAt));
      expect(json.replyBy > receivedOn).toBe(true);
      expect(isSwedishWorkingDay(json.replyBy)).toBe(true);
      expect(json.replyBy).toBe(workingDaysAfter(receivedOn, config.replyWithinWorkingDays[type]));
    });

    it('is stored as answered, routed to the right unit', async () => {
      const { body, json } = sent[type]!;
      const row = await submissionRow(json.reference);
      expect(row).toBeDefined();
      expect(row!.type).toBe(type);
      expect(row!.language).toBe('sv');
      expect(row!.status).toBe('received');
      expect(row!.received_at).toBe(json.receivedAt);
      expect(row!.reply_by).toBe(json.replyBy);
      expect(row!.handling_unit).toBe(expectations[type].unit());
      expect(row!.feedback_kind).toBe(type === 'feedback' ? 'praise' : null);
      expect(row!.category).toBe(type === 'fault_report' ? faultCategory.id : null);
      expect(row!.unit).toBeNull();
      // Only the hash of the status token is stored.
      const token = tokenOf(json.statusUrl);
      expect(row!.status_token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(token);
      // The payload is the body with the defaults filled in.
      expect(JSON.parse(row!.payload)).toEqual({ contact: null, ...body, language: 'sv' });
    });

    it('opens its status page at statusUrl, and a slightly changed token opens nothing', async () => {
      const { json } = sent[type]!;
      const page = await rawRequest(json.statusUrl);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain(json.reference);

      const token = tokenOf(json.statusUrl);
      const last = token.at(-1);
      const changed = `${token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
      const wrong = await rawRequest(`${url}/arende/${changed}`);
      expect(wrong.status).toBe(404);
      expect(wrong.text).not.toContain(json.reference);
    });
  });

  it('gives unique references that increase by one between consecutive submissions', () => {
    const references = Object.values(sent).map((entry) => entry.json?.reference as string);
    expect(new Set(references).size).toBe(4);
    const sequences = references.map(sequenceOf);
    expect(sequences).toEqual([sequences[0], sequences[0]! + 1, sequences[0]! + 2, sequences[0]! + 3]);
  });

  it('routes a question with a chosen unit to that unit', async () => {
    const unit = config.units.find((candidate) => candidate.id !== config.defaultUnit)!.id;
    const response = await postSubmission(url, { ...question(), unit, contact: { phone: '08-123 456 78' } });
    expect(response.status, response.text).toBe(201);
    const { reference, replyBy, receivedAt } = response.json();
    const row = await submissionRow(reference);
    expect(row?.handling_unit).toBe(unit);
    expect(row?.unit).toBe(unit);
    // A phone number alone is enough to be answered.
    expect(replyBy).toBe(workingDaysAfter(dateInSweden(new Date(receivedAt)), config.replyWithinWorkingDays.question));
  });
});

describe('refused submissions', () => {
  const submissions = () => countSubmissions();

  it('answers 400 for malformed JSON and stores nothing', async () => {
    const before = await submissions();
    const response = await postSubmission(url, '{"type":"question","message":');
    const problem = expectProblem(response, 400);
    expect(problem.detail).toBe(sv['api.problem.400.json']);
    expect(await submissions()).toBe(before);
  });

  it('answers 400 for a body that is not valid UTF-8 and stores nothing', async () => {
    const before = await submissions();
    const body = Buffer.concat([
      Buffer.from('{"type":"question","message":"Hej '),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('","contact":{"email":"anna@example.se"}}'),
    ]);
    const response = await rawRequest(`${url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const problem = expectProblem(response, 400);
    expect(problem.detail).toBe(sv['api.problem.400.json']);
    expect(await submissions()).toBe(before);
  });

  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['no content type', undefined],
  ])('answers 415 for %s and stores nothing', async (_label, contentType) => {
    const before = await submissions();
    const response = await rawRequest(`${url}/api/v1/submissions`, {
      method: 'POST',
      headers: contentType === undefined ? {} : { 'Content-Type': contentType },
      body: JSON.stringify(question()),
    });
    const problem = expectProblem(response, 415);
    expect(problem.detail).toBe(sv['api.problem.415.detail']);
    expect(response.headers.accept).toBe('application/json, multipart/form-data');
    expect(await submissions()).toBe(before);
  });

  it('accepts a JSON content type with a charset parameter', async () => {
    const response = await postSubmission(url, question(), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(response.status, response.text).toBe(201);
  });

  it('answers 413 for a 70 KB JSON body and stores nothing', async () => {
    const before = await submissions();
    const message = uniqueText('x'.repeat(70 * 1024));
    const body = JSON.stringify({ ...question(), message });
    expect(Buffer.byteLength(body)).toBeGreaterThan(70 * 1024);
    const problem = expectProblem(await postSubmission(url, body), 413);
    expect(problem.detail).toBe(sv['api.problem.413.detail']);
    expect(await submissions()).toBe(before);
    expect(await rowsWithMessage(message)).toEqual([]);
  });

  it('answers 413 for a 70 KB body sent chunked, without Content-Length', async () => {
    const before = await submissions();
    const body = Buffer.from(JSON.stringify({ ...question(), message: uniqueText('y'.repeat(70 * 1024)) }));
    const chunks = [body.subarray(0, 16 * 1024), body.subarray(16 * 1024, 48 * 1024), body.subarray(48 * 1024)];
    const response = await rawRequest(`${url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      chunks,
    });
    expectProblem(response, 413);
    expect(await submissions()).toBe(before);
  });

  /** A JSON body of exactly `bytes` bytes: a valid question plus an unknown member the schema drops. */
  function bodyOfSize(bytes: number, message: string): string {
    const bare = JSON.stringify({ ...question(message), padding: '' });
    const text = JSON.stringify({ ...question(message), padding: 'p'.repeat(bytes - Buffer.byteLength(bare)) });
    expect(Buffer.byteLength(text)).toBe(bytes);
    return text;
  }

  it('accepts a body of exactly 64 KiB', async () => {
    const message = uniqueText('Precis 64 KiB');
    const response = await postSubmission(url, bodyOfSize(64 * 1024, message));
    expect(response.status, response.text).toBe(201);
    expect(await rowsWithMessage(message)).toHaveLength(1);
  });

  it('answers 413 for a body of 64 KiB and one byte', async () => {
    const message = uniqueText('En byte för mycket');
    expectProblem(await postSubmission(url, bodyOfSize(64 * 1024 + 1, message)), 413);
    expect(await rowsWithMessage(message)).toEqual([]);
  });

  const validationCases: [string, unknown, { pointer: string; field: string; code: string }[]][] = [
    [
      'a missing message',
      { type: 'question', contact: { email: 'anna@example.se' } },
      [{ pointer: '#/message', field: 'message', code: 'error.message.required' }],
    ],
    [
      'a blank message',
      { type: 'question', message: '   ', contact: null },
      [{ pointer: '#/message', field: 'message', code: 'error.message.required' }],
    ],
    [
      'an unknown category',
      { type: 'fault_report', category: 'finns-inte', location: { description: 'Torget' }, message: 'Trasigt' },
      [{ pointer: '#/category', field: 'category', code: 'error.category.required' }],
    ],
    [
      'a bad e-mail address',
      { type: 'question', message: 'Hej', contact: { email: 'inte-en-adress' } },
      [{ pointer: '#/contact/email', field: 'contact.email', code: 'error.email.invalid' }],
    ],
    [
      'a contact with neither e-mail nor phone',
      { type: 'question', message: 'Hej', contact: { name: 'Anna' } },
      [{ pointer: '#/contact/email', field: 'contact.email', code: 'error.contact.emailOrPhone' }],
    ],
    [
      'a proposal without contact',
      { type: 'proposal', title: 'Bänkar', message: 'Fler bänkar' },
      [{ pointer: '#/contact', field: 'contact', code: 'error.contact.required' }],
    ],
    [
      'an anonymous proposal (contact: null)',
      { type: 'proposal', title: 'Bänkar', message: 'Fler bänkar', contact: null },
      [{ pointer: '#/contact', field: 'contact', code: 'error.contact.required' }],
    ],
    [
      'an unknown type',
      { type: 'complaint', message: 'Hej' },
      [{ pointer: '#/type', field: 'type', code: 'error.type.invalid' }],
    ],
    [
      'a feedback without a kind',
      { type: 'feedback', message: 'Hej', contact: null },
      [{ pointer: '#/feedbackKind', field: 'feedbackKind', code: 'error.feedbackKind.required' }],
    ],
    [
      'a latitude without a longitude',
      { type: 'fault_report', category: 'ovrigt', location: { description: 'Torget', lat: 59.3 }, message: 'Trasigt' },
      [{ pointer: '#/location/lat', field: 'location.lat', code: 'error.coordinates.invalid' }],
    ],
    [
      'an unknown unit',
      { type: 'question', message: 'Hej', unit: 'finns-inte', contact: null },
      [{ pointer: '#/unit', field: 'unit', code: 'error.unit.invalid' }],
    ],
    [
      'a language the portal does not offer',
      { type: 'question', message: 'Hej', contact: null, language: 'xx' },
      [{ pointer: '#/language', field: 'language', code: 'error.language.invalid' }],
    ],
    ['a body that is not an object', [], [{ pointer: '#/type', field: 'type', code: 'error.type.invalid' }]],
    [
      'several wrong fields, one entry each, in form order',
      { type: 'proposal', title: '', message: '', contact: { name: '', email: 'x' } },
      [
        { pointer: '#/title', field: 'title', code: 'error.title.required' },
        { pointer: '#/message', field: 'message', code: 'error.message.required' },
        { pointer: '#/contact/name', field: 'contact.name', code: 'error.name.required' },
        { pointer: '#/contact/email', field: 'contact.email', code: 'error.email.invalid' },
      ],
    ],
  ];

  it.each(validationCases)('answers 422 for %s and stores nothing', async (_label, body, expected) => {
    const before = await submissions();
    const problem = expectProblem(await postSubmission(url, body), 422);
    expect(problem.type).toBe('/api/v1/problems/validation-error');
    expect(problem.detail).toBe(sv['api.problem.422.detail']);
    expect(problem.errors).toEqual(expected.map((error) => ({ ...error, detail: sv[error.code] })));
    expect(await submissions()).toBe(before);
  });

  it('answers 403 for a POST with a foreign Origin and stores nothing', async () => {
    const before = await submissions();
    const body = question();
    const response = await postSubmission(url, body, { Origin: 'https://evil.example' });
    const problem = expectProblem(response, 403);
    expect(problem.detail).toBe(sv['api.problem.403.origin']);
    expect(await submissions()).toBe(before);
    expect(await rowsWithMessage(body.message)).toEqual([]);
  });

  it("accepts a POST with the server's own Origin", async () => {
    const body = question();
    const response = await postSubmission(url, body, { Origin: url });
    expect(response.status, response.text).toBe(201);
    expect((await rowsWithMessage(body.message)).map((row) => row.reference)).toEqual([response.json().reference]);
  });
});

describe('Idempotency-Key', () => {
  const key = (label: string) => `test-${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  it('answers a repeat of the same body with the first answer and stores it once', async () => {
    const idempotencyKey = key('repeat');
    const body = question();
    const before = await countSubmissions();

    const first = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(first.status, first.text).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const receipt = first.json();

    const again = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(again.status, again.text).toBe(201);
    expectJsonContentType(again);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(receipt);
    expect(again.headers.location).toBe(receipt.statusUrl);

    // Keys in another order, also inside the nested contact, are the same body.
    const reordered = `{"contact":{"email":"${body.contact.email}","name":"${body.contact.name}"},"message":${JSON.stringify(body.message)},"type":"question"}`;
    expect(reordered).not.toBe(JSON.stringify(body));
    const shuffled = await postSubmission(url, reordered, { 'Idempotency-Key': idempotencyKey });
    expect(shuffled.status, shuffled.text).toBe(201);
    expect(shuffled.headers['idempotent-replayed']).toBe('true');
    expect(shuffled.json()).toEqual(receipt);

    expect(await countSubmissions()).toBe(before + 1);
    expect((await rowsWithMessage(body.message)).map((row) => row.reference)).toEqual([receipt.reference]);
    const stored = await withDatabase((db) =>
      db.query('SELECT s.reference FROM idempotency_keys k JOIN submissions s ON s.id = k.submission_id WHERE k.key = ?', [idempotencyKey]),
    );
    expect(stored).toEqual([{ reference: receipt.reference }]);
  });

  it('refuses another body under a used key with 422 and stores nothing', async () => {
    const idempotencyKey = key('other-body');
    const first = await postSubmission(url, question(), { 'Idempotency-Key': idempotencyKey });
    expect(first.status, first.text).toBe(201);
    const before = await countSubmissions();

    const other = question();
    const response = await postSubmission(url, other, { 'Idempotency-Key': idempotencyKey });
    const problem = expectProblem(response, 422, sv['api.problem.idempotencyKeyReused.title']);
    expect(problem.type).toBe('/api/v1/problems/idempotency-key-reused');
    expect(problem.detail).toBe(sv['api.problem.idempotencyKeyReused.detail']);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect(await countSubmissions()).toBe(before);
    expect(await rowsWithMessage(other.message)).toEqual([]);
  });

  it('lets a key that got a validation error be used again with a corrected body', async () => {
    const idempotencyKey = key('corrected');
    const body = question();
    const before = await countSubmissions();

    const wrong = await postSubmission(url, { ...body, contact: { email: 'fel' } }, { 'Idempotency-Key': idempotencyKey });
    expect(expectProblem(wrong, 422).errors.map((error: { field: string }) => error.field)).toEqual(['contact.email']);
    expect(await countSubmissions()).toBe(before);

    const corrected = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(corrected.status, corrected.text).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    const replay = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    expect(replay.status).toBe(201);
    expect(replay.json().reference).toBe(corrected.json().reference);
    expect(await countSubmissions()).toBe(before + 1);
  });

  it('stores one row when ten identical requests with one key arrive at once', async () => {
    const idempotencyKey = key('concurrent');
    const body = question();
    const before = await countSubmissions();

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => postSubmission(url, body, { 'Idempotency-Key': idempotencyKey })),
    );

    const created = responses.filter((response) => response.status === 201);
    const busy = responses.filter((response) => response.status === 409);
    expect(created.length + busy.length, responses.map((response) => `${response.status} ${response.text}`).join('\n')).toBe(10);
    // Exactly one request created the submission; any other 201 is a replay of it.
    expect(created.filter((response) => response.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(created.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(created.length - 1);
    const references = new Set(created.map((response) => response.json().reference));
    expect(references.size).toBe(1);
    for (const response of busy) {
      const problem = expectProblem(response, 409);
      expect(problem.detail).toBe(sv['api.problem.409.detail']);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
    }

    expect(await countSubmissions()).toBe(before + 1);
    expect((await rowsWithMessage(body.message)).map((row) => row.reference)).toEqual([...references]);
  });

  it.each([
    ['300 characters long', 'k'.repeat(300)],
    ['256 characters long', 'k'.repeat(256)],
    ['containing a space', 'my key'],
    ['empty', ''],
  ])('answers 400 for a key %s and stores nothing', async (_label, idempotencyKey) => {
    const before = await countSubmissions();
    const body = question();
    const response = await postSubmission(url, body, { 'Idempotency-Key': idempotencyKey });
    const problem = expectProblem(response, 400);
    expect(problem.detail).toBe(sv['api.problem.400.idempotencyKey']);
    expect(await countSubmissions()).toBe(before);
  });

  /** 3,000 nested arrays: a 6 KB body, far below the size limit. */
  const deeplyNested = `${'['.repeat(3000)}${']'.repeat(3000)}`;
  const notAnErrand = [{ pointer: '#/type', field: 'type', code: 'error.type.invalid', detail: sv['error.type.invalid'] }];

  it('answers 422 for a deeply nested body without a key', async () => {
    const problem = expectProblem(await postSubmission(url, deeplyNested), 422);
    expect(problem.errors).toEqual(notAnErrand);
  });

  // Fingerprinting the raw body once recursed per nesting level and overflowed the stack (500).
  it('answers a deeply nested body with a key as it does without one', async () => {
    const response = await postSubmission(url, deeplyNested, { 'Idempotency-Key': key('deep') });
    const problem = expectProblem(response, 422);
    expect(problem.errors).toEqual(notAnErrand);
  });

  it('accepts a key of 255 visible ASCII characters', async () => {
    const idempotencyKey = `${key('long')}~!#`.padEnd(255, 'z');
    expect(idempotencyKey).toHaveLength(255);
    const response = await postSubmission(url, question(), { 'Idempotency-Key': idempotencyKey });
    expect(response.status, response.text).toBe(201);
  });
});

describe('compression', () => {
  it('gzips the services list for a client that accepts gzip, and not for one that does not', async () => {
    const plain = await rawRequest(`${url}/api/v1/services`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);

    const gzipped = await rawRequest(`${url}/api/v1/services`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gzipped.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(gunzipSync(gzipped.body).toString('utf8'))).toEqual(plain.json());
  });

  it('gzips the status page HTML', async () => {
    const created = await postSubmission(url, question());
    expect(created.status).toBe(201);
    const { statusUrl, reference } = created.json();
    const page = await rawRequest(statusUrl, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.body).toString('utf8')).toContain(reference);
  });
});
