/**
 * Open311 GeoReport v2 over HTTP against the running server, on SQLite and on PostgreSQL: each
 * method in JSON and XML, the filters of GET requests, errors in the spec's format (from the
 * endpoint and from the middleware), keys issued and revoked with the real CLI, a POST that
 * goes through the ordinary intake into the staff inbox and is read back with GET, and no
 * personal data in anything GET answers.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repositoryRoot, startServer } from '../helpers/server';
import { addStaffUser } from '../helpers/staff';
import { csrfOf, dateInSweden, rawRequest, readConfig, StaffBrowser, sv, uniqueText, withDatabase, workingDaysAfter, type RawResponse } from './support';

const url = inject('url');
const databaseUrl = inject('databaseUrl');
const databaseKind = inject('databaseKind');
const V2 = `${url}/open311/v2`;
const en = JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n/en.json'), 'utf8')) as Record<string, string>;
const config = readConfig();
const DAY_MS = 24 * 60 * 60 * 1000;

type Format = 'json' | 'xml';
const FORMATS: Format[] = ['json', 'xml'];
const CONTENT_TYPES: Record<Format, RegExp> = { json: /^application\/json; charset=utf-8$/, xml: /^text\/xml; charset=utf-8$/ };

// ---------------------------------------------------------------------------------------------
// Keys, with the CLI an admin uses.

function open311Key(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['scripts/open311-key.mjs', ...args], { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl } });
}

function issueKey(client: string): { id: number; key: string } {
  const result = open311Key('--client', client);
  if (result.status !== 0) throw new Error(`open311:key failed: ${result.stderr}`);
  const [announcement = '', key = ''] = result.stdout.trim().split('\n');
  const id = Number(/issued key (\d+)/.exec(announcement)?.[1]);
  return { id, key };
}

// ---------------------------------------------------------------------------------------------
// Reading answers: JSON as it is; XML by a small parse of the fixed, well-defined output.

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
}

/** The leaf elements directly inside `fragment`, as name → text ('' for an empty element). */
function leaves(fragment: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of fragment.matchAll(/<(\w+)(?:\/>|>([^<]*)<\/\1>)/g)) fields[match[1] ?? ''] = unescapeXml(match[2] ?? '');
  return fields;
}

/** The inner XML of every `<name>…</name>` (they do not nest in our answers). */
function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>|<${name}/>`, 'g'))].map((match) => match[1] ?? '');
}

function expectXmlDocument(response: RawResponse, root: string): void {
  expect(response.headers['content-type']).toMatch(CONTENT_TYPES.xml);
  expect(response.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  expect(response.text.trim()).toMatch(new RegExp(`<${root}(/>|>[\\s\\S]*</${root}>)$`));
}

/** Service requests from a requests answer in either format; XML leaves are strings, so numbers are compared as such. */
function requestsOf(response: RawResponse, format: Format): Record<string, unknown>[] {
  expect(response.status, response.text).toBe(200);
  expect(response.headers['content-type']).toMatch(CONTENT_TYPES[format]);
  if (format === 'json') return response.json() as Record<string, unknown>[];
  expectXmlDocument(response, 'service_requests');
  return elements(response.text, 'request').map(leaves);
}

/** Checks an error in the spec's format and returns its descriptions. */
function expectOpen311Error(response: RawResponse, status: number, format: Format): string[] {
  expect(response.status, response.text).toBe(status);
  expect(response.headers['content-type']).toMatch(CONTENT_TYPES[format]);
  if (format === 'json') {
    const errors = response.json() as { code: number; description: string }[];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(Object.keys(error).sort()).toEqual(['code', 'description']);
    expect(errors.map((error) => error.code)).toEqual(errors.map(() => status));
    return errors.map((error) => error.description);
  }
  expectXmlDocument(response, 'errors');
  const errors = elements(response.text, 'error').map(leaves);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((error) => error['code'])).toEqual(errors.map(() => String(status)));
  return errors.map((error) => error['description'] ?? '');
}

// ---------------------------------------------------------------------------------------------
// Requests.

function get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(`${V2}/${path}`, { headers });
}

function post(format: Format, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(`${V2}/requests.${format}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

let client: { id: number; key: string };
const CLIENT_NAME = 'Felanmälningsappen Test';

/** A service request posted with a valid key; returns its id and what was posted. */
async function postReport(fields: Record<string, string> = {}, format: Format = 'json'): Promise<{ id: string; fields: Record<string, string> }> {
  const sent = { api_key: client.key, service_code: 'gatubelysning', address_string: 'Hamnvägen 3, Gustavsberg', lat: '59.3261', long: '18.3847', description: uniqueText('Lampan blinkar'), ...fields };
  const response = await post(format, sent);
  expect(response.status, response.text).toBe(201);
  const id = format === 'json' ? (response.json() as { service_request_id: string }[])[0]?.service_request_id : leaves(elements(response.text, 'request')[0] ?? '')['service_request_id'];
  if (!id) throw new Error(`no service_request_id in ${response.text}`);
  return { id, fields: sent };
}

interface StoredRow {
  reference: string;
  open311_client_id: number | string | null;
  payload: string;
  language: string;
}

async function storedRows(message: string): Promise<StoredRow[]> {
  return withDatabase((db) => db.query<StoredRow>(`SELECT reference, open311_client_id, payload, language FROM submissions WHERE ${db.jsonText('payload', 'message')} = ?`, [message]));
}

beforeAll(() => {
  client = issueKey(CLIENT_NAME);
});

describe('discovery', () => {
  it.each(FORMATS)('describes the endpoint in %s', async (format) => {
    const response = await get(`discovery.${format}`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(CONTENT_TYPES[format]);
    const contact = (config['contact'] as { email: string }).email;
    if (format === 'json') {
      const discovery = response.json();
      expect(discovery.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(discovery.contact).toContain(contact);
      expect(discovery.key_service).toContain(contact);
      expect(discovery.endpoints).toEqual([
        { specification: 'http://wiki.open311.org/GeoReport_v2', url: `${url}/open311/v2`, changeset: discovery.changeset, type: 'production', formats: ['application/json', 'text/xml'] },
      ]);
    } else {
      expectXmlDocument(response, 'discovery');
      const [endpoint = ''] = elements(response.text, 'endpoint');
      expect(leaves(endpoint)).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${url}/open311/v2`, type: 'production' });
      expect(elements(endpoint, 'format')).toEqual(['application/json', 'text/xml']);
      expect(leaves(response.text.replace(/<endpoints>[\s\S]*<\/endpoints>/, ''))['key_service']).toContain(contact);
    }
  });
});

describe('services', () => {
  it.each(FORMATS)('lists every fault category as a service in %s, named in the language asked for', async (format) => {
    const response = await get(`services.${format}`, { 'Accept-Language': 'en' });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(CONTENT_TYPES[format]);
    const services = format === 'json' ? (response.json() as Record<string, unknown>[]) : (expectXmlDocument(response, 'services'), elements(response.text, 'service').map(leaves));
    const flag = (value: boolean) => (format === 'json' ? value : String(value));
    expect(services).toEqual(
      config.faultCategories.map((category) => {
        const name = (category.name as Record<string, string>)['en'] ?? category.name.sv;
        return { service_code: category.id, service_name: name, description: name, metadata: flag(false), type: 'realtime', keywords: '', group: en['errand.fault_report.name'] };
      }),
    );
  });

  it.each(FORMATS)('answers a service definition without attributes in %s, and 404 for an unknown code', async (format) => {
    const response = await get(`services/gatubelysning.${format}`);
    expect(response.status, response.text).toBe(200);
    if (format === 'json') expect(response.json()).toEqual({ service_code: 'gatubelysning', attributes: [] });
    else {
      expectXmlDocument(response, 'service_definition');
      expect(response.text).toContain('<service_definition><service_code>gatubelysning</service_code><attributes></attributes></service_definition>');
    }
    const unknown = await get(`services/inget-sadant.${format}`, { 'Accept-Language': 'en' });
    expect(expectOpen311Error(unknown, 404, format)).toEqual([en['open311.error.serviceCode']?.replace('{{code}}', 'inget-sadant')]);
  });
});

describe('POST a service request', () => {
  it.each(FORMATS)('stores it through the intake and answers 201 in %s; GET of the same request shows it', async (format) => {
    const description = uniqueText('Gatlampan lyser inte');
    const response = await post(format, {
      api_key: client.key,
      service_code: 'gatubelysning',
      lat: '59.3261',
      long: '18.3847',
      address_string: 'Skolvägen 12, Gustavsberg',
      description,
      email: 'anna.andersson@example.se',
      first_name: 'Anna',
      last_name: 'Andersson',
      phone: '070-123 45 67',
      media_url: 'https://example.com/photo.jpg',
    });
    expect(response.status, response.text).toBe(201);
    expect(response.headers['content-type']).toMatch(CONTENT_TYPES[format]);
    const [row] = await storedRows(description);
    if (!row) throw new Error('nothing was stored');
    const answer = format === 'json' ? response.json() : elements(response.text, 'request').map(leaves);
    const empty = format === 'json' ? null : '';
    expect(answer).toEqual([{ service_request_id: row.reference, service_notice: empty, account_id: empty }]);
    expect(response.headers['location']).toBe(`${url}/open311/v2/requests/${row.reference}.${format}`);

    expect(Number(row.open311_client_id)).toBe(client.id);
    expect(JSON.parse(row.payload)).toEqual({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Skolvägen 12, Gustavsberg', lat: 59.3261, lon: 18.3847 },
      message: description,
      contact: { name: 'Anna Andersson', email: 'anna.andersson@example.se', phone: '070-123 45 67' },
      language: 'sv',
    });

    for (const readFormat of FORMATS) {
      const [request] = requestsOf(await get(`requests/${row.reference}.${readFormat}`), readFormat);
      const text = (value: unknown) => (readFormat === 'json' ? value : value === null ? '' : String(value));
      expect(request).toMatchObject({
        service_request_id: row.reference,
        status: 'open',
        service_code: 'gatubelysning',
        service_name: 'Gatubelysning',
        description: text(null),
        address: 'Skolvägen 12, Gustavsberg',
        lat: text(59.3261),
        long: text(18.3847),
        agency_responsible: 'Gator, parker och natur',
      });
      expect(String(request?.['requested_datetime'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
  });

  it('describes the place by its position when no address_string is given, and keeps a name only with a way to answer', async () => {
    const { id, fields } = await postReport({ address_string: '', first_name: 'Bo', last_name: 'Berg' });
    const [row] = await storedRows(fields['description'] ?? '');
    const payload = JSON.parse(row?.payload ?? '{}');
    expect(row?.reference).toBe(id);
    expect(payload.location).toEqual({ description: sv['open311.position']?.replace('{{lat}}', '59.3261').replace('{{long}}', '18.3847'), lat: 59.3261, lon: 18.3847 });
    expect(payload.contact).toBeNull();
  });

  it('takes multipart bodies too, as clients send them with photos, and leaves the files out', async () => {
    const description = uniqueText('Multipart');
    const form = new FormData();
    for (const [name, value] of Object.entries({ api_key: client.key, service_code: 'klotter-och-skadegorelse', address_string: 'Busshållplatsen', description })) form.append(name, value);
    form.append('media', new Blob([Buffer.from('not really a photo')], { type: 'image/jpeg' }), 'photo.jpg');
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    const response = await rawRequest(`${V2}/requests.xml`, { method: 'POST', headers: { 'Content-Type': encoded.headers.get('content-type') ?? '' }, body: Buffer.from(await encoded.arrayBuffer()) });
    expect(response.status, response.text).toBe(201);
    const [row] = await storedRows(description);
    expect(row?.reference).toBe(leaves(elements(response.text, 'request')[0] ?? '')['service_request_id']);
    expect(await withDatabase((db) => db.query('SELECT a.id FROM attachments a JOIN submissions s ON s.id = a.submission_id WHERE s.reference = ?', [row?.reference]))).toEqual([]);
  });

  it('reaches the staff inbox, marked with the client it came through', async () => {
    const { id } = await postReport();
    addStaffUser(databaseUrl, { email: 'open311-admin@varmdo.se', name: 'Ada Admin', role: 'admin' });
    const browser = new StaffBrowser(url);
    expect((await browser.signIn('open311-admin@varmdo.se')).status).toBe(303);
    expect((await browser.request('/handlaggning')).text).toContain(id);
    const errand = await browser.request(`/handlaggning/arende/${id}`);
    expect(errand.status).toBe(200);
    expect(errand.text).toContain(`Open311-klienten ${CLIENT_NAME}`);
  });

  it('lets an admin issue a key on the staff page only with the form’s CSRF token, and shows it once', async () => {
    addStaffUser(databaseUrl, { email: 'open311-nycklar@varmdo.se', name: 'Nils Nyckel', role: 'admin' });
    const browser = new StaffBrowser(url);
    await browser.signIn('open311-nycklar@varmdo.se');
    const client = uniqueText('Sidans app');
    const forged = await browser.request('/handlaggning/open311', { form: { action: 'issue', client } });
    expect(forged.status).toBe(403);
    expect(open311Key('--list').stdout).not.toContain(client);
    const page = await browser.request('/handlaggning/open311');
    const issued = await browser.request('/handlaggning/open311', { form: { csrf: csrfOf(page), action: 'issue', client } });
    expect(issued.status).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    const key = /<code class="secret" translate="no">([^<]+)<\/code>/.exec(issued.text)?.[1] ?? '';
    expect((await post('json', { api_key: key, service_code: 'gatubelysning', address_string: 'Torget', description: uniqueText('Från sidan') })).status).toBe(201);
    expect((await browser.request('/handlaggning/open311')).text).not.toContain(key);
    const unknown = await browser.request('/handlaggning/open311', { form: { csrf: csrfOf(page), action: 'revoke', id: '999999' } });
    expect(unknown.status).toBe(422);
  });

  it.each(FORMATS)('refuses invalid fields with the intake’s messages in %s and stores nothing', async (format) => {
    const description = uniqueText('Ogiltig');
    const response = await post(format, { api_key: client.key, service_code: 'gatubelysning', lat: 'norr', long: '18.38', description, email: 'inte-en-adress' }, { 'Accept-Language': 'en' });
    expect(expectOpen311Error(response, 400, format)).toEqual([
      `lat: ${en['error.coordinates.invalid']}`,
      `email: ${en['error.email.invalid']}`,
    ]);
    const missing = await post(format, { api_key: client.key, service_code: 'gatubelysning' }, { 'Accept-Language': 'en' });
    expect(expectOpen311Error(missing, 400, format)).toEqual([`address_string: ${en['error.place.required']}`, `description: ${en['error.message.required']}`]);
    expect(await storedRows(description)).toEqual([]);
  });

  it('refuses an unknown service_code with 404 and stores nothing', async () => {
    const description = uniqueText('Okänd tjänst');
    const response = await post('xml', { api_key: client.key, service_code: 'vulkanutbrott', address_string: 'Kroken', description });
    expect(expectOpen311Error(response, 404, 'xml')).toEqual([sv['open311.error.serviceCode']?.replace('{{code}}', 'vulkanutbrott')]);
    expect(await storedRows(description)).toEqual([]);
  });

  it.each(FORMATS)('needs a key in use: missing, wrong and revoked keys get 403 in %s', async (format) => {
    const fields = { service_code: 'gatubelysning', address_string: 'Torget', description: uniqueText('Nyckel') };
    const headers = { 'Accept-Language': 'en' };
    expect(expectOpen311Error(await post(format, fields, headers), 403, format)).toEqual([en['open311.error.apiKeyMissing']]);
    expect(expectOpen311Error(await post(format, { ...fields, api_key: `${client.key}x` }, headers), 403, format)).toEqual([en['open311.error.apiKeyInvalid']]);
    const revoked = issueKey(`Återkallad app ${format}`);
    expect((await post(format, { ...fields, api_key: revoked.key, description: uniqueText('Före') })).status).toBe(201);
    expect(open311Key('--revoke', String(revoked.id)).status).toBe(0);
    expect(open311Key('--list').stdout).toMatch(new RegExp(`^${revoked.id}\\tÅterkallad app ${format}\\tissued \\S+\\trevoked \\S+$`, 'm'));
    expect(expectOpen311Error(await post(format, { ...fields, api_key: revoked.key }, headers), 403, format)).toEqual([en['open311.error.apiKeyInvalid']]);
    expect(await storedRows(fields.description)).toEqual([]);
  });

  it('refuses other content types (415), bodies over 64 KiB (413) and posts from a foreign Origin (403) in the spec’s format', async () => {
    const json = await rawRequest(`${V2}/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(expectOpen311Error(json, 415, 'json')).toEqual([sv['open311.error.contentType']]);
    const large = await post('xml', { api_key: client.key, description: 'x'.repeat(70 * 1024) });
    expect(expectOpen311Error(large, 413, 'xml')).toEqual([sv['api.problem.413.detail']]);
    const foreign = await post('json', { api_key: client.key }, { Origin: 'https://elak.example' });
    expect(expectOpen311Error(foreign, 403, 'json')).toEqual([sv['api.problem.403.origin']]);
  });
});

describe('GET requests', () => {
  let first: { id: string; fields: Record<string, string> };
  let second: { id: string; fields: Record<string, string> };
  let old: { id: string; fields: Record<string, string> };
  let startedAt: Date;

  beforeAll(async () => {
    startedAt = new Date(Date.now() - 1000);
    first = await postReport({ service_code: 'nedskrapning' });
    second = await postReport({ service_code: 'klotter-och-skadegorelse' });
    old = await postReport({ service_code: 'nedskrapning' });
    // One report is dealt with (answered counts as closed), one arrived 100 days ago.
    await withDatabase(async (db) => {
      await db.query("UPDATE submissions SET status = 'answered' WHERE reference = ?", [second.id]);
      await db.query('UPDATE submissions SET received_at = ? WHERE reference = ?', [new Date(Date.now() - 100 * DAY_MS).toISOString(), old.id]);
    });
  });

  const ids = (requests: Record<string, unknown>[]) => requests.map((request) => request['service_request_id']);

  it.each(FORMATS)('lists requests of the last 90 days by default, newest first, in %s', async (format) => {
    const listed = ids(requestsOf(await get(`requests.${format}`), format));
    expect(listed.indexOf(second.id)).toBeLessThan(listed.indexOf(first.id));
    expect(listed.indexOf(second.id)).toBeGreaterThanOrEqual(0);
    expect(listed).not.toContain(old.id);
  });

  it.each(FORMATS)('filters by service_request_id (comma-separated, other filters ignored) in %s', async (format) => {
    const listed = ids(requestsOf(await get(`requests.${format}?service_request_id=${first.id},${old.id}&status=closed`), format));
    expect(listed.sort()).toEqual([first.id, old.id].sort());
  });

  it.each(FORMATS)('filters by service_code and status in %s', async (format) => {
    const litter = requestsOf(await get(`requests.${format}?service_code=nedskrapning`), format);
    expect(ids(litter)).toContain(first.id);
    expect(litter.every((request) => request['service_code'] === 'nedskrapning')).toBe(true);
    const both = ids(requestsOf(await get(`requests.${format}?service_code=nedskrapning,klotter-och-skadegorelse`), format));
    expect(both).toEqual(expect.arrayContaining([first.id, second.id]));

    const closed = requestsOf(await get(`requests.${format}?status=closed`), format);
    expect(ids(closed)).toContain(second.id);
    expect(ids(closed)).not.toContain(first.id);
    expect(closed.every((request) => request['status'] === 'closed')).toBe(true);
    const open = requestsOf(await get(`requests.${format}?status=open`), format);
    expect(ids(open)).toContain(first.id);
    expect(ids(open)).not.toContain(second.id);
    expect(ids(requestsOf(await get(`requests.${format}?status=open,closed`), format))).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it.each(FORMATS)('filters by start_date and end_date in %s', async (format) => {
    const around = ids(requestsOf(await get(`requests.${format}?start_date=${startedAt.toISOString()}&end_date=${new Date(Date.now() + 60_000).toISOString()}`), format));
    expect(around).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(around).not.toContain(old.id);
    const before = ids(requestsOf(await get(`requests.${format}?end_date=${encodeURIComponent(new Date(startedAt.getTime() - 60_000).toISOString().replace('Z', '+00:00'))}`), format));
    expect(before).not.toContain(first.id);
    const longAgo = new Date(Date.now() - 101 * DAY_MS).toISOString();
    expect(ids(requestsOf(await get(`requests.${format}?start_date=${longAgo}`), format))).toContain(old.id);
  });

  it.each(FORMATS)('takes mySociety’s max_requests in %s', async (format) => {
    expect(requestsOf(await get(`requests.${format}?max_requests=1`), format)).toHaveLength(1);
  });

  it.each(FORMATS)('answers an unknown request, bad dates, a bad status and a bad max_requests with errors in %s', async (format) => {
    const headers = { 'Accept-Language': 'en' };
    expect(expectOpen311Error(await get(`requests/VDO-1999-000001.${format}`, headers), 404, format)).toEqual([en['open311.error.request']?.replace('{{id}}', 'VDO-1999-000001')]);
    const dateError = (name: string) => en['open311.error.date']?.replace('{{parameter}}', name);
    expect(expectOpen311Error(await get(`requests.${format}?start_date=2026-01-01`, headers), 400, format)).toEqual([dateError('start_date')]);
    expect(expectOpen311Error(await get(`requests.${format}?end_date=igår`, headers), 400, format)).toEqual([dateError('end_date')]);
    const range = en['open311.error.dateRange']?.replace('{{days}}', '90');
    expect(expectOpen311Error(await get(`requests.${format}?start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z`, headers), 400, format)).toEqual([range]);
    expect(expectOpen311Error(await get(`requests.${format}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`, headers), 400, format)).toEqual([range]);
    expect(expectOpen311Error(await get(`requests.${format}?status=pending`, headers), 400, format)).toEqual([en['open311.error.status']]);
    expect(expectOpen311Error(await get(`requests.${format}?max_requests=1001`, headers), 400, format)).toEqual([en['open311.error.maxRequests']?.replace('{{max}}', '1000')]);
  });

  it('gives the reply-by date as expected_datetime, to the end of that Swedish day, and null when no reply is promised', async () => {
    const answered = await postReport({ email: 'svar.tack@example.se' });
    const anonymous = await postReport();
    const replyBy = workingDaysAfter(dateInSweden(new Date()), config.replyWithinWorkingDays.fault_report);
    for (const format of FORMATS) {
      for (const path of [`requests/${answered.id}.${format}`, `requests.${format}?service_request_id=${answered.id},${anonymous.id}`]) {
        const requests = requestsOf(await get(path), format);
        const expected = (id: string) => requests.find((request) => request['service_request_id'] === id)?.['expected_datetime'];
        expect(String(expected(answered.id)), path).toMatch(new RegExp(`^${replyBy}T23:59:59\\+0[12]:00$`));
        if (path.includes(anonymous.id)) expect(expected(anonymous.id), path).toBe(format === 'json' ? null : '');
      }
    }
  });

  it('shows no personal data: no name, e-mail address, phone number or description in any answer', async () => {
    const personal = { first_name: 'Ingrid', last_name: uniqueText('Hemligsson').replace(/\s/g, ''), email: 'ingrid.hemlig@example.se', phone: '070-987 65 43', description: uniqueText('Grannen Ingrid vet') };
    const { id } = await postReport(personal);
    const answers = await Promise.all([
      get('requests.json'),
      get('requests.xml'),
      get(`requests/${id}.json`),
      get(`requests/${id}.xml`),
      get(`requests.json?service_request_id=${id}`),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(id);
      for (const value of [personal.last_name, personal.email, 'ingrid.hemlig', '987 65 43', personal.description, 'Grannen']) expect(answer.text).not.toContain(value);
    }
  });
});

describe('every method', () => {
  it.each(FORMATS)('accepts our jurisdiction_id or none, and refuses another with 404 in %s', async (format) => {
    const ours = (config['open311'] as { jurisdictionId: string }).jurisdictionId;
    for (const path of [`discovery.${format}`, `services.${format}`, `services/gatubelysning.${format}`, `requests.${format}`]) {
      expect((await get(`${path}?jurisdiction_id=${ours}`)).status).toBe(200);
      const refused = await get(`${path}?jurisdiction_id=stockholm.se`, { 'Accept-Language': 'en' });
      expect(expectOpen311Error(refused, 404, format)).toEqual([en['open311.error.jurisdiction']?.replace('{{jurisdiction}}', ours)]);
    }
    const posted = await post(format, { api_key: client.key, jurisdiction_id: 'stockholm.se', service_code: 'gatubelysning', address_string: 'Torget', description: uniqueText('Fel kommun') });
    expectOpen311Error(posted, 404, format);
  });

  it('answers a path without .json or .xml, an unknown method and a wrong HTTP method in the spec’s format', async () => {
    expect(expectOpen311Error(await get('services.html'), 404, 'xml')).toEqual([sv['open311.error.format']]);
    expect(expectOpen311Error(await get('services'), 404, 'xml')).toEqual([sv['open311.error.format']]);
    expect(expectOpen311Error(await get('tokens/1.json'), 404, 'json')).toEqual([sv['open311.error.notFound']]);
    expect(expectOpen311Error(await rawRequest(`${url}/open311/discovery.json`), 404, 'json')).toEqual([sv['open311.error.notFound']]);
    const wrongMethod = await rawRequest(`${V2}/services.json`, { method: 'DELETE' });
    expectOpen311Error(wrongMethod, 405, 'json');
    expect(wrongMethod.headers['allow']).toBe('GET, HEAD');
  });

  it('carries the security headers of the API', async () => {
    const response = await get('services.json');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('refusals from before the endpoint', () => {
  const servers: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('answers over the rate limit with 429, Retry-After and an Open311 error', { timeout: 60_000 }, async () => {
    const server = await startServer({ database: databaseKind, env: { RATE_LIMIT_PER_MINUTE: '1' } });
    servers.push(server);
    const fields = new URLSearchParams({ api_key: 'ingen', service_code: 'gatubelysning' }).toString();
    const send = () => rawRequest(`${server.url}/open311/v2/requests.xml`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'en' }, body: fields });
    expectOpen311Error(await send(), 403, 'xml');
    // The limit counts per minute: if the minute turned between the posts, the next one is over it.
    let limited = await send();
    if (limited.status === 403) limited = await send();
    const [description] = expectOpen311Error(limited, 429, 'xml');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(description).toBe(en['api.problem.429.detail']?.replace('{{seconds}}', String(limited.headers['retry-after'])));
  });

  it.runIf(databaseKind === 'sqlite')('answers 503 with Retry-After in the spec’s format while storage cannot take the report', { timeout: 30_000 }, async () => {
    const writer = new Database(databaseUrl.slice('sqlite:'.length), { fileMustExist: true });
    try {
      writer.exec('BEGIN EXCLUSIVE');
      const response = await post('json', { api_key: client.key, service_code: 'gatubelysning', address_string: 'Låst', description: uniqueText('Låst') });
      expect(expectOpen311Error(response, 503, 'json')).toEqual([sv['api.problem.503.storage']]);
      expect(response.headers['retry-after']).toBe('5');
    } finally {
      if (writer.inTransaction) writer.exec('ROLLBACK');
      writer.close();
    }
  });
});
