/**
 * Reference numbers (ärendenummer) such as VDO-2026-000042: the municipality's prefix, the
 * Swedish year of receipt and a number counted per year. Digits only after the prefix, so it
 * can be read aloud over the phone without spelling.
 */
import { swedishDate } from '../calendar';

const NUMBER_DIGITS = 6;

/** Builds the reference for the `sequence`-th submission of `year`. */
export function formatReference(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(NUMBER_DIGITS, '0')}`;
}

/**
 * The reference as said on the phone: its parts apart (`VDO-2026-000042` → `VDO 2026 000042`),
 * so a staff member reads it out in three breaths rather than as one long word.
 */
export function spokenReference(reference: string): string {
  return reference.replaceAll('-', ' ');
}

/** A reference in the municipality's own format and this year, shown as an example of how one looks. */
export function exampleReference(prefix: string, now: Date): string {
  return formatReference(prefix, Number(swedishDate(now).slice(0, 4)), 123);
}

/**
 * The reference a person typed, as the portal writes it (`vdo-2026-000042 ` → `VDO-2026-000042`),
 * or undefined when it is not one of the municipality's references.
 */
export function parseReference(text: string, prefix: string): string | undefined {
  const reference = text.replace(/\s+/g, '').toUpperCase();
  // Six digits or more: a year past the millionth errand keeps counting (see formatReference).
  return new RegExp(`^${prefix}-\\d{4}-\\d{${NUMBER_DIGITS},}$`).test(reference) ? reference : undefined;
}
