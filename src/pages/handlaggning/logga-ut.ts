import type { APIRoute } from 'astro';
import { localizedPath, type Locale } from '../../lib/locales';
import { STAFF_SIGN_IN_PATH } from '../../lib/routes';
import { readStaffForm } from '../../server/staff/access';
import { endSession } from '../../server/staff/sessions';

/** Signing out ends the session in the database, not just in this browser. */
export const POST: APIRoute = async (context) => {
  const { locals } = context;
  if (!(await readStaffForm(context))) return new Response(locals.t('staff.forbidden.title'), { status: 403 });
  await endSession(locals.services.store, context.cookies);
  return context.redirect(localizedPath(locals.locale as Locale, STAFF_SIGN_IN_PATH), 303);
};
