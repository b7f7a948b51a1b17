/**
 * The one CSV writer of the exports, made for Swedish Excel: UTF-8 with a byte order mark (or
 * Excel guesses another encoding), `;` between cells (the comma is the decimal sign), numbers
 * with a decimal comma, CRLF line ends, and quotes (doubled inside) around any cell that holds
 * a separator, a quote or a line break. A text that Excel would read as a formula gets a
 * leading apostrophe, so an exported cell can never run as one. JSON downloads stream the same way.
 */

export type CsvCell = string | number | boolean | null | undefined;

export const CSV_BOM = '\uFEFF';

/** Texts starting with these are formulas to a spreadsheet (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : FORMULA_START.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(';')}\r\n`;
}

/**
 * A CSV download: the header line, then the rows as they come, streamed, so a long list is
 * never held whole in memory.
 */
export function csvResponse(fileName: string, header: readonly string[], rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>): Response {
  const encoder = new TextEncoder();
  const lines = (async function* () {
    yield `${CSV_BOM}${csvLine(header)}`;
    for await (const row of rows) yield csvLine(row);
  })();
  return new Response(textStream(lines, encoder), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${fileName}"`,
    },
  });
}

/** A JSON download streamed from its pieces of text. */
export function jsonDownload(fileName: string, pieces: AsyncIterable<string>): Response {
  return new Response(textStream(pieces, new TextEncoder()), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}"` },
  });
}

/** About how much text each chunk of a download holds: one write per line would cost more than the line. */
const CHUNK_CHARACTERS = 64 * 1024;

/**
 * The pieces as a byte stream that asks for more only when its reader pulls (the server pulls
 * when the client's connection has taken what it was given), so a slow client holds up the
 * reading rather than filling the server's memory. A cancelled download ends `pieces`.
 */
function textStream(pieces: AsyncIterable<string>, encoder: TextEncoder): ReadableStream<Uint8Array> {
  const iterator = pieces[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      let chunk = '';
      let next: IteratorResult<string> | undefined;
      while (chunk.length < CHUNK_CHARACTERS && !(next = await iterator.next()).done) chunk += next.value;
      if (chunk !== '') controller.enqueue(encoder.encode(chunk));
      if (next?.done) controller.close();
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
