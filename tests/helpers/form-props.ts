/**
 * The errand form's props as the server makes them, from the real locale texts and the shipped
 * municipality configuration: a form test fails when a text the form shows has no key.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMunicipalityConfig } from '../../src/server/config';
import { errandFormProps } from '../../src/server/forms';
import { createTranslate } from '../../src/lib/i18n';
import type { ShownError } from '../../src/lib/intake/errors';
import { blankFormValues, HONEYPOT_FIELD, STARTED_AT_FIELD, type FormValues } from '../../src/lib/intake/form';
import type { ErrandFormProps } from '../../src/lib/intake/form-props';
import type { ErrandType } from '../../src/lib/intake/schema';
import { localizedPath, type Locale } from '../../src/lib/locales';

const config = loadMunicipalityConfig(join(resolve(fileURLToPath(import.meta.url), '../../..'), 'config/varmdo.json'));

interface FormPropsOptions {
  locale?: Locale;
  values?: FormValues;
  errors?: ShownError[];
}

/** A form token the server could have made, the same in every test so drafts and requests can be compared. */
export const FORM_TOKEN = '00000000-0000-4000-8000-000000000000';

export function formPropsFor(type: ErrandType, { locale = 'sv', values = {}, errors = [] }: FormPropsOptions = {}): ErrandFormProps {
  const context = { t: createTranslate(locale), locale, localePath: (path: string) => localizedPath(locale, path), config };
  const shown = { ...blankFormValues(type), formToken: FORM_TOKEN, [STARTED_AT_FIELD]: 'signed-start-time', [HONEYPOT_FIELD]: '', ...values };
  return errandFormProps(context, type, shown, errors, []);
}
