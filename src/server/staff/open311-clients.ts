/**
 * The admin's page of Open311 clients: issue a key to an app or system (shown once, on the
 * answer to the post itself, since only its hash is kept) and revoke one. The same store and
 * key functions as `npm run open311:key`.
 */
import type { AstroGlobal } from 'astro';
import { mayManageOpen311Clients } from '../../lib/errands';
import { FORM_ERROR, type ShownError } from '../../lib/intake/errors';
import { hashOpen311Key, MAX_OPEN311_CLIENT_NAME, newOpen311Key } from '../open311/keys';
import type { Open311Client } from '../storage/open311-clients';
import { readStaffForm } from './access';

export interface Open311ClientsState {
  clients: Open311Client[];
  /** A key just issued: shown on this answer only. */
  issued?: { client: Open311Client; key: string };
  /** The client whose key was just revoked. */
  revoked?: Open311Client;
  errors: ShownError[];
  values: Record<string, string>;
}

export type Open311ClientsResult = { kind: 'forbidden' } | { kind: 'redirect'; location: string } | { kind: 'page'; status: 200 | 403 | 422; state: Open311ClientsState };

/** What the page shows or does for the signed-in person; only an admin may see it. */
export async function handleOpen311Clients(astro: AstroGlobal): Promise<Open311ClientsResult> {
  const { services, t } = astro.locals;
  if (!astro.locals.staff || !mayManageOpen311Clients(astro.locals.staff.user)) return { kind: 'forbidden' };
  const { store } = services;
  const page = async (status: 200 | 403 | 422, state: Omit<Open311ClientsState, 'clients'>): Promise<Open311ClientsResult> => ({
    kind: 'page',
    status,
    state: { clients: await store.open311Clients(), ...state },
  });
  if (astro.request.method !== 'POST') {
    const revokedId = astro.url.searchParams.get('indragen');
    const revoked = revokedId ? (await store.open311Clients()).find((client) => String(client.id) === revokedId && client.revokedAt !== null) : undefined;
    return page(200, { ...(revoked ? { revoked } : {}), errors: [], values: {} });
  }
  const values = await readStaffForm(astro);
  if (!values) return page(403, { errors: [{ field: FORM_ERROR, message: t('staff.forbidden.title') }], values: {} });
  if (values['action'] === 'issue') {
    const name = (values['client'] ?? '').replace(/[\u0000-\u001F\u007F]/g, '').trim();
    if (name === '' || name.length > MAX_OPEN311_CLIENT_NAME) return page(422, { errors: [{ field: 'client', message: t('staff.open311.error.name', { max: MAX_OPEN311_CLIENT_NAME }) }], values });
    const key = newOpen311Key();
    const client = await store.addOpen311Client(name, hashOpen311Key(key), new Date());
    return page(200, { issued: { client, key }, errors: [], values: {} });
  }
  const id = Number(values['id']);
  if (values['action'] === 'revoke' && Number.isSafeInteger(id) && (await store.revokeOpen311Client(id, new Date()))) {
    return { kind: 'redirect', location: `${astro.locals.localePath(astro.url.pathname)}?indragen=${id}` };
  }
  return page(422, { errors: [{ field: FORM_ERROR, message: t('staff.open311.error.revoke') }], values: {} });
}
