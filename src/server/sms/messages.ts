/**
 * The SMS a person who wrote by SMS gets, in the errand's language: the acknowledgement (the
 * reference, the reply-by date, the status link) and a reply from staff. Only an errand that came
 * by SMS is answered by SMS, at the number it came from; every other errand is answered by e-mail
 * as before, even when a phone number was given. The fixed parts are short: with a status link
 * an acknowledgement fits one SMS in the languages GSM-7 writes.
 */
import { formatDateWithoutWeekday } from '../../lib/dates';
import { createTranslate, type Translate } from '../../lib/i18n';
import { errandLocale } from '../mail/messages';
import type { StoredSubmission } from '../storage/index';
import type { OutgoingSms } from '../storage/sms';

/** The number an errand is answered at by SMS: the one it came from, when it came by SMS. */
export function smsRecipientOf(stored: Pick<StoredSubmission, 'channel' | 'submission'>): string | undefined {
  return stored.channel === 'sms' ? stored.submission.contact?.phone : undefined;
}

/** A message to the person who wrote by SMS, in the errand's language; nothing for any other errand. */
function toSmsSender(stored: StoredSubmission, lines: (t: Translate) => string[]): OutgoingSms | undefined {
  const recipient = smsRecipientOf(stored);
  if (!recipient) return undefined;
  return { recipient, message: lines(createTranslate(errandLocale(stored))).join(' ') };
}

/** The acknowledgement of an errand that came by SMS. */
export function acknowledgementSms(stored: StoredSubmission, link: string): OutgoingSms | undefined {
  return toSmsSender(stored, (t) => [
    t('sms.received', { reference: stored.reference }),
    ...(stored.replyBy ? [t('sms.replyBy', { date: formatDateWithoutWeekday(stored.replyBy, errandLocale(stored)) })] : []),
    t('sms.link', { link }),
  ]);
}

/** A reply from staff to an errand that came by SMS: the reply itself, as staff wrote it, and the status link. */
export function replySms(stored: StoredSubmission, reply: string, link: string): OutgoingSms | undefined {
  return toSmsSender(stored, (t) => [t('sms.reply', { reference: stored.reference }), reply, t('sms.link', { link })]);
}
