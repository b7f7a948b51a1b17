/**
 * What both storage implementations write and read the same way: the columns of a submission
 * row, how a row becomes a StoredSubmission, and the ids photos are fetched by.
 */
import { randomBytes } from 'node:crypto';
import { swedishDate } from '../../lib/calendar';
import { formatReference } from '../../lib/intake/reference';
import type { ErrandType, Submission } from '../../lib/intake/schema';
import {
  IDEMPOTENCY_STALE_AFTER_MS,
  type IdempotencyClaim,
  type NewSubmission,
  type PhotoInfo,
  type StoredSubmission,
  type SubmissionStatus,
} from './index';

/** A submission row as either database returns it (PostgreSQL gives dates and JSON as values). */
export interface SubmissionRow {
  id: number | string;
  reference: string;
  type: string;
  received_at: string | Date;
  reply_by: string | null;
  handling_unit: string;
  status: string;
  status_token_hash: string;
  payload: string | Submission;
  purged_at?: string | Date | null;
}

export interface PhotoRow {
  public_id: string;
  width: number;
  height: number;
}

export function toPhotoInfo(row: PhotoRow): PhotoInfo {
  return { publicId: row.public_id, width: row.width, height: row.height };
}

/** An unguessable id for a photo's address: knowing it is what lets a page show the photo. */
export function newPhotoId(): string {
  return randomBytes(16).toString('base64url');
}

export function toStoredSubmission(row: SubmissionRow, photos: PhotoInfo[]): StoredSubmission {
  return {
    id: Number(row.id),
    reference: row.reference,
    type: row.type as ErrandType,
    status: row.status as SubmissionStatus,
    submission: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Submission) : row.payload,
    receivedAt: new Date(row.received_at),
    replyBy: row.reply_by,
    handlingUnit: row.handling_unit,
    statusTokenHash: row.status_token_hash,
    photos,
    purgedAt: row.purged_at ? new Date(row.purged_at).toISOString() : null,
  };
}

/** The Swedish year a submission is counted in: references restart at 1 every year. */
export function referenceYear(input: NewSubmission): number {
  return Number(swedishDate(input.receivedAt).slice(0, 4));
}

/** The values of a new submission row, in SUBMISSION_COLUMNS order. */
export function submissionValues(input: NewSubmission, referencePrefix: string, sequence: number): unknown[] {
  const { submission } = input;
  return [
    formatReference(referencePrefix, referenceYear(input), sequence),
    submission.type,
    submission.language,
    input.receivedAt.toISOString(),
    input.replyBy,
    input.handlingUnit,
    input.statusTokenHash,
    submission.type === 'feedback' ? submission.feedbackKind : null,
    submission.type === 'fault_report' ? submission.category : null,
    'unit' in submission ? (submission.unit ?? null) : null,
    JSON.stringify(submission),
    input.open311ClientId ?? null,
  ];
}

/** The columns submissionValues fills. */
export const SUBMISSION_COLUMNS = [
  'reference',
  'type',
  'language',
  'received_at',
  'reply_by',
  'handling_unit',
  'status_token_hash',
  'feedback_kind',
  'category',
  'unit',
  'payload',
  'open311_client_id',
] as const;

/** The minute a request falls in: rate limits count per client and minute. */
export function rateLimitWindow(now: Date): number {
  return Math.floor(now.getTime() / 60_000);
}

/** An idempotency key as stored, with the reference of the submission it completed, if any. */
export interface IdempotencyRow {
  fingerprint: string;
  submission_id: number | string | null;
  status_token: string | null;
  claimed_at: string | Date;
  reference: string | null;
}

/**
 * What a request claiming a key that is already stored gets: the first answer, a refusal, a
 * wait, or (`reclaim`) the key itself when the request that claimed it died without finishing.
 */
export function decideExistingClaim(existing: IdempotencyRow, fingerprint: string, now: Date): IdempotencyClaim | { state: 'reclaim' } {
  if (existing.submission_id !== null && existing.reference !== null && existing.status_token !== null) {
    return existing.fingerprint === fingerprint
      ? { state: 'completed', response: { reference: existing.reference, statusToken: existing.status_token } }
      : { state: 'mismatch' };
  }
  if (now.getTime() - new Date(existing.claimed_at).getTime() > IDEMPOTENCY_STALE_AFTER_MS) return { state: 'reclaim' };
  return existing.fingerprint === fingerprint ? { state: 'in_progress' } : { state: 'mismatch' };
}
