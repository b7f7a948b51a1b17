import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  easterSunday,
  isWorkingDay,
  replyByDate,
  swedishDate,
  swedishHolidays,
  type HolidayKey,
} from '../../src/lib/calendar';

/**
 * Every day of 2025–2027 that is not a working day besides ordinary weekends, written out by
 * hand from the Swedish calendar (not computed), so the table checks the code rather than
 * repeating it. Weekday noted to make the table itself easy to check against a wall calendar.
 */
const HOLIDAYS: Record<number, ReadonlyArray<readonly [string, HolidayKey, string]>> = {
  2025: [
    ['2025-01-01', 'newYearsDay', 'Wed'], // nyårsdagen
    ['2025-01-06', 'epiphany', 'Mon'], // trettondedag jul
    ['2025-04-18', 'goodFriday', 'Fri'], // långfredagen
    ['2025-04-20', 'easterSunday', 'Sun'], // påskdagen
    ['2025-04-21', 'easterMonday', 'Mon'], // annandag påsk
    ['2025-05-01', 'mayDay', 'Thu'], // första maj
    ['2025-05-29', 'ascensionDay', 'Thu'], // Kristi himmelsfärdsdag
    ['2025-06-08', 'whitSunday', 'Sun'], // pingstdagen
    ['2025-06-06', 'nationalDay', 'Fri'], // nationaldagen
    ['2025-06-20', 'midsummerEve', 'Fri'], // midsommarafton
    ['2025-06-21', 'midsummerDay', 'Sat'], // midsommardagen
    ['2025-11-01', 'allSaintsDay', 'Sat'], // alla helgons dag
    ['2025-12-24', 'christmasEve', 'Wed'], // julafton
    ['2025-12-25', 'christmasDay', 'Thu'], // juldagen
    ['2025-12-26', 'boxingDay', 'Fri'], // annandag jul
    ['2025-12-31', 'newYearsEve', 'Wed'], // nyårsafton
  ],
  2026: [
    ['2026-01-01', 'newYearsDay', 'Thu'],
    ['2026-01-06', 'epiphany', 'Tue'],
    ['2026-04-03', 'goodFriday', 'Fri'],
    ['2026-04-05', 'easterSunday', 'Sun'],
    ['2026-04-06', 'easterMonday', 'Mon'],
    ['2026-05-01', 'mayDay', 'Fri'],
    ['2026-05-14', 'ascensionDay', 'Thu'],
    ['2026-05-24', 'whitSunday', 'Sun'],
    ['2026-06-06', 'nationalDay', 'Sat'],
    ['2026-06-19', 'midsummerEve', 'Fri'],
    ['2026-06-20', 'midsummerDay', 'Sat'],
    ['2026-10-31', 'allSaintsDay', 'Sat'],
    ['2026-12-24', 'christmasEve', 'Thu'],
    ['2026-12-25', 'christmasDay', 'Fri'],
    ['2026-12-26', 'boxingDay', 'Sat'],
    ['2026-12-31', 'newYearsEve', 'Thu'],
  ],
  2027: [
    ['2027-01-01', 'newYearsDay', 'Fri'],
    ['2027-01-06', 'epiphany', 'Wed'],
    ['2027-03-26', 'goodFriday', 'Fri'],
    ['2027-03-28', 'easterSunday', 'Sun'],
    ['2027-03-29', 'easterMonday', 'Mon'],
    ['2027-05-01', 'mayDay', 'Sat'],
    ['2027-05-06', 'ascensionDay', 'Thu'],
    ['2027-05-16', 'whitSunday', 'Sun'],
    ['2027-06-06', 'nationalDay', 'Sun'],
    ['2027-06-25', 'midsummerEve', 'Fri'],
    ['2027-06-26', 'midsummerDay', 'Sat'],
    ['2027-11-06', 'allSaintsDay', 'Sat'],
    ['2027-12-24', 'christmasEve', 'Fri'],
    ['2027-12-25', 'christmasDay', 'Sat'],
    ['2027-12-26', 'boxingDay', 'Sun'],
    ['2027-12-31', 'newYearsEve', 'Fri'],
  ],
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The weekday of an ISO date, computed independently of the code under test. */
function weekdayOf(date: string): string {
  return WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? '?';
}

/** Every date of a year, YYYY-MM-DD. */
function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let time = Date.UTC(year, 0, 1); time < Date.UTC(year + 1, 0, 1); time += 86_400_000) {
    dates.push(new Date(time).toISOString().slice(0, 10));
  }
  return dates;
}

describe('swedishHolidays', () => {
  for (const year of [2025, 2026, 2027]) {
    const table = HOLIDAYS[year] ?? [];

    it(`the hand-written table for ${year} is internally consistent`, () => {
      expect(table).toHaveLength(16);
      for (const [date, , weekday] of table) expect(`${date} ${weekdayOf(date)}`).toBe(`${date} ${weekday}`);
    });

    it(`names exactly the sixteen non-working holidays of ${year}`, () => {
      const expected = Object.fromEntries(table.map(([date, key]) => [date, key]));
      expect(Object.fromEntries(swedishHolidays(year))).toEqual(expected);
      expect(swedishHolidays(year).size).toBe(16);
    });

    it.each(table.map(([date, key]) => [key, date] as const))(`${year}: %s (%s) is not a working day`, (key, date) => {
      expect(swedishHolidays(year).get(date)).toBe(key);
      expect(isWorkingDay(date)).toBe(false);
    });
  }

  it('returns the same answer when asked twice (cached)', () => {
    expect(swedishHolidays(2026)).toBe(swedishHolidays(2026));
    expect(swedishHolidays(2026).get('2026-06-19')).toBe('midsummerEve');
  });

  it('places midsommar and alla helgons dag at the edges of their ranges', () => {
    // Midsommardagen is the Saturday 20–26 June; alla helgons dag the Saturday 31 Oct–6 Nov.
    expect(swedishHolidays(2020).get('2020-06-20')).toBe('midsummerDay'); // 20 June is a Saturday
    expect(swedishHolidays(2020).get('2020-06-19')).toBe('midsummerEve');
    expect(swedishHolidays(2020).get('2020-10-31')).toBe('allSaintsDay');
    expect(swedishHolidays(2021).get('2021-06-26')).toBe('midsummerDay'); // 20 June is a Sunday
    expect(swedishHolidays(2021).get('2021-06-25')).toBe('midsummerEve');
    expect(swedishHolidays(2021).get('2021-11-06')).toBe('allSaintsDay');
  });
});

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('isWorkingDay', () => {
  it.each(['2026-03-07', '2026-03-08', '2025-12-27', '2027-01-02', '2027-01-03'])('%s (a weekend) is not a working day', (date) => {
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2025-12-29', '2027-01-07', '2026-06-22'])(
    '%s (an ordinary weekday) is a working day',
    (date) => {
      expect(isWorkingDay(date)).toBe(true);
    },
  );

  it('does not count days that are only traditionally short (påskafton, trettondagsafton, Valborg)', () => {
    expect(isWorkingDay('2026-01-05')).toBe(true); // trettondagsafton, a Monday
    expect(isWorkingDay('2026-04-30')).toBe(true); // Valborgsmässoafton, a Thursday
    expect(isWorkingDay('2026-04-02')).toBe(true); // skärtorsdagen
  });

  it.each([
    [2025, 249],
    [2026, 251],
    [2027, 253],
  ])('%i has %i working days', (year, count) => {
    expect(datesOf(year).filter(isWorkingDay)).toHaveLength(count);
  });
});

describe('addWorkingDays', () => {
  it.each([
    // [from, n, expected, what]
    ['2026-03-09', 0, '2026-03-09', 'zero days from a Monday is the same day'],
    ['2026-03-07', 0, '2026-03-07', 'zero days from a Saturday is the same Saturday'],
    ['2026-03-09', 1, '2026-03-10', 'Monday + 1'],
    ['2026-03-09', 2, '2026-03-11', 'Monday + 2'],
    ['2026-03-05', 2, '2026-03-09', 'Thursday + 2 crosses the weekend'],
    ['2026-03-06', 1, '2026-03-09', 'Friday + 1 is Monday'],
    ['2026-03-06', 2, '2026-03-10', 'Friday + 2 is Tuesday'],
    ['2026-03-07', 2, '2026-03-10', 'Saturday + 2 is Tuesday'],
    ['2026-03-08', 2, '2026-03-10', 'Sunday + 2 is Tuesday'],
    ['2026-03-09', 5, '2026-03-16', 'Monday + 5 is the next Monday'],
    ['2026-03-09', 10, '2026-03-23', 'Monday + 10 is Monday two weeks on'],
    // Easter
    ['2026-04-02', 1, '2026-04-07', 'skärtorsdagen 2026 + 1 skips långfredagen to annandag påsk'],
    ['2026-04-02', 2, '2026-04-08', 'skärtorsdagen 2026 + 2 is the Wednesday after Easter'],
    ['2025-04-17', 2, '2025-04-23', 'skärtorsdagen 2025 + 2 is the Wednesday after Easter'],
    ['2027-03-25', 2, '2027-03-31', 'skärtorsdagen 2027 + 2 is the Wednesday after Easter'],
    ['2026-03-30', 4, '2026-04-07', 'Monday before Easter 2026 + 4'],
    // Ascension and the national day
    ['2026-05-13', 1, '2026-05-15', 'the day before Kristi himmelsfärd 2026 + 1'],
    ['2025-06-05', 1, '2025-06-09', 'the day before nationaldagen 2025 (a Friday) + 1'],
    ['2025-05-30', 2, '2025-06-03', 'the Friday after Kristi himmelsfärd 2025 + 2'],
    // Midsommar
    ['2026-06-18', 1, '2026-06-22', 'the Thursday before midsommarafton 2026 + 1'],
    ['2026-06-18', 2, '2026-06-23', 'the Thursday before midsommarafton 2026 + 2'],
    ['2025-06-19', 2, '2025-06-24', 'the Thursday before midsommarafton 2025 + 2'],
    ['2027-06-24', 1, '2027-06-28', 'the Thursday before midsommarafton 2027 + 1'],
    // Christmas and New Year
    ['2026-12-23', 1, '2026-12-28', '23 December 2026 + 1'],
    ['2026-12-23', 2, '2026-12-29', '23 December 2026 + 2'],
    ['2026-12-30', 1, '2027-01-04', '30 December 2026 + 1 crosses the new year'],
    ['2026-12-30', 2, '2027-01-05', '30 December 2026 + 2'],
    ['2026-12-30', 3, '2027-01-07', '30 December 2026 + 3 skips trettondedag jul'],
    ['2025-12-23', 1, '2025-12-29', '23 December 2025 + 1'],
    ['2025-12-23', 2, '2025-12-30', '23 December 2025 + 2'],
    ['2025-12-23', 3, '2026-01-02', '23 December 2025 + 3 skips nyårsafton and nyårsdagen'],
    ['2025-12-23', 5, '2026-01-07', '23 December 2025 + 5 also skips trettondedag jul'],
    ['2025-12-24', 2, '2025-12-30', 'julafton 2025 + 2'],
    ['2027-12-23', 1, '2027-12-27', '23 December 2027 + 1'],
    ['2027-12-30', 1, '2028-01-03', '30 December 2027 + 1 skips nyårsafton and nyårsdagen'],
    // A whole year
    ['2025-12-31', 251, '2026-12-30', 'all 251 working days of 2026 end on 30 December'],
  ] as const)('%s + %i → %s (%s)', (from, days, expected, _what) => {
    expect(addWorkingDays(from, days)).toBe(expected);
  });
});

describe('swedishDate', () => {
  it.each([
    ['2026-01-15T12:00:00Z', '2026-01-15', 'midday'],
    ['2026-03-05T22:59:59Z', '2026-03-05', 'winter, 23:59:59 in Stockholm'],
    ['2026-03-05T23:00:00Z', '2026-03-06', 'winter, midnight in Stockholm (UTC+1)'],
    ['2026-03-05T23:30:00Z', '2026-03-06', 'winter, 00:30 in Stockholm'],
    ['2026-06-30T21:59:59Z', '2026-06-30', 'summer, 23:59:59 in Stockholm'],
    ['2026-06-30T22:00:00Z', '2026-07-01', 'summer, midnight in Stockholm (UTC+2)'],
    ['2026-12-31T22:59:59Z', '2026-12-31', 'the last second of 2026 in Stockholm'],
    ['2026-12-31T23:00:00Z', '2027-01-01', 'the new year begins in Stockholm before it does in UTC'],
    ['2026-03-29T00:59:59Z', '2026-03-29', 'just before summer time begins'],
    ['2026-03-29T21:59:59Z', '2026-03-29', 'first evening of summer time, 23:59:59'],
    ['2026-03-29T22:00:00Z', '2026-03-30', 'first midnight of summer time'],
    ['2026-10-25T22:30:00Z', '2026-10-25', 'first evening of winter time, 23:30'],
    ['2026-10-25T23:00:00Z', '2026-10-26', 'first midnight of winter time'],
  ])('%s is %s in Sweden (%s)', (instant, date) => {
    expect(swedishDate(new Date(instant))).toBe(date);
  });
});

describe('replyByDate', () => {
  it.each([
    // [received (UTC), working days, reply by, what]
    ['2026-03-05T12:00:00Z', 2, '2026-03-09', 'Thursday midday'],
    ['2026-03-05T22:59:59Z', 2, '2026-03-09', 'Thursday 23:59:59 Swedish time still counts from Thursday'],
    ['2026-03-05T23:30:00Z', 2, '2026-03-10', 'Thursday 23:30 UTC is Friday 00:30 in Sweden: counts from Friday'],
    ['2026-03-06T23:30:00Z', 2, '2026-03-10', 'Friday 23:30 UTC is Saturday in Sweden'],
    ['2026-03-29T21:30:00Z', 2, '2026-03-31', 'Sunday 23:30 on the first day of summer time counts from Sunday'],
    ['2026-03-29T22:30:00Z', 2, '2026-04-01', 'Sunday 22:30 UTC is Monday 00:30 summer time: counts from Monday'],
    ['2026-03-29T22:30:00Z', 4, '2026-04-07', 'the same instant with four days crosses Easter'],
    ['2026-10-25T22:30:00Z', 2, '2026-10-27', 'Sunday 22:30 UTC is still Sunday in winter time'],
    ['2026-10-25T23:00:00Z', 2, '2026-10-28', 'Sunday 23:00 UTC is Monday 00:00 in winter time'],
    ['2026-06-17T21:30:00Z', 1, '2026-06-18', 'Wednesday 23:30 summer time before midsommar'],
    ['2026-06-17T22:30:00Z', 1, '2026-06-22', 'Thursday 00:30 summer time: the next working day is after midsommar'],
    ['2026-12-29T23:30:00Z', 1, '2027-01-04', 'Wednesday 30 December 00:30: nyårsafton and nyårsdagen skipped'],
    ['2026-12-31T23:30:00Z', 2, '2027-01-05', 'nyårsdagen 00:30 in Sweden, still 31 December in UTC'],
    ['2026-03-05T23:30:00Z', 0, '2026-03-06', 'zero days is the Swedish date of receipt'],
    ['2026-12-31T23:30:00Z', 0, '2027-01-01', 'zero days on nyårsdagen 00:30 is nyårsdagen'],
  ] as const)('%s + %i → %s (%s)', (instant, days, expected, _what) => {
    expect(replyByDate(new Date(instant), days)).toBe(expected);
  });
});
