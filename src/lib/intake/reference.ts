/**
 * Reference numbers (ärendenummer) such as VDO-2026-000042: the municipality's prefix, the
 * Swedish year of receipt and a number counted per year. Digits only after the prefix, so it
 * can be read aloud over the phone without spelling.
 */

const NUMBER_DIGITS = 6;

/** Builds the reference for the `sequence`-th submission of `year`. */
export function formatReference(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(NUMBER_DIGITS, '0')}`;
}

