/**
 * Counts kept beside the errands so that no read counts the errands themselves: the inbox's
 * totals and facets and the public fault list's total (`submission_counts`, by the filtered
 * columns), and the follow-up figures (`follow_up_counts`, by Swedish day of arrival, unit, type,
 * kind, category and channel, with their ratings, how their first replies met the deadline and
 * how many were answered at the first contact; and `follow_up_pending`, the unanswered ones by
 * reply-by date). Triggers on `submissions`
 * keep them in the transaction of every change, whoever writes (intake, case handling, gallring,
 * a bulk seeder); a trigger on the history records an errand's first reply on the errand.
 *
 * Each table is described once, by its key columns as expressions over a submissions row; the
 * migration's backfill and triggers, the rebuild and the check against the rows all use that
 * description, so they cannot disagree on what is counted.
 */
import { swedishDateSql } from './follow-up';
import type { Dialect, Sql } from './sql';

interface AggregateColumn {
  name: string;
  /** The column's type in the table of counts. */
  type: 'TEXT' | 'INTEGER';
  /** The column's value for the submissions row whose columns are prefixed by `row` (`NEW.`, `s.`). */
  value: (row: string) => string;
}

interface AggregateTable {
  table: string;
  /** What the table counts by. */
  keys: AggregateColumn[];
  /** Sums kept beside the count `n` of each key: 0/1 expressions, so each says how many of the n are so. */
  sums: AggregateColumn[];
  /** Which errands the table counts, when not every one. */
  where?: (row: string) => string;
  /** The submissions columns the keys and sums are computed from: an UPDATE of any other leaves the table as it is. */
  columns: string[];
}

/** A nullable text column as a key: primary keys take no NULL, so a missing value is ''. */
const text = (column: string): AggregateColumn => ({
  name: column,
  type: 'TEXT',
  value: (row) => `COALESCE(${row}${column}, '')`,
});
const plain = (column: string): AggregateColumn => ({
  name: column,
  type: 'TEXT',
  value: (row) => `${row}${column}`,
});
const oneIf = (name: string, condition: (row: string) => string): AggregateColumn => ({
  name,
  type: 'INTEGER',
  value: (row) => `CASE WHEN ${condition(row)} THEN 1 ELSE 0 END`,
});

/** The inbox's and the public fault list's counts, by every column they filter on. */
export const SUBMISSION_COUNTS: AggregateTable = {
  table: 'submission_counts',
  keys: [plain('handling_unit'), plain('type'), text('feedback_kind'), text('category'), plain('status'), oneIf('purged', (row) => `${row}purged_at IS NOT NULL`)],
  sums: [],
  columns: ['handling_unit', 'type', 'feedback_kind', 'category', 'status', 'purged_at'],
};

/** The Swedish day an errand arrived on: the follow-up tables' first key. */
const arrivalDay = (dialect: Dialect): AggregateColumn => ({
  name: 'day',
  type: 'TEXT',
  value: (row) => swedishDateSql(dialect, `${row}received_at`),
});

/**
 * The schema a follow-up table has after a migration step: 14 made the tables, 18 added the
 * channel as a key and the errands answered at the first contact. Each migration renders its own
 * version, so a new database is made as an existing one was; the rest use the latest.
 */
export type FollowUpSchema = 14 | 18;
const LATEST_FOLLOW_UP_SCHEMA: FollowUpSchema = 18;

/**
 * The follow-up figures' counts per Swedish day of arrival, unit, type, kind, category and
 * channel, with how many of them have each rating, how their first reply met `reply_by`, and
 * how many were answered at the first contact.
 */
export function followUpCounts(dialect: Dialect, schema: FollowUpSchema = LATEST_FOLLOW_UP_SCHEMA): AggregateTable {
  const replied = (row: string) => `${row}reply_by IS NOT NULL AND ${row}first_reply_at IS NOT NULL AND ${swedishDateSql(dialect, `${row}first_reply_at`)}`;
  const byChannel = schema >= 18;
  return {
    table: 'follow_up_counts',
    keys: [arrivalDay(dialect), plain('handling_unit'), plain('type'), text('feedback_kind'), text('category'), ...(byChannel ? [plain('channel')] : [])],
    sums: [
      ...[1, 2, 3, 4, 5].map((rating) => oneIf(`rated_${rating}`, (row) => `${row}rating = ${rating}`)),
      oneIf('in_time', (row) => `${replied(row)} <= ${row}reply_by`),
      oneIf('late', (row) => `${replied(row)} > ${row}reply_by`),
      oneIf('without_deadline', (row) => `${row}reply_by IS NULL`),
      oneIf('replied', (row) => `${row}first_reply_at IS NOT NULL`),
      ...(byChannel ? [oneIf('at_first_contact', (row) => `${row}answered_at_first_contact = 1`)] : []),
    ],
    columns: [
      'received_at',
      'handling_unit',
      'type',
      'feedback_kind',
      'category',
      'rating',
      'reply_by',
      'first_reply_at',
      ...(byChannel ? ['channel', 'answered_at_first_contact'] : []),
    ],
  };
}

/**
 * Errands with a deadline and no reply yet, per day of arrival, unit, channel and reply-by
 * date: whether they are overdue depends on the day the figures are asked for.
 */
export function followUpPending(dialect: Dialect, schema: FollowUpSchema = LATEST_FOLLOW_UP_SCHEMA): AggregateTable {
  const byChannel = schema >= 18;
  return {
    table: 'follow_up_pending',
    keys: [arrivalDay(dialect), plain('handling_unit'), ...(byChannel ? [plain('channel')] : []), plain('reply_by')],
    sums: [],
    where: (row) => `${row}reply_by IS NOT NULL AND ${row}first_reply_at IS NULL`,
    columns: ['received_at', 'handling_unit', ...(byChannel ? ['channel'] : []), 'reply_by', 'first_reply_at'],
  };
}

const keyNames = (table: AggregateTable) => table.keys.map((key) => key.name).join(', ');
const countNames = (table: AggregateTable) => ['n', ...table.sums.map((sum) => sum.name)].join(', ');
const counted = (table: AggregateTable, row: string) => (table.where ? table.where(row) : '1 = 1');

/** Creates the table: its keys, the count `n` and the sums, none of them NULL. */
export function createTableSql(table: AggregateTable): string {
  const columns = [...table.keys, { name: 'n', type: 'INTEGER' }, ...table.sums].map((column) => `${column.name} ${column.type} NOT NULL`);
  return `CREATE TABLE ${table.table} (${[...columns, `PRIMARY KEY (${keyNames(table)})`].join(', ')})`;
}

/** Every key and its counts, counted from the errands themselves. */
function recountSql(table: AggregateTable): string {
  const keys = table.keys.map((key) => `${key.value('s.')} AS ${key.name}`);
  const sums = table.sums.map((sum) => `SUM(${sum.value('s.')}) AS ${sum.name}`);
  return `SELECT ${[...keys, 'COUNT(*) AS n', ...sums].join(', ')} FROM submissions s WHERE ${counted(table, 's.')} GROUP BY ${table.keys.map((key) => key.value('s.')).join(', ')}`;
}

/** Fills the table from the errands (it is empty: created, or just emptied). */
export function backfillSql(table: AggregateTable): string {
  return `INSERT INTO ${table.table} (${keyNames(table)}, ${countNames(table)}) ${recountSql(table)}`;
}

/** The statements that count the row `row` (`NEW.`/`OLD.`) in, or out of, the table. */
function countStatements(table: AggregateTable, row: string, change: 1 | -1): string[] {
  if (change === 1) {
    const values = [...table.keys.map((key) => key.value(row)), '1', ...table.sums.map((sum) => sum.value(row))];
    const add = ['n', ...table.sums.map((sum) => sum.name)].map((name) => `${name} = ${table.table}.${name} + excluded.${name}`);
    // The WHERE also tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
    return [
      `INSERT INTO ${table.table} (${keyNames(table)}, ${countNames(table)}) SELECT ${values.join(', ')} WHERE ${counted(table, row)}
        ON CONFLICT (${keyNames(table)}) DO UPDATE SET ${add.join(', ')}`,
    ];
  }
  const match = table.keys.map((key) => `${key.name} = ${key.value(row)}`).join(' AND ');
  const subtract = ['n = n - 1', ...table.sums.map((sum) => `${sum.name} = ${sum.name} - ${sum.value(row)}`)];
  // A key no errand has any more is removed, so the figures list only what there is.
  return [`UPDATE ${table.table} SET ${subtract.join(', ')} WHERE ${match} AND ${counted(table, row)}`, `DELETE FROM ${table.table} WHERE ${match} AND n = 0`];
}

/** The triggers that keep `table` right in the transaction of every change to submissions. */
export function countTriggersSql(dialect: Dialect, table: AggregateTable): string {
  const name = table.table;
  const columns = table.columns.join(', ');
  const add = countStatements(table, 'NEW.', 1);
  const remove = countStatements(table, 'OLD.', -1);
  if (dialect === 'sqlite') {
    const trigger = (when: string, statements: string[]) =>
      `CREATE TRIGGER ${name}_${when.split(' ')[0]!.toLowerCase()} AFTER ${when} ON submissions BEGIN ${statements.join('; ')}; END;`;
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

/** Removes the triggers `countTriggersSql` made for `table`, before the table is made again. */
export function dropCountTriggersSql(dialect: Dialect, table: AggregateTable): string {
  const name = table.table;
  if (dialect === 'sqlite') return ['insert', 'update', 'delete'].map((when) => `DROP TRIGGER ${name}_${when};`).join('\n');
  return `DROP TRIGGER ${name}_kept ON submissions; DROP FUNCTION ${name}_keep();`;
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
  /** Which of the key's counts: `n`, or one of the table's sums. */
  count: string;
  maintained: number;
  counted: number;
}

export interface AggregateStore {
  /** Every difference between the maintained counts and a count of the rows; none when they are right. */
  aggregateMismatches(): Promise<AggregateMismatch[]>;
  /** Recomputes every maintained count from the rows, in one transaction. */
  rebuildAggregates(): Promise<void>;
}

/**
 * Runs `work` as one transaction without PostgreSQL's statement timeout, which is made for
 * requests: recounting a million errands takes longer. SQLite has none.
 */
function withoutTimeout<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run('SET LOCAL statement_timeout = 0');
    return work(tx);
  });
}

/** Every table of maintained counts in `dialect`. */
function aggregateTables(dialect: Dialect): AggregateTable[] {
  return [SUBMISSION_COUNTS, followUpCounts(dialect), followUpPending(dialect)];
}

/**
 * The statements that recompute every maintained count from the rows, in order: run in one
 * transaction by `rebuildAggregates`, and by a bulk load that wrote its rows with the triggers off.
 */
export function rebuildStatements(dialect: Dialect): string[] {
  return [firstReplyBackfillSql(dialect), ...aggregateTables(dialect).flatMap((table) => [`DELETE FROM ${table.table}`, backfillSql(table)])];
}

export function createAggregateStore(store: Sql): AggregateStore {
  const tables = aggregateTables(store.dialect);
  return {
    // On SQLite a transaction would take the write lock for the whole check: it reads beside the writer instead.
    aggregateMismatches: () => (store.dialect === 'postgres' ? withoutTimeout(store, mismatchesOn) : mismatchesOn(store)),
    async rebuildAggregates() {
      await withoutTimeout(store, async (tx) => {
        for (const statement of rebuildStatements(tx.dialect)) await tx.run(statement);
      });
    },
  };

  async function mismatchesOn(sql: Sql): Promise<AggregateMismatch[]> {
    const mismatches: AggregateMismatch[] = [];
    for (const table of tables) {
      const keyOf = (row: Record<string, unknown>) => JSON.stringify(table.keys.map((key) => String(row[key.name])));
      const counted = new Map((await sql.all<Record<string, unknown>>(recountSql(table))).map((row) => [keyOf(row), row]));
      const maintained = new Map((await sql.all<Record<string, unknown>>(`SELECT ${keyNames(table)}, ${countNames(table)} FROM ${table.table}`)).map((row) => [keyOf(row), row]));
      for (const key of new Set([...counted.keys(), ...maintained.keys()])) {
        const row = counted.get(key) ?? maintained.get(key)!;
        for (const count of ['n', ...table.sums.map((sum) => sum.name)]) {
          const have = Number(maintained.get(key)?.[count] ?? 0);
          const want = Number(counted.get(key)?.[count] ?? 0);
          if (have !== want)
            mismatches.push({
              table: table.table,
              key: Object.fromEntries(table.keys.map((k) => [k.name, row[k.name] as string | number])),
              count,
              maintained: have,
              counted: want,
            });
        }
      }
    }
    const wrongFirstReplies = await sql.get<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM submissions WHERE first_reply_at ${distinct(sql.dialect)} ${FIRST_REPLY_OF_HISTORY}`,
    );
    const wrong = Number(wrongFirstReplies?.n ?? 0);
    if (wrong > 0)
      mismatches.push({
        table: 'submissions',
        key: {},
        count: 'first_reply_at differing from the history',
        maintained: wrong,
        counted: 0,
      });
    return mismatches;
  }
}
