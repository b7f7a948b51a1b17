// Production entry. Astro's standalone server neither compresses responses nor lets us fail fast
// on a bad configuration, so we start the adapter's handler inside our own HTTP server.
import http from 'node:http';
import compression from 'compression';

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import('./dist/server/entry.mjs');

try {
  // Astro loads middleware lazily on the first request. Loading it now runs the start-up work
  // in src/server/services.ts (configuration validated, storage opened and migrated), so a
  // mistake stops the server here with a readable message instead of failing every request.
  await import('./dist/server/_astro-internal_middleware.mjs');
} catch (error) {
  console.error(`En väg in could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 4321);
const host = process.env.HOST ?? 'localhost';
const compress = compression();
const server = http.createServer((req, res) => compress(req, res, () => handler(req, res)));

server.listen(port, host, () => {
  console.log(JSON.stringify({ level: 'info', event: 'listening', url: `http://${host}:${port}/` }));
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
