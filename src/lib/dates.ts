/** Dates and times as people read them, in their language and in Swedish time. */
import { SWEDISH_TIME_ZONE, type IsoDate } from './calendar';
import { intlLocale, type Locale } from './locales';

const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short', timeZone: SWEDISH_TIME_ZONE };
const DATE_WITHOUT_WEEKDAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
const WEEKDAY_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' };

/**
 * One formatter per locale and style, made on first use: making an Intl.DateTimeFormat loads
 * the locale's data and costs far more than formatting with it (every receipt formats a date).
 */
const formatters = new Map<Intl.DateTimeFormatOptions, Map<Locale, Intl.DateTimeFormat>>();
function formatter(options: Intl.DateTimeFormatOptions, locale: Locale): Intl.DateTimeFormat {
  let byLocale = formatters.get(options);
  if (!byLocale) formatters.set(options, (byLocale = new Map()));
  let format = byLocale.get(locale);
  if (!format) byLocale.set(locale, (format = new Intl.DateTimeFormat(intlLocale(locale), options)));
  return format;
}

/** A date such as "onsdag 26 november 2026" in the locale's own way of writing dates. */
export function formatLongDate(date: IsoDate, locale: Locale): string {
  return formatter(LONG_DATE, locale).format(new Date(`${date}T00:00:00Z`));
}

/** A date such as "26 november 2026", where a weekday takes room there is not (an SMS). */
export function formatDateWithoutWeekday(date: IsoDate, locale: Locale): string {
  return formatter(DATE_WITHOUT_WEEKDAY, locale).format(new Date(`${date}T00:00:00Z`));
}

/** An instant such as "24 november 2026 kl. 14:05", in Swedish time. */
export function formatDateTime(instant: Date, locale: Locale): string {
  return formatter(DATE_TIME, locale).format(instant);
}

/** A month (YYYY-MM) such as "november 2026" (`long`) or "nov." (`short`, for a chart's axis). */
export function formatMonth(month: string, style: 'long' | 'short', locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { month: style, ...(style === 'long' ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** A day such as "måndag 30 november", for when something happens in the coming weeks. */
export function formatWeekdayDate(date: IsoDate, locale: Locale): string {
  return formatter(WEEKDAY_DATE, locale).format(new Date(`${date}T00:00:00Z`));
}
