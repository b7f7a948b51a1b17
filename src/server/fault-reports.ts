/**
 * "Already reported?": open fault reports near the place someone is about to report, found by
 * coordinates or by the same place text, and "this is my problem too" on a public report — so a
 * broken street light gets one report with many supporters rather than many reports.
 */
import type { AstroGlobal } from 'astro';
import { localizedName, type MunicipalityConfig } from '../config/schema';
import { formatDateTime } from '../lib/dates';
import { OPEN_STATUSES } from '../lib/errands';
import type { NearbyReport } from '../lib/intake/form-props';
import { isEmailAddress } from '../lib/intake/schema';
import type { Translate } from '../lib/i18n';
import type { Locale } from '../lib/locales';
import { publicFaultReportPath } from '../lib/routes';
import { readFormFields } from './http';
import type { Store } from './storage/index';
import type { FaultSupportOutcome, PublicFaultReport } from './storage/fault-reports';

/** Reports this close to the given position count as the same place. */
export const NEARBY_RADIUS_METRES = 150;
/** At most this many are offered; more would bury the form. */
const MAX_NEARBY = 5;
/** Open reports of one category looked through for a match: the newest, so a storm night stays cheap. */
const CANDIDATES = 1000;

/** Where someone is about to report a fault. */
export interface FaultPlace {
  category: string;
  place?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
}

/** Metres between two positions on the earth's surface (haversine; plenty exact at street scale). */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** A place text as compared: case, punctuation and spacing do not make two places different. */
export function placeKey(place: string): string {
  return place
    .toLocaleLowerCase('sv')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The open reports among `candidates` that are about the same place: within
 * NEARBY_RADIUS_METRES of the position, or with the same place text; nearest first.
 */
export function matchNearby(candidates: readonly PublicFaultReport[], where: FaultPlace): PublicFaultReport[] {
  const position = where.lat !== undefined && where.lon !== undefined ? { lat: where.lat, lon: where.lon } : undefined;
  const key = where.place ? placeKey(where.place) : '';
  const scored = candidates.flatMap((report) => {
    const distance = position && report.lat !== null && report.lon !== null ? distanceMetres(position, { lat: report.lat, lon: report.lon }) : undefined;
    if (distance !== undefined && distance <= NEARBY_RADIUS_METRES) return [{ report, distance }];
    if (key !== '' && placeKey(report.place) === key) return [{ report, distance: distance ?? NEARBY_RADIUS_METRES }];
    return [];
  });
  return scored.sort((a, b) => a.distance - b.distance).slice(0, MAX_NEARBY).map(({ report }) => report);
}

/** Open reports of the same category at the same place, for the person about to report it. */
export async function nearbyOpenFaultReports(store: Store, where: FaultPlace): Promise<PublicFaultReport[]> {
  if (!where.place?.trim() && (where.lat === undefined || where.lon === undefined)) return [];
  const { reports } = await store.publicFaultReports({ categories: [where.category], statuses: OPEN_STATUSES, limit: CANDIDATES });
  return matchNearby(reports, where);
}

/** A public fault report as a page or the form shows it, in the reader's language. */
export function showFaultReport(report: PublicFaultReport, { t, locale, config, localePath }: { t: Translate; locale: Locale; config: MunicipalityConfig; localePath: (path: string) => string }): NearbyReport {
  const category = config.faultCategories.find((candidate) => candidate.id === report.category);
  return {
    reference: report.reference,
    category: category ? localizedName(category.name, locale) : report.category,
    place: report.place,
    received: t('faults.received', { date: formatDateTime(new Date(report.receivedAt), locale) }),
    status: t(`status.value.${report.status}`),
    supports: t('faults.supports', { number: report.supports }),
    url: localePath(publicFaultReportPath(report.reference)),
  };
}

/** The field of the support form that takes an address for the "fixed" notice. */
export const FAULT_SUPPORT_EMAIL_FIELD = 'email';

export type FaultSupportFormResult = { kind: 'invalid'; value: string } | { kind: 'done'; outcome: FaultSupportOutcome; withEmail: boolean };

/** Takes a "this is my problem too" post: an optional e-mail address for the notice when it is fixed. */
export async function supportFaultReport(astro: AstroGlobal, reference: string): Promise<FaultSupportFormResult> {
  const { services, locale } = astro.locals;
  const values = await readFormFields(astro);
  const email = (values[FAULT_SUPPORT_EMAIL_FIELD] ?? '').trim();
  if (email !== '' && !isEmailAddress(email)) return { kind: 'invalid', value: email };
  const outcome = await services.store.addFaultSupport(reference, { email: email || null, language: locale }, new Date());
  return { kind: 'done', outcome, withEmail: email !== '' };
}
