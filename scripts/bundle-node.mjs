// Bundles TypeScript entry points of src/ for Node with esbuild (npm packages stay external,
// resolved from node_modules), so scripts can run server code without the Astro build.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles `entryPoints` ({ name: path }) into `outdir` and imports each result, by name. */
export async function importBundled(entryPoints, outdir) {
  await build({ entryPoints, bundle: true, platform: 'node', format: 'esm', packages: 'external', outdir, outExtension: { '.js': '.mjs' }, logLevel: 'error' });
  const modules = {};
  for (const name of Object.keys(entryPoints)) modules[name] = await import(pathToFileURL(join(outdir, `${name}.mjs`)).href);
  return modules;
}
