/**
 * HTTP plumbing: problem responses (RFC 9457) and the one reader of request bodies, with the
 * size limit, content type and charset checks, so no route buffers more than it allows or
 * reads a body its own way.
 */
import type { FieldError } from '../lib/intake/errors';
import { HONEYPOT_FIELD, NEARBY_SHOWN_FIELD, STARTED_AT_FIELD } from '../lib/intake/form';
import { CSRF_FIELD } from '../lib/routes';
import type { Translate } from '../lib/i18n';

/**
 * The origin people reach the portal at: PUBLIC_URL when set (a deployment behind a proxy or
 * under its own host name), otherwise the request's own. Links we hand out and the Origin check
 * both use it, so a forged Host header can steer neither.
 */
export function publicOrigin(requestUrl: URL): string {
  const configured = process.env['PUBLIC_URL'];
  return configured ? new URL(configured).origin : requestUrl.origin;
}

/** Problem types beyond the plain HTTP statuses; relative, resolved against the API's own address. */
export const PROBLEM_TYPES = {
  validation: '/api/v1/problems/validation-error',
  idempotencyKeyReused: '/api/v1/problems/idempotency-key-reused',
} as const;

/** A problem+json response; `title` and `detail` are already in the reader's language. */
export function problemResponse(
  status: number,
  problem: { title: string; detail?: string; type?: string; [extension: string]: unknown },
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', status, ...problem }), {
    status,
    headers: { 'Content-Type': 'application/problem+json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

/** A problem whose title is the API's text for the status (`api.problem.<status>.title`). */
export function statusProblem(t: Translate, status: number, detailKey?: string, headers?: Record<string, string>): Response {
  return problemResponse(
    status,
    { title: t(`api.problem.${status}.title`), ...(detailKey ? { detail: t(detailKey) } : {}) },
    headers,
  );
}

/** The 422 answer to an invalid submission: one entry per wrong field, pointing into the body. */
export function validationProblem(t: Translate, errors: readonly FieldError[]): Response {
  return problemResponse(422, {
    type: PROBLEM_TYPES.validation,
    title: t('api.problem.422.title'),
    detail: t('api.problem.422.detail'),
    errors: errors.map((error) => ({
      pointer: `#/${error.field.replaceAll('.', '/')}`,
      field: error.field,
      code: error.key,
      detail: t(error.key, error.values),
    })),
  });
}

/** The kinds of body a route may take. */
export type BodyFormat = 'json' | 'urlencoded' | 'multipart';

/** What a person's form posts: URL-encoded fields, or multipart when files come along. */
export const FORM_FORMATS: readonly BodyFormat[] = ['urlencoded', 'multipart'];

/** A request body as the one reader read it. */
export type RequestBody =
  | { format: 'json'; json: unknown }
  /** `fields`: every text field, in order, duplicates kept. */
  | { format: 'urlencoded'; fields: URLSearchParams }
  /** `form`: the whole multipart body, files included. */
  | { format: 'multipart'; fields: URLSearchParams; form: FormData };

/** Why a body was refused: 400 unreadable (broken UTF-8, JSON or multipart), 413 too large, 415 a type the route does not take. */
export type BodyRejectionStatus = 400 | 413 | 415;

/**
 * A body the reader refused. Routes let it pass: the middleware turns it into the answer (a
 * problem, an Open311 error or a page in the person's language) with this status.
 */
export class BodyRejectedError extends Error {
  override name = 'BodyRejectedError';
  constructor(
    readonly status: BodyRejectionStatus,
    /** What the route takes, for the Accept header and the wording of the answer. */
    readonly accepted: readonly BodyFormat[],
    reason: string,
  ) {
    super(reason);
  }
}

/** Makes the rejection of one route's read. */
type Rejecter = (status: BodyRejectionStatus, reason: string) => BodyRejectedError;

/** What `readRequestBody` is told about the route. */
export interface BodyOptions {
  accept: readonly BodyFormat[];
  /** The most a JSON or URL-encoded body may be. */
  limitBytes: number;
  /** The most a multipart body may be (photos make it larger); `limitBytes` when not given. */
  multipartLimitBytes?: number;
}

/** The media types each format stands for, as an Accept header names them. */
export const MEDIA_TYPES: Readonly<Record<BodyFormat, string>> = {
  json: 'application/json',
  urlencoded: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
};

/**
 * The one reader of request bodies: checks the content type and charset, reads within the
 * limit, decodes strict UTF-8 and parses JSON, URL-encoded or multipart fields; anything else
 * is a BodyRejectedError. What it read is kept on `locals.requestBody`, so a later step (the
 * outage page that offers the form again) uses it instead of reading the body a second time;
 * a second call answers the same.
 */
export async function readRequestBody({ request, locals }: { request: Request; locals: App.Locals }, options: BodyOptions): Promise<RequestBody> {
  if (locals.requestBody) return locals.requestBody;
  const body = await parseBody(request, options);
  locals.requestBody = body;
  return body;
}

/** A person's form post is a few short fields; the errand forms, which take long texts and photos, set their own limits. */
const FORM_LIMIT_BYTES = 16 * 1024;

/** A form post's text fields as name → value (the last of a repeated name), read by the one reader. */
export async function readFormFields(context: { request: Request; locals: App.Locals }, limitBytes = FORM_LIMIT_BYTES): Promise<Record<string, string>> {
  const body = await readRequestBody(context, { accept: FORM_FORMATS, limitBytes });
  return body.format === 'json' ? {} : Object.fromEntries(body.fields);
}

async function parseBody(request: Request, { accept, limitBytes, multipartLimitBytes = limitBytes }: BodyOptions): Promise<RequestBody> {
  const header = request.headers.get('content-type');
  const [mediaType = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  const type = mediaType.toLowerCase();
  const charset = parameters.find((parameter) => /^charset=/i.test(parameter))?.slice('charset='.length).replace(/^"|"$/g, '').toLowerCase();
  const reject: Rejecter = (status, reason) => new BodyRejectedError(status, accept, reason);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw reject(415, `charset ${charset}`);

  if (type === 'multipart/form-data' && accept.includes('multipart')) {
    const bytes = await readLimited(request, multipartLimitBytes, reject);
    try {
      const form = await new Response(new Uint8Array(bytes), { headers: { 'Content-Type': header ?? '' } }).formData();
      const fields = new URLSearchParams();
      for (const [name, value] of form) if (typeof value === 'string') fields.append(name, value);
      return { format: 'multipart', fields, form };
    } catch {
      throw reject(400, 'malformed multipart');
    }
  }
  const json = isJsonContentType(header) && accept.includes('json');
  const urlEncoded = type === 'application/x-www-form-urlencoded' && accept.includes('urlencoded');
  if (!json && !urlEncoded) {
    // A form of one button may come without a type; its empty body is a post without fields.
    if (type === '' && accept.includes('urlencoded') && (await readLimited(request, limitBytes, reject)).length === 0) {
      return { format: 'urlencoded', fields: new URLSearchParams() };
    }
    throw reject(415, `content type ${type || 'missing'}`);
  }
  const bytes = await readLimited(request, limitBytes, reject);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw reject(400, 'invalid UTF-8');
  }
  if (json) {
    try {
      return { format: 'json', json: JSON.parse(text) as unknown };
    } catch {
      throw reject(400, 'malformed JSON');
    }
  }
  return { format: 'urlencoded', fields: strictFormFields(text, reject) };
}

/**
 * URL-encoded fields, percent escapes decoded as strict UTF-8: URLSearchParams would quietly
 * turn `%FF` into U+FFFD, keeping text the person never wrote.
 */
function strictFormFields(text: string, reject: Rejecter): URLSearchParams {
  const fields = new URLSearchParams();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const [name, value] = separator === -1 ? [pair, ''] : [pair.slice(0, separator), pair.slice(separator + 1)];
    try {
      fields.append(decodeURIComponent(name.replaceAll('+', ' ')), decodeURIComponent(value.replaceAll('+', ' ')));
    } catch {
      throw reject(400, 'invalid percent-encoding');
    }
  }
  return fields;
}

/** Reads a request body, stopping as soon as it passes `limitBytes`. */
async function readLimited(request: Request, limitBytes: number, reject: Rejecter): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limitBytes) throw reject(413, 'declared too large');
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limitBytes) throw reject(413, 'too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A form post that could not be handled now, as the outage page offers it again. */
export interface KeptPost {
  /** Where the form posted: the same address takes it again. */
  action: string;
  /** Every field to post again, hidden ones included. */
  fields: [string, string][];
  /** What the person wrote, to show: the fields that are not the form's own state. */
  typed: string[];
  /** Whether files came with it; they cannot be kept and must be chosen again. */
  hadFiles: boolean;
}

/** Never shown or posted again: a password is typed again rather than written into a page. */
const NEVER_KEPT = new Set(['password']);
/** The form's own state (tokens, guards, where to go back to): posted again, not shown. */
const FORM_STATE_FIELDS = new Set([CSRF_FIELD, 'formToken', 'token', 'till', 'page', 'action', 'helpful', STARTED_AT_FIELD, HONEYPOT_FIELD, NEARBY_SHOWN_FIELD]);

/** What of a read form post can be offered again, or undefined when the request posted no form. */
export function keptPostOf(body: RequestBody | undefined, action: string): KeptPost | undefined {
  if (body === undefined || body.format === 'json') return undefined;
  const fields = [...body.fields].filter(([name]) => !NEVER_KEPT.has(name));
  return {
    action,
    fields,
    typed: fields.filter(([name, value]) => !FORM_STATE_FIELDS.has(name) && value.trim() !== '').map(([, value]) => value),
    hadFiles: body.format === 'multipart' && [...body.form.values()].some((value) => typeof value !== 'string' && value.size > 0),
  };
}

/** Whether a Content-Type header names JSON (application/json or a +json type), parameters allowed. */
export function isJsonContentType(header: string | null): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}
