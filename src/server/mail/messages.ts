/**
 * The e-mails a resident gets, in the language they wrote in: the acknowledgement of what was
 * received, a reply from staff, a fresh status link, and what happens to a proposal or a fault
 * they support. Plain text and HTML say the same; everything a person wrote is escaped in the
 * HTML part. Each message knows its language, which goes out as its Content-Language.
 */
import { localizedName, type MunicipalityConfig } from '../../config/schema';
import { formatLongDate } from '../../lib/dates';
import { createTranslate, type Translate } from '../../lib/i18n';
import { directionOf, isLocale, languageTag, localizedPath, DEFAULT_LOCALE, type Locale } from '../../lib/locales';
import { publicFaultReportPath, statusPath } from '../../lib/routes';
import type { OutgoingEmail } from '../storage/cases';
import type { StoredSubmission } from '../storage/index';
import { receivesMail } from './mailbox';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Isolates a left-to-right run in plain text (U+2066 … U+2069), as `dir="ltr"` does in HTML. */
function isolateLeftToRight(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `\u2066${line}\u2069`))
    .join('\n');
}

/**
 * A paragraph of a message: text in the message's language, a link, or text in another
 * language (`{ text, language }`): a caseworker's reply is written in Swedish whatever the
 * person's language, and is marked so (language and direction) inside an Arabic or Persian message.
 */
type Paragraph = string | { link: string } | { text: string; language: Locale };

/** The message in `locale`, plain text and HTML saying the same. */
function compose(recipient: string, subject: string, paragraphs: readonly Paragraph[], locale: Locale): OutgoingEmail {
  const dir = directionOf(locale);
  const textOf = (paragraph: Paragraph): string => {
    if (typeof paragraph === 'string') return paragraph;
    if ('link' in paragraph) return paragraph.link;
    return directionOf(paragraph.language) === dir ? paragraph.text : isolateLeftToRight(paragraph.text);
  };
  const htmlOf = (paragraph: Paragraph): string => {
    if (typeof paragraph === 'string') return `<p>${escapeHtml(paragraph).replaceAll('\n', '<br>')}</p>`;
    if ('link' in paragraph) return `<p><a href="${escapeHtml(paragraph.link)}" dir="ltr">${escapeHtml(paragraph.link)}</a></p>`;
    const language = languageTag(paragraph.language);
    const inner = `<p>${escapeHtml(paragraph.text).replaceAll('\n', '<br>')}</p>`;
    return language === languageTag(locale) ? inner : `<div lang="${language}" dir="${directionOf(paragraph.language)}">${inner}</div>`;
  };
  const body = paragraphs.map(htmlOf).join('\n');
  return {
    recipient,
    subject,
    language: languageTag(locale),
    text: paragraphs.map(textOf).join('\n\n'),
    html: `<!DOCTYPE html><html lang="${languageTag(locale)}" dir="${dir}"><body>\n${body}\n</body></html>`,
  };
}

/** The language an errand was sent in: its e-mails and status links use it. */
export function errandLocale(stored: StoredSubmission): Locale {
  return isLocale(stored.submission.language) ? stored.submission.language : DEFAULT_LOCALE;
}

/** The address of an errand's status page in `locale`, opened by `statusToken`. */
export function statusLink(origin: string, locale: Locale, statusToken: string): string {
  return new URL(localizedPath(locale, statusPath(statusToken)), origin).href;
}

/** With the mailbox read, an answer by e-mail reaches the errand; otherwise the status page is the way to answer. */
function whereToAnswer(t: Translate): string {
  return t(receivesMail() ? 'email.answerByEmail' : 'email.doNotReply');
}

/** A message to the person who sent an errand, in the errand's language; nothing when they left no e-mail address. */
function toSender(stored: StoredSubmission, write: (t: Translate, locale: Locale) => { subject: string; paragraphs: Paragraph[] }): OutgoingEmail | undefined {
  const recipient = stored.submission.contact?.email;
  if (!recipient) return undefined;
  const locale = errandLocale(stored);
  const { subject, paragraphs } = write(createTranslate(locale), locale);
  return compose(recipient, subject, paragraphs, locale);
}

/** The acknowledgement of a new submission, or nothing when no e-mail address was given. */
export function acknowledgementEmail(stored: StoredSubmission, config: MunicipalityConfig, link: string): OutgoingEmail | undefined {
  const unit = config.units.find((candidate) => candidate.id === stored.handlingUnit);
  return toSender(stored, (t, locale) => ({
    subject: t('email.ack.subject', { reference: stored.reference }),
    paragraphs: [
      t(`receipt.title.${stored.type}`),
      `${t('receipt.referenceLabel')}: ${stored.reference}`,
      ...(stored.replyBy ? [t('receipt.promise', { unit: unit ? localizedName(unit.name, locale) : stored.handlingUnit, date: formatLongDate(stored.replyBy, locale) })] : []),
      `${t('email.yourMessage')}\n${stored.submission.message}`,
      t('email.statusLink'),
      { link },
      whereToAnswer(t),
      t('email.signature', { municipality: config.name }),
    ],
  }));
}

/**
 * A reply from staff, or nothing when the person left no e-mail address. Staff write in
 * Swedish, so the reply is marked Swedish inside a message in any other language.
 */
export function replyEmail(stored: StoredSubmission, config: MunicipalityConfig, reply: string, link: string): OutgoingEmail | undefined {
  const email = toSender(stored, (t) => ({
    subject: t('email.reply.subject', { reference: stored.reference }),
    paragraphs: [
      t('email.reply.intro', { reference: stored.reference }),
      { text: reply, language: DEFAULT_LOCALE },
      t('email.reply.answerBack'),
      { link },
      whereToAnswer(t),
      t('email.signature', { municipality: config.name }),
    ],
  }));
  return email && { ...email, writtenByPerson: true };
}

/** A fresh status link, asked for with the reference and the address the errand was sent with. */
export function statusLinkEmail(stored: StoredSubmission, config: MunicipalityConfig, link: string): OutgoingEmail | undefined {
  return toSender(stored, (t) => ({
    subject: t('email.statusLinkRequest.subject', { reference: stored.reference }),
    paragraphs: [
      t('email.statusLinkRequest.intro', { reference: stored.reference }),
      { link },
      t('email.statusLinkRequest.ignore'),
      whereToAnswer(t),
      t('email.signature', { municipality: config.name }),
    ],
  }));
}

/** The link a supporter follows to confirm their support of a published proposal. */
export function supportConfirmationEmail(recipient: string, title: string, link: string, locale: Locale, config: MunicipalityConfig): OutgoingEmail {
  const t = createTranslate(locale);
  return compose(
    recipient,
    t('email.support.subject', { title }),
    [t('email.support.intro', { title }), { link }, t('email.support.ignore'), t('email.signature', { municipality: config.name })],
    locale,
  );
}

/** To the proposer: the proposal has as many supports as the municipality asks for. */
export function thresholdReachedEmail(stored: StoredSubmission, supports: number, config: MunicipalityConfig): OutgoingEmail | undefined {
  const { submission } = stored;
  if (submission.type !== 'proposal') return undefined;
  return toSender(stored, (t) => ({
    subject: t('email.threshold.subject', { reference: stored.reference }),
    paragraphs: [t('email.threshold.text', { title: submission.title, supports }), t('email.signature', { municipality: config.name })],
  }));
}

/** To the proposer: the proposal is closed for support, with how many it got. */
export function proposalClosedEmail(stored: StoredSubmission, supports: number, config: MunicipalityConfig): OutgoingEmail | undefined {
  const { submission } = stored;
  if (submission.type !== 'proposal') return undefined;
  return toSender(stored, (t) => ({
    subject: t('email.closed.subject', { reference: stored.reference }),
    paragraphs: [t('email.closed.text', { title: submission.title, supports }), t('email.signature', { municipality: config.name })],
  }));
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
  return compose(supporter.email, t('email.fixed.subject', { reference: stored.reference }), [t('email.fixed.text', { what }), { link }, t('email.signature', { municipality: config.name })], locale);
}
