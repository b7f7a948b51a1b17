import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isIsoDate, swedishDate, swedishDayStart, swedishEndOfDay } from '../../src/lib/calendar';
import {
  channelSentence,
  fillMonths,
  firstContactSentence,
  monthlyTrend,
  monthsOf,
  mostCommonRating,
  parseChannels,
  parsePeriod,
  ratingSentence,
  trendSentence,
  yearToDate,
} from '../../src/lib/follow-up';
import { createStaffTranslate } from '../../src/lib/i18n';
import { swedishDateSql } from '../../src/server/storage/follow-up';

describe('the follow-up period', () => {
  it('is the year to date unless asked otherwise', () => {
    expect(yearToDate('2026-10-14')).toEqual({ from: '2026-01-01', to: '2026-10-14' });
    expect(parsePeriod(null, '', '2026-10-14')).toEqual({ period: { from: '2026-01-01', to: '2026-10-14' }, errors: [] });
    expect(parsePeriod(' 2025-07-01 ', '2025-12-31', '2026-10-14').period).toEqual({ from: '2025-07-01', to: '2025-12-31' });
  });

  it('names the field of a date that does not exist or is not written year-month-day', () => {
    expect(parsePeriod('2026-02-30', '2026-03-01', '2026-10-14').errors).toEqual([{ field: 'from', key: 'staff.followUp.error.from.invalid' }]);
    expect(parsePeriod('2026-01-01', '31/12/2026', '2026-10-14').errors).toEqual([{ field: 'to', key: 'staff.followUp.error.to.invalid' }]);
  });

  it('refuses an end before the start, and takes a single day', () => {
    expect(parsePeriod('2026-05-02', '2026-05-01', '2026-10-14').errors).toEqual([{ field: 'to', key: 'staff.followUp.error.to.beforeFrom' }]);
    expect(parsePeriod('2026-05-01', '2026-05-01', '2026-10-14').errors).toEqual([]);
  });

  it('spans every month it touches, across a new year', () => {
    expect(monthsOf({ from: '2025-11-30', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2026-03-05', to: '2026-03-06' })).toEqual(['2026-03']);
  });

  it('shows the months without errands as zero', () => {
    expect(fillMonths({ from: '2026-01-15', to: '2026-03-01' }, [{ month: '2026-02', count: 4 }])).toEqual([
      { month: '2026-01', count: 0 },
      { month: '2026-02', count: 4 },
      { month: '2026-03', count: 0 },
    ]);
  });
});

describe('the follow-up channels', () => {
  it('are every channel when none is ticked, those ticked once each otherwise', () => {
    expect(parseChannels([])).toEqual({ channels: [], errors: [] });
    expect(parseChannels(['phone', 'email', 'phone'])).toEqual({ channels: ['phone', 'email'], errors: [] });
  });

  it('name the field when a value is no channel, keeping the channels that are', () => {
    expect(parseChannels(['fax', 'sms'])).toEqual({ channels: ['sms'], errors: [{ field: 'channel', key: 'staff.followUp.error.channel.invalid' }] });
    expect(parseChannels(['PHONE']).errors).toHaveLength(1);
  });
});

describe('the trend sentence', () => {
  it('compares the last month with the one before', () => {
    const months = (counts: number[]) => counts.map((count, index) => ({ month: `2026-0${index + 1}`, count }));
    expect(monthlyTrend(months([10, 95, 120]))).toEqual({ kind: 'more', month: '2026-03', count: 120, previousMonth: '2026-02', previousCount: 95 });
    expect(monthlyTrend(months([120, 95]))).toEqual({ kind: 'fewer', month: '2026-02', count: 95, previousMonth: '2026-01', previousCount: 120 });
    expect(monthlyTrend(months([7, 7]))).toMatchObject({ kind: 'same', count: 7, previousCount: 7 });
  });

  it('says how many came in when the period is one month, and that none did when none did', () => {
    expect(monthlyTrend([{ month: '2026-10', count: 3 }])).toEqual({ kind: 'single', month: '2026-10', count: 3 });
    expect(monthlyTrend([{ month: '2026-09', count: 0 }, { month: '2026-10', count: 0 }])).toEqual({ kind: 'none' });
    expect(monthlyTrend([])).toEqual({ kind: 'none' });
  });
});

describe('Swedish days as instants', () => {
  it('starts a day at Swedish midnight, in winter and in summer time', () => {
    expect(swedishDayStart('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(swedishDayStart('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // The days the clocks change: midnight still has the offset of the day before.
    expect(swedishDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(swedishDayStart('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(swedishDayStart('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(swedishDayStart('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('ends a day at its last second with the Swedish offset, also the days the clocks change', () => {
    expect(swedishEndOfDay('2026-01-15')).toBe('2026-01-15T23:59:59+01:00');
    expect(swedishEndOfDay('2026-07-01')).toBe('2026-07-01T23:59:59+02:00');
    expect(swedishEndOfDay('2026-03-29')).toBe('2026-03-29T23:59:59+02:00');
    expect(swedishEndOfDay('2026-10-25')).toBe('2026-10-25T23:59:59+01:00');
    expect(new Date(swedishEndOfDay('2026-03-29')).getTime() + 1000).toBe(swedishDayStart('2026-03-30').getTime());
  });

  it('knows a real date from a look-alike', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});

describe('the Swedish date in SQLite', () => {
  const db = new Database(':memory:');
  const statement = db.prepare(`SELECT ${swedishDateSql('sqlite', 't')} AS date FROM (SELECT ? AS t)`);
  const inSql = (instant: Date) => (statement.get(instant.toISOString()) as { date: string }).date;

  it('agrees with the time zone database around every change of the clocks from 2020 to 2035', () => {
    for (let year = 2020; year <= 2035; year += 1) {
      for (const month of [2, 9]) {
        // The last Sunday of March or October; the clocks change at 01:00 UTC.
        const lastDay = new Date(Date.UTC(year, month + 1, 0));
        const sunday = new Date(lastDay.getTime() - lastDay.getUTCDay() * 86_400_000);
        const change = sunday.getTime() + 3_600_000;
        for (const offsetMinutes of [-24 * 60 - 1, -120, -61, -60, -1, 0, 1, 59, 60, 22 * 60 - 1, 22 * 60, 23 * 60 - 1, 23 * 60]) {
          const instant = new Date(change + offsetMinutes * 60_000);
          expect(inSql(instant), instant.toISOString()).toBe(swedishDate(instant));
        }
      }
    }
  });

  it('puts the last minutes of a month in the next month when Swedish time is already there', () => {
    expect(inSql(new Date('2025-10-31T23:30:00.000Z'))).toBe('2025-11-01');
    expect(inSql(new Date('2025-03-31T22:30:00.000Z'))).toBe('2025-04-01');
    expect(inSql(new Date('2025-12-31T22:59:59.999Z'))).toBe('2025-12-31');
    expect(inSql(new Date('2025-12-31T23:00:00.000Z'))).toBe('2026-01-01');
  });

  it('agrees with the time zone database every seven hours over two years', () => {
    for (let time = Date.UTC(2025, 0, 1); time < Date.UTC(2027, 0, 1); time += 7 * 3_600_000) {
      expect(inSql(new Date(time))).toBe(swedishDate(new Date(time)));
    }
  });
});

describe('the sentences that sum up the follow-up charts', () => {
  const sv = createStaffTranslate('sv');
  const en = createStaffTranslate('en');
  const format = { number: (value: number) => new Intl.NumberFormat('sv-SE').format(value), month: (month: string) => `månad ${month}` };

  it('compares the last month with the one before, or says there is nothing to compare', () => {
    expect(trendSentence(monthlyTrend([{ month: '2026-09', count: 1200 }, { month: '2026-10', count: 1500 }]), sv, format)).toBe(
      'Fler ärenden i månad 2026-10 än i månad 2026-09: 1\u00a0500 mot 1\u00a0200.',
    );
    expect(trendSentence(monthlyTrend([{ month: '2026-09', count: 3 }, { month: '2026-10', count: 2 }]), sv, format)).toBe('Färre ärenden i månad 2026-10 än i månad 2026-09: 2 mot 3.');
    expect(trendSentence(monthlyTrend([{ month: '2026-09', count: 2 }, { month: '2026-10', count: 2 }]), en, format)).toBe('As many errands in månad 2026-10 as in månad 2026-09: 2.');
    expect(trendSentence(monthlyTrend([{ month: '2026-10', count: 1 }]), sv, format)).toBe('1 ärende i månad 2026-10.');
    expect(trendSentence(monthlyTrend([{ month: '2026-10', count: 0 }]), sv, format)).toBe('Inga ärenden kom in under perioden.');
  });

  it('gives the mean, the number of ratings and the most common rating, the higher one on a tie', () => {
    expect(mostCommonRating({ '1': 0, '2': 3, '3': 1, '4': 3, '5': 0 })).toBe('4');
    expect(mostCommonRating({ '1': 2, '2': 0, '3': 0, '4': 0, '5': 0 })).toBe('1');
    expect(ratingSentence({ mean: 3.5, count: 7, distribution: { '1': 0, '2': 3, '3': 1, '4': 3, '5': 0 } }, en, format)).toBe(
      'The average rating is 3,5 out of 5 from 7 ratings; 4 was the most common.',
    );
    expect(ratingSentence({ mean: 5, count: 1, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 } }, en, format)).toBe('The average rating is 5 out of 5 from 1 rating; 5 was the most common.');
    expect(ratingSentence({ mean: null, count: 0, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } }, sv, format)).toBe('Inga betyg har getts för ärenden från perioden.');
  });

  it('name the channel most errands came by, and the share answered at the first contact', () => {
    const channel = (id: string) => sv(`staff.channel.${id}`);
    expect(channelSentence([['phone', 1200], ['web', 40]], 1240, sv, { ...format, channel })).toBe('Flest ärenden kom in via Telefon: 1\u00a0200 av 1\u00a0240.');
    expect(channelSentence([], 0, en, { ...format, channel })).toBe('No errands were received in the period.');
    const share = (value: number) => new Intl.NumberFormat('sv-SE', { style: 'percent' }).format(value);
    expect(firstContactSentence({ errands: 8, answered: 2, share: 0.25 }, sv, { ...format, share })).toBe('25\u00a0% av ärendena besvarades vid första kontakten: 2 av 8.');
    expect(firstContactSentence({ errands: 0, answered: 0, share: null }, sv, { ...format, share })).toBe('Inga ärenden kom in under perioden.');
  });
});
