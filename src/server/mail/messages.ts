/**
 * The e-mails a resident gets, in the language they wrote in: the acknowledgement of what was
 * received, and a reply from staff. Plain text and HTML say the same; everything a person wrote
 * is escaped in the HTML part.
 */
import { localizedName, type MunicipalityConfig } from '../../config/schema';
import { formatLongDate } from '../../lib/dates';
import { createTranslate } from '../../lib/i18n';
import { isLocale, localizedPath, DEFAULT_LOCALE, type Locale } from '../../lib/locales';
import { publicFaultReportPath, statusPath } from '../../lib/routes';
import type { OutgoingEmail } from '../storage/cases';
import type { StoredSubmission } from '../storage/index';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Paragraphs as plain text and as HTML; a paragraph given as `{ link }` becomes a link. */
function render(paragraphs: (string | { link: string })[], locale: Locale): { text: string; html: string } {
  const text = paragraphs.map((paragraph) => (typeof paragraph === 'string' ? paragraph : paragraph.link)).join('\n\n');
  const dir = locale === 'ar' || locale === 'fa' ? 'rtl' : 'ltr';
  const body = paragraphs
    .map((paragraph) =>
      typeof paragraph === 'string'
        ? `<p>${escapeHtml(paragraph).replaceAll('\n', '<br>')}</p>`
        : `<p><a href="${escapeHtml(paragraph.link)}" dir="ltr">${escapeHtml(paragraph.link)}</a></p>`,
    )
    .join('\n');
  return { text, html: `<!DOCTYPE html><html lang="${locale === 'lattlast' ? 'sv' : locale}" dir="${dir}"><body>\n${body}\n</body></html>` };
}

function localeOf(stored: StoredSubmission): Locale {
  return isLocale(stored.submission.language) ? stored.submission.language : DEFAULT_LOCALE;
}

function recipientOf(stored: StoredSubmission): string | undefined {
  return stored.submission.contact?.email ?? undefined;
}

export function statusLink(origin: string, locale: Locale, statusToken: string): string {
  return new URL(localizedPath(locale, statusPath(statusToken)), origin).href;
}

/** The acknowledgement of a new submission, or nothing when no e-mail address was given. */
export function acknowledgementEmail(stored: StoredSubmission, config: MunicipalityConfig, link: string): OutgoingEmail | undefined {
  const recipient = recipientOf(stored);
  if (!recipient) return undefined;
  const locale = localeOf(stored);
  const t = createTranslate(locale);
  const unit = config.units.find((candidate) => candidate.id === stored.handlingUnit);
  const { text, html } = render(
    [
      t(`receipt.title.${stored.type}`),
      `${t('receipt.referenceLabel')}: ${stored.reference}`,
      ...(stored.replyBy ? [t('receipt.promise', { unit: unit ? localizedName(unit.name, locale) : stored.handlingUnit, date: formatLongDate(stored.replyBy, locale) })] : []),
      `${t('email.yourMessage')}\n${stored.submission.message}`,
      t('email.statusLink'),
      { link },
      t('email.doNotReply'),
      t('email.signature', { municipality: config.name }),
    ],
    locale,
  );
  return { recipient, subject: t('email.ack.subject', { reference: stored.reference }), text, html };
}

/** A reply from staff, or nothing when the person left no e-mail address. */
export function replyEmail(stored: StoredSubmission, config: MunicipalityConfig, reply: string, link: string): OutgoingEmail | undefined {
  const recipient = recipientOf(stored);
  if (!recipient) return undefined;
  const locale = localeOf(stored);
  const t = createTranslate(locale);
  const { text, html } = render(
    [t('email.reply.intro', { reference: stored.reference }), reply, t('email.reply.answerBack'), { link }, t('email.doNotReply'), t('email.signature', { municipality: config.name })],
    locale,
  );
  return { recipient, subject: t('email.reply.subject', { reference: stored.reference }), text, html };
}

/** The link a supporter follows to confirm their support of a published proposal. */
export function supportConfirmationEmail(recipient: string, title: string, link: string, locale: Locale, config: MunicipalityConfig): OutgoingEmail {
  const t = createTranslate(locale);
  const { text, html } = render([t('email.support.intro', { title }), { link }, t('email.support.ignore'), t('email.signature', { municipality: config.name })], locale);
  return { recipient, subject: t('email.support.subject', { title }), text, html };
}

/** To the proposer: the proposal has as many supports as the municipality asks for. */
export function thresholdReachedEmail(stored: StoredSubmission, supports: number, config: MunicipalityConfig): OutgoingEmail | undefined {
  const recipient = recipientOf(stored);
  if (!recipient || stored.submission.type !== 'proposal') return undefined;
  const locale = localeOf(stored);
  const t = createTranslate(locale);
  const title = stored.submission.title;
  const { text, html } = render([t('email.threshold.text', { title, supports }), t('email.signature', { municipality: config.name })], locale);
  return { recipient, subject: t('email.threshold.subject', { reference: stored.reference }), text, html };
}

/** To the proposer: the proposal is closed for support, with how many it got. */
export function proposalClosedEmail(stored: StoredSubmission, supports: number, config: MunicipalityConfig): OutgoingEmail | undefined {
  const recipient = recipientOf(stored);
  if (!recipient || stored.submission.type !== 'proposal') return undefined;
  const locale = localeOf(stored);
  const t = createTranslate(locale);
  const title = stored.submission.title;
  const { text, html } = render([t('email.closed.text', { title, supports }), t('email.signature', { municipality: config.name })], locale);
  return { recipient, subject: t('email.closed.subject', { reference: stored.reference }), text, html };
}

/** To someone who said "this is my problem too": the fault is fixed (or dealt with), with a link to the public report. */
export function faultFixedEmail(supporter: { email: string; language: string }, stored: StoredSubmission, origin: string, config: MunicipalityConfig): OutgoingEmail {
  const locale = isLocale(supporter.language) ? supporter.language : DEFAULT_LOCALE;
  const t = createTranslate(locale);
  const { submission } = stored;
  const categoryId = submission.type === 'fault_report' ? submission.category : undefined;
  const category = config.faultCategories.find((candidate) => candidate.id === categoryId);
  const place = submission.type === 'fault_report' ? submission.location.description : '';
  const what = `${category ? localizedName(category.name, locale) : stored.reference}: ${place}`;
  const link = new URL(localizedPath(locale, publicFaultReportPath(stored.reference)), origin).href;
  const { text, html } = render([t('email.fixed.text', { what }), { link }, t('email.signature', { municipality: config.name })], locale);
  return { recipient: supporter.email, subject: t('email.fixed.subject', { reference: stored.reference }), text, html };
}
