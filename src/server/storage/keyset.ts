/**
 * Keyset pagination: a page is a seek in an index from where the page before it ended, never an
 * OFFSET that reads and drops every row before it, so the last page costs what the first does
 * (it is the first page of the reverse order, flipped).
 *
 * An order is one or more segments read one after another (the inbox's "due" order: errands with
 * a reply-by date, then those without), each sorted by its keys. A filter that allows several
 * values of an indexed column (a caseworker's units, the open statuses) is read as one seek per
 * value, merged: each seek is a range of an index, and the merge sorts only a page's worth of rows.
 */
import type { Sql } from './sql';

export interface KeysetKey {
  /** The column as the query names it (`s.received_at`). */
  column: string;
  /** The column's name in the result row (`received_at`). */
  name: string;
  /** What a cursor's value for it must look like. */
  kind: 'instant' | 'date' | 'id';
}

export interface KeysetSegment {
  /** What sets the segment's rows apart from the other segments' (empty for the only one). */
  where: string;
  keys: KeysetKey[];
  descending: boolean;
}

/** Newest first, by arrival (`submissions s`): the index on received_at ends in the id. */
export const NEWEST_FIRST: readonly KeysetSegment[] = [
  { where: '', descending: true, keys: [{ column: 's.received_at', name: 'received_at', kind: 'instant' }, { column: 's.id', name: 'id', kind: 'id' }] },
];

/** Where in an order a row is: its segment and its keys' values. */
export interface KeysetPosition {
  segment: number;
  values: (string | number)[];
}

/** Which page to read: the first, the last, or the one just after or before a row. */
export type PageRequest = { at: 'start' } | { at: 'end' } | { after: KeysetPosition } | { before: KeysetPosition };

export interface KeysetPage<Row> {
  rows: Row[];
  /** Where the page's first and last rows are, for the links to the pages before and after. */
  first: KeysetPosition | null;
  last: KeysetPosition | null;
  /** Whether rows come before the page, and after it. */
  previous: boolean;
  next: boolean;
  /** Which page was read: the start or end when the request asked for it, or the request reached past an end. */
  at: 'start' | 'end' | 'middle';
}

/** What a page says about where it is, without its rows. */
export type PageInfo = Omit<KeysetPage<never>, 'rows'>;

export interface KeysetQuery {
  /** `SELECT … FROM …` naming every key column in its select list. */
  select: string;
  /** Conditions every row meets, joined by AND. */
  where: string[];
  params: unknown[];
  /** Conditions of which a row meets one (one seek each); absent or empty: one seek. */
  branches?: { where: string; params: unknown[] }[];
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a position in `order` as this module made it; anything else from a URL is not. */
export function isKeysetPosition(order: readonly KeysetSegment[], value: unknown): value is KeysetPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { segment, values } = value as Partial<KeysetPosition>;
  if (typeof segment !== 'number' || !Number.isInteger(segment) || segment < 0 || segment >= order.length || !Array.isArray(values)) return false;
  const keys = order[segment]!.keys;
  return (
    values.length === keys.length &&
    keys.every((key, index) => {
      const item: unknown = values[index];
      if (key.kind === 'id') return typeof item === 'number' && Number.isSafeInteger(item) && item > 0;
      return typeof item === 'string' && (key.kind === 'instant' ? INSTANT : DATE).test(item) && !Number.isNaN(Date.parse(item));
    })
  );
}

/**
 * Reads one page of `query` in `order`. A request past either end reads the page at that end; one
 * whose position is not valid for the order (a cursor from a URL) reads the first page.
 */
export async function keysetPage<Row extends Record<string, unknown>>(
  sql: Sql,
  query: KeysetQuery,
  order: readonly KeysetSegment[],
  request: PageRequest,
  limit: number,
): Promise<KeysetPage<Row>> {
  const positionOf = (row: Row, segment: number): KeysetPosition => ({
    segment,
    values: order[segment]!.keys.map((key) => (key.kind === 'id' ? Number(row[key.name]) : String(row[key.name]))),
  });

  /** Up to `count` rows of one segment, forwards or backwards, from just past `from` (or its end). */
  async function seek(segment: number, forwards: boolean, from: KeysetPosition | null, count: number): Promise<Row[]> {
    const { keys, where, descending } = order[segment]!;
    const down = descending === forwards;
    const conditions = [...query.where, ...(where ? [where] : [])];
    const params = [...query.params];
    if (from) {
      conditions.push(`(${keys.map((key) => key.column).join(', ')}) ${down ? '<' : '>'} (${keys.map(() => '?').join(', ')})`);
      params.push(...from.values);
    }
    const orderBy = (name: (key: KeysetKey) => string) => keys.map((key) => `${name(key)}${down ? ' DESC' : ''}`).join(', ');
    const one = (extra: string) => `${query.select} WHERE ${[...conditions, ...(extra ? [extra] : [])].join(' AND ') || '1 = 1'} ORDER BY ${orderBy((key) => key.column)} LIMIT ?`;
    const branches = query.branches && query.branches.length > 0 ? query.branches : [{ where: '', params: [] }];
    if (branches.length === 1) return sql.all<Row>(one(branches[0]!.where), [...params, ...branches[0]!.params, count]);
    const union = branches.map((branch, index) => `SELECT * FROM (${one(branch.where)}) AS branch${index}`).join(' UNION ALL ');
    return sql.all<Row>(`${union} ORDER BY ${orderBy((key) => key.name)} LIMIT ?`, [...branches.flatMap((branch) => [...params, ...branch.params, count]), count]);
  }

  /** Up to `count` rows from `from` on, across segments, in reading order. */
  async function read(forwards: boolean, from: KeysetPosition | null, count: number): Promise<{ row: Row; segment: number }[]> {
    const found: { row: Row; segment: number }[] = [];
    const start = from?.segment ?? (forwards ? 0 : order.length - 1);
    for (let segment = start; segment >= 0 && segment < order.length && found.length < count; segment += forwards ? 1 : -1) {
      const rows = await seek(segment, forwards, segment === from?.segment ? from : null, count - found.length);
      found.push(...rows.map((row) => ({ row, segment })));
    }
    return forwards ? found : found.reverse();
  }

  const page = (found: { row: Row; segment: number }[], previous: boolean, next: boolean, at: KeysetPage<Row>['at']): KeysetPage<Row> => {
    const first = found[0];
    const last = found.at(-1);
    return { rows: found.map((item) => item.row), first: first ? positionOf(first.row, first.segment) : null, last: last ? positionOf(last.row, last.segment) : null, previous, next, at };
  };
  // One row more than a page tells whether there is another page beyond it.
  const fromStart = async () => {
    const found = await read(true, null, limit + 1);
    return page(found.slice(0, limit), false, found.length > limit, 'start');
  };
  const fromEnd = async () => {
    const found = await read(false, null, limit + 1);
    return page(found.slice(-limit), found.length > limit, false, 'end');
  };
  if ('at' in request) return request.at === 'start' ? fromStart() : fromEnd();
  if (!isKeysetPosition(order, 'after' in request ? request.after : request.before)) return fromStart();
  if ('after' in request) {
    const found = await read(true, request.after, limit + 1);
    return found.length === 0 ? fromEnd() : page(found.slice(0, limit), true, found.length > limit, 'middle');
  }
  const found = await read(false, request.before, limit + 1);
  if (found.length === 0) return fromStart();
  // Fewer than a page before it: a short first page, so that paging back repeats no row.
  return found.length <= limit ? page(found, false, true, 'start') : page(found.slice(-limit), true, true, 'middle');
}
