import type { APIRoute } from 'astro';
import type { FieldError } from '../../../../lib/intake/errors';
import { TEXT_LIMITS } from '../../../../lib/intake/schema';
import { nearbyOpenFaultReports, showFaultReport } from '../../../../server/fault-reports';
import { validationProblem } from '../../../../server/http';

/** A coordinate as the query gives it: absent, a plain decimal within range, or wrong. */
function coordinate(text: string | null, limit: number): number | undefined | 'invalid' {
  if (text === null || text.trim() === '') return undefined;
  const value = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : 'invalid';
}

/**
 * `GET /api/v1/fault-reports/nearby?category=…&lat=…&lon=…&place=…`: the open fault reports of a
 * category at the same place (within 150 m, or with the same place text), in the language of
 * Accept-Language. The fault form asks this while a person fills it in.
 */
export const GET: APIRoute = async ({ url, locals }) => {
  const { services, t, locale } = locals;
  const query = url.searchParams;
  const category = query.get('category') ?? '';
  const place = query.get('place') ?? '';
  const lat = coordinate(query.get('lat'), 90);
  const lon = coordinate(query.get('lon'), 180);
  const errors: FieldError[] = [];
  if (!services.config.faultCategories.some((candidate) => candidate.id === category)) errors.push({ field: 'category', key: 'error.category.required' });
  if (place.length > TEXT_LIMITS.place) errors.push({ field: 'place', key: 'error.place.tooLong' });
  if (lat === 'invalid' || lon === 'invalid' || (lat === undefined) !== (lon === undefined)) errors.push({ field: 'lat', key: 'error.coordinates.invalid' });
  if (errors.length > 0) return validationProblem(t, errors);
  const found = await nearbyOpenFaultReports(services.store, { category, place, lat: lat as number | undefined, lon: lon as number | undefined });
  const reports = found.map((report) => showFaultReport(report, { t, locale, config: services.config, localePath: locals.localePath }));
  return Response.json({ reports }, { headers: { 'Cache-Control': 'no-store' } });
};
