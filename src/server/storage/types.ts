/**
 * The storage's own types, errors and limits, in a module that imports no other storage module
 * but the errand vocabulary: every storage module can use them without an import circle.
 */
import type { ErrandType, Submission } from '../../lib/intake/schema';
import type { IsoDate } from '../../lib/calendar';
import type { ProcessedPhoto } from '../photos';
import type { ErrandStatus, PhotoInfo } from '../../lib/errands';
import type { Channel } from '../../lib/channels';

/** A validated submission with what the intake decided about it, before it has a reference. */
export interface NewSubmission {
  submission: Submission;
  receivedAt: Date;
  replyBy: IsoDate | null;
  handlingUnit: string;
  statusTokenHash: string;
  /** Photos sent with this request. */
  photos: readonly ProcessedPhoto[];
  /** A form token whose waiting photos (sent with an earlier, invalid post of the same form) belong to this submission. */
  pendingPhotosOf?: string | undefined;
  /** The Open311 client the report came through, if it came that way. */
  open311ClientId?: number | undefined;
  /** The way it came. */
  channel: Channel;
  /** A staff member registered it and answered it there and then, closing it in the same step. */
  answeredAtFirstContact?: boolean;
  /** The staff member who registered it (a call, a visit, a letter), if one did. */
  registeredBy?: number | undefined;
  /**
   * The answer that staff member gave there and then: it is stored as the errand's reply, by
   * them, and the errand is closed, in the same transaction that stores it.
   */
  firstContactAnswer?: string | undefined;
  /** Files kept for staff only: a letter's scan, an e-mail's attachments. */
  files?: readonly NewCaseFile[];
  /** The gateway's id of the SMS it came as: taken once, in the errand's transaction. */
  inboundSmsId?: string | undefined;
  /** The e-mail it came as, stored in the same transaction: a second sight of it throws DuplicateInboundMessageError. */
  inboundMessage?: InboundMessage | undefined;
}

/** An e-mail read from the municipality's mailbox, as storage keeps it to take it only once. */
export interface InboundMessage {
  /** Its Message-ID, or `sha256:` and the hash of the raw message when it has none. */
  messageId: string;
  /** What became of it: `errand`, `reply`, `bounce`, or why it was left alone. */
  outcome: string;
  /** The sender's address and the subject, to answer in the same thread; null for mail nobody answers. */
  sender: string | null;
  subject: string | null;
  receivedAt: Date;
}

/** The e-mail was taken before (a second delivery, another instance, a crash before it was moved): nothing was stored. */
export class DuplicateInboundMessageError extends Error {
  override name = 'DuplicateInboundMessageError';
}

/** A file staff keep with an errand, checked by its content before it is stored. */
export interface NewCaseFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** A file kept with an errand, as staff pages list it; the bytes are fetched by `publicId`. */
export interface CaseFileInfo {
  publicId: string;
  fileName: string;
  contentType: string;
  size: number;
}

export type { PhotoInfo };

/** Where an errand stands. */
export type SubmissionStatus = ErrandStatus;

/** A stored submission. */
export interface StoredSubmission extends Omit<
  NewSubmission,
  'photos' | 'pendingPhotosOf' | 'open311ClientId' | 'answeredAtFirstContact' | 'registeredBy' | 'firstContactAnswer' | 'files' | 'inboundMessage' | 'inboundSmsId'
> {
  id: number;
  reference: string;
  type: ErrandType;
  status: SubmissionStatus;
  photos: PhotoInfo[];
  /**
   * When its personal data was removed (gallring, or a person's request); from then on the
   * submission holds no texts or contact details and pages say so instead.
   */
  purgedAt: string | null;
}

/** What a repeated request with the same Idempotency-Key gets back, kept with the key. */
export interface IdempotentResponse {
  reference: string;
  statusToken: string;
}

/** The outcome of claiming an idempotency key before handling a request. */
export type IdempotencyClaim = { state: 'claimed' } | { state: 'in_progress' } | { state: 'mismatch' } | { state: 'completed'; response: IdempotentResponse };

/**
 * The storage cannot serve the request now (locked, disk full or read-only, connection lost),
 * though nothing is wrong with the request: the caller answers 503 and asks to try again.
 */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** Photos of a form that was never sent are kept this long. */
export const PENDING_PHOTO_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * A claimed but unfinished idempotency key whose holder has not refreshed it for this long is
 * taken to be abandoned (its holder crashed on another machine, or lost the database).
 */
export const IDEMPOTENCY_HOLDER_SILENT_MS = 5_000;

/** How often a process refreshes the idempotency keys it holds while their requests are in flight. */
export const IDEMPOTENCY_HEARTBEAT_MS = 1_000;

/** Another process took over an idempotency key while this one held it: nothing was stored, and the repeat gets the other's answer. */
export class IdempotencyClaimLostError extends Error {
  override name = 'IdempotencyClaimLostError';
}

/** How long completed idempotency keys are kept: the API promises at least 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 48 * 60 * 60 * 1000;
