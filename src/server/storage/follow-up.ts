/**
 * Follow-up figures for managers, read from counts kept per Swedish day by triggers (see
 * aggregates.ts: counts, months, ratings and replies against their deadline), the time to the
 * first reply from an index of the replied errands, and "Was this page helpful?", so no query
 * reads every errand. The same SQL serves both databases except three small expressions that
 * really differ: the Swedish date of an instant, seconds between two instants, and the
 * percentile aggregate.
 *
 * Definitions (also in the page's help text and ADR 10):
 * - an errand belongs to the period by when it was received, to a month by the Swedish calendar
 *   month of that moment, and to the unit that handles it now (as to its type and category);
 * - its first reply is its earliest `reply` entry in the history (kept on the errand as `first_reply_at`);
 * - answered in time: the Swedish date of the first reply is on or before `reply_by`; errands
 *   without `reply_by` (anonymous) and those still open before their deadline are left out of
 *   the share; those past the deadline without a reply count as late;
 * - its channel is the way it came; answered at the first contact means a staff member registered
 *   it with the answer given there and then, and the share is of every errand of the group.
 */
import { swedishDate, type IsoDate } from '../../lib/calendar';
import type { Channel } from '../../lib/channels';
import type { ErrandType } from '../../lib/intake/schema';
import type { ErrandStatus } from '../../lib/errands';
import type { UnitScope } from './cases';
import type { Dialect, Sql } from './sql';

/** Which errands the figures cover: received in [from, until), handled by `units`. */
export interface FollowUpFilter {
  /** The first instant of the period (Swedish midnight of its first day). */
  from: Date;
  /** The first instant after the period. */
  until: Date;
  units: UnitScope;
  /** The channels the errands came by. */
  channels: 'all' | readonly Channel[];
  /** Today's Swedish date: an errand still unanswered after its reply-by date is late. */
  today: IsoDate;
}

/** Errands with a deadline by how their first reply met it, and those that have none. */
export interface DeadlineFigures {
  answeredInTime: number;
  answeredLate: number;
  /** Past the reply-by date and still without a reply: counted as late in the share. */
  overdue: number;
  /** Not answered yet, the reply-by date still to come: left out of the share. */
  notYetDue: number;
  /** Anonymous errands, which get no reply and have no reply-by date: left out of the share. */
  withoutDeadline: number;
  /** answeredInTime / (answeredInTime + answeredLate + overdue), or null when nothing was due. */
  shareInTime: number | null;
}

/** Of a group of errands, how many were answered at the first contact (registered by staff with the answer given there and then). */
export interface FirstContactShare {
  errands: number;
  answered: number;
  /** answered / errands, or null without errands. */
  share: number | null;
}

/** How many errands were replied to, and the median and 90th percentile of the time to their first reply. */
export interface ReplyTimes {
  replied: number;
  medianHours: number | null;
  p90Hours: number | null;
}

/** The figures of the errands that came by one channel. */
export interface ChannelFigures {
  total: number;
  deadline: DeadlineFigures;
  firstReply: ReplyTimes;
  satisfaction: { count: number; mean: number | null };
  firstContact: FirstContactShare;
}

export interface FollowUpFigures {
  total: number;
  /** Errand counts by the channel they came by (ids of CHANNELS). */
  channels: Partial<Record<Channel, number>>;
  byChannel: Partial<Record<Channel, ChannelFigures>>;
  /** Answered at the first contact: of all errands, per unit and per channel. */
  firstContact: FirstContactShare & { byUnit: Record<string, FirstContactShare>; byChannel: Partial<Record<Channel, FirstContactShare>> };
  byType: Record<string, number>;
  byFeedbackKind: Record<string, number>;
  byCategory: Record<string, number>;
  byUnit: Record<string, number>;
  /** Months (YYYY-MM, Swedish calendar) that have errands, oldest first. */
  byMonth: { month: string; count: number }[];
  deadline: DeadlineFigures;
  firstReply: ReplyTimes;
  satisfaction: { count: number; mean: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  /** "Was this page helpful?" answered in the period, per page, most answers first. */
  pages: { page: string; yes: number; no: number; comments: number; shareYes: number }[];
}

/** One errand of the anonymised list: nothing the person wrote, nothing that identifies them. */
export interface FollowUpErrand {
  reference: string;
  type: ErrandType;
  feedbackKind: string | null;
  category: string | null;
  unit: string;
  status: ErrandStatus;
  channel: Channel;
  answeredAtFirstContact: boolean;
  receivedOn: IsoDate;
  replyBy: IsoDate | null;
  firstReplyOn: IsoDate | null;
  /** Null when it has no deadline or is not answered yet. */
  answeredInTime: boolean | null;
  rating: number | null;
}

export interface FollowUpStore {
  followUpFigures(filter: FollowUpFilter): Promise<FollowUpFigures>;
  /**
   * The anonymised list in the order the errands were received, in batches as `Sql.stream`
   * reads them: one query along the index on received_at, off the request thread, read on only
   * as fast as the batches are taken.
   */
  followUpErrands(filter: FollowUpFilter): AsyncIterable<FollowUpErrand[]>;
}

/**
 * The Swedish calendar date (YYYY-MM-DD) of a timestamp column. SQLite has no time zones, so
 * the EU rule is written out: summer time (UTC+2) from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October, otherwise UTC+1. Stored times are ISO strings in UTC,
 * so comparing them as text compares the instants.
 */
export function swedishDateSql(dialect: Dialect, column: string): string {
  if (dialect === 'postgres') return `to_char(${column} AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD')`;
  const changeover = (month: string) => `date(substr(${column}, 1, 4) || '-${month}-25', 'weekday 0') || 'T01:00:00'`;
  return `date(${column}, CASE WHEN ${column} >= ${changeover('03')} AND ${column} < ${changeover('10')} THEN '+2 hours' ELSE '+1 hours' END)`;
}

function secondsBetweenSql(dialect: Dialect, start: string, end: string): string {
  return dialect === 'postgres' ? `EXTRACT(EPOCH FROM (${end} - ${start}))` : `((julianday(${end}) - julianday(${start})) * 86400.0)`;
}

/** The continuous percentile (linear interpolation, as PostgreSQL's percentile_cont); NULLs are ignored. */
function percentileSql(dialect: Dialect, value: string, fraction: number): string {
  return dialect === 'postgres' ? `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${value})` : `percentile_cont(${value}, ${fraction})`;
}

/** The period (by instant of arrival, or by Swedish day in the kept counts), the units and the channels of the filter, as a WHERE condition; `prefix` names the table. */
function scopeWhere(filter: FollowUpFilter, { prefix, period }: { prefix: string; period: 'received_at' | 'day' }): { sql: string; params: unknown[] } {
  const parts = [`${prefix}${period} >= ?`, `${prefix}${period} < ?`];
  const params: unknown[] = period === 'day' ? [swedishDate(filter.from), swedishDate(filter.until)] : [filter.from, filter.until];
  if (filter.units !== 'all') {
    if (filter.units.length === 0) parts.push('1 = 0');
    else {
      parts.push(`${prefix}handling_unit IN (${filter.units.map(() => '?').join(', ')})`);
      params.push(...filter.units);
    }
  }
  if (filter.channels !== 'all') {
    if (filter.channels.length === 0) parts.push('1 = 0');
    else {
      parts.push(`${prefix}channel IN (${filter.channels.map(() => '?').join(', ')})`);
      params.push(...filter.channels);
    }
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * The Swedish date of a stored instant, remembered per hour: Sweden's offset from UTC is whole
 * hours and changes on the hour, so every instant of one UTC hour has the same Swedish date.
 * Much cheaper per row of a long list than converting each instant (in SQL or with Intl).
 */
function swedishDateByHour(): (instant: string) => IsoDate {
  const dates = new Map<number, IsoDate>();
  return (instant) => {
    const hour = Math.floor(Date.parse(instant) / 3_600_000);
    let date = dates.get(hour);
    if (date === undefined) dates.set(hour, (date = swedishDate(new Date(hour * 3_600_000))));
    return date;
  };
}

/** The counts follow_up_counts keeps for each key (see aggregates.ts). */
const SUMS = ['n', 'rated_1', 'rated_2', 'rated_3', 'rated_4', 'rated_5', 'in_time', 'late', 'without_deadline', 'replied', 'at_first_contact'] as const;
type Sums = Record<(typeof SUMS)[number], number>;
type Pending = { overdue: number; notYetDue: number };
const count = (value: number | string | null | undefined) => Number(value ?? 0);
const hours = (seconds: number | string | null | undefined) => (seconds === null || seconds === undefined ? null : Math.round((Number(seconds) / 3600) * 100) / 100);
/** A share rounded to four decimals (a hundredth of a per cent), or null when there is nothing to share. */
const shareOf = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const noSums = (): Sums => Object.fromEntries(SUMS.map((name) => [name, 0])) as Sums;
const addSums = (into: Sums, row: Record<(typeof SUMS)[number], number | string>) => {
  for (const name of SUMS) into[name] += count(row[name]);
};

const RATINGS = ['1', '2', '3', '4', '5'] as const;

const distributionOf = (sums: Sums) => Object.fromEntries(RATINGS.map((rating) => [rating, sums[`rated_${rating}`]])) as Record<(typeof RATINGS)[number], number>;

/** The ratings of a group: how many, and their mean. */
function satisfactionOf(sums: Sums) {
  const ratings = RATINGS.reduce((total, rating) => total + sums[`rated_${rating}`], 0);
  const ratingSum = RATINGS.reduce((total, rating) => total + Number(rating) * sums[`rated_${rating}`], 0);
  return { count: ratings, mean: ratings === 0 ? null : Math.round((ratingSum / ratings) * 100) / 100 };
}

/** How a group's first replies met their deadlines. */
function deadlineOf(sums: Sums, pending: Pending): DeadlineFigures {
  return {
    answeredInTime: sums.in_time,
    answeredLate: sums.late,
    overdue: pending.overdue,
    notYetDue: pending.notYetDue,
    withoutDeadline: sums.without_deadline,
    shareInTime: shareOf(sums.in_time, sums.in_time + sums.late + pending.overdue),
  };
}

const firstContactOf = (sums: Sums): FirstContactShare => ({ errands: sums.n, answered: sums.at_first_contact, share: shareOf(sums.at_first_contact, sums.n) });

export function createFollowUpStore(sql: Sql): FollowUpStore {
  const { dialect } = sql;

  /**
   * Counts, the monthly trend, the ratings and the deadline figures from the counts kept per
   * Swedish day (follow_up_counts, follow_up_pending), summed by the database to a few hundred
   * groups however many errands there are. The period is whole Swedish days, as the page asks.
   */
  async function grouped(filter: FollowUpFilter) {
    const period = scopeWhere(filter, { prefix: '', period: 'day' });
    const rows = await sql.all<Record<'month' | 'type' | 'feedback_kind' | 'category' | 'handling_unit', string> & { channel: Channel } & Record<(typeof SUMS)[number], number | string>>(
      `SELECT substr(day, 1, 7) AS month, type, feedback_kind, category, handling_unit, channel, ${SUMS.map((name) => `SUM(${name}) AS ${name}`).join(', ')}
         FROM follow_up_counts WHERE ${period.sql} GROUP BY substr(day, 1, 7), type, feedback_kind, category, handling_unit, channel`,
      period.params,
    );
    const pendingRows = await sql.all<{ channel: Channel; overdue: number | string | null; not_yet_due: number | string | null }>(
      `SELECT channel, SUM(CASE WHEN reply_by < ? THEN n ELSE 0 END) AS overdue, SUM(CASE WHEN reply_by < ? THEN 0 ELSE n END) AS not_yet_due FROM follow_up_pending WHERE ${period.sql} GROUP BY channel`,
      [filter.today, filter.today, ...period.params],
    );
    const result = { byType: {} as Record<string, number>, byFeedbackKind: {} as Record<string, number>, byCategory: {} as Record<string, number>, byUnit: {} as Record<string, number> };
    const byMonth: Record<string, number> = {};
    const totals = noSums();
    const ofUnit = new Map<string, Sums>();
    const ofChannel = new Map<Channel, Sums>();
    const sumsIn = <K,>(groups: Map<K, Sums>, key: K) => groups.get(key) ?? groups.set(key, noSums()).get(key)!;
    const add = (into: Record<string, number>, key: string, n: number) => {
      // The counts keep a missing kind or category as ''.
      if (key !== '') into[key] = (into[key] ?? 0) + n;
    };
    for (const row of rows) {
      const n = count(row.n);
      add(result.byType, row.type, n);
      add(result.byFeedbackKind, row.feedback_kind, n);
      add(result.byCategory, row.category, n);
      add(result.byUnit, row.handling_unit, n);
      add(byMonth, row.month, n);
      addSums(totals, row);
      addSums(sumsIn(ofUnit, row.handling_unit), row);
      addSums(sumsIn(ofChannel, row.channel), row);
    }
    const pending = new Map(pendingRows.map((row) => [row.channel, { overdue: count(row.overdue), notYetDue: count(row.not_yet_due) }]));
    const noPending: Pending = { overdue: 0, notYetDue: 0 };
    const allPending = [...pending.values()].reduce((sum, one) => ({ overdue: sum.overdue + one.overdue, notYetDue: sum.notYetDue + one.notYetDue }), noPending);
    // Most channels first, as the other counts are listed.
    const channels = [...ofChannel].sort(([a, m], [b, n]) => n.n - m.n || a.localeCompare(b));
    return {
      ...result,
      total: totals.n,
      channels: Object.fromEntries(channels.map(([channel, sums]) => [channel, sums.n])) as Partial<Record<Channel, number>>,
      byChannel: Object.fromEntries(
        channels.map(([channel, sums]) => [
          channel,
          { total: sums.n, deadline: deadlineOf(sums, pending.get(channel) ?? noPending), replied: sums.replied, satisfaction: satisfactionOf(sums), firstContact: firstContactOf(sums) },
        ]),
      ) as Partial<Record<Channel, Omit<ChannelFigures, 'firstReply'> & { replied: number }>>,
      firstContact: {
        ...firstContactOf(totals),
        byUnit: Object.fromEntries([...ofUnit].map(([unit, sums]) => [unit, firstContactOf(sums)])),
        byChannel: Object.fromEntries(channels.map(([channel, sums]) => [channel, firstContactOf(sums)])) as Partial<Record<Channel, FirstContactShare>>,
      },
      byMonth: Object.entries(byMonth)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, n]) => ({ month: name, count: n })),
      satisfaction: { ...satisfactionOf(totals), distribution: distributionOf(totals) },
      deadline: deadlineOf(totals, allPending),
      replied: totals.replied,
    };
  }

  /**
   * The time to the first reply, from the index of replied errands by arrival (percentiles need
   * the times themselves); for a filter of chosen channels, from the index that starts with the
   * channel, a seek per channel.
   */
  async function replyTimes(filter: FollowUpFilter) {
    const where = scopeWhere(filter, { prefix: 's.', period: 'received_at' });
    const seconds = secondsBetweenSql(dialect, 's.received_at', 's.first_reply_at');
    const row = await sql.get<{ median_seconds: number | string | null; p90_seconds: number | string | null }>(
      `SELECT ${percentileSql(dialect, seconds, 0.5)} AS median_seconds, ${percentileSql(dialect, seconds, 0.9)} AS p90_seconds
         FROM submissions s WHERE ${where.sql} AND s.first_reply_at IS NOT NULL`,
      where.params,
    );
    return { medianHours: hours(row?.median_seconds), p90Hours: hours(row?.p90_seconds) };
  }

  async function pages(filter: FollowUpFilter) {
    const rows = await sql.all<{ page: string; yes: number | string; no: number | string; comments: number | string }>(
      `SELECT page, SUM(helpful) AS yes, SUM(1 - helpful) AS no, COUNT(comment) AS comments FROM page_feedback
        WHERE created_at >= ? AND created_at < ? GROUP BY page ORDER BY COUNT(*) DESC, page`,
      [filter.from, filter.until],
    );
    return rows.map((row) => {
      const yes = count(row.yes);
      const no = count(row.no);
      return { page: row.page, yes, no, comments: count(row.comments), shareYes: Math.round((yes / (yes + no)) * 10_000) / 10_000 };
    });
  }

  return {
    async followUpFigures(filter) {
      // One after another: on SQLite they queue anyway, and on PostgreSQL a dashboard should not take a pool's worth of connections.
      const { replied, byChannel, ...counted } = await grouped(filter);
      const times = await replyTimes(filter);
      const channels: Partial<Record<Channel, ChannelFigures>> = {};
      for (const [channel, { replied: channelReplied, ...figures }] of Object.entries(byChannel) as [Channel, NonNullable<(typeof byChannel)[Channel]>][]) {
        // A channel without replies has no times to read; one with every reply has the times of all.
        const channelTimes =
          channelReplied === 0 ? { medianHours: null, p90Hours: null } : channelReplied === replied ? times : await replyTimes({ ...filter, channels: [channel] });
        channels[channel] = { ...figures, firstReply: { replied: channelReplied, ...channelTimes } };
      }
      const helpful = await pages(filter);
      return { ...counted, byChannel: channels, firstReply: { replied, ...times }, pages: helpful };
    },
    async *followUpErrands(filter) {
      const where = scopeWhere(filter, { prefix: 's.', period: 'received_at' });
      const swedishDateOf = swedishDateByHour();
      const rows = sql.stream<{
        reference: string;
        type: ErrandType;
        feedback_kind: string | null;
        category: string | null;
        handling_unit: string;
        status: ErrandStatus;
        channel: Channel;
        answered_at_first_contact: number | string;
        received_at: string;
        reply_by: string | null;
        first_reply: string | null;
        rating: number | null;
      }>(
        `SELECT s.reference, s.type, s.feedback_kind, s.category, s.handling_unit, s.status, s.channel, s.answered_at_first_contact, s.received_at, s.reply_by, s.rating, s.first_reply_at AS first_reply
           FROM submissions s WHERE ${where.sql} ORDER BY s.received_at, s.id`,
        where.params,
      );
      for await (const batch of rows) {
        yield batch.map((row) => {
          const firstReplyOn = row.first_reply === null ? null : swedishDateOf(row.first_reply);
          return {
            reference: row.reference,
            type: row.type,
            feedbackKind: row.feedback_kind,
            category: row.category,
            unit: row.handling_unit,
            status: row.status,
            channel: row.channel,
            answeredAtFirstContact: Number(row.answered_at_first_contact) === 1,
            receivedOn: swedishDateOf(row.received_at),
            replyBy: row.reply_by,
            firstReplyOn,
            answeredInTime: row.reply_by === null || firstReplyOn === null ? null : firstReplyOn <= row.reply_by,
            rating: row.rating,
          };
        });
      }
    },
  };
}
