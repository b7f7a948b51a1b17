/**
 * Random and hostile bodies thrown at the intake API (fast-check): wrong types, huge strings,
 * deep nesting, invalid UTF-8, prototype-pollution keys, broken multipart. Whatever arrives,
 * the API answers 2xx or 4xx — never 5xx — every refusal is problem+json, and every row it
 * stored is one the shared schema accepts. Bounded in runs and time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSubmissionSchema } from '../../src/lib/intake/schema';
import { rawRequest, readConfig, withDatabase } from './support';
import { inject } from 'vitest';

const url = inject('url');
const config = readConfig();
const schema = createSubmissionSchema({
  unitIds: config.units.map((unit) => unit.id),
  categoryIds: config.faultCategories.map((category) => category.id),
});

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'type', 'contact', 'message', '');
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('\u0000', '\uD800', 'a\uDFFFb', '\u202Eevil', '<script>alert(1)</script>', "'; DROP TABLE submissions; --", '${7*7}', '\r\n\r\n'),
  fc.string({ minLength: 4_990, maxLength: 5_010 }),
);
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Bodies that look almost right: the real shape with one part wrong, missing or hostile. */
const nearlyValid = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom('question', 'feedback', 'fault_report', 'proposal'), anyJson),
      message: fc.oneof(hostileString, anyJson),
      language: fc.oneof(fc.constantFrom('sv', 'ar', 'xx'), anyJson),
      feedbackKind: fc.oneof(fc.constantFrom('praise', 'complaint'), anyJson),
      category: fc.oneof(fc.constantFrom(...config.faultCategories.map((category) => category.id)), anyJson),
      unit: fc.oneof(fc.constantFrom(...config.units.map((unit) => unit.id)), anyJson),
      location: fc.oneof(fc.record({ description: hostileString, lat: fc.oneof(fc.double(), anyJson), lon: fc.double() }), anyJson),
      title: hostileString,
      contact: fc.oneof(fc.constant(null), fc.record({ name: hostileString, email: fc.oneof(fc.emailAddress(), hostileString), phone: hostileString }, { requiredKeys: [] }), anyJson),
    },
    { requiredKeys: ['type'] },
  )
  .map((body) => JSON.stringify(body));

const withPollutionKeys = fc
  .tuple(fc.constantFrom('__proto__', 'constructor'), anyJson)
  .map(([key, value]) => `{"type":"question","message":"Hej","contact":null,"${key}":${JSON.stringify(value) ?? 'null'}}`);
const deepNesting = fc.integer({ min: 1_000, max: 40_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
const deepObject = fc.integer({ min: 500, max: 5_000 }).map((depth) => `{"type":"question","message":"x","contact":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
const hugeString = fc.integer({ min: 60_000, max: 200_000 }).map((length) => JSON.stringify({ type: 'question', message: 'x'.repeat(length), contact: null }));

type Body = { contentType: string; bytes: Buffer };
const json = (text: fc.Arbitrary<string>): fc.Arbitrary<Body> => text.map((t) => ({ contentType: 'application/json', bytes: Buffer.from(t, 'utf8') }));
const bodies: fc.Arbitrary<Body> = fc.oneof(
  json(nearlyValid),
  json(anyJson.map((value) => JSON.stringify(value) ?? 'undefined')),
  json(withPollutionKeys),
  json(deepNesting),
  json(deepObject),
  json(hugeString),
  // Invalid UTF-8 and plain noise.
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => ({ contentType: 'application/json', bytes: Buffer.concat([Buffer.from('{"message":"'), Buffer.from(bytes), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) })),
  fc.record({
    contentType: fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''),
    bytes: fc.uint8Array({ maxLength: 3_000 }).map((bytes) => Buffer.from(bytes)),
  }),
  nearlyValid.map((text) => ({
    contentType: 'multipart/form-data; boundary=fuzz',
    bytes: Buffer.from(`--fuzz\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${text}\r\n--fuzz\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff garbage\r\n--fuzz--\r\n`, 'latin1'),
  })),
);

describe('the intake API under random and hostile bodies', () => {
  it('never answers 5xx, refuses with problem+json, and stores only rows the schema accepts', { timeout: 120_000 }, async () => {
    const lastId = async () =>
      Number((await withDatabase((db) => db.query<{ id: number | null }>('SELECT MAX(id) AS id FROM submissions')))[0]?.id ?? 0);
    const before = await lastId();
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(bodies, fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }), async (body, idempotencyKey) => {
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (body.contentType !== '') headers['Content-Type'] = body.contentType;
        if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey.replace(/[\r\n]/g, '');
        const response = await rawRequest(`${url}/api/v1/submissions`, { method: 'POST', headers, body: body.bytes });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, response.text.slice(0, 300)).toBeGreaterThanOrEqual(200);
        expect(response.status, response.text.slice(0, 300)).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.json().status).toBe(response.status);
        }
      }),
      { numRuns: 400, interruptAfterTimeLimit: 60_000, seed: Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31) },
    );

    const stored = await withDatabase((db) => db.query<{ id: number; payload: string }>('SELECT id, payload FROM submissions WHERE id > ?', [before]));
    for (const row of stored) {
      const payload = JSON.parse(row.payload);
      const reparsed = schema.safeParse(payload);
      expect(reparsed.success, `row ${row.id} holds what the schema refuses: ${row.payload.slice(0, 200)}`).toBe(true);
      expect(reparsed.data).toEqual(payload);
    }
    // The run reached both sides of the intake: something was refused and something stored.
    expect([...statuses.keys()].some((status) => status >= 400)).toBe(true);
    console.info(`fuzz: answers by status ${JSON.stringify(Object.fromEntries(statuses))}, ${stored.length} stored`);
  });
});
