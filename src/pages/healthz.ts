import type { APIRoute } from 'astro';

/**
 * 200 when storage answers; otherwise the storage error reaches the middleware, which answers
 * 503 with Retry-After: what a load balancer needs to route around a sick instance.
 */
export const GET: APIRoute = async ({ locals }) => {
  await locals.services.store.checkHealth();
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
};
