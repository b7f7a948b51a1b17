/**
 * The e-mail read from the municipality's mailbox, written once for both databases on the shared
 * Sql: each message is stored once under its Message-ID, in the same transaction as the errand
 * or history entry it became, so no crash or second reader can take it twice; and the threads
 * the portal's own messages belong to.
 */
import { placeholders, type Sql } from './sql';
import { DuplicateInboundMessageError, type InboundMessage } from './types';

/** Stores `message` as taken, for `submissionId` (or none); throws DuplicateInboundMessageError when it was taken before. */
export async function insertInboundMessage(sql: Sql, submissionId: number | null, message: InboundMessage): Promise<void> {
  const inserted = await sql.run(
    `INSERT INTO inbound_messages (message_id, submission_id, outcome, sender, subject, received_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (message_id) DO NOTHING`,
    [message.messageId, submissionId, message.outcome, message.sender, message.subject, message.receivedAt],
  );
  if (inserted === 0) throw new DuplicateInboundMessageError();
}

/** The e-mail thread of an errand that came by e-mail: what the portal's messages to the person answer. */
export interface EmailThread {
  /** The errand's reference, which the portal's subjects in the thread carry. */
  reference: string;
  /** The address the person wrote from. */
  sender: string;
  /** The subject of their first message, as they wrote it. */
  subject: string;
  /** Their messages' Message-IDs, oldest first. */
  messageIds: string[];
}

export interface InboundMailStore {
  /** Whether a message with this id was taken before. */
  inboundMessageTaken(messageId: string): Promise<boolean>;
  /** Records a message that became no errand (ignored, not understood); false when it was taken before. */
  recordInboundMessage(message: InboundMessage): Promise<boolean>;
  /** The errand and recipient of the portal's e-mail with one of these Message-ID left parts, the newest first. */
  sentEmailByToken(tokens: readonly string[]): Promise<{ submissionId: number; reference: string; recipient: string } | undefined>;
  /** The thread of an errand that came by e-mail, or undefined for any other errand. */
  emailThread(submissionId: number): Promise<EmailThread | undefined>;
}

export function createInboundMailStore(sql: Sql): InboundMailStore {
  return {
    async inboundMessageTaken(messageId) {
      return (await sql.get('SELECT 1 AS taken FROM inbound_messages WHERE message_id = ?', [messageId])) !== undefined;
    },
    async recordInboundMessage(message) {
      try {
        await insertInboundMessage(sql, null, message);
        return true;
      } catch (error) {
        if (error instanceof DuplicateInboundMessageError) return false;
        throw error;
      }
    },
    async sentEmailByToken(tokens) {
      if (tokens.length === 0) return undefined;
      const row = await sql.get<{ submission_id: number | string; reference: string; recipient: string }>(
        `SELECT e.submission_id, s.reference, e.recipient FROM outgoing_emails e JOIN submissions s ON s.id = e.submission_id
          WHERE e.message_token IN (${placeholders(tokens.length)}) ORDER BY e.id DESC LIMIT 1`,
        [...tokens],
      );
      return row && { submissionId: Number(row.submission_id), reference: row.reference, recipient: row.recipient };
    },
    async emailThread(submissionId) {
      const rows = await sql.all<{ message_id: string; outcome: string; sender: string | null; subject: string | null; reference: string }>(
        `SELECT m.message_id, m.outcome, m.sender, m.subject, s.reference
           FROM inbound_messages m JOIN submissions s ON s.id = m.submission_id
          WHERE m.submission_id = ? AND m.outcome IN ('errand', 'reply') ORDER BY m.id`,
        [submissionId],
      );
      const first = rows[0];
      if (first?.outcome !== 'errand' || first.sender === null) return undefined;
      return { reference: first.reference, sender: first.sender, subject: first.subject ?? '', messageIds: rows.map((row) => row.message_id).filter((id) => !id.startsWith('sha256:')) };
    },
  };
}
