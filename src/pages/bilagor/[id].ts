import type { APIRoute } from 'astro';

/**
 * A stored photo. Its id is unguessable and handed out only on the pages of its errand, so
 * the id is the permission; the browser may keep it privately, never a shared cache.
 */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params['id'] ?? '';
  const photo = /^[A-Za-z0-9_-]{22}$/.test(id) ? await locals.services.store.photo(id) : null;
  if (!photo) return new Response(null, { status: 404 });
  return new Response(new Uint8Array(photo.bytes), {
    headers: {
      'Content-Type': photo.contentType,
      'Cache-Control': 'private, max-age=86400, immutable',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
};
