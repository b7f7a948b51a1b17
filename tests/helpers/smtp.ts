/**
 * A real SMTP server in the test process (smtp-server), so tests see what the portal actually
 * sent over the wire: every message is parsed (mailparser) and kept.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  /** The SMTP_URL to give the portal. */
  url: string;
  messages: ParsedMail[];
  /** Waits until a message matching `predicate` has arrived, and returns it. */
  waitFor(predicate: (message: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  stop(): Promise<void>;
}

/** The RFC 3834 Auto-Submitted and the Content-Language header of a message, as it arrived. */
export function automaticHeaders(message: ParsedMail): { autoSubmitted: unknown; contentLanguage: unknown } {
  return { autoSubmitted: message.headers.get('auto-submitted'), contentLanguage: message.headers.get('content-language') };
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((message) => {
          messages.push(message);
          callback();
        })
        .catch(callback);
    },
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching e-mail within ${timeoutMs} ms; received: ${messages.map((message) => message.subject).join(' | ') || 'none'}`);
        await new Promise((wait) => setTimeout(wait, 100));
      }
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
