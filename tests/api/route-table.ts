/**
 * Every route that takes a POST (or any other method that sends a body), with what a request
 * needs to reach the route's own handling: real references, tokens, a staff session and its
 * CSRF token, an Open311 key. The hostile-input and outage tests run over it; a test fails when
 * a route file under src/pages handles a body and is missing here.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repositoryRoot, TEST_SMS_WEBHOOK_SECRET, type RunningServer } from '../helpers/server';
import { inboundSms } from '../helpers/sms-gateway';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';
import { csrfOf, hiddenFields, postSubmission, rawRequest, readConfig, StaffBrowser, withDatabase } from './support';

/**
 * How a route answers what it refuses: a problem, Open311's error format, or a page. A webhook
 * takes a machine's form post (an SMS gateway's) and answers with problems.
 */
export type RouteKind = 'api' | 'webhook' | 'open311' | 'page';

/** One request to a route, ready to send: where, with which headers, and the fields that get it past its own checks. */
export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  /** Fields every post to the route carries (a CSRF token, a key); hostile cases add to them or replace the body. */
  fields: Record<string, string>;
}

export interface PostRoute {
  /** The route file, relative to src/pages. */
  file: string;
  kind: RouteKind;
  /** What the route is, for test names. */
  name: string;
  /** A fresh request: a route that ends a session (sign-out) gets a new one each time. */
  prepare(): Promise<PreparedRequest>;
  /**
   * The fields of a real post that stores something, carrying `typed` as what the person wrote
   * (added to the prepared fields); the intake API takes `typed` in a JSON submission instead.
   */
  post(typed: string): Record<string, string>;
}

/** Tables a post may add rows to; a refused post adds none. */
export const STORED_TABLES = [
  'submissions',
  'attachments',
  'idempotency_keys',
  'submission_events',
  'page_feedback',
  'proposal_supports',
  'fault_supports',
  'open311_clients',
  'outgoing_emails',
  'status_links',
  'case_files',
  'inbound_messages',
  'inbound_sms',
  'outgoing_sms',
] as const;

/** How many rows each table of STORED_TABLES holds now. */
export async function storedRowCounts(databaseUrl: string): Promise<Record<string, number>> {
  return withDatabase(async (db) => {
    const counts: Record<string, number> = {};
    for (const table of STORED_TABLES) counts[table] = Number((await db.query<{ count: number }>(`SELECT COUNT(*) AS count FROM ${table}`))[0]?.count ?? 0);
    return counts;
  }, databaseUrl);
}

/**
 * The route files that handle a body: endpoints exporting POST, PUT, PATCH, DELETE or ALL, and
 * pages that look at the request's method or hand the request to a server module (which reads
 * the post).
 */
export function routeFilesTakingBodies(): string[] {
  const pagesDirectory = join(repositoryRoot, 'src/pages');
  const files = readdirSync(pagesDirectory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  return files
    .filter((file) => {
      const source = readFileSync(file, 'utf8');
      if (file.endsWith('.ts')) return /export\s+(const|async function|function)\s+(POST|PUT|PATCH|DELETE|ALL)\b/.test(source);
      return file.endsWith('.astro') && (/Astro\.request\.method/.test(source) || /\(Astro[,)]/.test(source));
    })
    .map((file) => relative(pagesDirectory, file))
    .sort();
}

const ADMIN = { email: 'admin.routes@varmdo.se', name: 'Ada Admin', role: 'admin' };

/** Issues an Open311 key with the admin's CLI. */
function issueOpen311Key(databaseUrl: string): string {
  const result = spawnSync(process.execPath, ['scripts/open311-key.mjs', '--client', 'Rutttabellen'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  if (result.status !== 0) throw new Error(`open311:key failed: ${result.stderr}`);
  return result.stdout.trim().split('\n')[1] ?? '';
}

/** A staff member signed in on `server`: its cookies as a header, and its CSRF token. */
async function signedIn(server: RunningServer): Promise<{ headers: Record<string, string>; csrf: string; browser: StaffBrowser }> {
  const browser = new StaffBrowser(server.url);
  const signIn = await browser.signIn(ADMIN.email);
  if (signIn.status !== 303) throw new Error(`sign-in failed with ${signIn.status}`);
  const csrf = csrfOf(await browser.request('/handlaggning/open311'));
  return { headers: { Cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }, csrf, browser };
}

/** What `postRoutes` made on the server, for tests that also read it. */
export interface RouteFixtures {
  /** A question's status page and receipt. */
  statusPath: string;
  receiptPath: string;
  questionReference: string;
  faultReference: string;
  faultCategory: string;
  /** A published e-proposal. */
  proposalReference: string;
  /** A signed-in admin's Cookie header. */
  staffHeaders: Record<string, string>;
}

/**
 * Makes what the routes need on `server` (an errand with a status link, a fault report, a
 * published e-proposal and a support waiting for confirmation, an admin, an Open311 key) and
 * answers the table with what it made.
 */
export async function postRoutes(server: RunningServer): Promise<{ routes: PostRoute[]; fixtures: RouteFixtures }> {
  const config = readConfig();
  addStaffUser(server.databaseUrl, ADMIN);
  const created = async (body: unknown) => {
    const response = await postSubmission(server.url, body);
    if (response.status !== 201) throw new Error(`could not create ${JSON.stringify(body)}: ${response.status} ${response.text}`);
    return response.json() as { reference: string; statusUrl: string };
  };
  const question = await created({ type: 'question', message: 'Hur länge har biblioteket öppet?', contact: { name: 'Rut Rutt', email: 'rut@example.se' } });
  const fault = await created({ type: 'fault_report', category: config.faultCategories[0]!.id, location: { description: 'Rutttorget' }, message: 'Lampan är släckt.', contact: null });
  const proposal = await created({ type: 'proposal', title: 'Fler bänkar', message: 'Ställ bänkar längs strandpromenaden.', reason: 'Många vilar där.', contact: { name: 'Per Förslag', email: 'per@example.se' } });
  const staff = await signedIn(server);
  const published = await staff.browser.post(`/handlaggning/arende/${proposal.reference}`, { action: 'publish' });
  if (published.status !== 303) throw new Error(`publishing failed with ${published.status}`);
  // A reply, so the status page takes an answer back.
  const replied = await staff.browser.post(`/handlaggning/arende/${question.reference}`, { action: 'reply', reply: 'Biblioteket har öppet 10–19 på vardagar.' });
  if (replied.status !== 303) throw new Error(`replying failed with ${replied.status}`);
  // A support waiting for confirmation, as the e-mailed link names it (only the token's hash is stored).
  const supportToken = randomBytes(24).toString('base64url');
  await withDatabase(async (db) => {
    const [row] = await db.query<{ id: number }>('SELECT id FROM submissions WHERE reference = ?', [proposal.reference]);
    await db.query('INSERT INTO proposal_supports (submission_id, supporter, token_hash, created_at) VALUES (?, ?, ?, ?)', [
      row!.id,
      'route-table-supporter',
      createHash('sha256').update(supportToken).digest('hex'),
      new Date().toISOString(),
    ]);
  }, server.databaseUrl);
  const apiKey = issueOpen311Key(server.databaseUrl);
  const statusPath = new URL(question.statusUrl).pathname;
  const fixed = (path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) => async () => ({ path, headers, fields });
  // An errand form as a browser posts it: the hidden fields of the form as shown (token, start time, honeypot).
  const errandForm = (path: string) => async () => ({ path, headers: {}, fields: hiddenFields((await rawRequest(`${server.url}${path}`)).text) });
  const none = () => ({});
  const fixtures: RouteFixtures = {
    statusPath,
    receiptPath: statusPath.replace('/arende/', '/kvitto/'),
    questionReference: question.reference,
    faultReference: fault.reference,
    faultCategory: config.faultCategories[0]!.id,
    proposalReference: proposal.reference,
    staffHeaders: staff.headers,
  };

  const routes: PostRoute[] = [
    { file: 'api/v1/submissions.ts', kind: 'api', name: 'the intake API', prepare: fixed('/api/v1/submissions'), post: none },
    {
      file: 'api/v1/sms/inbound.ts',
      kind: 'webhook',
      name: 'the SMS gateway webhook',
      prepare: fixed('/api/v1/sms/inbound', {}, { Authorization: `Basic ${Buffer.from(`elks:${TEST_SMS_WEBHOOK_SECRET}`).toString('base64')}` }),
      post: (typed) => inboundSms('+46701234567', typed),
    },
    {
      file: 'open311/[...path].ts',
      kind: 'open311',
      name: 'Open311 POST requests',
      prepare: fixed('/open311/v2/requests.json', { api_key: apiKey }),
      post: (typed) => ({ service_code: fixtures.faultCategory, description: typed, lat: '59.32', long: '18.38' }),
    },
    ...(['fraga', 'synpunkt', 'felanmalan', 'e-forslag'] as const).map(
      (slug): PostRoute => ({ file: '[errand].astro', kind: 'page', name: `the errand form /${slug}`, prepare: errandForm(`/${slug}`), post: (typed) => (slug === 'fraga' ? { message: typed, reply: 'no' } : {}) }),
    ),
    { file: '[errand].astro', kind: 'page', name: 'the errand form in English', prepare: errandForm('/en/fraga'), post: (typed) => ({ message: typed, reply: 'no' }) },
    { file: 'arende/[token].astro', kind: 'page', name: 'the status page', prepare: fixed(statusPath), post: (typed) => ({ action: 'answer', answer: typed }) },
    { file: 'e-forslag/bekrafta/[token].astro', kind: 'page', name: 'confirming a support', prepare: fixed(`/e-forslag/bekrafta/${supportToken}`), post: none },
    {
      file: 'e-forslag/publicerade/[reference].astro',
      kind: 'page',
      name: 'supporting a proposal',
      prepare: fixed(`/e-forslag/publicerade/${proposal.reference}`),
      post: (typed) => ({ email: `${typed.replace(/\W+/g, '.')}@example.se` }),
    },
    {
      file: 'felanmalan/rapporterade/[reference].astro',
      kind: 'page',
      name: 'supporting a fault report',
      prepare: fixed(`/felanmalan/rapporterade/${fault.reference}`),
      post: (typed) => ({ email: `${typed.replace(/\W+/g, '.')}@example.se` }),
    },
    {
      file: 'folj-arende.astro',
      kind: 'page',
      name: 'following an errand',
      prepare: fixed('/folj-arende'),
      post: () => ({ reference: question.reference, email: 'rut@example.se' }),
    },
    { file: 'sidfeedback.ts', kind: 'page', name: 'page feedback', prepare: fixed('/sidfeedback', { page: '/kontakt' }), post: (typed) => ({ helpful: 'no', comment: typed }) },
    {
      file: 'handlaggning/logga-in.astro',
      kind: 'page',
      name: 'staff sign-in',
      prepare: async () => {
        const browser = new StaffBrowser(server.url);
        const csrf = csrfOf(await browser.request('/handlaggning/logga-in'));
        return { path: '/handlaggning/logga-in', headers: { Cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }, fields: { csrf } };
      },
      post: () => ({ email: ADMIN.email, password: STAFF_PASSWORD }),
    },
    {
      file: 'handlaggning/arende/[reference].astro',
      kind: 'page',
      name: 'a staff errand',
      prepare: fixed(`/handlaggning/arende/${question.reference}`, { csrf: staff.csrf }, staff.headers),
      post: (typed) => ({ action: 'note', note: typed }),
    },
    {
      file: 'handlaggning/nytt/index.astro',
      kind: 'page',
      name: 'registering an errand',
      prepare: fixed('/handlaggning/nytt', { csrf: staff.csrf }, staff.headers),
      post: (typed) => ({ channel: 'phone', message: typed, reply: 'no' }),
    },
    {
      file: 'handlaggning/open311.astro',
      kind: 'page',
      name: 'the staff Open311 keys',
      prepare: fixed('/handlaggning/open311', { csrf: staff.csrf }, staff.headers),
      post: (typed) => ({ action: 'issue', client: typed }),
    },
    {
      file: 'handlaggning/logga-ut.ts',
      kind: 'page',
      name: 'staff sign-out',
      // Signing out ends the session: every request gets a session of its own.
      prepare: async () => {
        const own = await signedIn(server);
        return { path: '/handlaggning/logga-ut', headers: own.headers, fields: { csrf: own.csrf } };
      },
      post: none,
    },
  ];
  return { routes, fixtures };
}
