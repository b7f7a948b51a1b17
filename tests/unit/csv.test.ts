import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvLine, csvResponse } from '../../src/server/csv';

describe('the CSV writer for Swedish Excel', () => {
  it('writes numbers with a decimal comma and no thousands separator', () => {
    expect(csvCell(0.875)).toBe('0,875');
    expect(csvCell(24.8)).toBe('24,8');
    expect(csvCell(100000)).toBe('100000');
    expect(csvCell(-1.5)).toBe('-1,5');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('leaves empty what is missing and writes booleans as 1 and 0', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('1');
    expect(csvCell(false)).toBe('0');
  });

  it('quotes a cell holding a separator, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('Gator, parker och natur')).toBe('Gator, parker och natur');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('hon sa "hej"')).toBe('"hon sa ""hej"""');
    expect(csvCell('två\r\nrader')).toBe('"två\r\nrader"');
  });

  it('keeps a text that a spreadsheet would run as a formula from being one', () => {
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe('"\'=HYPERLINK(""http://evil.example"")"');
    expect(csvCell('+46 8 570 470 00')).toBe("'+46 8 570 470 00");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('/fraga')).toBe('/fraga');
  });

  it('separates cells with semicolons and ends every line with CRLF', () => {
    expect(csvLine(['Månad', '2026-10', 95])).toBe('Månad;2026-10;95\r\n');
  });

  it('answers a download in UTF-8 with a byte order mark, the header first, the rows streamed after it', async () => {
    async function* rows() {
      yield ['VDO-2026-000001', 4.5];
      yield ['VDO-2026-000002', null];
    }
    const response = csvResponse('arenden-2026-01-01-2026-12-31.csv', ['Ärendenummer', 'Betyg'], rows());
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="arenden-2026-01-01-2026-12-31.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(`${CSV_BOM}Ärendenummer;Betyg\r\nVDO-2026-000001;4,5\r\nVDO-2026-000002;\r\n`);
  });
});
