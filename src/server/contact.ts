/**
 * What the contact page says about opening hours, computed on the server at the moment of the
 * request (so it is right without JavaScript), and the schema.org description of the office.
 */
import type { MunicipalityConfig } from '../config/schema';
import { swedishDate } from '../lib/calendar';
import { formatWeekdayDate } from '../lib/dates';
import type { Translate } from '../lib/i18n';
import type { Locale } from '../lib/locales';
import { deviationsAhead, openingStatus, WEEKDAYS, type OpeningHours, type TimeRange } from '../lib/opening-hours';

export const CHANNELS = ['phone', 'visit'] as const;
/** How far ahead the page lists days with other hours than usual. */
export const DEVIATION_DAYS = 28;

/** The texts the status line is made of, so the page's script builds the same sentence as the server. */
export function statusTexts(t: Translate): Record<'open' | 'closed' | 'closedUntil', string> {
  return { open: t('contact.openNow', { time: '{time}' }), closedUntil: t('contact.closedNow', { day: '{day}', time: '{time}' }), closed: t('contact.closed') };
}

export function statusLine(hours: OpeningHours, channel: string, now: Date, t: Translate, locale: Locale): string {
  const status = openingStatus(hours, channel, now);
  if (status.open) return t('contact.openNow', { time: status.closesAt });
  if (!status.opensAt) return t('contact.closed');
  const day = status.opensAt.date === swedishDate(now) ? t('contact.today') : formatWeekdayDate(status.opensAt.date, locale);
  return t('contact.closedNow', { day, time: status.opensAt.time });
}

export function rangesText(ranges: readonly TimeRange[], t: Translate): string {
  return ranges.length === 0 ? t('contact.closedAllDay') : ranges.map(([from, to]) => `${from}–${to}`).join(', ');
}

export function deviations(hours: OpeningHours, channel: string, now: Date) {
  return deviationsAhead(hours, channel, swedishDate(now), DEVIATION_DAYS);
}

const SCHEMA_DAYS: Record<(typeof WEEKDAYS)[number], string> = {
  monday: 'https://schema.org/Monday',
  tuesday: 'https://schema.org/Tuesday',
  wednesday: 'https://schema.org/Wednesday',
  thursday: 'https://schema.org/Thursday',
  friday: 'https://schema.org/Friday',
  saturday: 'https://schema.org/Saturday',
  sunday: 'https://schema.org/Sunday',
};

/** schema.org GovernmentOffice for the contact centre's visiting hours, with the coming special days. */
export function governmentOfficeJsonLd(config: MunicipalityConfig, pageUrl: string, now: Date): Record<string, unknown> {
  const visit = config.openingHours.channels.visit;
  const address = config.contact.visitingAddress;
  const postal = config.contact.postalAddress.at(-1) ?? '';
  return {
    '@context': 'https://schema.org',
    '@type': 'GovernmentOffice',
    name: config.name,
    url: pageUrl,
    telephone: config.contact.phone,
    email: config.contact.email,
    address: {
      '@type': 'PostalAddress',
      streetAddress: address.slice(0, -1).join(', '),
      addressLocality: address.at(-1),
      postalCode: /^\d{3} ?\d{2}/.exec(postal)?.[0],
      addressCountry: 'SE',
    },
    openingHoursSpecification: WEEKDAYS.flatMap((day) =>
      (visit[day] ?? []).map(([opens, closes]) => ({ '@type': 'OpeningHoursSpecification', dayOfWeek: SCHEMA_DAYS[day], opens, closes })),
    ),
    // A day closed all day is written as opening and closing at midnight, as schema.org documents.
    specialOpeningHoursSpecification: deviations(config.openingHours, 'visit', now).flatMap(({ date, hours }) =>
      (hours.length === 0 ? [['00:00', '00:00'] as const] : hours).map(([opens, closes]) => ({
        '@type': 'OpeningHoursSpecification',
        validFrom: date,
        validThrough: date,
        opens,
        closes,
      })),
    ),
  };
}
