/**
 * Every route that takes a body, from the route table, against the bodies an attacker or a
 * broken client sends: invalid UTF-8, malformed multipart, a wrong content type or charset, an
 * oversized body, deep JSON, `__proto__` keys, duplicate parameters and control characters.
 * Never 5xx, never 404; a body that cannot be taken gets its 4xx (400, 413, 415) in the route's
 * own format and stores nothing; an odd but legal one gets the route's normal answer. A server
 * of its own, so the row counts are this test's alone.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server';
import { postRoutes, routeFilesTakingBodies, storedRowCounts, type PostRoute, type PreparedRequest } from './route-table';
import { rawRequest, type RawResponse } from './support';

const databaseKind = inject('databaseKind');

let server: RunningServer;
let routes: PostRoute[];
beforeAll(async () => {
  server = await startServer({ database: databaseKind });
  ({ routes } = await postRoutes(server));
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** A body to send: its Content-Type (none when undefined) and bytes. */
interface HostileBody {
  contentType: string | undefined;
  bytes: Buffer;
}

const URLENCODED = 'application/x-www-form-urlencoded';
const encoded = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const form = (request: PreparedRequest, extra: string | Buffer): HostileBody => ({
  contentType: URLENCODED,
  bytes: Buffer.concat([Buffer.from(`${encoded(request.fields)}&`), Buffer.isBuffer(extra) ? extra : Buffer.from(extra)]),
});
const json = (text: string | Buffer): HostileBody => ({ contentType: 'application/json', bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) });
/** Deep, yet within the API's 64 KiB. */
const deepArray = '['.repeat(20_000) + ']'.repeat(20_000);

/**
 * A hostile case: the body it sends to a route, and the answers that are right. `refused`
 * cases must be refused with exactly one of the statuses and store nothing.
 */
interface HostileCase {
  name: string;
  refused: boolean;
  body(route: PostRoute, request: PreparedRequest): HostileBody;
  statuses(route: PostRoute): number[];
}

/** The normal answers to a legal post that is incomplete: pages answer it, machines name what is wrong. */
const normalAnswers = (route: PostRoute) => (route.kind === 'page' ? [200, 303, 422] : [400, 422]);

const CASES: HostileCase[] = [
  {
    name: 'invalid UTF-8 bytes',
    refused: true,
    body: (route, request) =>
      route.kind === 'api' ? json(Buffer.concat([Buffer.from('{"type":"question","message":"a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')])) : form(request, Buffer.concat([Buffer.from('message=a'), Buffer.from([0xff, 0xfe])])),
    statuses: () => [400],
  },
  {
    name: 'invalid UTF-8 in a percent escape, or JSON cut short',
    refused: true,
    body: (route, request) => (route.kind === 'api' ? json('{"type":"question","message":') : form(request, 'message=a%FF&email=%C3%28')),
    statuses: () => [400],
  },
  { name: 'multipart without a boundary', refused: true, body: () => ({ contentType: 'multipart/form-data', bytes: Buffer.from('x') }), statuses: () => [400] },
  {
    name: 'truncated multipart',
    refused: true,
    body: () => ({ contentType: 'multipart/form-data; boundary=grans', bytes: Buffer.from('--grans\r\nContent-Disposition: form-data; name="message"\r\n\r\nHej och v') }),
    statuses: () => [400],
  },
  {
    name: 'multipart garbage',
    refused: true,
    body: () => ({ contentType: 'multipart/form-data; boundary=grans', bytes: Buffer.from([0x00, 0xff, 0x2d, 0x2d, 0x0d, 0x0a, 0x7f, 0x80]) }),
    statuses: () => [400],
  },
  { name: 'text/plain', refused: true, body: () => ({ contentType: 'text/plain', bytes: Buffer.from('message=Hej') }), statuses: () => [415] },
  {
    name: 'the other format (JSON to a form, a form to the JSON API)',
    refused: true,
    body: (route, request) => (route.kind === 'api' ? { contentType: URLENCODED, bytes: Buffer.from('type=question&message=Hej') } : json(JSON.stringify(request.fields))),
    statuses: () => [415],
  },
  {
    name: 'a charset other than UTF-8',
    refused: true,
    body: (route, request) => ({ contentType: `${route.kind === 'api' ? 'application/json' : URLENCODED}; charset=iso-8859-1`, bytes: route.kind === 'api' ? Buffer.from('{"type":"question"}') : form(request, 'message=Hej').bytes }),
    statuses: () => [415],
  },
  { name: 'a body without a content type', refused: true, body: () => ({ contentType: undefined, bytes: Buffer.from('message=Hej') }), statuses: () => [415] },
  {
    name: 'an oversized body',
    refused: true,
    body: (route, request) => (route.kind === 'api' ? json(JSON.stringify({ type: 'question', message: 'x'.repeat(300_000), contact: null })) : form(request, `message=${'x'.repeat(300_000)}`)),
    statuses: () => [413],
  },
  {
    name: 'deep JSON',
    refused: true,
    body: () => json(deepArray),
    // The API reads it and says what is wrong with it; nothing else takes JSON.
    statuses: (route) => (route.kind === 'api' ? [400, 422] : [415]),
  },
  {
    name: '__proto__ and constructor keys',
    refused: false,
    body: (route, request) =>
      route.kind === 'api'
        ? json('{"__proto__":{"polluted":true,"type":"question"},"constructor":{"prototype":{"polluted":true}},"message":"Hej"}')
        : form(request, '__proto__=1&__proto__%5Bpolluted%5D=1&constructor%5Bprototype%5D%5Bpolluted%5D=1&toString=x&hasOwnProperty=y'),
    statuses: normalAnswers,
  },
  {
    name: 'duplicate parameters',
    refused: false,
    body: (route, request) => (route.kind === 'api' ? json('{"type":"question","type":"nonsense","message":"Hej","message":""}') : form(request, `message=Hej&message=&email=a%40example.se&email=inte-en-adress&${encoded(request.fields)}`)),
    statuses: normalAnswers,
  },
  {
    name: 'control characters',
    refused: false,
    body: (route, request) => (route.kind === 'api' ? json('{"type":"question","message":"\\u0000\\u0007\\u001b\\u007f","contact":null}') : form(request, 'message=%00%07%1B%E2%80%AE&email=%00%0D%0A')),
    statuses: normalAnswers,
  },
];

async function send(route: PostRoute, hostile: HostileCase): Promise<{ response: RawResponse; request: PreparedRequest }> {
  const request = await route.prepare();
  const body = hostile.body(route, request);
  const response = await rawRequest(`${server.url}${request.path}`, {
    method: 'POST',
    headers: { Accept: route.kind === 'page' ? 'text/html' : 'application/json', ...request.headers, ...(body.contentType === undefined ? {} : { 'Content-Type': body.contentType }) },
    body: body.bytes,
  });
  return { response, request };
}

/** The refusal is in the route's own format: a problem, Open311's error list, or a page. */
function expectRouteFormat(route: PostRoute, response: RawResponse): void {
  const type = String(response.headers['content-type']);
  if (route.kind === 'api' || route.kind === 'webhook') {
    expect(type).toMatch(/^application\/problem\+json/);
    expect(response.json().status).toBe(response.status);
  } else if (route.kind === 'open311') {
    expect(type).toMatch(/^application\/json/);
    const errors = response.json() as { code: number; description: string }[];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toEqual({ code: response.status, description: expect.any(String) });
  } else if (response.status !== 303) {
    expect(type).toMatch(/^text\/html/);
    expect(response.text).toMatch(/<h1[ >]/);
  }
}

describe('the route table', () => {
  it('names every route file that takes a body', () => {
    expect([...new Set(routes.map((route) => route.file))].sort()).toEqual(routeFilesTakingBodies());
  });
});

describe('hostile bodies', () => {
  for (const hostile of CASES) {
    it(`${hostile.name}: never 5xx or 404, the right answer on every route, nothing stored when refused`, { timeout: 120_000 }, async () => {
      for (const route of routes) {
        const before = await storedRowCounts(server.databaseUrl);
        const { response, request } = await send(route, hostile);
        const where = `${route.name} (${request.path}) answered ${response.status}: ${response.text.slice(0, 200)}`;
        expect(hostile.statuses(route), where).toContain(response.status);
        expectRouteFormat(route, response);
        if (hostile.refused) expect(await storedRowCounts(server.databaseUrl), where).toEqual(before);
      }
      // Whatever came in, nothing was polluted: the server still answers plain requests as before.
      expect((await rawRequest(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    });
  }

  it('an oversized errand form comes back as the form, with 413 and what to do', async () => {
    const route = routes.find((candidate) => candidate.name === 'the errand form /fraga')!;
    const { response } = await send(route, CASES.find((hostile) => hostile.name === 'an oversized body')!);
    expect(response.status).toBe(413);
    expect(response.text).toContain('Det du skickade var för stort för att ta emot.');
    expect(response.text).toContain('name="formToken"');
  });

  it('a refused page is in the language of its path', async () => {
    const route = routes.find((candidate) => candidate.name === 'the errand form in English')!;
    const { response } = await send(route, CASES.find((hostile) => hostile.name === 'text/plain')!);
    expect(response.status).toBe(415);
    expect(response.text).toContain('<html lang="en"');
    expect(response.text).toContain('We could not receive what you sent');
  });
});
