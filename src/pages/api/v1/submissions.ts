import type { APIRoute } from 'astro';
import { PHOTOS_FIELD } from '../../../lib/intake/form';
import { localizedPath } from '../../../lib/locales';
import { receiptPath, statusPath } from '../../../lib/routes';
import {
  BodyTooLargeError,
  isJsonContentType,
  isMultipartContentType,
  PROBLEM_TYPES,
  problemResponse,
  publicOrigin,
  readBodyText,
  readMultipart,
  statusProblem,
  validationProblem,
} from '../../../server/http';
import { receiveSubmission } from '../../../server/intake';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_REJECTION_STATUS, PhotoRejectedError, photoFiles, photoRejectionError, processPhotos, type ProcessedPhoto } from '../../../server/photos';
import { StorageUnavailableError } from '../../../server/storage/index';

/** A submission's text is at most a few thousand characters; 64 KiB leaves room for every field. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** A multipart body: the JSON part and up to five photos. */
const MULTIPART_LIMIT_BYTES = BODY_LIMIT_BYTES + MAX_PHOTOS * MAX_PHOTO_BYTES;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A body that could not be read as a submission: the answer is already decided. */
class Refusal {
  constructor(readonly response: Response) {}
}

/**
 * Reads the submission and its photos from a JSON body, or from a multipart body with the
 * JSON in the part `submission` and one part `photos` per image.
 */
async function readSubmission(request: Request, t: App.Locals['t']): Promise<{ body: unknown; photos: ProcessedPhoto[] }> {
  const contentType = request.headers.get('content-type');
  try {
    if (isJsonContentType(contentType)) return { body: JSON.parse(await readBodyText(request, BODY_LIMIT_BYTES)), photos: [] };
    if (!isMultipartContentType(contentType)) {
      throw new Refusal(statusProblem(t, 415, 'api.problem.415.detail', { Accept: 'application/json, multipart/form-data' }));
    }
    const form = await readMultipart(request, MULTIPART_LIMIT_BYTES);
    const part = form.get('submission');
    const text = typeof part === 'string' ? part : part ? await part.text() : '';
    const body: unknown = JSON.parse(text);
    const files = photoFiles(form, PHOTOS_FIELD);
    if (files.length > MAX_PHOTOS) throw new Refusal(validationProblem(t, [{ field: PHOTOS_FIELD, key: 'error.photos.tooMany' }]));
    return { body, photos: await processPhotos(files) };
  } catch (error) {
    if (error instanceof Refusal) throw error;
    if (error instanceof BodyTooLargeError) throw new Refusal(statusProblem(t, 413, 'api.problem.413.detail'));
    if (error instanceof PhotoRejectedError) {
      const status = PHOTO_REJECTION_STATUS[error.reason];
      if (status === 422) throw new Refusal(validationProblem(t, [photoRejectionError(error)]));
      throw new Refusal(problemResponse(status, { title: t(`api.problem.${status}.title`), detail: `${error.fileName}: ${t(`error.photos.${error.reason}`)}` }));
    }
    throw new Refusal(statusProblem(t, 400, 'api.problem.400.json'));
  }
}

export const POST: APIRoute = async ({ request, locals, url }) => {
  const { t, services } = locals;
  const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    return statusProblem(t, 400, 'api.problem.400.idempotencyKey');
  }
  let result;
  try {
    const { body, photos } = await readSubmission(request, t);
    result = await receiveSubmission(services, body, { idempotencyKey, photos, origin: publicOrigin(url) });
  } catch (error) {
    if (error instanceof Refusal) return error.response;
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
      const origin = publicOrigin(url);
      const statusUrl = new URL(localizedPath(receipt.language, statusPath(receipt.statusToken)), origin).href;
      return new Response(
        JSON.stringify({
          reference: receipt.reference,
          type: receipt.type,
          receivedAt: receipt.receivedAt.toISOString(),
          replyBy: receipt.replyBy,
          statusUrl,
          receiptUrl: new URL(localizedPath(receipt.language, receiptPath(receipt.statusToken)), origin).href,
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
