/**
 * Gallring as the municipality's disposal decision allows: the daily job and the CLI purge the
 * errands whose period after closing has passed, an admin purges one errand at the person's
 * request. Every run is a row in retention_runs and a log line, both with counts only.
 */
import type { MunicipalityConfig } from '../config/schema';
import { ERRAND_TYPES } from '../lib/intake/schema';
import { errorKind, logEvent, type LogFields } from './log';
import type { StaffUser } from './storage/cases';
import type { Store } from './storage/index';
import type { RetentionCounts, RetentionTrigger } from './storage/retention';

/** How often the scheduled purge runs, at most: once a day unless RETENTION_INTERVAL_MS says otherwise. */
const SCHEDULE_INTERVAL_MS = Number(process.env['RETENTION_INTERVAL_MS'] ?? 24 * 60 * 60 * 1000);

/** The instant `months` calendar months before `now`: errands closed before it are due. */
export function monthsBefore(now: Date, months: number): Date {
  const instant = new Date(now);
  instant.setUTCMonth(instant.getUTCMonth() - months);
  return instant;
}

function logFields(counts: RetentionCounts): LogFields {
  return {
    ...Object.fromEntries(Object.entries(counts.errands).map(([type, count]) => [`errands_${type}`, count])),
    ...Object.fromEntries(Object.entries(counts.rows).map(([step, count]) => [`rows_${step}`, count])),
  };
}

function addRows(counts: RetentionCounts, rows: Record<string, number>): void {
  for (const [step, count] of Object.entries(rows)) counts.rows[step] = (counts.rows[step] ?? 0) + count;
}

async function reclaim(store: Store): Promise<void> {
  // The purge itself is committed; a failed VACUUM or checkpoint is retried by the next run.
  await store.reclaimPurgedSpace().catch((error: unknown) => logEvent('warn', 'retention_reclaim_failed', { error: errorKind(error) }));
}

/** What a run did, or, for a dry run, would do. */
export interface RetentionOutcome {
  dryRun: boolean;
  counts: RetentionCounts;
}

/**
 * Purges every errand that is due under the configured decision, each in its own transaction;
 * with `dryRun`, only counts them. Undefined when no decision is configured: then nothing is
 * ever removed.
 */
export async function runRetention(store: Store, config: MunicipalityConfig, trigger: Exclude<RetentionTrigger, 'admin'>, options: { now: Date; dryRun?: boolean }): Promise<RetentionOutcome | undefined> {
  const { retention } = config;
  if (!retention) return undefined;
  const { now, dryRun = false } = options;
  const counts: RetentionCounts = { errands: {}, rows: {} };
  const due = [];
  for (const type of ERRAND_TYPES) {
    const months = retention.monthsAfterClosed[type];
    if (months === undefined) continue;
    const ids = await store.errandsDueForPurge(type, monthsBefore(now, months));
    counts.errands[type] = dryRun ? ids.length : 0;
    due.push(...ids);
  }
  if (dryRun) {
    logEvent('info', 'retention_dry_run', { trigger, decision: retention.decision.reference, ...logFields(counts) });
    return { dryRun, counts };
  }
  const runId = await store.startRetentionRun(trigger, retention.decision.reference, now);
  for (const id of due) {
    const purged = await store.purgeErrand(id, now);
    if (!purged) continue;
    counts.errands[purged.type] = (counts.errands[purged.type] ?? 0) + 1;
    addRows(counts, purged.rows);
  }
  await store.finishRetentionRun(runId, counts, new Date());
  await reclaim(store);
  logEvent('info', 'retention_run', { trigger, decision: retention.decision.reference, ...logFields(counts) });
  return { dryRun, counts };
}

let scheduledRunning = false;

/**
 * The daily purge, from the background interval: it runs when no scheduled run of any instance
 * has finished within the interval (a run that failed is tried again on the next tick), and never
 * twice at once in one process.
 */
export async function runScheduledRetention(store: Store, config: MunicipalityConfig): Promise<void> {
  if (!config.retention || scheduledRunning) return;
  scheduledRunning = true;
  try {
    const now = new Date();
    const last = await store.lastRetentionRun('schedule');
    if (last !== undefined && now.getTime() - new Date(last).getTime() < SCHEDULE_INTERVAL_MS) return;
    await runRetention(store, config, 'schedule', { now });
  } finally {
    scheduledRunning = false;
  }
}

/**
 * An admin carries out a person's request to be forgotten for one errand, whatever the
 * configured periods say; the history records who did it and when, with no personal data.
 * False when the errand was already purged.
 */
export async function forgetErrand(store: Store, config: MunicipalityConfig, submissionId: number, admin: StaffUser): Promise<boolean> {
  const now = new Date();
  const runId = await store.startRetentionRun('admin', config.retention?.decision.reference ?? null, now);
  const purged = await store.purgeErrand(submissionId, now, { actor: 'staff', staffUserId: admin.id, kind: 'personal_data_removed', data: { reason: 'request' } });
  const counts: RetentionCounts = { errands: {}, rows: {} };
  if (purged) {
    counts.errands[purged.type] = 1;
    addRows(counts, purged.rows);
  }
  await store.finishRetentionRun(runId, counts, new Date());
  if (purged) await reclaim(store);
  logEvent('info', 'retention_run', { trigger: 'admin', ...logFields(counts) });
  return purged !== undefined;
}
