// `npm run user:add -- …`: runs src/cli/user-add.ts (see there) without needing the Astro build.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBundled } from './bundle-node.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await importBundled({ 'user-add': join(root, 'src/cli/user-add.ts') }, join(root, 'dist/cli'));
