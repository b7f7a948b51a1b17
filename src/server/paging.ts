/**
 * Keyset pages in a URL: the query parameter `sida` holds an opaque cursor (the page just after or
 * before a row, or the last page) and the number of the page it leads to, so "page N of M" needs no
 * counting of the rows before it. Anything that is not a cursor made here reads the first page.
 */
import type { PageInfo, PageRequest } from './storage/keyset';

/** The query parameter of the page cursor. */
export const PAGE_PARAMETER = 'sida';

interface Cursor {
  request: PageRequest;
  /** The number of the page the cursor leads to, as counted from the first page when it was made. */
  number: number;
}

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

/** The page a `sida` value asks for; the first page for a missing or broken one (the store checks the position too). */
export function readCursor(value: string | null): Cursor {
  const first: Cursor = { request: { at: 'start' }, number: 1 };
  if (!value || value.length > 1_000) return first;
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Cursor> | null;
    const request = cursor?.request as Record<string, unknown> | undefined;
    const number = cursor?.number;
    if (typeof request !== 'object' || request === null || typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) return first;
    if (request['at'] === 'end') return { request: { at: 'end' }, number };
    if ('after' in request) return { request: { after: request['after'] as never }, number };
    if ('before' in request) return { request: { before: request['before'] as never }, number };
    return first;
  } catch {
    return first;
  }
}

/** The addresses of the first, previous, next and last pages (those that exist), and which page this is of how many. */
export function pageLinks(
  page: PageInfo,
  cursor: Cursor,
  total: number,
  pageSize: number,
  href: (sida: string | null) => string,
): { number: number; pages: number; first?: string; previous?: string; next?: string; last?: string } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // The number travels in the cursor; the ends are known, and rows arriving meanwhile never make it leave 1…pages.
  const number = page.at === 'start' ? 1 : page.at === 'end' ? pages : Math.min(Math.max(cursor.number, page.previous ? 2 : 1), page.next ? Math.max(1, pages - 1) : pages);
  return {
    number,
    pages,
    ...(page.previous ? { first: href(null) } : {}),
    ...(page.previous && page.first ? { previous: href(encode({ request: { before: page.first }, number: number - 1 })) } : {}),
    ...(page.next && page.last ? { next: href(encode({ request: { after: page.last }, number: number + 1 })) } : {}),
    ...(page.next ? { last: href(encode({ request: { at: 'end' }, number: pages })) } : {}),
  };
}
