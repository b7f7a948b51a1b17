/**
 * Storage behind one interface, so the same intake runs on an embedded SQLite file or on a
 * shared PostgreSQL database. Implementations commit durably before they return: the intake
 * acknowledges a submission only after `createSubmission` has resolved.
 */
import type { ErrandType, Submission } from '../../lib/intake/schema';
import type { IsoDate } from '../../lib/calendar';
import type { ProcessedPhoto } from '../photos';
import type { AggregateStore } from './aggregates';
import type { CaseStore, ErrandStatus, OutgoingEmail } from './cases';
import type { FaultReportStore } from './fault-reports';
import type { Open311ClientStore } from './open311-clients';
import type { FollowUpStore } from './follow-up';
import type { PageFeedbackStore } from './page-feedback';
import type { ProposalStore } from './proposals';
import type { RetentionStore } from './retention';

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
}

/** A stored photo as pages list it; the bytes are fetched by `publicId`. */
export interface PhotoInfo {
  publicId: string;
  width: number;
  height: number;
}

/** Where an errand stands. */
export type SubmissionStatus = ErrandStatus;

/** A stored submission. */
export interface StoredSubmission extends Omit<NewSubmission, 'photos' | 'pendingPhotosOf' | 'open311ClientId'> {
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
export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in_progress' }
  | { state: 'mismatch' }
  | { state: 'completed'; response: IdempotentResponse };

/** The storage every server instance shares. */
export interface Store extends CaseStore, PageFeedbackStore, ProposalStore, FaultReportStore, RetentionStore, Open311ClientStore, FollowUpStore, AggregateStore {
  /**
   * Claims `key` for this server process, for a request whose body has `fingerprint`. A claim
   * whose holder is gone is taken over: at once when the holder was a process on this machine
   * that no longer runs (the server restarted after a crash), otherwise once the holder has been
   * silent for IDEMPOTENCY_HOLDER_SILENT_MS (a live holder refreshes its claims while it works).
   */
  claimIdempotencyKey(key: string, fingerprint: string, now: Date): Promise<IdempotencyClaim>;
  /** Gives a key this process claimed back, when the request it guarded stored nothing. */
  releaseIdempotencyKey(key: string): Promise<void>;
  /**
   * Stores a submission and gives it the next reference of its year, atomically and durably;
   * with a key, the key is completed in the same transaction, so a repeat finds the answer;
   * the acknowledgement e-mail, if any, is queued in it too, so it is never lost or sent for nothing.
   * Throws IdempotencyClaimLostError, storing nothing, when another process took the key over
   * meanwhile: so a key never completes twice, and a request never stores two errands.
   */
  createSubmission(
    input: NewSubmission,
    referencePrefix: string,
    idempotency?: { key: string; statusToken: string },
    acknowledgement?: (stored: StoredSubmission) => OutgoingEmail | undefined,
  ): Promise<StoredSubmission>;
  /**
   * Keeps photos of a form that came back with errors, so the person need not choose them
   * again; photos never attached to a submission are removed after a day.
   */
  addPendingPhotos(formToken: string, photos: readonly ProcessedPhoto[], now: Date): Promise<PhotoInfo[]>;
  /** The photos waiting under a form token, oldest first. */
  pendingPhotos(formToken: string): Promise<PhotoInfo[]>;
  /** Drops waiting photos the person removed from the form. */
  discardPendingPhotos(formToken: string, publicIds: readonly string[]): Promise<void>;
  /** A photo's bytes, by its public id. */
  photo(publicId: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  /** The submission a status link points at (the first link, or one sent later by e-mail), by the hash of the link's token. */
  findSubmissionByStatusTokenHash(tokenHash: string): Promise<StoredSubmission | null>;
  /**
   * Counts one request of a client in the current minute and returns the minute's count so far;
   * kept in the database so every instance behind a load balancer counts the same client.
   */
  countRequest(clientKey: string, now: Date): Promise<number>;
  /** A random secret every instance shares, created on first use (it signs form start times). */
  sharedSecret(name: string): Promise<Buffer>;
  /** Throws StorageUnavailableError when the storage cannot take a write now. */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}

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

/**
 * Opens the storage named by a DATABASE_URL: `sqlite:<path>` (the default is a file under
 * ./data/) or `postgres://…` / `postgresql://…`. Migrations are applied before it is returned.
 */
export async function openStore(databaseUrl: string | undefined): Promise<Store> {
  const url = databaseUrl?.trim() || 'sqlite:data/en-vag-in.sqlite';
  if (url.startsWith('sqlite:')) {
    const { openSqliteStore } = await import('./sqlite');
    return openSqliteStore(url.slice('sqlite:'.length));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore(url);
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}
