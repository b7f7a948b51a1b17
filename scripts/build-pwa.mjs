// Runs after `astro build`: renders the app icons from one SVG, bundles the service worker
// (src/sw.ts) and injects the precache manifest of the built assets into it.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import sharp from 'sharp';
import { injectManifest } from 'workbox-build';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'dist/client');

/** The icon sizes installers ask for: Android (192, 512), iOS home screen (180), and a maskable one with a safe zone. */
const ICONS = [
  { file: 'icon-192.png', size: 192, padding: 0 },
  { file: 'icon-512.png', size: 512, padding: 0 },
  { file: 'apple-touch-icon.png', size: 180, padding: 0 },
  // Maskable icons may be cropped to a circle: keep the symbol within the inner 80 %.
  { file: 'icon-maskable-512.png', size: 512, padding: 52 },
];

const svg = readFileSync(join(root, 'src/pwa/icon.svg'));
mkdirSync(join(client, 'icons'), { recursive: true });
for (const { file, size, padding } of ICONS) {
  const inner = size - 2 * padding;
  await sharp(svg, { density: 300 })
    .resize(inner, inner)
    .extend({ top: padding, bottom: padding, left: padding, right: padding, background: '#00527a' })
    .png()
    .toFile(join(client, 'icons', file));
}

const bundled = join(root, 'dist/sw.bundle.js');
await build({
  entryPoints: [join(root, 'src/sw.ts')],
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  outfile: bundled,
  logLevel: 'warning',
});

const { count, size, warnings } = await injectManifest({
  swSrc: bundled,
  swDest: join(client, 'sw.js'),
  globDirectory: client,
  globPatterns: ['_astro/*.{js,css}', 'icons/*.png', 'favicon.svg', 'municipality/*'],
});
rmSync(bundled);
for (const warning of warnings) console.warn(`build-pwa: ${warning}`);
console.log(`build-pwa: ${ICONS.length} icons, service worker precaches ${count} files (${size} bytes)`);
