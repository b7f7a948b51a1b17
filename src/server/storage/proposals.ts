/**
 * Published e-proposals and their supporters. A supporter is known only by an HMAC of their
 * e-mail address, so one address supports a proposal once; a support counts when the link sent
 * to that address is confirmed. Passing the threshold and closing are each recorded once, in the
 * same transaction as the e-mail that tells the proposer.
 */
import type { IsoDate } from '../../lib/calendar';
import { emailValues, INSERT_EMAIL_SQL, type OutgoingEmail } from './cases';
import type { StoredSubmission } from './types';
import { toStoredSubmission, type SubmissionRow } from './records';
import type { Sql } from './sql';

export interface PublishedProposal {
  stored: StoredSubmission;
  publishedAt: string;
  closesOn: IsoDate;
  supports: number;
  closed: boolean;
}

export type SupportRequest = 'pending' | 'already' | 'closed';

export type SupportConfirmation =
  | { outcome: 'confirmed' | 'already'; reference: string }
  | { outcome: 'closed'; reference: string }
  | { outcome: 'unknown' };

export interface ProposalStore {
  publishedProposals(): Promise<PublishedProposal[]>;
  publishedProposal(reference: string): Promise<PublishedProposal | undefined>;
  /** Records a request to support, with the e-mail that asks to confirm it. */
  requestSupport(submissionId: number, supporter: string, tokenHash: string, today: IsoDate, email: OutgoingEmail, now: Date): Promise<SupportRequest>;
  /**
   * Confirms a support by its link; when the count reaches `threshold` for the first time, the
   * proposer's e-mail (from `thresholdEmail`) is queued with it.
   */
  confirmSupport(
    tokenHash: string,
    today: IsoDate,
    now: Date,
    threshold: number,
    thresholdEmail: (proposal: PublishedProposal) => OutgoingEmail | undefined,
  ): Promise<SupportConfirmation>;
  /** Closes the proposals whose last day has passed, each with the proposer's e-mail; returns how many. */
  closeDueProposals(today: IsoDate, now: Date, closedEmail: (proposal: PublishedProposal) => OutgoingEmail | undefined): Promise<number>;
}

type ProposalRow = SubmissionRow & { published_at: string; closes_on: IsoDate; closed_at: string | null; supports: number | string };

const SELECT_PUBLISHED = `SELECT s.*, (SELECT COUNT(*) FROM proposal_supports p WHERE p.submission_id = s.id AND p.confirmed_at IS NOT NULL) AS supports
                            FROM submissions s WHERE s.type = 'proposal' AND s.published_at IS NOT NULL`;

function toProposal(row: ProposalRow): PublishedProposal {
  return { stored: toStoredSubmission(row, []), publishedAt: row.published_at, closesOn: row.closes_on, supports: Number(row.supports), closed: row.closed_at !== null };
}

/** Open: published, not closed, and the last day not passed. */
const isOpen = (proposal: PublishedProposal, today: IsoDate) => !proposal.closed && proposal.closesOn >= today;

export function createProposalStore(sql: Sql): ProposalStore {
  const byId = async (tx: Sql, id: number) => {
    const row = await tx.get<ProposalRow>(`${SELECT_PUBLISHED} AND s.id = ?`, [id]);
    return row && toProposal(row);
  };
  return {
    async publishedProposals() {
      return (await sql.all<ProposalRow>(`${SELECT_PUBLISHED} ORDER BY s.published_at DESC, s.id DESC`)).map(toProposal);
    },
    async publishedProposal(reference) {
      const row = await sql.get<ProposalRow>(`${SELECT_PUBLISHED} AND s.reference = ?`, [reference]);
      return row && toProposal(row);
    },
    async requestSupport(submissionId, supporter, tokenHash, today, email, now) {
      return sql.transaction(async (tx) => {
        const proposal = await byId(tx, submissionId);
        if (!proposal || !isOpen(proposal, today)) return 'closed';
        const existing = await tx.get<{ confirmed_at: string | null }>('SELECT confirmed_at FROM proposal_supports WHERE submission_id = ? AND supporter = ?', [
          submissionId,
          supporter,
        ]);
        if (existing?.confirmed_at) return 'already';
        // A new link replaces an unconfirmed one: only the latest e-mail's link counts.
        if (existing) await tx.run('UPDATE proposal_supports SET token_hash = ?, created_at = ? WHERE submission_id = ? AND supporter = ?', [tokenHash, now, submissionId, supporter]);
        else await tx.run('INSERT INTO proposal_supports (submission_id, supporter, token_hash, created_at) VALUES (?, ?, ?, ?)', [submissionId, supporter, tokenHash, now]);
        await tx.run(INSERT_EMAIL_SQL, emailValues(submissionId, email, now));
        return 'pending';
      });
    },
    async confirmSupport(tokenHash, today, now, threshold, thresholdEmail) {
      return sql.transaction(async (tx): Promise<SupportConfirmation> => {
        const support = await tx.get<{ submission_id: number | string; confirmed_at: string | null }>(
          'SELECT submission_id, confirmed_at FROM proposal_supports WHERE token_hash = ?',
          [tokenHash],
        );
        if (!support) return { outcome: 'unknown' };
        const id = Number(support.submission_id);
        const proposal = await byId(tx, id);
        if (!proposal) return { outcome: 'unknown' };
        const reference = proposal.stored.reference;
        if (support.confirmed_at) return { outcome: 'already', reference };
        if (!isOpen(proposal, today)) return { outcome: 'closed', reference };
        await tx.run('UPDATE proposal_supports SET confirmed_at = ? WHERE token_hash = ?', [now, tokenHash]);
        const counted = { ...proposal, supports: proposal.supports + 1 };
        if (counted.supports >= threshold && (await tx.run('UPDATE submissions SET threshold_reached_at = ? WHERE id = ? AND threshold_reached_at IS NULL', [now, id])) === 1) {
          const email = thresholdEmail(counted);
          if (email) await tx.run(INSERT_EMAIL_SQL, emailValues(id, email, now));
        }
        return { outcome: 'confirmed', reference };
      });
    },
    async closeDueProposals(today, now, closedEmail) {
      const due = await sql.all<{ id: number | string }>("SELECT id FROM submissions WHERE type = 'proposal' AND published_at IS NOT NULL AND closed_at IS NULL AND closes_on < ?", [today]);
      let closed = 0;
      for (const { id } of due) {
        await sql.transaction(async (tx) => {
          // Another instance may have closed it meanwhile: only the one that closes it sends the e-mail.
          if ((await tx.run('UPDATE submissions SET closed_at = ? WHERE id = ? AND closed_at IS NULL', [now, id])) !== 1) return;
          closed += 1;
          const proposal = await byId(tx, Number(id));
          const email = proposal && closedEmail(proposal);
          if (email) await tx.run(INSERT_EMAIL_SQL, emailValues(Number(id), email, now));
        });
      }
      return closed;
    },
  };
}
