/**
 * A letter's scan is told by its bytes, never by its name or declared type: a PDF is kept as it
 * came, a JPEG or PNG is re-encoded without metadata, anything else is refused, as are empty
 * files and files over the limit.
 */
import { describe, expect, it } from 'vitest';
import { acceptCaseFile, caseFileName, MAX_CASE_FILE_BYTES } from '../../src/server/case-files';
import { PhotoRejectedError } from '../../src/server/photos';
import { spokenReference } from '../../src/lib/intake/reference';
import { metadataOf, photoWithGps } from '../helpers/photos';

const PDF = Buffer.from('%PDF-1.7\n%%EOF\n');

async function reason(bytes: Uint8Array, name: string): Promise<string> {
  const refused = await acceptCaseFile(bytes, name).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(PhotoRejectedError);
  return (refused as PhotoRejectedError).reason;
}

describe('acceptCaseFile', () => {
  it('keeps a PDF byte for byte, whatever it is called', async () => {
    const file = await acceptCaseFile(PDF, 'skanning.png');
    expect(file).toMatchObject({ fileName: 'skanning.png', contentType: 'application/pdf' });
    expect(file.bytes.equals(PDF)).toBe(true);
  });

  it('takes a PNG named .pdf as an image, re-encoded as JPEG without its GPS position', async () => {
    const file = await acceptCaseFile(await photoWithGps('png'), 'brev.pdf');
    expect(file).toMatchObject({ fileName: 'brev.jpg', contentType: 'image/jpeg' });
    expect(await metadataOf(file.bytes)).toMatchObject({ format: 'jpeg', exif: false });
  });

  it('refuses a text file named .pdf, an empty file and one over the limit', async () => {
    expect(await reason(Buffer.from('inte en pdf'), 'brev.pdf')).toBe('unsupportedType');
    expect(await reason(new Uint8Array(0), 'tom.pdf')).toBe('empty');
    expect(await reason(Buffer.concat([PDF, Buffer.alloc(MAX_CASE_FILE_BYTES)]), 'stor.pdf')).toBe('tooLarge');
  });
});

describe('caseFileName', () => {
  it('keeps the name without folders or control characters, with a fallback for nothing left', () => {
    expect(caseFileName('C:\\Skannat\\brev från Åsa.pdf', 'scan.pdf')).toBe('brev från Åsa.pdf');
    expect(caseFileName('../../etc/"passwd"\u0000', 'scan.pdf')).toBe('passwd');
    expect(caseFileName('   ', 'scan.pdf')).toBe('scan.pdf');
  });
});

describe('spokenReference', () => {
  it('says a reference in its three parts', () => {
    expect(spokenReference('VDO-2026-000042')).toBe('VDO 2026 000042');
  });
});
