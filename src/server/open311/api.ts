/**
 * Open311 GeoReport v2 at `/open311/v2/`: discovery, the fault categories as services, and
 * fault reports as service requests, in JSON and XML. Reading shows what the public list of
 * fault reports shows; posting needs an API key an admin issued (`npm run open311:key`) and
 * goes through the same intake as the forms and the JSON API.
 */
import type { APIContext } from 'astro';
import type { MunicipalityConfig } from '../../config/schema';
import type { Translate } from '../../lib/i18n';
import { FORM_FORMATS, publicOrigin, readRequestBody } from '../http';
import { receiveSubmission } from '../intake';
import { logEvent } from '../log';
import type { FaultReportFilter, PublicFaultReport } from '../storage/fault-reports';
import { hashOpen311Key } from './keys';
import { errandStatusesOf, open311Descriptions, submissionFromServiceRequest, toService, toServiceRequest, type Open311Status } from './mapping';
import { formatOfPath, OPEN311_CONTENT_TYPES, OPEN311_FORMATS, open311Error, open311Response, type Open311Format } from './responses';

/** The date this API last changed in a way clients may care about, as discovery reports it. */
const CHANGESET = '2026-12-02T00:00:00Z';
const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const BASE_PATH = '/open311/v2';
/** A service request's fields are a few thousand characters at most, as in the JSON API. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** The spec's default and largest page of requests; mySociety's `max_requests` asks for fewer. */
const MAX_REQUESTS = 1000;
/** Without dates, requests of the last 90 days; a range may span at most that (the spec's rule). */
const SPAN_MS = 90 * 24 * 60 * 60 * 1000;
/** A W3C date and time (the spec's format), with the time zone it requires. */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

type Route =
  | { method: 'discovery' }
  | { method: 'services' }
  | { method: 'service'; code: string }
  | { method: 'requests' }
  | { method: 'request'; id: string };

function routeOf(resource: string): Route | undefined {
  if (resource === 'discovery' || resource === 'services' || resource === 'requests') return { method: resource };
  const [collection, item, ...rest] = resource.split('/');
  if (rest.length > 0 || !item) return undefined;
  // Codes and references are plain ASCII: an encoded path simply names nothing.
  if (collection === 'services') return { method: 'service', code: item };
  if (collection === 'requests') return { method: 'request', id: item };
  return undefined;
}

/** The jurisdiction_id clients may name: the configured one, or the website's host name without www. */
export function jurisdictionIdOf(config: MunicipalityConfig): string {
  return config.open311?.jurisdictionId ?? new URL(config.website).hostname.replace(/^www\./, '');
}

/** A request refused while its parameters are read; answered in the format the request asked for. */
class Open311Refusal {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Answers one request to `/open311/v2/…`. */
export async function handleOpen311Request({ request, url, locals }: APIContext): Promise<Response> {
  const { t } = locals;
  const { format, known } = formatOfPath(url.pathname);
  if (!known) return open311Error(format, 404, t('open311.error.format'));
  const route = url.pathname.startsWith(`${BASE_PATH}/`) ? routeOf(url.pathname.slice(BASE_PATH.length + 1, -(format.length + 1))) : undefined;
  if (!route) return open311Error(format, 404, t('open311.error.notFound'));
  const allowed = route.method === 'requests' ? 'GET, HEAD, POST' : 'GET, HEAD';
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  if (!allowed.split(', ').includes(method)) return open311Error(format, 405, t('open311.error.method', { method: request.method }), { Allow: allowed });
  try {
    const fields = method === 'POST' ? await readFields(request, locals) : url.searchParams;
    const jurisdiction = fields.get('jurisdiction_id')?.trim();
    const ours = jurisdictionIdOf(locals.services.config);
    if (jurisdiction && jurisdiction !== ours) return open311Error(format, 404, t('open311.error.jurisdiction', { jurisdiction: ours }));
    if (method === 'POST') return await postServiceRequest(fields, format, url, locals);
    switch (route.method) {
      case 'discovery':
        return discovery(format, url, locals);
      case 'services':
        return open311Response(format, 'services', locals.services.config.faultCategories.map((category) => toService(category, locals.locale, t)), 200, localizedHeaders('public, max-age=300'));
      case 'service':
        return serviceDefinition(route.code, format, locals);
      case 'requests':
        return serviceRequests((await locals.services.store.publicFaultReports(requestFilter(fields, new Date(), t))).reports, format, locals);
      case 'request': {
        const { reports } = await locals.services.store.publicFaultReports({ references: [route.id], limit: 1 });
        return reports.length === 0 ? open311Error(format, 404, t('open311.error.request', { id: route.id })) : serviceRequests(reports, format, locals);
      }
    }
  } catch (error) {
    if (error instanceof Open311Refusal) return open311Error(format, error.status, error.description, error.headers);
    throw error;
  }
}

/**
 * The posted fields: form-encoded, as the spec posts them, or multipart (whose files are not
 * used). A body the reader refuses is answered by the middleware in Open311's error format.
 */
async function readFields(request: Request, locals: App.Locals): Promise<URLSearchParams> {
  const body = await readRequestBody({ request, locals }, { accept: FORM_FORMATS, limitBytes: BODY_LIMIT_BYTES });
  return body.format === 'json' ? new URLSearchParams() : body.fields;
}

/** The filters of GET requests as a query of the public fault reports. */
function requestFilter(parameters: URLSearchParams, now: Date, t: Translate): FaultReportFilter {
  const maxRequests = parameters.get('max_requests')?.trim();
  if (maxRequests && !(/^\d{1,4}$/.test(maxRequests) && Number(maxRequests) >= 1 && Number(maxRequests) <= MAX_REQUESTS)) {
    throw new Open311Refusal(400, t('open311.error.maxRequests', { max: MAX_REQUESTS }));
  }
  const limit = maxRequests ? Number(maxRequests) : MAX_REQUESTS;
  // The spec: with service_request_id, every other parameter is ignored.
  const references = listParameter(parameters, 'service_request_id');
  if (references) return { references: references.slice(0, limit), limit };
  const statuses = listParameter(parameters, 'status');
  if (statuses?.some((status) => status !== 'open' && status !== 'closed')) throw new Open311Refusal(400, t('open311.error.status'));
  const start = dateParameter(parameters, 'start_date', t);
  const end = dateParameter(parameters, 'end_date', t);
  if (start && end && (start > end || end.getTime() - start.getTime() > SPAN_MS)) throw new Open311Refusal(400, t('open311.error.dateRange', { days: SPAN_MS / 86_400_000 }));
  const receivedFrom = start ?? new Date((end ?? now).getTime() - SPAN_MS);
  // end_date is the latest time included.
  const receivedBefore = end ? new Date(end.getTime() + 1) : start ? new Date(start.getTime() + SPAN_MS + 1) : undefined;
  const categories = listParameter(parameters, 'service_code');
  return {
    ...(categories ? { categories } : {}),
    ...(statuses ? { statuses: [...new Set(statuses as Open311Status[])].flatMap(errandStatusesOf) } : {}),
    receivedFrom,
    ...(receivedBefore ? { receivedBefore } : {}),
    limit,
  };
}

/** A date parameter as a Date, if given; anything but a W3C date-time with a time zone is refused. */
function dateParameter(parameters: URLSearchParams, name: string, t: Translate): Date | undefined {
  const text = parameters.get(name)?.trim();
  if (!text) return undefined;
  const date = new Date(text);
  if (!W3C_DATETIME.test(text) || Number.isNaN(date.getTime())) throw new Open311Refusal(400, t('open311.error.date', { parameter: name }));
  return date;
}

/** A comma-separated parameter's values, or undefined when it is not given. */
function listParameter(parameters: URLSearchParams, name: string): string[] | undefined {
  const values = (parameters.get(name) ?? '').split(',').map((value) => value.trim()).filter(Boolean);
  return values.length > 0 ? values : undefined;
}

/** Answers that depend on Accept-Language (names and texts) say so to caches. */
function localizedHeaders(cacheControl: string): Record<string, string> {
  return { 'Cache-Control': cacheControl, Vary: 'Accept-Language' };
}

function discovery(format: Open311Format, url: URL, { services, t }: App.Locals): Response {
  const { config } = services;
  return open311Response(
    format,
    'discovery',
    {
      changeset: CHANGESET,
      contact: `${config.name}, ${config.contact.email}, ${config.contact.phone}`,
      key_service: t('open311.keyService', { email: config.contact.email }),
      endpoints: [
        {
          specification: SPECIFICATION,
          url: `${publicOrigin(url)}${BASE_PATH}`,
          changeset: CHANGESET,
          type: 'production',
          formats: OPEN311_FORMATS.map((name) => OPEN311_CONTENT_TYPES[name].split(';')[0] ?? name),
        },
      ],
    },
    200,
    localizedHeaders('public, max-age=300'),
  );
}

/**
 * A service's definition. Our services have no extra attributes (metadata is false), so a known
 * code is answered with an empty attribute list rather than an error: clients that ask anyway
 * get a definition they can use, and only an unknown code is the spec's 404.
 */
function serviceDefinition(code: string, format: Open311Format, { services, t }: App.Locals): Response {
  if (!services.config.faultCategories.some((category) => category.id === code)) return open311Error(format, 404, t('open311.error.serviceCode', { code }));
  return open311Response(format, 'service_definition', { service_code: code, attributes: [] }, 200, { 'Cache-Control': 'public, max-age=300' });
}

/** Fault reports as a list of service requests. */
function serviceRequests(reports: readonly PublicFaultReport[], format: Open311Format, { services, locale }: App.Locals): Response {
  const requests = reports.map((report) => toServiceRequest(report, services.config, locale));
  return open311Response(format, 'service_requests', requests, 200, localizedHeaders('no-cache'));
}

/**
 * POST a service request: the key, then the service, then the same intake as every other way
 * in (validation, reference number, storage, acknowledgement e-mail, the staff inbox).
 */
async function postServiceRequest(fields: URLSearchParams, format: Open311Format, url: URL, locals: App.Locals): Promise<Response> {
  const { services, t, locale } = locals;
  const key = fields.get('api_key')?.trim();
  if (!key) return open311Error(format, 403, t('open311.error.apiKeyMissing'));
  const client = await services.store.activeOpen311Client(hashOpen311Key(key));
  if (!client) return open311Error(format, 403, t('open311.error.apiKeyInvalid'));
  const code = fields.get('service_code')?.trim();
  if (code && !services.config.faultCategories.some((category) => category.id === code)) return open311Error(format, 404, t('open311.error.serviceCode', { code }));
  const origin = publicOrigin(url);
  const result = await receiveSubmission(services, submissionFromServiceRequest(fields, locale, t), { origin, open311ClientId: client.id, channel: 'open311' });
  if (result.outcome === 'invalid') return open311Error(format, 400, open311Descriptions(result.errors, t));
  // Without an idempotency key the intake only creates or refuses.
  if (result.outcome !== 'created') throw new Error(`unexpected intake outcome ${result.outcome}`);
  const reference = result.receipt.reference;
  logEvent('info', 'open311_request_received', { reference, client: client.id });
  return open311Response(format, 'service_requests', [{ service_request_id: reference, service_notice: null, account_id: null }], 201, {
    'Cache-Control': 'no-store',
    Location: new URL(`${BASE_PATH}/requests/${encodeURIComponent(reference)}.${format}`, origin).href,
  });
}
