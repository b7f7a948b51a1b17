// The follow-up dashboard for a year of generated errands: the figures through the Store (SQL
// aggregates), next to two baselines on the same rows: a bare SELECT COUNT(*), and the same
// figures computed the naive way, by loading every row into JavaScript. Also how long the
// anonymised errand list takes to read in full, page by page, as its export does (once).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { importBundled } from '../bundle-node.mjs';

const RUNS = 5;

/** A reader of the raw rows, for the baselines. */
async function rawReader(kind, url) {
  if (kind === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    return { all: async (sql, params = []) => db.prepare(sql).all(...params), close: async () => db.close() };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sql) => {
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
  };
  return { all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows, close: () => client.end() };
}

/** The dashboard's headline figures the naive way: every errand and reply loaded, counted in JavaScript. */
async function figuresInJavaScript(reader, swedishDate, from, until, today) {
  const errands = await reader.all('SELECT id, type, feedback_kind, category, handling_unit, received_at, reply_by, rating FROM submissions WHERE received_at >= ? AND received_at < ?', [from, until]);
  const replies = await reader.all("SELECT submission_id, created_at FROM submission_events WHERE kind = 'reply'");
  const firsts = new Map();
  for (const reply of replies) {
    const at = new Date(reply.created_at).getTime();
    const id = Number(reply.submission_id);
    if (!firsts.has(id) || at < firsts.get(id)) firsts.set(id, at);
  }
  const counts = new Map();
  const months = new Map();
  const seconds = [];
  let inTime = 0;
  let due = 0;
  for (const errand of errands) {
    for (const key of [errand.type, errand.feedback_kind, errand.category, errand.handling_unit]) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
    const receivedAt = new Date(errand.received_at);
    const month = swedishDate(receivedAt).slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + 1);
    const first = firsts.get(Number(errand.id));
    if (first !== undefined) seconds.push((first - receivedAt.getTime()) / 1000);
    if (errand.reply_by !== null) {
      if (first !== undefined) {
        due += 1;
        if (swedishDate(new Date(first)) <= errand.reply_by) inTime += 1;
      } else if (errand.reply_by < today) due += 1;
    }
  }
  seconds.sort((a, b) => a - b);
  const percentile = (fraction) => {
    const position = (seconds.length - 1) * fraction;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return seconds[low] + (seconds[high] - seconds[low]) * (position - low);
  };
  return { total: errands.length, shareInTime: Math.round((inTime / due) * 10_000) / 10_000, medianHours: Math.round((percentile(0.5) / 3600) * 100) / 100 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(work, runs = RUNS) {
  const times = [];
  let result;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  return { ms: Number(median(times).toFixed(1)), result };
}

/** Measures the dashboard for the Swedish year `year`, all units, `unit` alone and the phone channel alone, on the errands already in `databaseUrl` (seeded by seed.mjs). */
export async function followUpBench(root, kind, databaseUrl, { year, unit }) {
  const { storage, calendar, staff } = await importBundled(
    {
      storage: join(root, 'src/server/storage/index.ts'),
      calendar: join(root, 'src/lib/calendar.ts'),
      staff: join(root, 'src/server/staff/follow-up.ts'),
    },
    join(root, 'bench-results/.build'),
  );
  const store = await storage.openStore(databaseUrl);
  const reader = await rawReader(kind, databaseUrl);
  const today = calendar.swedishDate(new Date());
  const from = calendar.swedishDayStart(`${year}-01-01`);
  const until = calendar.swedishDayStart(`${year + 1}-01-01`);
  try {
    const everything = { from, until, units: 'all', channels: 'all', today };
    const oneUnit = { ...everything, units: [unit] };
    const oneChannel = { ...everything, channels: ['phone'] };
    const dashboard = await timed(() => store.followUpFigures(everything));
    const unitDashboard = await timed(() => store.followUpFigures(oneUnit));
    const channelDashboard = await timed(() => store.followUpFigures(oneChannel));
    const list = await timed(async () => {
      let rowsRead = 0;
      for await (const _errand of staff.followUpErrands(store, everything)) rowsRead += 1;
      return rowsRead;
    }, 1);
    const bareCount = await timed(() => reader.all('SELECT COUNT(*) AS n FROM submissions WHERE received_at >= ? AND received_at < ?', [from.toISOString(), until.toISOString()]));
    const naive = await timed(() => figuresInJavaScript(reader, calendar.swedishDate, from.toISOString(), until.toISOString(), today), 3);
    const sqlFigures = dashboard.result;
    const agree =
      naive.result.total === sqlFigures.total && naive.result.shareInTime === sqlFigures.deadline.shareInTime && Math.abs(naive.result.medianHours - sqlFigures.firstReply.medianHours) < 0.01;
    return {
      database: kind,
      year,
      errands: sqlFigures.total,
      dashboardMs: dashboard.ms,
      oneUnitDashboardMs: unitDashboard.ms,
      oneChannelDashboardMs: channelDashboard.ms,
      errandListMs: list.ms,
      errandListRows: list.result,
      bareCountMs: bareCount.ms,
      rowsInJavaScriptMs: naive.ms,
      figuresAgree: agree,
      runs: RUNS,
    };
  } finally {
    await reader.close();
    await store.close();
  }
}
