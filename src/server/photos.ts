/**
 * Photos sent with fault reports. The type is read from the bytes, never from the name or the
 * declared type; each image is decoded and encoded anew, which drops every piece of metadata
 * (EXIF with the photographer's GPS position, camera serial numbers, XMP) before it is stored.
 */
import sharp from 'sharp';
import type { FieldError } from '../lib/intake/errors';
import { PHOTOS_FIELD } from '../lib/intake/form';

/** At most this many photos per fault report. */
export const MAX_PHOTOS = 5;

/** A photo larger than this is refused before decoding: phones save 2–8 MB, the browser sends far less after scaling. */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

/** Stored photos fit inside this square: enough to see a pothole's size, small enough for slow networks. */
const MAX_DIMENSION = 2048;

/** A photo ready to store: re-encoded JPEG without metadata. */
export interface ProcessedPhoto {
  contentType: 'image/jpeg';
  bytes: Buffer;
  width: number;
  height: number;
}

/** Why a file was not accepted as a photo: the API answers 415 or 413, a form shows the message. */
export class PhotoRejectedError extends Error {
  constructor(
    readonly reason: 'unsupportedType' | 'tooLarge' | 'unreadable' | 'empty',
    readonly fileName: string,
  ) {
    super(`${fileName}: ${reason}`);
  }
}

/** The HTTP status of each refusal: too large is 413, an empty file is a field to correct (422), the rest are types we do not take (415). */
export const PHOTO_REJECTION_STATUS: Readonly<Record<PhotoRejectedError['reason'], 413 | 415 | 422>> = {
  tooLarge: 413,
  empty: 422,
  unsupportedType: 415,
  unreadable: 415,
};

type ImageKind = 'jpeg' | 'png' | 'webp' | 'heic';

/** The image format the first bytes announce, or undefined when they announce none we know. */
export function sniffImageKind(bytes: Uint8Array): ImageKind | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|hevc|hevx|mif1|msf1)$/.test(ascii(8, 12))) return 'heic';
  return undefined;
}

/**
 * Checks and re-encodes one uploaded file. HEIC is refused: the server's image library cannot
 * decode it, so browsers that can (Safari) convert it to JPEG before sending.
 */
export async function processPhoto(bytes: Uint8Array, fileName: string): Promise<ProcessedPhoto> {
  if (bytes.byteLength === 0) throw new PhotoRejectedError('empty', fileName);
  if (bytes.byteLength > MAX_PHOTO_BYTES) throw new PhotoRejectedError('tooLarge', fileName);
  const kind = sniffImageKind(bytes);
  if (kind === undefined || kind === 'heic') throw new PhotoRejectedError('unsupportedType', fileName);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width: MAX_DIMENSION, height: MAX_DIMENSION, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { contentType: 'image/jpeg', bytes: data, width: info.width, height: info.height };
  } catch {
    throw new PhotoRejectedError('unreadable', fileName);
  }
}

/**
 * The photo files of a multipart body: the parts named `photos` that hold a file. A file input
 * with nothing chosen sends an empty part without a file name, which is no photo; an empty file
 * that has a name was chosen, and is refused by name (issue 12) rather than silently dropped.
 */
export function photoFiles(form: FormData, field: string): File[] {
  return form.getAll(field).filter((entry): entry is File => typeof entry !== 'string' && (entry.size > 0 || entry.name !== ''));
}

/** The field error that tells a person why a file was not taken, naming the file. */
export function photoRejectionError(error: PhotoRejectedError): FieldError {
  return { field: PHOTOS_FIELD, key: `error.photos.${error.reason}`, values: { name: error.fileName } };
}

/** Checks and re-encodes every file, failing on the first that is not an acceptable photo. */
export async function processPhotos(files: readonly File[]): Promise<ProcessedPhoto[]> {
  const processed: ProcessedPhoto[] = [];
  for (const file of files) processed.push(await processPhoto(new Uint8Array(await file.arrayBuffer()), file.name));
  return processed;
}
