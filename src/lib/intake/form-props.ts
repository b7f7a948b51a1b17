/**
 * What the errand form is rendered from: made by the server (`server/forms.ts`), read by the
 * island and its fields. Here, where both may import it, so neither imports the other.
 */
import type { ShownError } from './errors';
import type { FormValues } from './form';
import type { ErrandType, SchemaOptions } from './schema';

/** A choice offered to a person: the value sent and the text shown. */
export interface Option {
  value: string;
  label: string;
  hint?: string | undefined;
}

/** A photo shown in the form: where to fetch it and its size, so the page does not jump as it loads. */
export interface ShownPhoto {
  publicId: string;
  src: string;
  width: number;
  height: number;
}

/** A public fault report as the server shows it, already in the reader's language. */
export interface NearbyReport {
  reference: string;
  category: string;
  place: string;
  received: string;
  status: string;
  supports: string;
  url: string;
}

/** Everything the form needs, all text already translated on the server. */
export interface ErrandFormProps {
  type: ErrandType;
  action: string;
  language: string;
  /** The locale for formatting times (Latin digits for Arabic and Persian, like the rest of the page). */
  intlLocale: string;
  formToken: string;
  initialValues: FormValues;
  initialErrors: ShownError[];
  /** Translated texts by locale key: labels, hints and every validation message. */
  text: Record<string, string>;
  units: Option[];
  categories: Option[];
  feedbackKinds: Option[];
  schemaOptions: SchemaOptions;
  privacyHref: string;
  /** Photos received with an earlier post of this form. */
  photos: ShownPhoto[];
  /** Open fault reports at the same place, shown by the server after a post without JavaScript. */
  nearby: NearbyReport[];
}
