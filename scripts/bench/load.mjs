// A small load generator: N concurrent clients on keep-alive connections post unique
// submissions for a fixed time, spread round-robin over one or more servers. Every request's
// latency is kept, so p50 and p99 are exact rather than estimated from a histogram.
import http from 'node:http';

/** The value below which `fraction` of the sorted `values` lie. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function post(agent, target, body) {
  return new Promise((resolvePost) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      { agent, host: target.hostname, port: target.port, path: '/api/v1/submissions', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
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
 * not counted. Counts only 201 as a durable submission; anything else is an error.
 */
export async function runLoad({ urls, clients = 50, seconds = 10, warmupSeconds = 1.5, label = 'bench' }) {
  const targets = urls.map((url) => new URL(url));
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = [];
  let errors = 0;
  let sent = 0;
  const warmupEnds = Date.now() + warmupSeconds * 1000;
  const ends = warmupEnds + seconds * 1000;
  const client = async () => {
    while (Date.now() < ends) {
      const index = sent++;
      const body = JSON.stringify({ type: 'question', message: `${label} ${process.pid} ${index}: när töms soptunnorna i Gustavsberg?`, contact: { email: 'bench@example.se' } });
      const { status, ms } = await post(agent, targets[index % targets.length], body);
      if (Date.now() < warmupEnds) continue;
      if (status === 201) latencies.push(ms);
      else errors += 1;
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
  };
}
