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

/** A channel's regular week as schema.org OpeningHoursSpecification, one entry per opening. */
function weekSpecification(hours: OpeningHours, channel: (typeof CHANNELS)[number]): Record<string, unknown>[] {
  const week = hours.channels[channel] ?? {};
  return WEEKDAYS.flatMap((day) =>
    (week[day] ?? []).map(([opens, closes]) => ({ '@type': 'OpeningHoursSpecification', dayOfWeek: SCHEMA_DAYS[day], opens, closes })),
  );
}

/**
 * The coming days a channel keeps other hours than its week says (holidays included), as the
 * page lists them. A day closed all day opens and closes at midnight, as schema.org documents.
 */
function specialDaysSpecification(hours: OpeningHours, channel: (typeof CHANNELS)[number], now: Date): Record<string, unknown>[] {
  return deviations(hours, channel, now).flatMap(({ date, hours: dayHours }) =>
    (dayHours.length === 0 ? [['00:00', '00:00'] as const] : dayHours).map(([opens, closes]) => ({
      '@type': 'OpeningHoursSpecification',
      validFrom: date,
      validThrough: date,
      opens,
      closes,
    })),
  );
}

function postalAddressJsonLd(address: MunicipalityConfig['contact']['postalAddress']): Record<string, unknown> {
  return {
    '@type': 'PostalAddress',
    ...(address.street === undefined ? {} : { streetAddress: address.street }),
    postalCode: address.postalCode,
    addressLocality: address.locality,
    addressCountry: 'SE',
  };
}

/**
 * schema.org GovernmentOffice for the contact centre, each fact where it belongs: the postal
 * address on the office; the visiting address and the visiting hours on the Place it is at (its
 * `location`); the phone's hours on the phone's ContactPoint. So a day the phone is open and the
 * desk closed says exactly that. Hours are the regular week plus the coming special days.
 */
export function governmentOfficeJsonLd(config: MunicipalityConfig, pageUrl: string, now: Date): Record<string, unknown> {
  const { contact, openingHours } = config;
  const visiting = contact.visitingAddress;
  return {
    '@context': 'https://schema.org',
    '@type': 'GovernmentOffice',
    name: config.name,
    url: pageUrl,
    telephone: contact.phone,
    email: contact.email,
    address: postalAddressJsonLd(contact.postalAddress),
    location: {
      '@type': 'Place',
      ...(visiting.name === undefined ? {} : { name: visiting.name }),
      address: postalAddressJsonLd(visiting),
      openingHoursSpecification: weekSpecification(openingHours, 'visit'),
      specialOpeningHoursSpecification: specialDaysSpecification(openingHours, 'visit', now),
    },
    contactPoint: {
      '@type': 'ContactPoint',
      contactType: 'customer service',
      telephone: contact.phone,
      hoursAvailable: [...weekSpecification(openingHours, 'phone'), ...specialDaysSpecification(openingHours, 'phone', now)],
    },
  };
}
