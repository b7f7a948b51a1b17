/**
 * The contact details of an errand, as the public form and the staff registration both ask
 * for them: name, e-mail and phone, with the hint that says which are needed.
 */
import type { ErrandType } from '../../lib/intake/schema';
import { GroupHint, TextField } from './fields';

interface ContactFieldsProps {
  type: ErrandType;
  /** The fieldset's legend: "your contact details", or the person's on the staff side. */
  legend: string;
  tr: (key: string) => string;
  /** The name, error and error prefix of a field, by its path. */
  common: (name: string) => { name: string; error: string | undefined; errorPrefix: string };
  value: (name: string) => string;
}

export function ContactFields({ type, legend, tr, common, value }: ContactFieldsProps) {
  const optional = tr('form.optional');
  return (
    <fieldset class="fieldset fieldset--nested">
      <legend class="fieldset__legend fieldset__legend--small">{legend}</legend>
      <GroupHint name="contact" hint={tr(type === 'proposal' ? 'form.contact.proposalHint' : 'form.contact.hint')}>
        <TextField
          {...common('contact.name')}
          label={tr('form.contact.name.label')}
          optionalLabel={type === 'proposal' ? undefined : optional}
          value={value('contact.name')}
          personalData="name"
        />
        <TextField {...common('contact.email')} label={tr('form.contact.email.label')} type="email" value={value('contact.email')} personalData="email" />
        <TextField
          {...common('contact.phone')}
          label={tr('form.contact.phone.label')}
          optionalLabel={type === 'proposal' ? optional : undefined}
          type="tel"
          value={value('contact.phone')}
          personalData="tel"
          width="short"
        />
      </GroupHint>
    </fieldset>
  );
}
