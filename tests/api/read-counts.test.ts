/**
 * The inbox's and the fault list's keyset pages, and the counts kept beside the errands, on a store
 * of the database this project runs on (a SQLite file of its own, or a PostgreSQL schema of its own).
 * Correctness at small sizes; their speed at a million errands is the bench's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { swedishDate, swedishDayStart } from '../../src/lib/calendar';
import { CHANNELS, type Channel } from '../../src/lib/channels';
import type { Submission } from '../../src/lib/intake/schema';
import type { ErrandStatus } from '../../src/lib/errands';
import type { ErrandAction, InboxSort } from '../../src/server/storage/cases';
import { openStore, type Store } from '../../src/server/storage/index';
import type { PageRequest } from '../../src/server/storage/keyset';
import { openTestDatabase } from '../helpers/database';
import { createTestSchema } from '../helpers/postgres';

const UNITS = ['kontaktcenter', 'gator-och-parker', 'kultur-och-fritid'];
const CATEGORIES = ['gatubelysning', 'nedskrapning'];
const STATUSES: ErrandStatus[] = ['received', 'in_progress', 'answered', 'closed'];
const TODAY = '2026-06-15';

let store: Store;
let storeUrl: string;
let cleanUp: () => Promise<void>;

/** A fresh store for each describe block's rows, on this project's kind of database. */
async function freshStore(): Promise<void> {
  if (inject('databaseKind') === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'read-counts-'));
    storeUrl = `sqlite:${join(directory, 'store.sqlite')}`;
    store = await openStore(storeUrl);
    cleanUp = async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    };
  } else {
    const schema = await createTestSchema();
    storeUrl = schema.url;
    store = await openStore(storeUrl);
    cleanUp = async () => {
      await store.close();
      await schema.drop();
    };
  }
}

let serial = 0;
/** Stores an errand received at `receivedAt`, of `kind`, handled by `unit`, come by `channel` (answered there and then when `atFirstContact`). */
async function submit(
  receivedAt: Date,
  kind: 'question' | 'feedback' | 'fault_report',
  unit: string,
  replyBy: string | null,
  category = CATEGORIES[0]!,
  { channel = 'web', atFirstContact = false }: { channel?: Channel; atFirstContact?: boolean } = {},
) {
  serial += 1;
  const base = { message: `Ärende ${serial}`, language: 'sv', contact: {} };
  const submission = (
    kind === 'fault_report' ? { ...base, type: kind, category, location: { description: `Plats ${serial}` } } : kind === 'feedback' ? { ...base, type: kind, feedbackKind: 'praise' } : { ...base, type: kind }
  ) as Submission;
  return store.createSubmission({ submission, receivedAt, replyBy, handlingUnit: unit, statusTokenHash: `hash-${serial}-${Math.random()}`, photos: [], channel, answeredAtFirstContact: atFirstContact }, 'TST');
}

const staffEvent = (kind: ErrandAction['event']['kind'], data: ErrandAction['event']['data'] = {}): ErrandAction['event'] => ({ actor: 'staff', staffUserId: null, kind, data });

describe('keyset pages', () => {
  beforeAll(freshStore);
  afterAll(() => cleanUp());

  it('have no gaps or repeats while errands arrive between page loads, forwards and backwards, in every order', { timeout: 120_000 }, async () => {
    const start = Date.parse('2026-03-01T08:00:00.000Z');
    // Several in the same millisecond, so the id decides among them.
    for (let index = 0; index < 70; index += 1) {
      await submit(new Date(start + Math.floor(index / 3) * 60_000), index % 4 === 0 ? 'fault_report' : 'question', UNITS[index % 3]!, index % 5 === 0 ? null : `2026-03-${String(2 + (index % 20)).padStart(2, '0')}`);
    }
    const walk = async (sort: InboxSort, scope: 'all' | string[], forwards: boolean) => {
      const before = await store.inbox(scope, {}, sort, { at: 'start' }, 1_000, TODAY);
      const seen: string[] = [];
      let request: PageRequest = { at: forwards ? 'start' : 'end' };
      for (let pages = 0; pages < 50; pages += 1) {
        const page = await store.inbox(scope, {}, sort, request, 7, TODAY);
        seen.push(...(forwards ? page.rows : [...page.rows].reverse()).map((row) => row.reference));
        // Newcomers at both ends of the newest-first order, with and without a reply-by date.
        await submit(new Date(start + 3_600_000 * (pages + 10)), 'question', UNITS[pages % 3]!, pages % 2 === 0 ? '2026-03-05' : null);
        await submit(new Date(start - 3_600_000 * (pages + 1)), 'fault_report', UNITS[pages % 3]!, null);
        if (forwards ? !page.next : !page.previous) break;
        request = forwards ? { after: page.last! } : { before: page.first! };
      }
      expect(new Set(seen).size, 'no errand twice').toBe(seen.length);
      for (const row of before.rows) expect(seen, `${sort} ${forwards ? 'forwards' : 'backwards'} reaches ${row.reference}`).toContain(row.reference);
    };
    for (const sort of ['newest', 'due'] as const) {
      await walk(sort, 'all', true);
      await walk(sort, 'all', false);
      await walk(sort, [UNITS[0]!, UNITS[2]!], true);
    }
  });

  it('read the first page for a cursor that is not one, and the last page past the end', async () => {
    const first = await store.inbox('all', {}, 'newest', { at: 'start' }, 5, TODAY);
    const broken = await store.inbox('all', {}, 'newest', { after: { segment: 0, values: ["x' OR 1=1", 1] } }, 5, TODAY);
    expect(broken.rows.map((row) => row.reference)).toEqual(first.rows.map((row) => row.reference));
    const last = await store.inbox('all', {}, 'newest', { at: 'end' }, 5, TODAY);
    const beyond = await store.inbox('all', {}, 'newest', { after: last.last! }, 5, TODAY);
    expect(beyond.rows.map((row) => row.reference)).toEqual(last.rows.map((row) => row.reference));
    expect(beyond.next).toBe(false);
  });

  it('page the public fault list by status without gaps, newest first', async () => {
    const all = await store.publicFaultReports({ statuses: ['received', 'in_progress'], limit: 1_000 });
    const seen: string[] = [];
    let page: PageRequest = { at: 'start' };
    for (;;) {
      const result = await store.publicFaultReports({ statuses: ['received', 'in_progress'], limit: 6, page });
      seen.push(...result.reports.map((report) => report.reference));
      expect(result.total).toBe(all.reports.length);
      if (!result.page.next) break;
      page = { after: result.page.last! };
    }
    expect(seen).toEqual(all.reports.map((report) => report.reference));
  });
});

/** One change of the random sequence. */
type Step =
  | { kind: 'submit'; type: 'question' | 'feedback' | 'fault_report'; unit: number; day: number; deadline: boolean; channel: Channel; atFirstContact: boolean }
  | { kind: 'channel'; errand: number; channel: Channel }
  | { kind: 'firstContact'; errand: number; atFirstContact: boolean }
  | { kind: 'status'; errand: number; status: number }
  | { kind: 'reclassify'; errand: number; unit: number; category: number }
  | { kind: 'replyBy'; errand: number; day: number }
  | { kind: 'reply'; errand: number; day: number }
  | { kind: 'rate'; errand: number; rating: number }
  | { kind: 'purge'; errand: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('submit' as const),
    type: fc.constantFrom('question' as const, 'feedback' as const, 'fault_report' as const),
    unit: fc.nat(2),
    day: fc.nat(60),
    deadline: fc.boolean(),
    channel: fc.constantFrom(...CHANNELS),
    atFirstContact: fc.boolean(),
  }),
  // Hand-made fixes in the database, one column at a time: the kept counts follow whoever writes.
  fc.record({ kind: fc.constant('channel' as const), errand: fc.nat(), channel: fc.constantFrom(...CHANNELS) }),
  fc.record({ kind: fc.constant('firstContact' as const), errand: fc.nat(), atFirstContact: fc.boolean() }),
  fc.record({ kind: fc.constant('status' as const), errand: fc.nat(), status: fc.nat(3) }),
  fc.record({ kind: fc.constant('reclassify' as const), errand: fc.nat(), unit: fc.nat(2), category: fc.nat(1) }),
  fc.record({ kind: fc.constant('replyBy' as const), errand: fc.nat(), day: fc.nat(80) }),
  fc.record({ kind: fc.constant('reply' as const), errand: fc.nat(), day: fc.nat(80) }),
  fc.record({ kind: fc.constant('rate' as const), errand: fc.nat(), rating: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('purge' as const), errand: fc.nat() }),
);

const dayOf = (day: number) => swedishDate(new Date(Date.parse('2026-04-01T10:00:00.000Z') + day * 86_400_000));

/** Changes the store's rows beside it, as a hand-made fix in the database would. */
async function updateByHand(sql: string, params: unknown[]): Promise<void> {
  const db = await openTestDatabase(storeUrl);
  try {
    await db.query(sql, params);
  } finally {
    await db.close();
  }
}

/** The follow-up figures the property checks, from every errand and history row, by rules written out here. */
async function figuresFromRows() {
  const db = await openTestDatabase(storeUrl);
  try {
    const errands = await db.query<{ id: number; type: string; handling_unit: string; channel: string; answered_at_first_contact: number | string; reply_by: string | null; rating: number | null }>(
      'SELECT id, type, handling_unit, channel, answered_at_first_contact, reply_by, rating FROM submissions',
    );
    const replies = await db.query<{ submission_id: number | string; created_at: string }>("SELECT submission_id, created_at FROM submission_events WHERE kind = 'reply'");
    const first = new Map<number, string>();
    for (const reply of replies) {
      const id = Number(reply.submission_id);
      if (!first.has(id) || reply.created_at < first.get(id)!) first.set(id, reply.created_at);
    }
    const byType: Record<string, number> = {};
    const byUnit: Record<string, number> = {};
    const channels: Record<string, number> = {};
    const atFirstContact = { byUnit: {} as Record<string, number>, byChannel: {} as Record<string, number> };
    const deadline = { answeredInTime: 0, answeredLate: 0, overdue: 0, notYetDue: 0, withoutDeadline: 0 };
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    for (const errand of errands) {
      byType[errand.type] = (byType[errand.type] ?? 0) + 1;
      byUnit[errand.handling_unit] = (byUnit[errand.handling_unit] ?? 0) + 1;
      channels[errand.channel] = (channels[errand.channel] ?? 0) + 1;
      const answered = Number(errand.answered_at_first_contact);
      atFirstContact.byUnit[errand.handling_unit] = (atFirstContact.byUnit[errand.handling_unit] ?? 0) + answered;
      atFirstContact.byChannel[errand.channel] = (atFirstContact.byChannel[errand.channel] ?? 0) + answered;
      if (errand.rating !== null) distribution[String(errand.rating) as keyof typeof distribution] += 1;
      const reply = first.get(errand.id);
      if (errand.reply_by === null) deadline.withoutDeadline += 1;
      else if (reply !== undefined) deadline[swedishDate(new Date(reply)) <= errand.reply_by ? 'answeredInTime' : 'answeredLate'] += 1;
      else deadline[errand.reply_by < TODAY ? 'overdue' : 'notYetDue'] += 1;
    }
    const due = deadline.answeredInTime + deadline.answeredLate + deadline.overdue;
    return { byType, byUnit, channels, atFirstContact, deadline: { ...deadline, shareInTime: due === 0 ? null : Math.round((deadline.answeredInTime / due) * 10_000) / 10_000 }, distribution, replied: first.size };
  } finally {
    await db.close();
  }
}

describe('the kept counts', () => {
  beforeAll(freshStore);
  afterAll(() => cleanUp());

  it('equal a full recount after any sequence of submissions, status changes, reclassifications, replies, ratings and purges', { timeout: 300_000 }, async () => {
    const ids: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        for (const change of steps) {
          const errand = ids.length > 0 && 'errand' in change ? ids[change.errand % ids.length]! : undefined;
          if (change.kind === 'submit') {
            // Late evening UTC: the Swedish day is the next one for part of the year.
            const at = new Date(Date.parse(`${dayOf(change.day)}T22:30:00.000Z`));
            ids.push((await submit(at, change.type, UNITS[change.unit]!, change.deadline ? dayOf(change.day + 3) : null, CATEGORIES[change.day % 2], change)).id);
          } else if (errand === undefined) {
            continue;
          } else if (change.kind === 'channel') {
            await updateByHand('UPDATE submissions SET channel = ? WHERE id = ?', [change.channel, errand]);
          } else if (change.kind === 'firstContact') {
            await updateByHand('UPDATE submissions SET answered_at_first_contact = ? WHERE id = ?', [change.atFirstContact ? 1 : 0, errand]);
          } else if (change.kind === 'status') {
            await store.recordAction(errand, { event: staffEvent('status_changed'), changes: { status: STATUSES[change.status]! } }, new Date());
          } else if (change.kind === 'reclassify') {
            await store.recordAction(errand, { event: staffEvent('reclassified'), changes: { type: 'fault_report', handlingUnit: UNITS[change.unit]!, category: CATEGORIES[change.category]!, feedbackKind: null } }, new Date());
          } else if (change.kind === 'replyBy') {
            await store.recordAction(errand, { event: staffEvent('note'), changes: { replyBy: dayOf(change.day) } }, new Date());
          } else if (change.kind === 'reply') {
            await store.recordAction(errand, { event: staffEvent('reply', { text: 'Svar' }) }, new Date(Date.parse(`${dayOf(change.day)}T22:30:00.000Z`)));
          } else if (change.kind === 'rate') {
            await store.recordAction(errand, { event: { actor: 'resident', staffUserId: null, kind: 'rating', data: { rating: change.rating } }, changes: { rating: change.rating } }, new Date());
          } else {
            await store.purgeErrand(errand, new Date());
          }
        }
        expect(await store.aggregateMismatches()).toEqual([]);
        const inbox = await store.inbox('all', {}, 'newest', { at: 'start' }, 1, TODAY);
        expect(inbox.total).toBe(ids.length);
        const faults = await store.publicFaultReports({ limit: 1 });
        const open = await store.publicFaultReports({ statuses: ['received', 'in_progress'], limit: 1 });
        const everyFault = await store.publicFaultReports({ limit: 10_000 });
        expect(faults.total).toBe(everyFault.reports.length);
        expect(open.total).toBe(everyFault.reports.filter((report) => report.status === 'received' || report.status === 'in_progress').length);
        // The follow-up figures of the whole period are those of every errand received in it, counted here from the rows.
        const figures = await store.followUpFigures({ from: swedishDayStart('2026-04-01'), until: swedishDayStart('2026-07-01'), units: 'all', channels: 'all', today: TODAY });
        expect(figures.total).toBe(ids.length);
        const recounted = await figuresFromRows();
        const answeredOf = (shares: Partial<Record<string, { answered: number }>>) => Object.fromEntries(Object.entries(shares).map(([key, share]) => [key, share!.answered]));
        expect({
          byType: figures.byType,
          byUnit: figures.byUnit,
          channels: figures.channels,
          atFirstContact: { byUnit: answeredOf(figures.firstContact.byUnit), byChannel: answeredOf(figures.firstContact.byChannel) },
          deadline: figures.deadline,           distribution: figures.satisfaction.distribution,
          replied: figures.firstReply.replied,
        }).toEqual(recounted);
        // Each channel's deadline figures add up to the whole.
        const perChannel = Object.values(figures.byChannel);
        expect(perChannel.reduce((sum, of) => sum + of!.deadline.overdue + of!.deadline.answeredInTime, 0)).toBe(figures.deadline.overdue + figures.deadline.answeredInTime);
      }),
      { numRuns: 15 },
    );
  });

  it('are rebuilt from the rows when they were wrong, and then agree with them', async () => {
    // Nothing writes the counts but the triggers; a drift made by hand stands in for a bug.
    const db = await openTestDatabase(storeUrl);
    try {
      await db.query('UPDATE submission_counts SET n = n + 2');
      await db.query('DELETE FROM follow_up_counts');
    } finally {
      await db.close();
    }
    const drift = await store.aggregateMismatches();
    expect(drift.map((mismatch) => mismatch.table)).toEqual(expect.arrayContaining(['submission_counts', 'follow_up_counts']));
    await store.rebuildAggregates();
    expect(await store.aggregateMismatches()).toEqual([]);
  });
});
