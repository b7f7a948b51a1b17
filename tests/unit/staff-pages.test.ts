import { describe, expect, it } from 'vitest';
import { createStaffTranslate } from '../../src/lib/i18n';
import { visibleUnits } from '../../src/server/staff/access';
import { assignableStaff, canBePublished } from '../../src/server/staff/errand';
import { coveredUnits } from '../../src/server/staff/follow-up';
import { eventTitle } from '../../src/server/staff/history';
import { readInboxQuery } from '../../src/server/staff/inbox';
import type { StaffUser } from '../../src/server/storage/cases';

const sv = createStaffTranslate('sv');
const en = createStaffTranslate('en');
const unitName = (id: string) => ({ gata: 'Gator och parker', skola: 'Skola' })[id] ?? id;
const person = (id: number, role: StaffUser['role'], units: string[]): StaffUser => ({ id, email: `p${id}@example.se`, name: `Person ${id}`, role, units, passwordHash: null });

describe('the titles of an errand history', () => {
  it('names what each entry recorded, in the reader language', () => {
    const title = (kind: Parameters<typeof eventTitle>[0]['kind'], data: Record<string, string | number | null>, t = sv, locale: 'sv' | 'en' = 'sv') => eventTitle({ kind, data }, { t, locale, unitName });
    expect(title('assigned', { unit: 'gata', assignee: 'Vera Vägar' })).toBe('Tilldelat: Gator och parker, Vera Vägar');
    expect(title('assigned', { unit: 'skola', assignee: null })).toBe(`Tilldelat: Skola, ${sv('staff.inbox.unassigned')}`);
    expect(title('status_changed', { status: 'answered' })).toBe(`Status ändrad till ${sv('status.value.answered')}`);
    expect(title('reclassified', { type: 'fault_report' })).toBe(`Omklassificerat till ${sv('errand.fault_report.name')}`);
    expect(title('rating', { rating: 4 })).toBe('Betyg 4 av 5');
    expect(title('published', { closesOn: '2026-12-31' })).toBe('Publicerat, går att stödja till och med torsdag 31 december 2026');
    expect(title('note', { text: 'Ringde upp.' })).toBe('Intern anteckning');
    expect(title('reply', { text: 'Hej' }, en, 'en')).toBe(en('staff.errand.event.reply'));
    expect(en('staff.errand.event.reply')).not.toBe('staff.errand.event.reply');
  });
});

describe('the inbox query', () => {
  it('reads the filters, the overdue box and the sort, leaving out empty values', () => {
    expect(readInboxQuery(new URLSearchParams('type=fault_report&unit=&status=received&overdue=1&sort=due'))).toEqual({
      filter: { type: 'fault_report', status: 'received', overdue: true },
      sort: 'due',
    });
    expect(readInboxQuery(new URLSearchParams('overdue=yes&sort=oldest&page=3'))).toEqual({ filter: {}, sort: 'newest' });
  });
});

describe('who sees and does what on the staff pages', () => {
  const units = [{ id: 'gata' }, { id: 'skola' }, { id: 'vatten' }];

  it('shows a person their own units, in the configuration order, and an admin all of them', () => {
    expect(visibleUnits(person(1, 'caseworker', ['vatten', 'gata']), units)).toEqual([{ id: 'gata' }, { id: 'vatten' }]);
    expect(visibleUnits(person(2, 'admin', []), units)).toEqual(units);
  });

  it('covers the follow-up units ticked, or every visible unit when none is', () => {
    const visible = [{ id: 'gata', name: { sv: 'Gata' } }, { id: 'skola', name: { sv: 'Skola' } }];
    expect(coveredUnits({ chosenUnits: ['skola'], visibleUnits: visible })).toEqual(['skola']);
    expect(coveredUnits({ chosenUnits: [], visibleUnits: visible })).toEqual(['gata', 'skola']);
  });

  it('offers caseworkers and managers as assignees, never admins', () => {
    const people = [person(1, 'caseworker', ['gata']), person(2, 'admin', []), person(3, 'manager', ['skola'])];
    expect(assignableStaff(people).map((candidate) => candidate.id)).toEqual([1, 3]);
  });

  it('publishes an e-proposal once, and nothing else', () => {
    expect(canBePublished({ type: 'proposal' }, { publishedAt: null })).toBe(true);
    expect(canBePublished({ type: 'proposal' }, { publishedAt: '2026-11-01T10:00:00.000Z' })).toBe(false);
    expect(canBePublished({ type: 'question' }, { publishedAt: null })).toBe(false);
  });
});
