/**
 * Photos are made small in the browser before they are kept or sent: a phone's 4–8 MB photo
 * becomes a few hundred kilobytes, which matters on a slow connection and in the outbox.
 */

/** Photos are scaled to fit inside this square. */
const MAX_DIMENSION = 1600;
const JPEG_QUALITY = 0.8;

/**
 * Decodes an image (HEIC too, where the browser can), turns it upright and re-encodes it as a
 * JPEG no larger than MAX_DIMENSION. Throws when the browser cannot decode the file.
 */
export async function shrinkImage(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, MAX_DIMENSION / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('could not encode the image'))), 'image/jpeg', JPEG_QUALITY),
  );
}
