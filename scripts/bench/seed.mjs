// The one generator of errands for benchmarks and their tests: fills an empty database with
// `errands` generated errands spread evenly over the last `years` years, as the municipality's
// configuration has them (its units, fault categories, reference prefix and reply promises; the
// portal's languages), each with its history (assignment, status changes, replies, ratings,
// some notes), fault reports with places and a few "my problem too" supports, and "was this page
// helpful?" answers. Contact data uses example.se addresses only.
//
// The schema comes from the Store's own open (the real migrations); the rows then go in behind
// its back as plain INSERTs in large transactions, so anything the schema maintains on insert
// (indexes, triggers) stays right. Reference numbers follow the real format, counted per Swedish
// year in the order the errands arrived, and the counters are left so the next real submission
// gets the next number; on PostgreSQL every sequence of a filled table is moved past its rows.
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { importBundled } from '../bundle-node.mjs';

/** Errands per transaction (with their history): large enough to be fast, small enough to keep memory flat. */
const CHUNK = 50_000;
/** Rows per INSERT on PostgreSQL (one array parameter per column, so no parameter limit applies). */
const PG_BATCH = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const TYPES = [
  ['question', 0.35],
  ['feedback', 0.25],
  ['fault_report', 0.35],
  ['proposal', 0.05],
];
/** Most people write in Swedish; the rest over the portal's other languages. */
const SWEDISH_SHARE = 0.8;
const FIRST_NAMES = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Elin', 'Ahmed', 'Fatima', 'Olena', 'Mikko', 'Sara', 'Nils', 'Leila', 'Björn', 'Åsa'];
const LAST_NAMES = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Hassan', 'Korhonen', 'Shevchenko', 'Lindqvist'];
const STREETS = ['Hamnvägen', 'Skogsbovägen', 'Farstavägen', 'Mölnvikshöjden', 'Ösbyvägen', 'Hemmestavägen', 'Djuröbron', 'Ingaröleden', 'Gustavsbergsvägen', 'Fågelvägen'];
const MESSAGES = {
  question: ['När töms soptunnorna i Gustavsberg?', 'Hur ansöker jag om bygglov för ett förråd?', 'Vilka tider har biblioteket öppet i sommar?', 'Hur byter jag förskola?'],
  feedback: ['Personalen på återvinningscentralen var mycket hjälpsam.', 'Det tog för lång tid att få svar på mitt mejl.', 'Fler bänkar vid badplatsen vore bra.'],
  fault_report: ['Lampan är släckt sedan i måndags.', 'Stort hål i asfalten vid busshållplatsen.', 'Klotter på väggen vid tunneln.', 'Papperskorgen är full och luktar.'],
  proposal: ['Inför en cykelbana längs hela vägen.', 'Bygg en hundrastgård i centrum.', 'Låt ungdomar ordna sommarkonserter i parken.'],
};
const PAGES = ['/', '/fraga', '/synpunkt', '/felanmalan', '/e-forslag', '/kontakt', '/svar', '/en/', '/en/fraga', '/en/kontakt', '/ar/fraga', '/uk/felanmalan'];
const RATINGS = [[5, 0.4], [4, 0.3], [3, 0.15], [2, 0.08], [1, 0.07]];
/** The ways the errands come: most by the web, then phone and e-mail, a few by the rest. */
const CHANNEL_SHARES = [['web', 0.52], ['phone', 0.16], ['email', 0.12], ['sms', 0.04], ['visit', 0.04], ['letter', 0.03], ['api', 0.04], ['open311', 0.03], ['social', 0.02]];
/** The channels a staff member registers, and how often the answer is given there and then. */
const FIRST_CONTACT_SHARES = new Map([['phone', 0.45], ['visit', 0.5], ['email', 0.1], ['letter', 0.05], ['social', 0.2]]);
const MINUTE = 60_000;

// Every column with its PostgreSQL type (the arrays of a batch are cast to these); SQLite takes the same values.
const SUBMISSION_COLUMNS = [
  ['id', 'bigint'], ['reference', 'text'], ['type', 'text'], ['language', 'text'], ['received_at', 'timestamptz'], ['reply_by', 'text'],
  ['handling_unit', 'text'], ['status', 'text'], ['status_token_hash', 'text'], ['feedback_kind', 'text'], ['category', 'text'], ['unit', 'text'],
  ['payload', 'jsonb'], ['assigned_user_id', 'bigint'], ['answered_at', 'timestamptz'], ['rating', 'integer'], ['rating_comment', 'text'],
  ['channel', 'text'], ['answered_at_first_contact', 'integer'],
];
const EVENT_COLUMNS = [['submission_id', 'bigint'], ['created_at', 'timestamptz'], ['actor', 'text'], ['staff_user_id', 'bigint'], ['kind', 'text'], ['data', 'jsonb']];
const SUPPORT_COLUMNS = [['submission_id', 'bigint'], ['email', 'text'], ['language', 'text'], ['created_at', 'timestamptz']];
const FEEDBACK_COLUMNS = [['token', 'text'], ['page', 'text'], ['language', 'text'], ['helpful', 'integer'], ['comment', 'text'], ['created_at', 'timestamptz']];
/** The tables filled here whose ids a sequence hands out on PostgreSQL. */
const SERIAL_TABLES = ['submissions', 'submission_events', 'fault_supports', 'page_feedback'];

/** A small seeded generator (mulberry32), so every run makes the same errands. */
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

/** The server modules the generator shares with the portal, so its rows are the portal's rows. */
async function portalModules(root) {
  return importBundled(
    {
      storage: join(root, 'src/server/storage/index.ts'),
      aggregates: join(root, 'src/server/storage/aggregates.ts'),
      config: join(root, 'src/server/config.ts'),
      intake: join(root, 'src/server/intake.ts'),
      calendar: join(root, 'src/lib/calendar.ts'),
      reference: join(root, 'src/lib/intake/reference.ts'),
      schema: join(root, 'src/lib/intake/schema.ts'),
      locales: join(root, 'src/lib/locales.ts'),
    },
    join(root, 'bench-results/.build'),
  );
}

/** Plain bulk INSERTs into either database: `insert` takes rows as arrays in `columns` order. */
async function openWriter(databaseUrl, aggregates) {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length));
    // A generator that dies is run again: no fsync per transaction.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const statements = new Map();
    const statement = (table, columns) => {
      if (!statements.has(table)) statements.set(table, db.prepare(`INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`));
      return statements.get(table);
    };
    return {
      count: async (table) => db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get().n,
      /** Runs `work(insert)` in one transaction. */
      transaction: async (work) => {
        db.exec('BEGIN');
        try {
          await work(async (table, columns, rows) => {
            const insert = statement(table, columns);
            for (const row of rows) insert.run(row);
          });
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      },
      setCounters: async (counters) => {
        db.prepare('DELETE FROM reference_counters').run();
        const insert = db.prepare('INSERT INTO reference_counters (year, last_number) VALUES (?, ?)');
        for (const [year, last] of counters) insert.run(year, last);
      },
      finish: async () => void db.pragma('optimize'),
      close: async () => db.close(),
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // The triggers that keep the counts would make a million rows take most of an hour here
  // (each row updates a counts row); the load goes in without them and the counts are
  // recomputed once at the end, in the same way `npm run stats:rebuild` does.
  await client.query('SET session_replication_role = replica');
  const insert = async (table, columns, rows) => {
    const names = columns.map(([name]) => name).join(', ');
    const arrays = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
    for (let offset = 0; offset < rows.length; offset += PG_BATCH) {
      const batch = rows.slice(offset, offset + PG_BATCH);
      await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`, columns.map((_, column) => batch.map((row) => row[column])));
    }
  };
  return {
    count: async (table) => Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n),
    transaction: async (work) => {
      await client.query('BEGIN');
      try {
        await work(insert);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    setCounters: async (counters) => {
      await client.query('DELETE FROM reference_counters');
      await insert('reference_counters', [['year', 'integer'], ['last_number', 'integer']], [...counters]);
    },
    finish: async () => {
      // The ids were given here, so each sequence is moved past them: the next real insert takes the next id.
      for (const table of SERIAL_TABLES) {
        await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST(MAX(id), 1), MAX(id) IS NOT NULL) FROM ${table}`);
      }
      await client.query('BEGIN');
      for (const statement of aggregates.rebuildStatements('postgres')) await client.query(statement);
      await client.query('COMMIT');
      // What autovacuum does to a table that has been in use a while: the planner's statistics, and
      // the visibility map without which an index-only scan (the overdue count) visits every row.
      await client.query('VACUUM ANALYZE');
    },
    close: () => client.end(),
  };
}

/**
 * Fills the empty database at `databaseUrl` (migrated first through the Store) with `errands`
 * errands received over the `years` years before `now`, as `root`'s configuration
 * (MUNICIPALITY_CONFIG, default config/varmdo.json) has them. Refuses a database that already
 * holds errands. Reports each committed chunk to `progress(done, errands)`; returns counts.
 */
export async function seedErrands(root, databaseUrl, { errands, years = 10, now = new Date(), seed = 13, progress = () => {} }) {
  const { storage, aggregates, config: configModule, intake, calendar, reference, schema, locales } = await portalModules(root);
  const config = configModule.loadMunicipalityConfig(resolve(root, process.env.MUNICIPALITY_CONFIG ?? 'config/varmdo.json'));
  const next = random(seed);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const weighted = (items) => {
    let roll = next();
    for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
    return items.at(-1)[0];
  };
  /** An exponentially distributed delay with the given mean: most soon, a long tail. */
  const after = (meanMs) => Math.floor(-Math.log(1 - next()) * meanMs);

  // Opening the Store applies the real migrations; the caseworkers are added through it too.
  const store = await storage.openStore(databaseUrl);
  const caseworkers = new Map();
  try {
    for (const [index, unit] of config.units.entries()) {
      const name = `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[index % LAST_NAMES.length]}`;
      const email = `handlaggare.${unit.id}@example.se`;
      const user = (await store.staffUserByEmail(email)) ?? (await store.addStaffUser({ email, name, role: 'caseworker', units: [unit.id], passwordHash: null }, now));
      caseworkers.set(unit.id, user);
    }
  } finally {
    await store.close();
  }

  const writer = await openWriter(databaseUrl, aggregates);
  try {
    const existing = await writer.count('submissions');
    if (existing > 0) throw new Error(`the database already holds ${existing} errands; bench:seed fills an empty one`);
    const otherLanguages = locales.LOCALES.filter((locale) => locale !== locales.DEFAULT_LOCALE);
    const unitIds = config.units.map((unit) => unit.id);
    const replyBy = new Map();
    const replyByOf = (date, days) => {
      const key = `${date}/${days}`;
      if (!replyBy.has(key)) replyBy.set(key, calendar.addWorkingDays(date, days));
      return replyBy.get(key);
    };
    const start = now.getTime() - Math.round(years * 365.25 * DAY);
    const span = now.getTime() - start;
    const counters = new Map();
    const counts = { errands: 0, events: 0, supports: 0, pageFeedback: 0 };

    const errandAt = (id, receivedAt) => {
      const type = weighted(TYPES);
      const language = next() < SWEDISH_SHARE ? locales.DEFAULT_LOCALE : pick(otherLanguages);
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const address = `${first}.${last}.${id}`.toLowerCase().normalize('NFD').replace(/[^a-z0-9.]/g, '');
      const anonymous = type !== 'proposal' && next() < 0.15;
      const contact = anonymous ? null : { name: `${first} ${last}`, email: `${address}@example.se`, ...(next() < 0.4 ? { phone: `070-${100 + (id % 900)} ${String(id % 100).padStart(2, '0')} 00` } : {}) };
      const message = `${pick(MESSAGES[type])} (${id})`;
      const chosenUnit = next() < 0.7 ? pick(unitIds) : undefined;
      const submission =
        type === 'question'
          ? { type, message, ...(chosenUnit ? { unit: chosenUnit } : {}), contact, language }
          : type === 'feedback'
            ? { type, feedbackKind: pick(schema.FEEDBACK_KINDS), ...(chosenUnit ? { unit: chosenUnit } : {}), message, contact, language }
            : type === 'fault_report'
              ? {
                  type,
                  category: pick(config.faultCategories).id,
                  location: { description: `${pick(STREETS)} ${1 + (id % 60)}, Värmdö`, ...(next() < 0.7 ? { lat: 59.25 + next() * 0.15, lon: 18.25 + next() * 0.5 } : {}) },
                  message,
                  contact,
                  language,
                }
              : { type, title: `Förslag ${id}`, message, contact, language };
      const receivedOn = calendar.swedishDate(new Date(receivedAt));
      const year = Number(receivedOn.slice(0, 4));
      const sequence = (counters.get(year) ?? 0) + 1;
      counters.set(year, sequence);
      return { submission, receivedOn, year, sequence, handlingUnit: intake.handlingUnitOf(submission, config) };
    };

    for (let from = 1; from <= errands; from += CHUNK) {
      const until = Math.min(errands, from + CHUNK - 1);
      const submissions = [];
      const events = [];
      const supports = [];
      for (let id = from; id <= until; id += 1) {
        // Evenly over the span and in order, so references count up with the time of arrival.
        const receivedAt = start + Math.floor(((id - 1 + next()) / errands) * span);
        const { submission, receivedOn, year, sequence, handlingUnit } = errandAt(id, receivedAt);
        const answerable = schema.canBeAnswered(submission);
        const channel = weighted(CHANNEL_SHARES);
        // Answered there and then: on the call, at the desk, on the letter; so it needs someone to answer.
        const atFirstContact = answerable && next() < (FIRST_CONTACT_SHARES.get(channel) ?? 0);
        // The history, step by step; whatever would happen after `now` has not happened yet.
        let at = receivedAt;
        let status = 'received';
        let assigned = null;
        let answeredAt = null;
        let rating = null;
        let ratingComment = null;
        const happen = (delay, step) => {
          if (at + delay > now.getTime()) return false;
          at += delay;
          step(new Date(at).toISOString());
          return true;
        };
        const staffEvent = (kind, data, createdAt) => events.push([id, createdAt, 'staff', assigned?.id ?? null, kind, JSON.stringify(data)]);
        const lifecycle = () => {
          const caseworker = caseworkers.get(handlingUnit);
          if (atFirstContact) {
            // Registered with the answer given, and closed, in one step by the one who took it.
            assigned = caseworker;
            happen(after(10 * MINUTE), (createdAt) => { status = 'closed'; answeredAt = createdAt; staffEvent('reply', { text: `Svar givet direkt i ärende ${id}.` }, createdAt); });
            return;
          }
          if (next() < 0.7 && !happen(after(4 * HOUR), (createdAt) => { assigned = caseworker; staffEvent('assigned', { unit: handlingUnit, assignee: caseworker.name }, createdAt); })) return;
          if (next() < 0.8 && !happen(after(8 * HOUR), (createdAt) => { status = 'in_progress'; staffEvent('status_changed', { status }, createdAt); })) return;
          if (next() < 0.1 && !happen(after(6 * HOUR), (createdAt) => staffEvent('note', { text: `Ringde upp om ärende ${id}.` }, createdAt))) return;
          if (answerable && next() < 0.85) {
            if (!happen(after(30 * HOUR), (createdAt) => { status = 'answered'; answeredAt = createdAt; staffEvent('reply', { text: `Tack för ditt meddelande. Vi har tittat på ärende ${id}.` }, createdAt); })) return;
            if (next() < 0.1 && !happen(after(48 * HOUR), (createdAt) => staffEvent('reply', { text: 'Ett tillägg till vårt svar.' }, createdAt))) return;
            if (next() < 0.35) {
              const given = weighted(RATINGS);
              const comment = next() < 0.2 ? 'Snabbt och vänligt.' : null;
              if (!happen(after(48 * HOUR), (createdAt) => { rating = given; ratingComment = comment; events.push([id, createdAt, 'resident', null, 'rating', JSON.stringify({ rating: given, comment })]); })) return;
            }
          }
          if (next() < 0.8) happen(after(5 * DAY), (createdAt) => { status = 'closed'; staffEvent('status_changed', { status }, createdAt); });
        };
        lifecycle();
        if (submission.type === 'fault_report' && next() < 0.05) {
          const many = 1 + Math.floor(next() * 3);
          for (let support = 0; support < many; support += 1) supports.push([id, null, submission.language, new Date(Math.min(now.getTime(), receivedAt + after(3 * DAY))).toISOString()]);
        }
        submissions.push([
          id,
          reference.formatReference(config.referencePrefix, year, sequence),
          submission.type,
          submission.language,
          new Date(receivedAt).toISOString(),
          answerable ? replyByOf(receivedOn, config.replyWithinWorkingDays[submission.type]) : null,
          handlingUnit,
          status,
          intake.hashStatusToken(intake.newStatusToken()),
          submission.type === 'feedback' ? submission.feedbackKind : null,
          submission.type === 'fault_report' ? submission.category : null,
          submission.unit ?? null,
          JSON.stringify(submission),
          assigned?.id ?? null,
          answeredAt,
          rating,
          ratingComment,
          channel,
          atFirstContact ? 1 : 0,
        ]);
      }
      // One "was this page helpful?" answer for every 20 errands, over the same years.
      const feedback = [];
      for (let index = Math.ceil(from / 20); index <= Math.floor(until / 20); index += 1) {
        feedback.push([`bench-${index}`, pick(PAGES), next() < SWEDISH_SHARE ? locales.DEFAULT_LOCALE : pick(otherLanguages), next() < 0.7 ? 1 : 0, next() < 0.1 ? 'En kommentar' : null, new Date(start + Math.floor(next() * span)).toISOString()]);
      }
      await writer.transaction(async (insert) => {
        await insert('submissions', SUBMISSION_COLUMNS, submissions);
        await insert('submission_events', EVENT_COLUMNS, events);
        await insert('fault_supports', SUPPORT_COLUMNS, supports);
        await insert('page_feedback', FEEDBACK_COLUMNS, feedback);
      });
      counts.errands = until;
      counts.events += events.length;
      counts.supports += supports.length;
      counts.pageFeedback += feedback.length;
      progress(until, errands);
    }
    await writer.setCounters(counters);
    await writer.finish();
    return { ...counts, from: new Date(start).toISOString(), until: now.toISOString(), counters: Object.fromEntries(counters) };
  } finally {
    await writer.close();
  }
}
