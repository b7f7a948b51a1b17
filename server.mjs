// Production entry. Astro's standalone server neither compresses responses, nor lets us fail
// fast on a bad configuration, nor drains requests on SIGTERM, and it believes any
// X-Forwarded-For header; so we start the adapter's handler inside our own HTTP server.
import http from 'node:http';
import compression from 'compression';

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import('./dist/server/entry.mjs');

/** The log lines of this file, in the shape of src/server/log.ts. */
function log(level, event, fields = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
}

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
/**
 * How many reverse proxies stand in front of us (TRUST_PROXY, default 0). Each appends the
 * address it saw to X-Forwarded-For, so the client is the entry that many places from the
 * end; anything further left was written by the client and proves nothing.
 */
const trustedProxies = Number(process.env.TRUST_PROXY ?? 0);
/** No route accepts more than five 15 MB photos and the text beside them. */
const MAX_REQUEST_BYTES = 80 * 1024 * 1024;
/** In-flight requests get this long to finish after SIGTERM; then the last connections are cut. */
const DRAIN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 25_000);

function clientOf(req) {
  const forwarded = trustedProxies > 0 ? String(req.headers['x-forwarded-for'] ?? '').split(',').map((part) => part.trim()).filter(Boolean) : [];
  const address = forwarded.length >= trustedProxies && trustedProxies > 0 ? forwarded[forwarded.length - trustedProxies] : req.socket.remoteAddress;
  const forwardedProto = trustedProxies > 0 ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() : '';
  return { clientAddress: address ?? 'unknown', secureTransport: Boolean(req.socket.encrypted) || forwardedProto === 'https' };
}

const compress = compression();
const server = http.createServer((req, res) => {
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    res.writeHead(413, { 'Content-Type': 'application/problem+json', Connection: 'close' });
    res.end(JSON.stringify({ type: 'about:blank', status: 413, title: 'Content Too Large' }));
    return;
  }
  compress(req, res, () => handler(req, res, undefined, clientOf(req)));
});

server.listen(port, host, () => log('info', 'listening', { url: `http://${host}:${port}/`, pid: process.pid }));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log('info', 'draining', { signal });
    // close() stops accepting and lets requests in flight finish; keep-alive connections are
    // closed as soon as they fall idle, so no client is cut off mid-answer.
    server.close(() => {
      log('info', 'stopped');
      process.exit(0);
    });
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 100);
    idleSweeper.unref();
    setTimeout(() => {
      log('warn', 'drain_timeout', { afterMs: DRAIN_TIMEOUT_MS });
      server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS).unref();
  });
}
