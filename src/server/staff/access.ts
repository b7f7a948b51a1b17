/**
 * Who may see what on the staff side, and the checks every staff form passes: an admin sees
 * every unit, a caseworker or manager the units they belong to; every post carries the
 * session's CSRF token.
 */
import { readFormFields } from '../http';
import type { StaffUser, UnitScope } from '../storage/cases';
import { CSRF_FIELD } from '../../lib/routes';
import { sameToken } from './sessions';

export function unitScope(user: StaffUser): UnitScope {
  return user.role === 'admin' ? 'all' : user.units;
}

/** The units of `units` (the configuration's, in its order) whose errands the person may see. */
export function visibleUnits<Unit extends { id: string }>(user: StaffUser, units: readonly Unit[]): Unit[] {
  return units.filter((unit) => canSeeUnit(user, unit.id));
}

export function canSeeUnit(user: StaffUser, unit: string): boolean {
  return user.role === 'admin' || user.units.includes(unit);
}

/** A staff form post's fields, or undefined when its CSRF token is missing or wrong (the caller answers 403). */
export async function readStaffForm(context: { request: Request; locals: App.Locals }): Promise<Record<string, string> | undefined> {
  const values = await readFormFields(context, 64 * 1024);
  const session = context.locals.staff;
  return session && sameToken(values[CSRF_FIELD], session.csrfToken) ? values : undefined;
}
