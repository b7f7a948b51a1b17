/**
 * The ways an errand reaches the municipality. "En väg in" is one phone number, one e-mail
 * address and one postal address besides the web, all leading to the same handling: every
 * errand records which way it came, and the follow-up counts by it.
 */

/** Every channel, as the exports and the follow-up's JSON name them. */
export const CHANNELS = ['web', 'api', 'open311', 'phone', 'visit', 'letter', 'email', 'sms', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The channels a staff member registers an errand from: what a person said on the phone or at
 * the desk, wrote in a letter or an e-mail sent to a staff member, or posted on social media.
 * Mail to the municipality's one address and SMS to its number arrive by themselves.
 */
export const STAFF_CHANNELS = ['phone', 'visit', 'letter', 'email', 'social'] as const satisfies readonly Channel[];
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

export function isStaffChannel(value: unknown): value is StaffChannel {
  return typeof value === 'string' && (STAFF_CHANNELS as readonly string[]).includes(value);
}
