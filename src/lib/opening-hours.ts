/**
 * Opening hours of the contact centre, per channel (phone, visits): regular weekly hours,
 * closed on Swedish public holidays and holiday eves (from the working-day calendar), and dated
 * special days that override both. Pure functions of an instant, shared by the server (which
 * renders the status, so it works without JavaScript) and the page (which keeps it current).
 */
import { addDays, SWEDISH_TIME_ZONE, swedishHolidays, type IsoDate } from './calendar';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening and closing time, "HH:MM" in Swedish time. */
export type TimeRange = readonly [string, string];

export interface SpecialDay {
  date: IsoDate;
  /** Empty: closed all day. */
  hours: readonly TimeRange[];
  /** The channels it applies to; all when left out. */
  channels?: readonly string[] | undefined;
}

export interface OpeningHours {
  /** Regular hours per channel and weekday; a weekday left out is closed. */
  channels: Readonly<Record<string, Partial<Record<Weekday, readonly TimeRange[] | undefined>>>>;
  specialDays: readonly SpecialDay[];
}

export type OpeningStatus =
  | { open: true; closesAt: string }
  | { open: false; opensAt: { date: IsoDate; time: string } | undefined };

const LOOK_AHEAD_DAYS = 21;

const minutesOf = (time: string) => {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

const stockholmClock = new Intl.DateTimeFormat('en-GB', { timeZone: SWEDISH_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The Swedish date and the minute of that day of an instant. */
export function swedishClock(instant: Date): { date: IsoDate; minute: number } {
  const parts = Object.fromEntries(stockholmClock.formatToParts(instant).map((part) => [part.type, part.value]));
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, minute: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

export function weekdayOf(date: IsoDate): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** The special day of a channel on a date, if one is configured. */
export function specialDayOf(hours: OpeningHours, channel: string, date: IsoDate): SpecialDay | undefined {
  return hours.specialDays.find((day) => day.date === date && (day.channels === undefined || day.channels.includes(channel)));
}

/** A channel's hours on a date: a special day's, none on a holiday or holiday eve, else the weekday's. */
export function hoursOn(hours: OpeningHours, channel: string, date: IsoDate): readonly TimeRange[] {
  const special = specialDayOf(hours, channel, date);
  if (special) return special.hours;
  if (swedishHolidays(Number(date.slice(0, 4))).has(date)) return [];
  return hours.channels[channel]?.[weekdayOf(date)] ?? [];
}

/** Whether a channel is open at `now`, and until when; or when it opens next. */
export function openingStatus(hours: OpeningHours, channel: string, now: Date): OpeningStatus {
  const { date: today, minute } = swedishClock(now);
  for (const [from, to] of hoursOn(hours, channel, today)) {
    if (minute >= minutesOf(from) && minute < minutesOf(to)) return { open: true, closesAt: to };
  }
  for (let offset = 0; offset <= LOOK_AHEAD_DAYS; offset += 1) {
    const date = addDays(today, offset);
    const next = hoursOn(hours, channel, date).find(([from]) => offset > 0 || minutesOf(from) > minute);
    if (next) return { open: false, opensAt: { date, time: next[0] } };
  }
  return { open: false, opensAt: undefined };
}

/** The dates in the coming `days` days on which a channel keeps other hours than on a normal such weekday. */
export function deviationsAhead(hours: OpeningHours, channel: string, from: IsoDate, days: number): { date: IsoDate; hours: readonly TimeRange[] }[] {
  const deviations: { date: IsoDate; hours: readonly TimeRange[] }[] = [];
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(from, offset);
    const actual = hoursOn(hours, channel, date);
    const regular = hours.channels[channel]?.[weekdayOf(date)] ?? [];
    if (JSON.stringify(actual) !== JSON.stringify(regular)) deviations.push({ date, hours: actual });
  }
  return deviations;
}
