import type { APIRoute } from 'astro';
import { handleOpen311Request } from '../../server/open311/api';

/** Open311 GeoReport v2: every method, format and error under `/open311/` (see src/server/open311/api.ts). */
export const ALL: APIRoute = (context) => handleOpen311Request(context);
