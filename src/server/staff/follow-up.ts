/**
 * Follow-up for managers and admins: who may see it, the filter read from the page's query
 * (the same for the page and every export, so a download holds exactly what the page shows),
 * and the exports built from the store's figures and anonymised errand list.
 */
import { localizedName, type MunicipalityConfig } from '../../config/schema';
import { swedishDate, swedishDayStart, addDays } from '../../lib/calendar';
import { CHANNELS, type Channel } from '../../lib/channels';
import { parseChannels, parsePeriod, fillMonths, type Period } from '../../lib/follow-up';
import type { Translate } from '../../lib/i18n';
import type { ShownError } from '../../lib/intake/errors';
import type { CsvCell } from '../csv';
import type { StaffUser } from '../storage/cases';
import type { ChannelFigures, FirstContactShare, FollowUpErrand, FollowUpFigures, FollowUpFilter, FollowUpStore } from '../storage/follow-up';
import { unitScope, visibleUnits } from './access';

/** What the page and the exports were asked for, checked against what the person may see. */
export interface FollowUpRequest {
  period: Period;
  /** The units the person may see, in the configuration's order. */
  visibleUnits: MunicipalityConfig['units'];
  /** The units ticked; none ticked means all visible units. */
  chosenUnits: string[];
  /** The channels ticked, in CHANNELS order; none ticked means every channel. */
  chosenChannels: Channel[];
  errors: ShownError[];
  /** The store's filter, when the request has no errors. */
  filter: FollowUpFilter | undefined;
}

export function readFollowUpRequest(query: URLSearchParams, user: StaffUser, config: MunicipalityConfig, t: Translate, now: Date): FollowUpRequest {
  const today = swedishDate(now);
  const { period, errors: periodErrors } = parsePeriod(query.get('from'), query.get('to'), today);
  const asked = parseChannels(query.getAll('channel'));
  const errors = [...periodErrors, ...asked.errors];
  const chosenChannels = CHANNELS.filter((channel) => asked.channels.includes(channel));
  const visible = visibleUnits(user, config.units);
  const askedUnits = new Set(query.getAll('unit'));
  const chosenUnits = visible.filter((unit) => askedUnits.has(unit.id)).map((unit) => unit.id);
  const units = chosenUnits.length > 0 ? chosenUnits : unitScope(user);
  return {
    period,
    visibleUnits: visible,
    chosenUnits,
    chosenChannels,
    errors: errors.map((error) => ({ field: error.field, message: t(error.key) })),
    filter:
      errors.length > 0
        ? undefined
        : { from: swedishDayStart(period.from), until: swedishDayStart(addDays(period.to, 1)), units, channels: chosenChannels.length > 0 ? chosenChannels : 'all', today },
  };
}

/** The units the figures cover: those ticked, or with none ticked every unit the person may see. */
export function coveredUnits(request: Pick<FollowUpRequest, 'chosenUnits' | 'visibleUnits'>): string[] {
  return request.chosenUnits.length > 0 ? request.chosenUnits : request.visibleUnits.map((unit) => unit.id);
}

/** The query string that asks for the same figures, for the export links. */
export function followUpQuery(request: FollowUpRequest): string {
  const query = new URLSearchParams({ from: request.period.from, to: request.period.to });
  for (const unit of request.chosenUnits) query.append('unit', unit);
  for (const channel of request.chosenChannels) query.append('channel', channel);
  return query.toString();
}

/** `name`, looked up once per id: an export names the same few ids on every one of its rows. */
function remembered(name: (id: string) => string): (id: string) => string {
  const names = new Map<string, string>();
  return (id) => {
    let found = names.get(id);
    if (found === undefined) names.set(id, (found = name(id)));
    return found;
  };
}

/** Names of the configuration's ids, in the reader's language. */
export function followUpNames(config: MunicipalityConfig, t: Translate, locale: string) {
  return {
    type: remembered((id) => t(`errand.${id}.name`)),
    feedbackKind: remembered((id) => t(`feedback.kind.${id}`)),
    category: remembered((id) => localizedName(config.faultCategories.find((category) => category.id === id)?.name ?? { sv: id }, locale)),
    unit: remembered((id) => localizedName(config.units.find((unit) => unit.id === id)?.name ?? { sv: id }, locale)),
    status: remembered((id) => t(`status.value.${id}`)),
    channel: remembered((id) => t(`staff.channel.${id}`)),
  };
}

/** Counts as rows, largest first: the "top" lists. */
export function ranked(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
}

/** Shares answered at the first contact as rows, most errands first. */
export function rankedShares(shares: Partial<Record<string, FirstContactShare>>): [string, FirstContactShare][] {
  return (Object.entries(shares) as [string, FirstContactShare][]).sort(([a, m], [b, n]) => n.errands - m.errands || a.localeCompare(b));
}

/** The figures as the page shows them, with months of the period that had no errands as 0. */
export async function followUpFigures(store: FollowUpStore, request: FollowUpRequest & { filter: FollowUpFilter }): Promise<FollowUpFigures> {
  const figures = await store.followUpFigures(request.filter);
  return { ...figures, byMonth: fillMonths(request.period, figures.byMonth) };
}

/** The figures as the rows of the CSV export: measure; group; value. */
export function figureRows(figures: FollowUpFigures, request: FollowUpRequest, names: ReturnType<typeof followUpNames>, t: Translate): CsvCell[][] {
  const key = (name: string) => t(`staff.followUp.export.${name}`);
  const rows: CsvCell[][] = [
    [key('period'), request.period.from, request.period.to],
    [key('units'), '', coveredUnits(request).map(names.unit).join(', ')],
    [key('channels'), '', (request.chosenChannels.length > 0 ? request.chosenChannels : CHANNELS).map(names.channel).join(', ')],
    [key('total'), '', figures.total],
  ];
  const dimensions = [
    ['byType', names.type],
    ['byFeedbackKind', names.feedbackKind],
    ['byCategory', names.category],
    ['byUnit', names.unit],
  ] as const;
  for (const [dimension, name] of dimensions) for (const [id, n] of ranked(figures[dimension])) rows.push([key(dimension), name(id), n]);
  for (const { month, count } of figures.byMonth) rows.push([key('byMonth'), month, count]);
  const { deadline, firstReply, satisfaction } = figures;
  rows.push(
    [key('deadline'), key('answeredInTime'), deadline.answeredInTime],
    [key('deadline'), key('answeredLate'), deadline.answeredLate],
    [key('deadline'), key('overdue'), deadline.overdue],
    [key('deadline'), key('notYetDue'), deadline.notYetDue],
    [key('deadline'), key('withoutDeadline'), deadline.withoutDeadline],
    [key('deadline'), key('shareInTime'), deadline.shareInTime],
    [key('firstReply'), key('replied'), firstReply.replied],
    [key('firstReply'), key('medianHours'), firstReply.medianHours],
    [key('firstReply'), key('p90Hours'), firstReply.p90Hours],
    [key('satisfaction'), key('ratings'), satisfaction.count],
    [key('satisfaction'), key('mean'), satisfaction.mean],
  );
  for (const [rating, n] of Object.entries(satisfaction.distribution)) rows.push([key('satisfaction'), t('staff.followUp.export.rating', { rating }), n]);
  for (const [channel, of] of Object.entries(figures.byChannel) as [Channel, ChannelFigures][]) {
    const group = names.channel(channel);
    rows.push(
      [key('channel.total'), group, of.total],
      [key('channel.shareInTime'), group, of.deadline.shareInTime],
      [key('channel.medianHours'), group, of.firstReply.medianHours],
      [key('channel.ratings'), group, of.satisfaction.count],
      [key('channel.mean'), group, of.satisfaction.mean],
      [key('channel.firstContact'), group, of.firstContact.share],
    );
  }
  rows.push([key('firstContact.total'), '', figures.firstContact.share]);
  for (const [unit, of] of rankedShares(figures.firstContact.byUnit)) rows.push([key('firstContact.unit'), names.unit(unit), of.share]);
  for (const page of figures.pages) {
    rows.push([key('helpfulYes'), page.page, page.yes], [key('helpfulNo'), page.page, page.no], [key('helpfulShare'), page.page, page.shareYes], [key('helpfulComments'), page.page, page.comments]);
  }
  return rows;
}

/** The figures as the JSON export: ids rather than names, for machines. */
export function figuresDocument(figures: FollowUpFigures, request: FollowUpRequest): string {
  return JSON.stringify({ period: request.period, units: coveredUnits(request), ...figures }, null, 2);
}

/** The anonymised errand list one errand at a time, read as the store streams it: never whole in memory. */
export async function* followUpErrands(store: FollowUpStore, filter: FollowUpFilter): AsyncGenerator<FollowUpErrand> {
  for await (const batch of store.followUpErrands(filter)) for (const errand of batch) yield errand;
}

/** The columns of the errand list export, in order. */
export const ERRAND_COLUMNS = ['reference', 'type', 'feedbackKind', 'category', 'unit', 'status', 'channel', 'answeredAtFirstContact', 'receivedOn', 'replyBy', 'firstReplyOn', 'answeredInTime', 'rating'] as const;

/** Writes errands as CSV rows, with names in the reader's language (each looked up once). */
export function errandRows(names: ReturnType<typeof followUpNames>, t: Translate): (errand: FollowUpErrand) => CsvCell[] {
  const yes = t('staff.followUp.export.yes');
  const no = t('staff.followUp.export.no');
  return (errand) => [
    errand.reference,
    names.type(errand.type),
    errand.feedbackKind && names.feedbackKind(errand.feedbackKind),
    errand.category && names.category(errand.category),
    names.unit(errand.unit),
    names.status(errand.status),
    names.channel(errand.channel),
    errand.answeredAtFirstContact ? yes : no,
    errand.receivedOn,
    errand.replyBy,
    errand.firstReplyOn,
    errand.answeredInTime === null ? '' : errand.answeredInTime ? yes : no,
    errand.rating,
  ];
}
