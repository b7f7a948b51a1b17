/** The staff inbox: what its query string asks for. */
import { INBOX_DIMENSIONS, type InboxDimension, type InboxFilter, type InboxSort } from '../storage/cases';

/** The query parameter, and its value, that asks for overdue errands only (the checkbox sends it). */
export const OVERDUE_PARAM = { name: 'overdue', value: '1' } as const;

/** The filter and the sort the inbox's query asks for; an empty filter value is no filter. */
export function readInboxQuery(query: URLSearchParams): { filter: InboxFilter; sort: InboxSort } {
  const filter: InboxFilter = Object.fromEntries(
    (Object.keys(INBOX_DIMENSIONS) as InboxDimension[]).map((dimension) => [dimension, query.get(dimension) ?? '']).filter(([, value]) => value !== ''),
  );
  if (query.get(OVERDUE_PARAM.name) === OVERDUE_PARAM.value) filter.overdue = true;
  return { filter, sort: query.get('sort') === 'due' ? 'due' : 'newest' };
}
