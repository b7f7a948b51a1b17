/**
 * A fault report: what kind of fault and where — in words, from the device's position or as
 * coordinates — with open reports at the same place offered as it is filled in, the
 * description and photos.
 */
import type { ComponentChildren } from 'preact';
import { GroupHint, SelectField, TextField } from '../../components/form/fields';
import { LocationButton } from '../../components/form/LocationButton';
import { NearbyReports, useNearbyReports } from '../../components/form/NearbyReports';
import type { Option } from '../../lib/intake/form-props';
import { MessageField, type FieldGroupProps } from './field-group';

interface FaultReportFieldsProps extends FieldGroupProps {
  categories: readonly Option[];
  language: string;
  /** Whether the server has already shown the open reports at this place, after a post without JavaScript. */
  nearbyShown: boolean;
  onPosition: (lat: number, lon: number) => void;
  photoField: ComponentChildren;
}

export function FaultReportFields(props: FaultReportFieldsProps) {
  const { tr, common, value, hydrated } = props;
  const nearby = useNearbyReports(
    {
      category: hydrated ? value('category') : '',
      place: value('location.description'),
      lat: value('location.lat'),
      lon: value('location.lon'),
    },
    props.language,
  );
  return (
    <>
      <SelectField {...common('category')} label={tr('form.category.label')} value={value('category')} options={props.categories} placeholder={tr('form.category.choose')} />
      <TextField {...common('location.description')} label={tr('form.place.label')} hint={tr('form.place.hint')} value={value('location.description')} />
      <LocationButton tr={tr} onPosition={props.onPosition} />
      <details class="details" open={Boolean(value('location.lat') || value('location.lon') || common('location.lat').error)}>
        <summary class="details__summary">
          {tr('form.coordinates.summary')} {tr('form.optional')}
        </summary>
        <GroupHint name="location.coordinates" hint={tr('form.coordinates.hint')}>
          <TextField {...common('location.lat')} label={tr('form.lat.label')} value={value('location.lat')} inputMode="decimal" width="short" />
          <TextField {...common('location.lon')} label={tr('form.lon.label')} value={value('location.lon')} inputMode="decimal" width="short" />
        </GroupHint>
      </details>
      {hydrated && !props.nearbyShown && <NearbyReports reports={nearby} tr={tr} />}
      <MessageField {...props} type="fault_report" />
      {props.photoField}
    </>
  );
}
