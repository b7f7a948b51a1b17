/** A question: the message, with answers to similar questions offered as it is typed, and the unit it is for. */
import { AnswerSuggestions, useAnswerSuggestions } from '../../components/form/AnswerSuggestions';
import type { Option } from '../../lib/intake/form-props';
import { MessageField, UnitField, type FieldGroupProps } from './field-group';

export function QuestionFields(props: FieldGroupProps & { units: readonly Option[]; language: string }) {
  const suggestions = useAnswerSuggestions(props.value('message'), props.language);
  return (
    <>
      <MessageField {...props} type="question" />
      {props.hydrated && <AnswerSuggestions suggestions={suggestions} heading={props.tr('answers.suggestionsHeading')} pageLanguage={props.language} />}
      <UnitField {...props} />
    </>
  );
}
