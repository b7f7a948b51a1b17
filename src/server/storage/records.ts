/**
 * What both storage implementations write and read the same way: the columns of a submission
 * row, how a row becomes a StoredSubmission, and the ids photos are fetched by.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { logEvent } from '../log';
import { swedishDate } from '../../lib/calendar';
import { isChannel } from '../../lib/channels';
import { formatReference } from '../../lib/intake/reference';
import type { ErrandType, Submission } from '../../lib/intake/schema';
import {
  IDEMPOTENCY_HEARTBEAT_MS,
  IDEMPOTENCY_HOLDER_SILENT_MS,
  type IdempotencyClaim,
  type NewSubmission,
  type PhotoInfo,
  type StoredSubmission,
  type SubmissionStatus,
} from './types';

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
  channel?: string;
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
    channel: isChannel(row.channel) ? row.channel : 'web',
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
    input.channel,
    input.answeredAtFirstContact === true || input.firstContactAnswer !== undefined ? 1 : 0,
    input.registeredBy ?? null,
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
  'channel',
  'answered_at_first_contact',
  'registered_by',
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
  /** When the claim was made or last refreshed by its holder. */
  claimed_at: string | Date;
  /** The process that holds the claim (null for claims made before holders were recorded). */
  holder_id: string | null;
  holder_host: string | null;
  holder_pid: number | string | null;
  reference: string | null;
}

/** This server process as the holder of idempotency claims: an id made at start, its machine and process id. */
export const CLAIM_HOLDER = { id: randomUUID(), host: hostname(), pid: process.pid } as const;

/** Whether a process with this id runs on this machine (one of another user still counts as running). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the holder of an unfinished claim is gone. On this machine that is known at once: a
 * holder with our process id but another instance id is an earlier life of this process (a
 * container restarts with the same pid), and a holder whose process no longer runs crashed.
 * A holder elsewhere (another instance on PostgreSQL) is gone once it stopped refreshing.
 */
function holderIsGone(existing: IdempotencyRow, now: Date): boolean {
  if (now.getTime() - new Date(existing.claimed_at).getTime() > IDEMPOTENCY_HOLDER_SILENT_MS) return true;
  if (existing.holder_id === null || existing.holder_host !== CLAIM_HOLDER.host || existing.holder_pid === null) return false;
  const pid = Number(existing.holder_pid);
  return pid === CLAIM_HOLDER.pid ? existing.holder_id !== CLAIM_HOLDER.id : !processRuns(pid);
}

/**
 * What a request claiming a key that is already stored gets: the first answer, a refusal, a
 * wait, or (`reclaim`) the key itself when the process that claimed it is gone without finishing.
 */
export function decideExistingClaim(existing: IdempotencyRow, fingerprint: string, now: Date): IdempotencyClaim | { state: 'reclaim' } {
  if (existing.submission_id !== null && existing.reference !== null && existing.status_token !== null) {
    return existing.fingerprint === fingerprint
      ? { state: 'completed', response: { reference: existing.reference, statusToken: existing.status_token } }
      : { state: 'mismatch' };
  }
  if (holderIsGone(existing, now)) return { state: 'reclaim' };
  return existing.fingerprint === fingerprint ? { state: 'in_progress' } : { state: 'mismatch' };
}

/**
 * The keys this process holds while their requests are in flight, refreshed every
 * IDEMPOTENCY_HEARTBEAT_MS by `refresh` so no other process takes them over; the timer runs only
 * while a key is held, so an idle server writes nothing.
 */
export function claimHeartbeat(refresh: (now: Date) => Promise<unknown>): { hold(key: string): void; drop(key: string): void } {
  const held = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  return {
    hold(key) {
      held.add(key);
      timer ??= setInterval(() => {
        refresh(new Date()).catch((error: unknown) => logEvent('warn', 'idempotency_refresh_failed', { reason: (error as Error).name }));
      }, IDEMPOTENCY_HEARTBEAT_MS).unref();
    },
    drop(key) {
      held.delete(key);
      if (held.size > 0 || timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
