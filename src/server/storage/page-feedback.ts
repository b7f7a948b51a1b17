/**
 * "Was this page helpful?": a yes or no per page and language, and an optional comment added
 * afterwards by whoever holds the answer's random token. Nothing identifies the person.
 */
import type { Sql } from './sql';

export interface PageFeedbackStore {
  addPageFeedback(entry: { token: string; page: string; language: string; helpful: boolean }, now: Date): Promise<void>;
  /** Adds the comment to an answer that has none yet; false when there is no such answer. */
  commentPageFeedback(token: string, comment: string): Promise<boolean>;
}

export function createPageFeedbackStore(sql: Sql): PageFeedbackStore {
  return {
    async addPageFeedback(entry, now) {
      await sql.run('INSERT INTO page_feedback (token, page, language, helpful, created_at) VALUES (?, ?, ?, ?, ?)', [
        entry.token,
        entry.page,
        entry.language,
        entry.helpful ? 1 : 0,
        now,
      ]);
    },
    async commentPageFeedback(token, comment) {
      return (await sql.run('UPDATE page_feedback SET comment = ? WHERE token = ? AND comment IS NULL', [comment, token])) === 1;
    },
  };
}
