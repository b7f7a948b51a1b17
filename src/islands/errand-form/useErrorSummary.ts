/**
 * The errors shown in the summary and at their fields. Each failed attempt moves focus to the
 * summary, also when the errors are the same as the last time.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../../lib/i18n';
import type { FieldError, ShownError } from '../../lib/intake/errors';

export function useErrorSummary(initialErrors: ShownError[], tr: Translate) {
  const [errors, setErrors] = useState<ShownError[]>(initialErrors);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (failedAttempts > 0) summaryRef.current?.focus();
  }, [failedAttempts]);

  /** Shows messages already written out, such as the server's own `detail`. */
  const showMessages = (shown: ShownError[]) => {
    setErrors(shown);
    setFailedAttempts((count) => count + 1);
  };
  /** Shows validation errors by their locale keys. */
  const showErrors = (fieldErrors: FieldError[]) => {
    showMessages(fieldErrors.map((error) => ({ field: error.field, message: tr(error.key, error.values) })));
    // The server marks a returned form in the title; a form checked here must say the same.
    const prefix = tr('layout.errorTitlePrefix');
    if (!document.title.startsWith(prefix)) document.title = `${prefix}${document.title}`;
  };
  /** Takes away the errors of one field, or all of them. */
  const clearErrors = (field?: string) => setErrors((current) => (field === undefined ? [] : current.filter((error) => error.field !== field)));
  const errorOf = (field: string) => errors.find((error) => error.field === field)?.message;

  return { errors, summaryRef, showErrors, showMessages, clearErrors, errorOf };
}

export type ErrorSummaryState = ReturnType<typeof useErrorSummary>;
