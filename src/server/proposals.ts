/**
 * Published e-proposals on the resident's side: supporting one (an e-mail address, confirmed by
 * the link sent to it), confirming, and closing those whose last day has passed.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AstroGlobal } from 'astro';
import { swedishDate } from '../lib/calendar';
import { isEmailAddress } from '../lib/intake/schema';
import { localizedPath } from '../lib/locales';
import { supportConfirmationPath } from '../lib/routes';
import { publicOrigin, readFormFields } from './http';
import { sharedSecret } from './secrets';
import { proposalClosedEmail, supportConfirmationEmail, thresholdReachedEmail } from './mail/messages';
import type { Services } from './services';
import type { PublishedProposal, SupportConfirmation, SupportRequest } from './storage/proposals';

export const SUPPORT_EMAIL_FIELD = 'email';

/** Who supports, as an HMAC of the e-mail address: one support per address, and no address stored for it. */
async function supporterKey(services: Services, email: string): Promise<string> {
  return createHmac('sha256', await sharedSecret(services.store, 'proposal-supporter')).update(email.trim().toLowerCase()).digest('base64url');
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type SupportFormResult = { kind: 'invalid'; value: string } | { kind: 'done'; outcome: SupportRequest };

/** Takes a support form's post: sends the confirmation link, or says what is wrong. */
export async function requestSupport(astro: AstroGlobal, proposal: PublishedProposal): Promise<SupportFormResult> {
  const { services, locale } = astro.locals;
  const values = await readFormFields(astro);
  const email = (values[SUPPORT_EMAIL_FIELD] ?? '').trim();
  if (!isEmailAddress(email)) return { kind: 'invalid', value: email };
  const token = randomBytes(24).toString('base64url');
  const link = new URL(localizedPath(locale, supportConfirmationPath(token)), publicOrigin(astro.url)).href;
  const title = proposal.stored.submission.type === 'proposal' ? proposal.stored.submission.title : proposal.stored.reference;
  const now = new Date();
  const outcome = await services.store.requestSupport(
    proposal.stored.id,
    await supporterKey(services, email),
    hashToken(token),
    swedishDate(now),
    supportConfirmationEmail(email, title, link, locale, services.config),
    now,
  );
  if (outcome === 'pending') services.mail.nudge();
  return { kind: 'done', outcome };
}

export async function confirmSupport(services: Services, token: string): Promise<SupportConfirmation> {
  const now = new Date();
  const result = await services.store.confirmSupport(hashToken(token), swedishDate(now), now, services.config.proposals.supportThreshold, (proposal) =>
    thresholdReachedEmail(proposal.stored, proposal.supports, services.config),
  );
  services.mail.nudge();
  return result;
}

/** Closes proposals whose last day has passed and tells each proposer. */
export async function closeDueProposals(services: Services): Promise<void> {
  const now = new Date();
  const closed = await services.store.closeDueProposals(swedishDate(now), now, (proposal) => proposalClosedEmail(proposal.stored, proposal.supports, services.config));
  if (closed > 0) services.mail.nudge();
}
