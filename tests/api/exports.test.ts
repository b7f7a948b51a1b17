/**
 * The errand list exports at a size that cannot sit in a socket's buffers, over HTTP against the
 * built server, on SQLite and on PostgreSQL: every errand arrives once and in the order received;
 * a client that reads slowly holds the reading back without stopping intake; one that leaves
 * mid-download ends the long read on the database (SQLite: the worker's snapshot is given up;
 * PostgreSQL: the cursor's transaction ends) and the next download is whole.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { swedishDate } from '../../src/lib/calendar';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser } from '../helpers/staff';
import { postSubmission, StaffBrowser, uniqueText, withDatabase } from './support';

const database = inject('databaseKind');
let server: RunningServer;
let admin: StaffBrowser;

/** Enough errands that the JSON list (some 20 MB) is far larger than what loopback sockets buffer. */
const ERRANDS = 100_000;
const PERIOD = 'from=2024-01-01&to=2024-12-31';
const CSV_HEADER = 'Ärendenummer;Typ;Slag av synpunkt;Kategori;Verksamhet;Status;Kanal;Besvarat vid första kontakten;Inkom;Svarsdag;Första svar;Besvarat i tid;Betyg';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The seeded errands in the order the export must give them: by reception, ties by id. */
let expected: { reference: string; receivedOn: string }[] = [];

/**
 * Errands spread over 2024 (every few minutes, so the clock changes are crossed), inserted in a
 * shuffled order so the list's order is the database's doing, with every seventh received in
 * the same millisecond as the one before (ties are ordered by id, that is by insertion).
 */
async function seed(db: TestDatabase): Promise<void> {
  const start = Date.UTC(2023, 11, 31, 23);
  const errands = Array.from({ length: ERRANDS }, (_, index) => {
    const step = index % 7 === 6 ? index - 1 : index;
    return { reference: `EXP-${String(index).padStart(6, '0')}`, receivedAt: new Date(start + step * 314_159).toISOString() };
  });
  // A fixed shuffle (multiplying by a number prime to the count visits every index once).
  const inserted = errands.map((_, index) => errands[(index * 7_919) % ERRANDS]!);
  const rows = 500;
  await db.query('BEGIN');
  for (let offset = 0; offset < ERRANDS; offset += rows) {
    const batch = inserted.slice(offset, offset + rows);
    await db.query(
      `INSERT INTO submissions (reference, type, language, received_at, handling_unit, status, status_token_hash, payload) VALUES ${batch.map(() => "(?, 'question', 'sv', ?, 'kultur-och-fritid', 'received', ?, '{}')").join(', ')}`,
      batch.flatMap((errand) => [errand.reference, errand.receivedAt, `export-test-${errand.reference}`]),
    );
  }
  await db.query('COMMIT');
  const order = new Map(inserted.map((errand, index) => [errand.reference, index]));
  expected = [...errands]
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || order.get(a.reference)! - order.get(b.reference)!)
    .map((errand) => ({ reference: errand.reference, receivedOn: swedishDate(new Date(errand.receivedAt)) }));
}

/** A download whose body the test reads at its own pace. */
function startDownload(path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const cookie = [...admin.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const request = httpRequest(`${server.url}${path}`, { headers: { Cookie: cookie }, agent: false }, resolve);
    request.on('error', reject);
    request.end();
  });
}

/** Reads a response to its end, pausing after every `pauseEvery` bytes while `whilePaused` runs. */
function readAll(response: IncomingMessage, pauseEvery = Infinity, whilePaused: () => Promise<void> = async () => undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let sincePause = 0;
    response.on('data', (part: Buffer) => {
      parts.push(part);
      sincePause += part.length;
      if (sincePause < pauseEvery) return;
      sincePause = 0;
      response.pause();
      whilePaused().then(() => response.resume(), reject);
    });
    response.on('end', () => resolve(Buffer.concat(parts)));
    response.on('error', reject);
  });
}

/** The first piece of a body, then the body left unread. */
function firstPiece(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    response.once('data', (part: Buffer) => {
      response.pause();
      resolve(part);
    });
  });
}

function expectWholeCsv(body: Buffer): void {
  expect(body.subarray(0, 3).equals(BOM)).toBe(true);
  const lines = body.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.at(-1)).toBe('');
  const rows = lines.slice(1, -1).map((line) => line.split(';'));
  expect(rows.length).toBe(ERRANDS);
  expect(rows.map((cells) => cells[0])).toEqual(expected.map((errand) => errand.reference));
  expect(rows.map((cells) => cells[8])).toEqual(expected.map((errand) => errand.receivedOn));
  expect(rows[0]!.slice(1, 6)).toEqual(['Fråga', '', '', 'Kultur, bibliotek och fritid', 'Mottaget']);
}

/**
 * Whether a long read still holds the database: on SQLite a snapshot older than the last write
 * keeps a full checkpoint from finishing; on PostgreSQL the cursor's transaction waits between
 * fetches.
 */
async function longReadOpen(): Promise<boolean> {
  return withDatabase(async (db) => {
    if (db.kind === 'sqlite') {
      await db.query('PRAGMA busy_timeout = 0');
      const [result] = await db.query<{ busy: number }>('PRAGMA wal_checkpoint(FULL)');
      return result!.busy === 1;
    }
    const sessions = await db.query<{ n: number | string }>(
      // Waiting for the client between batches, or (on a busy machine) still fetching the batch ahead.
      "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state IN ('idle in transaction', 'active') AND query LIKE 'FETCH % FROM stream_rows'",
    );
    return Number(sessions[0]!.n) > 0;
  }, server.databaseUrl);
}

async function intakeAnswers(): Promise<void> {
  const response = await postSubmission(server.url, { type: 'question', unit: 'kontaktcenter', message: uniqueText('Fråga under en export'), contact: null });
  expect(response.status, response.text).toBe(201);
}

beforeAll(async () => {
  server = await startServer({ database });
  addStaffUser(server.databaseUrl, { email: 'export.admin@varmdo.se', name: 'Edit Export', role: 'admin' });
  const db = await openTestDatabase(server.databaseUrl);
  try {
    await seed(db);
  } finally {
    await db.close();
  }
  admin = new StaffBrowser(server.url);
  await admin.signIn('export.admin@varmdo.se');
  // On PostgreSQL each of the 100,000 rows fires the kept counts' triggers: close to two minutes on a busy shared 2-core machine.
}, 300_000);
afterAll(async () => {
  await server?.stop();
});

describe('the errand list exports', () => {
  it('give every errand once, in the order received, as CSV and as JSON', async () => {
    const csv = await startDownload(`/handlaggning/uppfoljning/arenden.csv?${PERIOD}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expectWholeCsv(await readAll(csv));

    const json = await startDownload(`/handlaggning/uppfoljning/arenden.json?${PERIOD}`);
    expect(json.statusCode).toBe(200);
    const document = JSON.parse((await readAll(json)).toString('utf8'));
    expect(document.period).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(document.errands.map((errand: { reference: string }) => errand.reference)).toEqual(expected.map((errand) => errand.reference));
    expect(document.errands[0]).toEqual({
      reference: expected[0]!.reference,
      type: 'question',
      feedbackKind: null,
      category: null,
      unit: 'kultur-och-fritid',
      status: 'received',
      channel: 'web',
      answeredAtFirstContact: false,
      receivedOn: expected[0]!.receivedOn,
      replyBy: null,
      firstReplyOn: null,
      answeredInTime: null,
      rating: null,
    });
  }, 120_000);

  it('keep answering intake and staff while a client downloads slowly, and the download is whole', async () => {
    const csv = await startDownload(`/handlaggning/uppfoljning/arenden.csv?${PERIOD}`);
    let answeredMeanwhile = 0;
    const body = await readAll(csv, 2_000_000, async () => {
      await intakeAnswers();
      expect((await admin.request('/handlaggning')).status).toBe(200);
      answeredMeanwhile += 1;
    });
    expect(answeredMeanwhile).toBeGreaterThan(0);
    expectWholeCsv(body);
  }, 120_000);

  it('hold the read back while the client does not read, end it when the client leaves, and the next download is whole', async () => {
    const json = await startDownload(`/handlaggning/uppfoljning/arenden.json?${PERIOD}`);
    expect((await firstPiece(json)).toString('utf8')).toMatch(/^\{"period":/);
    // A write after the read began: a snapshot still held now keeps SQLite from checkpointing it.
    await intakeAnswers();
    expect(await longReadOpen()).toBe(true);

    json.destroy();
    let open = true;
    for (let attempt = 0; attempt < 100 && open; attempt += 1) {
      await new Promise((wait) => setTimeout(wait, 100));
      open = await longReadOpen();
    }
    expect(open).toBe(false);

    await intakeAnswers();
    expectWholeCsv(await readAll(await startDownload(`/handlaggning/uppfoljning/arenden.csv?${PERIOD}`)));
  }, 120_000);
});
