/**
 * Form fields that wire label, hint and error the same way everywhere: ids derived from the
 * field's path, the hint, the hints of the groups it sits in and the error all in
 * `aria-describedby`, `aria-invalid` on error (the pattern of NL Design System's
 * FormFieldTextbox and GOV.UK).
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { fieldId } from '../../lib/intake/errors';
import type { Option } from '../../lib/intake/form-props';

/** The ids of the group hints around a field, outermost first. */
const GroupHints = createContext<readonly string[]>([]);

/** What every field shows around its input. */
interface FieldText {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Shown after the label on optional fields, e.g. "(valfritt)". */
  optionalLabel?: string | undefined;
  /** Read before the error by screen readers ("Fel:") so it is not mistaken for a hint. */
  errorPrefix: string;
}

/** The id and ARIA attributes of one field's input. */
export interface DescribedField {
  id: string;
  describedBy: string | undefined;
  invalid: 'true' | undefined;
}

/**
 * The id of a field's input and what describes it: its own hint, every GroupHint it sits in
 * and its error. Every field component takes its attributes from here, so no hint shown
 * beside a field is left out of what a screen reader reads with it.
 */
export function describeField({ name, hint, error }: Pick<FieldText, 'name' | 'hint' | 'error'>): DescribedField {
  const id = fieldId(name);
  const ids = [hint ? `${id}-hint` : '', ...useContext(GroupHints), error ? `${id}-error` : ''].filter(Boolean);
  return { id, describedBy: ids.length > 0 ? ids.join(' ') : undefined, invalid: error ? 'true' : undefined };
}

/**
 * A hint that describes each field inside it, such as "fill in e-mail or phone, or both" over
 * the contact fields: it joins their `aria-describedby`, since a screen reader moving from
 * field to field would otherwise never hear it (WCAG 1.3.1, 3.3.2).
 */
export function GroupHint({ name, hint, children }: { name: string; hint: string; children: ComponentChildren }) {
  const outer = useContext(GroupHints);
  const id = `${fieldId(name)}-hint`;
  return (
    <>
      <p id={id} class="field__hint">
        {hint}
      </p>
      <GroupHints.Provider value={[...outer, id]}>{children}</GroupHints.Provider>
    </>
  );
}

/** A hint and an error under a field's label, with the ids describeField refers to. */
export function HintAndError({ id, hint, error, errorPrefix }: { id: string; hint?: string | undefined; error?: string | undefined; errorPrefix: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} class="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field__error">
          <span class="visually-hidden">{errorPrefix} </span>
          {error}
        </p>
      )}
    </>
  );
}

/** A field's label, with "(optional)" after it on optional fields. */
export function Label({ id, label, optionalLabel }: { id: string; label: string; optionalLabel?: string | undefined }) {
  return (
    <label for={id} class="field__label">
      {label}
      {optionalLabel && <span class="field__optional"> {optionalLabel}</span>}
    </label>
  );
}

/** The autocomplete purpose of an input that holds personal data. */
export type PersonalDataPurpose = 'name' | 'email' | 'tel';

/**
 * Personal data is filled in by the browser where it can be (WCAG 1.3.5), and neither
 * spell-checked nor machine-translated: a translated name or address is a wrong one.
 */
function personalDataAttributes(purpose: PersonalDataPurpose | undefined): Record<string, string | boolean> {
  // Preact's types know `translate` only as a boolean; HTML wants the word "no".
  return purpose ? { autoComplete: purpose, spellcheck: false, translate: 'no' } : { autoComplete: 'off' };
}

interface TextFieldProps extends FieldText {
  value: string;
  type?: 'text' | 'email' | 'tel' | 'date';
  personalData?: PersonalDataPurpose;
  inputMode?: 'decimal' | 'email' | 'tel' | 'text';
  width?: 'full' | 'short';
}

/** A one-line text input. */
export function TextField(props: TextFieldProps) {
  const { id, describedBy, invalid } = describeField(props);
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <Label id={id} label={props.label} optionalLabel={props.optionalLabel} />
      <HintAndError id={id} hint={props.hint} error={props.error} errorPrefix={props.errorPrefix} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        class={`input${props.width === 'short' ? ' input--short' : ''}`}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        inputMode={props.inputMode}
        {...personalDataAttributes(props.personalData)}
      />
    </div>
  );
}

/** A multi-line text input. */
export function TextArea(props: FieldText & { value: string; rows?: number }) {
  const { id, describedBy, invalid } = describeField(props);
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <Label id={id} label={props.label} optionalLabel={props.optionalLabel} />
      <HintAndError id={id} hint={props.hint} error={props.error} errorPrefix={props.errorPrefix} />
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        class="textarea"
        aria-describedby={describedBy}
        aria-invalid={invalid}
        value={props.value}
      />
    </div>
  );
}

/** A drop-down list; `placeholder` is the first, empty choice. */
export function SelectField(props: FieldText & { value: string; options: readonly Option[]; placeholder: string }) {
  const { id, describedBy, invalid } = describeField(props);
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <Label id={id} label={props.label} optionalLabel={props.optionalLabel} />
      <HintAndError id={id} hint={props.hint} error={props.error} errorPrefix={props.errorPrefix} />
      <select id={id} name={props.name} class="select" aria-describedby={describedBy} aria-invalid={invalid} value={props.value}>
        <option value="">{props.placeholder}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Radio buttons in a fieldset. The first radio carries the field's id, so an error summary
 * link lands on the group; `children` may follow an option (GOV.UK's conditional reveal).
 */
export function RadioGroup(
  props: FieldText & { value: string; options: readonly Option[]; revealAfter?: { value: string; content: ComponentChildren } },
) {
  const { id, describedBy, invalid } = describeField(props);
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy}>
        <legend class="fieldset__legend">{props.label}</legend>
        <HintAndError id={id} hint={props.hint} error={props.error} errorPrefix={props.errorPrefix} />
        <div class="radios">
          {props.options.map((option, index) => {
            const optionId = index === 0 ? id : `${id}-${option.value}`;
            return (
              <div class="radio" key={option.value}>
                <input
                  id={optionId}
                  type="radio"
                  name={props.name}
                  value={option.value}
                  checked={option.value === props.value}
                  aria-invalid={invalid}
                  aria-describedby={option.hint ? `${optionId}-hint` : undefined}
                  class="radio__input"
                />
                <label for={optionId} class="radio__label">
                  {option.label}
                </label>
                {option.hint && (
                  <p id={`${optionId}-hint`} class="radio__hint">
                    {option.hint}
                  </p>
                )}
                {props.revealAfter?.value === option.value && props.revealAfter.content}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** A file input for one file; `accept` names the types offered (the server decides by content). */
export function FileField(props: FieldText & { accept: string }) {
  const { id, describedBy, invalid } = describeField(props);
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <Label id={id} label={props.label} optionalLabel={props.optionalLabel} />
      <HintAndError id={id} hint={props.hint} error={props.error} errorPrefix={props.errorPrefix} />
      <input id={id} name={props.name} type="file" accept={props.accept} class="file-input" aria-describedby={describedBy} aria-invalid={invalid} />
    </div>
  );
}
