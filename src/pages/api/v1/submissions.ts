import type { APIRoute } from 'astro';
import { receiveSubmission } from '../../../server/intake';
import {
  BodyTooLargeError,
  isJsonContentType,
  PROBLEM_TYPES,
  problemResponse,
  publicOrigin,
  readBodyText,
  statusProblem,
  validationProblem,
} from '../../../server/http';
import { statusPath } from '../../../lib/routes';
import { StorageUnavailableError } from '../../../server/storage/index';

/** A submission's text is at most a few thousand characters; 64 KiB leaves room for every field. */
const BODY_LIMIT_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export const POST: APIRoute = async ({ request, locals, url }) => {
  const { t, services } = locals;
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return statusProblem(t, 415, 'api.problem.415.detail', { Accept: 'application/json' });
  }
  const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    return statusProblem(t, 400, 'api.problem.400.idempotencyKey');
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBodyText(request, BODY_LIMIT_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return statusProblem(t, 413, 'api.problem.413.detail');
    return statusProblem(t, 400, 'api.problem.400.json');
  }

  let result;
  try {
    result = await receiveSubmission(services, body, idempotencyKey);
  } catch (error) {
    if (error instanceof StorageUnavailableError) return statusProblem(t, 503, 'api.problem.503.storage', { 'Retry-After': '5' });
    throw error;
  }
  switch (result.outcome) {
    case 'invalid':
      return validationProblem(t, result.errors);
    case 'in_progress':
      return statusProblem(t, 409, 'api.problem.409.detail', { 'Retry-After': '1' });
    case 'key_reused':
      return problemResponse(422, {
        type: PROBLEM_TYPES.idempotencyKeyReused,
        title: t('api.problem.idempotencyKeyReused.title'),
        detail: t('api.problem.idempotencyKeyReused.detail'),
      });
    default: {
      const { receipt } = result;
      const statusUrl = new URL(statusPath(receipt.statusToken), publicOrigin(url)).href;
      return new Response(
        JSON.stringify({
          reference: receipt.reference,
          type: receipt.type,
          receivedAt: receipt.receivedAt.toISOString(),
          replyBy: receipt.replyBy,
          statusUrl,
        }),
        {
          status: 201,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Cache-Control': 'no-store',
            Location: statusUrl,
            ...(result.outcome === 'replayed' ? { 'Idempotent-Replayed': 'true' } : {}),
          },
        },
      );
    }
  }
};
