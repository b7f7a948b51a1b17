// Issue 13's targets as one table per database: each measured at 10,000 errands and at the large
// size side by side, the growth between them, the goal and whether the large size meets it.
const MB = 1024 * 1024;

/** Every target of one database's two sizes (`small`, `large` from measureAtSize) as table rows. */
function rowsOf(small, large) {
  const sqlite = small.database === 'sqlite';
  const rows = [];
  const row = (target, unit, value, goal, meets) => {
    const [at10k, atLarge] = [value(small), value(large)];
    rows.push({ database: small.database, target, unit, small: at10k, large: atLarge, growth: at10k > 0 ? Number((atLarge / at10k).toFixed(2)) : Number.NaN, goal, met: meets === undefined ? '—' : meets(atLarge, at10k) ? 'yes' : 'NO' });
  };
  for (const [index, read] of large.reads.entries()) {
    const p95 = (measured) => measured.reads[index].p95Ms;
    if (read.name.startsWith('follow-up')) row(`${read.name}, p95`, 'ms', p95, '≤ 300 ms', (value) => value <= 300);
    else row(`${read.name}, p95`, 'ms', p95, '≤ 100 ms and ≤ 2× 10k', (value, at10k) => value <= 100 && value <= 2 * at10k);
  }
  for (const [index, exported] of large.exports.entries()) {
    const stopped = (measured) => (measured.exports[index].complete ? '' : ' (stopped)');
    row(`${exported.name}, rows/s${stopped(small)}${stopped(large)}`, 'rows/s', (measured) => measured.exports[index].rowsPerSecond, sqlite ? '≥ 50,000' : 'printed', sqlite ? (value) => value >= 50_000 : undefined);
    row(`${exported.name}, first byte`, 'ms', (measured) => measured.exports[index].firstByteMs, '≤ 1,000 ms', (value) => value <= 1000);
    row(`${exported.name}, server peak RSS`, 'MB', (measured) => Math.round(measured.exports[index].peakRssBytes / MB), '≤ 250 MB', (value) => value <= 250);
  }
  const intake = (measured) => measured.intake;
  row('intake beside staff reads: rate / alone', '×', (measured) => Number((intake(measured).beside.perSecond / intake(measured).alone.perSecond).toFixed(2)), '≥ 0.8×', (value) => value >= 0.8);
  row('intake beside staff reads: p99 / alone', '×', (measured) => Number((intake(measured).beside.p99Ms / intake(measured).alone.p99Ms).toFixed(2)), '≤ 2×', (value) => value <= 2);
  const judged = (check) => (sqlite ? check : undefined);
  row('durable intake, 50 clients, rate limit on', '/s', (measured) => intake(measured).alone.perSecond, sqlite ? '≥ 1,000/s' : 'printed', judged((value) => value >= 1000));
  row('durable intake, p99', 'ms', (measured) => intake(measured).alone.p99Ms, sqlite ? '< 50 ms' : 'printed', judged((value) => value < 50));
  row('durable intake / bare insert loop', '×', (measured) => Number((intake(measured).alone.perSecond / intake(measured).bare.perSecond).toFixed(2)), sqlite ? '≥ 0.5×' : 'printed', judged((value) => value >= 0.5));
  row('durable intake, refused (429)', '', (measured) => intake(measured).alone.refused + intake(measured).beside.refused, '0', (value) => value === 0);
  row('dashboard figures = recount (1 = yes)', '', (measured) => (measured.followUp.figuresAgree ? 1 : 0), 'yes', (value) => value === 1);
  return rows;
}

/** The table rows of every database measured at both sizes. */
export function targetRows(atSize) {
  const databases = [...new Set(atSize.map((measured) => measured.database))];
  return databases.flatMap((database) => {
    const [small, large] = atSize.filter((measured) => measured.database === database).sort((a, b) => a.errands - b.errands);
    return small && large ? rowsOf(small, large) : [];
  });
}

/** Prints the targets, one table per database. */
export function printTargets(atSize) {
  const rows = targetRows(atSize);
  const format = (value) => (Number.isFinite(value) ? value.toLocaleString('en', { maximumFractionDigits: 2 }) : String(value));
  for (const database of new Set(rows.map((row) => row.database))) {
    const measured = atSize.filter((entry) => entry.database === database).sort((a, b) => a.errands - b.errands);
    const [small, large] = measured.map((entry) => `${(entry.errands / 1000).toLocaleString('en')}k`);
    console.log(`\nIssue 13 targets on ${database}: ${measured.map((entry) => `${entry.errands.toLocaleString('en')} errands seeded in ${entry.seeded.seconds} s`).join(', ')}`);
    console.log(`last page reached by: inbox ${measured[1].lastPageVia.inbox}; fault list ${measured[1].lastPageVia.faults}`);
    for (const entry of measured) {
      const { afterExports, afterIntake } = entry.drained;
      if (afterExports + afterIntake > 1) console.log(`at ${entry.errands.toLocaleString('en')}: the server stayed busy ${afterExports} s after the stopped exports and ${afterIntake} s after the intake beside them (waited for before the next measurement)`);
    }
    console.log(`${'target'.padEnd(52)} ${small.padStart(10)} ${large.padStart(10)} ${'growth'.padStart(7)}  ${'goal'.padEnd(22)} met`);
    for (const row of rows.filter((candidate) => candidate.database === database)) {
      const label = row.unit ? `${row.target} (${row.unit})` : row.target;
      console.log(`${label.padEnd(52)} ${format(row.small).padStart(10)} ${format(row.large).padStart(10)} ${(Number.isNaN(row.growth) ? '—' : `${format(row.growth)}×`).padStart(7)}  ${row.goal.padEnd(22)} ${row.met}`);
    }
  }
}
