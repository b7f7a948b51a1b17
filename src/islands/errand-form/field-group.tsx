/**
 * What every errand type's field group gets from the form, and the fields more than one type
 * asks for. Each group lays its fields out in its own order around the message.
 */
import type { Translate } from '../../lib/i18n';
import type { Option } from '../../lib/intake/form-props';
import type { ErrandType } from '../../lib/intake/schema';
import { SelectField, TextArea } from '../../components/form/fields';

export interface FieldGroupProps {
  tr: Translate;
  /** The name, error and error prefix of a field, by its path. */
  common: (name: string) => { name: string; error: string | undefined; errorPrefix: string };
  value: (name: string) => string;
  /** Whether the form runs in the browser: what only works with JavaScript is offered then. */
  hydrated: boolean;
}

/** The message, asked for by every errand in words of its own. */
export function MessageField({ type, tr, common, value }: FieldGroupProps & { type: ErrandType }) {
  return <TextArea {...common('message')} label={tr(`form.message.${type}.label`)} hint={tr(`form.message.${type}.hint`)} value={value('message')} />;
}

/** The unit a question or feedback is about, if the person knows. */
export function UnitField({ tr, common, value, units }: FieldGroupProps & { units: readonly Option[] }) {
  return (
    <SelectField
      {...common('unit')}
      label={tr('form.unit.label')}
      hint={tr('form.unit.hint')}
      optionalLabel={tr('form.optional')}
      value={value('unit')}
      options={units}
      placeholder={tr('form.unit.none')}
    />
  );
}
