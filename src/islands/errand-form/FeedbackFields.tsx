/** Feedback: its kind (praise, complaint, idea), the message and the unit it is about. */
import { RadioGroup } from '../../components/form/fields';
import type { Option } from '../../lib/intake/form-props';
import { MessageField, UnitField, type FieldGroupProps } from './field-group';

export function FeedbackFields(props: FieldGroupProps & { units: readonly Option[]; feedbackKinds: readonly Option[] }) {
  const { tr, common, value } = props;
  return (
    <>
      <RadioGroup {...common('feedbackKind')} label={tr('form.feedbackKind.legend')} value={value('feedbackKind')} options={props.feedbackKinds} />
      <MessageField {...props} type="feedback" />
      <UnitField {...props} />
    </>
  );
}
