/**
 * `npm run stats:rebuild`
 * Recomputes the counts kept beside the errands (the inbox's and the fault list's totals, the
 * follow-up figures per day) from the rows of the database named by DATABASE_URL, then checks
 * them against the rows. Prints every difference it finds; exits non-zero when the kept counts
 * differed from the rows before the rebuild (they are repaired, but something kept them wrong:
 * the triggers were dropped, or rows were changed with them off) or still differ after it.
 */
import { openStore } from '../server/storage/index';
import type { AggregateMismatch } from '../server/storage/aggregates';

const describe = (mismatch: AggregateMismatch) => `  ${mismatch.table} ${JSON.stringify(mismatch.key)}: kept ${mismatch.maintained}, counted ${mismatch.counted}`;

const store = await openStore(process.env['DATABASE_URL']);
try {
  const drift = await store.aggregateMismatches();
  if (drift.length > 0) {
    console.log(`stats:rebuild: ${drift.length} kept count(s) differed from the rows before the rebuild:`);
    for (const mismatch of drift.slice(0, 50)) console.log(describe(mismatch));
    process.exitCode = 1;
  }
  await store.rebuildAggregates();
  const after = await store.aggregateMismatches();
  if (after.length > 0) {
    console.error(`stats:rebuild: ${after.length} kept count(s) still differ from the rows after the rebuild:`);
    for (const mismatch of after.slice(0, 50)) console.error(describe(mismatch));
    process.exitCode = 1;
  } else {
    console.log(`stats:rebuild: the kept counts are rebuilt and agree with the rows${drift.length > 0 ? ' now' : ''}`);
  }
} finally {
  await store.close();
}
