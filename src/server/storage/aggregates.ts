/**
 * Counts kept beside the errands so that no read counts the errands themselves: the inbox's
 * totals and facets and the public fault list's total (`submission_counts`, by the filtered
 * columns), and the follow-up figures (`follow_up_counts`, by Swedish day of arrival, unit, type,
 * kind, category, rating and how the first reply met the deadline). Triggers on `submissions`
 * keep them in the transaction of every change, whoever writes (intake, case handling, gallring,
 * a bulk seeder); a trigger on the history records an errand's first reply on the errand.
 *
 * Each table is described once, by its key columns as expressions over a submissions row; the
 * migration's backfill and triggers, the rebuild and the check against the rows all use that
 * description, so they cannot disagree on what is counted.
 */
import { swedishDateSql } from './follow-up';
import type { Dialect, Sql } from './sql';

interface AggregateKey {
  name: string;
  /** The key's value for the submissions row whose columns are prefixed by `row` (`NEW.`, `s.`). */
  value: (row: string) => string;
}

interface AggregateTable {
  table: string;
  keys: AggregateKey[];
  /** The submissions columns the keys are computed from: an UPDATE of any other leaves the counts as they are. */
  columns: string[];
}

/** A nullable text column as a key: primary keys take no NULL, so a missing value is ''. */
const text = (column: string): AggregateKey => ({ name: column, value: (row) => `COALESCE(${row}${column}, '')` });
const plain = (column: string): AggregateKey => ({ name: column, value: (row) => `${row}${column}` });

/** The inbox's and the public fault list's counts, by every column they filter on. */
export const SUBMISSION_COUNTS: AggregateTable = {
  table: 'submission_counts',
  keys: [plain('handling_unit'), plain('type'), text('feedback_kind'), text('category'), plain('status'), { name: 'purged', value: (row) => `CASE WHEN ${row}purged_at IS NULL THEN 0 ELSE 1 END` }],
  columns: ['handling_unit', 'type', 'feedback_kind', 'category', 'status', 'purged_at'],
};

/**
 * The follow-up figures' counts. `deadline` is how the first reply met `reply_by` ('none' without
 * one, 'pending' before the first reply, 'in_time', 'late'); `pending_due` is the reply-by date of
 * a pending one, since whether it is overdue depends on the day the figures are asked for.
 */
export function followUpCounts(dialect: Dialect): AggregateTable {
  const replyDate = (row: string) => swedishDateSql(dialect, `${row}first_reply_at`);
  return {
    table: 'follow_up_counts',
    keys: [
      { name: 'day', value: (row) => swedishDateSql(dialect, `${row}received_at`) },
      plain('handling_unit'),
      plain('type'),
      text('feedback_kind'),
      text('category'),
      { name: 'rating', value: (row) => `COALESCE(${row}rating, 0)` },
      {
        name: 'deadline',
        value: (row) =>
          `CASE WHEN ${row}reply_by IS NULL THEN 'none' WHEN ${row}first_reply_at IS NULL THEN 'pending' WHEN ${replyDate(row)} <= ${row}reply_by THEN 'in_time' ELSE 'late' END`,
      },
      { name: 'replied', value: (row) => `CASE WHEN ${row}first_reply_at IS NULL THEN 0 ELSE 1 END` },
      { name: 'pending_due', value: (row) => `CASE WHEN ${row}reply_by IS NOT NULL AND ${row}first_reply_at IS NULL THEN ${row}reply_by ELSE '' END` },
    ],
    columns: ['received_at', 'handling_unit', 'type', 'feedback_kind', 'category', 'rating', 'reply_by', 'first_reply_at'],
  };
}

const keyNames = (table: AggregateTable) => table.keys.map((key) => key.name).join(', ');

/** Every row's key and how many errands have it, counted from the errands themselves. */
function recountSql(table: AggregateTable): string {
  const values = table.keys.map((key) => `${key.value('s.')} AS ${key.name}`).join(', ');
  return `SELECT ${values}, COUNT(*) AS n FROM submissions s GROUP BY ${table.keys.map((key) => key.value('s.')).join(', ')}`;
}

/** Fills the table from the errands (it is empty: created, or just emptied). */
export function backfillSql(table: AggregateTable): string {
  return `INSERT INTO ${table.table} (${keyNames(table)}, n) ${recountSql(table)}`;
}

/** The statements that count the row `row` (`NEW.`/`OLD.`) in, or out of, the table. */
function countStatements(table: AggregateTable, row: string, change: 1 | -1): string[] {
  if (change === 1) {
    return [
      `INSERT INTO ${table.table} (${keyNames(table)}, n) VALUES (${table.keys.map((key) => key.value(row)).join(', ')}, 1)
        ON CONFLICT (${keyNames(table)}) DO UPDATE SET n = ${table.table}.n + 1`,
    ];
  }
  const match = table.keys.map((key) => `${key.name} = ${key.value(row)}`).join(' AND ');
  // A key no errand has any more is removed, so the figures list only what there is.
  return [`UPDATE ${table.table} SET n = n - 1 WHERE ${match}`, `DELETE FROM ${table.table} WHERE ${match} AND n = 0`];
}

/** The triggers that keep `table` right in the transaction of every change to submissions. */
export function countTriggersSql(dialect: Dialect, table: AggregateTable): string {
  const name = table.table;
  const columns = table.columns.join(', ');
  const add = countStatements(table, 'NEW.', 1);
  const remove = countStatements(table, 'OLD.', -1);
  if (dialect === 'sqlite') {
    const trigger = (when: string, statements: string[]) => `CREATE TRIGGER ${name}_${when.split(' ')[0]!.toLowerCase()} AFTER ${when} ON submissions BEGIN ${statements.join('; ')}; END;`;
    return [trigger('INSERT', add), trigger(`UPDATE OF ${columns}`, [...remove, ...add]), trigger('DELETE', remove)].join('\n');
  }
  return `
    CREATE FUNCTION ${name}_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN ${remove.join('; ')}; END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN ${add.join('; ')}; END IF;
        RETURN NULL;
      END $$;
    CREATE TRIGGER ${name}_kept AFTER INSERT OR UPDATE OF ${columns} OR DELETE ON submissions FOR EACH ROW EXECUTE FUNCTION ${name}_keep();`;
}

/** An errand's first reply, kept on the errand as each reply is recorded (the follow-up counts depend on it). */
export function firstReplyTriggerSql(dialect: Dialect): string {
  const update = `UPDATE submissions SET first_reply_at = NEW.created_at WHERE id = NEW.submission_id AND (first_reply_at IS NULL OR first_reply_at > NEW.created_at)`;
  if (dialect === 'sqlite') return `CREATE TRIGGER submissions_first_reply AFTER INSERT ON submission_events WHEN NEW.kind = 'reply' BEGIN ${update}; END;`;
  return `
    CREATE FUNCTION submissions_first_reply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${update}; RETURN NULL; END $$;
    CREATE TRIGGER submissions_first_reply AFTER INSERT ON submission_events FOR EACH ROW WHEN (NEW.kind = 'reply') EXECUTE FUNCTION submissions_first_reply();`;
}

const FIRST_REPLY_OF_HISTORY = "(SELECT MIN(e.created_at) FROM submission_events e WHERE e.submission_id = submissions.id AND e.kind = 'reply')";
const distinct = (dialect: Dialect) => (dialect === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM');

/** Sets every errand's first reply from its history where it differs (the trigger keeps it from then on). */
export function firstReplyBackfillSql(dialect: Dialect): string {
  return `UPDATE submissions SET first_reply_at = ${FIRST_REPLY_OF_HISTORY} WHERE first_reply_at ${distinct(dialect)} ${FIRST_REPLY_OF_HISTORY}`;
}

/** One key whose maintained count differs from the count of the rows. */
export interface AggregateMismatch {
  table: string;
  key: Record<string, string | number>;
  maintained: number;
  counted: number;
}

export interface AggregateStore {
  /** Every difference between the maintained counts and a count of the rows; none when they are right. */
  aggregateMismatches(): Promise<AggregateMismatch[]>;
  /** Recomputes every maintained count from the rows, in one transaction. */
  rebuildAggregates(): Promise<void>;
}

export function createAggregateStore(sql: Sql): AggregateStore {
  const tables = [SUBMISSION_COUNTS, followUpCounts(sql.dialect)];
  return {
    async aggregateMismatches() {
      const mismatches: AggregateMismatch[] = [];
      for (const table of tables) {
        const keyOf = (row: Record<string, unknown>) => JSON.stringify(table.keys.map((key) => String(row[key.name])));
        const counted = new Map((await sql.all<Record<string, unknown>>(recountSql(table))).map((row) => [keyOf(row), row]));
        const maintained = new Map((await sql.all<Record<string, unknown>>(`SELECT ${keyNames(table)}, n FROM ${table.table}`)).map((row) => [keyOf(row), row]));
        for (const key of new Set([...counted.keys(), ...maintained.keys()])) {
          const have = Number(maintained.get(key)?.['n'] ?? 0);
          const want = Number(counted.get(key)?.['n'] ?? 0);
          const row = counted.get(key) ?? maintained.get(key)!;
          if (have !== want) mismatches.push({ table: table.table, key: Object.fromEntries(table.keys.map((k) => [k.name, row[k.name] as string | number])), maintained: have, counted: want });
        }
      }
      const wrongFirstReplies = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM submissions WHERE first_reply_at ${distinct(sql.dialect)} ${FIRST_REPLY_OF_HISTORY}`);
      const wrong = Number(wrongFirstReplies?.n ?? 0);
      if (wrong > 0) mismatches.push({ table: 'submissions.first_reply_at', key: {}, maintained: wrong, counted: 0 });
      return mismatches;
    },
    async rebuildAggregates() {
      await sql.transaction(async (tx) => {
        await tx.run(firstReplyBackfillSql(sql.dialect));
        for (const table of tables) {
          await tx.run(`DELETE FROM ${table.table}`);
          await tx.run(backfillSql(table));
        }
      });
    },
  };
}
