/**
 * Keeps "Open now — closes 16:30" true while the contact page stays open: the server wrote it
 * for the moment of the request; this recomputes it every minute with the same rules.
 */
import { swedishDate } from '../lib/calendar';
import { openingStatus, type OpeningHours } from '../lib/opening-hours';

interface StatusData {
  hours: OpeningHours;
  locale: string;
  texts: { open: string; closed: string; closedUntil: string; today: string };
}

function update(data: StatusData): void {
  const now = new Date();
  const weekdayDate = new Intl.DateTimeFormat(data.locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  for (const element of document.querySelectorAll<HTMLElement>('[data-opening-channel]')) {
    const status = openingStatus(data.hours, element.dataset['openingChannel'] ?? '', now);
    const text = status.open
      ? data.texts.open.replace('{time}', status.closesAt)
      : status.opensAt
        ? data.texts.closedUntil
            .replace('{day}', status.opensAt.date === swedishDate(now) ? data.texts.today : weekdayDate.format(new Date(`${status.opensAt.date}T00:00:00Z`)))
            .replace('{time}', status.opensAt.time)
        : data.texts.closed;
    if (element.textContent !== text) element.textContent = text;
    element.classList.toggle('opening-status--open', status.open);
  }
}

const source = document.getElementById('opening-hours-data');
if (source?.textContent) {
  const data = JSON.parse(source.textContent) as StatusData;
  setInterval(() => update(data), 60_000);
}
