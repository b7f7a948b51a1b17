/**
 * `npm run bench:seed` on SQLite and on PostgreSQL: a fresh database filled with 300 generated
 * errands as the configuration has them, and a server started on it afterwards that works as on
 * any other database: it takes a new submission with the next reference, its inbox lists the
 * generated errands, a staff action on one is recorded, and the follow-up figures equal a recount
 * of the rows.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { swedishDate } from '../../src/lib/calendar';
import { CHANNELS } from '../../src/lib/channels';
import { LOCALES } from '../../src/lib/locales';
import { repositoryRoot, startServer, type RunningServer } from '../helpers/server';
import { addStaffUser } from '../helpers/staff';
import { createTestSchema } from '../helpers/postgres';
import { postSubmission, readConfig, sequenceOf, StaffBrowser, uniqueText, withDatabase } from './support';

const database = inject('databaseKind');
const ERRANDS = 300;
const ADMIN = { email: 'admin.seed@varmdo.se', name: 'Ada Admin', role: 'admin' };
const config = readConfig();
const today = swedishDate(new Date());

let databaseUrl: string;
let removeDatabase: () => Promise<void>;
let server: RunningServer;
let admin: StaffBrowser;

function seed(): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['scripts/bench-seed.mjs', '--errands', String(ERRANDS)], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

/** Rows of the seeded database, through a connection of the test's own. */
const query = <Row>(sql: string, params: unknown[] = []) => withDatabase((db) => db.query<Row>(sql, params), databaseUrl);

beforeAll(async () => {
  if (database === 'postgres') {
    const schema = await createTestSchema();
    databaseUrl = schema.url;
    removeDatabase = schema.drop;
  } else {
    const directory = mkdtempSync(join(tmpdir(), 'en-vag-in-seed-'));
    databaseUrl = `sqlite:${join(directory, 'seeded.sqlite')}`;
    removeDatabase = async () => rmSync(directory, { recursive: true, force: true });
  }
  const seeded = seed();
  expect(seeded.status, `${seeded.stdout}${seeded.stderr}`).toBe(0);
  addStaffUser(databaseUrl, ADMIN);
  server = await startServer({ databaseUrl });
  admin = new StaffBrowser(server.url);
  expect((await admin.signIn(ADMIN.email)).status).toBe(303);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeDatabase?.();
});

describe('the generated errands', () => {
  it('spread over ten years and the configured units, categories and languages, with example.se addresses only', async () => {
    const rows = await query<{ reference: string; received_at: string; handling_unit: string; category: string | null; language: string; payload: string }>(
      'SELECT reference, received_at, handling_unit, category, language, payload FROM submissions ORDER BY id',
    );
    expect(rows).toHaveLength(ERRANDS);
    const years = new Set(rows.map((row) => swedishDate(new Date(row.received_at)).slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(10);
    const units = new Set(config.units.map((unit) => unit.id));
    expect(rows.every((row) => units.has(row.handling_unit))).toBe(true);
    const categories = new Set(config.faultCategories.map((category) => category.id));
    expect(rows.filter((row) => row.category !== null).every((row) => categories.has(row.category!))).toBe(true);
    expect(new Set(rows.map((row) => row.language)).size).toBeGreaterThan(1);
    expect(rows.every((row) => (LOCALES as readonly string[]).includes(row.language))).toBe(true);
    const emails = rows.map((row) => JSON.parse(row.payload).contact?.email).filter((email) => email !== undefined);
    expect(emails.length).toBeGreaterThan(ERRANDS / 2);
    expect(emails.every((email) => /^[a-z0-9.]+@example\.se$/.test(email))).toBe(true);
  });

  it('are numbered in the real format, counting from 1 each Swedish year in the order they came in', async () => {
    const rows = await query<{ reference: string; received_at: string }>('SELECT reference, received_at FROM submissions ORDER BY received_at, id');
    const counted = new Map<string, number>();
    for (const row of rows) {
      const year = swedishDate(new Date(row.received_at)).slice(0, 4);
      counted.set(year, (counted.get(year) ?? 0) + 1);
      expect(row.reference).toBe(`${config.referencePrefix}-${year}-${String(counted.get(year)).padStart(6, '0')}`);
    }
  });

  it('have histories: assignments, status changes, replies and ratings, matching each errand’s status and rating', async () => {
    const kinds = await query<{ kind: string }>('SELECT DISTINCT kind FROM submission_events');
    expect(kinds.map((row) => row.kind).sort()).toEqual(expect.arrayContaining(['assigned', 'rating', 'reply', 'status_changed']));
    const mismatched = await query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM submissions s
        WHERE (s.status = 'answered') <> EXISTS (SELECT 1 FROM submission_events e WHERE e.submission_id = s.id AND e.kind = 'reply')
              AND s.status <> 'closed'
           OR (s.rating IS NOT NULL) <> EXISTS (SELECT 1 FROM submission_events e WHERE e.submission_id = s.id AND e.kind = 'rating')`,
    );
    expect(Number(mismatched[0]!.n)).toBe(0);
  });

  it('leave the kept counts equal to the rows (npm run stats:rebuild finds nothing to repair)', () => {
    const checked = spawnSync(process.execPath, ['scripts/stats-rebuild.mjs'], { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl } });
    expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
    expect(checked.stdout).not.toMatch(/differed/);
  });

  it('are refused a second time: the command fills only an empty database', () => {
    const again = seed();
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`already holds ${ERRANDS} errands`);
  });
});

describe('a server on the seeded database', () => {
  it('takes a new submission, which gets the next reference of this year', async () => {
    const year = today.slice(0, 4);
    const [counter] = await query<{ last_number: number }>('SELECT last_number FROM reference_counters WHERE year = ?', [Number(year)]);
    const response = await postSubmission(server.url, { type: 'question', message: uniqueText('Efter genereringen'), contact: { email: 'ny@example.se' } });
    expect(response.status, response.text).toBe(201);
    const { reference } = response.json();
    expect(reference.startsWith(`${config.referencePrefix}-${year}-`)).toBe(true);
    expect(sequenceOf(reference)).toBe((counter?.last_number ?? 0) + 1);
  });

  it('lists the generated errands in the inbox, and records a staff note on one', async () => {
    const [newest] = await query<{ reference: string }>('SELECT reference FROM submissions WHERE id <= ? ORDER BY received_at DESC LIMIT 1', [ERRANDS]);
    const inbox = await admin.request('/handlaggning');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain(`>${newest!.reference}</a>`);

    const note = uniqueText('Anteckning på ett genererat ärende');
    const path = `/handlaggning/arende/${newest!.reference}`;
    expect((await admin.post(path, { action: 'note', note })).status).toBe(303);
    expect((await admin.request(path)).text).toContain(note);
  });

  it('shows follow-up figures equal to a recount of every row', async () => {
    const [oldest] = await query<{ received_at: string }>('SELECT MIN(received_at) AS received_at FROM submissions');
    const from = swedishDate(new Date(oldest!.received_at));
    const response = await admin.request(`/handlaggning/uppfoljning/siffror.json?from=${from}&to=${today}`);
    expect(response.status, response.text).toBe(200);
    const figures = response.json();
    const countsBy = async (column: string) =>
      Object.fromEntries(
        (await query<{ value: string; n: number | string }>(`SELECT ${column} AS value, COUNT(*) AS n FROM submissions WHERE ${column} IS NOT NULL GROUP BY ${column}`)).map((row) => [
          row.value,
          Number(row.n),
        ]),
      );
    const [total] = await query<{ n: number | string }>('SELECT COUNT(*) AS n FROM submissions');
    expect(figures.total).toBe(Number(total!.n));
    expect(figures.byType).toEqual(await countsBy('type'));
    expect(figures.byUnit).toEqual(await countsBy('handling_unit'));
    expect(figures.byCategory).toEqual(await countsBy('category'));
    expect(figures.byFeedbackKind).toEqual(await countsBy('feedback_kind'));
    // Most by the web, some by every other way, and some answered at the first contact.
    const channels = await countsBy('channel');
    expect(figures.channels).toEqual(channels);
    expect(Object.keys(channels).sort()).toEqual([...CHANNELS].sort());
    expect(Object.entries(channels).sort(([, m], [, n]) => n - m)[0]![0]).toBe('web');
    const [firstContact] = await query<{ n: number | string }>('SELECT COUNT(*) AS n FROM submissions WHERE answered_at_first_contact = 1');
    expect(Number(firstContact!.n)).toBeGreaterThan(0);
    expect(figures.firstContact.answered).toBe(Number(firstContact!.n));
    const ratings = await countsBy('rating');
    expect(figures.satisfaction.count).toBe(Object.values(ratings).reduce((sum, n) => sum + n, 0));
    expect(figures.satisfaction.distribution).toEqual(Object.fromEntries(['1', '2', '3', '4', '5'].map((rating) => [rating, ratings[rating] ?? 0])));
    const [replied] = await query<{ n: number | string }>("SELECT COUNT(DISTINCT submission_id) AS n FROM submission_events WHERE kind = 'reply'");
    expect(figures.firstReply.replied).toBe(Number(replied!.n));
  });
});
