/**
 * How GeoReport v2 meets our fault reports: categories are services, our four statuses are
 * its open and closed, a posted service request becomes a `fault_report` submission for the
 * ordinary intake, and the intake's field errors are told in Open311's parameter names.
 */
import { localizedName, type MunicipalityConfig } from '../../config/schema';
import { swedishEndOfDay } from '../../lib/calendar';
import type { Translate } from '../../lib/i18n';
import type { FieldError } from '../../lib/intake/errors';
import type { Locale } from '../../lib/locales';
import { ERRAND_STATUSES, OPEN_STATUSES, type ErrandStatus } from '../../lib/errands';
import type { PublicFaultReport } from '../storage/fault-reports';
import type { XmlValue } from './xml';

export type Open311Status = 'open' | 'closed';

/**
 * A fault is open while it is being dealt with, as the public list of fault reports counts it:
 * `answered` is closed, since the municipality has given its answer and takes no more supports.
 */
export function open311StatusOf(status: ErrandStatus): Open311Status {
  return OPEN_STATUSES.includes(status) ? 'open' : 'closed';
}

/** Our statuses behind one Open311 status, for the `status` filter. */
export function errandStatusesOf(status: Open311Status): ErrandStatus[] {
  return ERRAND_STATUSES.filter((candidate) => open311StatusOf(candidate) === status);
}

/** A GeoReport v2 service: one per fault category. */
export function toService(category: MunicipalityConfig['faultCategories'][number], locale: Locale, t: Translate): Record<string, XmlValue> {
  const name = localizedName(category.name, locale);
  return {
    service_code: category.id,
    service_name: name,
    description: name,
    metadata: false,
    type: 'realtime',
    keywords: '',
    group: t('errand.fault_report.name'),
  };
}

/**
 * A fault report as a GeoReport v2 service request, with only what the public list of fault
 * reports shows: `description` stays empty, since what a reporter wrote may name people, and
 * nothing of who reported it appears. `agency_responsible` is the unit that handles the category.
 */
export function toServiceRequest(report: PublicFaultReport, config: MunicipalityConfig, locale: Locale): Record<string, XmlValue> {
  const category = config.faultCategories.find((candidate) => candidate.id === report.category);
  const unit = config.units.find((candidate) => candidate.id === category?.unit);
  return {
    service_request_id: report.reference,
    status: open311StatusOf(report.status),
    status_notes: null,
    service_name: category ? localizedName(category.name, locale) : report.category,
    service_code: report.category,
    description: null,
    agency_responsible: unit ? localizedName(unit.name, locale) : null,
    service_notice: null,
    requested_datetime: report.receivedAt,
    updated_datetime: report.updatedAt,
    // The reply-by date, not a repair date: the promise the reporter was given, to the end of that day.
    expected_datetime: report.replyBy === null ? null : swedishEndOfDay(report.replyBy),
    address: report.place,
    address_id: null,
    zipcode: null,
    lat: report.lat,
    long: report.lon,
    media_url: null,
  };
}

/** A posted parameter: absent and blank are the same to a form. */
function parameter(fields: URLSearchParams, name: string): string | undefined {
  const value = fields.get(name)?.trim();
  return value ? value : undefined;
}

/** A coordinate as a number when it reads as one; otherwise the text, which the schema then refuses. */
function coordinate(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const number = Number(text);
  return /^[+-]?\d+(\.\d+)?$/.test(text) && Number.isFinite(number) ? number : text;
}

/**
 * The `fault_report` submission a POST service request stands for. Without `address_string`,
 * the place is described by its position ("Position 59.3, 18.4"), since our reports always
 * describe the place in words. A name without an e-mail address or phone number cannot be
 * answered, so it is not kept: the report is then anonymous. `media_url`, `address_id`,
 * `device_id` and `account_id` are not used.
 */
export function submissionFromServiceRequest(fields: URLSearchParams, language: Locale, t: Translate): Record<string, unknown> {
  const lat = parameter(fields, 'lat');
  const long = parameter(fields, 'long');
  const email = parameter(fields, 'email');
  const phone = parameter(fields, 'phone');
  const name = [parameter(fields, 'first_name'), parameter(fields, 'last_name')].filter(Boolean).join(' ');
  const place = parameter(fields, 'address_string') ?? (lat !== undefined && long !== undefined ? t('open311.position', { lat, long }) : undefined);
  return {
    type: 'fault_report',
    category: parameter(fields, 'service_code'),
    location: { description: place, lat: coordinate(lat), lon: coordinate(long) },
    message: parameter(fields, 'description'),
    contact: email !== undefined || phone !== undefined ? { name: name || undefined, email, phone } : null,
    language,
  };
}

/** Our submission fields under the Open311 parameter a client sent them in. */
const OPEN311_PARAMETERS: Readonly<Record<string, string>> = {
  type: 'service_code',
  category: 'service_code',
  location: 'address_string',
  'location.description': 'address_string',
  'location.lat': 'lat',
  'location.lon': 'long',
  message: 'description',
  contact: 'email',
  'contact.email': 'email',
  'contact.phone': 'phone',
  'contact.name': 'first_name',
  language: 'Accept-Language',
};

/** The intake's field errors as Open311 error descriptions: the parameter, then what is wrong, in the reader's language. */
export function open311Descriptions(errors: readonly FieldError[], t: Translate): string[] {
  return errors.map((error) => `${OPEN311_PARAMETERS[error.field] ?? error.field}: ${t(error.key)}`);
}
