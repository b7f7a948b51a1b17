/**
 * The municipality's one e-mail address as the portal reads it: IMAP_URL names the mailbox
 * (`imaps://user:password@host:993/INBOX`, or `imap://` without TLS), and with it every message
 * the portal sends invites an answer by e-mail. Without IMAP_URL nothing is read and the messages
 * keep pointing to the status page. Also the Message-IDs of the portal's own e-mail, by which
 * answers and bounces are traced back to the errand they belong to.
 */
import { createHash } from 'node:crypto';

export interface MailboxSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** Where a message goes once taken (an errand, an answer, or left alone on purpose). */
  processedFolder: string;
  /** Where a message goes that could not be read or taken, for staff to look at. */
  failedFolder: string;
  /** How often the mailbox is looked at when the server cannot tell of new mail (IDLE) by itself. */
  pollMs: number;
}

/** The mailbox settings from the environment, or undefined when IMAP_URL is not set. */
export function mailboxSettings(env: NodeJS.ProcessEnv = process.env): MailboxSettings | undefined {
  const raw = env['IMAP_URL']?.trim();
  if (!raw) return undefined;
  const url = new URL(raw);
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new Error('IMAP_URL must start with imap:// or imaps://');
  const secure = url.protocol === 'imaps:';
  return {
    host: url.hostname,
    port: Number(url.port || (secure ? 993 : 143)),
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
    processedFolder: env['IMAP_PROCESSED_FOLDER']?.trim() || 'Behandlade',
    failedFolder: env['IMAP_FAILED_FOLDER']?.trim() || 'Kunde inte läsas',
    pollMs: Number(env['IMAP_POLL_SECONDS'] ?? 60) * 1000,
  };
}

/** Whether the portal reads its mail, so that its messages may ask for an answer by e-mail. */
export function receivesMail(): boolean {
  return Boolean(process.env['IMAP_URL']?.trim());
}

/** The bare address of a From value such as `"Värmdö kommun" <info@varmdo.se>`, in lower case. */
export function addressOf(from: string): string {
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** The right part of the portal's Message-IDs: the domain of its From address. */
function messageIdDomain(from: string): string {
  return addressOf(from).split('@').pop() || 'localhost';
}

/** The Message-ID of a queued e-mail, from the token stored with it: a retry sends the same id. */
export function messageIdOf(token: string, from: string): string {
  return `<${token}@${messageIdDomain(from)}>`;
}

/** `text` matched literally inside a regular expression. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The tokens of the portal's own Message-IDs that `text` (headers, a bounce's report) mentions. */
export function ownMessageTokens(text: string, from: string): string[] {
  return [...new Set([...text.matchAll(new RegExp(`<([0-9a-f]{32})@${literalPattern(messageIdDomain(from))}>`, 'gi'))].map((match) => match[1]!.toLowerCase()))];
}

/** What identifies a received message once: its Message-ID, or the hash of the raw message when it has none. */
export function inboundMessageKey(messageId: string | undefined, raw: Buffer): string {
  const id = messageId?.trim();
  return id ? id : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** The subject of the portal's answer in a person's thread: `Re: Soptunnan [VDO-2026-000042]`. */
export function threadSubject(subject: string, reference: string): string {
  const bare = subject
    .replace(/^\s*((re|sv|aw|vs|antw|fw|fwd)\s*:\s*)+/i, '')
    .replace(`[${reference}]`, '')
    .trim();
  return bare ? `Re: ${bare} [${reference}]` : `Re: [${reference}]`;
}
