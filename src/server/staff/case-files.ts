/**
 * Serving a file kept with an errand: only to a signed-in staff member who may see the errand,
 * never kept by a cache, and a PDF always as a download, so it never runs in the portal's origin.
 */
import type { StaffUser } from '../storage/cases';
import type { Store } from '../storage/index';
import { canSeeUnit } from './access';

const PUBLIC_ID = /^[A-Za-z0-9_-]{22}$/;

/** The answer to a request for the file `publicId`: 404 when there is none, 403 when the errand is not the person's to see. */
export async function caseFileResponse(store: Store, user: StaffUser, publicId: string): Promise<Response> {
  const file = PUBLIC_ID.test(publicId) ? await store.caseFile(publicId) : null;
  if (!file) return new Response(null, { status: 404 });
  if (!canSeeUnit(user, file.handlingUnit)) return new Response(null, { status: 403 });
  const disposition = file.contentType === 'application/pdf' ? 'attachment' : 'inline';
  const asciiName = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
}
