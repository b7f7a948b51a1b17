/**
 * One e-mail from the municipality's mailbox, taken once: it becomes an errand through the same
 * intake as the web (channel `email`, a question to the default unit, answered within two working
 * days), or the person's answer on the errand it answers, or a bounce noted on the errand whose
 * mail it returns; automatic mail, mailing lists and the portal's own messages are left alone and
 * never answered. Whatever it became is stored under its Message-ID in the same transaction, so
 * reading it again (a second delivery, another instance, a crash before it was moved) stores nothing.
 */
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { TEXT_LIMITS } from '../../lib/intake/schema';
import { isLocale, DEFAULT_LOCALE, type Locale } from '../../lib/locales';
import { receiveSubmission } from '../intake';
import { keptAttachment } from '../case-files';
import { DuplicateInboundMessageError, type InboundMessage, type NewCaseFile, type StoredSubmission } from '../storage/index';
import type { Services } from '../services';
import { addressOf, inboundMessageKey, literalPattern, ownMessageTokens } from './mailbox';

/** The guideline's rule for e-mail: answered within two working days, whatever it is about. */
export const EMAIL_REPLY_WORKING_DAYS = 2;
/** At most this many of a message's attachments are kept with the errand, each at most this large; the rest stay in the mailbox's copy. */
export const MAX_EMAIL_FILES = 10;
export const MAX_EMAIL_FILE_BYTES = 15 * 1024 * 1024;
/** The name of the whole text kept for staff when the errand's message holds only the new part. */
export const WHOLE_TEXT_FILE = 'meddelande.txt';

/** What became of one message. `failed` ones go to the folder for staff; the others are done with. */
export type InboundOutcome =
  | { outcome: 'errand' | 'reply'; reference: string }
  | { outcome: 'bounce' | 'duplicate' }
  | { outcome: 'ignored' | 'failed'; reason: string };

/** What the intake of mail needs besides the services: the portal's own From and the origin of status links. */
export interface InboundContext {
  from: string;
  origin: string;
}

/** The header lines of the raw message, unfolded, as they were sent (mailparser reads some, such as Return-Path, as addresses). */
function rawHeader(raw: Buffer, name: string): string | undefined {
  const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n') === -1 ? raw.indexOf('\n\n') : raw.indexOf('\r\n\r\n'))).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
}

/**
 * Why a message must not become an errand nor be answered (RFC 3834's rules for automatic
 * responders), or undefined when a person wrote it to the municipality.
 */
function whyLeftAlone(mail: ParsedMail, raw: Buffer, from: string): string | undefined {
  const autoSubmitted = rawHeader(raw, 'Auto-Submitted')?.toLowerCase();
  if (autoSubmitted !== undefined && !/^no\b/.test(autoSubmitted)) return 'auto_submitted';
  if (/^(bulk|list|junk)\b/i.test(rawHeader(raw, 'Precedence') ?? '')) return 'bulk';
  if (rawHeader(raw, 'List-Id') !== undefined) return 'mailing_list';
  if (/^<\s*>$/.test(rawHeader(raw, 'Return-Path') ?? '')) return 'null_sender';
  const sender = mail.from?.value[0]?.address;
  if (sender !== undefined && addressOf(sender) === addressOf(from)) return 'own_message';
  if (ownMessageTokens(mail.messageId ?? '', from).length > 0) return 'own_message';
  return undefined;
}

/** Lines that begin what a mail program quotes of earlier mail, or a signature. */
const QUOTE_OR_SIGNATURE = [/^>/, /^-- ?$/, /^-{2,}\s*(original message|ursprungligt meddelande|alkuperäinen viesti)\s*-{2,}/i, /^_{10,}$/];
/** The line a mail program puts above a quote ("Den 3 dec. 2026 skrev Värmdö kommun:"), when a quote follows it. */
const ATTRIBUTION = /\b(wrote|skrev|kirjoitti|schrieb|a écrit|escribió|kirjutas)\b.*:$/i;

/** The part the person wrote now, and whether quoted history or a signature followed it. */
export function newPartOf(text: string): { fresh: string; cut: boolean } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let start = lines.findIndex((line) => QUOTE_OR_SIGNATURE.some((pattern) => pattern.test(line.trimEnd())));
  if (start > 0 && lines[start]?.startsWith('>')) {
    const above = lines.slice(0, start).findLastIndex((line) => line.trim() !== '');
    if (above !== -1 && ATTRIBUTION.test(lines[above]!.trim())) start = above;
  }
  const fresh = (start === -1 ? lines : lines.slice(0, start)).join('\n').trim();
  // A message that is all quote (a forward without a word) keeps everything.
  return fresh === '' ? { fresh: text.trim(), cut: false } : { fresh, cut: start !== -1 };
}

/** The language of the message when it says so (Content-Language), else Swedish: never a guess from the words. */
function languageOf(raw: Buffer): Locale {
  const primary = rawHeader(raw, 'Content-Language')?.split(',')[0]?.trim().toLowerCase().split('-')[0];
  return primary !== undefined && primary !== 'lattlast' && isLocale(primary) ? primary : DEFAULT_LOCALE;
}

/** The attachments kept for staff: images re-encoded as uploads are (metadata gone), other files as they came, within the limits. */
async function caseFilesOf(attachments: readonly Attachment[]): Promise<NewCaseFile[]> {
  const files: NewCaseFile[] = [];
  for (const [index, attachment] of attachments.entries()) {
    if (files.length >= MAX_EMAIL_FILES) break;
    if (attachment.content.length === 0 || attachment.content.length > MAX_EMAIL_FILE_BYTES) continue;
    const fallbackName = `bilaga-${index + 1}`;
    const file = await keptAttachment(attachment.content, attachment.filename ?? fallbackName, fallbackName);
    if (file) files.push(file);
  }
  return files;
}

/** The errand a message answers: by the portal's Message-IDs it refers to, or the reference in its subject; only from the address the errand writes to. */
async function answeredErrand(services: Services, mail: ParsedMail, raw: Buffer, context: InboundContext, sender: string): Promise<StoredSubmission | undefined> {
  const { store, config } = services;
  const referred = ownMessageTokens(`${rawHeader(raw, 'In-Reply-To') ?? ''} ${rawHeader(raw, 'References') ?? ''}`, context.from);
  const sent = await store.sentEmailByToken(referred);
  const reference = sent?.reference ?? new RegExp(`\\[(${literalPattern(config.referencePrefix)}-\\d{4}-\\d+)\\]`).exec(mail.subject ?? '')?.[1];
  const stored = reference === undefined ? undefined : await store.submissionByReference(reference);
  if (!stored || stored.purgedAt !== null) return undefined;
  const expected = sent ? sent.recipient : stored.submission.contact?.email;
  return expected !== undefined && addressOf(expected) === sender ? stored : undefined;
}

/** Takes one raw message from the mailbox. Storage failures are thrown: the message stays in the mailbox for the next round. */
export async function takeInboundMessage(services: Services, raw: Buffer, context: InboundContext): Promise<InboundOutcome> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch {
    return { outcome: 'failed', reason: 'unparsable' };
  }
  const { store } = services;
  const messageId = inboundMessageKey(mail.messageId, raw);
  if (await store.inboundMessageTaken(messageId)) return { outcome: 'duplicate' };
  const receivedAt = new Date();
  const record = (outcome: string, sender: string | null = null, subject: string | null = null): InboundMessage => ({ messageId, outcome, sender, subject, receivedAt });
  try {
    const contentType = mail.headers.get('content-type') as { value?: string } | undefined;
    if (contentType?.value?.toLowerCase() === 'multipart/report') {
      // A delivery status notification: the portal's mail it returns names the errand and the
      // address. Only a failure counts; a delay or a read receipt is noise.
      const report = raw.toString('latin1');
      const sent = /^Action:\s*failed/im.test(report) ? await store.sentEmailByToken(ownMessageTokens(report, context.from)) : undefined;
      if (!sent) return (await store.recordInboundMessage(record('ignored:report'))) ? { outcome: 'ignored', reason: 'report' } : { outcome: 'duplicate' };
      await store.recordAction(
        sent.submissionId,
        { event: { actor: 'resident', staffUserId: null, kind: 'undeliverable', data: { text: sent.recipient } }, inboundMessage: record('bounce') },
        receivedAt,
      );
      return { outcome: 'bounce' };
    }
    const leftAlone = whyLeftAlone(mail, raw, context.from);
    if (leftAlone !== undefined) return (await store.recordInboundMessage(record(`ignored:${leftAlone}`))) ? { outcome: 'ignored', reason: leftAlone } : { outcome: 'duplicate' };

    const author = mail.from?.value[0];
    if (!author?.address) return { outcome: 'failed', reason: 'no_sender' };
    const sender = addressOf(author.address);
    const subject = (mail.subject ?? '').trim();
    const whole = (mail.text ?? '').trim();
    const { fresh, cut } = newPartOf(whole);

    const answered = await answeredErrand(services, mail, raw, context, sender);
    if (answered) {
      await store.recordAction(
        answered.id,
        {
          event: { actor: 'resident', staffUserId: null, kind: 'resident_reply', data: { text: fresh.slice(0, TEXT_LIMITS.message), channel: 'email' } },
          ...(answered.status === 'answered' || answered.status === 'closed' ? { changes: { status: 'in_progress' as const } } : {}),
          inboundMessage: record('reply', sender, subject),
        },
        receivedAt,
      );
      return { outcome: 'reply', reference: answered.reference };
    }

    const files = await caseFilesOf(mail.attachments);
    // A message of attachments only is named by them, so it is not refused for having no text.
    const message = [subject, fresh].filter((part) => part !== '').join('\n\n') || files.map((file) => file.fileName).join(', ');
    const shortened = message.length > TEXT_LIMITS.message;
    // The errand holds what the person wrote now; the whole text, quotes and all, is kept for staff.
    if (cut || shortened) files.unshift({ fileName: WHOLE_TEXT_FILE, contentType: 'text/plain; charset=utf-8', bytes: Buffer.from(`${subject}\n\n${whole}\n`, 'utf8') });
    const result = await receiveSubmission(
      services,
      {
        type: 'question',
        message: shortened ? `${message.slice(0, TEXT_LIMITS.message - 1)}…` : message,
        contact: { ...(author.name ? { name: author.name.slice(0, TEXT_LIMITS.name) } : {}), email: sender },
        language: languageOf(raw),
      },
      { origin: context.origin, channel: 'email', files, inboundMessage: record('errand', sender, subject), replyWithinWorkingDays: EMAIL_REPLY_WORKING_DAYS },
    );
    if (result.outcome === 'invalid') return { outcome: 'failed', reason: `invalid:${result.errors.map((error) => error.key).join(',')}` };
    if (result.outcome !== 'created') return { outcome: 'failed', reason: result.outcome };
    return { outcome: 'errand', reference: result.receipt.reference };
  } catch (error) {
    if (error instanceof DuplicateInboundMessageError) return { outcome: 'duplicate' };
    throw error;
  }
}
