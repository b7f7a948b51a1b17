/** The form's texts: translated on the server and sent as props, looked up here without i18next. */
import type { Translate } from '../../lib/i18n';

/** Looks a key up in the texts the server sent, filling in `{{placeholders}}`; a missing key shows as itself. */
export function translator(text: Record<string, string>): Translate {
  return (key, replacements) =>
    Object.entries(replacements ?? {}).reduce((result, [name, value]) => result.replaceAll(`{{${name}}}`, String(value)), text[key] ?? key);
}

/** A date and time as the page's language writes it. */
export function timeFormatter(intlLocale: string): (iso: string) => string {
  return (iso) => new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
