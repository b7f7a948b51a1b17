/** A citizen proposal: a title, the proposal, why, and what publishing it means. */
import { TextArea, TextField } from '../../components/form/fields';
import { MessageField, type FieldGroupProps } from './field-group';

export function ProposalFields(props: FieldGroupProps) {
  const { tr, common, value } = props;
  return (
    <>
      <TextField {...common('title')} label={tr('form.title.label')} hint={tr('form.title.hint')} value={value('title')} />
      <MessageField {...props} type="proposal" />
      <TextArea {...common('reason')} label={tr('form.reason.label')} optionalLabel={tr('form.optional')} value={value('reason')} rows={4} />
      <div class="notice">
        <h2 class="notice__title">{tr('form.publish.heading')}</h2>
        <p>{tr('form.publish.text')}</p>
      </div>
    </>
  );
}
