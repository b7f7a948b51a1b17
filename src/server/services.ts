/**
 * What every request needs, created once per process at start-up: the municipality's
 * configuration, the schema built from it and the storage. server.mjs loads this eagerly, so
 * a wrong configuration or an unreachable database stops the server before it listens.
 */
import { createSubmissionSchema, type SubmissionSchema } from '../lib/intake/schema';
import type { MunicipalityConfig } from '../config/schema';
import { loadAnswers, loadElectedOfficials, loadMunicipalityConfig, type ElectedOfficial } from './config';
import { DEFAULT_LOCALE, type Locale } from '../lib/locales';
import type { Answer } from '../lib/answers';
import { openStore, type Store } from './storage/index';
import { startMailDelivery, type MailDelivery } from './mail/delivery';
import type { Delivery } from './delivery-loop';
import { startSmsDelivery } from './sms/delivery';
import { smsSettingsFrom, type SmsSettings } from './sms/gateway';
import { mailTransport } from './mail/transport';
import { errorKind, logEvent } from './log';
import { closeDueProposals } from './proposals';
import { mailboxSettings, receivesMail } from './mail/mailbox';
import { startMailboxReader } from './mail/imap';
import { publicOrigin } from './http';
import { runScheduledRetention } from './retention';

/** The process-wide services handed to pages and endpoints through `Astro.locals`. */
export interface Services {
  config: MunicipalityConfig;
  schema: SubmissionSchema;
  store: Store;
  /** Sends queued e-mail; nudge it after queueing one. */
  mail: MailDelivery;
  /** The SMS gateway, when one is configured: the webhook takes SMS, errands that came by SMS are answered by SMS. */
  smsSettings: SmsSettings | undefined;
  /** Sends queued SMS; nudge it after queueing one. */
  sms: Delivery;
  /** The common questions and answers in a language, or in Swedish where that language has none. */
  answersIn(locale: Locale): { answers: Answer[]; language: Locale };
  electedOfficials: ElectedOfficial[];
}

function schemaFor(config: MunicipalityConfig): SubmissionSchema {
  return createSubmissionSchema({
    unitIds: config.units.map((unit) => unit.id),
    categoryIds: config.faultCategories.map((category) => category.id),
  });
}

const config = loadMunicipalityConfig(process.env['MUNICIPALITY_CONFIG'] ?? 'config/varmdo.json');

const store = await openStore(process.env['DATABASE_URL']);
const answers = loadAnswers(config.answers);
const electedOfficials = loadElectedOfficials(config.electedOfficials);
const smsSettings = smsSettingsFrom(process.env);

/** The municipality is the sender; MAIL_FROM overrides, e.g. for a no-reply address. */
const mailFrom = process.env['MAIL_FROM'] ?? `"${config.name}" <${config.contact.email}>`;

/** The services of this process. */
export const services: Services = {
  config,
  schema: schemaFor(config),
  store,
  mail: startMailDelivery(store, mailTransport().send, mailFrom, receivesMail()),
  smsSettings,
  sms: startSmsDelivery(store, smsSettings),
  answersIn: (locale) => {
    // Lättläst falls back to Swedish; any other language to English, which more of its readers know.
    const fallbacks: Locale[] = locale === 'lattlast' ? [DEFAULT_LOCALE] : ['en', DEFAULT_LOCALE];
    const language = [locale, ...fallbacks].find((candidate) => answers[candidate] !== undefined) ?? DEFAULT_LOCALE;
    return { answers: answers[language] ?? [], language };
  },
  electedOfficials,
};

/** How often background work (closing e-proposals whose last day has passed, the daily purge) runs. */
const BACKGROUND_INTERVAL_MS = Number(process.env['BACKGROUND_INTERVAL_MS'] ?? 60_000);
setInterval(() => {
  closeDueProposals(services).catch((error: unknown) => logEvent('warn', 'background_work_failed', { error: errorKind(error) }));
  runScheduledRetention(store, config).catch((error: unknown) => logEvent('warn', 'retention_run_failed', { trigger: 'schedule', error: errorKind(error) }));
}, BACKGROUND_INTERVAL_MS).unref();

/**
 * The municipality's mailbox, read when IMAP_URL is set. Status links in the answers point to
 * PUBLIC_URL, or to the address this process serves at. server.mjs stops the reader on SIGTERM,
 * after the message in hand, through the hook it finds under this symbol.
 */
const mailbox = mailboxSettings();
if (mailbox) {
  const origin = publicOrigin(new URL(`http://${process.env['HOST'] ?? 'localhost'}:${process.env['PORT'] ?? 4321}`));
  const reader = startMailboxReader(services, mailbox, { from: mailFrom, origin });
  (globalThis as Record<symbol, unknown>)[Symbol.for('en-vag-in.stop-background')] = () => reader.stop();
}
