// Bundles TypeScript entry points of src/ for Node with esbuild (npm packages stay external,
// resolved from node_modules), so scripts can run server code without the Astro build.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles `entryPoints` ({ name: path }) into `outdir` and imports each result, by name. */
export async function importBundled(entryPoints, outdir) {
  await build({ entryPoints, bundle: true, platform: 'node', format: 'esm', packages: 'external', outdir, outExtension: { '.js': '.mjs' }, logLevel: 'error' });
  // The SQLite reader starts its worker from the file next to the bundle it is in (see src/server/storage/sqlite-reader.ts).
  copyFileSync(fileURLToPath(new URL('../src/server/storage/sqlite-reader-worker.mjs', import.meta.url)), join(outdir, 'sqlite-reader-worker.mjs'));
  const modules = {};
  for (const name of Object.keys(entryPoints)) modules[name] = await import(pathToFileURL(join(outdir, `${name}.mjs`)).href);
  return modules;
}
