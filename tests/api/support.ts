/**
 * Shared helpers for the API tests: raw HTTP requests (so every header and byte is under the
 * test's control and compressed bodies stay compressed), a look into the stored rows, and an
 * independent oracle for Swedish working days, written here rather than imported so the API's
 * reply-by dates are checked against something other than the code that computes them.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { repositoryRoot } from '../helpers/server';
import { STAFF_PASSWORD } from '../helpers/staff';

/** The Swedish texts, to compare what the API says with what the locale file holds. */
export const sv = JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n/sv.json'), 'utf8')) as Record<string, string>;

/** Checks an RFC 9457 problem answer and returns its parsed body. */
export function expectProblem(response: RawResponse, status: number, title = sv[`api.problem.${status}.title`]): any {
  expect(response.status, response.text).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
  const problem = response.json();
  expect(problem.status).toBe(status);
  expect(problem.title).toBe(title);
  expect(typeof problem.type).toBe('string');
  return problem;
}

/** What a client sees of one HTTP exchange, body kept as raw bytes. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body decoded as UTF-8 text (only meaningful when the body is not compressed). */
  text: string;
  /** The body parsed as JSON; throws if it is not JSON. */
  json(): any;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** Sent in one piece with a Content-Length header. */
  body?: string | Buffer;
  /** Sent as separate writes without Content-Length (Transfer-Encoding: chunked). */
  chunks?: Buffer[];
  /** A pause between the chunks, as a slow connection would make. */
  pauseBetweenChunksMs?: number;
}

/** A fetch Response as the raw response the other helpers check. */
export async function toRawResponse(response: Response): Promise<RawResponse> {
  const body = Buffer.from(await response.arrayBuffer());
  const text = body.toString('utf8');
  return { status: response.status, headers: Object.fromEntries(response.headers), body, text, json: () => JSON.parse(text) };
}

/** One request with node:http: no implicit headers beyond Host and Connection, no decompression. */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const { method = 'GET', headers = {}, body, chunks, pauseBetweenChunksMs = 0 } = options;
  return new Promise((resolve, reject) => {
    // A body is sent on a keep-alive connection, as browsers send it: a server that answers before
    // reading it all (413) then discards the rest, where on `Connection: close` it closes the
    // socket mid-upload and the client may see EPIPE instead of the answer.
    const outgoing: Record<string, string | number> = body !== undefined || chunks !== undefined ? { Connection: 'keep-alive', ...headers } : { ...headers };
    if (body !== undefined) outgoing['Content-Length'] = Buffer.byteLength(body);
    const req = httpRequest(url, { method, headers: outgoing, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(parts);
        const text = raw.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: raw,
          text,
          json: () => JSON.parse(text),
        });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else if (chunks !== undefined) {
      void (async () => {
        for (const [index, chunk] of chunks.entries()) {
          if (index > 0 && pauseBetweenChunksMs > 0) await new Promise((wait) => setTimeout(wait, pauseBetweenChunksMs));
          req.write(chunk);
        }
        req.end();
      })();
    } else req.end();
  });
}

/** A client of the staff pages that keeps cookies, as a browser does. */
export class StaffBrowser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(path: string, options: { method?: string; form?: Record<string, string> } = {}): Promise<RawResponse> {
    const response = await rawRequest(`${this.baseUrl}${path}`, {
      method: options.method ?? (options.form ? 'POST' : 'GET'),
      headers: {
        ...this.headers,
        ...(this.cookies.size > 0 ? { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
        ...(options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
    for (const line of setCookies(response)) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Signs in from a fresh sign-in page, in Swedish or (with `prefix` `/en`) English, asking to go to `till` afterwards. */
  async signIn(email: string, password = STAFF_PASSWORD, prefix = '', till = `${prefix}/handlaggning`): Promise<RawResponse> {
    const page = await this.request(`${prefix}/handlaggning/logga-in`);
    return this.request(`${prefix}/handlaggning/logga-in`, { form: { csrf: csrfOf(page), email, password, till } });
  }

  /** Posts one of a staff page's forms, with the CSRF token of the page as it is now. */
  async post(path: string, fields: Record<string, string>): Promise<RawResponse> {
    return this.request(path, { form: { csrf: csrfOf(await this.request(path)), ...fields } });
  }
}

export function setCookies(response: RawResponse): string[] {
  const header = response.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
}

/** The CSRF token of a staff page's forms. */
export function csrfOf(page: RawResponse): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page.text);
  if (!match?.[1]) throw new Error(`no CSRF token on the page (status ${page.status})`);
  return match[1];
}

/** POSTs a JSON value (or a raw JSON text) to the intake API. */
export function postSubmission(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest(`${baseUrl}/api/v1/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A stored submission row as the tests read it. */
export interface SubmissionRow {
  id: number;
  reference: string;
  type: string;
  language: string;
  received_at: string;
  reply_by: string | null;
  handling_unit: string;
  status: string;
  status_token_hash: string;
  feedback_kind: string | null;
  category: string | null;
  unit: string | null;
  payload: string;
}

/** Runs `use` with a fresh connection to the database at `databaseUrl` (default: the shared server's) and closes it again. */
export async function withDatabase<T>(use: (db: TestDatabase) => Promise<T>, databaseUrl = inject('databaseUrl')): Promise<T> {
  const db = await openTestDatabase(databaseUrl);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

export async function countSubmissions(databaseUrl?: string): Promise<number> {
  return withDatabase(async (db) => Number((await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM submissions'))[0]?.n), databaseUrl);
}

export async function submissionRow(reference: string, databaseUrl?: string): Promise<SubmissionRow | undefined> {
  return withDatabase(async (db) => (await db.query<SubmissionRow>('SELECT * FROM submissions WHERE reference = ?', [reference]))[0], databaseUrl);
}

/** Rows whose stored message is exactly `message`: tests give every submission a unique message. */
export async function rowsWithMessage(message: string, databaseUrl?: string): Promise<SubmissionRow[]> {
  return withDatabase(
    (db) => db.query<SubmissionRow>(`SELECT * FROM submissions WHERE ${db.jsonText('payload', 'message')} = ? ORDER BY id`, [message]),
    databaseUrl,
  );
}

/** The municipality configuration the server under test runs with. */
export interface MunicipalityConfigFile {
  referencePrefix: string;
  defaultUnit: string;
  proposalUnit: string;
  units: { id: string; name: { sv: string } }[];
  faultCategories: { id: string; name: { sv: string }; unit: string }[];
  replyWithinWorkingDays: Record<'question' | 'feedback' | 'fault_report' | 'proposal', number>;
  [key: string]: unknown;
}

export const configPath = join(repositoryRoot, 'config/varmdo.json');

export function readConfig(): MunicipalityConfigFile {
  return JSON.parse(readFileSync(configPath, 'utf8')) as MunicipalityConfigFile;
}

/** The part of a reference after the year, as a number: VDO-2026-000042 → 42. */
export function sequenceOf(reference: string): number {
  const match = /^[A-Z]+-\d{4}-(\d{6})$/.exec(reference);
  if (!match) throw new Error(`not a reference: ${reference}`);
  return Number(match[1]);
}

// ---------------------------------------------------------------------------------------------
// Swedish working days, independently of src/lib/calendar.ts.

const swedishDateFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) in Sweden at an instant. */
export function dateInSweden(instant: Date): string {
  return swedishDateFormat.format(instant);
}

/** Easter Sunday, from published tables (not computed). */
const EASTER_SUNDAY: Record<number, string> = {
  2025: '2025-04-20',
  2026: '2026-04-05',
  2027: '2027-03-28',
  2028: '2028-04-16',
  2029: '2029-04-01',
  2030: '2030-04-21',
  2031: '2031-04-13',
  2032: '2032-03-28',
};

function shift(date: string, days: number): string {
  const instant = new Date(`${date}T12:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** Weekday holidays and eves: the only non-working days besides Saturdays and Sundays. */
function weekdayHolidays(year: number): Set<string> {
  const easter = EASTER_SUNDAY[year];
  if (easter === undefined) throw new Error(`the test's Easter table has no entry for ${year}: extend it`);
  // Midsommarafton is the Friday between 19 and 25 June.
  let midsummerEve = `${year}-06-19`;
  while (weekday(midsummerEve) !== 5) midsummerEve = shift(midsummerEve, 1);
  return new Set([
    `${year}-01-01`,
    `${year}-01-06`,
    shift(easter, -2),
    shift(easter, 1),
    `${year}-05-01`,
    shift(easter, 39),
    `${year}-06-06`,
    midsummerEve,
    `${year}-12-24`,
    `${year}-12-25`,
    `${year}-12-26`,
    `${year}-12-31`,
  ]);
}

export function isSwedishWorkingDay(date: string): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !weekdayHolidays(Number(date.slice(0, 4))).has(date);
}

/** The date `count` working days after `from`, not counting `from` itself. */
export function workingDaysAfter(from: string, count: number): string {
  let date = from;
  for (let remaining = count; remaining > 0; ) {
    date = shift(date, 1);
    if (isSwedishWorkingDay(date)) remaining -= 1;
  }
  return date;
}

/** A text no other request in the run uses, so a test can find exactly its own rows. */
export function uniqueText(label: string): string {
  return `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The hidden fields of a form page, as a browser would send them back. */
export function hiddenFields(html: string): Record<string, string> {
  return Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1]!, match[2]!.replaceAll('&amp;', '&')]),
  );
}
