// A small load generator: N concurrent clients on keep-alive connections post unique
// submissions for a fixed time, spread round-robin over one or more servers. Every request's
// latency is kept, so p50 and p99 are exact rather than estimated from a histogram.
import http from 'node:http';

/** The value below which `fraction` of the sorted `values` lie. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** A unique question for the intake API: what every scenario posts unless told otherwise. */
export function apiSubmission(label, index) {
  const body = JSON.stringify({ type: 'question', message: `${label} ${process.pid} ${index}: när töms soptunnorna i Gustavsberg?`, contact: { email: 'bench@example.se' } });
  return { path: '/api/v1/submissions', contentType: 'application/json', body };
}

/**
 * The address the index-th request comes from, as a proxy would name it in X-Forwarded-For: a
 * new one for every request (198.18.0.0/15 is set aside for benchmarks), so a rate limit counts
 * every request and refuses none.
 */
export function residentAddress(index) {
  return `198.${18 + ((index >>> 16) & 1)}.${(index >>> 8) & 255}.${index & 255}`;
}

function post(agent, target, { path, contentType, body }, headers = {}) {
  return new Promise((resolvePost) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      { agent, host: target.hostname, port: target.port, path, method: 'POST', headers: { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolvePost({ status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    request.on('error', () => resolvePost({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    request.end(body);
  });
}

/**
 * Runs `clients` concurrent loops against `urls` for `seconds` after `warmupSeconds` that are
 * not counted. Counts only 201 as a durable submission; anything else is an error. `request`
 * gives the path, content type and body of the index-th post (default: apiSubmission). With
 * `residents`, each post names its own address (residentAddress) for a server behind TRUST_PROXY;
 * `refused` counts the answers 429 among the errors.
 */
export async function runLoad({ urls, clients = 50, seconds = 10, warmupSeconds = 1.5, label = 'bench', residents = false, request = (index) => apiSubmission(label, index) }) {
  const targets = urls.map((url) => new URL(url));
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = [];
  let errors = 0;
  let refused = 0;
  let sent = 0;
  const warmupEnds = Date.now() + warmupSeconds * 1000;
  const ends = warmupEnds + seconds * 1000;
  const client = async () => {
    while (Date.now() < ends) {
      const index = sent++;
      const { status, ms } = await post(agent, targets[index % targets.length], request(index), residents ? { 'X-Forwarded-For': residentAddress(index) } : {});
      if (Date.now() < warmupEnds) continue;
      if (status === 201) latencies.push(ms);
      else errors += 1;
      if (status === 429) refused += 1;
    }
  };
  const measuredFrom = Date.now();
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  const elapsed = (Date.now() - Math.max(measuredFrom, warmupEnds)) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients,
    seconds: Number(elapsed.toFixed(2)),
    durable: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
    errors,
    refused,
  };
}

/**
 * Times up to `count` GETs of `path` one after another on one keep-alive connection, stopping
 * early (after at least `minimum`) once `budgetSeconds` have passed, so a slow read at a large
 * size still ends: p50, p95, p99, how many were made and the answer's size. `headers` go with
 * every request (a staff session's Cookie).
 */
export async function timeGets({ url, path, count = 200, headers = {}, budgetSeconds = Infinity, minimum = 5 }) {
  const target = new URL(path, url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let bytes = 0;
  let errors = 0;
  const ends = Date.now() + budgetSeconds * 1000;
  let made = 0;
  for (; made < count && (made < minimum || Date.now() < ends); made += 1) {
    const started = process.hrtime.bigint();
    const { status, size } = await new Promise((resolveGet) => {
      http
        .get({ agent, host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers }, (response) => {
          let received = 0;
          response.on('data', (chunk) => (received += chunk.length));
          response.on('end', () => resolveGet({ status: response.statusCode, size: received }));
        })
        .on('error', () => resolveGet({ status: 0, size: 0 }));
    });
    if (status === 200) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    else errors += 1;
    bytes = size;
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const rounded = (fraction) => Number(percentile(latencies, fraction).toFixed(1));
  return { path, count: made, p50Ms: rounded(0.5), p95Ms: rounded(0.95), p99Ms: rounded(0.99), bytes, errors };
}
