// Production entry. Astro's standalone server neither compresses responses, nor lets us fail
// fast on a bad configuration, nor drains requests on SIGTERM, and it believes any
// X-Forwarded-For header; so we start the adapter's handler inside our own HTTP server.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
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

/**
 * Astro's standalone handler passes no locals on, so the client we worked out travels to the
 * middleware (src/server/client.ts) in a request header. The header carries a secret of this
 * process: a client that sends the header itself cannot pass for someone else.
 */
const CLIENT_HEADER = 'x-en-vag-in-client';
const handoffSecret = randomBytes(18).toString('base64url');
globalThis[Symbol.for('en-vag-in.client-handoff')] = handoffSecret;

function handOverClient(req) {
  const forwarded = trustedProxies > 0 ? String(req.headers['x-forwarded-for'] ?? '').split(',').map((part) => part.trim()).filter(Boolean) : [];
  const address = trustedProxies > 0 && forwarded.length >= trustedProxies ? forwarded[forwarded.length - trustedProxies] : req.socket.remoteAddress;
  const forwardedProto = trustedProxies > 0 ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() : '';
  const secure = Boolean(req.socket.encrypted) || forwardedProto === 'https';
  req.headers[CLIENT_HEADER] = `${handoffSecret} ${secure ? 'https' : 'http'} ${address ?? 'unknown'}`;
}

const compress = compression();
const server = http.createServer((req, res) => {
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    res.writeHead(413, { 'Content-Type': 'application/problem+json', Connection: 'close' });
    res.end(JSON.stringify({ type: 'about:blank', status: 413, title: 'Content Too Large' }));
    return;
  }
  handOverClient(req);
  compress(req, res, () => handler(req, res));
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
    // Background work that holds a connection of its own (the mailbox reader) finishes the
    // message in hand and logs out while the requests drain.
    const stopBackground = globalThis[Symbol.for('en-vag-in.stop-background')];
    const backgroundStopped = typeof stopBackground === 'function' ? stopBackground().catch(() => undefined) : Promise.resolve();
    server.close(() => {
      backgroundStopped.then(() => {
        log('info', 'stopped');
        process.exit(0);
      });
    });
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 100);
    idleSweeper.unref();
    setTimeout(() => {
      log('warn', 'drain_timeout', { afterMs: DRAIN_TIMEOUT_MS });
      server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS).unref();
  });
}
