/**
 * The bridge between an HTML form and a submission. Field names are the submission's paths
 * (`contact.email`), so a validation error on a path points straight at its input. Used by the
 * server for posts without JavaScript and by the browser before sending, so both judge alike.
 */
import type { ErrandType } from './schema';

/** What a person typed, by field name, exactly as typed (kept to refill the form after an error). */
export type FormValues = Record<string, string>;

/** The radio a person uses to choose between a reply and staying anonymous. */
export const REPLY_FIELD = 'reply';

/** Errands in which a person may stay anonymous; a proposal is always signed. */
export const ANONYMOUS_ALLOWED: ReadonlySet<ErrandType> = new Set(['question', 'feedback', 'fault_report']);

/** Errands that may carry photos. */
export const PHOTO_ERRANDS: ReadonlySet<ErrandType> = new Set(['fault_report']);

/** The form field and multipart part that carry photos. */
export const PHOTOS_FIELD = 'photos';

/** The checkboxes with which a person removes photos kept from an earlier post of the form. */
export const REMOVE_PHOTO_FIELD = 'removePhoto';

/** When the form was shown, signed by the server: a post sooner than a person could type is held back. */
export const STARTED_AT_FIELD = 'startedAt';

/** A field hidden from people and assistive technology; only a bot fills it in. */
export const HONEYPOT_FIELD = 'kontroll';

/** Set once a fault form without JavaScript has shown the open reports at the same place: the next post is sent. */
export const NEARBY_SHOWN_FIELD = 'nearbyShown';

/** Form fields that carry no submission data but travel with the post. */
const CONTROL_FIELDS = new Set([REPLY_FIELD, 'formToken', PHOTOS_FIELD, REMOVE_PHOTO_FIELD, STARTED_AT_FIELD, HONEYPOT_FIELD, NEARBY_SHOWN_FIELD]);

/** A new, empty form: a reply is wanted unless the person chooses otherwise. */
export function blankFormValues(type: ErrandType): FormValues {
  return ANONYMOUS_ALLOWED.has(type) ? { [REPLY_FIELD]: 'yes' } : {};
}

/** Collects a form's text fields; files and repeated names are not part of these forms. */
export function readFormValues(data: FormData): FormValues {
  const values: FormValues = {};
  for (const [name, value] of data.entries()) {
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** A number if the text is one; otherwise the text, so validation reports it rather than dropping it. */
function optionalNumber(value: string | undefined): number | string | undefined {
  const text = optional(value)?.trim().replace(',', '.');
  if (text === undefined) return undefined;
  // Only plain decimals: Number() would also read "0x3B" or "1e2", which nobody means as a position.
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/**
 * Builds the submission a form describes. Blank optional fields become absent, and choosing
 * to stay anonymous drops the contact details even if some were typed before changing one's mind.
 */
export function formToSubmission(type: ErrandType, values: FormValues, language: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (CONTROL_FIELDS.has(name) || name.startsWith('contact.') || name.startsWith('location.')) continue;
    body[name] = optional(value);
  }
  // The page decides the errand and the language, whatever fields a post carries.
  body['type'] = type;
  body['language'] = language;
  if (type === 'fault_report') {
    body['location'] = {
      description: values['location.description'] ?? '',
      lat: optionalNumber(values['location.lat']),
      lon: optionalNumber(values['location.lon']),
    };
  }
  const anonymous = ANONYMOUS_ALLOWED.has(type) && values[REPLY_FIELD] === 'no';
  body['contact'] = anonymous
    ? null
    : {
        name: type === 'proposal' ? (values['contact.name'] ?? '') : optional(values['contact.name']),
        email: type === 'proposal' ? (values['contact.email'] ?? '') : optional(values['contact.email']),
        phone: optional(values['contact.phone']),
      };
  return body;
}
