/**
 * Gallring over HTTP and the CLI, against real servers on SQLite and on PostgreSQL: errands with
 * distinctive personal data are handled by staff, answered and rated, then purged by
 * `npm run retention:purge` and by an admin's forget action. The statistics stay the same, the
 * personal data is gone from the database (searched for by value in the SQLite file and its
 * log, or in every row of every table), errands not yet due are untouched, and without a
 * configured decision nothing is removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repositoryRoot, startServer, type RunningServer } from '../helpers/server';
import { addStaffUser } from '../helpers/staff';
import { configPath, postSubmission, rawRequest, StaffBrowser, uniqueText, withDatabase } from './support';

const database = inject('databaseKind');
const ADMIN = { email: 'ada.admin@varmdo.se', name: 'Ada Admin', role: 'admin' };
const ROAD_WORKER = { email: 'vera.vagar@varmdo.se', name: 'Vera Vägar', role: 'caseworker', units: ['gator-och-parker'] };
const DECISION = { title: 'Dokumenthanteringsplan för kontaktcenter (testbeslut)', reference: 'KS 2026/0042', decidedOn: '2026-01-15' };

let configDirectory: string;
let retentionConfig: string;
let server: RunningServer;

function writeConfig(name: string, change: (config: Record<string, unknown>) => void): string {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  change(config);
  const path = join(configDirectory, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

beforeAll(async () => {
  configDirectory = mkdtempSync(join(tmpdir(), 'en-vag-in-retention-'));
  // Questions, feedback and fault reports are purged once closed; proposals after a hundred years.
  retentionConfig = writeConfig('retention.json', (config) => {
    config['retention'] = { decision: DECISION, monthsAfterClosed: { question: 0, feedback: 0, fault_report: 0, proposal: 1200 } };
  });
  // The daily job stays out of the way: this server is purged by the CLI and the admin only.
  server = await startServer({ database, env: { MUNICIPALITY_CONFIG: retentionConfig, BACKGROUND_INTERVAL_MS: '3600000' } });
  addStaffUser(server.databaseUrl, ADMIN);
  addStaffUser(server.databaseUrl, ROAD_WORKER);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(configDirectory, { recursive: true, force: true });
});

/** `npm run retention:purge` against a server's database, as an operator runs it. */
function purge(target: RunningServer, config: string | undefined, ...args: string[]): { status: number | null; stdout: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: target.databaseUrl };
  if (config === undefined) delete env['MUNICIPALITY_CONFIG'];
  else env['MUNICIPALITY_CONFIG'] = config;
  const result = spawnSync(process.execPath, ['scripts/retention-purge.mjs', ...args], { cwd: repositoryRoot, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`retention:purge failed: ${result.stderr}`);
  return { status: result.status, stdout: result.stdout };
}

function logLines(output: string, event: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['event'] === event);
}

/** A photo of random pixels, so its stored bytes occur nowhere else. */
function noisePhoto(): Promise<Buffer> {
  return sharp(randomBytes(96 * 64 * 3), { raw: { width: 96, height: 64, channels: 3 } }).jpeg().toBuffer();
}

async function postWithPhoto(target: RunningServer, body: unknown): Promise<{ reference: string; statusUrl: string }> {
  const form = new FormData();
  form.append('submission', new Blob([JSON.stringify(body)], { type: 'application/json' }));
  form.append('photos', new Blob([new Uint8Array(await noisePhoto())], { type: 'image/jpeg' }), 'fel.jpg');
  const response = await fetch(`${target.url}/api/v1/submissions`, { method: 'POST', body: form });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { reference: string; statusUrl: string };
}

async function post(target: RunningServer, body: unknown): Promise<{ reference: string; statusUrl: string }> {
  const response = await postSubmission(target.url, body);
  expect(response.status, response.text).toBe(201);
  return response.json();
}

const formPost = (url: string, fields: Record<string, string>) =>
  rawRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

/** What the follow-up statistics read: every errand's columns, every history entry's kind, time and actor, and the aggregates built from them. */
async function statistics(target: RunningServer) {
  return withDatabase(async (db) => {
    const errands = await db.query<{ id: number; type: string; received_at: string; reply_by: string | null; answered_at: string | null; rating: number | null }>(
      `SELECT id, reference, type, feedback_kind, category, unit, handling_unit, language, status, received_at, reply_by, answered_at, rating,
              assigned_user_id, published_at, closes_on, closed_at, threshold_reached_at
         FROM submissions ORDER BY id`,
    );
    const events = await db.query<{ submission_id: number; kind: string; created_at: string }>(
      'SELECT id, submission_id, kind, created_at, actor, staff_user_id FROM submission_events WHERE kind <> ? ORDER BY id',
      ['personal_data_removed'],
    );
    const grouped = await db.query('SELECT type, feedback_kind, category, handling_unit, COUNT(*) AS n, COUNT(rating) AS rated, SUM(rating) AS ratings FROM submissions GROUP BY type, feedback_kind, category, handling_unit ORDER BY type, feedback_kind, category, handling_unit');
    const supports = await db.query('SELECT submission_id, COUNT(*) AS n, COUNT(confirmed_at) AS confirmed FROM proposal_supports GROUP BY submission_id ORDER BY submission_id');
    const byMonth: Record<string, number> = {};
    for (const errand of errands) byMonth[errand.received_at.slice(0, 7)] = (byMonth[errand.received_at.slice(0, 7)] ?? 0) + 1;
    const answeredInTime = errands.filter((errand) => errand.answered_at && errand.reply_by && errand.answered_at.slice(0, 10) <= errand.reply_by).length;
    const firstReplyMs = errands.map((errand) => {
      const first = events.filter((event) => event.submission_id === errand.id && event.kind === 'reply').map((event) => Date.parse(event.created_at))[0];
      return first === undefined ? null : first - Date.parse(errand.received_at);
    });
    return { errands, events, grouped, supports, byMonth, answeredInTime, firstReplyMs };
  }, target.databaseUrl);
}

/** Which of `values` can still be found in the stored data: the SQLite file and its write-ahead log byte for byte, or every row of every table as text. */
async function findStored(target: RunningServer, values: readonly (string | Buffer)[]): Promise<(string | Buffer)[]> {
  if (target.databasePath !== '') {
    const files = [target.databasePath, `${target.databasePath}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path));
    return values.filter((value) => files.some((bytes) => bytes.includes(typeof value === 'string' ? Buffer.from(value, 'utf8') : value)));
  }
  return withDatabase(async (db) => {
    const tables = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    const found: (string | Buffer)[] = [];
    for (const value of values) {
      const pattern = `%${typeof value === 'string' ? value : value.toString('hex')}%`;
      for (const { table_name } of tables) {
        const [row] = await db.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM "${table_name}" t WHERE t::text LIKE ?`, [pattern]);
        if (Number(row?.n) > 0) {
          found.push(value);
          break;
        }
      }
    }
    return found;
  }, target.databaseUrl);
}

const rowOf = (target: RunningServer, reference: string) =>
  withDatabase(async (db) => (await db.query<{ id: number; payload: string; purged_at: string | null; rating_comment: string | null }>('SELECT id, payload, purged_at, rating_comment FROM submissions WHERE reference = ?', [reference]))[0]!, target.databaseUrl);

/** A slice from the middle of a stored photo: past the headers every JPEG shares. */
async function storedPhotoSlice(target: RunningServer, reference: string): Promise<Buffer> {
  const [photo] = await withDatabase(
    (db) => db.query<{ bytes: Buffer }>('SELECT a.bytes FROM attachments a JOIN submissions s ON s.id = a.submission_id WHERE s.reference = ?', [reference]),
    target.databaseUrl,
  );
  const bytes = photo!.bytes;
  return Buffer.from(bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 48));
}

describe('gallring under a configured decision', () => {
  const secret = {
    name: uniqueText('Gallringsson Personnamn').replace(/ /g, '-'),
    email: `gallra.${randomBytes(5).toString('hex')}@example.se`,
    phone: `070-${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`,
    message: uniqueText('Lampan utanför mitt hus är trasig'),
    place: uniqueText('Utanför Storgatan 5'),
    note: uniqueText('Ringde personen hemma'),
    reply: uniqueText('Vi lagar lampan, hälsningar'),
    answer: uniqueText('Tack, den lyser fortfarande inte'),
    ratingComment: uniqueText('Trevligt bemötande av Vera'),
    question: uniqueText('Min son går på Ekedalsskolan'),
    questionEmail: `fraga.${randomBytes(5).toString('hex')}@example.se`,
    questionReply: uniqueText('Skolan svarar din son'),
    complaint: uniqueText('Grannen på Ekvägen 7 spelar hög musik'),
  };
  const kept = { message: uniqueText('Gropen är kvar'), email: `kvar.${randomBytes(5).toString('hex')}@example.se`, proposal: uniqueText('Bygg en badbrygga') };
  const forgotten = { message: uniqueText('Glöm mig helt'), email: `glom.${randomBytes(5).toString('hex')}@example.se`, supporter: `granne.${randomBytes(5).toString('hex')}@example.se` };
  let fault: { reference: string; statusUrl: string };
  let question: { reference: string; statusUrl: string };
  let complaint: { reference: string; statusUrl: string };
  let open: { reference: string; statusUrl: string };
  let proposal: { reference: string; statusUrl: string };
  let toForget: { reference: string; statusUrl: string };
  let photoSlice: Buffer;
  let openPhotoSlice: Buffer;
  const admin = () => new StaffBrowser(server.url);

  it('removes contact details, texts, photos, history texts and e-mail of the errands due, and leaves the statistics as they were', { timeout: 120_000 }, async () => {
    fault = await postWithPhoto(server, {
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: secret.place, lat: 59.3267, lon: 18.3842 },
      message: secret.message,
      contact: { name: secret.name, email: secret.email, phone: secret.phone },
    });
    question = await post(server, { type: 'question', message: secret.question, contact: { email: secret.questionEmail } });
    complaint = await post(server, { type: 'feedback', feedbackKind: 'complaint', unit: 'kultur-och-fritid', message: secret.complaint, contact: null });
    open = await postWithPhoto(server, { type: 'fault_report', category: 'gatubelysning', location: { description: 'Hamnvägen 3' }, message: kept.message, contact: { email: kept.email } });
    proposal = await post(server, { type: 'proposal', title: kept.proposal, message: 'Vid Farstaviken.', contact: { name: 'Petra Förslag', email: 'petra@example.se' } });
    photoSlice = await storedPhotoSlice(server, fault.reference);
    openPhotoSlice = await storedPhotoSlice(server, open.reference);

    // Staff handle them through their own forms; the resident answers and rates on the status page.
    const caseworker = new StaffBrowser(server.url);
    await caseworker.signIn(ROAD_WORKER.email);
    const faultPath = `/handlaggning/arende/${fault.reference}`;
    expect((await caseworker.post(faultPath, { action: 'note', note: secret.note })).status).toBe(303);
    expect((await caseworker.post(faultPath, { action: 'reply', reply: secret.reply })).status).toBe(303);
    expect((await formPost(fault.statusUrl, { action: 'answer', answer: secret.answer })).status).toBe(303);
    expect((await formPost(fault.statusUrl, { action: 'rate', rating: '4', ratingComment: secret.ratingComment })).status).toBe(303);
    expect((await caseworker.post(faultPath, { action: 'status', status: 'closed' })).status).toBe(303);
    expect((await caseworker.post(`/handlaggning/arende/${open.reference}`, { action: 'reply', reply: 'Vi tittar på det.' })).status).toBe(303);
    const boss = admin();
    await boss.signIn(ADMIN.email);
    expect((await boss.post(`/handlaggning/arende/${question.reference}`, { action: 'reply', reply: secret.questionReply })).status).toBe(303);
    for (const { reference } of [question, complaint, proposal]) expect((await boss.post(`/handlaggning/arende/${reference}`, { action: 'status', status: 'closed' })).status).toBe(303);

    const personalData = [secret.name, secret.email, secret.phone, secret.message, secret.place, secret.note, secret.reply, secret.answer, secret.ratingComment, secret.question, secret.questionEmail, secret.questionReply, secret.complaint, photoSlice];
    // The search finds what is there: every value before the purge.
    expect(await findStored(server, personalData)).toEqual(personalData);
    const before = await statistics(server);
    // And what a manager's follow-up shows: its figures and its anonymised errand list.
    const followUp = async () => Promise.all(['siffror.json', 'arenden.json'].map(async (name) => (await boss.request(`/handlaggning/uppfoljning/${name}`)).json()));
    const followUpBefore = await followUp();
    expect(followUpBefore[0].total).toBeGreaterThanOrEqual(5);
    const openBefore = await rowOf(server, open.reference);
    const proposalBefore = await rowOf(server, proposal.reference);
    const emailsBefore = await withDatabase(
      async (db) => Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM outgoing_emails e JOIN submissions s ON s.id = e.submission_id WHERE s.reference IN (?, ?, ?)', [fault.reference, question.reference, complaint.reference]))[0]!.n),
      server.databaseUrl,
    );

    // A dry run says what would go and removes nothing.
    const dry = purge(server, retentionConfig, '--dry-run');
    expect(dry.stdout).toContain(`under ${DECISION.title} (${DECISION.reference}, ${DECISION.decidedOn})`);
    expect(dry.stdout).toContain('would remove the personal data of 3 errand(s)');
    expect(dry.stdout).toMatch(/question: 1\n\s+feedback: 1\n\s+fault_report: 1\n\s+proposal: 0/);
    expect(await findStored(server, personalData)).toEqual(personalData);

    const run = purge(server, retentionConfig);
    expect(run.stdout).toContain('removed the personal data of 3 errand(s)');
    const [line] = logLines(run.stdout, 'retention_run');
    expect(line).toMatchObject({ level: 'info', trigger: 'cli', decision: DECISION.reference, errands_question: 1, errands_feedback: 1, errands_fault_report: 1, errands_proposal: 0, rows_photos: 1, rows_history: 5, rows_emails: emailsBefore });
    for (const value of personalData) if (typeof value === 'string') expect(run.stdout).not.toContain(value);
    // The checkpoint (SQLite) or VACUUM (PostgreSQL) after the run worked.
    expect(logLines(run.stdout, 'retention_reclaim_failed')).toEqual([]);

    expect(await findStored(server, personalData)).toEqual([]);
    expect(await statistics(server)).toEqual(before);
    expect(await followUp()).toEqual(followUpBefore);
    for (const { reference } of [fault, question, complaint]) expect((await rowOf(server, reference)).purged_at).not.toBeNull();
    const faultRow = await rowOf(server, fault.reference);
    expect(JSON.parse(faultRow.payload)).toEqual({ type: 'fault_report', category: 'gatubelysning', location: { description: '' }, message: '', contact: null, language: 'sv' });
    expect(faultRow.rating_comment).toBeNull();

    // Not yet due: still open, or a proposal's longer period.
    expect(await rowOf(server, open.reference)).toEqual(openBefore);
    expect(await rowOf(server, proposal.reference)).toEqual(proposalBefore);
    expect(await findStored(server, [kept.message, kept.email, kept.proposal, openPhotoSlice])).toEqual([kept.message, kept.email, kept.proposal, openPhotoSlice]);

    const runs = await withDatabase((db) => db.query<{ triggered_by: string; decision_reference: string; finished_at: string | null; counts: string }>('SELECT triggered_by, decision_reference, finished_at, counts FROM retention_runs ORDER BY id'), server.databaseUrl);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ triggered_by: 'cli', decision_reference: DECISION.reference });
    expect(runs[0]!.finished_at).not.toBeNull();
    expect(JSON.parse(runs[0]!.counts).errands).toEqual({ question: 1, feedback: 1, fault_report: 1, proposal: 0 });
  });

  it('removes nothing more on a second run', async () => {
    const before = await statistics(server);
    const again = purge(server, retentionConfig);
    expect(again.stdout).toContain('removed the personal data of 0 errand(s)');
    expect(await statistics(server)).toEqual(before);
    expect(await withDatabase(async (db) => (await db.query('SELECT id FROM retention_runs')).length, server.databaseUrl)).toBe(2);
  });

  it('shows the person only where the errand stands and when its personal data was removed', async () => {
    const page = await rawRequest(fault.statusUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain(fault.reference);
    expect(page.text).toContain('Vi tog bort personuppgifterna i ärendet');
    expect(page.text).toContain('Avslutat');
    for (const text of [secret.message, secret.place, secret.reply, secret.answer, secret.name]) expect(page.text).not.toContain(text);
    expect(page.text).not.toContain('name="action"');
    // The forms are gone, and a post takes nothing.
    expect((await formPost(fault.statusUrl, { action: 'answer', answer: 'Efteråt' })).status).toBe(303);
    expect(await findStored(server, ['Efteråt'])).toEqual([]);

    const boss = admin();
    await boss.signIn(ADMIN.email);
    const staffPage = await boss.request(`/handlaggning/arende/${fault.reference}`);
    expect(staffPage.text).toContain('Personuppgifterna togs bort');
    expect(staffPage.text).toContain('Intern anteckning');
    expect(staffPage.text).toContain('4 av 5');
    expect(staffPage.text).not.toContain('value="reply"');
    const refused = await boss.request(`/handlaggning/arende/${fault.reference}`, { form: { csrf: /name="csrf" value="([^"]+)"/.exec(staffPage.text)![1]!, action: 'note', note: 'Ny anteckning' } });
    expect(refused.status).toBe(409);
  });

  it('lets an admin, and only an admin, forget one errand at the person’s request, whatever the periods say', { timeout: 60_000 }, async () => {
    toForget = await postWithPhoto(server, { type: 'fault_report', category: 'gatubelysning', location: { description: 'Vid min brevlåda' }, message: forgotten.message, contact: { email: forgotten.email } });
    const forgottenPhoto = await storedPhotoSlice(server, toForget.reference);
    const path = `/handlaggning/arende/${toForget.reference}`;
    // A neighbour says it is their problem too and leaves an address for the "fixed" notice.
    expect((await formPost(`${server.url}/felanmalan/rapporterade/${toForget.reference}`, { email: forgotten.supporter })).status).toBe(303);

    const caseworker = new StaffBrowser(server.url);
    await caseworker.signIn(ROAD_WORKER.email);
    const own = await caseworker.request(path);
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('Ta bort personuppgifter');
    expect((await caseworker.request(`${path}?radera=`)).text).not.toContain('Ta bort personuppgifterna i ärende');
    const refused = await caseworker.post(path, { action: 'forget' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Bara en administratör kan ta bort personuppgifter.');
    expect((await rowOf(server, toForget.reference)).purged_at).toBeNull();

    const boss = admin();
    await boss.signIn(ADMIN.email);
    const page = await boss.request(path);
    expect(page.text).toContain('oberoende av gallringsfristerna');
    const confirmation = await boss.request(`${path}?radera=`);
    expect(confirmation.text).toContain(`Ta bort personuppgifterna i ärende ${toForget.reference}?`);
    expect(confirmation.text).toContain('value="forget"');
    // Without its CSRF token the post does nothing.
    expect((await boss.request(path, { form: { action: 'forget' } })).status).toBe(403);
    expect((await rowOf(server, toForget.reference)).purged_at).toBeNull();
    const done = await boss.request(path, { form: { csrf: /name="csrf" value="([^"]+)"/.exec(confirmation.text)![1]!, action: 'forget' } });
    expect(done.status).toBe(303);
    const after = await boss.request(String(done.headers.location));
    expect(after.text).toContain('Personuppgifterna togs bort på personens begäran');
    expect(after.text).toContain(ADMIN.name);

    expect(await findStored(server, [forgotten.message, forgotten.email, forgotten.supporter, 'Vid min brevlåda', forgottenPhoto])).toEqual([]);
    expect((await rawRequest(`${server.url}/felanmalan/rapporterade/${toForget.reference}`)).status).toBe(404);
    const [event] = await withDatabase(
      (db) => db.query<{ actor: string; staff_user_id: number; data: string }>("SELECT e.actor, e.staff_user_id, e.data FROM submission_events e JOIN submissions s ON s.id = e.submission_id WHERE s.reference = ? AND e.kind = 'personal_data_removed'", [toForget.reference]),
      server.databaseUrl,
    );
    expect(event).toMatchObject({ actor: 'staff' });
    expect(JSON.parse(event!.data)).toEqual({ reason: 'request' });
    const [run] = await withDatabase((db) => db.query<{ triggered_by: string; counts: string }>("SELECT triggered_by, counts FROM retention_runs WHERE triggered_by = 'admin'"), server.databaseUrl);
    expect(JSON.parse(run!.counts).errands).toEqual({ fault_report: 1 });
    const [line] = logLines(server.output(), 'retention_run');
    expect(line).toMatchObject({ trigger: 'admin', errands_fault_report: 1, rows_photos: 1 });
    for (const value of [forgotten.message, forgotten.email, secret.email, secret.name]) expect(server.output()).not.toContain(value);
    expect(logLines(server.output(), 'retention_reclaim_failed')).toEqual([]);
  });

  it('keeps a published proposal’s title and text but not its proposer’s name, and leaves its supports counted but tied to no address', { timeout: 60_000 }, async () => {
    const proposer = uniqueText('Förslagsställare Fornamn').replace(/ /g, '-');
    const title = uniqueText('Fler bänkar i Gustavsberg');
    const published = await post(server, { type: 'proposal', title, message: 'Längs strandpromenaden.', contact: { name: proposer, email: `forslag.${randomBytes(4).toString('hex')}@example.se` } });
    const boss = admin();
    await boss.signIn(ADMIN.email);
    const path = `/handlaggning/arende/${published.reference}`;
    expect((await boss.post(path, { action: 'publish' })).status).toBe(303);
    const publicPath = `${server.url}/e-forslag/publicerade/${published.reference}`;
    const supporter = `stod.${randomBytes(4).toString('hex')}@example.se`;
    expect((await formPost(publicPath, { email: supporter })).status).toBe(303);
    const supportersOf = () =>
      withDatabase((db) => db.query<{ supporter: string; token_hash: string }>('SELECT p.supporter, p.token_hash FROM proposal_supports p JOIN submissions s ON s.id = p.submission_id WHERE s.reference = ?', [published.reference]), server.databaseUrl);
    const [before] = await supportersOf();
    expect((await rawRequest(publicPath)).text).toContain(proposer);

    expect((await boss.post(path, { action: 'forget' })).status).toBe(303);
    const page = await rawRequest(publicPath);
    expect(page.text).toContain(title);
    expect(page.text).toContain('Längs strandpromenaden.');
    expect(page.text).toContain('Publicerat ');
    expect(page.text).not.toContain(proposer);
    const after = await supportersOf();
    expect(after).toHaveLength(1);
    expect(after[0]!.supporter).not.toBe(before!.supporter);
    expect(after[0]!.token_hash).not.toBe(before!.token_hash);
    expect(await findStored(server, [proposer, supporter, before!.supporter, before!.token_hash])).toEqual([]);
  });

  it('lets the history be changed only by a purge taking its texts out', async () => {
    await withDatabase(async (db) => {
      const eventOf = async (reference: string) =>
        (await db.query<{ id: number; data: string }>('SELECT e.id, e.data FROM submission_events e JOIN submissions s ON s.id = e.submission_id WHERE s.reference = ? ORDER BY e.id', [reference]))[0]!;
      const unpurged = await eventOf(open.reference);
      await expect(db.query('UPDATE submission_events SET data = ? WHERE id = ?', ['{"text":"ändrat"}', unpurged.id])).rejects.toThrow(/append-only/);
      const purged = await eventOf(fault.reference);
      await expect(db.query('UPDATE submission_events SET kind = ? WHERE id = ?', ['reply', purged.id])).rejects.toThrow(/append-only/);
      await expect(db.query('UPDATE submission_events SET data = ? WHERE id = ?', ['{"text":"påhittat"}', purged.id])).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM submission_events WHERE id = ?', [purged.id])).rejects.toThrow(/append-only/);
    }, server.databaseUrl);
  });

  it('says on the privacy page how long data is kept, from the decision', async () => {
    const page = await rawRequest(`${server.url}/personuppgifter`);
    expect(page.text).toContain(DECISION.title);
    expect(page.text).toContain(DECISION.reference);
    expect(page.text).toContain('Tas bort när ärendet avslutas');
    expect(page.text).toContain('1200 månader');
    const english = await rawRequest(`${server.url}/en/personuppgifter`);
    expect(english.text).toContain('Removed when the errand is closed');
  });
});

describe('gallring by the daily job', () => {
  it('purges a closed errand on its own, once, and logs the run', { timeout: 60_000 }, async () => {
    const scheduled = await startServer({ database, env: { MUNICIPALITY_CONFIG: retentionConfig, BACKGROUND_INTERVAL_MS: '200', RETENTION_INTERVAL_MS: '500' } });
    try {
      addStaffUser(scheduled.databaseUrl, ADMIN);
      const message = uniqueText('Skräp i parken vid min port');
      const { reference } = await post(scheduled, { type: 'feedback', feedbackKind: 'complaint', message, contact: { email: 'park@example.se' } });
      const boss = new StaffBrowser(scheduled.url);
      await boss.signIn(ADMIN.email);
      expect((await boss.post(`/handlaggning/arende/${reference}`, { action: 'status', status: 'closed' })).status).toBe(303);
      // A run is over when it logs, after the purge is committed and its space reclaimed; a
      // reclaim that meets a busy database is done again by the next run.
      const runsThatPurged = () => logLines(scheduled.output(), 'retention_run').filter((line) => line['trigger'] === 'schedule' && line['errands_feedback'] === 1);
      const deadline = Date.now() + 20_000;
      while ((runsThatPurged().length === 0 || (await findStored(scheduled, [message])).length > 0) && Date.now() < deadline) {
        await new Promise((wait) => setTimeout(wait, 200));
      }
      expect((await rowOf(scheduled, reference)).purged_at).not.toBeNull();
      expect(await findStored(scheduled, [message])).toEqual([]);
      const lines = logLines(scheduled.output(), 'retention_run').filter((line) => line['trigger'] === 'schedule');
      expect(lines.filter((line) => line['errands_feedback'] === 1)).toHaveLength(1);
      const runs = await withDatabase((db) => db.query<{ triggered_by: string }>('SELECT triggered_by FROM retention_runs'), scheduled.databaseUrl);
      expect(runs.every((run) => run.triggered_by === 'schedule')).toBe(true);
    } finally {
      await scheduled.stop();
    }
  });
});

describe('without a disposal decision', () => {
  it('removes nothing, and the CLI says so', { timeout: 60_000 }, async () => {
    const unconfigured = await startServer({ database, env: { BACKGROUND_INTERVAL_MS: '200' } });
    try {
      addStaffUser(unconfigured.databaseUrl, ADMIN);
      const message = uniqueText('Kvar tills kommunen beslutat');
      const { reference } = await post(unconfigured, { type: 'question', message, contact: { email: 'kvar@example.se' } });
      const boss = new StaffBrowser(unconfigured.url);
      await boss.signIn(ADMIN.email);
      expect((await boss.post(`/handlaggning/arende/${reference}`, { action: 'status', status: 'closed' })).status).toBe(303);
      const before = await rowOf(unconfigured, reference);
      for (const args of [['--dry-run'], []]) {
        expect(purge(unconfigured, undefined, ...args).stdout).toContain('no disposal decision (retention) in the configuration: nothing is removed');
      }
      // A few rounds of the background job too.
      await new Promise((wait) => setTimeout(wait, 1_000));
      expect(await rowOf(unconfigured, reference)).toEqual(before);
      expect(await findStored(unconfigured, [message])).toEqual([message]);
      expect(await withDatabase(async (db) => (await db.query('SELECT id FROM retention_runs')).length, unconfigured.databaseUrl)).toBe(0);
      const privacy = await rawRequest(`${unconfigured.url}/personuppgifter`);
      expect(privacy.text).toContain('så länge kommunens beslut om gallring säger');
    } finally {
      await unconfigured.stop();
    }
  });
});
