/**
 * Photos through the API: multipart with the JSON in `submission` and one `photos` part per
 * image; the type is read from the bytes; every stored image is re-encoded without metadata.
 */
import { describe, expect, inject, it } from 'vitest';
import { GPS_LATITUDE, metadataOf, photoWithGps } from '../helpers/photos';
import { countSubmissions, expectProblem, rawRequest, sv, toRawResponse, withDatabase } from './support';

const url = inject('url');

const faultReport = {
  type: 'fault_report',
  category: 'gatubelysning',
  location: { description: 'Gustavsbergs centrum' },
  message: 'Tre lampor är släckta.',
};

/** Posts a multipart submission the way the outbox and API clients do. */
async function postMultipart(body: unknown, photos: { name: string; type: string; bytes: Buffer }[], headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('submission', new Blob([JSON.stringify(body)], { type: 'application/json' }));
  for (const photo of photos) form.append('photos', new Blob([new Uint8Array(photo.bytes)], { type: photo.type }), photo.name);
  return fetch(`${url}/api/v1/submissions`, { method: 'POST', body: form, headers });
}

async function storedPhotoBytes(reference: string): Promise<Buffer[]> {
  const rows = await withDatabase((db) =>
    db.query<{ bytes: Buffer }>('SELECT a.bytes FROM attachments a JOIN submissions s ON s.id = a.submission_id WHERE s.reference = ? ORDER BY a.id', [
      reference,
    ]),
  );
  return rows.map((row) => row.bytes);
}

describe('photos with a fault report', () => {
  it('stores JPEG, PNG and WebP photos re-encoded as JPEG, with no EXIF, GPS or other metadata left', async () => {
    const photos = [
      { name: 'a.jpg', type: 'image/jpeg', bytes: await photoWithGps('jpeg') },
      { name: 'b.png', type: 'image/png', bytes: await photoWithGps('png') },
      { name: 'c.webp', type: 'image/webp', bytes: await photoWithGps('webp') },
    ];
    for (const photo of photos) expect((await metadataOf(photo.bytes)).exif).toBe(true);
    const response = await postMultipart(faultReport, photos);
    expect(response.status, await response.clone().text()).toBe(201);
    const { reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string };

    const stored = await storedPhotoBytes(reference);
    expect(stored).toHaveLength(3);
    for (const bytes of stored) {
      expect(await metadataOf(bytes)).toEqual({ format: 'jpeg', exif: false, xmp: false, iptc: false });
      expect(bytes.includes(Buffer.from('Kamera'))).toBe(false);
      expect(bytes.includes(Buffer.from(GPS_LATITUDE))).toBe(false);
    }

    const page = await (await fetch(statusUrl)).text();
    const sources = [...page.matchAll(/src="(\/bilagor\/[\w-]+)"/g)].map((match) => match[1]);
    expect(sources).toHaveLength(3);
    const served = await fetch(`${url}${sources[0]}`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(stored[0] as Buffer)).toBe(true);
  });

  it('refuses a text file named .jpg with 415 and names the file, storing nothing', async () => {
    const before = await countSubmissions();
    const response = await toRawResponse(await postMultipart(faultReport, [{ name: 'inte-en-bild.jpg', type: 'image/jpeg', bytes: Buffer.from('hej hej') }]));
    const problem = expectProblem(response, 415);
    expect(problem.detail).toBe(`inte-en-bild.jpg: ${sv['error.photos.unsupportedType']}`);
    expect(await countSubmissions()).toBe(before);
  });

  it('refuses an empty file with 422 naming it, and takes an empty part without a file name as no photo, as browsers send an unused file input', async () => {
    const before = await countSubmissions();
    const empty = expectProblem(await toRawResponse(await postMultipart(faultReport, [{ name: 'tom.jpg', type: 'image/jpeg', bytes: Buffer.alloc(0) }])), 422);
    expect(empty.errors).toEqual([{ pointer: '#/photos', field: 'photos', code: 'error.photos.empty', detail: sv['error.photos.empty']!.replace('{{name}}', 'tom.jpg') }]);
    expect(await countSubmissions()).toBe(before);

    const boundary = '----nothingChosen';
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="submission"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(faultReport)}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const created = await rawRequest(`${url}/api/v1/submissions`, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(created.status, created.text).toBe(201);
    expect(await storedPhotoBytes(created.json().reference)).toEqual([]);
  });

  it('refuses a HEIC photo with 415: the server cannot decode it, so browsers convert it first', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)]);
    expectProblem(await toRawResponse(await postMultipart(faultReport, [{ name: 'IMG_0001.HEIC', type: 'image/heic', bytes: heic }])), 415);
  });

  it('refuses a photo over 15 MB with 413', async () => {
    const huge = Buffer.concat([await photoWithGps('jpeg'), Buffer.alloc(15 * 1024 * 1024)]);
    const problem = expectProblem(await toRawResponse(await postMultipart(faultReport, [{ name: 'stor.jpg', type: 'image/jpeg', bytes: huge }])), 413);
    expect(problem.detail).toBe(`stor.jpg: ${sv['error.photos.tooLarge']}`);
  });

  it('refuses more than five photos, and photos with other errands, with 422 on the photos field', async () => {
    const photo = { name: 'p.jpg', type: 'image/jpeg', bytes: await photoWithGps('jpeg', { width: 32, height: 32 }) };
    const tooMany = expectProblem(await toRawResponse(await postMultipart(faultReport, Array.from({ length: 6 }, () => photo))), 422);
    expect(tooMany.errors).toEqual([{ pointer: '#/photos', field: 'photos', code: 'error.photos.tooMany', detail: sv['error.photos.tooMany'] }]);
    const question = { type: 'question', message: 'Får jag skicka en bild?', contact: null };
    const notAllowed = expectProblem(await toRawResponse(await postMultipart(question, [photo])), 422);
    expect(notAllowed.errors.map((error: { code: string }) => error.code)).toEqual(['error.photos.notAllowed']);
  });

  it('replays a multipart submission with the same Idempotency-Key and photos, storing it once', async () => {
    const photo = { name: 'p.jpg', type: 'image/jpeg', bytes: await photoWithGps('jpeg', { width: 64, height: 48 }) };
    const key = `photo-replay-${Date.now()}`;
    const before = await countSubmissions();
    const first = await postMultipart(faultReport, [photo], { 'Idempotency-Key': key });
    const second = await postMultipart(faultReport, [photo], { 'Idempotency-Key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { reference: string }).reference).toBe(((await first.json()) as { reference: string }).reference);
    expect(await countSubmissions()).toBe(before + 1);
  });
});
