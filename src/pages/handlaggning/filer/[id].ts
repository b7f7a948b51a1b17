import type { APIRoute } from 'astro';
import { caseFileResponse } from '../../../server/staff/case-files';

/** A file kept with an errand (a letter's scan); the middleware has made sure a staff member is signed in. */
export const GET: APIRoute = ({ params, locals }) => caseFileResponse(locals.services.store, locals.staff!.user, params['id'] ?? '');
