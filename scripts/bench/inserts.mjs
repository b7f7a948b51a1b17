// The baseline for the API figures: the same inserts, through the same Store, straight into
// the database in a loop, with no HTTP, JSON or validation in between.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { importBundled } from '../bundle-node.mjs';

async function loadStores(root) {
  const { sqlite, postgres } = await importBundled(
    { sqlite: join(root, 'src/server/storage/sqlite.ts'), postgres: join(root, 'src/server/storage/postgres.ts') },
    join(root, 'bench-results/.build'),
  );
  return { sqlite: (url) => sqlite.openSqliteStore(url.slice('sqlite:'.length)), postgres: (url) => postgres.openPostgresStore(url) };
}

/** What the intake would hand the store for one question. */
function newSubmission(label, index) {
  return {
    submission: { type: 'question', message: `${label} ${index}: när töms soptunnorna i Gustavsberg?`, contact: { email: 'bench@example.se' }, language: 'sv' },
    receivedAt: new Date(),
    replyBy: '2026-11-27',
    handlingUnit: 'kontaktcenter',
    statusTokenHash: randomBytes(32).toString('hex'),
    photos: [],
    channel: 'web',
  };
}

/**
 * Inserts for `seconds` with `loops` concurrent loops (1 for SQLite, whose writes are serial
 * anyway; more for PostgreSQL, as many as the server's clients) and reports inserts per second.
 */
export async function bareInserts(root, kind, databaseUrl, { seconds = 10, loops = 1 } = {}) {
  const stores = await loadStores(root);
  const store = await stores[kind](databaseUrl);
  let count = 0;
  let index = 0;
  const started = Date.now();
  const ends = started + seconds * 1000;
  const loop = async () => {
    while (Date.now() < ends) {
      await store.createSubmission(newSubmission('bare', index++), 'VDO');
      count += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: loops }, loop));
  } finally {
    await store.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  return { loops, seconds: Number(elapsed.toFixed(2)), inserts: count, perSecond: Math.round(count / elapsed) };
}
