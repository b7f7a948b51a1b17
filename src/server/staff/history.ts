/**
 * An errand's history as the staff page lists it: the title each entry gets, from its kind and
 * what it recorded, in the reader's language.
 */
import { formatLongDate } from '../../lib/dates';
import type { Translate } from '../../lib/i18n';
import type { Locale } from '../../lib/locales';
import type { ErrandEvent } from '../storage/cases';

/** The title of one history entry; `unitName` names a unit by its id in the reader's language. */
export function eventTitle(event: Pick<ErrandEvent, 'kind' | 'data'>, { t, locale, unitName }: { t: Translate; locale: Locale; unitName: (id: string) => string }): string {
  switch (event.kind) {
    case 'assigned':
      return t('staff.errand.event.assigned', { unit: unitName(String(event.data['unit'])), assignee: event.data['assignee'] ? String(event.data['assignee']) : t('staff.inbox.unassigned') });
    case 'status_changed':
      return t('staff.errand.event.status_changed', { status: t(`status.value.${event.data['status']}`) });
    case 'reclassified':
      return t('staff.errand.event.reclassified', { type: t(`errand.${event.data['type']}.name`) });
    case 'published':
      return t('staff.errand.event.published', { date: formatLongDate(String(event.data['closesOn']), locale) });
    case 'rating':
      return t('staff.errand.event.rating', { rating: Number(event.data['rating']) });
    default:
      return t(`staff.errand.event.${event.kind}`);
  }
}
