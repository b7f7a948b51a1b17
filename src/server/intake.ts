/**
 * Receiving a submission, the same for the API and for forms posted without JavaScript:
 * validate, decide who answers and by when, store durably, and only then acknowledge.
 */
import { logEvent } from './log';
import { acknowledgementEmail, replyEmail, statusLink } from './mail/messages';
import { acknowledgementSms } from './sms/messages';
import type { Locale } from '../lib/locales';
import type { Channel } from '../lib/channels';
import { createHash, randomBytes } from 'node:crypto';
import { replyByDate, type IsoDate } from '../lib/calendar';
import { toFieldErrors, type FieldError } from '../lib/intake/errors';
import { canBeAnswered, type ErrandType, type Submission } from '../lib/intake/schema';
import type { MunicipalityConfig } from '../config/schema';
import type { Services } from './services';
import { IdempotencyClaimLostError, type InboundMessage, type NewCaseFile, type StoredSubmission } from './storage/index';
import type { ProcessedPhoto } from './photos';
import { PHOTO_ERRANDS } from '../lib/intake/form';

/** What the person is told once a submission is stored. */
export interface Receipt {
  reference: string;
  type: ErrandType;
  /** The language the person wrote in: the status page and replies use it. */
  language: Locale;
  receivedAt: Date;
  replyBy: IsoDate | null;
  statusToken: string;
}

/** The outcome of receiving one submission. */
export type IntakeResult =
  | { outcome: 'created' | 'replayed'; receipt: Receipt }
  | { outcome: 'invalid'; errors: FieldError[] }
  | { outcome: 'in_progress' }
  | { outcome: 'key_reused' };

function receiptOf(stored: StoredSubmission, statusToken: string): Receipt {
  return {
    reference: stored.reference,
    type: stored.type,
    language: stored.submission.language,
    receivedAt: stored.receivedAt,
    replyBy: stored.replyBy,
    statusToken,
  };
}

/** The SHA-256 of a status token: only the hash is stored, so a copy of the database opens no status page. */
export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new unguessable status token: 192 random bits. */
export function newStatusToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A JSON text of the value with object keys sorted, so equal bodies compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The unit that answers a submission: the one chosen, the category's, or the default. */
export function handlingUnitOf(submission: Submission, config: MunicipalityConfig): string {
  switch (submission.type) {
    case 'fault_report':
      return config.faultCategories.find((category) => category.id === submission.category)?.unit ?? config.defaultUnit;
    case 'proposal':
      return config.proposalUnit;
    default:
      return submission.unit ?? config.defaultUnit;
  }
}

/**
 * What identifies a request's content under an idempotency key: the validated submission, so
 * key order and ignored members do not matter (and its depth is bounded by the schema, which
 * keeps the recursive canonical form safe from hostile nesting).
 */
export function submissionFingerprint(submission: Submission, photos: readonly Pick<ProcessedPhoto, 'bytes'>[] = []): string {
  const photoDigests = photos.map((photo) => createHash('sha256').update(photo.bytes).digest('hex'));
  return createHash('sha256')
    .update(canonicalJson(photoDigests.length > 0 ? { submission, photoDigests } : submission))
    .digest('hex');
}

/** What comes with a submission besides its body. */
export interface IntakeOptions {
  /** The client's Idempotency-Key (or a form's token): a repeat gets the first answer. */
  idempotencyKey?: string | undefined;
  /** Photos sent with this request, already checked and re-encoded. */
  photos?: readonly ProcessedPhoto[];
  /** The form token under which photos from an earlier post of the same form wait. */
  pendingPhotosOf?: string | undefined;
  /** The origin people reach the portal at: the acknowledgement e-mail links to the status page there. */
  origin: string;
  /** The Open311 client that sent it, so staff see where it came from. */
  open311ClientId?: number | undefined;
  /** The way it came. */
  channel: Channel;
  /** The staff member who registered it from a call, a visit, a letter or a message to them. */
  registeredBy?: number | undefined;
  /** Files kept for staff only (a letter's scan, an e-mail's attachments), already checked by their content. */
  files?: readonly NewCaseFile[];
  /** The answer given at the first contact: the errand is stored closed with it, and the e-mail is that answer. */
  firstContactAnswer?: string | undefined;
  /** The e-mail it came as: stored with it, so the same message never makes a second errand. */
  inboundMessage?: InboundMessage;
  /** Working days to answer in, where the channel sets them rather than the errand type (e-mail: two). */
  replyWithinWorkingDays?: number;
  /** The gateway's id of the SMS it came as: a repeated delivery stores nothing. */
  inboundSmsId?: string | undefined;
}

/**
 * Validates and stores one submission. With an idempotency key, a repeat of the same body
 * gets the first answer back and stores nothing; another body under the same key is refused.
 * Invalid bodies never touch the key, so it stays free for the corrected request.
 */
export async function receiveSubmission(
  { config, schema, store, mail, sms }: Services,
  input: unknown,
  { idempotencyKey, photos = [], pendingPhotosOf, origin, open311ClientId, channel, registeredBy, files = [], firstContactAnswer, inboundMessage, replyWithinWorkingDays, inboundSmsId }: IntakeOptions,
): Promise<IntakeResult> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { outcome: 'invalid', errors: toFieldErrors(parsed.error.issues) };
  const submission = parsed.data;
  if (photos.length > 0 && !PHOTO_ERRANDS.has(submission.type)) {
    return { outcome: 'invalid', errors: [{ field: 'photos', key: 'error.photos.notAllowed' }] };
  }
  if (idempotencyKey !== undefined) {
    const claim = await store.claimIdempotencyKey(idempotencyKey, submissionFingerprint(submission, [...photos, ...files]), new Date());
    if (claim.state === 'completed') {
      const { statusToken } = claim.response;
      const stored = await store.findSubmissionByStatusTokenHash(hashStatusToken(statusToken));
      if (!stored) throw new Error('a completed idempotency key points at no submission');
      return { outcome: 'replayed', receipt: receiptOf(stored, statusToken) };
    }
    if (claim.state === 'in_progress') return { outcome: 'in_progress' };
    if (claim.state === 'mismatch') return { outcome: 'key_reused' };
  }
  const receivedAt = new Date();
  const statusToken = newStatusToken();
  try {
    const stored = await store.createSubmission(
      {
        submission,
        receivedAt,
        replyBy: canBeAnswered(submission) ? replyByDate(receivedAt, replyWithinWorkingDays ?? config.replyWithinWorkingDays[submission.type]) : null,
        handlingUnit: handlingUnitOf(submission, config),
        statusTokenHash: hashStatusToken(statusToken),
        photos,
        pendingPhotosOf,
        open311ClientId,
        channel,
        registeredBy,
        files,
        firstContactAnswer,
        inboundMessage,
        inboundSmsId,
      },
      config.referencePrefix,
      idempotencyKey === undefined ? undefined : { key: idempotencyKey, statusToken },
      (created) => {
        const link = statusLink(origin, created.submission.language as Locale, statusToken);
        // Answered at once: one message, the answer with the reference and the status link, rather than an acknowledgement and then the answer.
        const email = firstContactAnswer === undefined ? acknowledgementEmail(created, config, link) : replyEmail(created, config, firstContactAnswer, link);
        return { email, sms: acknowledgementSms(created, link) };
      },
    );
    mail.nudge();
    sms.nudge();
    logEvent('info', 'submission_stored', {
      reference: stored.reference,
      type: stored.type,
      channel,
      language: submission.language,
      unit: stored.handlingUnit,
      photos: stored.photos.length,
      files: files.length,
      answeredAtFirstContact: firstContactAnswer !== undefined,
      anonymous: !canBeAnswered(submission),
    });
    return { outcome: 'created', receipt: receiptOf(stored, statusToken) };
  } catch (error) {
    // Another process took the key over (it judged this one gone): nothing was stored here, and a
    // repeat gets that process's answer.
    if (error instanceof IdempotencyClaimLostError) return { outcome: 'in_progress' };
    if (idempotencyKey !== undefined) await store.releaseIdempotencyKey(idempotencyKey).catch(() => undefined);
    throw error;
  }
}

/** The submission a status token opens, or null: a wrong token reveals nothing. */
export async function findByStatusToken({ store }: Services, token: string | undefined): Promise<StoredSubmission | null> {
  if (!token || !/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  return store.findSubmissionByStatusTokenHash(hashStatusToken(token));
}
