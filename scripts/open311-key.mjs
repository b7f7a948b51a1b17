// `npm run open311:key -- …`: runs src/cli/open311-key.ts (see there) without needing the Astro build.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBundled } from './bundle-node.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await importBundled({ 'open311-key': join(root, 'src/cli/open311-key.ts') }, join(root, 'dist/cli'));
