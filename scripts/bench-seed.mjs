// `npm run bench:seed -- --errands 1000000 [--years 10]`: fills the empty database named by
// DATABASE_URL (the same default as the server; migrated first) with generated errands, for
// benchmarks and for trying the staff pages on a large municipality. See scripts/bench/seed.mjs.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedErrands } from './bench/seed.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { errands: { type: 'string', default: '1000000' }, years: { type: 'string', default: '10' } } });
const errands = Number(values.errands);
const years = Number(values.years);
if (!Number.isInteger(errands) || errands < 1) {
  console.error('bench:seed: --errands must be a positive whole number');
  process.exit(2);
}
if (!(years > 0)) {
  console.error('bench:seed: --years must be a positive number');
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL?.trim() || `sqlite:${resolve(root, 'data/en-vag-in.sqlite')}`;
const started = performance.now();
try {
  const seeded = await seedErrands(root, databaseUrl, {
    errands,
    years,
    progress: (done, all) => process.stdout.write(`bench:seed: ${done.toLocaleString('en')} of ${all.toLocaleString('en')} errands (${((performance.now() - started) / 1000).toFixed(0)} s)\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `bench:seed: ${seeded.errands.toLocaleString('en')} errands, ${seeded.events.toLocaleString('en')} history entries, ${seeded.supports.toLocaleString('en')} supports and ${seeded.pageFeedback.toLocaleString('en')} page answers from ${seeded.from.slice(0, 10)} to ${seeded.until.slice(0, 10)} in ${seconds.toFixed(1)} s`,
  );
} catch (error) {
  console.error(`bench:seed: ${error.message}`);
  process.exit(1);
}
