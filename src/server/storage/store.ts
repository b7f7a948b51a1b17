/**
 * The storage every server instance shares, put together once from the parts written on the
 * shared Sql; the SQLite and PostgreSQL modules add only how they check their health, reclaim purged space and close.
 */
import { createAggregateStore, type AggregateStore } from './aggregates';
import { createCaseStore, type CaseStore } from './cases';
import { createFaultReportStore, type FaultReportStore } from './fault-reports';
import { createFollowUpStore, type FollowUpStore } from './follow-up';
import { createIntakeStore, type IntakeStore } from './intake';
import { createInboundMailStore, type InboundMailStore } from './inbound-mail';
import { createOpen311ClientStore, type Open311ClientStore } from './open311-clients';
import { createPageFeedbackStore, type PageFeedbackStore } from './page-feedback';
import { createProposalStore, type ProposalStore } from './proposals';
import { createRetentionStore, type RetentionStore } from './retention';
import { createSmsStore, type SmsStore } from './sms';
import type { Sql } from './sql';

/** The storage every server instance shares. */
export interface Store
  extends IntakeStore, CaseStore, AggregateStore, PageFeedbackStore, ProposalStore, FaultReportStore, RetentionStore, Open311ClientStore, FollowUpStore, InboundMailStore, SmsStore, StoreConnection {}

/** What only the database's own module knows: whether it can take a write now, and how to let go of it. */
export interface StoreConnection {
  /** Throws StorageUnavailableError when the storage cannot take a write now. */
  checkHealth(): Promise<void>;
  /**
   * Makes what a retention run removed unreadable in the files too. SQLite zeroes deleted content
   * as it goes (secure_delete); the checkpoint moves it out of the write-ahead log and empties the
   * log. PostgreSQL keeps old row versions until VACUUM, which cannot run inside a transaction.
   */
  reclaimPurgedSpace(): Promise<void>;
  close(): Promise<void>;
}

/** The whole Store on `sql`, with the connection's own health check and close. */
export function composeStore(sql: Sql, connection: StoreConnection): Store {
  return {
    ...createCaseStore(sql),
    ...createPageFeedbackStore(sql),
    ...createFollowUpStore(sql),
    ...createProposalStore(sql),
    ...createFaultReportStore(sql),
    ...createRetentionStore(sql),
    ...createOpen311ClientStore(sql),
    ...createIntakeStore(sql),
    ...createAggregateStore(sql),
    ...createInboundMailStore(sql),
    ...createSmsStore(sql),
    checkHealth: () => connection.checkHealth(),
    reclaimPurgedSpace: () => connection.reclaimPurgedSpace(),
    close: () => connection.close(),
  };
}
