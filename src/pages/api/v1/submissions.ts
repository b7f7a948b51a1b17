import type { APIRoute } from 'astro';
import { PHOTOS_FIELD } from '../../../lib/intake/form';
import { localizedPath } from '../../../lib/locales';
import { receiptPath, statusPath } from '../../../lib/routes';
import {
  PROBLEM_TYPES,
  problemResponse,
  publicOrigin,
  readRequestBody,
  statusProblem,
  validationProblem,
} from '../../../server/http';
import { receiveSubmission } from '../../../server/intake';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_REJECTION_STATUS, PhotoRejectedError, photoFiles, photoRejectionError, processPhotos, type ProcessedPhoto } from '../../../server/photos';

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
 * JSON in the part `submission` and one part `photos` per image. A body the one reader refuses
 * (not JSON or multipart, too large, broken) is answered by the middleware.
 */
async function readSubmission(context: { request: Request; locals: App.Locals }): Promise<{ body: unknown; photos: ProcessedPhoto[] }> {
  const { t } = context.locals;
  const read = await readRequestBody(context, { accept: ['json', 'multipart'], limitBytes: BODY_LIMIT_BYTES, multipartLimitBytes: MULTIPART_LIMIT_BYTES });
  // Only JSON and multipart are accepted, so anything but multipart is JSON.
  if (read.format !== 'multipart') return { body: read.format === 'json' ? read.json : undefined, photos: [] };
  const part = read.form.get('submission');
  let body: unknown;
  try {
    body = JSON.parse(typeof part === 'string' ? part : part ? new TextDecoder('utf-8', { fatal: true }).decode(await part.arrayBuffer()) : '');
  } catch {
    throw new Refusal(statusProblem(t, 400, 'api.problem.400.json'));
  }
  const files = photoFiles(read.form, PHOTOS_FIELD);
  if (files.length > MAX_PHOTOS) throw new Refusal(validationProblem(t, [{ field: PHOTOS_FIELD, key: 'error.photos.tooMany' }]));
  try {
    return { body, photos: await processPhotos(files) };
  } catch (error) {
    if (!(error instanceof PhotoRejectedError)) throw error;
    const status = PHOTO_REJECTION_STATUS[error.reason];
    if (status === 422) throw new Refusal(validationProblem(t, [photoRejectionError(error)]));
    throw new Refusal(problemResponse(status, { title: t(`api.problem.${status}.title`), detail: `${error.fileName}: ${t(`error.photos.${error.reason}`)}` }));
  }
}

export const POST: APIRoute = async (context) => {
  const { request, locals, url } = context;
  const { t, services } = locals;
  const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    return statusProblem(t, 400, 'api.problem.400.idempotencyKey');
  }
  let result;
  try {
    const { body, photos } = await readSubmission(context);
    result = await receiveSubmission(services, body, { idempotencyKey, photos, origin: publicOrigin(url), channel: 'api' });
  } catch (error) {
    if (error instanceof Refusal) return error.response;
    // A refused body and an unavailable storage are answered by the middleware, like on every route.
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
