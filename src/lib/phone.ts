/**
 * Phone numbers as the configuration writes them ("08-570 470 00") and as a `tel:` link dials
 * them: digits and a leading plus only.
 */

/** The `tel:` address of a phone number written for people. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^+0-9]/g, '')}`;
}
