import type { APIRoute } from 'astro';
import { statusProblem } from '../server/http';
import { StorageUnavailableError } from '../server/storage/index';

/** 200 when storage answers, 503 otherwise: what a load balancer needs to route around a sick instance. */
export const GET: APIRoute = async ({ locals }) => {
  try {
    await locals.services.store.checkHealth();
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    return statusProblem(locals.t, 503, 'api.problem.503.storage', { 'Retry-After': '5' });
  }
};
