// Gallring's cost: errands with a photo, a note, a reply and a closing, purged by one run as the
// daily job does it (one transaction per errand, then the checkpoint or VACUUM), in errands per
// second, next to the bare inserts into the same kind of database.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { importBundled } from '../bundle-node.mjs';

const RETENTION = {
  decision: { title: 'Benchmark', reference: 'BENCH 1', decidedOn: '2026-01-01' },
  monthsAfterClosed: { question: 0, feedback: 0, fault_report: 0, proposal: 0 },
};

function faultReport(index) {
  return {
    submission: {
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: `Gångvägen ${index}, Gustavsberg` },
      message: `Lampa ${index} är släckt sedan i måndags.`,
      contact: { name: 'Bo Boende', email: 'bench@example.se', phone: '070-123 45 67' },
      language: 'sv',
    },
    receivedAt: new Date(),
    replyBy: '2026-11-27',
    handlingUnit: 'gator-och-parker',
    statusTokenHash: randomBytes(32).toString('hex'),
    photos: [{ contentType: 'image/jpeg', width: 640, height: 480, bytes: randomBytes(40_000) }],
    channel: 'web',
  };
}

/** Seeds `errands` closed errands, purges them in one run, and reports errands purged per second. */
export async function purgeRun(root, kind, databaseUrl, { errands = 500 } = {}) {
  const modules = await importBundled(
    { sqlite: join(root, 'src/server/storage/sqlite.ts'), postgres: join(root, 'src/server/storage/postgres.ts'), retention: join(root, 'src/server/retention.ts') },
    join(root, 'bench-results/.build'),
  );
  const store = kind === 'sqlite' ? modules.sqlite.openSqliteStore(databaseUrl.slice('sqlite:'.length)) : await modules.postgres.openPostgresStore(databaseUrl);
  try {
    for (let index = 0; index < errands; index += 1) {
      const { id } = await store.createSubmission(faultReport(index), 'VDO');
      const staff = { actor: 'staff', staffUserId: null };
      await store.recordAction(id, { event: { ...staff, kind: 'note', data: { text: `Ringde Bo om lampa ${index}` } } }, new Date());
      await store.recordAction(id, { event: { ...staff, kind: 'reply', data: { text: `Vi byter lampa ${index}.` } }, changes: { status: 'answered', answeredAt: new Date() } }, new Date());
      await store.recordAction(id, { event: { ...staff, kind: 'status_changed', data: { status: 'closed' } }, changes: { status: 'closed' } }, new Date());
    }
    const started = performance.now();
    const outcome = await modules.retention.runRetention(store, { retention: RETENTION }, 'cli', { now: new Date(Date.now() + 1000) });
    const seconds = (performance.now() - started) / 1000;
    const purged = outcome.counts.errands.fault_report ?? 0;
    return { errands: purged, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(purged / seconds) };
  } finally {
    await store.close();
  }
}
