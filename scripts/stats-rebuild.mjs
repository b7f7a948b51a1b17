// `npm run stats:rebuild`: runs src/cli/stats-rebuild.ts (see there) without needing the Astro build.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBundled } from './bundle-node.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await importBundled({ 'stats-rebuild': join(root, 'src/cli/stats-rebuild.ts') }, join(root, 'dist/cli'));
