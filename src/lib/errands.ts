/**
 * The vocabulary of errands, shared by browser and server: the statuses an errand passes
 * through, the roles of the people who handle them and what each role may do, the kinds of
 * entry in an errand's history, the errand as pages show it, and the rules that follow from its
 * status (is it still open, is it overdue).
 */
import type { IsoDate } from './calendar';
import type { Submission } from './intake/schema';

export const ERRAND_STATUSES = ['received', 'in_progress', 'answered', 'closed'] as const;
export type ErrandStatus = (typeof ERRAND_STATUSES)[number];

/**
 * Statuses of an errand still being dealt with: its sender waits for an answer, and for a
 * fault report its reporter and supporters wait for the fix.
 */
export const OPEN_STATUSES: readonly ErrandStatus[] = ['received', 'in_progress'];

export const STAFF_ROLES = ['caseworker', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Managers and admins follow up; caseworkers handle errands. */
export function mayFollowUp(user: { role: StaffRole }): boolean {
  return user.role === 'manager' || user.role === 'admin';
}

/** Only an admin issues and revokes the keys of Open311 clients. */
export function mayManageOpen311Clients(user: { role: StaffRole }): boolean {
  return user.role === 'admin';
}

/** Only an admin removes an errand's personal data at the person's request. */
export function mayForget(user: { role: StaffRole }): boolean {
  return user.role === 'admin';
}

/** The kinds of entry in an errand's history. */
export const EVENT_KINDS = ['assigned', 'status_changed', 'reclassified', 'note', 'reply', 'resident_reply', 'rating', 'published', 'personal_data_removed', 'undeliverable'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Entries the person who sent the errand sees on the status page; notes and assignments stay internal. */
export const PUBLIC_EVENT_KINDS: ReadonlySet<EventKind> = new Set(['status_changed', 'reply', 'resident_reply', 'reclassified', 'published']);

/** A stored photo as pages list it; the bytes are fetched by `publicId`. */
export interface PhotoInfo {
  publicId: string;
  width: number;
  height: number;
}

/** An errand as the receipt, the status page and the staff page show it: what was sent, and what was decided about it. */
export interface ErrandSummary {
  submission: Submission;
  receivedAt: Date;
  handlingUnit: string;
  replyBy: IsoDate | null;
  /** When its personal data was removed; the texts and contact details are gone from then on. */
  purgedAt: string | null;
  photos: PhotoInfo[];
}

/** An errand is overdue when it is still open after its reply-by day has passed. */
export function isOverdue(errand: { replyBy: IsoDate | null; status: ErrandStatus }, today: IsoDate): boolean {
  return errand.replyBy !== null && errand.replyBy < today && OPEN_STATUSES.includes(errand.status);
}

/**
 * The same rule as `isOverdue`, as an SQL condition for the queries that filter and count
 * overdue errands, with today as its one parameter; `table` prefixes the columns (`s.`) when
 * the query joins. The statuses are written out, not bound, so a partial index on them can serve it.
 */
export function overdueSql(today: IsoDate, table = ''): { sql: string; params: [IsoDate] } {
  const statuses = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');
  return { sql: `(${table}reply_by IS NOT NULL AND ${table}reply_by < ? AND ${table}status IN (${statuses}))`, params: [today] };
}
