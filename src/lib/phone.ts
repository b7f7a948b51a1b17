/**
 * Phone numbers as the configuration writes them ("08-570 470 00") and as a `tel:` link dials
 * them: digits and a leading plus only; and as SMS are sent to and matched by them, in
 * international form (+46701234567), however a gateway, a person or a form wrote them.
 */

/** The `tel:` address of a phone number written for people. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^+0-9]/g, '')}`;
}

/**
 * The number in international form: spaces, dashes and brackets dropped, a leading 00 read as
 * `+`, and a leading single 0 read as a Swedish number; undefined when it is no phone number.
 */
export function internationalPhoneNumber(text: string): string | undefined {
  const written = text.replace(/[\s()-]/g, '');
  const international = written.startsWith('+')
    ? written
    : written.startsWith('00')
      ? `+${written.slice(2)}`
      : written.startsWith('0')
        ? `+46${written.slice(1)}`
        : undefined;
  return international !== undefined && /^\+[1-9][0-9]{6,14}$/.test(international) ? international : undefined;
}
