/**
 * Bot checks for the HTML forms that need nothing from people (CAPTCHAs shut out many disabled
 * people): a honeypot field only a bot fills in, and a minimum time between showing a form and
 * its post. The time is signed with a secret every instance shares, so it cannot be forged,
 * and a post from a form shown by another instance is judged the same way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HONEYPOT_FIELD, STARTED_AT_FIELD, type FormValues } from '../lib/intake/form';
import { sharedSecret } from './secrets';
import type { Store } from './storage/index';

/** FORM_MIN_FILL_SECONDS: even a short fault report takes a person longer than this to fill in. */
export function minimumFillMs(): number {
  const configured = Number(process.env['FORM_MIN_FILL_SECONDS'] ?? 3);
  return Number.isFinite(configured) && configured >= 0 ? configured * 1000 : 3000;
}

async function signature(store: Store, shownAt: string): Promise<string> {
  return createHmac('sha256', await sharedSecret(store, 'form-started-at')).update(shownAt).digest('base64url');
}

/** The value of the hidden field that records when a form was shown. */
export async function signedStartTime(store: Store, now: Date): Promise<string> {
  const shownAt = String(now.getTime());
  return `${shownAt}.${await signature(store, shownAt)}`;
}

/** Whether a post looks like a person's: honeypot empty, and the form shown long enough ago by us. */
export async function looksHuman(store: Store, values: FormValues, now: Date): Promise<boolean> {
  if ((values[HONEYPOT_FIELD] ?? '') !== '') return false;
  const [shownAt = '', signed = ''] = (values[STARTED_AT_FIELD] ?? '').split('.');
  const expected = Buffer.from(await signature(store, shownAt));
  const given = Buffer.from(signed);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return now.getTime() - Number(shownAt) >= minimumFillMs();
}
