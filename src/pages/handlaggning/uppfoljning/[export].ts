import type { APIRoute } from 'astro';
import { mayFollowUp } from '../../../lib/errands';
import { localizedPath } from '../../../lib/locales';
import { FOLLOW_UP_EXPORTS, type FollowUpExport } from '../../../lib/routes';
import { csvResponse, jsonDownload } from '../../../server/csv';
import { problemResponse, statusProblem } from '../../../server/http';
import {
  ERRAND_COLUMNS,
  errandRows,
  figureRows,
  figuresDocument,
  followUpErrands,
  followUpFigures,
  followUpNames,
  readFollowUpRequest,
} from '../../../server/staff/follow-up';

/**
 * The follow-up exports, with the same filter as the page: the figures and the anonymised
 * errand list, each as CSV for Swedish Excel or as JSON.
 */
export const GET: APIRoute = async ({ url, locals, rewrite }) => {
  // From the path rather than the route's params: under /en/ the page is reached by a rewrite, which leaves the params empty.
  const name = url.pathname.split('/').at(-1) as FollowUpExport;
  const { t, locale, services, staff } = locals;
  if (!FOLLOW_UP_EXPORTS.includes(name)) return rewrite(localizedPath(locale, '/404'));
  if (!staff || !mayFollowUp(staff.user)) return statusProblem(t, 403, 'staff.followUp.forbidden');
  const request = readFollowUpRequest(url.searchParams, staff.user, services.config, t, new Date());
  if (!request.filter) {
    return problemResponse(422, {
      title: t('api.problem.422.title'),
      errors: request.errors.map((error) => ({ field: error.field, detail: error.message })),
    });
  }
  const filter = request.filter;
  const names = followUpNames(services.config, t, locale);
  const stem = `${t(name.startsWith('siffror') ? 'staff.followUp.export.fileFigures' : 'staff.followUp.export.fileErrands')}-${request.period.from}-${request.period.to}`;
  switch (name) {
    case 'siffror.csv': {
      const figures = await followUpFigures(services.store, { ...request, filter });
      const header = ['measure', 'group', 'value'].map((column) => t(`staff.followUp.export.column.${column}`));
      return csvResponse(`${stem}.csv`, header, figureRows(figures, request, names, t));
    }
    case 'siffror.json':
      return jsonDownload(`${stem}.json`, (async function* () {
        yield figuresDocument(await followUpFigures(services.store, { ...request, filter }), request);
      })());
    case 'arenden.csv': {
      const header = ERRAND_COLUMNS.map((column) => t(`staff.followUp.errand.${column}`));
      const row = errandRows(names, t);
      return csvResponse(`${stem}.csv`, header, (async function* () {
        for await (const errand of followUpErrands(services.store, filter)) yield row(errand);
      })());
    }
    case 'arenden.json':
      return jsonDownload(`${stem}.json`, (async function* () {
        yield `{"period":${JSON.stringify(request.period)},"errands":[`;
        let first = true;
        for await (const errand of followUpErrands(services.store, filter)) {
          yield `${first ? '' : ','}\n${JSON.stringify(errand)}`;
          first = false;
        }
        yield '\n]}\n';
      })());
  }
};
