/**
 * The follow-up page's pure parts: the period a manager asks for (checked the way a form field
 * is), the months it spans, and the sentences that say how the trend went and how people rated
 * the answers they got.
 */
import { isIsoDate, type IsoDate } from './calendar';
import { isChannel, type Channel } from './channels';
import type { Translate } from './i18n';

/** A period of Swedish calendar dates, both days included. */
export interface Period {
  from: IsoDate;
  to: IsoDate;
}

export type PeriodError = { field: 'from' | 'to'; key: string };

/** The default period: from the first of January of today's year to today. */
export function yearToDate(today: IsoDate): Period {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/**
 * Reads the period from the query's `from` and `to` (each defaulting to the year to date); the
 * errors name the field and the key of the message. An empty field takes its default.
 */
export function parsePeriod(from: string | null, to: string | null, today: IsoDate): { period: Period; errors: PeriodError[] } {
  const fallback = yearToDate(today);
  const values = { from: from?.trim() || fallback.from, to: to?.trim() || fallback.to };
  const errors: PeriodError[] = [];
  for (const field of ['from', 'to'] as const) {
    if (!isIsoDate(values[field])) errors.push({ field, key: `staff.followUp.error.${field}.invalid` });
  }
  if (errors.length === 0 && values.from > values.to) errors.push({ field: 'to', key: 'staff.followUp.error.to.beforeFrom' });
  return { period: values, errors };
}

/**
 * Reads the channels ticked (the query's `channel` values): none means every channel; a value
 * that names no channel is an error on the field.
 */
export function parseChannels(values: readonly string[]): { channels: Channel[]; errors: { field: 'channel'; key: string }[] } {
  const channels = values.filter(isChannel);
  const errors = channels.length === values.length ? [] : [{ field: 'channel' as const, key: 'staff.followUp.error.channel.invalid' }];
  return { channels: [...new Set(channels)], errors };
}

/** Every month (YYYY-MM) the period touches, oldest first. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  const last = period.to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** The monthly counts of a period, with months that had no errands as 0. */
export function fillMonths(period: Period, counted: readonly { month: string; count: number }[]): { month: string; count: number }[] {
  const byMonth = new Map(counted.map((row) => [row.month, row.count]));
  return monthsOf(period).map((month) => ({ month, count: byMonth.get(month) ?? 0 }));
}

/** How the last month of the period compares with the one before: the key of the sentence and its values. */
export type Trend =
  | { kind: 'none' }
  | { kind: 'single'; month: string; count: number }
  | { kind: 'more' | 'fewer' | 'same'; month: string; count: number; previousMonth: string; previousCount: number };

export function monthlyTrend(months: readonly { month: string; count: number }[]): Trend {
  const latest = months.at(-1);
  if (!latest || months.every((row) => row.count === 0)) return { kind: 'none' };
  const previous = months.at(-2);
  if (!previous) return { kind: 'single', month: latest.month, count: latest.count };
  const kind = latest.count > previous.count ? 'more' : latest.count < previous.count ? 'fewer' : 'same';
  return { kind, month: latest.month, count: latest.count, previousMonth: previous.month, previousCount: previous.count };
}

/** How the page writes numbers and months in the reader's language. */
export interface FollowUpFormat {
  number: (value: number) => string;
  month: (month: string) => string;
}

/** The sentence that sums up the monthly chart: how the last month compares with the one before. */
export function trendSentence(trend: Trend, t: Translate, format: FollowUpFormat): string {
  switch (trend.kind) {
    case 'none':
      return t('staff.followUp.trend.none');
    case 'single':
      return t('staff.followUp.trend.single', { month: format.month(trend.month), count: trend.count, shown: format.number(trend.count) });
    default:
      return t(`staff.followUp.trend.${trend.kind}`, {
        month: format.month(trend.month),
        previousMonth: format.month(trend.previousMonth),
        count: format.number(trend.count),
        previousCount: format.number(trend.previousCount),
      });
  }
}

/** The rating given most often; on a tie, the higher one. Empty when nobody rated. */
export function mostCommonRating(distribution: Readonly<Record<string, number>>): string {
  const given = Object.entries(distribution).filter(([, count]) => count > 0);
  return given.sort(([a, m], [b, n]) => n - m || Number(b) - Number(a))[0]?.[0] ?? '';
}

/** The sentence that sums up the ratings chart: the mean, how many rated, the most common rating. */
export function ratingSentence(satisfaction: { mean: number | null; count: number; distribution: Readonly<Record<string, number>> }, t: Translate, format: Pick<FollowUpFormat, 'number'>): string {
  if (satisfaction.mean === null) return t('staff.followUp.satisfaction.none');
  return t('staff.followUp.satisfaction.summary', {
    mean: format.number(satisfaction.mean),
    count: satisfaction.count,
    shown: format.number(satisfaction.count),
    mode: mostCommonRating(satisfaction.distribution),
  });
}

/** The sentence that sums up the channels chart: the channel most errands came by. `ranked` is largest first. */
export function channelSentence(ranked: readonly (readonly [string, number])[], total: number, t: Translate, format: Pick<FollowUpFormat, 'number'> & { channel: (id: string) => string }): string {
  const [top] = ranked;
  if (!top || total === 0) return t('staff.followUp.trend.none');
  return t('staff.followUp.channel.summary', { channel: format.channel(top[0]), count: format.number(top[1]), total: format.number(total) });
}

/** The sentence on the errands answered at the first contact: their share, and how many of how many. */
export function firstContactSentence(
  firstContact: { errands: number; answered: number; share: number | null },
  t: Translate,
  format: Pick<FollowUpFormat, 'number'> & { share: (value: number) => string },
): string {
  if (firstContact.share === null) return t('staff.followUp.trend.none');
  return t('staff.followUp.firstContact.summary', { share: format.share(firstContact.share), answered: format.number(firstContact.answered), errands: format.number(firstContact.errands) });
}
