/**
 * Where e-mail goes: over SMTP when SMTP_URL is set (smtp://user:password@host:587, or smtps://
 * for TLS from the start); otherwise, in the embedded default, each message is written as an
 * .eml file under MAIL_DIRECTORY (default data/mail), where it can be opened in any mail program.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Its own Message-ID, by which answers and bounces find their errand. */
  messageId: string;
  /** Further header fields, e.g. Auto-Submitted, Content-Language, In-Reply-To and References. */
  headers: Record<string, string>;
}

export type SendMail = (message: MailMessage) => Promise<void>;

export function mailTransport(): { send: SendMail; describe: string } {
  const smtpUrl = process.env['SMTP_URL'];
  if (smtpUrl) {
    const transporter = nodemailer.createTransport(smtpUrl);
    return { send: async (message) => void (await transporter.sendMail(message)), describe: `SMTP ${new URL(smtpUrl).host}` };
  }
  const directory = process.env['MAIL_DIRECTORY'] ?? 'data/mail';
  const writer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    describe: `.eml files in ${directory}`,
    async send(message) {
      const { message: raw } = (await writer.sendMail(message)) as unknown as { message: Buffer };
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`), raw);
    },
  };
}
