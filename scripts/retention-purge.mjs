// `npm run retention:purge -- …`: runs src/cli/retention-purge.ts (see there) without needing the Astro build.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBundled } from './bundle-node.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await importBundled({ 'retention-purge': join(root, 'src/cli/retention-purge.ts') }, join(root, 'dist/cli'));
