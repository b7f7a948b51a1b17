/**
 * `npm run retention:purge [-- --dry-run]`
 * Removes the personal data of every errand whose period under the configured disposal decision
 * (gallringsbeslut) has passed, in the database named by DATABASE_URL, as the daily job does.
 * With --dry-run it only counts them. Without `retention` in the configuration it removes nothing.
 */
import { parseArgs } from 'node:util';
import { loadMunicipalityConfig } from '../server/config';
import { runRetention } from '../server/retention';
import { openStore } from '../server/storage/index';

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
const config = loadMunicipalityConfig(process.env['MUNICIPALITY_CONFIG'] ?? 'config/varmdo.json');
const store = await openStore(process.env['DATABASE_URL']);
try {
  const dryRun = values['dry-run'];
  const outcome = await runRetention(store, config, 'cli', { now: new Date(), dryRun });
  if (!outcome) {
    console.log('retention:purge: no disposal decision (retention) in the configuration: nothing is removed');
  } else {
    const { decision } = config.retention!;
    console.log(`retention:purge: under ${decision.title} (${decision.reference}, ${decision.decidedOn})`);
    const total = Object.values(outcome.counts.errands).reduce((sum, count) => sum + count, 0);
    console.log(`${dryRun ? 'would remove' : 'removed'} the personal data of ${total} errand(s)`);
    for (const [type, count] of Object.entries(outcome.counts.errands)) console.log(`  ${type}: ${count}`);
    if (!dryRun) for (const [step, count] of Object.entries(outcome.counts.rows)) console.log(`  rows changed by ${step}: ${count}`);
  }
} finally {
  await store.close();
}
