/**
 * Whether the contact centre is open, at instants chosen to cross every rule: weekday hours,
 * Friday's earlier close, the weekend, midsommarafton and julafton (closed as holidays), a
 * configured shorter day, one channel closed on a day the other is open, and the minute of
 * closing. Instants are given in UTC with the Swedish time beside them (CET is UTC+1, CEST +2).
 */
import { describe, expect, it } from 'vitest';
import { deviationsAhead, openingStatus, type OpeningHours } from '../../src/lib/opening-hours';

const week = (friday: string) => ({
  monday: [['08:00', '16:30']] as const,
  tuesday: [['08:00', '16:30']] as const,
  wednesday: [['08:00', '16:30']] as const,
  thursday: [['08:00', '16:30']] as const,
  friday: [['08:00', friday]] as const,
});
const HOURS: OpeningHours = {
  channels: { phone: week('15:00'), visit: week('15:00') },
  specialDays: [
    { date: '2026-12-23', hours: [['08:00', '12:00']] },
    { date: '2026-12-28', hours: [], channels: ['visit'] },
  ],
};

describe('openingStatus', () => {
  it.each([
    ['a weekday morning', '2026-11-25T08:00:00Z', 'phone', { open: true, closesAt: '16:30' }],
    ['a minute before closing', '2026-11-25T15:29:00Z', 'phone', { open: true, closesAt: '16:30' }],
    ['the minute of closing', '2026-11-25T15:30:00Z', 'phone', { open: false, opensAt: { date: '2026-11-26', time: '08:00' } }],
    ['before opening', '2026-11-25T06:59:00Z', 'visit', { open: false, opensAt: { date: '2026-11-25', time: '08:00' } }],
    ['a Friday afternoon, after the earlier close', '2026-11-27T14:30:00Z', 'phone', { open: false, opensAt: { date: '2026-11-30', time: '08:00' } }],
    ['a Saturday', '2026-11-28T09:00:00Z', 'visit', { open: false, opensAt: { date: '2026-11-30', time: '08:00' } }],
    ['midsommarafton (summer time)', '2026-06-19T08:00:00Z', 'phone', { open: false, opensAt: { date: '2026-06-22', time: '08:00' } }],
    ['the day before midsommarafton, late', '2026-06-18T14:00:00Z', 'phone', { open: true, closesAt: '16:30' }],
    ['a configured shorter day', '2026-12-23T10:59:00Z', 'phone', { open: true, closesAt: '12:00' }],
    ['after the shorter day, over Christmas, phone', '2026-12-23T11:00:00Z', 'phone', { open: false, opensAt: { date: '2026-12-28', time: '08:00' } }],
    ['after the shorter day, over Christmas, visits', '2026-12-23T11:00:00Z', 'visit', { open: false, opensAt: { date: '2026-12-29', time: '08:00' } }],
    ['julafton', '2026-12-24T09:00:00Z', 'visit', { open: false, opensAt: { date: '2026-12-29', time: '08:00' } }],
    ['a channel with no hours', '2026-11-25T09:00:00Z', 'chat', { open: false, opensAt: undefined }],
  ] as const)('%s', (_, instant, channel, expected) => {
    expect(openingStatus(HOURS, channel, new Date(instant))).toEqual(expected);
  });
});

describe('deviationsAhead', () => {
  it('lists the shorter day, the holidays and the closed visiting day, not the ordinary weekends', () => {
    expect(deviationsAhead(HOURS, 'visit', '2026-12-21', 11)).toEqual([
      { date: '2026-12-23', hours: [['08:00', '12:00']] },
      { date: '2026-12-24', hours: [] },
      { date: '2026-12-25', hours: [] },
      { date: '2026-12-28', hours: [] },
      { date: '2026-12-31', hours: [] },
    ]);
  });
});
