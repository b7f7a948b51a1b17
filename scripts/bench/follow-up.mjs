// The follow-up dashboard on 100,000 generated errands: the figures through the Store (SQL
// aggregates), next to two baselines on the same rows: a bare SELECT COUNT(*), and the same
// figures computed the naive way, by loading every row into JavaScript. Also how long the
// anonymised errand list takes to read in full, page by page, as its export does (once).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { importBundled } from '../bundle-node.mjs';

const TYPES = [
  ['question', 0.35],
  ['feedback', 0.25],
  ['fault_report', 0.35],
  ['proposal', 0.05],
];
const FEEDBACK_KINDS = ['praise', 'complaint', 'suggestion'];
const UNITS = ['kontaktcenter', 'barn-och-utbildning', 'socialtjanst', 'aldre-och-funktionsnedsattning', 'gator-och-parker', 'bygga-och-miljo', 'kultur-och-fritid', 'kommunledning'];
const CATEGORIES = ['gatubelysning', 'gata-och-gangvag', 'sno-och-halka', 'skyltar-och-trafik', 'park-och-lekplats', 'klotter-och-skadegorelse', 'nedskrapning', 'kommunal-byggnad', 'ovrigt'];
const PAGES = ['/', '/fraga', '/synpunkt', '/felanmalan', '/e-forslag', '/kontakt', '/svar', '/en/', '/en/fraga', '/en/kontakt', '/ar/fraga', '/uk/felanmalan'];
/** The generated year; the dashboard is asked for all of it. */
const YEAR = 2025;
const HOUR = 3_600_000;
const RUNS = 5;

/** A small seeded generator (mulberry32), so every run measures the same rows. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 100,000 errands over a year: types, units, anonymous ones, replies after some hours, ratings. */
function generate(count) {
  const next = random(20_251_231);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const weighted = (items) => {
    let roll = next();
    for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
    return items.at(-1)[0];
  };
  const start = Date.UTC(YEAR, 0, 1) - HOUR;
  const span = Date.UTC(YEAR + 1, 0, 1) - HOUR - start;
  const submissions = [];
  const replies = [];
  for (let index = 1; index <= count; index += 1) {
    const type = weighted(TYPES);
    const receivedAt = start + Math.floor(next() * span);
    const anonymous = type !== 'proposal' && next() < 0.15;
    const replyBy = anonymous ? null : new Date(receivedAt + (2 + Math.floor(next() * 9)) * 24 * HOUR).toISOString().slice(0, 10);
    const category = type === 'fault_report' ? pick(CATEGORIES) : null;
    const unit = type === 'fault_report' ? (category === 'kommunal-byggnad' ? 'kultur-och-fritid' : category === 'ovrigt' ? 'kontaktcenter' : 'gator-och-parker') : pick(UNITS);
    const answered = !anonymous && next() < 0.75;
    let rating = null;
    if (answered) {
      // Most replies within a couple of days, a long tail beyond.
      const first = receivedAt + Math.floor(-Math.log(1 - next()) * 30 * HOUR);
      replies.push([index, first]);
      if (next() < 0.1) replies.push([index, first + Math.floor(next() * 72 * HOUR)]);
      if (next() < 0.4) rating = weighted([[5, 0.4], [4, 0.3], [3, 0.15], [2, 0.08], [1, 0.07]]);
    }
    submissions.push({
      id: index,
      reference: `VDO-${YEAR}-${String(index).padStart(6, '0')}`,
      type,
      receivedAt: new Date(receivedAt).toISOString(),
      replyBy,
      unit,
      status: answered ? 'answered' : 'received',
      feedbackKind: type === 'feedback' ? pick(FEEDBACK_KINDS) : null,
      category,
      rating,
    });
  }
  const feedback = Array.from({ length: 5_000 }, (_, index) => ({
    token: `bench-${index}`,
    page: pick(PAGES),
    helpful: next() < 0.7 ? 1 : 0,
    comment: next() < 0.1 ? 'En kommentar' : null,
    createdAt: new Date(start + Math.floor(next() * span)).toISOString(),
  }));
  return { submissions, replies, feedback };
}

const SUBMISSION_COLUMNS = ['id', 'reference', 'type', 'language', 'received_at', 'reply_by', 'handling_unit', 'status', 'status_token_hash', 'feedback_kind', 'category', 'unit', 'payload', 'rating'];
const submissionValues = (row) => [row.id, row.reference, row.type, 'sv', row.receivedAt, row.replyBy, row.unit, row.status, `bench-${row.id}`, row.feedbackKind, row.category, row.unit, '{"message":"genererat"}', row.rating];
const EVENT_COLUMNS = ['submission_id', 'created_at', 'actor', 'kind', 'data'];
const eventValues = ([id, at]) => [id, new Date(at).toISOString(), 'staff', 'reply', '{"text":"Svar"}'];
const FEEDBACK_COLUMNS = ['token', 'page', 'language', 'helpful', 'comment', 'created_at'];
const feedbackValues = (row) => [row.token, row.page, 'sv', row.helpful, row.comment, row.createdAt];

async function fillSqlite(path, rows) {
  const db = new Database(path);
  const insert = (table, columns) => db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const submissions = insert('submissions', SUBMISSION_COLUMNS);
  const events = insert('submission_events', EVENT_COLUMNS);
  const feedback = insert('page_feedback', FEEDBACK_COLUMNS);
  db.transaction(() => {
    for (const row of rows.submissions) submissions.run(...submissionValues(row));
    for (const reply of rows.replies) events.run(...eventValues(reply));
    for (const row of rows.feedback) feedback.run(...feedbackValues(row));
  })();
  db.pragma('optimize');
  db.close();
}

async function fillPostgres(url, rows) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const insert = async (table, columns, values) => {
    // 1,000 rows a statement keeps the parameters under PostgreSQL's limit of 65,535.
    for (let offset = 0; offset < values.length; offset += 1_000) {
      const batch = values.slice(offset, offset + 1_000);
      const placeholders = batch.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`);
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders.join(', ')}`, batch.flat());
    }
  };
  try {
    await client.query('BEGIN');
    await insert('submissions', SUBMISSION_COLUMNS, rows.submissions.map(submissionValues));
    await insert('submission_events', EVENT_COLUMNS, rows.replies.map(eventValues));
    await insert('page_feedback', FEEDBACK_COLUMNS, rows.feedback.map(feedbackValues));
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

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

/** Generates `count` errands into the fresh database at `databaseUrl` and measures the dashboard on them. */
export async function followUpBench(root, kind, databaseUrl, { count = 100_000 } = {}) {
  const { sqlite, postgres, calendar, staff } = await importBundled(
    {
      sqlite: join(root, 'src/server/storage/sqlite.ts'),
      postgres: join(root, 'src/server/storage/postgres.ts'),
      calendar: join(root, 'src/lib/calendar.ts'),
      staff: join(root, 'src/server/staff/follow-up.ts'),
    },
    join(root, 'bench-results/.build'),
  );
  const open = () => (kind === 'sqlite' ? sqlite.openSqliteStore(databaseUrl.slice('sqlite:'.length)) : postgres.openPostgresStore(databaseUrl));
  // Opening once applies the migrations; the rows go in behind the store's back, as fast as the database takes them.
  await (await open()).close();
  const rows = generate(count);
  const filled = performance.now();
  if (kind === 'sqlite') await fillSqlite(databaseUrl.slice('sqlite:'.length), rows);
  else await fillPostgres(databaseUrl, rows);
  const generateSeconds = Number(((performance.now() - filled) / 1000).toFixed(1));

  const store = await open();
  const reader = await rawReader(kind, databaseUrl);
  const today = `${YEAR + 1}-01-15`;
  const from = calendar.swedishDayStart(`${YEAR}-01-01`);
  const until = calendar.swedishDayStart(`${YEAR + 1}-01-01`);
  try {
    const everything = { from, until, units: 'all', today };
    const oneUnit = { ...everything, units: ['gator-och-parker'] };
    const dashboard = await timed(() => store.followUpFigures(everything));
    const unitDashboard = await timed(() => store.followUpFigures(oneUnit));
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
      errands: sqlFigures.total,
      replies: rows.replies.length,
      generateSeconds,
      dashboardMs: dashboard.ms,
      oneUnitDashboardMs: unitDashboard.ms,
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
