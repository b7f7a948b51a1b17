/**
 * Files staff keep with an errand (a letter's scan, a printed form): PDF, JPEG or PNG, told by
 * their first bytes, never by the name or the browser's word. Images go through the same
 * cleaning as photos (decoded and encoded anew, so EXIF and other metadata are gone); a PDF is
 * kept as it came and only ever served to staff as a download.
 */
import { PhotoRejectedError, processPhoto, sniffImageKind } from './photos';
import type { NewCaseFile } from './storage/index';

/** A scan larger than this is refused: a letter of a few pages scanned at 300 dpi stays well below. */
export const MAX_CASE_FILE_BYTES = 10 * 1024 * 1024;

const PDF_SIGNATURE = '%PDF-';
const NAME_LIMIT = 200;

function isPdf(bytes: Uint8Array): boolean {
  return String.fromCharCode(...bytes.subarray(0, PDF_SIGNATURE.length)) === PDF_SIGNATURE;
}

/** The name as shown and offered for download: no folders, no control characters, not too long. */
export function caseFileName(name: string, fallback: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(-NAME_LIMIT);
  return base === '' ? fallback : base;
}

/**
 * Checks one file and makes it ready to keep; refuses (PhotoRejectedError, whose reasons are
 * the same for any file) one that is empty, too large, or not a PDF, JPEG or PNG.
 */
export async function acceptCaseFile(bytes: Uint8Array, fileName: string): Promise<NewCaseFile> {
  if (bytes.byteLength === 0) throw new PhotoRejectedError('empty', fileName);
  if (bytes.byteLength > MAX_CASE_FILE_BYTES) throw new PhotoRejectedError('tooLarge', fileName);
  if (isPdf(bytes)) return { fileName: caseFileName(fileName, 'scan.pdf'), contentType: 'application/pdf', bytes: Buffer.from(bytes) };
  const kind = sniffImageKind(bytes);
  if (kind !== 'jpeg' && kind !== 'png') throw new PhotoRejectedError('unsupportedType', fileName);
  return cleanedImage(bytes, fileName, 'scan');
}

/** An image kept as photos are: encoded anew as JPEG (metadata gone), and named so. */
async function cleanedImage(bytes: Uint8Array, fileName: string, fallbackName: string): Promise<NewCaseFile> {
  const cleaned = await processPhoto(bytes, fileName);
  return { fileName: caseFileName(fileName, fallbackName).replace(/(\.[^.]*)?$/, '.jpg'), contentType: cleaned.contentType, bytes: cleaned.bytes };
}

/**
 * An e-mail's attachment kept for staff: an image cleaned as above, other files as they came
 * (a PDF typed as one, the rest as bytes to download); nothing for an image that cannot be
 * cleaned, which could carry where it was taken.
 */
export async function keptAttachment(bytes: Uint8Array, fileName: string, fallbackName: string): Promise<NewCaseFile | undefined> {
  if (sniffImageKind(bytes) !== undefined) return cleanedImage(bytes, fileName, fallbackName).catch(() => undefined);
  return { fileName: caseFileName(fileName, fallbackName), contentType: isPdf(bytes) ? 'application/pdf' : 'application/octet-stream', bytes: Buffer.from(bytes) };
}
