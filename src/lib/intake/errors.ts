/**
 * Turns validation issues into what the pages and the API report: which field is wrong and
 * the locale key of the message. No text here, so every language gets its own wording.
 */
import type { z } from 'zod';

/** One wrong field: its path written with dots (`contact.email`) and the key of its message. */
export interface FieldError {
  field: string;
  key: string;
  /** Values for the message's placeholders, such as the name of the file it is about. */
  values?: Record<string, string>;
}

/** An error as shown to a person: the field's path and the message in their language. */
export interface ShownError {
  /** The wrong field's path, or FORM_ERROR for a problem with the whole form (nothing to link to). */
  field: string;
  message: string;
}

/** The `field` of an error about the form as a whole, such as storage being unavailable. */
export const FORM_ERROR = '';

/** Every message key the submission schema can produce; locale files must have each. */
export const VALIDATION_MESSAGE_KEYS = [
  'error.type.invalid',
  'error.message.required',
  'error.message.tooLong',
  'error.unit.invalid',
  'error.feedbackKind.required',
  'error.category.required',
  'error.place.required',
  'error.place.tooLong',
  'error.coordinates.invalid',
  'error.title.required',
  'error.title.tooLong',
  'error.reason.invalid',
  'error.reason.tooLong',
  'error.name.required',
  'error.name.invalid',
  'error.name.tooLong',
  'error.email.required',
  'error.email.invalid',
  'error.phone.invalid',
  'error.contact.required',
  'error.contact.invalid',
  'error.contact.emailOrPhone',
  'error.language.invalid',
  'error.photos.notAllowed',
  'error.photos.tooMany',
  'error.photos.unsupportedType',
  'error.photos.tooLarge',
  'error.photos.unreadable',
  'error.photos.empty',
  'error.field.invalid',
] as const;

const knownKeys = new Set<string>(VALIDATION_MESSAGE_KEYS);

/**
 * One error per field, in the order the issues came (the form's order): a person fixes one
 * thing at a time per field, so a second complaint about the same field would only be noise.
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const byField = new Map<string, FieldError>();
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || 'type';
    if (byField.has(field)) continue;
    byField.set(field, { field, key: knownKeys.has(issue.message) ? issue.message : 'error.field.invalid' });
  }
  return [...byField.values()];
}

/** The HTML id of a field's input, derived from its path so errors can link to it. */
export function fieldId(field: string): string {
  return `field-${field.replaceAll('.', '-')}`;
}
