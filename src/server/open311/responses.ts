/**
 * Open311 answers in the two formats GeoReport v2 names by the path's extension (`.json`,
 * `.xml`), and its error format: `[{ code, description }]` or `<errors><error>…`, sent with
 * the HTTP status the code names.
 */
import { toXmlDocument, type XmlValue } from './xml';

export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** The spec's content types; XML is the format every server must offer. */
export const OPEN311_CONTENT_TYPES: Readonly<Record<Open311Format, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** Where Open311 lives: its paths have no language prefix and answer in Open311's own formats. */
export const OPEN311_PREFIX = '/open311/';

/** Whether a path belongs to the Open311 endpoint. */
export function isOpen311Path(pathname: string): boolean {
  return pathname.startsWith(OPEN311_PREFIX);
}

/**
 * The format a path asks for by its extension. A path without a known one is answered in XML,
 * the one format the spec requires of every server, so even the error is readable to a client.
 */
export function formatOfPath(pathname: string): { format: Open311Format; known: boolean } {
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  const known = (OPEN311_FORMATS as readonly string[]).includes(extension ?? '');
  return { format: known ? (extension as Open311Format) : 'xml', known };
}

/** An Open311 answer: `value` as JSON, or as XML under the root element `root`. */
export function open311Response(format: Open311Format, root: string, value: XmlValue, status = 200, headers: Record<string, string> = {}): Response {
  const body = format === 'json' ? JSON.stringify(value) : toXmlDocument(root, value);
  return new Response(body, { status, headers: { 'Content-Type': OPEN311_CONTENT_TYPES[format], ...headers } });
}

/** An error in the spec's format, one entry per description, with `status` as HTTP status and code. */
export function open311Error(format: Open311Format, status: number, descriptions: string | readonly string[], headers: Record<string, string> = {}): Response {
  const errors = (typeof descriptions === 'string' ? [descriptions] : descriptions).map((description) => ({ code: status, description }));
  return open311Response(format, 'errors', errors, status, { 'Cache-Control': 'no-store', ...headers });
}
