/**
 * Fault reports as the public sees them — category, place, dates, status and how many share the
 * problem, never who reported it or what else they wrote — and "this is my problem too": a
 * support of an open report, with an e-mail address kept only until the notice that it is fixed
 * has gone out. Written once for both databases on the shared Sql.
 */
import type { IsoDate } from '../../lib/calendar';
import { OPEN_STATUSES, type ErrandStatus } from '../../lib/errands';
import type { Submission } from '../../lib/intake/schema';
import { keysetPage, NEWEST_FIRST, type PageInfo, type PageRequest } from './keyset';
import type { Sql } from './sql';

/** A fault report without anything that could tell who sent it. */
export interface PublicFaultReport {
  reference: string;
  category: string;
  /** The place as the reporter described it. */
  place: string;
  lat: number | null;
  lon: number | null;
  status: ErrandStatus;
  receivedAt: string;
  /** The Swedish date the reporter is promised a reply by; null when no reply is promised (anonymous). */
  replyBy: IsoDate | null;
  /** When anything last happened to it: the newest history entry, or its arrival. */
  updatedAt: string;
  /** How many others said "this is my problem too". */
  supports: number;
}

export interface FaultReportFilter {
  references?: readonly string[];
  categories?: readonly string[];
  statuses?: readonly ErrandStatus[];
  /** Received at or after. */
  receivedFrom?: Date;
  /** Received before. */
  receivedBefore?: Date;
  limit: number;
  /** Which page, newest first; the first when absent. */
  page?: PageRequest;
}

export type FaultSupportOutcome = 'added' | 'already' | 'closed' | 'unknown';

export interface FaultReportStore {
  /** A page of the fault reports matching `filter`, newest first, as the public may see them, with how many match in all. */
  publicFaultReports(filter: FaultReportFilter): Promise<{ reports: PublicFaultReport[]; total: number; page: PageInfo }>;
  /**
   * Adds a "this is my problem too" to an open fault report. With an e-mail address, the
   * person is told when it is fixed; one address supports a report once.
   */
  addFaultSupport(reference: string, supporter: { email: string | null; language: string }, now: Date): Promise<FaultSupportOutcome>;
}

interface FaultReportRow {
  reference: string;
  category: string;
  status: ErrandStatus;
  received_at: string;
  reply_by: string | null;
  updated_at: string | null;
  supports: number | string;
  payload: string | Submission;
}

/** Only the public parts of a stored fault report leave this module. */
function toPublicFaultReport(row: FaultReportRow): PublicFaultReport {
  const submission = typeof row.payload === 'string' ? (JSON.parse(row.payload) as Submission) : row.payload;
  const location = submission.type === 'fault_report' ? submission.location : undefined;
  return {
    reference: row.reference,
    category: row.category,
    place: location?.description ?? '',
    lat: location?.lat ?? null,
    lon: location?.lon ?? null,
    status: row.status,
    receivedAt: new Date(row.received_at).toISOString(),
    replyBy: row.reply_by,
    updatedAt: new Date(row.updated_at ?? row.received_at).toISOString(),
    supports: Number(row.supports),
  };
}

/**
 * The conditions of a fault report query. Each category and status asked for is a branch of its
 * own (one seek each in the index on type, category, status and arrival); references and the
 * arrival period are plain conditions.
 */
function conditionsOf(filter: FaultReportFilter): { where: string[]; params: unknown[]; branches: { where: string; params: unknown[] }[] } {
  // Once gallring has removed its place, a report has nothing left to show the public.
  const where = ["s.type = 'fault_report'", 's.purged_at IS NULL'];
  const params: unknown[] = [];
  const empty = [filter.references, filter.categories, filter.statuses].some((values) => values?.length === 0);
  if (empty) where.push('1 = 0');
  if (filter.references?.length) {
    where.push(`s.reference IN (${filter.references.map(() => '?').join(', ')})`);
    params.push(...filter.references);
  }
  if (filter.receivedFrom) {
    where.push('s.received_at >= ?');
    params.push(filter.receivedFrom);
  }
  if (filter.receivedBefore) {
    where.push('s.received_at < ?');
    params.push(filter.receivedBefore);
  }
  const categories: (string | undefined)[] = filter.categories?.length ? [...filter.categories] : [undefined];
  const statuses: (ErrandStatus | undefined)[] = filter.statuses?.length ? [...filter.statuses] : [undefined];
  const branches = categories.flatMap((category) =>
    statuses.map((status) => ({
      where: [...(category === undefined ? [] : ['s.category = ?']), ...(status === undefined ? [] : ['s.status = ?'])].join(' AND '),
      params: [...(category === undefined ? [] : [category]), ...(status === undefined ? [] : [status])],
    })),
  );
  return { where, params, branches: branches.length === 1 && branches[0]!.where === '' ? [] : branches };
}

/**
 * How many fault reports match: from the maintained counts, unless the filter names references or
 * a period (those count the matching rows, which their index bounds).
 */
async function faultReportTotal(sql: Sql, filter: FaultReportFilter, conditions: ReturnType<typeof conditionsOf>): Promise<number> {
  const oneOf = (column: string, values: readonly unknown[] | undefined) => (values?.length ? { sql: ` AND ${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] } : { sql: '', params: [] });
  if (filter.references !== undefined || filter.receivedFrom || filter.receivedBefore || conditions.where.includes('1 = 0')) {
    const branches = conditions.branches.length > 0 ? ` AND ((${conditions.branches.map((branch) => branch.where).join(') OR (')}))` : '';
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM submissions s WHERE ${conditions.where.join(' AND ')}${branches}`, [
      ...conditions.params,
      ...conditions.branches.flatMap((branch) => branch.params),
    ]);
    return Number(row?.n ?? 0);
  }
  const categories = oneOf('category', filter.categories);
  const statuses = oneOf('status', filter.statuses);
  const row = await sql.get<{ n: number | string | null }>(`SELECT SUM(n) AS n FROM submission_counts WHERE type = 'fault_report' AND purged = 0${categories.sql}${statuses.sql}`, [
    ...categories.params,
    ...statuses.params,
  ]);
  return Number(row?.n ?? 0);
}

export function createFaultReportStore(sql: Sql): FaultReportStore {
  return {
    async publicFaultReports(filter) {
      const conditions = conditionsOf(filter);
      const { rows, ...page } = await keysetPage<FaultReportRow & Record<string, unknown>>(
        sql,
        {
          select: `SELECT s.id, s.reference, s.category, s.status, s.received_at, s.reply_by, s.payload,
                          (SELECT MAX(e.created_at) FROM submission_events e WHERE e.submission_id = s.id) AS updated_at,
                          (SELECT COUNT(*) FROM fault_supports f WHERE f.submission_id = s.id) AS supports
                     FROM submissions s`,
          ...conditions,
        },
        NEWEST_FIRST,
        filter.page ?? { at: 'start' },
        filter.limit,
      );
      return { reports: rows.map(toPublicFaultReport), total: await faultReportTotal(sql, filter, conditions), page };
    },
    async addFaultSupport(reference, supporter, now) {
      return sql.transaction(async (tx): Promise<FaultSupportOutcome> => {
        const report = await tx.get<{ id: number | string; status: ErrandStatus }>("SELECT id, status FROM submissions WHERE reference = ? AND type = 'fault_report'", [reference]);
        if (!report) return 'unknown';
        if (!OPEN_STATUSES.includes(report.status)) return 'closed';
        const email = supporter.email?.trim().toLowerCase() || null;
        if (email !== null && (await tx.get('SELECT 1 AS found FROM fault_supports WHERE submission_id = ? AND email = ?', [report.id, email]))) return 'already';
        await tx.run('INSERT INTO fault_supports (submission_id, email, language, created_at) VALUES (?, ?, ?, ?)', [report.id, email, supporter.language, now]);
        return 'added';
      });
    },
  };
}

/** The supporters of a fault report still waiting to be told it is fixed. */
export async function supportersToNotify(tx: Sql, submissionId: number): Promise<{ id: number; email: string; language: string }[]> {
  const rows = await tx.all<{ id: number | string; email: string; language: string }>(
    'SELECT id, email, language FROM fault_supports WHERE submission_id = ? AND email IS NOT NULL AND notified_at IS NULL ORDER BY id',
    [submissionId],
  );
  return rows.map((row) => ({ id: Number(row.id), email: row.email, language: row.language }));
}

/** Records that a supporter was told, and forgets their address: it was kept for that notice alone. */
export async function markSupporterNotified(tx: Sql, supportId: number, now: Date): Promise<void> {
  await tx.run('UPDATE fault_supports SET email = NULL, notified_at = ? WHERE id = ?', [now, supportId]);
}
