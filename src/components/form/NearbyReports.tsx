/**
 * "Already reported?": open fault reports of the chosen category at the same place, offered
 * before the person writes theirs, each leading to "this is my problem too". A polite live
 * region, so a screen reader mentions them without interrupting the typing.
 */
import { useEffect, useState } from 'preact/hooks';
import type { NearbyReport } from '../../lib/intake/form-props';
import { NEARBY_FAULT_REPORTS_ENDPOINT } from '../../lib/routes';

const LOOKUP_DELAY_MS = 500;

/** Asks the server for open reports at the place, a moment after the person stops typing or choosing. */
export function useNearbyReports(where: { category: string; place: string; lat: string; lon: string }, language: string): NearbyReport[] {
  const [reports, setReports] = useState<NearbyReport[]>([]);
  const { category, place, lat, lon } = where;
  useEffect(() => {
    if (!category || (place.trim().length < 3 && !(lat && lon))) {
      setReports([]);
      return undefined;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const query = new URLSearchParams({ category, place, ...(lat && lon ? { lat: lat.replace(',', '.'), lon: lon.replace(',', '.') } : {}) });
      fetch(`${NEARBY_FAULT_REPORTS_ENDPOINT}?${query}`, { headers: { 'Accept-Language': language }, signal: controller.signal })
        .then((response) => (response.ok ? (response.json() as Promise<{ reports: NearbyReport[] }>) : { reports: [] }))
        .then((found) => setReports(found.reports))
        // Offline or aborted: nothing is offered, and the report can still be sent.
        .catch(() => undefined);
    }, LOOKUP_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [category, place, lat, lon, language]);
  return reports;
}

interface NearbyReportsProps {
  reports: readonly NearbyReport[];
  tr: (key: string) => string;
  /** Shown by the server after a post without JavaScript: then it says how to go on. */
  afterPost?: boolean;
}

export function NearbyReports({ reports, tr, afterPost = false }: NearbyReportsProps) {
  return (
    <div class="nearby-reports" aria-live="polite">
      {reports.length > 0 && (
        // After a post the page opens here, as it would at an error summary: this is what changed.
        <section class="notice" aria-labelledby="nearby-heading" {...(afterPost ? { tabIndex: -1, autofocus: true } : {})}>
          <h2 id="nearby-heading" class="notice__title">
            {tr('nearby.heading')}
          </h2>
          <p>{tr('nearby.intro')}</p>
          <ul class="nearby-reports__list">
            {reports.map((report) => (
              <li key={report.reference}>
                <a href={report.url}>
                  {report.category}: <span dir="auto">{report.place}</span>
                </a>
                <br />
                <span class="field__hint">
                  {report.received} · {report.status} · {report.supports}
                </span>
              </li>
            ))}
          </ul>
          <p>{tr(afterPost ? 'nearby.sendAnyway' : 'nearby.otherwise')}</p>
        </section>
      )}
    </div>
  );
}
