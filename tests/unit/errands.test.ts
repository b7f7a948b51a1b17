import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/lib/calendar';
import {
  ERRAND_STATUSES,
  EVENT_KINDS,
  isOverdue,
  mayFollowUp,
  mayForget,
  mayManageOpen311Clients,
  OPEN_STATUSES,
  overdueSql,
  PUBLIC_EVENT_KINDS,
  STAFF_ROLES,
  type ErrandStatus,
} from '../../src/lib/errands';

const TODAY: IsoDate = '2026-11-20';

describe('the overdue rule', () => {
  it('holds for an errand still open after its reply-by day, and only then', () => {
    expect(isOverdue({ replyBy: '2026-11-19', status: 'received' }, TODAY)).toBe(true);
    expect(isOverdue({ replyBy: '2026-11-19', status: 'in_progress' }, TODAY)).toBe(true);
    // The reply-by day itself is still in time.
    expect(isOverdue({ replyBy: TODAY, status: 'received' }, TODAY)).toBe(false);
    expect(isOverdue({ replyBy: '2026-11-19', status: 'answered' }, TODAY)).toBe(false);
    expect(isOverdue({ replyBy: '2026-11-19', status: 'closed' }, TODAY)).toBe(false);
    // Anonymous errands promise no reply, so they are never late.
    expect(isOverdue({ replyBy: null, status: 'received' }, TODAY)).toBe(false);
  });

  it('says the same in SQL as in code, for every status and day, also with a table prefix', () => {
    const database = new Database(':memory:');
    database.exec('CREATE TABLE submissions (id INTEGER PRIMARY KEY, reply_by TEXT, status TEXT NOT NULL)');
    const insert = database.prepare('INSERT INTO submissions (reply_by, status) VALUES (?, ?)');
    const errands: { id: number; replyBy: IsoDate | null; status: ErrandStatus }[] = [];
    for (const status of ERRAND_STATUSES) {
      for (const replyBy of [null, '2026-11-19', TODAY, '2026-11-21'] as const) {
        errands.push({ id: Number(insert.run(replyBy, status).lastInsertRowid), replyBy, status });
      }
    }
    const expected = errands.filter((errand) => isOverdue(errand, TODAY)).map((errand) => errand.id);
    expect(expected.length).toBeGreaterThan(0);
    for (const [from, table] of [['submissions', ''], ['submissions s', 's.']] as const) {
      const condition = overdueSql(TODAY, table);
      const ids = database.prepare(`SELECT ${table}id AS id FROM ${from} WHERE ${condition.sql} ORDER BY ${table}id`).all(...condition.params) as { id: number }[];
      expect(ids.map((row) => row.id)).toEqual(expected);
    }
    database.close();
  });
});

describe('the errand vocabulary', () => {
  it('keeps open statuses and public event kinds within the full lists', () => {
    expect(OPEN_STATUSES.every((status) => ERRAND_STATUSES.includes(status))).toBe(true);
    expect([...PUBLIC_EVENT_KINDS].every((kind) => EVENT_KINDS.includes(kind))).toBe(true);
    // Internal notes and assignments never reach the person who sent the errand.
    expect(PUBLIC_EVENT_KINDS.has('note')).toBe(false);
    expect(PUBLIC_EVENT_KINDS.has('assigned')).toBe(false);
  });

  it('lets managers and admins follow up, and only admins manage Open311 keys and remove personal data', () => {
    const allowed = (may: (user: { role: (typeof STAFF_ROLES)[number] }) => boolean) => STAFF_ROLES.filter((role) => may({ role }));
    expect(allowed(mayFollowUp)).toEqual(['manager', 'admin']);
    expect(allowed(mayManageOpen311Clients)).toEqual(['admin']);
    expect(allowed(mayForget)).toEqual(['admin']);
  });
});
