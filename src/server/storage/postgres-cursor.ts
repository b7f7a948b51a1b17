/**
 * Long reads on PostgreSQL for `Sql.stream`: a cursor in a read-only transaction on a pooled
 * client of its own, fetched a batch at a time. One batch is fetched ahead while the caller
 * works on the one before, never more, so a slow reader holds the cursor back rather than
 * letting rows pile up in the server. Each FETCH is a short statement (the statement timeout
 * applies to each), however long the whole read takes.
 */
import type pg from 'pg';
import { normalizeRow, numberedPlaceholders, STREAM_BATCH_ROWS, toParam, type Sql } from './sql';

/** `Sql.stream` on `pool`, with `guard` turning a lost database into the storage's own errors. */
export function postgresCursorStream(pool: pg.Pool, guard: <T>(operation: () => Promise<T>) => Promise<T>): Sql['stream'] {
  return async function* stream<Row>(sql: string, params: readonly unknown[] = []): AsyncGenerator<Row[]> {
    const client = await guard(() => pool.connect());
    let broken: Error | undefined;
    const fetch = (): Promise<pg.QueryResult<Record<string, unknown>>> => {
      const batch = guard(() => client.query<Record<string, unknown>>(`FETCH ${STREAM_BATCH_ROWS} FROM stream_rows`));
      // Read ahead while the batch before is on its way: a failure shows when it is asked for.
      batch.catch(() => undefined);
      return batch;
    };
    let pending: ReturnType<typeof fetch> | undefined;
    try {
      await guard(() => client.query('BEGIN READ ONLY'));
      await guard(() => client.query(`DECLARE stream_rows NO SCROLL CURSOR FOR ${numberedPlaceholders(sql)}`, params.map(toParam)));
      pending = fetch();
      while (pending) {
        const { rows }: pg.QueryResult<Record<string, unknown>> = await pending;
        pending = rows.length === STREAM_BATCH_ROWS ? fetch() : undefined;
        if (rows.length > 0) yield rows.map((row) => normalizeRow<Row>(row));
      }
    } finally {
      // Also when the reader left early: the client answers in order, so the rollback (which
      // closes the cursor) follows the fetch still on its way.
      await pending?.catch(() => undefined);
      await client.query('ROLLBACK').catch((error: Error) => {
        broken = error;
      });
      client.release(broken);
    }
  };
}
