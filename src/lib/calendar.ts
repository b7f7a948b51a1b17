/**
 * Swedish working days, as the guideline's reply promises are counted in them ("Inkommande
 * mail ska besvaras senast inom två arbetsdagar"). Dates are plain ISO strings (YYYY-MM-DD) in
 * Swedish local time, so the same code gives the same answer in the browser and on the server,
 * whatever their time zones.
 */

/** A calendar date in Swedish local time, written YYYY-MM-DD. */
export type IsoDate = string;

/** Days on which the municipality does not count working time, with the key of their name. */
export type HolidayKey =
  | 'newYearsDay'
  | 'epiphany'
  | 'goodFriday'
  | 'easterSunday'
  | 'easterMonday'
  | 'mayDay'
  | 'ascensionDay'
  | 'whitSunday'
  | 'nationalDay'
  | 'midsummerEve'
  | 'midsummerDay'
  | 'allSaintsDay'
  | 'christmasEve'
  | 'christmasDay'
  | 'boxingDay'
  | 'newYearsEve';

const MS_PER_DAY = 86_400_000;

/** The municipality's time zone: deadlines and reference-number years follow Swedish dates. */
export const SWEDISH_TIME_ZONE = 'Europe/Stockholm';

const stockholmDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: SWEDISH_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Swedish calendar date of an instant (a submission made at 00:30 Swedish time on the 1st belongs to the 1st). */
export function swedishDate(instant: Date): IsoDate {
  return stockholmDateFormat.format(instant);
}

function toUtcDate(date: IsoDate): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day));
}

function fromUtcDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** The date `days` days after (or before) `date`. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcDate(new Date(toUtcDate(date).getTime() + days * MS_PER_DAY));
}

function dateOf(year: number, month: number, day: number): IsoDate {
  return fromUtcDate(new Date(Date.UTC(year, month - 1, day)));
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

/** The first date on or after `from` that falls on the given weekday (0 = Sunday … 6 = Saturday). */
function weekdayOnOrAfter(from: IsoDate, weekday: number): IsoDate {
  const offset = (weekday - toUtcDate(from).getUTCDay() + 7) % 7;
  return addDays(from, offset);
}

const holidayCache = new Map<number, ReadonlyMap<IsoDate, HolidayKey>>();

/**
 * The days of a year that are not working days besides weekends: the public holidays
 * (helgdagar) and the eves that Swedish employers treat as holidays (midsommarafton,
 * julafton, nyårsafton).
 */
export function swedishHolidays(year: number): ReadonlyMap<IsoDate, HolidayKey> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const easter = easterSunday(year);
  const midsummerDay = weekdayOnOrAfter(dateOf(year, 6, 20), 6);
  const holidays = new Map<IsoDate, HolidayKey>([
    [dateOf(year, 1, 1), 'newYearsDay'],
    [dateOf(year, 1, 6), 'epiphany'],
    [addDays(easter, -2), 'goodFriday'],
    [easter, 'easterSunday'],
    [addDays(easter, 1), 'easterMonday'],
    [dateOf(year, 5, 1), 'mayDay'],
    [addDays(easter, 39), 'ascensionDay'],
    [addDays(easter, 49), 'whitSunday'],
    [dateOf(year, 6, 6), 'nationalDay'],
    [addDays(midsummerDay, -1), 'midsummerEve'],
    [midsummerDay, 'midsummerDay'],
    [weekdayOnOrAfter(dateOf(year, 10, 31), 6), 'allSaintsDay'],
    [dateOf(year, 12, 24), 'christmasEve'],
    [dateOf(year, 12, 25), 'christmasDay'],
    [dateOf(year, 12, 26), 'boxingDay'],
    [dateOf(year, 12, 31), 'newYearsEve'],
  ]);
  holidayCache.set(year, holidays);
  return holidays;
}

/** Whether a date is a Swedish working day: a weekday that is neither a holiday nor a holiday eve. */
export function isWorkingDay(date: IsoDate): boolean {
  const weekday = toUtcDate(date).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !swedishHolidays(Number(date.slice(0, 4))).has(date);
}

/**
 * The date that lies `workingDays` working days after `from`. The day itself does not count,
 * so a message that arrives on a Friday with a two-day promise is answered by Tuesday.
 */
export function addWorkingDays(from: IsoDate, workingDays: number): IsoDate {
  let date = from;
  let remaining = workingDays;
  while (remaining > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) remaining -= 1;
  }
  return date;
}

/** The reply-by date for something received at `receivedAt` with a promise of `workingDays`. */
export function replyByDate(receivedAt: Date, workingDays: number): IsoDate {
  return addWorkingDays(swedishDate(receivedAt), workingDays);
}

/**
 * The instant a Swedish calendar date begins (its midnight in Swedish time). Clocks change at
 * 02:00 or 03:00, never at midnight, so midnight is UTC+1 or UTC+2 and one of the two fits.
 */
export function swedishDayStart(date: IsoDate): Date {
  const utcMidnight = toUtcDate(date).getTime();
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(utcMidnight - offsetHours * 3_600_000);
    if (swedishDate(candidate) === date && swedishDate(new Date(candidate.getTime() - 1)) !== date) return candidate;
  }
  throw new Error(`no Swedish midnight found for ${date}`);
}

/**
 * The last second of a Swedish calendar date as ISO 8601 with its Swedish offset, e.g.
 * `2026-12-07T23:59:59+01:00`: a reply promised "by" a day may come until that day ends, and
 * Open311's `expected_datetime` wants a datetime, not a date. The day ends at the offset the next
 * day starts with (a day on which the clocks change ends at the new offset).
 */
export function swedishEndOfDay(date: IsoDate): string {
  const nextDay = addDays(date, 1);
  const offsetMinutes = (toUtcDate(nextDay).getTime() - swedishDayStart(nextDay).getTime()) / 60_000;
  const hours = String(Math.floor(offsetMinutes / 60)).padStart(2, '0');
  const minutes = String(offsetMinutes % 60).padStart(2, '0');
  return `${date}T23:59:59+${hours}:${minutes}`;
}

/** Whether a text is a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isIsoDate(text: string): text is IsoDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && fromUtcDate(toUtcDate(text)) === text;
}
