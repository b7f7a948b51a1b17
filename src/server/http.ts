/**
 * HTTP plumbing for the API: problem responses (RFC 9457) and reading a request body with a
 * size limit, so no route ever buffers more than it allows.
 */
import type { FieldError } from '../lib/intake/errors';
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

/** The body was larger than the route accepts. */
export class BodyTooLargeError extends Error {}

/** Reads a request body, stopping as soon as it passes `limitBytes`. */
export async function readBody(request: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limitBytes) throw new BodyTooLargeError();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limitBytes) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a request body as UTF-8 text; malformed UTF-8 throws. */
export async function readBodyText(request: Request, limitBytes: number): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(await readBody(request, limitBytes));
}

/** Reads a multipart/form-data body within `limitBytes`. */
export async function readMultipart(request: Request, limitBytes: number): Promise<FormData> {
  const body = await readBody(request, limitBytes);
  return new Response(new Uint8Array(body), { headers: { 'Content-Type': request.headers.get('content-type') ?? '' } }).formData();
}

/** Whether a Content-Type header names multipart/form-data. */
export function isMultipartContentType(header: string | null): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'multipart/form-data';
}

/** Whether a Content-Type header names JSON (application/json or a +json type), parameters allowed. */
export function isJsonContentType(header: string | null): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}
