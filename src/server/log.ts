/**
 * Structured logs: one JSON object per line on stdout, for a log collector to index. They must
 * never carry personal data — no names, e-mail addresses, phone numbers, addresses, message
 * texts or client IP addresses — so fields take only plain values chosen by the caller, and
 * paths have their secret tokens replaced.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export function logEvent(level: LogLevel, event: string, fields: LogFields = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
}

/**
 * A path fit for the log: status-page tokens, photo ids and anything else long and random are
 * replaced, since a status link's token opens the errand it belongs to.
 */
export function loggablePath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) ? ':token' : segment))
    .join('/');
}

/** The kind of an error, without its message (which could quote the input that caused it). */
export function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name}:${code}` : error.name;
}
