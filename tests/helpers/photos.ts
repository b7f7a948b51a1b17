/** Test photos as phones make them: with EXIF metadata and the photographer's GPS position. */
import sharp from 'sharp';

/** The latitude written into test photos, so a test can search stored bytes for it. */
export const GPS_LATITUDE = '59/1 19/1 12/1';

/** A photo with camera make and model and a GPS position in its EXIF. */
export function photoWithGps(format: 'jpeg' | 'png' | 'webp' = 'jpeg', size = { width: 640, height: 480 }): Promise<Buffer> {
  const image = sharp({ create: { ...size, channels: 3, background: '#7a8b99' } }).withExif({
    IFD0: { Make: 'Kamera', Model: 'Telefon' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: GPS_LATITUDE, GPSLongitudeRef: 'E', GPSLongitude: '18/1 22/1 30/1' },
  });
  return image.toFormat(format).toBuffer();
}

/** What metadata an image still carries: EXIF, XMP, IPTC. */
export async function metadataOf(bytes: Buffer): Promise<{ format: string | undefined; exif: boolean; xmp: boolean; iptc: boolean }> {
  const metadata = await sharp(bytes).metadata();
  return { format: metadata.format, exif: metadata.exif !== undefined, xmp: metadata.xmp !== undefined, iptc: metadata.iptc !== undefined };
}
